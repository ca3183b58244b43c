import type { ListedClaim } from '../claims/claim.js';
import { requireText } from '../rule-violated.js';

/**
 * The stays and claims recorded for one beneficiary, listed in a stream of their own
 * (`serviceIndexStreamId`), so that a stay or claim recorded twice is refused from the log
 * itself, as national ids and card numbers are. Each admission and claim is listed here, on the
 * revision its decision read, before its own stream is written: two clerks recording for the same
 * beneficiary at once append to this one stream, so the second fails its expected revision, runs
 * again and meets the first. A read model lags behind the log and would let both through; the
 * beneficiary's own stream would make every claim race every change to the register. Only what
 * never changes is listed (a stay's id and admission date, a claim's key): a stay's current dates
 * are read from its own stream.
 */
export interface ListedStay {
  readonly admissionId: string;
  readonly admittedOn: string;
}

export type ServiceIndexEvent = { readonly type: 'StayListed'; readonly data: ListedStay } | { readonly type: 'ClaimListed'; readonly data: ListedClaim };

export type ServiceIndexCommand = { readonly type: 'ListStay'; readonly data: ListedStay } | { readonly type: 'ListClaim'; readonly data: ListedClaim };

export interface ServiceIndex {
  readonly stays: readonly ListedStay[];
  readonly claims: readonly ListedClaim[];
}

export const initialServiceIndex: ServiceIndex = { stays: [], claims: [] };

export function serviceIndexStreamId(beneficiaryId: string): string {
  return `services-${beneficiaryId}`;
}

export function evolve(state: ServiceIndex, event: ServiceIndexEvent): ServiceIndex {
  switch (event.type) {
    case 'StayListed':
      return { ...state, stays: [...state.stays, event.data] };
    case 'ClaimListed':
      return { ...state, claims: [...state.claims, event.data] };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Lists a stay or claim once: listing it again (a retried command) records nothing. */
export function decide(command: ServiceIndexCommand, state: ServiceIndex): ServiceIndexEvent[] {
  switch (command.type) {
    case 'ListStay':
      requireText(command.data.admissionId, 'admissionId');
      return state.stays.some((stay) => stay.admissionId === command.data.admissionId) ? [] : [{ type: 'StayListed', data: command.data }];
    case 'ListClaim':
      requireText(command.data.claimId, 'claimId');
      return state.claims.some((claim) => claim.claimId === command.data.claimId) ? [] : [{ type: 'ClaimListed', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
