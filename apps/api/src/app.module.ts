import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ApplicationModule, PERMISSIONS } from '#application';
import { loggingModule, METRICS_READERS, MetricsController, ProbesController, RuntimeModule, type Runtime } from '#runtime';
import { AdmissionsController } from './admissions/admissions.controller.js';
import { ResidentsController } from './residents/residents.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { UsersController } from './auth/users.controller.js';
import { BeneficiariesController } from './beneficiaries/beneficiaries.controller.js';
import { CardsController } from './cards/cards.controller.js';
import { ClaimsController } from './claims/claims.controller.js';
import { DocumentsController } from './documents/documents.controller.js';
import { HealthController } from './health/health.controller.js';
import { AuthenticationGuard } from './http/authentication.js';
import { ErrorsFilter, validationFailed } from './http/errors.js';
import { InputLimitsPipe } from './http/input-limits.js';
import { REQUEST_LOGGING } from './http/request-logging.js';
import { PayoutsController } from './payouts/payouts.controller.js';
import { PoliciesController } from './policies/policies.controller.js';
import { PeriodReportsController } from './reports/period-reports.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { RetroactivityController } from './retroactivity/retroactivity.controller.js';
import { ImportsController } from './imports/imports.controller.js';
import { WorkQueuesController } from './work-queues/work-queues.controller.js';
import { NationalController } from './national/national.controller.js';
import { SERVED_PROVINCES, type ServedProvinces } from './national/served-provinces.js';

@Module({})
export class AppModule {
  /** `provinces`: every province the process serves, which the national level adds up; this one alone by default. */
  static register(runtime: Runtime, provinces: ServedProvinces = [runtime]): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggingModule(runtime.logger, REQUEST_LOGGING),
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        RuntimeModule.register(runtime, { runProjections: runtime.config.projections === 'inline', serveMetrics: true }),
        ApplicationModule.register(runtime),
      ],
      controllers: [
        ProbesController,
        MetricsController,
        HealthController,
        AuthController,
        UsersController,
        PoliciesController,
        ImportsController,
        BeneficiariesController,
        CardsController,
        AdmissionsController,
        ResidentsController,
        ClaimsController,
        PayoutsController,
        ReportsController,
        PeriodReportsController,
        DocumentsController,
        RetroactivityController,
        AuditController,
        WorkQueuesController,
        NationalController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: METRICS_READERS, useValue: PERMISSIONS.readMetrics },
        { provide: SERVED_PROVINCES, useValue: provinces },
        { provide: APP_FILTER, useClass: ErrorsFilter },
        // First, so that validation never converts what it refuses.
        { provide: APP_PIPE, useClass: InputLimitsPipe },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            stopAtFirstError: true,
            exceptionFactory: validationFailed,
          }),
        },
      ],
    };
  }
}
