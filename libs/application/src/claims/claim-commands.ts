import { Inject } from '@nestjs/common';
import { Command, CommandHandler, CommandBus, type ICommandHandler } from '@nestjs/cqrs';
import { type Admissions, AnnualCapLedger, Claims, RuleViolated, ServiceIndex } from '#domain';
import { beneficiaryAggregate, beneficiaryOf } from '../beneficiaries/beneficiary-commands.js';
import { listedInFlight, loadServiceIndex, type LoadedServiceIndex } from '../beneficiaries/service-index.js';
import { cardAggregate, cardOf } from '../cards/card-commands.js';
import { type CommandContext, EventSourcing, followUp, hasRole, NotFound, NotPermitted, requireRole } from '../event-sourcing.js';
import { type Permission, recomputing } from '../permissions.js';
import { forEachConcurrently } from '../concurrently.js';
import { idFromCommand } from '../ids.js';
import { ledgerAggregate } from '../payouts/payout-commands.js';
import { FOLLOW_UPS, type FollowUps } from '../workflows/follow-ups.js';
import { PolicyVersions } from '../policies/policy-catalog.js';
import { todayInVietnam } from '../today.js';

export const claimAggregate = { evolve: Claims.evolve, initial: Claims.initialClaim };
/** How many people's claims of one approved list are decided at once. */
const PEOPLE_DECIDED_AT_ONCE = 8;

type Request = Omit<Claims.ClaimFacts, 'claimId' | 'requestedBy'>;

/** Who uses up a regime's yearly allowance: the beneficiary, or the staff member for staff allowances. */
export function annualLedgerStreamId(facts: Claims.ClaimFacts): string {
  return AnnualCapLedger.annualCapStreamId(facts.beneficiaryId ?? `staff-${facts.staff?.name ?? ''}`, facts.regimeId, Claims.claimYear(facts));
}

/** Loads what a claim's decisions need: policies, the claimant, the card presented, the annual ledger. */
async function claimContext(sourcing: EventSourcing, policies: PolicyVersions, facts: Claims.ClaimFacts) {
  const [policyOn, beneficiary, card, ledger] = await Promise.all([
    policies.inForce(),
    facts.beneficiaryId ? beneficiaryOf(sourcing, facts.beneficiaryId) : beneficiaryAggregate.initial,
    cardOf(sourcing, facts.cardNumber),
    sourcing.load(annualLedgerStreamId(facts), ledgerAggregate.evolve, ledgerAggregate.initial),
  ]);
  const context: Claims.ClaimContext = {
    policyOn,
    beneficiary,
    card,
    ledger: AnnualCapLedger.excluding(ledger.state, facts.claimId),
    today: todayInVietnam(),
    listedClaims: [],
    yearClaims: [],
  };
  return { context, ledger };
}

/** The beneficiary's listed claims repeating `facts`' key that still stand: written, or in flight. */
async function repeatedClaims(sourcing: EventSourcing, index: LoadedServiceIndex, facts: Claims.ClaimFacts): Promise<Claims.ListedClaim[]> {
  const repeats = Claims.repeatsOf(facts, index.state.claims);
  const standing = await Promise.all(
    repeats.map(
      async (listed) =>
        (await sourcing.store.readStream(Claims.claimStreamId(listed.claimId), { maxCount: 1 })).length > 0 || listedInFlight(index, listed.claimId),
    ),
  );
  return repeats.filter((_listed, n) => standing[n]);
}

export class RequestClaim extends Command<{ claimId: string }> {
  constructor(
    readonly claim: Request,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RequestClaim)
export class RequestClaimHandler implements ICommandHandler<RequestClaim> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
  ) {}

  async execute({ claim, context }: RequestClaim): Promise<{ claimId: string }> {
    requireRole(context.actor, 'requestClaims', 'requesting a claim');
    if (!hasRole(context.actor, ['clerk'])) {
      const regime = (await this.policies.inForce())(claim.serviceDate)?.regimes.find((candidate) => candidate.id === claim.regimeId);
      if (regime?.rule.kind !== 'actual-cost-up-to-annual-cap') {
        throw new NotPermitted("council members record claims resting on a Professional Council decision (special drugs); other claims are a clerk's");
      }
    }
    const claimId = idFromCommand(context.commandId, 'claim');
    const facts: Claims.ClaimFacts = { ...claim, claimId, requestedBy: context.actor.username };
    // A beneficiary's claim is listed in their service index before it is written, on the revision
    // its duplicate check read: the same claim requested twice at once cannot pass twice. Staff
    // allowances belong to no beneficiary and are not listed.
    await this.sourcing.retrying(async () => {
      const requested = await this.sourcing.load(Claims.claimStreamId(claimId), claimAggregate.evolve, claimAggregate.initial, context);
      if (requested.alreadyHandled) return;
      const index = facts.beneficiaryId ? await loadServiceIndex(this.sourcing, facts.beneficiaryId) : undefined;
      const [{ context: decisionContext }, listedClaims] = await Promise.all([
        claimContext(this.sourcing, this.policies, facts),
        index ? repeatedClaims(this.sourcing, index, facts) : [],
      ]);
      const events = Claims.decide({ type: 'RequestClaim', data: facts }, requested.state, { ...decisionContext, listedClaims });
      if (index)
        await this.sourcing.append(index, ServiceIndex.decide({ type: 'ListClaim', data: { claimId, ...Claims.claimKeyOf(facts) } }, index.state), context);
      await this.sourcing.append(requested, events, context);
    });
    return { claimId };
  }
}

export type ClaimDecision =
  | { readonly type: 'ApproveClaim' }
  | { readonly type: 'PartlyApproveClaim' }
  | { readonly type: 'ProposeOverCapApproval'; readonly data: { readonly reason: string } }
  | { readonly type: 'ConfirmOverCapApproval' }
  | { readonly type: 'RejectClaim'; readonly data: { readonly reason: string } };

export class DecideClaim extends Command<Claims.Claim> {
  constructor(
    readonly claimId: string,
    readonly decision: ClaimDecision,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * An approver's decision on a claim. Eligibility and the amount are assessed again now. An
 * approval counted against a yearly cap or limit is reserved on the annual ledger first, on the
 * revision the decision was made on, so two approvals for one beneficiary cannot both spend the
 * last of the cap; its payout is then scheduled by the payout workflow (see `PayoutWorkflow`).
 */
@CommandHandler(DecideClaim)
export class DecideClaimHandler implements ICommandHandler<DecideClaim> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(FOLLOW_UPS) private readonly followUps: FollowUps,
  ) {}

  async execute({ claimId, decision, context }: DecideClaim): Promise<Claims.Claim> {
    requireRole(context.actor, 'decideClaims', 'deciding a claim');
    const by = context.actor.username;
    const command = { type: decision.type, data: { ...('data' in decision ? decision.data : {}), by } } as Claims.ClaimCommand;
    const state = await this.sourcing.retrying(async () => {
      const claim = await this.sourcing.load(Claims.claimStreamId(claimId), claimAggregate.evolve, claimAggregate.initial, context);
      if (claim.state.status === 'none') throw new NotFound(`no claim ${claimId}`);
      if (claim.alreadyHandled) return claim.state;
      const { context: decisionContext, ledger } = await claimContext(this.sourcing, this.policies, claim.state.facts);
      const events = Claims.decide(command, claim.state, decisionContext);
      const approval = events.find((event) => event.type === 'ClaimApproved')?.data;
      if (approval?.limit) {
        const reservation = AnnualCapLedger.decide(
          { type: 'ReserveCap', data: { requestId: claimId, amount: approval.amount, ...approval.limit, overCapAllowed: approval.overCap > 0 } },
          ledger.state,
        );
        await this.sourcing.append(ledger, reservation, context);
      }
      // Should another decision on the claim win here, the retry finds it decided and completes that one instead.
      await this.sourcing.append(claim, events, context);
      return events.reduce(claimAggregate.evolve, claim.state);
    });
    await this.followUps.settle();
    return state;
  }
}

export type ClaimAdjustment =
  | { readonly type: 'RecomputeEntitlements'; readonly data: { readonly cause: Admissions.AdjustmentCause } }
  | { readonly type: 'ApproveAdjustments' }
  | { readonly type: 'KeepClaimOverLoweredCap' | 'ReduceClaimToLoweredCap'; readonly data: { readonly flagId: string; readonly reason: string } };

export class AdjustClaim extends Command<Claims.Claim> {
  constructor(
    readonly claimId: string,
    readonly command: ClaimAdjustment,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Who may do each step, and what the step is called when someone may not. */
function permissionFor(command: ClaimAdjustment): [Permission, string] {
  switch (command.type) {
    case 'RecomputeEntitlements':
      return [recomputing(command.data.cause), 'recomputing a claim'];
    case 'ApproveAdjustments':
      return ['decideClaims', "approving a claim's adjustments"];
    case 'KeepClaimOverLoweredCap':
    case 'ReduceClaimToLoweredCap':
      return ['decideOverLoweredCap', 'deciding on a claim over a lowered annual cap'];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

/**
 * The claims holding `facts`' annual cap (its regime and year), each as it stands now on its own
 * stream: the annual ledger names them, a claim whose payout was reversed no longer holds any.
 */
async function yearClaimsOf(sourcing: EventSourcing, facts: Claims.ClaimFacts): Promise<AnnualCapLedger.CappedClaim[]> {
  const { state: ledger } = await sourcing.load(annualLedgerStreamId(facts), ledgerAggregate.evolve, ledgerAggregate.initial);
  const holders = [...Object.keys(ledger.reserved), ...Object.keys(ledger.consumed)];
  const claims = await Promise.all(holders.map((claimId) => sourcing.load(Claims.claimStreamId(claimId), claimAggregate.evolve, claimAggregate.initial)));
  return claims.flatMap(({ state }) => Claims.cappedClaimOf(state) ?? []);
}

/**
 * A retroactive change reaching an approved claim: the recomputation (an administrator's batch),
 * the council's decision on a special-drug claim it left over a lowered annual cap, and the
 * approval of the adjustments they recorded, which schedules a payout (or recovery) per adjustment.
 */
@CommandHandler(AdjustClaim)
export class AdjustClaimHandler implements ICommandHandler<AdjustClaim> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(FOLLOW_UPS) private readonly followUps: FollowUps,
  ) {}

  async execute({ claimId, command, context }: AdjustClaim): Promise<Claims.Claim> {
    requireRole(context.actor, ...permissionFor(command));
    const by = context.actor.username;
    const { state } = await this.sourcing.decideOn(
      Claims.claimStreamId(claimId),
      claimAggregate,
      async (current) => {
        if (current.status === 'none') throw new NotFound(`no claim ${claimId}`);
        const weighsCap = command.type === 'RecomputeEntitlements' && Claims.cappedClaimOf(current) !== undefined;
        const [policyOn, beneficiary, yearClaims] = await Promise.all([
          this.policies.inForce(),
          current.facts.beneficiaryId ? beneficiaryOf(this.sourcing, current.facts.beneficiaryId) : beneficiaryAggregate.initial,
          weighsCap ? yearClaimsOf(this.sourcing, current.facts) : [],
        ]);
        const domainCommand = { type: command.type, data: { ...('data' in command ? command.data : {}), by } } as Claims.ClaimCommand;
        // The card and the yearly limits were weighed when the claim was decided; a recomputation re-assesses the amount only.
        return Claims.decide(domainCommand, current, {
          policyOn,
          beneficiary,
          card: cardAggregate.initial,
          ledger: ledgerAggregate.initial,
          today: todayInVietnam(),
          listedClaims: [],
          yearClaims,
        });
      },
      context,
    );
    if (command.type === 'ApproveAdjustments') await this.followUps.settle();
    return state;
  }
}

export interface BatchOutcome {
  readonly claimId: string;
  readonly outcome: 'approved' | 'refused';
  readonly rule?: string;
  readonly message?: string;
}

export class ApproveClaims extends Command<BatchOutcome[]> {
  constructor(
    readonly claimIds: readonly string[],
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * An approver's reviewed list, approved in one action: each claim is still its own decision
 * (own command id, own events, own checks), and one refusal does not stop the others.
 */
@CommandHandler(ApproveClaims)
export class ApproveClaimsHandler implements ICommandHandler<ApproveClaims> {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
  ) {}

  /**
   * Each person's claims are decided in the list's order, one after another, since they may draw
   * on one annual cap and the list's order says which comes first; different people's side by side.
   */
  async execute({ claimIds, context }: ApproveClaims): Promise<BatchOutcome[]> {
    requireRole(context.actor, 'decideClaims', 'approving claims');
    const claims = await Promise.all(
      claimIds.map((claimId) => this.sourcing.load(Claims.claimStreamId(claimId), claimAggregate.evolve, claimAggregate.initial)),
    );
    const byPerson = new Map<string, number[]>();
    claims.forEach(({ state }, n) => {
      const person = (state.status !== 'none' && state.facts.beneficiaryId) || `claim ${claimIds[n]}`;
      byPerson.set(person, [...(byPerson.get(person) ?? []), n]);
    });
    const outcomes: BatchOutcome[] = [];
    await forEachConcurrently([...byPerson.values()], PEOPLE_DECIDED_AT_ONCE, async (listed) => {
      for (const n of listed) outcomes[n] = await this.approve(claimIds[n], context);
    });
    return outcomes;
  }

  private async approve(claimId: string, context: CommandContext): Promise<BatchOutcome> {
    try {
      await this.commands.execute(new DecideClaim(claimId, { type: 'ApproveClaim' }, followUp(context, claimId)));
      return { claimId, outcome: 'approved' };
    } catch (error) {
      if (!(error instanceof RuleViolated || error instanceof NotFound)) throw error;
      return { claimId, outcome: 'refused', rule: RuleViolated.is(error) ? error.rule : 'NotFound', message: error.message };
    }
  }
}
