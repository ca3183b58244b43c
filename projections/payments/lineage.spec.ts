import { lineageRow, subjectOf } from './lineage.js';
import { logged } from './testing.fixture.js';

describe('the payout lineage', () => {
  it('files an event under the admission, claim, payout or plan of its stream, and a policy step under its version', () => {
    const confirmed = logged('policy-catalog', 'PolicyVersionConfirmed', { versionId: 'lang-son/v3', by: 'admin-2' });
    const paid = logged('payout-claim-c1', 'PayoutPaid', { reference: 'UNC-2', paidOn: '2025-08-10', by: 'finance-1' });
    expect(subjectOf(confirmed)).toEqual({ kind: 'policy-version', id: 'lang-son/v3' });
    expect(subjectOf(paid)).toEqual({ kind: 'payout', id: 'claim-c1' });
    expect(subjectOf(logged('reorganization-p1', 'ReorganizationPlanConfirmed', { by: 'admin-2' }))).toEqual({ kind: 'reorganization', id: 'p1' });
    expect(subjectOf(logged('budget-2025-g', 'AnnualBudgetAllocated', { year: 2025, regimeCode: 'g', amount: 1, decisionNumber: '1/QĐ' }))).toBeUndefined();
    expect(lineageRow(paid, { kind: 'payout', id: 'claim-c1' })).toEqual({
      global_position: paid.globalPosition,
      recorded_at: paid.recordedAt,
      subject_kind: 'payout',
      subject_id: 'claim-c1',
      step: 'PayoutPaid',
      actor: 'clerk-1',
      roles: ['clerk'],
      details: { reference: 'UNC-2', paidOn: '2025-08-10', by: 'finance-1' },
    });
  });
});
