import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AdministrativeUnits, type BeneficiaryGroup, Beneficiaries, dayBefore, ownEntry, policyInForce, Reorganizations } from '#domain';
import { AdministrativeUnitsRegistry } from '../administrative-units/administrative-unit-commands.js';
import { beneficiaryAggregate, beneficiaryStreamId } from '../beneficiaries/beneficiary-commands.js';
import { type Actor, type CommandContext, EventSourcing, NotFound, requireRole } from '../event-sourcing.js';
import { requireIndependentConfirmer } from '../users/user-accounts.js';
import { PolicyVersions } from '../policies/policy-catalog.js';
import { RETROACTIVITY_READS, type RegisterRecord, type RetroactivityReads } from '../ports/index.js';
import { recomputeSources } from '../retroactivity/retroactive-policies.js';
import { replayEach, type ReplayProgress } from '../retroactivity/replay.js';
import { beneficiaryFrom, loadCapHoldings, previewRecomputation, type RecomputationPreview } from '../retroactivity/stay-recomputation.js';

const planAggregate = { evolve: Reorganizations.evolve, initial: Reorganizations.initialReorganization };

export class DraftReorganizationPlan extends Command<Reorganizations.Reorganization> {
  constructor(
    readonly plan: Reorganizations.ReorganizationPlan,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(DraftReorganizationPlan)
export class DraftReorganizationPlanHandler implements ICommandHandler<DraftReorganizationPlan> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ plan, context }: DraftReorganizationPlan): Promise<Reorganizations.Reorganization> {
    requireRole(context.actor, 'applyRetroactiveChanges', 'drafting a reorganization plan');
    const { state } = await this.sourcing.decideOn(
      Reorganizations.reorganizationStreamId(typeof plan.planId === 'string' ? plan.planId : ''),
      planAggregate,
      (current) => Reorganizations.decide({ type: 'DraftReorganizationPlan', data: { plan, by: context.actor.username } }, current),
      context,
    );
    return state;
  }
}

/** One beneficiary the plan reclassifies: what they held the day before it, and from its effective date (group null: no longer covered). */
export interface Reclassification {
  readonly beneficiaryId: string;
  readonly fullName: string;
  readonly before: { readonly title: string; readonly administrativeUnit: string; readonly group: BeneficiaryGroup };
  readonly after: { readonly title: string; readonly administrativeUnit: string; readonly group: BeneficiaryGroup | null };
}

/** What the plan records on one beneficiary's stream: the new position, then the new group or, for a title not covered, the removal. */
function reclassificationEvents(
  plan: Reorganizations.ReorganizationPlan,
  person: Reclassification,
  current: Beneficiaries.Beneficiary,
): Beneficiaries.BeneficiaryEvent[] {
  const events: Beneficiaries.BeneficiaryEvent[] = [];
  const decide = (command: Beneficiaries.BeneficiaryCommand) => events.push(...Beneficiaries.decide(command, events.reduce(Beneficiaries.evolve, current)));
  if (person.after.title !== person.before.title || person.after.administrativeUnit !== person.before.administrativeUnit) {
    decide({ type: 'ChangePosition', data: { title: person.after.title, administrativeUnit: person.after.administrativeUnit, from: plan.effectiveFrom } });
  }
  const decision = `${plan.title} (${plan.decisionNumber})`;
  if (person.after.group === null) {
    decide({ type: 'RemoveFromRegister', data: { on: plan.effectiveFrom, reason: `${decision}: ${person.after.title} is not covered`, planId: plan.planId } });
  } else {
    decide({
      type: 'ReclassifyBeneficiary',
      data: { group: person.after.group, from: plan.effectiveFrom, reason: plan.title, decisionNumber: plan.decisionNumber, planId: plan.planId },
    });
  }
  return events;
}

export interface ReorganizationPreview extends RecomputationPreview {
  readonly planId: string;
  readonly status: string;
  readonly effectiveFrom: string;
  readonly position: string;
  readonly reclassified: readonly Reclassification[];
}

export interface ReorganizationOutcome {
  readonly planId: string;
  readonly beneficiaries: number;
  readonly staysExamined: number;
  readonly claimsExamined: number;
  readonly adjustments: number;
}

/**
 * Previews and applies reorganization plans. Who a plan matches is read as of the day before it
 * takes effect, which applying it does not change: a run stopped half-way and started again
 * matches the same people, and the command ids derived from plan and person let it skip what
 * was done.
 */
@Injectable()
export class ReorganizationPlans {
  constructor(
    @Inject(RETROACTIVITY_READS) private readonly reads: RetroactivityReads,
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(AdministrativeUnitsRegistry) private readonly units: AdministrativeUnitsRegistry,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  private async planOf(planId: string): Promise<Exclude<Reorganizations.Reorganization, { status: 'none' }>> {
    const { state } = await this.sourcing.load(Reorganizations.reorganizationStreamId(planId), planAggregate.evolve, planAggregate.initial);
    if (state.status === 'none') throw new NotFound(`no reorganization plan ${planId}`);
    return state;
  }

  private async reclassifications(
    plan: Reorganizations.ReorganizationPlan,
  ): Promise<{ reclassified: Reclassification[]; register: Map<string, RegisterRecord> }> {
    const eve = dayBefore(plan.effectiveFrom);
    const holders = await this.reads.holdersOfTitlesOn([...new Set(plan.titles.map((mapping) => mapping.title))], eve);
    const register = await this.reads.registerEntries(holders.map((holder) => holder.beneficiaryId));
    const units = await this.units.current();
    const reclassified: Reclassification[] = [];
    for (const holder of holders) {
      const entry = register.get(holder.beneficiaryId);
      if (!entry || entry.status === 'removed' || Beneficiaries.groupOn(beneficiaryFrom(entry), plan.effectiveFrom) === undefined) continue;
      const before = { title: holder.title, administrativeUnit: holder.administrativeUnit, group: holder.group as BeneficiaryGroup };
      const target = Reorganizations.reclassificationUnder(plan, before);
      if (!target) continue;
      // A unit the plan does not map goes where the registry says it went on the effective date.
      const administrativeUnit =
        ownEntry(plan.units, before.administrativeUnit) ?? AdministrativeUnits.unitCarrying(units, before.administrativeUnit, plan.effectiveFrom);
      reclassified.push({ beneficiaryId: holder.beneficiaryId, fullName: entry.fullName, before, after: { ...target, administrativeUnit } });
    }
    return { reclassified, register };
  }

  async preview(planId: string, actor: Actor): Promise<ReorganizationPreview> {
    requireRole(actor, 'applyRetroactiveChanges', 'previewing a reorganization plan');
    const { plan, status } = await this.planOf(planId);
    const position = await this.reads.position();
    const { reclassified, register } = await this.reclassifications(plan);
    const after = new Map(reclassified.map((r) => [r.beneficiaryId, r]));
    const [stays, claims] = await Promise.all([
      this.reads.staysDischargedFrom(plan.effectiveFrom, [...after.keys()]),
      this.reads.claimsServedFrom(plan.effectiveFrom, [...after.keys()]),
    ]);
    const versions = await this.policies.officials();
    const beneficiaryOf = (id: string) => {
      const entry = register.get(id);
      if (!entry) return undefined;
      const current = beneficiaryFrom(entry);
      return reclassificationEvents(plan, after.get(id)!, current).reduce(Beneficiaries.evolve, current);
    };
    const holdings = await loadCapHoldings(this.reads, claims);
    const recomputation = previewRecomputation(
      stays,
      claims,
      beneficiaryOf,
      (date) => policyInForce(versions, date),
      { kind: 'reorganization-plan', id: planId },
      holdings,
    );
    return { planId, status, effectiveFrom: plan.effectiveFrom, position, reclassified, ...recomputation };
  }

  /** Confirms the plan (by someone other than who drafted it), then applies it. */
  async confirm(planId: string, context: CommandContext, onProgress?: (progress: ReplayProgress) => void): Promise<ReorganizationOutcome> {
    await this.approve(planId, context);
    return this.apply(planId, context.actor, onProgress);
  }

  /** Confirms the plan without applying it yet: for a batch run of `apply` (the CLI's `replay reorganization`). */
  async approve(planId: string, context: CommandContext): Promise<void> {
    requireRole(context.actor, 'applyRetroactiveChanges', 'confirming a reorganization plan');
    await this.sourcing.decideOn(
      Reorganizations.reorganizationStreamId(planId),
      planAggregate,
      async (current) => {
        if (current.status === 'none') throw new NotFound(`no reorganization plan ${planId}`);
        if (current.status === 'drafted') await requireIndependentConfirmer(this.sourcing, context.actor.username, current.draftedBy);
        return Reorganizations.decide({ type: 'ConfirmReorganizationPlan', data: { by: context.actor.username } }, current);
      },
      context,
    );
  }

  /**
   * Reclassifies everyone the confirmed plan matches (position and group from its effective date)
   * and recomputes their stays from then on; resumable, and a second run records nothing.
   */
  async apply(planId: string, actor: Actor, onProgress?: (progress: ReplayProgress) => void): Promise<ReorganizationOutcome> {
    requireRole(actor, 'applyRetroactiveChanges', 'applying a reorganization plan');
    const { plan } = await this.planOf(planId);
    const { reclassified } = await this.reclassifications(plan);
    // Refused unless confirmed, before anything is recorded.
    Reorganizations.decide({ type: 'RecordPlanApplied', data: { beneficiaries: 0, stays: 0, claims: 0 } }, await this.planOf(planId));
    await replayEach(
      'beneficiaries',
      reclassified,
      (person) =>
        this.sourcing.decideOn(beneficiaryStreamId(person.beneficiaryId), beneficiaryAggregate, (current) => reclassificationEvents(plan, person, current), {
          actor,
          commandId: `reorganization-${planId}-${person.beneficiaryId}`,
        }),
      { ...(onProgress ? { onProgress } : {}), readAhead: { sourcing: this.sourcing, streamsOf: (person) => [beneficiaryStreamId(person.beneficiaryId)] } },
    );
    const people = reclassified.map((person) => person.beneficiaryId);
    const [stays, claims] = await Promise.all([
      this.reads.staysDischargedFrom(plan.effectiveFrom, people),
      this.reads.claimsServedFrom(plan.effectiveFrom, people),
    ]);
    const outcome = await recomputeSources(this.commands, this.sourcing, stays, claims, { kind: 'reorganization-plan', id: planId }, actor, onProgress);
    await this.sourcing.decideOn(
      Reorganizations.reorganizationStreamId(planId),
      planAggregate,
      (current) =>
        Reorganizations.decide(
          { type: 'RecordPlanApplied', data: { beneficiaries: reclassified.length, stays: stays.length, claims: claims.length } },
          current,
        ),
      { actor, commandId: `reorganization-${planId}-applied` },
    );
    return { planId, beneficiaries: reclassified.length, ...outcome };
  }
}
