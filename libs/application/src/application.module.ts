import { join } from 'node:path';
import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Reactor } from '#projections';
import { keepGeneratedSecret, Metrics, RUNTIME, type Runtime } from '#runtime';
import { ActOnAdmissionHandler, RecordAdmissionHandler } from './admissions/admission-commands.js';
import { EnrolBeneficiaryHandler, ErasePersonalDataHandler, UpdateBeneficiaryHandler } from './beneficiaries/beneficiary-commands.js';
import { PersonalDataReads } from './personal-data/personal-data-reads.js';
import { IssueCardHandler, ReissueCardHandler, RevokeCardHandler } from './cards/card-commands.js';
import { AllocateAnnualBudgetHandler } from './budgets/budget-commands.js';
import { AdjustClaimHandler, ApproveClaimsHandler, DecideClaimHandler, RequestClaimHandler } from './claims/claim-commands.js';
import { EventSourcing } from './event-sourcing.js';
import { CollectRecoveryHandler, PayoutScheduler, SettlePayoutHandler } from './payouts/payout-commands.js';
import { catalogFiles, DraftPolicyVersionHandler, PolicyVersions, PublishCatalogFile, PublishCatalogFileHandler, PublishPolicyVersionHandler } from './policies/policy-catalog.js';
import { AggregateReader } from './reads.js';
import { AdministrativeUnitsRegistry, RecordUnitChanges, RecordUnitChangesHandler, unitFiles } from './administrative-units/administrative-unit-commands.js';
import { DraftReorganizationPlanHandler, ReorganizationPlans } from './reorganizations/reorganizations.js';
import { RetroactivePolicies } from './retroactivity/retroactive-policies.js';
import { CoverageEnds } from './retroactivity/coverage-ends.js';
import { BeneficiaryImports } from './imports/beneficiary-import.js';
import { UserAccounts } from './users/user-accounts.js';
import { Users } from './users/users.js';
import { FOLLOW_UPS, type FollowUps } from './workflows/follow-ups.js';
import { PayoutWorkflow } from './workflows/payout-workflow.js';

/**
 * The payout workflow's reactor: settled by each command that needs it before answering, and
 * run in the background from its checkpoint for what a stopped process left undone.
 */
@Injectable()
export class PayoutFollowUps implements FollowUps, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly reactor: Reactor;
  private readonly logger: Runtime['logger'];

  constructor(@Inject(RUNTIME) runtime: Runtime, @Inject(PayoutWorkflow) workflow: PayoutWorkflow) {
    this.logger = runtime.logger.child({ component: 'payout-workflow' });
    this.reactor = new Reactor(runtime.store, runtime.pool, workflow, {
      maxRetryDelayMs: runtime.config.projectionMaxRetryDelayMs,
      log: (level, message) => this.logger[level](message),
    });
  }

  async settle(): Promise<void> {
    try {
      await this.reactor.catchUp();
    } catch (error) {
      this.logger.error(`payout workflow stopped at an event it could not complete (retried in the background): ${(error as Error).message}`);
    }
  }

  onApplicationBootstrap(): void {
    this.reactor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reactor.stop();
  }
}

/**
 * On start: the administrator exists, every catalog file in `POLICY_DIR` is published into the
 * log (again: no effect; changed under the same id: refused, and the process does not start), and
 * the administrative unit files in `POLICY_DIR/administrative-units` are recorded likewise.
 */
@Injectable()
export class StartupTasks implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(UserAccounts) private readonly accounts: UserAccounts,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = await this.accounts.ensureAdministrator();
    if (admin?.generatedPassword) {
      const file = keepGeneratedSecret(this.runtime.config.generatedSecretsFile, `administrator ${admin.username}`, admin.generatedPassword);
      this.logger.warn(`created administrator "${admin.username}" with a generated password, written to ${file} (readable by this account only; set ADMIN_PASSWORD to choose it)`);
    }
    for (const { file, version, commandId } of await catalogFiles(this.runtime.config.policyDir)) {
      const system = { actor: { username: 'system', roles: ['administrator'] }, commandId } as const;
      try {
        const { versionId, published } = await this.commands.execute(new PublishCatalogFile(version, system));
        if (published) this.logger.log(`published policy version ${versionId} from ${file}`);
      } catch (error) {
        throw new Error(`policy catalog ${file} cannot be published: ${(error as Error).message}`);
      }
    }
    for (const { file, changes, commandId } of await unitFiles(join(this.runtime.config.policyDir, 'administrative-units'))) {
      const system = { actor: { username: 'system', roles: ['administrator'] }, commandId } as const;
      try {
        const { recorded } = await this.commands.execute(new RecordUnitChanges(changes, system));
        if (recorded > 0) this.logger.log(`recorded ${recorded} administrative unit changes from ${file}`);
      } catch (error) {
        throw new Error(`administrative units file ${file} cannot be recorded: ${(error as Error).message}`);
      }
    }
  }
}

const handlers = [
  PublishPolicyVersionHandler,
  PublishCatalogFileHandler,
  DraftPolicyVersionHandler,
  EnrolBeneficiaryHandler,
  UpdateBeneficiaryHandler,
  ErasePersonalDataHandler,
  IssueCardHandler,
  ReissueCardHandler,
  RevokeCardHandler,
  RecordAdmissionHandler,
  ActOnAdmissionHandler,
  RequestClaimHandler,
  DecideClaimHandler,
  ApproveClaimsHandler,
  AdjustClaimHandler,
  SettlePayoutHandler,
  CollectRecoveryHandler,
  AllocateAnnualBudgetHandler,
  RecordUnitChangesHandler,
  DraftReorganizationPlanHandler,
];

/** The write side (command handlers over the event store) and the reads of single aggregates. */
@Module({
  providers: [
    { provide: EventSourcing, useFactory: (runtime: Runtime, metrics?: Metrics) => new EventSourcing(runtime.store, metrics), inject: [RUNTIME, { token: Metrics, optional: true }] },
    PolicyVersions,
    PayoutScheduler,
    PayoutWorkflow,
    PayoutFollowUps,
    { provide: FOLLOW_UPS, useExisting: PayoutFollowUps },
    AggregateReader,
    PersonalDataReads,
    Users,
    UserAccounts,
    StartupTasks,
    AdministrativeUnitsRegistry,
    RetroactivePolicies,
    CoverageEnds,
    ReorganizationPlans,
    BeneficiaryImports,
    ...handlers,
  ],
  exports: [EventSourcing, PolicyVersions, AggregateReader, PersonalDataReads, Users, UserAccounts, AdministrativeUnitsRegistry, RetroactivePolicies, CoverageEnds, ReorganizationPlans, BeneficiaryImports],
})
export class ApplicationModule {}
