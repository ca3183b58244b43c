import { batchKeys } from './preload.js';
import { logged } from './testing.fixture.js';

describe('what a batch of the payments read model loads', () => {
  it('takes the payouts, sources, adjustments, lines, holders and years its events name', () => {
    const keys = batchKeys([
      logged('beneficiary-b-2', 'BeneficiaryPositionChanged', { title: 't', administrativeUnit: 'Xã Tân Liên', from: '2025-07-15' }),
      logged('admission-s1', 'AdmissionRecorded', {
        admissionId: 's1',
        beneficiaryId: 'b-1',
        facility: 'BVĐK',
        admittedOn: '2025-06-29',
        recordedBy: 'clerk-1',
      }),
      logged('payout-admission-s1-a', 'PayoutScheduled', {
        payoutId: 'admission-s1-a',
        source: { kind: 'admission', id: 's1' },
        regimeId: 'a',
        regimeCode: 'a',
        beneficiaryId: 'b-1',
        payee: 'b-1',
        amount: 700_000,
        serviceDate: '2025-06-29',
        policyVersionId: 'v2',
      }),
      logged('payout-s1-a-1', 'PayoutScheduled', {
        payoutId: 's1-a-1',
        source: { kind: 'adjustment', id: 's1-a-1' },
        regimeId: 'a',
        regimeCode: 'a',
        payee: 'staff-1',
        amount: -100,
        serviceDate: '2024-06-29',
        policyVersionId: 'v2',
      }),
      logged('claim-c1', 'AdjustmentsApproved', { adjustmentIds: ['c1-1'], by: 'approver-1' }),
      logged('budget-2026-g', 'AnnualBudgetAllocated', { year: 2026, regimeCode: 'g', amount: 1, decisionNumber: '1/QĐ' }),
    ]);
    expect(keys).toEqual({
      payoutIds: new Set(['admission-s1-a', 's1-a-1']),
      sourceIds: new Set(['s1', 'c1']),
      holders: new Set(['b-1']),
      years: new Set([2025, 2024, 2026]),
      adjustmentIds: new Set(['s1-a-1']),
      lineIds: new Set(['admission-s1-a']),
      moving: new Set(),
      relocated: new Set(['b-2']),
    });
  });

  it('loads every payout of a line an adjustment corrects', () => {
    const keys = batchKeys([
      logged('claim-c1', 'AdjustmentEntitled', {
        adjustmentId: 'c1-1',
        regimeId: 'g',
        cause: { kind: 'policy-version', id: 'v3' },
        corrects: { claimId: 'c1', regimeId: 'g', payoutId: 'claim-c1' },
        serviceDate: '2025-08-01',
        previous: { amount: 45_000_000, group: 3, policyVersionId: 'v2' },
        next: { amount: 40_000_000, group: 3, policyVersionId: 'v3', clause: 'g' },
        difference: -5_000_000,
        recordedBy: 'system',
      }),
    ]);
    expect([...keys.lineIds, ...keys.moving, ...keys.sourceIds]).toEqual(['claim-c1', 'claim-c1', 'c1']);
  });
});
