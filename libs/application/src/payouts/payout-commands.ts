import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AnnualCapLedger, type BeneficiaryGroup, Payouts, type RegimeCode, requireNotAfterToday, RuleViolated } from '#domain';
import { todayInVietnam } from '../today.js';
import { type CommandContext, EventSourcing, NotFound, requireRole } from '../event-sourcing.js';
import { FOLLOW_UPS, type FollowUps } from '../workflows/follow-ups.js';

export const payoutAggregate = { evolve: Payouts.evolve, initial: Payouts.initialPayout };
export const ledgerAggregate = { evolve: AnnualCapLedger.evolve, initial: AnnualCapLedger.initialAnnualCapLedger };

type Scheduled = Extract<Payouts.PayoutCommand, { type: 'SchedulePayout' }>['data'];

/** Opens the payout of an approved amount; its id comes from what it pays, so a second call changes nothing. */
@Injectable()
export class PayoutScheduler {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async exists(payoutId: string): Promise<boolean> {
    return (await this.sourcing.load(Payouts.payoutStreamId(payoutId), payoutAggregate.evolve, payoutAggregate.initial)).state.status !== 'none';
  }

  async schedule(payout: Scheduled, context: CommandContext): Promise<void> {
    await this.sourcing.decideOn(
      Payouts.payoutStreamId(payout.payoutId),
      payoutAggregate,
      (current) => Payouts.decide({ type: 'SchedulePayout', data: payout }, current),
      context,
    );
  }

  /**
   * The payout (or, negative, the recovery) of each approved adjustment of a stay or claim that
   * moves money; an adjustment that only moved the amount to another group pays nothing.
   */
  async scheduleAdjustments(
    adjustments: readonly {
      readonly adjustmentId: string;
      readonly approvedBy?: string;
      readonly difference: number;
      readonly serviceDate: string;
      readonly previous: { readonly group?: BeneficiaryGroup };
      readonly next: { readonly group?: BeneficiaryGroup; readonly policyVersionId: string };
    }[],
    paid: { readonly regimeId: string; readonly beneficiaryId?: string; readonly payee: string },
    context: CommandContext,
  ): Promise<void> {
    for (const adjustment of adjustments) {
      if (!adjustment.approvedBy || adjustment.difference === 0) continue;
      const source = { kind: 'adjustment', id: adjustment.adjustmentId } as const;
      const group = adjustment.next.group ?? adjustment.previous.group;
      await this.schedule(
        {
          payoutId: Payouts.payoutIdFor(source, paid.regimeId),
          source,
          regimeId: paid.regimeId,
          regimeCode: paid.regimeId.split('.')[0] as RegimeCode,
          ...(paid.beneficiaryId ? { beneficiaryId: paid.beneficiaryId } : {}),
          payee: paid.payee,
          ...(group ? { group } : {}),
          amount: adjustment.difference,
          serviceDate: adjustment.serviceDate,
          policyVersionId: adjustment.next.policyVersionId,
        },
        context,
      );
    }
  }
}

export class SettlePayout extends Command<Payouts.Payout> {
  constructor(
    readonly payoutId: string,
    readonly command:
      | {
          readonly type: 'PayPayout';
          /** `offsets`: recoveries the same person owes, taken out of this payment as far as it goes, in the order given. */
          readonly data: { readonly reference: string; readonly paidOn: string; readonly offsets?: readonly string[] };
        }
      | { readonly type: 'ReversePayout'; readonly data: { readonly reason: string; readonly on: string } },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Finance pays or reverses a payout. A payout counted against an annual cap then consumes its
 * reservation (paid) or gives it back (reversed) on the annual ledger, through the payout
 * workflow (see `PayoutWorkflow`). A payment that offsets
 * recoveries records the offset on each recovery and the payment in one write.
 */
@CommandHandler(SettlePayout)
export class SettlePayoutHandler implements ICommandHandler<SettlePayout> {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(FOLLOW_UPS) private readonly followUps: FollowUps,
  ) {}

  async execute({ payoutId, command, context }: SettlePayout): Promise<Payouts.Payout> {
    requireRole(context.actor, 'settlePayouts', command.type === 'PayPayout' ? 'paying a payout' : 'reversing a payout');
    const by = context.actor.username;
    const streamId = Payouts.payoutStreamId(payoutId);
    const state = await this.sourcing.retrying(async () => {
      const payout = await this.sourcing.load(streamId, payoutAggregate.evolve, payoutAggregate.initial, context);
      if (payout.state.status === 'none') throw new NotFound(`no payout ${payoutId}`);
      if (payout.alreadyHandled) return payout.state;
      if (command.type === 'ReversePayout') {
        const events = Payouts.decide({ type: 'ReversePayout', data: { ...command.data, by } }, payout.state);
        await this.sourcing.append(payout, events, context);
        return events.reduce(Payouts.evolve, payout.state);
      }
      const { offsets: recoveryIds = [], ...payment } = command.data;
      const offsets = await this.offsetsFor(payout.state, [...new Set(recoveryIds)], { on: payment.paidOn, by, context });
      const events = Payouts.decide({ type: 'PayPayout', data: { ...payment, by, offsets: offsets.map((offset) => offset.taken) } }, payout.state);
      // The recoveries come first: on a backend that appends them in order, it is their "still owed" check that guards the offset.
      await this.sourcing.appendTogether([...offsets.map((offset) => offset.write), { loaded: payout, events, commandId: context.commandId }], context);
      return events.reduce(Payouts.evolve, payout.state);
    });
    await this.followUps.settle();
    return state;
  }

  /** What each named recovery gives up to this payment, as far as the payment goes, and the offset each then records. */
  private async offsetsFor(
    paying: Exclude<Payouts.Payout, { status: 'none' }>,
    recoveryIds: readonly string[],
    at: { readonly on: string; readonly by: string; readonly context: CommandContext },
  ) {
    let left = paying.scheduled.amount;
    const offsets = [];
    for (const recoveryPayoutId of recoveryIds) {
      const recovery = await this.sourcing.load(Payouts.payoutStreamId(recoveryPayoutId), payoutAggregate.evolve, payoutAggregate.initial);
      if (recovery.state.status === 'none') throw new NotFound(`no payout ${recoveryPayoutId}`, 'offsets');
      if (!recovery.state.receivable) throw new RuleViolated('NotARecovery', `payout ${recoveryPayoutId} is no recovery: nothing to offset`, 'offsets');
      if (!paying.scheduled.beneficiaryId || recovery.state.scheduled.beneficiaryId !== paying.scheduled.beneficiaryId) {
        throw new RuleViolated(
          'OffsetOfAnotherPerson',
          `recovery ${recoveryPayoutId} is owed by another person than payout ${paying.scheduled.payoutId} pays`,
          'offsets',
        );
      }
      if (left === 0)
        throw new RuleViolated('OffsetsExceedPayment', `payout ${paying.scheduled.payoutId} is used up before recovery ${recoveryPayoutId}`, 'offsets');
      const amount = Math.min(left, recovery.state.receivable.owed);
      const events = Payouts.decide(
        { type: 'OffsetRecovery', data: { againstPayoutId: paying.scheduled.payoutId, amount, on: at.on, by: at.by } },
        recovery.state,
      );
      left -= amount;
      offsets.push({
        taken: { recoveryPayoutId, amount },
        write: { loaded: recovery, events, commandId: `${at.context.commandId}-offset-${recoveryPayoutId}` },
      });
    }
    return offsets;
  }
}

export class CollectRecovery extends Command<Payouts.Payout> {
  constructor(
    readonly payoutId: string,
    readonly command:
      | { readonly type: 'RecordRefund'; readonly data: { readonly reference: string; readonly receivedOn: string; readonly amount?: number } }
      | { readonly type: 'WriteOffRecovery'; readonly data: { readonly reason: string } },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * What a recovery still owes comes back by a refund receipt (finance records its reference; the
 * whole rest when no amount is given) or is written off by an approver with a reason, dated today.
 */
@CommandHandler(CollectRecovery)
export class CollectRecoveryHandler implements ICommandHandler<CollectRecovery> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ payoutId, command, context }: CollectRecovery): Promise<Payouts.Payout> {
    requireRole(
      context.actor,
      command.type === 'RecordRefund' ? 'settlePayouts' : 'writeOffRecoveries',
      command.type === 'RecordRefund' ? 'recording a refund' : 'writing off a recovery',
    );
    const by = context.actor.username;
    const { state } = await this.sourcing.decideOn(
      Payouts.payoutStreamId(payoutId),
      payoutAggregate,
      (current) => {
        if (current.status === 'none') throw new NotFound(`no payout ${payoutId}`);
        if (command.type === 'WriteOffRecovery')
          return Payouts.decide({ type: 'WriteOffRecovery', data: { reason: command.data.reason, on: todayInVietnam(), by } }, current);
        const amount = command.data.amount ?? current.receivable?.owed ?? 0;
        const events = Payouts.decide(
          { type: 'RecordRefund', data: { reference: command.data.reference, receivedOn: command.data.receivedOn, amount, by } },
          current,
        );
        requireNotAfterToday(command.data.receivedOn, 'receivedOn', todayInVietnam());
        return events;
      },
      context,
    );
    return state;
  }
}
