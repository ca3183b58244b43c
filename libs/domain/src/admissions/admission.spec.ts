import { readFileSync } from 'node:fs';
import { policyInForce } from '../policy/entitlement.js';
import { parsePolicyVersion } from '../policy/parse-policy-version.js';
import type { BeneficiaryGroup, PolicyVersion } from '../policy/policy-version.js';
import { type AdmissionContext, type AdmissionEvent, decide, evolve, initialAdmission } from './admission.js';

const resolution24 = parsePolicyVersion(JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')));
const context = (groupOn: (date: string) => BeneficiaryGroup | undefined, versions: readonly PolicyVersion[] = [resolution24]): AdmissionContext => ({
  policyOn: (date) => policyInForce(versions, date),
  groupOn,
});
const group3UntilJuly = (date: string): BeneficiaryGroup | undefined => (date < '2025-01-01' ? undefined : date < '2025-07-01' ? 3 : 4);

const admitted: AdmissionEvent = { type: 'AdmissionRecorded', data: { admissionId: 'adm-1', beneficiaryId: 'b-001', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-06-29', recordedBy: 'clerk-1' } };
const given = (events: readonly AdmissionEvent[]) => events.reduce(evolve, initialAdmission);

describe('admissions', () => {
  it('records an admission of someone holding a group on that day, and refuses one who holds none', () => {
    expect(decide({ type: 'RecordAdmission', data: admitted.data }, initialAdmission, context(group3UntilJuly))).toEqual([admitted]);
    expect(() => decide({ type: 'RecordAdmission', data: { ...admitted.data, admittedOn: '2024-12-31' } }, initialAdmission, context(group3UntilJuly)))
      .toThrow(expect.objectContaining({ rule: 'NotABeneficiaryOnAdmission', field: 'admittedOn' }));
  });

  it('on discharge entitles the visit allowance on the admission date and the meals day by day across a reclassification', () => {
    const events = decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-02', by: 'clerk-1' } }, given([admitted]), context(group3UntilJuly));
    expect(events[0]).toEqual({ type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' } });
    expect(events[1]).toEqual({
      type: 'VisitAllowanceEntitled',
      data: { serviceDate: '2025-06-29', group: 3, amount: 750000, policyVersionId: resolution24.id, clause: 'Regulation attached to Resolution 24/2024, regime a' },
    });
    expect(events[2]).toMatchObject({ type: 'MealAllowanceEntitled', data: { amount: 4 * 190000, days: 4 } });
    const meals = events[2] as Extract<AdmissionEvent, { type: 'MealAllowanceEntitled' }>;
    expect(meals.data.segments.map((s) => [s.from, s.to, s.group])).toEqual([
      ['2025-06-29', '2025-06-30', 3],
      ['2025-07-01', '2025-07-02', 4],
    ]);
  });

  it('pays no visit allowance to a group regime a does not cover, but still the meals', () => {
    const events = decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-06-30', by: 'clerk-1' } }, given([admitted]), context(() => 6));
    expect(events.map((e) => e.type)).toEqual(['DischargeRecorded', 'MealAllowanceEntitled']);
  });

  it('refuses a discharge before the admission; a repeated discharge on the same day records nothing, another day is refused', () => {
    expect(() => decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-06-28', by: 'clerk-1' } }, given([admitted]), context(group3UntilJuly)))
      .toThrow(expect.objectContaining({ rule: 'DischargeBeforeAdmission', field: 'dischargedOn' }));
    const discharged = given([admitted, { type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' } }]);
    expect(decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-02', by: 'clerk-1' } }, discharged, context(group3UntilJuly))).toEqual([]);
    expect(() => decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-03', by: 'clerk-1' } }, discharged, context(group3UntilJuly)))
      .toThrow(expect.objectContaining({ rule: 'AlreadyDischarged' }));
  });
});
