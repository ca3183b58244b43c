import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public, ProjectionsService, RUNTIME } from '../nest.js';
import type { Runtime } from '../runtime.js';
import { projectionLags } from './projection-lag.js';

const DATABASE_PROBE_TIMEOUT_MS = 2000;

/**
 * Liveness and readiness, for the API and the projection worker alike. Live: the process answers
 * (a lost database is no reason to restart it: it reconnects by itself). Ready: it may be sent
 * work — not while it drains before stopping, nor without its database, nor while a projection it
 * runs is rebuilding or stuck on an event.
 */
@ApiTags('health')
@Public()
@ApiSecurity({})
@Controller('health')
export class ProbesController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Optional() @Inject(ProjectionsService) private readonly projections?: ProjectionsService,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process answers' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: the database answers and the process takes requests' })
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.process(), () => this.database(), () => this.readModels()]);
  }

  private process() {
    const session = this.indicators.check('process');
    return this.runtime.lifecycle.draining ? session.down({ message: 'stopping: finishing the requests in flight' }) : session.up();
  }

  private async database() {
    const session = this.indicators.check('database');
    try {
      await Promise.race([
        this.runtime.pool.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${DATABASE_PROBE_TIMEOUT_MS} ms`)), DATABASE_PROBE_TIMEOUT_MS).unref()),
      ]);
      return session.up();
    } catch (error) {
      return session.down({ message: `the database cannot be reached: ${(error as Error).message}` });
    }
  }

  private async readModels() {
    const session = this.indicators.check('projections');
    const { head, projections } = await projectionLags(this.runtime, this.projections?.runner.status());
    const lags = Object.fromEntries(
      projections.map(({ name, position, behind, seconds, status }) => [
        name,
        {
          state: status?.state ?? 'run-elsewhere',
          position: position.toString(),
          behind: behind.toString(),
          ...(seconds === undefined ? {} : { lagSeconds: Math.round(seconds * 10) / 10 }),
          // The error itself goes to the log and to administrators (GET /health): it may quote data, and probes are public.
          ...(status?.failure
            ? { failure: { afterPosition: status.failure.position.toString(), attempts: status.failure.attempts, since: status.failure.since.toISOString() } }
            : {}),
        },
      ]),
    );
    const stuck = projections.filter(({ status }) => status?.state === 'failing' || status?.state === 'rebuilding');
    return stuck.length > 0 ? session.down({ head: head.toString(), ...lags }) : session.up({ head: head.toString(), ...lags });
  }
}
