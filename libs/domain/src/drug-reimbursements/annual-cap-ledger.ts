import { RuleViolated } from '../rule-violated.js';

/**
 * The running balance of what one beneficiary has used of one regime in one year: an amount
 * against an annual cap (special drugs, regime g) or a number of uses against a yearly limit
 * (health checks, h; convalescence, đ). Amounts are reserved when a claim is approved, consumed
 * when paid, released when the payout is reversed. One stream per beneficiary, regime and year
 * (`annualCapStreamId`) makes concurrent approvals for one person meet on the same stream, so the
 * store's optimistic concurrency keeps the cap from being overspent.
 */
export type AnnualCapEvent =
  | { readonly type: 'CapReserved'; readonly data: { readonly requestId: string; readonly amount: number; readonly cap?: number; readonly overCap: number } }
  | { readonly type: 'CapConsumed'; readonly data: { readonly requestId: string; readonly amount: number } }
  | { readonly type: 'CapReleased'; readonly data: { readonly requestId: string; readonly amount: number } };

export type AnnualCapCommand =
  /**
   * Reserve `amount` against `cap` (no money cap when absent) and one use against
   * `timesPerYear` (no limit when absent). `overCapAllowed` is set only for an approval over the
   * cap granted as an exception (with its reason and second approver recorded on the claim).
   */
  | {
      readonly type: 'ReserveCap';
      readonly data: {
        readonly requestId: string;
        readonly amount: number;
        readonly cap?: number;
        readonly timesPerYear?: number;
        readonly overCapAllowed: boolean;
      };
    }
  | { readonly type: 'ConsumeCap'; readonly data: { readonly requestId: string } }
  | { readonly type: 'ReleaseCap'; readonly data: { readonly requestId: string } };

export interface AnnualCapLedger {
  /** Reserved and not yet paid, by request. */
  readonly reserved: Readonly<Record<string, number>>;
  /** Paid, by request. */
  readonly consumed: Readonly<Record<string, number>>;
  /** Reserved plus consumed: what counts against the cap. */
  readonly used: number;
}

/** How many uses count against a yearly limit: every reservation not released. */
export function timesUsed(ledger: AnnualCapLedger): number {
  return Object.keys(ledger.reserved).length + Object.keys(ledger.consumed).length;
}

export const initialAnnualCapLedger: AnnualCapLedger = { reserved: {}, consumed: {}, used: 0 };

export type AnnualCapRule = 'AnnualCapExceeded' | 'YearlyLimitReached' | 'AlreadyReserved' | 'NotReserved' | 'InvalidInput';

export function annualCapStreamId(beneficiaryId: string, regimeId: string, year: number): string {
  return `annualcap-${beneficiaryId}-${regimeId}-${year}`;
}

/**
 * The ledger as it stands for everyone but `requestId`: a decision on a request is made against
 * what others hold, so that a retry does not count the request's own earlier reservation twice.
 */
export function excluding(ledger: AnnualCapLedger, requestId: string): AnnualCapLedger {
  const reserved = ledger.reserved[requestId];
  return reserved === undefined ? ledger : { ...ledger, reserved: without(ledger.reserved, requestId), used: ledger.used - reserved };
}

export function remainingCap(ledger: AnnualCapLedger, cap: number): number {
  return Math.max(0, cap - ledger.used);
}

/** A claim holding part of a year's cap (special drugs): when it was served, and what it stands at now. */
export interface CappedClaim {
  readonly claimId: string;
  readonly serviceDate: string;
  readonly amount: number;
}

/**
 * How much of `claim` lies beyond `cap` when the year's claims fill the cap in the order they were
 * served (the claim id breaking a tie): an order fixed by the facts, not by when each claim was
 * approved nor by which retroactive change was confirmed first. `yearClaims` may hold `claim`.
 */
export function beyondCap(claim: CappedClaim, yearClaims: readonly CappedClaim[], cap: number): number {
  const servedBefore = (other: CappedClaim) =>
    other.serviceDate < claim.serviceDate || (other.serviceDate === claim.serviceDate && other.claimId < claim.claimId);
  const before = yearClaims.filter((other) => other.claimId !== claim.claimId && servedBefore(other)).reduce((sum, other) => sum + other.amount, 0);
  return Math.min(claim.amount, Math.max(0, before + claim.amount - cap));
}

function without(record: Readonly<Record<string, number>>, key: string): Record<string, number> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export function evolve(ledger: AnnualCapLedger, event: AnnualCapEvent): AnnualCapLedger {
  const { requestId, amount } = event.data;
  switch (event.type) {
    case 'CapReserved':
      return { ...ledger, reserved: { ...ledger.reserved, [requestId]: amount }, used: ledger.used + amount };
    case 'CapConsumed':
      return { reserved: without(ledger.reserved, requestId), consumed: { ...ledger.consumed, [requestId]: amount }, used: ledger.used };
    case 'CapReleased':
      return { reserved: without(ledger.reserved, requestId), consumed: without(ledger.consumed, requestId), used: ledger.used - amount };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decide(command: AnnualCapCommand, ledger: AnnualCapLedger): AnnualCapEvent[] {
  const { requestId } = command.data;
  const reserved = ledger.reserved[requestId];
  switch (command.type) {
    case 'ReserveCap': {
      const { amount, cap, timesPerYear, overCapAllowed } = command.data;
      if (!Number.isSafeInteger(amount) || amount <= 0)
        throw new RuleViolated<AnnualCapRule>('InvalidInput', 'amount must be a positive whole number of VND', 'amount');
      if (ledger.consumed[requestId] !== undefined)
        throw new RuleViolated<AnnualCapRule>('AlreadyReserved', `request ${requestId} was already paid ${ledger.consumed[requestId]} VND of the cap`);
      if (reserved === amount) return [];
      // A request reserving another amount than it holds (an approval redone after an interruption) gives the old one back first.
      if (reserved !== undefined) {
        const release: AnnualCapEvent = { type: 'CapReleased', data: { requestId, amount: reserved } };
        return [release, ...decide(command, evolve(ledger, release))];
      }
      if (timesPerYear !== undefined && timesUsed(ledger) >= timesPerYear) {
        throw new RuleViolated<AnnualCapRule>('YearlyLimitReached', `already used ${timesUsed(ledger)} of ${timesPerYear} times this year`);
      }
      if (cap === undefined) return [{ type: 'CapReserved', data: { requestId, amount, overCap: 0 } }];
      const overCap = Math.max(0, amount - remainingCap(ledger, cap));
      if (overCap > 0 && !overCapAllowed) {
        throw new RuleViolated<AnnualCapRule>(
          'AnnualCapExceeded',
          `${amount} VND exceeds the ${remainingCap(ledger, cap)} VND left of the ${cap} VND annual cap`,
          'amount',
        );
      }
      return [{ type: 'CapReserved', data: { requestId, amount, cap, overCap } }];
    }
    case 'ConsumeCap':
      if (reserved === undefined) {
        if (ledger.consumed[requestId] !== undefined) return [];
        throw new RuleViolated<AnnualCapRule>('NotReserved', `request ${requestId} holds no reservation to pay`);
      }
      return [{ type: 'CapConsumed', data: { requestId, amount: reserved } }];
    case 'ReleaseCap': {
      const held = reserved ?? ledger.consumed[requestId];
      return held === undefined ? [] : [{ type: 'CapReleased', data: { requestId, amount: held } }];
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
