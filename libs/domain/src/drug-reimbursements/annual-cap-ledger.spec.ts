import { deciderSpec } from '../testing/decider.fixture.js';
import { type AnnualCapEvent, annualCapStreamId, decide, evolve, initialAnnualCapLedger, remainingCap } from './annual-cap-ledger.js';

const spec = deciderSpec({ decide, evolve, initialState: initialAnnualCapLedger });
const CAP = 30000000;
const reserved = (requestId: string, amount: number, overCap = 0): AnnualCapEvent => ({ type: 'CapReserved', data: { requestId, amount, cap: CAP, overCap } });

describe('annual cap ledger (regime g)', () => {
  it('reserves within the cap, and refuses what would exceed it unless granted as an exception', () => {
    spec.given([]).when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 12000000, cap: CAP, overCapAllowed: false } }).then([reserved('r1', 12000000)]);
    spec.given([reserved('r1', 25000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r2', amount: 6000000, cap: CAP, overCapAllowed: false } })
      .thenThrows({ rule: 'AnnualCapExceeded', field: 'amount', message: '6000000 VND exceeds the 5000000 VND left of the 30000000 VND annual cap' });
    spec.given([reserved('r1', 25000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r2', amount: 6000000, cap: CAP, overCapAllowed: true } })
      .then([reserved('r2', 6000000, 1000000)]);
  });

  it('consumes a reservation when paid and releases it when rejected, giving the cap back', () => {
    const paid: AnnualCapEvent = { type: 'CapConsumed', data: { requestId: 'r1', amount: 12000000 } };
    spec.given([reserved('r1', 12000000)]).when({ type: 'ConsumeCap', data: { requestId: 'r1' } }).then([paid]);
    spec.given([reserved('r1', 12000000), paid]).when({ type: 'ConsumeCap', data: { requestId: 'r1' } }).then([]);
    spec.given([reserved('r1', 12000000)]).when({ type: 'ReleaseCap', data: { requestId: 'r1' } }).then([{ type: 'CapReleased', data: { requestId: 'r1', amount: 12000000 } }]);
    spec.given([]).when({ type: 'ConsumeCap', data: { requestId: 'r9' } }).thenThrows({ rule: 'NotReserved' });

    const ledger = [reserved('r1', 12000000), reserved('r2', 8000000), paid, { type: 'CapReleased', data: { requestId: 'r2', amount: 8000000 } } as AnnualCapEvent]
      .reduce(evolve, initialAnnualCapLedger);
    expect(ledger.used).toBe(12000000);
    expect(remainingCap(ledger, CAP)).toBe(18000000);
  });

  it('treats a repeated reservation of the same request as done, and refuses a different amount for it', () => {
    spec.given([reserved('r1', 12000000)]).when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 12000000, cap: CAP, overCapAllowed: false } }).then([]);
    spec.given([reserved('r1', 12000000)]).when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 13000000, cap: CAP, overCapAllowed: false } }).thenThrows({ rule: 'AlreadyReserved' });
    spec.given([]).when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 0, cap: CAP, overCapAllowed: false } }).thenThrows({ rule: 'InvalidInput', field: 'amount' });
  });

  it('keeps one stream per beneficiary, regime and year', () => {
    expect(annualCapStreamId('b-001', 'g', 2025)).toBe('annualcap-b-001-g-2025');
  });
});
