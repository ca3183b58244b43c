import { balancesAsOf, budgetAsOf } from '../queries/as-of.js';
import { annualBudget, balancesOf, payoutLineage } from '../queries/read-models.js';
import { type FactSpec, projectionHarness } from '../testing/projection-harness.fixture.js';
import { payments } from './payments.projection.js';

const policy = 'lang-son/nq-24-2024/v2';
const clause = (code: string) => `Regulation attached to Resolution 24/2024, regime ${code}`;
const beneficiary = (id: string, unit: string, group = 3): FactSpec => ({
  streamId: `beneficiary-${id}`,
  type: 'BeneficiaryEnrolled',
  data: {
    beneficiaryId: id,
    fullName: id,
    dateOfBirth: '1966-04-02',
    nationalId: '020066001234',
    title: 't',
    administrativeUnit: unit,
    group,
    from: '2020-01-01',
  },
});
const scheduled = (
  payoutId: string,
  source: { kind: string; id: string },
  regimeId: string,
  amount: number,
  serviceDate: string,
  extra: Record<string, unknown> = {},
): FactSpec => ({
  streamId: `payout-${payoutId}`,
  type: 'PayoutScheduled',
  actor: 'approver-1',
  data: {
    payoutId,
    source,
    regimeId,
    regimeCode: regimeId.split('.')[0],
    beneficiaryId: 'b-1',
    payee: 'b-1',
    group: 3,
    amount,
    serviceDate,
    policyVersionId: policy,
    ...extra,
  },
});

describe('payments read model', () => {
  let harness: Awaited<ReturnType<typeof projectionHarness>>;
  const money = (sql: string) =>
    harness
      .rows(sql)
      .then((rows) =>
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v]))),
      );

  beforeAll(async () => {
    harness = await projectionHarness(payments);
    await harness.apply([
      beneficiary('b-1', 'Huyện Cao Lộc'),
      {
        streamId: 'budget-2025-b',
        type: 'AnnualBudgetAllocated',
        actor: 'finance-1',
        data: { year: 2025, regimeCode: 'b', amount: 1_000_000, decisionNumber: '1/QĐ' },
      },
      {
        streamId: 'budget-2025-g',
        type: 'AnnualBudgetAllocated',
        actor: 'finance-1',
        data: { year: 2025, regimeCode: 'g', amount: 50_000_000, decisionNumber: '1/QĐ' },
      },
      // A stay: entitled at discharge, corrected (which replaces the entitlements), approved, paid.
      {
        streamId: 'admission-s1',
        type: 'AdmissionRecorded',
        data: { admissionId: 's1', beneficiaryId: 'b-1', facility: 'BVĐK', admittedOn: '2025-06-29', recordedBy: 'clerk-1' },
      },
      { streamId: 'admission-s1', type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' } },
      {
        streamId: 'admission-s1',
        type: 'VisitAllowanceEntitled',
        data: { serviceDate: '2025-06-29', group: 3, amount: 700_000, policyVersionId: policy, clause: clause('a') },
      },
      {
        streamId: 'admission-s1',
        type: 'MealAllowanceEntitled',
        data: {
          amount: 760_000,
          days: 4,
          segments: [{ from: '2025-06-29', to: '2025-07-02', days: 4, group: 3, rate: 190_000, amount: 760_000, policyVersionId: policy, clause: clause('b') }],
        },
      },
    ]);
    await harness.apply([
      {
        streamId: 'admission-s1',
        type: 'AdmissionDatesCorrected',
        data: { admittedOn: '2025-06-29', dischargedOn: '2025-07-03', reason: 'certificate', recordedBy: 'clerk-2' },
      },
      {
        streamId: 'admission-s1',
        type: 'VisitAllowanceEntitled',
        data: { serviceDate: '2025-06-29', group: 3, amount: 700_000, policyVersionId: policy, clause: clause('a') },
      },
      {
        streamId: 'admission-s1',
        type: 'MealAllowanceEntitled',
        data: {
          amount: 950_000,
          days: 5,
          segments: [{ from: '2025-06-29', to: '2025-07-03', days: 5, group: 3, rate: 190_000, amount: 950_000, policyVersionId: policy, clause: clause('b') }],
        },
      },
      { streamId: 'admission-s1', type: 'AdmissionAllowancesApproved', actor: 'approver-1', data: { by: 'approver-1', visit: 700_000, meals: 950_000 } },
      scheduled('admission-s1-a', { kind: 'admission', id: 's1' }, 'a', 700_000, '2025-06-29'),
      scheduled('admission-s1-b', { kind: 'admission', id: 's1' }, 'b', 950_000, '2025-07-03'),
      { streamId: 'payout-admission-s1-b', type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'UNC-1', paidOn: '2025-07-10', by: 'finance-1' } },
      // The beneficiary moves: later services count under the new unit.
      { streamId: 'beneficiary-b-1', type: 'BeneficiaryPositionChanged', data: { title: 't2', administrativeUnit: 'Xã Tân Liên', from: '2025-07-15' } },
    ]);
    await harness.apply([
      // Special drugs over the cap, by two approvers; paid, then reversed.
      {
        streamId: 'claim-c1',
        type: 'ClaimRequested',
        actor: 'council-1',
        data: {
          claimId: 'c1',
          regimeId: 'g',
          serviceDate: '2025-08-01',
          beneficiaryId: 'b-1',
          cardNumber: 'LS-1',
          cost: 45_000_000,
          councilDecisionNumber: '1/HĐCM',
          items: [],
          requestedBy: 'council-1',
        },
      },
      { streamId: 'claim-c1', type: 'OverCapApprovalProposed', actor: 'approver-1', data: { by: 'approver-1', reason: 'chronic' } },
      {
        streamId: 'claim-c1',
        type: 'ClaimApproved',
        actor: 'approver-2',
        data: {
          amount: 45_000_000,
          approvedBy: ['approver-1', 'approver-2'],
          policyVersionId: policy,
          clause: clause('g'),
          basis: 40_000_000,
          group: 3,
          partial: false,
          overCap: 5_000_000,
          limit: { cap: 40_000_000 },
        },
      },
      scheduled('claim-c1', { kind: 'claim', id: 'c1' }, 'g', 45_000_000, '2025-08-01', { annualLedgerStreamId: 'annualcap-b-1-g-2025' }),
      { streamId: 'payout-claim-c1', type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'UNC-2', paidOn: '2025-08-10', by: 'finance-1' } },
      // A rejected claim and a rejected stay leave lineage, no money.
      {
        streamId: 'claim-c2',
        type: 'ClaimRequested',
        data: { claimId: 'c2', regimeId: 'e', serviceDate: '2025-09-01', beneficiaryId: 'b-1', cardNumber: 'LS-1', requestedBy: 'clerk-1' },
      },
      { streamId: 'claim-c2', type: 'ClaimRejected', actor: 'approver-1', data: { by: 'approver-1', reason: 'not a serious illness' } },
      {
        streamId: 'admission-s2',
        type: 'AdmissionRecorded',
        data: { admissionId: 's2', beneficiaryId: 'b-1', facility: 'BVĐK', admittedOn: '2025-10-01', recordedBy: 'clerk-1' },
      },
      { streamId: 'admission-s2', type: 'AdmissionAllowancesRejected', actor: 'approver-1', data: { by: 'approver-1', reason: 'day care only' } },
    ]);
    await harness.apply([
      { streamId: 'payout-claim-c1', type: 'PayoutReversed', actor: 'finance-1', data: { reason: 'pharmacy refund', on: '2025-09-01', by: 'finance-1' } },
    ]);
  }, 60_000);
  afterAll(() => harness.close());

  it('keeps balances per year and regime: a correction replaces the entitlement, a reversal takes back what was paid and gives the cap back', async () => {
    expect(await balancesOf(harness.pool, 'b-1', 2025)).toEqual([
      {
        year: 2025,
        regimeId: 'a',
        regimeCode: 'a',
        entitled: 700_000,
        approved: 700_000,
        paid: 0,
        reversed: 0,
        adjusted: 0,
        annualCap: null,
        capUsed: 0,
        remainingCap: null,
        toRecover: 0,
        recovered: 0,
        writtenOff: 0,
      },
      {
        year: 2025,
        regimeId: 'b',
        regimeCode: 'b',
        entitled: 950_000,
        approved: 950_000,
        paid: 950_000,
        reversed: 0,
        adjusted: 0,
        annualCap: null,
        capUsed: 0,
        remainingCap: null,
        toRecover: 0,
        recovered: 0,
        writtenOff: 0,
      },
      {
        year: 2025,
        regimeId: 'g',
        regimeCode: 'g',
        entitled: 45_000_000,
        approved: 45_000_000,
        paid: 0,
        reversed: 45_000_000,
        adjusted: 0,
        annualCap: 40_000_000,
        capUsed: 0,
        remainingCap: 40_000_000,
        toRecover: 0,
        recovered: 0,
        writtenOff: 0,
      },
    ]);
  });

  it('keeps each payout with the rule it rests on, its status and its full lineage', async () => {
    expect(
      await money(
        'SELECT payout_id, regime_code, administrative_unit, amount, units, clause, basis, over_cap, approved_by, status, paid_reference, reversal_reason FROM $schema.payouts ORDER BY 1',
      ),
    ).toEqual([
      {
        payout_id: 'admission-s1-a',
        regime_code: 'a',
        administrative_unit: 'Huyện Cao Lộc',
        amount: 700_000,
        units: 1,
        clause: clause('a'),
        basis: 700_000,
        over_cap: 0,
        approved_by: null,
        status: 'scheduled',
        paid_reference: null,
        reversal_reason: null,
      },
      {
        payout_id: 'admission-s1-b',
        regime_code: 'b',
        administrative_unit: 'Huyện Cao Lộc',
        amount: 950_000,
        units: 5,
        clause: clause('b'),
        basis: 190_000,
        over_cap: 0,
        approved_by: null,
        status: 'paid',
        paid_reference: 'UNC-1',
        reversal_reason: null,
      },
      {
        payout_id: 'claim-c1',
        regime_code: 'g',
        administrative_unit: 'Xã Tân Liên',
        amount: 45_000_000,
        units: 1,
        clause: clause('g'),
        basis: 40_000_000,
        over_cap: 5_000_000,
        approved_by: 'approver-1, approver-2',
        status: 'reversed',
        paid_reference: 'UNC-2',
        reversal_reason: 'pharmacy refund',
      },
    ]);
    const traced = await payoutLineage(harness.readModels, 'claim-c1');
    expect(traced!.lineage.map((step: { step: string; actor: string }) => [step.step, step.actor])).toEqual([
      ['ClaimRequested', 'council-1'],
      ['OverCapApprovalProposed', 'approver-1'],
      ['ClaimApproved', 'approver-2'],
      ['PayoutScheduled', 'approver-1'],
      ['PayoutPaid', 'finance-1'],
      ['PayoutReversed', 'finance-1'],
    ]);
    expect((await payoutLineage(harness.readModels, 'admission-s1-b'))!.lineage.map((step: { step: string }) => step.step)).toEqual([
      'AdmissionRecorded',
      'DischargeRecorded',
      'VisitAllowanceEntitled',
      'MealAllowanceEntitled',
      'AdmissionDatesCorrected',
      'VisitAllowanceEntitled',
      'MealAllowanceEntitled',
      'AdmissionAllowancesApproved',
      'PayoutScheduled',
      'PayoutPaid',
    ]);
    expect(await harness.rows("SELECT step FROM $schema.lineage WHERE subject_id IN ('c2', 's2') ORDER BY global_position")).toEqual([
      { step: 'ClaimRequested' },
      { step: 'ClaimRejected' },
      { step: 'AdmissionRecorded' },
      { step: 'AdmissionAllowancesRejected' },
    ]);
  });

  it('keeps the annual budget by regime, group and unit, and raises the 80 % and 100 % alerts once each', async () => {
    const budget = await annualBudget(harness.pool, 2025);
    const none = { toRecover: 0, recovered: 0, writtenOff: 0 };
    expect(budget.regimes).toEqual([
      { regimeCode: 'a', allocated: null, decisionNumber: null, committed: 700_000, paid: 0, remaining: null, usedPercent: null, recoveries: none, alerts: [] },
      {
        regimeCode: 'b',
        allocated: 1_000_000,
        decisionNumber: '1/QĐ',
        committed: 0,
        paid: 950_000,
        remaining: 50_000,
        usedPercent: 95,
        recoveries: none,
        alerts: [{ percent: 80, used: 950_000, allocated: 1_000_000, position: expect.any(String) }],
      },
      {
        regimeCode: 'g',
        allocated: 50_000_000,
        decisionNumber: '1/QĐ',
        committed: 0,
        paid: 0,
        remaining: 50_000_000,
        usedPercent: 0,
        recoveries: none,
        // 45 M of 50 M was committed before the reversal: the 80 % alert stays on the record.
        alerts: [{ percent: 80, used: 45_000_000, allocated: 50_000_000, position: expect.any(String) }],
      },
    ]);
    expect(budget.spending).toEqual([
      { regimeCode: 'a', group: 3, administrativeUnit: 'Huyện Cao Lộc', committed: 700_000, paid: 0 },
      { regimeCode: 'b', group: 3, administrativeUnit: 'Huyện Cao Lộc', committed: 0, paid: 950_000 },
      { regimeCode: 'g', group: 3, administrativeUnit: 'Xã Tân Liên', committed: 0, paid: 0 },
    ]);
  });
  it('tallies what was paid for the year-end report, per regime and group: a reversal takes the payout and its payee back out', async () => {
    expect(await money('SELECT year, regime_code, group_number, payouts, people, units, amount FROM $schema.paid_by_group ORDER BY 2, 3')).toEqual([
      { year: 2025, regime_code: 'b', group_number: 3, payouts: 1, people: 1, units: 5, amount: 950_000 },
      { year: 2025, regime_code: 'g', group_number: 3, payouts: 0, people: 0, units: 0, amount: 0 },
    ]);
    expect(await harness.rows('SELECT regime_code, people FROM $schema.paid_by_regime ORDER BY 1')).toEqual([
      { regime_code: 'b', people: 1 },
      { regime_code: 'g', people: 0 },
    ]);
  });
});

describe('payments read model: adjustments after a reorganization and a retroactive policy version', () => {
  let harness: Awaited<ReturnType<typeof projectionHarness>>;
  const replacement = 'lang-son/replacement-2025';
  const plan = 'two-tier-2025';
  const adjustment = (
    id: string,
    regimeId: 'a' | 'b',
    cause: { kind: string; id: string },
    previous: [number, number],
    next: [number, number],
    serviceDate: string,
  ): FactSpec => ({
    streamId: 'admission-s1',
    type: 'AdjustmentEntitled',
    actor: 'admin-2',
    data: {
      adjustmentId: id,
      regimeId,
      cause,
      corrects: { admissionId: 's1', regimeId, payoutId: `admission-s1-${regimeId}` },
      serviceDate,
      previous: { amount: previous[0], group: previous[1], policyVersionId: policy },
      next: {
        amount: next[0],
        group: next[1],
        policyVersionId: cause.kind === 'policy-version' ? cause.id : policy,
        clause: clause(regimeId),
        ...(regimeId === 'b' ? { days: 3, segments: [{ group: next[1], rate: next[0] / 3, policyVersionId: policy }] } : {}),
      },
      difference: next[0] - previous[0],
      recordedBy: 'admin-2',
    },
  });
  let before = '';

  beforeAll(async () => {
    harness = await projectionHarness(payments);
    // A group-4 stay after 2025-07-01, approved and paid.
    await harness.apply([
      beneficiary('b-1', 'Huyện Lộc Bình', 4),
      {
        streamId: 'admission-s1',
        type: 'AdmissionRecorded',
        data: { admissionId: 's1', beneficiaryId: 'b-1', facility: 'BVĐK', admittedOn: '2025-07-05', recordedBy: 'clerk-1' },
      },
      { streamId: 'admission-s1', type: 'DischargeRecorded', data: { dischargedOn: '2025-07-07', recordedBy: 'clerk-1' } },
      {
        streamId: 'admission-s1',
        type: 'VisitAllowanceEntitled',
        data: { serviceDate: '2025-07-05', group: 4, amount: 700_000, policyVersionId: policy, clause: clause('a') },
      },
      {
        streamId: 'admission-s1',
        type: 'MealAllowanceEntitled',
        data: {
          amount: 570_000,
          days: 3,
          segments: [{ from: '2025-07-05', to: '2025-07-07', days: 3, group: 4, rate: 190_000, amount: 570_000, policyVersionId: policy, clause: clause('b') }],
        },
      },
      { streamId: 'admission-s1', type: 'AdmissionAllowancesApproved', actor: 'approver-1', data: { by: 'approver-1', visit: 700_000, meals: 570_000 } },
      scheduled('admission-s1-a', { kind: 'admission', id: 's1' }, 'a', 700_000, '2025-07-05', { group: 4 }),
      scheduled('admission-s1-b', { kind: 'admission', id: 's1' }, 'b', 570_000, '2025-07-07', { group: 4 }),
      { streamId: 'payout-admission-s1-a', type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'UNC-1', paidOn: '2025-08-01', by: 'finance-1' } },
      { streamId: 'payout-admission-s1-b', type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'UNC-2', paidOn: '2025-08-01', by: 'finance-1' } },
    ]);
    before = (await harness.rows<{ p: string }>('SELECT max(global_position)::text AS p FROM $schema.budget_entries'))[0].p;
    // The plan moves the stay to group 5 (visit 600,000), then a replacement version raises the meals.
    await harness.apply([
      {
        streamId: `reorganization-${plan}`,
        type: 'ReorganizationPlanDrafted',
        actor: 'admin-1',
        data: { planId: plan, title: 'Hai cấp', decisionNumber: '759/QĐ-TTg', effectiveFrom: '2025-07-01', titles: [], units: {}, draftedBy: 'admin-1' },
      },
      { streamId: `reorganization-${plan}`, type: 'ReorganizationPlanConfirmed', actor: 'admin-2', data: { by: 'admin-2' } },
      adjustment('s1-a-1', 'a', { kind: 'reorganization-plan', id: plan }, [700_000, 4], [600_000, 5], '2025-07-05'),
      adjustment('s1-b-2', 'b', { kind: 'reorganization-plan', id: plan }, [570_000, 4], [570_000, 5], '2025-07-07'),
      {
        streamId: 'policy-catalog',
        type: 'PolicyVersionDrafted',
        actor: 'admin-1',
        data: { version: { id: replacement, effectiveFrom: '2025-07-01' }, draftedBy: 'admin-1' },
      },
      { streamId: 'policy-catalog', type: 'PolicyVersionConfirmed', actor: 'admin-2', data: { versionId: replacement, by: 'admin-2' } },
      { streamId: 'policy-catalog', type: 'PolicyVersionPublished', actor: 'admin-2', data: { version: { id: replacement, effectiveFrom: '2025-07-01' } } },
      adjustment('s1-b-3', 'b', { kind: 'policy-version', id: replacement }, [570_000, 5], [600_000, 5], '2025-07-07'),
    ]);
    await harness.apply([
      { streamId: 'admission-s1', type: 'AdjustmentsApproved', actor: 'approver-2', data: { adjustmentIds: ['s1-a-1', 's1-b-2', 's1-b-3'], by: 'approver-2' } },
      scheduled('adjustment-s1-a-1', { kind: 'adjustment', id: 's1-a-1' }, 'a', -100_000, '2025-07-05', { group: 5 }),
      scheduled('adjustment-s1-b-3', { kind: 'adjustment', id: 's1-b-3' }, 'b', 30_000, '2025-07-07', { group: 5 }),
      { streamId: 'payout-adjustment-s1-a-1', type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'THU-1', paidOn: '2025-12-20', by: 'finance-1' } },
    ]);
  }, 60_000);
  afterAll(() => harness.close());

  it('adds adjustments to the balance as entitled and adjusted, approved when approved, paid when paid', async () => {
    expect((await balancesOf(harness.pool, 'b-1', 2025)).map((b) => [b.regimeId, b.entitled, b.approved, b.paid, b.adjusted])).toEqual([
      ['a', 600_000, 600_000, 600_000, -100_000],
      ['b', 600_000, 600_000, 570_000, 30_000],
    ]);
    const asKnownBefore = await balancesAsOf(harness.pool, 'b-1', 2025, { position: before });
    expect(asKnownBefore.map((b) => [b.regimeId, b.entitled, b.paid, b.adjusted])).toEqual([
      ['a', 700_000, 700_000, 0],
      ['b', 570_000, 570_000, 0],
    ]);
    expect((await balancesAsOf(harness.pool, 'b-1', 2025, { validOn: '2025-07-06' })).map((b) => b.regimeId)).toEqual(['a']);
  });

  it('moves the stay’s payouts to the new group in the budget, and keeps the old view as known before', async () => {
    const lines = (rows: { regimeCode: string; group: number; committed: number; paid: number }[]) =>
      rows.map((r) => [r.regimeCode, r.group, r.committed, r.paid]);
    expect(lines(await budgetAsOf(harness.pool, 2025, {}))).toEqual([
      ['a', 5, 0, 600_000],
      ['b', 5, 30_000, 570_000],
    ]);
    expect(lines(await budgetAsOf(harness.pool, 2025, { position: before }))).toEqual([
      ['a', 4, 0, 700_000],
      ['b', 4, 0, 570_000],
    ]);
    expect(await harness.rows('SELECT payout_id, group_number FROM $schema.payouts ORDER BY 1')).toEqual([
      { payout_id: 'adjustment-s1-a-1', group_number: 5 },
      { payout_id: 'adjustment-s1-b-3', group_number: 5 },
      { payout_id: 'admission-s1-a', group_number: 5 },
      { payout_id: 'admission-s1-b', group_number: 5 },
    ]);
  });

  it('moves the stay’s paid payouts to the new group in the year-end tallies, its payee counted once per regime', async () => {
    expect(await harness.rows('SELECT regime_code, group_number, payouts, people, units, amount::int FROM $schema.paid_by_group ORDER BY 1, 2')).toEqual([
      { regime_code: 'a', group_number: 4, payouts: 0, people: 0, units: 0, amount: 0 },
      // The stay's visit and the recovery paid after the plan: one person, one visit, 600,000 net.
      { regime_code: 'a', group_number: 5, payouts: 1, people: 1, units: 1, amount: 600_000 },
      { regime_code: 'b', group_number: 4, payouts: 0, people: 0, units: 0, amount: 0 },
      // The 30,000 top-up is scheduled, not paid yet.
      { regime_code: 'b', group_number: 5, payouts: 1, people: 1, units: 3, amount: 570_000 },
    ]);
    expect(await harness.rows('SELECT regime_code, people FROM $schema.paid_by_regime ORDER BY 1')).toEqual([
      { regime_code: 'a', people: 1 },
      { regime_code: 'b', people: 1 },
    ]);
    expect(await harness.rows('SELECT regime_code, person, lines_by_group FROM $schema.paid_people ORDER BY 1')).toEqual([
      { regime_code: 'a', person: 'b-1', lines_by_group: { 5: 1 } },
      { regime_code: 'b', person: 'b-1', lines_by_group: { 5: 1 } },
    ]);
  });

  it('keeps each adjustment with its cause, and traces a recovery back through the plan to the stay', async () => {
    expect(
      await harness.rows('SELECT adjustment_id, cause_kind, difference::int, previous_group, next_group, approved_by FROM $schema.adjustments ORDER BY 1'),
    ).toEqual([
      { adjustment_id: 's1-a-1', cause_kind: 'reorganization-plan', difference: -100_000, previous_group: 4, next_group: 5, approved_by: 'approver-2' },
      { adjustment_id: 's1-b-2', cause_kind: 'reorganization-plan', difference: 0, previous_group: 4, next_group: 5, approved_by: 'approver-2' },
      { adjustment_id: 's1-b-3', cause_kind: 'policy-version', difference: 30_000, previous_group: 5, next_group: 5, approved_by: 'approver-2' },
    ]);
    const traced = await payoutLineage(harness.readModels, 'adjustment-s1-a-1');
    expect(traced!.lineage.map((step: { step: string; actor: string }) => `${step.step} ${step.actor}`)).toEqual([
      'AdmissionRecorded clerk-1',
      'DischargeRecorded clerk-1',
      'VisitAllowanceEntitled clerk-1',
      'MealAllowanceEntitled clerk-1',
      'AdmissionAllowancesApproved approver-1',
      'PayoutScheduled approver-1',
      'PayoutScheduled approver-1',
      'PayoutPaid finance-1',
      'PayoutPaid finance-1',
      'ReorganizationPlanDrafted admin-1',
      'ReorganizationPlanConfirmed admin-2',
      'AdjustmentEntitled admin-2',
      'AdjustmentEntitled admin-2',
      'PolicyVersionDrafted admin-1',
      'PolicyVersionConfirmed admin-2',
      'PolicyVersionPublished admin-2',
      'AdjustmentEntitled admin-2',
      'AdjustmentsApproved approver-2',
      'PayoutScheduled approver-1',
      'PayoutScheduled approver-1',
      'PayoutPaid finance-1',
    ]);
  });
});

describe('payments read model: retroactive changes confirmed in either order', () => {
  const version = 'policy-raising-group-3';
  const plan = 'group-3-to-4';
  const stay = (id: string, group: number, visit: number, meals: number): FactSpec[] => [
    {
      streamId: `admission-${id}`,
      type: 'AdmissionRecorded',
      data: { admissionId: id, beneficiaryId: 'b-1', facility: 'BVĐK', admittedOn: '2025-08-04', recordedBy: 'clerk-1' },
    },
    { streamId: `admission-${id}`, type: 'DischargeRecorded', data: { dischargedOn: '2025-08-06', recordedBy: 'clerk-1' } },
    {
      streamId: `admission-${id}`,
      type: 'VisitAllowanceEntitled',
      data: { serviceDate: '2025-08-04', group, amount: visit, policyVersionId: policy, clause: clause('a') },
    },
    {
      streamId: `admission-${id}`,
      type: 'MealAllowanceEntitled',
      data: {
        amount: meals,
        days: 3,
        segments: [{ from: '2025-08-04', to: '2025-08-06', days: 3, group, rate: meals / 3, amount: meals, policyVersionId: policy, clause: clause('b') }],
      },
    },
    { streamId: `admission-${id}`, type: 'AdmissionAllowancesApproved', actor: 'approver-1', data: { by: 'approver-1', visit, meals } },
    scheduled(`admission-${id}-a`, { kind: 'admission', id }, 'a', visit, '2025-08-04', { group }),
    scheduled(`admission-${id}-b`, { kind: 'admission', id }, 'b', meals, '2025-08-06', { group }),
    { streamId: `payout-admission-${id}-a`, type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'UNC-a', paidOn: '2025-08-20', by: 'finance-1' } },
    { streamId: `payout-admission-${id}-b`, type: 'PayoutPaid', actor: 'finance-1', data: { reference: 'UNC-b', paidOn: '2025-08-20', by: 'finance-1' } },
  ];
  /** An adjustment of stay s1, approved, its payout scheduled and paid. */
  const adjusted = (n: number, regimeId: 'a' | 'b', cause: { kind: string; id: string }, previous: [number, number], next: [number, number]): FactSpec[] => {
    const adjustmentId = `s1-${regimeId}-${n}`;
    const serviceDate = regimeId === 'a' ? '2025-08-04' : '2025-08-06';
    return [
      {
        streamId: 'admission-s1',
        type: 'AdjustmentEntitled',
        actor: 'admin-2',
        data: {
          adjustmentId,
          regimeId,
          cause,
          corrects: { admissionId: 's1', regimeId, payoutId: `admission-s1-${regimeId}` },
          serviceDate,
          previous: { amount: previous[0], group: previous[1], policyVersionId: policy },
          next: {
            amount: next[0],
            group: next[1],
            policyVersionId: policy,
            clause: `${clause(regimeId)} (${cause.id})`,
            ...(regimeId === 'b' ? { days: 3, segments: [{ group: next[1], rate: next[0] / 3, policyVersionId: policy }] } : {}),
          },
          difference: next[0] - previous[0],
          recordedBy: 'admin-2',
        },
      },
      { streamId: 'admission-s1', type: 'AdjustmentsApproved', actor: 'approver-2', data: { adjustmentIds: [adjustmentId], by: 'approver-2' } },
      ...(next[0] === previous[0]
        ? []
        : [
            scheduled(`adjustment-${adjustmentId}`, { kind: 'adjustment', id: adjustmentId }, regimeId, next[0] - previous[0], serviceDate, { group: next[1] }),
            {
              streamId: `payout-adjustment-${adjustmentId}`,
              type: 'PayoutPaid',
              actor: 'finance-1',
              data: { reference: `ADJ-${adjustmentId}`, paidOn: '2025-12-20', by: 'finance-1' },
            },
          ]),
    ];
  };
  const moved: FactSpec = {
    streamId: 'beneficiary-b-1',
    type: 'BeneficiaryPositionChanged',
    data: { title: 'Bí thư Đảng ủy xã', administrativeUnit: 'Xã Cao Lộc', from: '2025-07-01' },
  };
  const byPolicy = { kind: 'policy-version', id: version };
  const byPlan = { kind: 'reorganization-plan', id: plan };
  // Group 3: visit 700,000 and meals 190,000 a day, raised by the version to 900,000 and 250,000; group 4 (the plan's, from 2025-07-01): 600,000 and 190,000.
  const worlds: Record<string, FactSpec[][]> = {
    'the version, then the plan': [
      [beneficiary('b-1', 'Huyện Cao Lộc', 3), ...stay('s1', 3, 700_000, 570_000)],
      [...adjusted(1, 'a', byPolicy, [700_000, 3], [900_000, 3]), ...adjusted(2, 'b', byPolicy, [570_000, 3], [750_000, 3])],
      [moved, ...adjusted(3, 'a', byPlan, [900_000, 3], [600_000, 4]), ...adjusted(4, 'b', byPlan, [750_000, 3], [570_000, 4])],
    ],
    'the plan, then the version': [
      [beneficiary('b-1', 'Huyện Cao Lộc', 3), ...stay('s1', 3, 700_000, 570_000)],
      [moved, ...adjusted(1, 'a', byPlan, [700_000, 3], [600_000, 4]), ...adjusted(2, 'b', byPlan, [570_000, 3], [570_000, 4])],
    ],
    'both known from the start': [[beneficiary('b-1', 'Huyện Cao Lộc', 3), moved, ...stay('s1', 4, 600_000, 570_000)]],
  };
  const finalState = async (batches: FactSpec[][]) => {
    const harness = await projectionHarness(payments);
    try {
      for (const batch of batches) await harness.apply(batch);
      return {
        budget: await harness.rows(
          'SELECT year, regime_code, group_number, administrative_unit, committed::int, paid::int FROM $schema.budget_spending WHERE committed <> 0 OR paid <> 0 ORDER BY 1, 2, 3, 4',
        ),
        tallies: await harness.rows(
          'SELECT year, regime_code, group_number, payouts, people, units, amount::int FROM $schema.paid_by_group WHERE payouts <> 0 OR amount <> 0 ORDER BY 1, 2, 3',
        ),
        people: await harness.rows('SELECT year, regime_code, people FROM $schema.paid_by_regime WHERE people <> 0 ORDER BY 1, 2'),
        balances: await harness.rows('SELECT regime_id, entitled::int, approved::int, paid::int FROM $schema.balances ORDER BY 1'),
        payoutGroups: await harness.rows('SELECT DISTINCT line_id, group_number, administrative_unit FROM $schema.payouts ORDER BY 1'),
      };
    } finally {
      await harness.close();
    }
  };

  it('ends in the same budget, tallies and payout groups as if the final policy and classification had been known from the start', async () => {
    const [versionFirst, planFirst, fromTheStart] = await Promise.all(Object.values(worlds).map(finalState));
    expect(fromTheStart).toEqual({
      budget: [
        { year: 2025, regime_code: 'a', group_number: 4, administrative_unit: 'Xã Cao Lộc', committed: 0, paid: 600_000 },
        { year: 2025, regime_code: 'b', group_number: 4, administrative_unit: 'Xã Cao Lộc', committed: 0, paid: 570_000 },
      ],
      tallies: [
        { year: 2025, regime_code: 'a', group_number: 4, payouts: 1, people: 1, units: 1, amount: 600_000 },
        { year: 2025, regime_code: 'b', group_number: 4, payouts: 1, people: 1, units: 3, amount: 570_000 },
      ],
      people: [
        { year: 2025, regime_code: 'a', people: 1 },
        { year: 2025, regime_code: 'b', people: 1 },
      ],
      balances: [
        { regime_id: 'a', entitled: 600_000, approved: 600_000, paid: 600_000 },
        { regime_id: 'b', entitled: 570_000, approved: 570_000, paid: 570_000 },
      ],
      payoutGroups: [
        { line_id: 'admission-s1-a', group_number: 4, administrative_unit: 'Xã Cao Lộc' },
        { line_id: 'admission-s1-b', group_number: 4, administrative_unit: 'Xã Cao Lộc' },
      ],
    });
    expect(versionFirst).toEqual(fromTheStart);
    expect(planFirst).toEqual(fromTheStart);
  });

  it('counts no one for a stay recovered to nothing, and gives each adjustment payout the clause and rate it settles', async () => {
    const harness = await projectionHarness(payments);
    try {
      await harness.apply([beneficiary('b-1', 'Huyện Cao Lộc', 3), ...stay('s1', 3, 700_000, 570_000)]);
      await harness.apply([...adjusted(1, 'a', byPlan, [700_000, 3], [0, 3]), ...adjusted(2, 'b', byPlan, [570_000, 3], [750_000, 3])]);
      expect(await harness.rows('SELECT regime_code, group_number, payouts, people, units, amount::int FROM $schema.paid_by_group ORDER BY 1, 2')).toEqual([
        { regime_code: 'a', group_number: 3, payouts: 0, people: 0, units: 0, amount: 0 },
        { regime_code: 'b', group_number: 3, payouts: 1, people: 1, units: 3, amount: 750_000 },
      ]);
      expect(await harness.rows("SELECT payout_id, line_id, clause, basis::int FROM $schema.payouts WHERE source_kind = 'adjustment' ORDER BY 1")).toEqual([
        // A recovery to nothing settles the entitlement it takes back.
        { payout_id: 'adjustment-s1-a-1', line_id: 'admission-s1-a', clause: clause('a'), basis: 700_000 },
        { payout_id: 'adjustment-s1-b-2', line_id: 'admission-s1-b', clause: `${clause('b')} (${plan})`, basis: 250_000 },
      ]);
    } finally {
      await harness.close();
    }
  });
});

describe('payments read model: a stay across New Year', () => {
  let harness: Awaited<ReturnType<typeof projectionHarness>>;
  const raised = 'lang-son/meals-2025';
  const segment = (from: string, to: string, days: number, rate = 190_000, policyVersionId = policy) => ({
    from,
    to,
    days,
    group: 3,
    rate,
    amount: days * rate,
    policyVersionId,
    clause: clause('b'),
  });
  const paid = (payoutId: string, paidOn: string): FactSpec => ({
    streamId: `payout-${payoutId}`,
    type: 'PayoutPaid',
    actor: 'finance-1',
    data: { reference: `UNC-${payoutId}`, paidOn, by: 'finance-1' },
  });

  beforeAll(async () => {
    harness = await projectionHarness(payments);
    // 2025-12-29 to 2026-01-02: the visit and three meal days in 2025, two meal days in 2026, each year's meals paid apart.
    await harness.apply([
      beneficiary('b-1', 'Huyện Cao Lộc'),
      {
        streamId: 'admission-s9',
        type: 'AdmissionRecorded',
        data: { admissionId: 's9', beneficiaryId: 'b-1', cardNumber: 'LS-1', facility: 'BVĐK', admittedOn: '2025-12-29', recordedBy: 'clerk-1' },
      },
      { streamId: 'admission-s9', type: 'DischargeRecorded', data: { dischargedOn: '2026-01-02', recordedBy: 'clerk-1' } },
      {
        streamId: 'admission-s9',
        type: 'VisitAllowanceEntitled',
        data: { serviceDate: '2025-12-29', group: 3, amount: 700_000, policyVersionId: policy, clause: clause('a') },
      },
      {
        streamId: 'admission-s9',
        type: 'MealAllowanceEntitled',
        data: { amount: 950_000, days: 5, segments: [segment('2025-12-29', '2025-12-31', 3), segment('2026-01-01', '2026-01-02', 2)], byYear: true },
      },
      { streamId: 'admission-s9', type: 'AdmissionAllowancesApproved', actor: 'approver-1', data: { by: 'approver-1', visit: 700_000, meals: 950_000 } },
      scheduled('admission-s9-a', { kind: 'admission', id: 's9' }, 'a', 700_000, '2025-12-29'),
      scheduled('admission-s9-b-2025', { kind: 'admission', id: 's9' }, 'b', 570_000, '2025-12-31'),
      scheduled('admission-s9-b', { kind: 'admission', id: 's9' }, 'b', 380_000, '2026-01-02'),
      paid('admission-s9-a', '2026-01-10'),
      paid('admission-s9-b-2025', '2026-01-10'),
      paid('admission-s9-b', '2026-01-10'),
    ]);
    // A version raising 2025's meals to 200,000 a day corrects the 2025 part only.
    await harness.apply([
      {
        streamId: 'admission-s9',
        type: 'AdjustmentEntitled',
        actor: 'admin-2',
        data: {
          adjustmentId: 's9-b-1',
          regimeId: 'b',
          cause: { kind: 'policy-version', id: raised },
          corrects: { admissionId: 's9', regimeId: 'b', payoutId: 'admission-s9-b-2025' },
          serviceDate: '2025-12-31',
          previous: { amount: 570_000, group: 3, policyVersionId: policy },
          next: {
            amount: 600_000,
            group: 3,
            policyVersionId: raised,
            clause: clause('b'),
            days: 3,
            segments: [segment('2025-12-29', '2025-12-31', 3, 200_000, raised)],
          },
          difference: 30_000,
          recordedBy: 'admin-2',
        },
      },
      { streamId: 'admission-s9', type: 'AdjustmentsApproved', actor: 'approver-2', data: { adjustmentIds: ['s9-b-1'], by: 'approver-2' } },
      scheduled('adjustment-s9-b-1', { kind: 'adjustment', id: 's9-b-1' }, 'b', 30_000, '2025-12-31'),
      paid('adjustment-s9-b-1', '2026-02-01'),
    ]);
  }, 60_000);
  afterAll(() => harness.close());

  it('keeps each year’s meals in that year’s balance: entitled, approved, adjusted and paid', async () => {
    const balances = async (year: number) => (await balancesOf(harness.pool, 'b-1', year)).map((b) => [b.regimeId, b.entitled, b.approved, b.paid, b.adjusted]);
    expect(await balances(2025)).toEqual([
      ['a', 700_000, 700_000, 700_000, 0],
      ['b', 600_000, 600_000, 600_000, 30_000],
    ]);
    expect(await balances(2026)).toEqual([['b', 380_000, 380_000, 380_000, 0]]);
  });

  it('spends each year’s meals in that year’s budget', async () => {
    const spent = async (year: number) => (await annualBudget(harness.pool, year)).spending.map((s) => [s.regimeCode, s.group, s.paid]);
    expect(await spent(2025)).toEqual([
      ['a', 3, 700_000],
      ['b', 3, 600_000],
    ]);
    expect(await spent(2026)).toEqual([['b', 3, 380_000]]);
  });

  it('counts each year’s meal days, and the visit in the year of admission, in the year-end tallies', async () => {
    expect(
      await harness.rows('SELECT year, regime_code, group_number, payouts, people, units, amount::int FROM $schema.paid_by_group ORDER BY 1, 2, 3'),
    ).toEqual([
      { year: 2025, regime_code: 'a', group_number: 3, payouts: 1, people: 1, units: 1, amount: 700_000 },
      { year: 2025, regime_code: 'b', group_number: 3, payouts: 1, people: 1, units: 3, amount: 600_000 },
      { year: 2026, regime_code: 'b', group_number: 3, payouts: 1, people: 1, units: 2, amount: 380_000 },
    ]);
    expect(await harness.rows("SELECT payout_id, line_id, year, units, basis::int FROM $schema.payouts WHERE regime_code = 'b' ORDER BY 1")).toEqual([
      { payout_id: 'adjustment-s9-b-1', line_id: 'admission-s9-b-2025', year: 2025, units: 0, basis: 200_000 },
      { payout_id: 'admission-s9-b', line_id: 'admission-s9-b', year: 2026, units: 2, basis: 190_000 },
      { payout_id: 'admission-s9-b-2025', line_id: 'admission-s9-b-2025', year: 2025, units: 3, basis: 190_000 },
    ]);
  });

  it('keeps a stay whose meals were entitled before they were counted by year whole in the discharge year', async () => {
    await harness.apply([
      beneficiary('b-2', 'Huyện Cao Lộc'),
      {
        streamId: 'admission-s8',
        type: 'AdmissionRecorded',
        data: { admissionId: 's8', beneficiaryId: 'b-2', facility: 'BVĐK', admittedOn: '2024-12-30', recordedBy: 'clerk-1' },
      },
      { streamId: 'admission-s8', type: 'DischargeRecorded', data: { dischargedOn: '2025-01-01', recordedBy: 'clerk-1' } },
      { streamId: 'admission-s8', type: 'MealAllowanceEntitled', data: { amount: 570_000, days: 3, segments: [segment('2024-12-30', '2025-01-01', 3)] } },
      { streamId: 'admission-s8', type: 'AdmissionAllowancesApproved', actor: 'approver-1', data: { by: 'approver-1', visit: 0, meals: 570_000 } },
      scheduled('admission-s8-b', { kind: 'admission', id: 's8' }, 'b', 570_000, '2025-01-01', { beneficiaryId: 'b-2', payee: 'b-2' }),
    ]);
    expect((await balancesOf(harness.pool, 'b-2', 2025)).map((b) => [b.regimeId, b.entitled, b.approved])).toEqual([['b', 570_000, 570_000]]);
    expect(await balancesOf(harness.pool, 'b-2', 2024)).toEqual([]);
    expect(await harness.rows("SELECT year, units FROM $schema.payouts WHERE payout_id = 'admission-s8-b'")).toEqual([{ year: 2025, units: 3 }]);
  });
});
