import { readFileSync } from 'node:fs';
import {
  actualCostUpToAnnualCap,
  actualCostUpToClaimCeiling,
  dailyAllowanceFor,
  fixedAmountFor,
  limitedPerYear,
  policyInForce,
  nextDay,
  shareOfOutOfPocket,
  staffAllowanceFor,
} from './entitlement.js';
import { regimesVersion } from '../testing/policy-versions.fixture.js';
import type { BeneficiaryGroup, PolicyVersion } from './policy-version.js';

const resolution24 = regimesVersion(JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')));

/** A replacement resolution from 2025-07-01 raising the meal allowance, as the report proposes. */
const replacement: PolicyVersion = {
  ...resolution24,
  id: 'lang-son/replacement/v1',
  effectiveFrom: '2025-07-01',
  regimes: resolution24.regimes.map((regime) =>
    regime.id === 'b' && regime.rule.kind === 'rate-per-day'
      ? { ...regime, clause: 'replacement resolution, art. 5', rule: { ...regime.rule, rateByGroup: { ...regime.rule.rateByGroup, 3: 250000 } } }
      : regime,
  ),
};
const versions = [resolution24, replacement];
const policyOn = (date: string): PolicyVersion | undefined => policyInForce(versions, date);

describe('policyInForce', () => {
  it('picks the version whose period holds the date, the later one where they overlap, none before the first', () => {
    expect(policyOn('2024-12-09')).toBeUndefined();
    expect(policyOn('2024-12-10')?.id).toBe(resolution24.id);
    expect(policyOn('2025-06-30')?.id).toBe(resolution24.id);
    expect(policyOn('2025-07-01')?.id).toBe(replacement.id);
    const closed = { ...replacement, effectiveTo: '2025-12-31' };
    expect(policyInForce([resolution24, closed], '2025-12-31')?.id).toBe(replacement.id);
    expect(policyInForce([resolution24, closed], '2026-01-01')?.id).toBe(resolution24.id);
  });

  it('lets a version published later with the same start supersede the earlier one', () => {
    const republished = { ...resolution24, id: 'lang-son/nq-24-2024/corrected' };
    expect(policyInForce([resolution24, republished], '2025-03-01')?.id).toBe(republished.id);
    expect(policyInForce([republished, resolution24], '2025-03-01')?.id).toBe(resolution24.id);
  });
});

describe('fixed amount per event (visit allowance, regime a)', () => {
  it('pays the group amount, with the clause it rests on', () => {
    expect(fixedAmountFor(resolution24, 'a', 3)).toEqual({
      entitled: true,
      amount: 700000,
      basis: 700000,
      policyVersionId: resolution24.id,
      clause: 'Regulation attached to Resolution 24/2024, regime a',
    });
  });
  it('pays nothing to a group the regime does not cover, or when no policy is in force', () => {
    expect(fixedAmountFor(resolution24, 'a', 6)).toEqual({ entitled: false, reason: 'group-not-covered' });
    expect(fixedAmountFor(policyOn('2024-01-01'), 'a', 3)).toEqual({ entitled: false, reason: 'no-policy-in-force' });
    expect(fixedAmountFor(resolution24, 'z', 3)).toEqual({ entitled: false, reason: 'regime-not-in-policy' });
  });
  it('refuses to read a rule as another kind', () => {
    expect(() => fixedAmountFor(resolution24, 'b', 3)).toThrow('regime b of lang-son/nq-24-2024/v2 is a rate-per-day rule, not fixed-per-event');
  });
});

describe('rate per day (meal allowance, regime b)', () => {
  const groupAlways = (group: BeneficiaryGroup) => (): BeneficiaryGroup => group;

  it('counts every calendar day of the stay, admission and discharge day included', () => {
    const stay = dailyAllowanceFor('b', '2025-03-10', '2025-03-14', policyOn, groupAlways(4));
    expect(stay.days).toBe(5);
    expect(stay.amount).toBe(950000);
    expect(stay.segments).toHaveLength(1);
  });

  it('pays a one-day stay once', () => {
    expect(dailyAllowanceFor('b', '2025-03-10', '2025-03-10', policyOn, groupAlways(4)).amount).toBe(190000);
  });

  it('leaves out the first or last day where the rule says so', () => {
    const withoutLastDay: PolicyVersion = {
      ...resolution24,
      regimes: resolution24.regimes.map((r) => (r.id === 'b' && r.rule.kind === 'rate-per-day' ? { ...r, rule: { ...r.rule, countLastDay: false } } : r)),
    };
    expect(dailyAllowanceFor('b', '2025-03-10', '2025-03-14', () => withoutLastDay, groupAlways(4)).days).toBe(4);
  });

  it('splits a stay across a change of rate by day, each day at the rule in force that day', () => {
    const stay = dailyAllowanceFor('b', '2025-06-28', '2025-07-02', policyOn, groupAlways(3));
    expect(stay.segments.map(({ from, to, days, rate, amount, policyVersionId }) => ({ from, to, days, rate, amount, policyVersionId }))).toEqual([
      { from: '2025-06-28', to: '2025-06-30', days: 3, rate: 190000, amount: 570000, policyVersionId: resolution24.id },
      { from: '2025-07-01', to: '2025-07-02', days: 2, rate: 250000, amount: 500000, policyVersionId: replacement.id },
    ]);
    expect(stay.amount).toBe(1070000);
  });

  it('splits a stay across a change of group, and leaves unpaid the days no policy covers', () => {
    const reclassified = (date: string): BeneficiaryGroup => (date < '2025-07-01' ? 4 : 3);
    const stay = dailyAllowanceFor('b', '2025-06-30', '2025-07-01', policyOn, reclassified);
    expect(stay.segments.map((s) => [s.from, s.group, s.rate])).toEqual([
      ['2025-06-30', 4, 190000],
      ['2025-07-01', 3, 250000],
    ]);
    const early = dailyAllowanceFor('b', '2024-12-08', '2024-12-11', policyOn, groupAlways(4));
    expect(early.unpaidDays).toEqual(['2024-12-08', '2024-12-09']);
    expect(early.amount).toBe(380000);
  });

  it('splits a stay across New Year at 1 January, each year’s days in a segment of their own, at the same rate', () => {
    const stay = dailyAllowanceFor('b', '2025-12-29', '2026-01-02', policyOn, groupAlways(4));
    expect(stay.segments.map(({ from, to, days, rate, amount }) => ({ from, to, days, rate, amount }))).toEqual([
      { from: '2025-12-29', to: '2025-12-31', days: 3, rate: 190000, amount: 570000 },
      { from: '2026-01-01', to: '2026-01-02', days: 2, rate: 190000, amount: 380000 },
    ]);
    expect([stay.days, stay.amount]).toEqual([5, 950000]);
  });

  it('refuses a stay that ends before it begins', () => {
    expect(() => dailyAllowanceFor('b', '2025-03-10', '2025-03-09', policyOn, groupAlways(4))).toThrow('cannot end');
  });
});

describe('actual cost up to a ceiling per claim (congress health checks, regime i)', () => {
  it('pays the cost below the ceiling and the ceiling above it', () => {
    expect(actualCostUpToClaimCeiling(resolution24, 'i', 3, 1800000)).toMatchObject({ amount: 1800000, basis: 2100000 });
    expect(actualCostUpToClaimCeiling(resolution24, 'i', 3, 2100000)).toMatchObject({ amount: 2100000 });
    expect(actualCostUpToClaimCeiling(resolution24, 'i', 3, 2500000)).toMatchObject({ amount: 2100000 });
  });
});

describe('actual cost up to an annual cap (special drugs, regime g)', () => {
  it('pays in full while the cap allows, partly at the remaining cap, and names the part over the cap', () => {
    expect(actualCostUpToAnnualCap(resolution24, 'g', 4, 12000000, 0)).toMatchObject({ amount: 12000000, remainingBefore: 30000000, overCap: 0 });
    expect(actualCostUpToAnnualCap(resolution24, 'g', 4, 12000000, 25000000)).toMatchObject({ amount: 5000000, remainingBefore: 5000000, overCap: 7000000 });
    expect(actualCostUpToAnnualCap(resolution24, 'g', 4, 1, 30000000)).toMatchObject({ amount: 0, remainingBefore: 0, overCap: 1 });
    expect(actualCostUpToAnnualCap(resolution24, 'g', 5, 1000, 0)).toEqual({ entitled: false, reason: 'group-not-covered' });
  });
});

describe('share of out-of-pocket cost (hospital fees, regime d)', () => {
  it('pays the share rounded down to whole VND, never above the ceiling', () => {
    expect(shareOfOutOfPocket(resolution24, 'd', 6, 291001)).toMatchObject({ amount: 145500, basis: 5000 });
    expect(shareOfOutOfPocket(resolution24, 'd', 6, 4000000)).toMatchObject({ amount: 2000000 });
    expect(shareOfOutOfPocket(resolution24, 'd', 6, 0)).toMatchObject({ amount: 0 });
  });
});

describe('limited per year (periodic health checks, regime h)', () => {
  it('pays group 1 twice a year at actual cost up to the amount, and not a third time', () => {
    expect(limitedPerYear(resolution24, 'h.actual-cost', 1, 0, 3200000)).toMatchObject({ amount: 3200000 });
    expect(limitedPerYear(resolution24, 'h.actual-cost', 1, 1, 6000000)).toMatchObject({ amount: 5000000 });
    expect(limitedPerYear(resolution24, 'h.actual-cost', 1, 2, 1000000)).toEqual({ entitled: false, reason: 'yearly-limit-reached' });
  });
  it('pays groups 3 and 4 the exact fixed amount once a year', () => {
    expect(limitedPerYear(resolution24, 'h.fixed', 3, 0, 2500000)).toMatchObject({ amount: 3000000 });
    expect(limitedPerYear(resolution24, 'h.fixed', 4, 0, 2500000)).toMatchObject({ amount: 2000000 });
    expect(limitedPerYear(resolution24, 'h.fixed', 4, 1, 2500000)).toEqual({ entitled: false, reason: 'yearly-limit-reached' });
    expect(limitedPerYear(resolution24, 'h.fixed', 6, 0, 2500000)).toEqual({ entitled: false, reason: 'group-not-covered' });
  });
});

describe('staff allowances (regime k)', () => {
  it('pays the role its amount per month or session, times how many', () => {
    expect(staffAllowanceFor(resolution24, 'k.monthly', 'committee-member', 12)).toEqual({
      entitled: true,
      amount: 6000000,
      basis: 500000,
      policyVersionId: resolution24.id,
      clause: 'Regulation attached to Resolution 24/2024, regime k',
    });
    expect(staffAllowanceFor(resolution24, 'k.monthly', 'dedicated-staff', 3)).toMatchObject({ amount: 3000000, basis: 1000000 });
    expect(staffAllowanceFor(resolution24, 'k.check-session', 'nurse', 4)).toMatchObject({ amount: 600000, basis: 150000 });
  });

  it('pays nothing to a role the regime does not list, under a missing regime, or with no policy in force', () => {
    // Doctors are paid per check session, not monthly.
    expect(staffAllowanceFor(resolution24, 'k.monthly', 'doctor', 1)).toEqual({ entitled: false, reason: 'role-not-covered' });
    expect(staffAllowanceFor(resolution24, 'k.yearly', 'doctor', 1)).toEqual({ entitled: false, reason: 'regime-not-in-policy' });
    expect(staffAllowanceFor(policyOn('2024-01-01'), 'k.monthly', 'committee-member', 1)).toEqual({ entitled: false, reason: 'no-policy-in-force' });
  });

  it('refuses to read a beneficiary regime as a staff allowance', () => {
    expect(() => staffAllowanceFor(resolution24, 'e', 'doctor', 1)).toThrow(
      'regime e of lang-son/nq-24-2024/v2 is a fixed-per-event rule, not staff-allowance',
    );
  });
});

describe('the 2025 reference workload (seed 02, section II.2)', () => {
  it('pays the year-end report’s 26,994 meal days of regime b at the catalog rate: exactly 5,128,860,000 VND', () => {
    // The catalog alone, as published: the replacement above would change the rate from July.
    const catalogOn = (date: string): PolicyVersion | undefined => policyInForce([resolution24], date);
    // 2,454 stays of 11 days (26,994 days), admitted day after day through 2025 and spread over all six groups.
    let day = '2025-01-01';
    let amount = 0;
    let days = 0;
    const rates = new Set<number>();
    for (let stay = 0; stay < 2454; stay += 1) {
      const group = ((stay % 6) + 1) as BeneficiaryGroup;
      let last = day;
      for (let i = 1; i < 11; i += 1) last = nextDay(last);
      const meals = dailyAllowanceFor('b', day, last, catalogOn, () => group);
      amount += meals.amount;
      days += meals.days;
      meals.segments.forEach((segment) => rates.add(segment.rate));
      day = stay % 350 === 349 ? '2025-01-01' : nextDay(day);
    }
    expect(days).toBe(26994);
    expect([...rates]).toEqual([190000]);
    expect(amount).toBe(5128860000);
  });
});
