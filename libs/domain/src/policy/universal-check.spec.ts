import { readFileSync } from 'node:fs';
import { policyInForce } from './entitlement.js';
import { InvalidPolicyVersion, parsePolicyVersion } from './parse-policy-version.js';
import { officialsVersions, OFFICIALS_PROGRAMME, programmeOf, type UniversalCheckVersion, universalCheckVersions } from './policy-version.js';
import { ageOn, universalCheck } from './universal-check.js';

const file = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));
const lamDongFile = () => file('policies/lam-dong/universal-health-check-2026.json');
const lamDong = () => parsePolicyVersion(lamDongFile()) as UniversalCheckVersion;
const langSon = () => parsePolicyVersion(file('policies/lang-son-resolution-24-2024.json'));

/** A check of a 45-year-old in Đà Lạt on 2026-07-15, the first of the year: the facts each case changes one of. */
const facts = {
  checkedOn: '2026-07-15',
  checkKind: 'sang-loc',
  dateOfBirth: '1981-03-02',
  place: ['Phường Xuân Hương - Đà Lạt', 'Tỉnh Lâm Đồng'],
  checksThisYear: 0,
};

describe('a universal-check version', () => {
  it("parses Lâm Đồng's programme: its own programme, fees by age band and kind, priority areas first, marked illustrative", () => {
    const version = lamDong();
    expect(version).toMatchObject({ kind: 'universal-check', programme: 'universal-health-check', province: 'Lâm Đồng', effectiveFrom: '2026-01-01' });
    expect(version.check).toMatchObject({ illustrative: true, timesPerCalendarYear: 1, residenceWithin: ['Tỉnh Lâm Đồng'], eligibleFrom: '2026-07-01' });
    expect(version.check.priorityAreas.map((area) => area.eligibleFrom)).toEqual(['2026-01-01', '2026-01-01']);
    expect(version.check.feeByAgeBand['40-59']).toEqual({ 'dinh-ky': 300000, 'sang-loc': 450000 });
    expect(version.note).toMatch(/^ILLUSTRATIVE FEES/);
  });

  it("keeps the officials' versions as they were: no programme named is the officials' programme", () => {
    const version = langSon();
    expect(version).not.toHaveProperty('programme');
    expect(version).not.toHaveProperty('kind');
    expect(programmeOf(version)).toBe(OFFICIALS_PROGRAMME);
    expect(parsePolicyVersion({ ...file('policies/lang-son-resolution-24-2024.json'), programme: OFFICIALS_PROGRAMME, kind: 'regimes' })).toMatchObject({
      programme: OFFICIALS_PROGRAMME,
      kind: 'regimes',
    });
  });

  it('gives each programme its own version in force: a universal check never displaces the officials’ regimes', () => {
    const versions = [langSon(), lamDong()];
    expect(policyInForce(officialsVersions(versions), '2026-07-15')?.id).toBe('lang-son/nq-24-2024/v2');
    expect(policyInForce(universalCheckVersions(versions, 'universal-health-check'), '2026-07-15')?.id).toBe('lam-dong/kham-suc-khoe-toan-dan/2026');
    expect(policyInForce(universalCheckVersions(versions, 'universal-health-check'), '2025-12-31')).toBeUndefined();
    expect(universalCheckVersions(versions, 'another-programme')).toEqual([]);
  });

  it('names every problem of a universal-check version by its path', () => {
    const broken = {
      ...lamDongFile(),
      programme: OFFICIALS_PROGRAMME,
      check: {
        name: 'x',
        clause: 'y',
        illustrative: 'yes',
        residenceWithin: [],
        eligibleFrom: '2025-12-31',
        priorityAreas: [{ unit: 'Xã A', eligibleFrom: '2026-02-30' }],
        timesPerCalendarYear: 0,
        ageBands: [
          { id: 'a', name: 'A', fromAge: 0, toAge: 20 },
          { id: 'b', name: 'B', fromAge: 18 },
          { id: 'c', name: 'C', fromAge: 5, toAge: 4 },
        ],
        checkKinds: [{ id: 'k', name: 'K' }],
        feeByAgeBand: { a: { k: 1.5, other: 1 }, b: {}, z: { k: 1 } },
      },
    };
    try {
      parsePolicyVersion(broken);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidPolicyVersion);
      expect((error as InvalidPolicyVersion).problems).toEqual([
        `programme ${OFFICIALS_PROGRAMME} holds the officials' regimes, not a universal check`,
        'check.residenceWithin must list at least one administrative unit',
        'check.eligibleFrom must not be before effectiveFrom',
        'check.priorityAreas[0].eligibleFrom must be a date YYYY-MM-DD',
        'check.ageBands[2].toAge must not be below fromAge',
        'check.ageBands "a" and "b" overlap',
        'check.ageBands "a" and "c" overlap',
        'check.feeByAgeBand.a.k must be a whole, non-negative number of VND',
        'check.feeByAgeBand.a.other is not a kind of check of the programme',
        'check.feeByAgeBand.b must map kinds of check to fees: every age band is offered one at least',
        'check.feeByAgeBand.c must map kinds of check to fees: every age band is offered one at least',
        'check.feeByAgeBand.z is not an age band of the programme',
        'check.illustrative must be true or false',
        'check.timesPerCalendarYear must be a whole number from 1 to 12',
      ]);
    }
    expect(() => parsePolicyVersion({ ...lamDongFile(), programme: undefined })).toThrow('programme must name the programme');
    expect(() => parsePolicyVersion({ ...lamDongFile(), kind: 'lottery' })).toThrow('kind "lottery" must be');
    expect(() => parsePolicyVersion({ ...file('policies/lang-son-resolution-24-2024.json'), programme: 'universal-health-check' })).toThrow(
      `programme of a version of regimes must be ${OFFICIALS_PROGRAMME}`,
    );
  });
});

describe('a universal check decided', () => {
  it('pays the fee of the age band and kind, citing the version and its clause', () => {
    expect(universalCheck(lamDong(), facts)).toEqual({
      payable: true,
      amount: 450000,
      ageBand: '40-59',
      policyVersionId: 'lam-dong/kham-suc-khoe-toan-dan/2026',
      programme: 'universal-health-check',
      clause: lamDong().check.clause,
    });
  });

  it('lets priority areas in from their earlier date, everyone else from the programme’s', () => {
    const march = { ...facts, checkedOn: '2026-03-10' };
    expect(universalCheck(lamDong(), march)).toMatchObject({ payable: false, rule: 'NotYetEligible', field: 'checkedOn' });
    expect(universalCheck(lamDong(), { ...march, place: ['Xã Đam Rông 1', 'Tỉnh Lâm Đồng'] })).toMatchObject({ payable: true, amount: 450000 });
  });

  it('refuses a residence outside the province, an age in no band, a kind the band is not offered, and a second check in the year', () => {
    expect(universalCheck(lamDong(), { ...facts, place: ['Huyện Cao Lộc', 'Tỉnh Lạng Sơn'] })).toMatchObject({
      rule: 'ResidenceOutOfScope',
      field: 'residentId',
    });
    expect(universalCheck(lamDong(), { ...facts, dateOfBirth: '2022-01-01' })).toMatchObject({ rule: 'AgeNotCovered' });
    expect(universalCheck(lamDong(), { ...facts, dateOfBirth: '2012-01-01' })).toMatchObject({ rule: 'CheckKindNotOffered', field: 'checkKind' });
    expect(universalCheck(lamDong(), { ...facts, checkKind: 'xet-nghiem' })).toMatchObject({ rule: 'UnknownCheckKind', field: 'checkKind' });
    expect(universalCheck(lamDong(), { ...facts, checksThisYear: 1 })).toMatchObject({ rule: 'YearlyLimitReached' });
    expect(universalCheck(undefined, facts)).toMatchObject({ rule: 'NoPolicyInForce', field: 'checkedOn' });
  });

  it('counts age in whole years, one more on the birthday', () => {
    expect(ageOn('1966-07-15', '2026-07-14')).toBe(59);
    expect(ageOn('1966-07-15', '2026-07-15')).toBe(60);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});
