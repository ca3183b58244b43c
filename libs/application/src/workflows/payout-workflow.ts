import { Inject, Injectable } from '@nestjs/common';
import type { StoredEvent } from '#event-store/port';
import { Admissions, AnnualCapLedger, Claims, Payouts } from '#domain';
import { admissionAggregate } from '../admissions/admission-commands.js';
import { annualLedgerStreamId, claimAggregate } from '../claims/claim-commands.js';
import { type CommandContext, EventSourcing, followUp, type Role } from '../event-sourcing.js';
import { ledgerAggregate, payoutAggregate, PayoutScheduler } from '../payouts/payout-commands.js';
import { PolicyVersions } from '../policies/policy-catalog.js';

/**
 * What approvals and payments ask of other aggregates: a claim's approval holds exactly its amount
 * on the annual ledger and schedules its payout, a rejection holds nothing; a stay's approval
 * schedules its allowances' payouts; approved adjustments schedule theirs; a payment consumes the
 * claim's reservation and a reversal gives it back. Each is done from the aggregate's state now,
 * so reacting twice to one event, or to an event whose aggregate has moved on, changes nothing
 * more. Run by a checkpointed reactor over the log (see `Reactor`), never by the next command.
 */
@Injectable()
export class PayoutWorkflow {
  readonly name = 'payouts';
  readonly eventTypes = ['ClaimApproved', 'ClaimRejected', 'AdjustmentsApproved', 'AdmissionAllowancesApproved', 'PayoutPaid', 'PayoutReversed'] as const;

  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(PayoutScheduler) private readonly payouts: PayoutScheduler,
  ) {}

  async react(event: StoredEvent): Promise<void> {
    const context = reactionContext(event);
    if (event.streamId.startsWith(Claims.claimStreamId(''))) {
      const { state } = await this.sourcing.load(event.streamId, claimAggregate.evolve, claimAggregate.initial);
      if (state.status === 'none') return;
      if (event.type === 'AdjustmentsApproved') {
        const { regimeId, beneficiaryId, staff } = state.facts;
        await this.payouts.scheduleAdjustments(
          state.adjustments ?? [],
          { regimeId, ...(beneficiaryId ? { beneficiaryId } : {}), payee: beneficiaryId ?? staff!.name },
          context,
        );
      } else {
        await this.completeDecision(state, context);
      }
    } else if (event.streamId.startsWith(Admissions.admissionStreamId(''))) {
      const { state } = await this.sourcing.load(event.streamId, admissionAggregate.evolve, admissionAggregate.initial);
      if (state.status === 'approved') await this.scheduleAllowances(state, context);
    } else if (event.streamId.startsWith(Payouts.payoutStreamId(''))) {
      const { state } = await this.sourcing.load(event.streamId, payoutAggregate.evolve, payoutAggregate.initial);
      await this.settleLedger(state, context);
    }
  }

  private async completeDecision(claim: Exclude<Claims.Claim, { status: 'none' }>, context: CommandContext): Promise<void> {
    if (claim.status === 'rejected' || (claim.status === 'approved' && claim.approval!.limit)) {
      const approval = claim.status === 'approved' ? claim.approval! : undefined;
      if (approval && (await this.payouts.exists(Payouts.payoutIdFor({ kind: 'claim', id: claim.facts.claimId }, claim.facts.regimeId)))) return;
      await this.sourcing.decideOn(
        annualLedgerStreamId(claim.facts),
        ledgerAggregate,
        (ledger) =>
          approval
            ? AnnualCapLedger.decide(
                { type: 'ReserveCap', data: { requestId: claim.facts.claimId, amount: approval.amount, ...approval.limit, overCapAllowed: true } },
                ledger,
              )
            : AnnualCapLedger.decide({ type: 'ReleaseCap', data: { requestId: claim.facts.claimId } }, ledger),
        followUp(context, 'ledger'),
      );
    }
    if (claim.status === 'approved') await this.scheduleClaimPayout(claim, context);
  }

  private async scheduleClaimPayout(claim: Exclude<Claims.Claim, { status: 'none' }>, context: CommandContext): Promise<void> {
    const facts = claim.facts;
    // An approved claim carries its approval (set by the same event).
    const approval = claim.approval!;
    const source = { kind: 'claim', id: facts.claimId } as const;
    const policy = (await this.policies.officials()).find((version) => version.id === approval.policyVersionId);
    const regimeCode = policy?.regimes.find((regime) => regime.id === facts.regimeId)?.code;
    if (!regimeCode) throw new Error(`claim ${facts.claimId} cites regime ${facts.regimeId} of ${approval.policyVersionId}, which is not in the catalog`);
    await this.payouts.schedule(
      {
        payoutId: Payouts.payoutIdFor(source, facts.regimeId),
        source,
        regimeId: facts.regimeId,
        regimeCode,
        ...(facts.beneficiaryId ? { beneficiaryId: facts.beneficiaryId } : {}),
        payee: facts.beneficiaryId ?? facts.staff!.name,
        ...(approval.group ? { group: approval.group } : {}),
        amount: approval.amount,
        serviceDate: facts.serviceDate,
        policyVersionId: approval.policyVersionId,
        ...(approval.limit ? { annualLedgerStreamId: annualLedgerStreamId(facts) } : {}),
      },
      context,
    );
  }

  /**
   * Each approved allowance becomes a payout of its own regime, the meals one per calendar year
   * (`Admissions.mealYears`), each approved adjustment one more.
   */
  private async scheduleAllowances(admission: Exclude<Admissions.Admission, { status: 'none' }>, context: CommandContext): Promise<void> {
    for (const regimeId of ['a', 'b'] as const) {
      const adjustments = admission.adjustments.filter((adjustment) => adjustment.regimeId === regimeId);
      await this.payouts.scheduleAdjustments(adjustments, { regimeId, beneficiaryId: admission.beneficiaryId, payee: admission.beneficiaryId }, context);
    }
    const source = { kind: 'admission', id: admission.admissionId } as const;
    const { visit, meals } = admission.approved ?? {};
    const allowances = [
      ...(visit
        ? [
            {
              regimeId: 'a',
              regimeCode: 'a' as const,
              group: visit.group,
              amount: visit.amount,
              serviceDate: visit.serviceDate,
              policyVersionId: visit.policyVersionId,
              payoutId: Payouts.payoutIdFor(source, 'a'),
            },
          ]
        : []),
      ...Admissions.mealYears({ ...admission, meals }).map((part) => ({
        regimeId: 'b',
        regimeCode: 'b' as const,
        group: part.segments[0].group,
        amount: part.amount,
        serviceDate: part.serviceDate,
        policyVersionId: part.segments[0].policyVersionId,
        payoutId: part.payoutId,
      })),
    ];
    // Nothing owed is nothing to pay: a group the policy gives 0 VND (a visit allowance set to 0) has no payout.
    for (const allowance of allowances.filter((allowance) => allowance.amount > 0)) {
      await this.payouts.schedule({ ...allowance, source, beneficiaryId: admission.beneficiaryId, payee: admission.beneficiaryId }, context);
    }
  }

  /** The annual ledger follows the payout: paid consumes the reservation, reversed gives it back. */
  private async settleLedger(payout: Payouts.Payout, context: CommandContext): Promise<void> {
    if (payout.status === 'none' || payout.status === 'scheduled' || !payout.scheduled.annualLedgerStreamId) return;
    const requestId = payout.scheduled.source.id;
    await this.sourcing.decideOn(
      payout.scheduled.annualLedgerStreamId,
      ledgerAggregate,
      (ledger) => {
        if (payout.status === 'reversed') return AnnualCapLedger.decide({ type: 'ReleaseCap', data: { requestId } }, ledger);
        return ledger.reserved[requestId] === undefined ? [] : AnnualCapLedger.decide({ type: 'ConsumeCap', data: { requestId } }, ledger);
      },
      followUp(context, 'ledger'),
    );
  }
}

/**
 * A reaction acts in the user action of the event it reacts to: on behalf of its actor, under
 * its command id (a follow-up writes to other streams, where the id is its own), caused by it.
 */
function reactionContext(event: StoredEvent): CommandContext {
  const { actor, roles, commandId, correlationId, requestFingerprint } = event.metadata;
  const id = commandId ?? event.eventId;
  return {
    actor: { username: actor, roles: Array.isArray(roles) ? (roles as Role[]) : [] },
    commandId: id,
    correlationId: correlationId ?? id,
    causationId: event.eventId,
    ...(typeof requestFingerprint === 'string' ? { requestFingerprint } : {}),
  };
}
