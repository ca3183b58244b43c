import { deciderSpec } from '../testing/decider.fixture.js';
import {
  decide,
  evolve,
  initialServiceIndex,
  type ServiceIndex,
  type ServiceIndexCommand,
  type ServiceIndexEvent,
  serviceIndexStreamId,
} from './service-index.js';

const index = deciderSpec<ServiceIndexCommand, ServiceIndexEvent, ServiceIndex>({ decide, evolve, initialState: initialServiceIndex });
const stay = { admissionId: 'adm-1', admittedOn: '2025-06-29' };
const claim = { claimId: 'cl-1', regimeId: 'i', serviceDate: '2025-09-15', amount: 2500000 };

describe("a beneficiary's service index", () => {
  it('is one stream per beneficiary', () => {
    expect(serviceIndexStreamId('b-001')).toBe('services-b-001');
  });

  it('lists each stay and claim once: listing again (a retried command) records nothing', () => {
    index
      .given([])
      .when({ type: 'ListStay', data: stay })
      .then([{ type: 'StayListed', data: stay }]);
    index
      .given([{ type: 'StayListed', data: stay }])
      .when({ type: 'ListStay', data: stay })
      .then([]);
    index
      .given([{ type: 'StayListed', data: stay }])
      .when({ type: 'ListClaim', data: claim })
      .then([{ type: 'ClaimListed', data: claim }]);
    index
      .given([{ type: 'ClaimListed', data: claim }])
      .when({ type: 'ListClaim', data: claim })
      .then([]);
  });

  it('keeps what it listed, in order', () => {
    const later = { admissionId: 'adm-2', admittedOn: '2025-08-01' };
    const events: ServiceIndexEvent[] = [
      { type: 'StayListed', data: stay },
      { type: 'ClaimListed', data: claim },
      { type: 'StayListed', data: later },
    ];
    const state = events.reduce(evolve, initialServiceIndex);
    expect(state).toEqual({ stays: [stay, later], claims: [claim] });
  });

  it('refuses a listing without its id', () => {
    index
      .given([])
      .when({ type: 'ListStay', data: { ...stay, admissionId: '' } })
      .thenThrows({ rule: 'InvalidInput', field: 'admissionId' });
  });
});
