import type { BeneficiaryGroup, RegimeCode } from '../policy/policy-version.js';
import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * Money leaving the office for one approved amount. The payout's id is derived from what it pays
 * (`payoutIdFor`: a claim, or an admission's allowance under one regime), so one approval can
 * never open two payouts, and the stream's life cycle scheduled → paid (or reversed) lets a
 * payout be paid once only.
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
  | { readonly type: 'PayoutPaid'; readonly data: { readonly reference: string; readonly paidOn: string; readonly by: string } }
  | { readonly type: 'PayoutReversed'; readonly data: { readonly reason: string; readonly on: string; readonly by: string } };

export type PayoutCommand =
  | { readonly type: 'SchedulePayout'; readonly data: Extract<PayoutEvent, { type: 'PayoutScheduled' }>['data'] }
  | { readonly type: 'PayPayout'; readonly data: { readonly reference: string; readonly paidOn: string; readonly by: string } }
  | { readonly type: 'ReversePayout'; readonly data: { readonly reason: string; readonly on: string; readonly by: string } };

export type Payout =
  | { readonly status: 'none' }
  | {
      readonly status: 'scheduled' | 'paid' | 'reversed';
      readonly scheduled: Extract<PayoutEvent, { type: 'PayoutScheduled' }>['data'];
      readonly paid?: { readonly reference: string; readonly paidOn: string };
      readonly reversedOn?: string;
    };

export const initialPayout: Payout = { status: 'none' };

export type PayoutRule = 'NotScheduled' | 'AlreadyScheduled' | 'AlreadyPaid' | 'Reversed' | 'PaidBeforeService' | 'InvalidInput';

export function payoutIdFor(source: PayoutSource, regimeId: string): string {
  return source.kind === 'admission' ? `admission-${source.id}-${regimeId}` : `${source.kind}-${source.id}`;
}

export function payoutStreamId(payoutId: string): string {
  return `payout-${payoutId}`;
}

export function evolve(state: Payout, event: PayoutEvent): Payout {
  switch (event.type) {
    case 'PayoutScheduled':
      return { status: 'scheduled', scheduled: event.data };
    case 'PayoutPaid':
      return state.status === 'none' ? state : { ...state, status: 'paid', paid: { reference: event.data.reference, paidOn: event.data.paidOn } };
    case 'PayoutReversed':
      return state.status === 'none' ? state : { ...state, status: 'reversed', reversedOn: event.data.on };
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
      throw new RuleViolated<PayoutRule>('InvalidInput', 'amount must be a positive whole number of VND (negative only for an adjustment that recovers money)', 'amount');
    }
    return [{ type: 'PayoutScheduled', data: command.data }];
  }
  if (state.status === 'none') throw new RuleViolated<PayoutRule>('NotScheduled', 'no such payout');
  if (state.status === 'reversed') throw new RuleViolated<PayoutRule>('Reversed', `payout ${state.scheduled.payoutId} was reversed on ${state.reversedOn}`);
  requireText(command.data.by, 'by');

  switch (command.type) {
    case 'PayPayout': {
      const { reference, paidOn } = command.data;
      if (state.paid) {
        if (state.paid.reference === reference) return [];
        throw new RuleViolated<PayoutRule>('AlreadyPaid', `payout ${state.scheduled.payoutId} was already paid on ${state.paid.paidOn} under reference ${state.paid.reference}`);
      }
      requireText(reference, 'reference');
      requireDate(paidOn, 'paidOn');
      if (paidOn < state.scheduled.serviceDate) {
        throw new RuleViolated<PayoutRule>('PaidBeforeService', `paidOn ${paidOn} is before the service date ${state.scheduled.serviceDate}`, 'paidOn');
      }
      return [{ type: 'PayoutPaid', data: command.data }];
    }
    case 'ReversePayout':
      requireText(command.data.reason, 'reason');
      requireDate(command.data.on, 'on');
      return [{ type: 'PayoutReversed', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
