import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AnnualCapLedger, type BeneficiaryGroup, Payouts, type RegimeCode } from '#domain';
import { type CommandContext, EventSourcing, NotFound, requireRole } from '../event-sourcing.js';

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
    await this.sourcing.decideOn(Payouts.payoutStreamId(payout.payoutId), payoutAggregate, (current) => Payouts.decide({ type: 'SchedulePayout', data: payout }, current), context);
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
      | { readonly type: 'PayPayout'; readonly data: { readonly reference: string; readonly paidOn: string } }
      | { readonly type: 'ReversePayout'; readonly data: { readonly reason: string; readonly on: string } },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Finance pays or reverses a payout. A payout counted against an annual cap then consumes its
 * reservation (paid) or gives it back (reversed) on the annual ledger.
 */
@CommandHandler(SettlePayout)
export class SettlePayoutHandler implements ICommandHandler<SettlePayout> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ payoutId, command, context }: SettlePayout): Promise<Payouts.Payout> {
    requireRole(context.actor, 'settlePayouts', command.type === 'PayPayout' ? 'paying a payout' : 'reversing a payout');
    const by = context.actor.username;
    const streamId = Payouts.payoutStreamId(payoutId);
    await this.settleLedger((await this.sourcing.load(streamId, payoutAggregate.evolve, payoutAggregate.initial)).state, { ...context, commandId: `${context.commandId}-before` });
    const { state } = await this.sourcing.decideOn(
      streamId,
      payoutAggregate,
      (current) => {
        if (current.status === 'none') throw new NotFound(`no payout ${payoutId}`);
        return Payouts.decide({ type: command.type, data: { ...command.data, by } } as Payouts.PayoutCommand, current);
      },
      context,
    );
    await this.settleLedger(state, context);
    return state;
  }

  /**
   * The annual ledger follows the payout: paid consumes the reservation, reversed gives it back.
   * Done from the payout's state, before and after each command, so that an interrupted
   * settlement is finished by the next command on the payout, whichever it is.
   */
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
      { ...context, commandId: `${context.commandId}-ledger` },
    );
  }
}
