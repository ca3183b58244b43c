import { deciderSpec } from '../testing/decider.fixture.js';
import { type AnnualCapEvent, annualCapStreamId, beyondCap, decide, evolve, excluding, initialAnnualCapLedger, remainingCap } from './annual-cap-ledger.js';

const spec = deciderSpec({ decide, evolve, initialState: initialAnnualCapLedger });
const CAP = 30000000;
const reserved = (requestId: string, amount: number, overCap = 0): AnnualCapEvent => ({ type: 'CapReserved', data: { requestId, amount, cap: CAP, overCap } });

describe('annual cap ledger (regime g)', () => {
  it('reserves within the cap, and refuses what would exceed it unless granted as an exception', () => {
    spec
      .given([])
      .when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 12000000, cap: CAP, overCapAllowed: false } })
      .then([reserved('r1', 12000000)]);
    spec
      .given([reserved('r1', 25000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r2', amount: 6000000, cap: CAP, overCapAllowed: false } })
      .thenThrows({ rule: 'AnnualCapExceeded', field: 'amount', message: '6000000 VND exceeds the 5000000 VND left of the 30000000 VND annual cap' });
    spec
      .given([reserved('r1', 25000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r2', amount: 6000000, cap: CAP, overCapAllowed: true } })
      .then([reserved('r2', 6000000, 1000000)]);
  });

  it('consumes a reservation when paid and releases it when rejected, giving the cap back', () => {
    const paid: AnnualCapEvent = { type: 'CapConsumed', data: { requestId: 'r1', amount: 12000000 } };
    spec
      .given([reserved('r1', 12000000)])
      .when({ type: 'ConsumeCap', data: { requestId: 'r1' } })
      .then([paid]);
    spec
      .given([reserved('r1', 12000000), paid])
      .when({ type: 'ConsumeCap', data: { requestId: 'r1' } })
      .then([]);
    spec
      .given([reserved('r1', 12000000)])
      .when({ type: 'ReleaseCap', data: { requestId: 'r1' } })
      .then([{ type: 'CapReleased', data: { requestId: 'r1', amount: 12000000 } }]);
    spec
      .given([])
      .when({ type: 'ConsumeCap', data: { requestId: 'r9' } })
      .thenThrows({ rule: 'NotReserved' });

    const ledger = [
      reserved('r1', 12000000),
      reserved('r2', 8000000),
      paid,
      { type: 'CapReleased', data: { requestId: 'r2', amount: 8000000 } } as AnnualCapEvent,
    ].reduce(evolve, initialAnnualCapLedger);
    expect(ledger.used).toBe(12000000);
    expect(remainingCap(ledger, CAP)).toBe(18000000);
  });

  it('treats a repeated reservation of the same request as done, and moves it to another amount against what others hold', () => {
    spec
      .given([reserved('r1', 12000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 12000000, cap: CAP, overCapAllowed: false } })
      .then([]);
    spec
      .given([reserved('r1', 12000000), reserved('r2', 10000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 20000000, cap: CAP, overCapAllowed: false } })
      .then([{ type: 'CapReleased', data: { requestId: 'r1', amount: 12000000 } }, reserved('r1', 20000000)]);
    spec
      .given([reserved('r1', 12000000), reserved('r2', 10000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 21000000, cap: CAP, overCapAllowed: false } })
      .thenThrows({ rule: 'AnnualCapExceeded' });
    spec
      .given([reserved('r1', 12000000), { type: 'CapConsumed', data: { requestId: 'r1', amount: 12000000 } }])
      .when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 12000000, cap: CAP, overCapAllowed: false } })
      .thenThrows({ rule: 'AlreadyReserved' });
    expect(excluding([reserved('r1', 12000000), reserved('r2', 10000000)].reduce(evolve, initialAnnualCapLedger), 'r1')).toEqual({
      reserved: { r2: 10000000 },
      consumed: {},
      used: 10000000,
    });
    spec
      .given([])
      .when({ type: 'ReserveCap', data: { requestId: 'r1', amount: 0, cap: CAP, overCapAllowed: false } })
      .thenThrows({ rule: 'InvalidInput', field: 'amount' });
  });

  it('keeps one stream per beneficiary, regime and year', () => {
    expect(annualCapStreamId('b-001', 'g', 2025)).toBe('annualcap-b-001-g-2025');
  });
});

describe('annual ledger of uses (regimes h, đ) and release of paid amounts', () => {
  // Health checks and convalescence reserve no money cap, only one use against the yearly number of times.
  const used = (requestId: string, amount: number): AnnualCapEvent => ({ type: 'CapReserved', data: { requestId, amount, overCap: 0 } });

  it('reserves without a cap, recording no cap and nothing over it', () => {
    spec
      .given([])
      .when({ type: 'ReserveCap', data: { requestId: 'h1', amount: 2000000, timesPerYear: 1, overCapAllowed: false } })
      .then([used('h1', 2000000)]);
    // Without a cap any amount fits, even one beyond what a capped regime would allow.
    spec
      .given([used('x', 90000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'x2', amount: 50000000, overCapAllowed: false } })
      .then([used('x2', 50000000)]);
  });

  it('refuses a use beyond the yearly number of times, counting paid uses too', () => {
    spec
      .given([used('h1', 2000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'h2', amount: 2000000, timesPerYear: 1, overCapAllowed: false } })
      .thenThrows({ rule: 'YearlyLimitReached', message: 'already used 1 of 1 times this year' });
    const paidOnce: AnnualCapEvent = { type: 'CapConsumed', data: { requestId: 'h1', amount: 5000000 } };
    spec
      .given([used('h1', 5000000), paidOnce, used('h2', 4000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'h3', amount: 3000000, timesPerYear: 2, overCapAllowed: false } })
      .thenThrows({ rule: 'YearlyLimitReached', message: 'already used 2 of 2 times this year' });
    // Even an exception over the money cap does not lift the yearly limit.
    spec
      .given([reserved('r1', 1000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'r2', amount: 1000000, cap: CAP, timesPerYear: 1, overCapAllowed: true } })
      .thenThrows({ rule: 'YearlyLimitReached' });
    spec
      .given([used('h1', 5000000)])
      .when({ type: 'ReserveCap', data: { requestId: 'h2', amount: 3000000, timesPerYear: 2, overCapAllowed: false } })
      .then([used('h2', 3000000)]);
  });

  it('releases a paid amount (a reversed payout), giving back both the money and the use', () => {
    const paid: AnnualCapEvent = { type: 'CapConsumed', data: { requestId: 'r1', amount: 12000000 } };
    const released: AnnualCapEvent = { type: 'CapReleased', data: { requestId: 'r1', amount: 12000000 } };
    spec
      .given([reserved('r1', 12000000), paid])
      .when({ type: 'ReleaseCap', data: { requestId: 'r1' } })
      .then([released]);
    const ledger = [reserved('r1', 12000000), paid, released].reduce(evolve, initialAnnualCapLedger);
    expect(ledger).toEqual({ reserved: {}, consumed: {}, used: 0 });
    expect(remainingCap(ledger, CAP)).toBe(CAP);
    spec
      .given([reserved('r1', 12000000), paid, released])
      .when({ type: 'ReserveCap', data: { requestId: 'r2', amount: CAP, cap: CAP, timesPerYear: 1, overCapAllowed: false } })
      .then([reserved('r2', CAP)]);
  });

  it('records nothing when releasing what holds nothing, or was already released', () => {
    spec
      .given([])
      .when({ type: 'ReleaseCap', data: { requestId: 'r9' } })
      .then([]);
    spec
      .given([reserved('r1', 12000000), { type: 'CapReleased', data: { requestId: 'r1', amount: 12000000 } }])
      .when({ type: 'ReleaseCap', data: { requestId: 'r1' } })
      .then([]);
  });
});

describe('what of a claim lies beyond a cap', () => {
  const claim = (claimId: string, serviceDate: string, amount: number) => ({ claimId, serviceDate, amount });
  const year = [claim('c-sep', '2025-09-10', 15000000), claim('c-aug', '2025-08-01', 20000000), claim('c-sep-b', '2025-09-10', 4000000)];

  it('fills the cap in the order the claims were served, the claim id breaking a tie', () => {
    expect(beyondCap(year[1], year, 30000000)).toBe(0);
    expect(beyondCap(year[0], year, 30000000)).toBe(5000000);
    expect(beyondCap(year[2], year, 30000000)).toBe(4000000);
    expect(beyondCap(year[0], year, 40000000)).toBe(0);
  });

  it('never counts more than the claim itself, nor the claim twice', () => {
    expect(beyondCap(year[0], year, 0)).toBe(15000000);
    expect(beyondCap(year[0], [year[0]], 10000000)).toBe(5000000);
  });
});
