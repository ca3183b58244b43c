import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AnnualCapLedger, Payouts } from '#domain';
import { type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';

export const payoutAggregate = { evolve: Payouts.evolve, initial: Payouts.initialPayout };
export const ledgerAggregate = { evolve: AnnualCapLedger.evolve, initial: AnnualCapLedger.initialAnnualCapLedger };

type Scheduled = Extract<Payouts.PayoutCommand, { type: 'SchedulePayout' }>['data'];

/** Opens the payout of an approved amount; its id comes from what it pays, so a second call changes nothing. */
@Injectable()
export class PayoutScheduler {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async schedule(payout: Scheduled, context: CommandContext): Promise<void> {
    await this.sourcing.decideOn(Payouts.payoutStreamId(payout.payoutId), payoutAggregate, (current) => Payouts.decide({ type: 'SchedulePayout', data: payout }, current), context);
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
    const { state } = await this.sourcing.decideOn(
      Payouts.payoutStreamId(payoutId),
      payoutAggregate,
      (current) => Payouts.decide({ type: command.type, data: { ...command.data, by } } as Payouts.PayoutCommand, current),
      context,
    );
    if (state.status !== 'none' && state.scheduled.annualLedgerStreamId) {
      const requestId = state.scheduled.source.id;
      const ledgerCommand: AnnualCapLedger.AnnualCapCommand =
        state.status === 'reversed' ? { type: 'ReleaseCap', data: { requestId } } : { type: 'ConsumeCap', data: { requestId } };
      await this.sourcing.decideOn(state.scheduled.annualLedgerStreamId, ledgerAggregate, (ledger) => AnnualCapLedger.decide(ledgerCommand, ledger), context);
    }
    return state;
  }
}
