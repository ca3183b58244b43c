import { join } from 'node:path';
import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ActOnAdmissionHandler, RecordAdmissionHandler } from './admissions/admission-commands.js';
import { EnrolBeneficiaryHandler, ErasePersonalDataHandler, UpdateBeneficiaryHandler } from './beneficiaries/beneficiary-commands.js';
import { PersonalDataReads } from './personal-data/personal-data-reads.js';
import { IssueCardHandler, ReissueCardHandler, RevokeCardHandler } from './cards/card-commands.js';
import { AllocateAnnualBudgetHandler } from './budgets/budget-commands.js';
import { AdjustClaimHandler, ApproveClaimsHandler, DecideClaimHandler, RequestClaimHandler } from './claims/claim-commands.js';
import { EventSourcing } from './event-sourcing.js';
import { CollectRecoveryHandler, PayoutScheduler, SettlePayoutHandler } from './payouts/payout-commands.js';
import {
  catalogFiles,
  DraftPolicyVersionHandler,
  PolicyVersions,
  PublishCatalogFile,
  PublishCatalogFileHandler,
  PublishPolicyVersionHandler,
} from './policies/policy-catalog.js';
import { AggregateReader } from './reads.js';
import { AdministrativeUnitsRegistry, RecordUnitChanges, RecordUnitChangesHandler, unitFiles } from './administrative-units/administrative-unit-commands.js';
import { ActOnResidentHandler, RecordHealthCheckHandler, RegisterResidentHandler } from './residents/resident-commands.js';
import { DraftReorganizationPlanHandler, ReorganizationPlans } from './reorganizations/reorganizations.js';
import { RetroactivePolicies } from './retroactivity/retroactive-policies.js';
import { CoverageEnds } from './retroactivity/coverage-ends.js';
import { BeneficiaryImports } from './imports/beneficiary-import.js';
import { UserAccounts } from './users/user-accounts.js';
import { Users } from './users/users.js';
import { FOLLOW_UPS, type FollowUps } from './workflows/follow-ups.js';
import { PayoutWorkflow } from './workflows/payout-workflow.js';
import {
  APPLICATION_CONFIG,
  type ApplicationConfig,
  type ApplicationPorts,
  CLOCK,
  COMMAND_OBSERVER,
  type CommandObserver,
  type DurableReaction,
  GENERATED_SECRETS,
  type GeneratedSecrets,
  PERSONAL_DATA,
  REACTIONS,
  type Reactions,
  RETROACTIVITY_READS,
  SECOND_FACTOR_SECRETS,
  SQL,
} from './ports/application-ports.js';

/**
 * The payout workflow's reactor: settled by each command that needs it before answering, and
 * run in the background from its checkpoint for what a stopped process left undone.
 */
@Injectable()
export class PayoutFollowUps implements FollowUps, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly reactor: DurableReaction;

  constructor(@Inject(REACTIONS) reactions: Reactions, @Inject(PayoutWorkflow) workflow: PayoutWorkflow) {
    this.reactor = reactions.durably(workflow, 'payout workflow');
  }

  settle(): Promise<void> {
    return this.reactor.settle();
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
    @Inject(APPLICATION_CONFIG) private readonly config: ApplicationConfig,
    @Inject(GENERATED_SECRETS) private readonly generatedSecrets: GeneratedSecrets,
    @Inject(UserAccounts) private readonly accounts: UserAccounts,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = await this.accounts.ensureAdministrator();
    if (admin?.generatedPassword) {
      const file = this.generatedSecrets.keep(`administrator ${admin.username}`, admin.generatedPassword);
      this.logger.warn(
        `created administrator "${admin.username}" with a generated password, written to ${file} (readable by this account only; set ADMIN_PASSWORD to choose it)`,
      );
    }
    for (const { file, version, commandId } of await catalogFiles(this.config.policyDir)) {
      const system = { actor: { username: 'system', roles: ['administrator'] }, commandId } as const;
      try {
        const { versionId, published } = await this.commands.execute(new PublishCatalogFile(version, system));
        if (published) this.logger.log(`published policy version ${versionId} from ${file}`);
      } catch (error) {
        throw new Error(`policy catalog ${file} cannot be published: ${(error as Error).message}`, { cause: error });
      }
    }
    for (const { file, changes, commandId } of await unitFiles(join(this.config.policyDir, 'administrative-units'))) {
      const system = { actor: { username: 'system', roles: ['administrator'] }, commandId } as const;
      try {
        const { recorded } = await this.commands.execute(new RecordUnitChanges(changes, system));
        if (recorded > 0) this.logger.log(`recorded ${recorded} administrative unit changes from ${file}`);
      } catch (error) {
        throw new Error(`administrative units file ${file} cannot be recorded: ${(error as Error).message}`, { cause: error });
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
  RegisterResidentHandler,
  ActOnResidentHandler,
  RecordHealthCheckHandler,
  DraftReorganizationPlanHandler,
];

const services = [
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
];

/**
 * The write side (command handlers over the event store) and the reads of single aggregates, over
 * the ports the composition root gives it (the runtime, in the apps and the CLI).
 */
@Module({})
export class ApplicationModule {
  static register(ports: ApplicationPorts): DynamicModule {
    return {
      module: ApplicationModule,
      providers: [
        { provide: APPLICATION_CONFIG, useValue: ports.config },
        { provide: SQL, useValue: ports.pool },
        { provide: RETROACTIVITY_READS, useValue: ports.retroactivityReads },
        { provide: PERSONAL_DATA, useValue: ports.personalData },
        { provide: SECOND_FACTOR_SECRETS, useValue: ports.secondFactorSecrets },
        { provide: GENERATED_SECRETS, useValue: ports.generatedSecrets },
        { provide: CLOCK, useValue: ports.clock },
        { provide: REACTIONS, useValue: ports.reactions },
        {
          provide: EventSourcing,
          useFactory: (observer?: CommandObserver) => new EventSourcing(ports.store, observer),
          inject: [{ token: COMMAND_OBSERVER, optional: true }],
        },
        ...services,
        ...handlers,
      ],
      exports: [
        EventSourcing,
        PolicyVersions,
        AggregateReader,
        PersonalDataReads,
        Users,
        UserAccounts,
        AdministrativeUnitsRegistry,
        RetroactivePolicies,
        CoverageEnds,
        ReorganizationPlans,
        BeneficiaryImports,
      ],
    };
  }
}
