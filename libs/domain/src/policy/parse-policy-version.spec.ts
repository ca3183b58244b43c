import { readFileSync } from 'node:fs';
import { regimesVersion } from '../testing/policy-versions.fixture.js';
import { InvalidPolicyVersion, parsePolicyVersion } from './parse-policy-version.js';

const catalog = (): unknown => JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));

describe('parsePolicyVersion', () => {
  it('accepts the shipped catalog of Resolution 24/2024, exact figures where the report states them', () => {
    const version = regimesVersion(catalog());
    expect(version.legalBasis).toMatch(/Resolution 24\/2024\/NQ-HĐND/);
    const meal = version.regimes.find((r) => r.id === 'b')!;
    expect(meal.illustrative).toBe(false);
    expect(meal.rule).toEqual({
      kind: 'rate-per-day',
      rateByGroup: { 1: 190000, 2: 190000, 3: 190000, 4: 190000, 5: 190000, 6: 190000 },
      countFirstDay: true,
      countLastDay: true,
    });
    expect(version.regimes.find((r) => r.id === 'h.fixed')!.rule).toMatchObject({ amountByGroup: { 3: 3000000, 4: 2000000 } });
    expect(new Set(version.regimes.map((r) => r.code))).toEqual(new Set(['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k']));
  });

  it('names every problem by its path', () => {
    const broken = {
      id: 'x',
      province: 'Lạng Sơn',
      legalBasis: '',
      effectiveFrom: '2025-02-30',
      regimes: [
        {
          id: 'b',
          code: 'b',
          name: 'meals',
          clause: 'art. 3',
          illustrative: false,
          rule: { kind: 'rate-per-day', rateByGroup: { 3: 190000.5, 7: 1 }, countFirstDay: true, countLastDay: 'yes' },
        },
        { id: 'b', code: 'b', name: 'again', clause: 'art. 3', illustrative: false, rule: { kind: 'per-moon', amountByGroup: {} } },
        {
          id: 'g',
          code: 'z',
          name: 'drugs',
          clause: 'art. 4',
          illustrative: true,
          rule: { kind: 'share-of-out-of-pocket', shareBasisPointsByGroup: { 1: 12000 }, ceilingByGroup: { 1: -5 } },
        },
      ],
    };
    expect(() => parsePolicyVersion(broken)).toThrow(InvalidPolicyVersion);
    try {
      parsePolicyVersion(broken);
    } catch (error) {
      expect((error as InvalidPolicyVersion).problems).toEqual([
        'regimes[0].rule.rateByGroup.3 must be a whole, non-negative number of VND',
        'regimes[0].rule.rateByGroup.7 is not a beneficiary group (1–6)',
        'regimes[0].rule.countLastDay must be true or false',
        'regimes[1].id "b" appears twice',
        'regimes[1].rule.kind "per-moon" is not a known rule kind',
        'regimes[2].code must be one of a, b, c, d, đ, e, g, h, i, k',
        'regimes[2].id "g" must start with its code "z"',
        'regimes[2].rule.shareBasisPointsByGroup.1 must be basis points from 0 to 10000',
        'regimes[2].rule.ceilingByGroup.1 must be a whole, non-negative number of VND',
        'effectiveFrom must be a date YYYY-MM-DD',
        'legalBasis must be a non-empty string',
      ]);
    }
  });

  it('refuses a rule whose two tables by group do not cover the same groups', () => {
    const version = catalog() as { regimes: { id: string; rule: Record<string, unknown> }[] };
    const fees = version.regimes.find((r) => r.id === 'd')!;
    fees.rule = { ...fees.rule, ceilingByGroup: { ...(fees.rule.ceilingByGroup as object), 3: undefined } };
    const checks = version.regimes.find((r) => r.id === 'h.fixed')!;
    checks.rule = { ...checks.rule, timesPerYearByGroup: { 3: 1, 4: 1, 5: 1 } };
    const parsed = JSON.parse(JSON.stringify(version));
    expect(() => parsePolicyVersion(parsed)).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          "regimes[3].rule.ceilingByGroup.3 is missing: the rule's other table covers group 3",
          "regimes[9].rule.amountByGroup.5 is missing: the rule's other table covers group 5",
        ]),
      }),
    );
  });

  it('refuses a period that ends before it begins, and input that is not an object', () => {
    const version = { ...(catalog() as object), effectiveFrom: '2025-07-01', effectiveTo: '2025-06-30' };
    expect(() => parsePolicyVersion(version)).toThrow('effectiveTo must not be before effectiveFrom');
    expect(() => parsePolicyVersion([])).toThrow('the policy version must be a JSON object');
  });
});
