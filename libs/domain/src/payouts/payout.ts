import type { BeneficiaryGroup, RegimeCode } from '../policy/policy-version.js';
import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * Money leaving the office for one approved amount. The payout's id is derived from what it pays
 * (`payoutIdFor`: a claim, or an admission's allowance under one regime), so one approval can
 * never open two payouts, and the stream's life cycle scheduled → paid (or reversed) lets a
 * payout be paid once only.
 *
 * A negative amount is a recovery: money the payee owes back after a retroactive change. It is a
 * receivable, never "paid": owed → recovered, by refund receipts and by offsets against later
 * payouts to the same person (each recorded on both), or what is still owed written off by an
 * approver with a reason.
 */
export interface PayoutSource {
  /** An adjustment pays (or, negative, recovers) the difference a retroactive change made. */
  readonly kind: 'claim' | 'admission' | 'adjustment';
  readonly id: string;
}

export type PayoutEvent =
  | {
      readonly type: 'PayoutScheduled';
      readonly data: {
        readonly payoutId: string;
        readonly source: PayoutSource;
        readonly regimeId: string;
        readonly regimeCode: RegimeCode;
        /** Whom it pays: a beneficiary, or a staff member for staff allowances. */
        readonly beneficiaryId?: string;
        readonly payee: string;
        readonly group?: BeneficiaryGroup;
        /** Negative for a recovery: money the payee owes back after a retroactive change. */
        readonly amount: number;
        readonly serviceDate: string;
        readonly policyVersionId: string;
        /** The annual ledger the approval reserved on: paying consumes the reservation, reversing releases it. */
        readonly annualLedgerStreamId?: string;
      };
    }
  | {
      readonly type: 'PayoutPaid';
      readonly data: {
        readonly reference: string;
        readonly paidOn: string;
        readonly by: string;
        /** Recoveries owed by the same person taken out of this payment (schema 2): the cash paid is the amount less these. */
        readonly offsets?: readonly Offset[];
      };
    }
  | { readonly type: 'PayoutReversed'; readonly data: { readonly reason: string; readonly on: string; readonly by: string } }
  | {
      readonly type: 'RecoveryRefunded';
      readonly data: { readonly reference: string; readonly receivedOn: string; readonly amount: number; readonly by: string };
    }
  | { readonly type: 'RecoveryOffset'; readonly data: { readonly againstPayoutId: string; readonly amount: number; readonly on: string; readonly by: string } }
  | { readonly type: 'RecoveryWrittenOff'; readonly data: { readonly amount: number; readonly reason: string; readonly on: string; readonly by: string } };

/** Part of a recovery settled out of a payment to the same person. */
export interface Offset {
  readonly recoveryPayoutId: string;
  readonly amount: number;
}

type EventData<Type extends PayoutEvent['type']> = Extract<PayoutEvent, { type: Type }>['data'];

export type PayoutCommand =
  | { readonly type: 'SchedulePayout'; readonly data: EventData<'PayoutScheduled'> }
  | { readonly type: 'PayPayout'; readonly data: EventData<'PayoutPaid'> }
  | { readonly type: 'ReversePayout'; readonly data: EventData<'PayoutReversed'> }
  | { readonly type: 'RecordRefund'; readonly data: EventData<'RecoveryRefunded'> }
  | { readonly type: 'OffsetRecovery'; readonly data: EventData<'RecoveryOffset'> }
  | { readonly type: 'WriteOffRecovery'; readonly data: Omit<EventData<'RecoveryWrittenOff'>, 'amount'> };

/** A recovery's account: what is still owed, what came back, what was written off (all positive VND). */
export interface Receivable {
  readonly owed: number;
  readonly recovered: number;
  readonly writtenOff: number;
}

export type Payout =
  | { readonly status: 'none' }
  | {
      /** A recovery is owed until nothing is: then recovered, or written off when an approver gave up the rest. */
      readonly status: 'scheduled' | 'paid' | 'reversed' | 'owed' | 'recovered' | 'written-off';
      readonly scheduled: EventData<'PayoutScheduled'>;
      readonly paid?: { readonly reference: string; readonly paidOn: string; readonly offsets: readonly Offset[] };
      readonly reversedOn?: string;
      readonly receivable?: Receivable;
    };

export const initialPayout: Payout = { status: 'none' };

export type PayoutRule =
  | 'NotScheduled'
  | 'AlreadyScheduled'
  | 'AlreadyPaid'
  | 'Reversed'
  | 'PaidBeforeService'
  | 'InvalidInput'
  | 'RecoveryIsNotPaid'
  | 'NotARecovery'
  | 'NothingOwed'
  | 'MoreThanOwed'
  | 'OffsetsExceedPayment'
  | 'AlreadyCollected';

export function isRecovery(scheduled: Pick<EventData<'PayoutScheduled'>, 'amount'>): boolean {
  return scheduled.amount < 0;
}

/** A recovery's account after `amount` more came back (`recovered`) or was given up (`writtenOff`). */
function settled(
  receivable: Receivable,
  change: { recovered?: number; writtenOff?: number },
): { status: 'owed' | 'recovered' | 'written-off'; receivable: Receivable } {
  const recovered = receivable.recovered + (change.recovered ?? 0);
  const writtenOff = receivable.writtenOff + (change.writtenOff ?? 0);
  const owed = receivable.owed - (change.recovered ?? 0) - (change.writtenOff ?? 0);
  return { status: owed > 0 ? 'owed' : writtenOff > 0 ? 'written-off' : 'recovered', receivable: { owed, recovered, writtenOff } };
}

/**
 * A claim's payout, or an admission's under one regime. A stay's meals are paid per calendar year:
 * the discharge year's under the regime's id, a year before it (`earlierYear`) under its own.
 */
export function payoutIdFor(source: PayoutSource, regimeId: string, earlierYear?: number): string {
  if (source.kind !== 'admission') return `${source.kind}-${source.id}`;
  return earlierYear === undefined ? `admission-${source.id}-${regimeId}` : `admission-${source.id}-${regimeId}-${earlierYear}`;
}

export function payoutStreamId(payoutId: string): string {
  return `payout-${payoutId}`;
}

export function evolve(state: Payout, event: PayoutEvent): Payout {
  switch (event.type) {
    case 'PayoutScheduled':
      return isRecovery(event.data)
        ? { status: 'owed', scheduled: event.data, receivable: { owed: -event.data.amount, recovered: 0, writtenOff: 0 } }
        : { status: 'scheduled', scheduled: event.data };
    case 'PayoutPaid':
      // A recovery "paid" before receivables existed was collected in full.
      if (state.status !== 'none' && state.receivable) return { ...state, ...settled(state.receivable, { recovered: state.receivable.owed }) };
      return state.status === 'none'
        ? state
        : { ...state, status: 'paid', paid: { reference: event.data.reference, paidOn: event.data.paidOn, offsets: event.data.offsets ?? [] } };
    case 'PayoutReversed':
      return state.status === 'none' ? state : { ...state, status: 'reversed', reversedOn: event.data.on };
    case 'RecoveryRefunded':
    case 'RecoveryOffset':
      return state.status === 'none' || !state.receivable ? state : { ...state, ...settled(state.receivable, { recovered: event.data.amount }) };
    case 'RecoveryWrittenOff':
      return state.status === 'none' || !state.receivable ? state : { ...state, ...settled(state.receivable, { writtenOff: event.data.amount }) };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decide(command: PayoutCommand, state: Payout): PayoutEvent[] {
  if (command.type === 'SchedulePayout') {
    if (state.status !== 'none') {
      if (state.scheduled.amount === command.data.amount) return [];
      throw new RuleViolated<PayoutRule>('AlreadyScheduled', `payout ${state.scheduled.payoutId} is already scheduled for ${state.scheduled.amount} VND`);
    }
    const recovery = command.data.source.kind === 'adjustment' && command.data.amount < 0;
    if (!Number.isSafeInteger(command.data.amount) || (command.data.amount <= 0 && !recovery)) {
      throw new RuleViolated<PayoutRule>(
        'InvalidInput',
        'amount must be a positive whole number of VND (negative only for an adjustment that recovers money)',
        'amount',
      );
    }
    return [{ type: 'PayoutScheduled', data: command.data }];
  }
  if (state.status === 'none') throw new RuleViolated<PayoutRule>('NotScheduled', 'no such payout');
  if (state.status === 'reversed') throw new RuleViolated<PayoutRule>('Reversed', `payout ${state.scheduled.payoutId} was reversed on ${state.reversedOn}`);
  requireText(command.data.by, 'by');
  const { payoutId } = state.scheduled;

  switch (command.type) {
    case 'PayPayout': {
      const { reference, paidOn } = command.data;
      if (state.receivable) {
        throw new RuleViolated<PayoutRule>(
          'RecoveryIsNotPaid',
          `payout ${payoutId} is a recovery of ${-state.scheduled.amount} VND: it is collected (refund receipt or offset against a later payout) or written off, never paid`,
        );
      }
      if (state.paid) {
        if (state.paid.reference === reference) return [];
        throw new RuleViolated<PayoutRule>(
          'AlreadyPaid',
          `payout ${payoutId} was already paid on ${state.paid.paidOn} under reference ${state.paid.reference}`,
        );
      }
      requireText(reference, 'reference');
      requireDate(paidOn, 'paidOn');
      if (paidOn < state.scheduled.serviceDate) {
        throw new RuleViolated<PayoutRule>('PaidBeforeService', `paidOn ${paidOn} is before the service date ${state.scheduled.serviceDate}`, 'paidOn');
      }
      const offsets = command.data.offsets ?? [];
      const offset = offsets.reduce((sum, taken) => sum + taken.amount, 0);
      if (offsets.some((taken) => !Number.isSafeInteger(taken.amount) || taken.amount <= 0) || offset > state.scheduled.amount) {
        throw new RuleViolated<PayoutRule>(
          'OffsetsExceedPayment',
          `offsets of ${offset} VND cannot be taken out of payout ${payoutId} of ${state.scheduled.amount} VND`,
          'offsets',
        );
      }
      return [{ type: 'PayoutPaid', data: { reference, paidOn, by: command.data.by, ...(offsets.length > 0 ? { offsets } : {}) } }];
    }
    case 'ReversePayout':
      requireText(command.data.reason, 'reason');
      requireDate(command.data.on, 'on');
      if (state.receivable && state.receivable.owed < -state.scheduled.amount) {
        throw new RuleViolated<PayoutRule>(
          'AlreadyCollected',
          `recovery ${payoutId} was already partly recovered or written off; it can no longer be reversed`,
        );
      }
      return [{ type: 'PayoutReversed', data: command.data }];
    case 'RecordRefund':
      owedOn(state, command.data.amount, 'amount');
      requireText(command.data.reference, 'reference');
      requireDate(command.data.receivedOn, 'receivedOn');
      return [{ type: 'RecoveryRefunded', data: command.data }];
    case 'OffsetRecovery':
      owedOn(state, command.data.amount, 'amount');
      requireText(command.data.againstPayoutId, 'againstPayoutId');
      requireDate(command.data.on, 'on');
      return [{ type: 'RecoveryOffset', data: command.data }];
    case 'WriteOffRecovery': {
      requireText(command.data.reason, 'reason');
      requireDate(command.data.on, 'on');
      const owed = owedOn(state, undefined, 'payoutId');
      return [{ type: 'RecoveryWrittenOff', data: { ...command.data, amount: owed } }];
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

/** What a recovery still owes, refusing a payout that is no recovery, one owing nothing, or an amount past what is owed. */
function owedOn(state: Extract<Payout, { scheduled: unknown }>, amount: number | undefined, field: string): number {
  const { payoutId } = state.scheduled;
  if (!state.receivable)
    throw new RuleViolated<PayoutRule>('NotARecovery', `payout ${payoutId} pays money out; only a recovery is refunded, offset or written off`, 'payoutId');
  if (state.receivable.owed === 0) throw new RuleViolated<PayoutRule>('NothingOwed', `recovery ${payoutId} owes nothing more (${state.status})`, field);
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0)) {
    throw new RuleViolated<PayoutRule>('InvalidInput', 'amount must be a positive whole number of VND', field);
  }
  if (amount !== undefined && amount > state.receivable.owed) {
    throw new RuleViolated<PayoutRule>('MoreThanOwed', `recovery ${payoutId} owes ${state.receivable.owed} VND; ${amount} VND is more`, field);
  }
  return state.receivable.owed;
}
