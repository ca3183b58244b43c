import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import {
  API_BACKENDS,
  caughtUp,
  client,
  drugs,
  leavesLogUnchanged as leavesLogUnchangedIn,
  ok,
  type Reply,
  type RunningApi,
  signInPeople,
  startApi,
} from './testing/api-backends.fixture.js';

const catalog = JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')) as { regimes: { id: string; rule: Record<string, unknown> }[] };

/** A replacement version from 2025-07-01 raising the meal allowance to 200,000 VND a day. */
const mealRaise = {
  ...catalog,
  id: 'lang-son/meal-raise-2025-07',
  effectiveFrom: '2025-07-01',
  regimes: catalog.regimes.map((regime) =>
    regime.id === 'b' ? { ...regime, rule: { ...regime.rule, rateByGroup: { 1: 200000, 2: 200000, 3: 200000, 4: 200000, 5: 200000, 6: 200000 } } } : regime,
  ),
};

describe.each(API_BACKENDS)('one beneficiary from enrolment to payout, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<
    'admin' | 'secondAdmin' | 'clerk' | 'council' | 'approver' | 'secondApprover' | 'finance' | 'auditor' | 'clerkAndApprover',
    ReturnType<typeof client>
  >;

  const leavesLogUnchanged = (request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}) =>
    leavesLogUnchangedIn(api, request, status, expected);

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      secondAdmin: ['quan', ['administrator']],
      clerk: ['lan', ['clerk']],
      council: ['minh', ['council-member']],
      approver: ['hoa', ['approver']],
      secondApprover: ['tuan', ['approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
      clerkAndApprover: ['nam', ['clerk', 'approver']],
    });
  });
  afterAll(() => api.close());

  it('walks enrolment, a card, an admission across a rate change, drugs up to and over the annual cap, approvals and payouts', async () => {
    // Nobody unauthenticated or without the role changes anything.
    await leavesLogUnchanged(client(api.base).post('/beneficiaries', {}), 401);
    await leavesLogUnchanged(as.auditor.post('/beneficiaries', {}), 403);
    await leavesLogUnchanged(as.clerk.post('/policy-versions', mealRaise), 403);

    // Policy as data: a bad version is refused field by field; the meal raise, with past effect, is drafted by one administrator and published by another's confirmation.
    await leavesLogUnchanged(as.admin.post('/policy-versions', { ...mealRaise, effectiveFrom: '2025-02-30', regimes: [] }), 400, {
      fields: expect.arrayContaining([expect.objectContaining({ field: 'effectiveFrom' }), expect.objectContaining({ field: 'regimes' })]),
    });
    await leavesLogUnchanged(as.admin.post('/policy-versions', mealRaise), 409, { rule: 'RetroactiveVersionNeedsDraft' });
    await ok(as.admin.post('/policy-versions/drafts', mealRaise), 201);
    // What awaits a second administrator, for their screen.
    expect(await ok(as.secondAdmin.get('/policy-versions/drafts/pending'))).toEqual([
      { versionId: mealRaise.id, effectiveFrom: mealRaise.effectiveFrom, status: 'drafted', draftedBy: 'admin' },
    ]);
    await leavesLogUnchanged(as.clerk.get('/policy-versions/drafts/pending'), 403);
    expect(await ok(as.secondAdmin.post(`/policy-versions/drafts/${encodeURIComponent(mealRaise.id)}/confirmation`))).toEqual({
      versionId: mealRaise.id,
      staysExamined: 0,
      claimsExamined: 0,
      adjustments: 0,
    });
    expect(await ok(as.admin.get('/policy-versions/drafts/pending'))).toEqual([]);
    await leavesLogUnchanged(as.admin.post('/policy-versions', mealRaise), 201, { published: false });
    // A version taking effect after today changes nothing already paid: one administrator publishes it.
    const nextYear = { ...mealRaise, id: 'lang-son/meal-raise-2099', effectiveFrom: '2099-01-01' };
    expect(await ok(as.admin.post('/policy-versions', nextYear), 201)).toEqual({ versionId: nextYear.id, published: true });
    expect((await ok(as.auditor.get('/policy-versions'))).map((v: { id: string }) => v.id)).toEqual(['lang-son/nq-24-2024/v2', mealRaise.id, nextYear.id]);

    // Enrolment: the national id must fit the date of birth and be new to the province; a retry with the same command id does nothing more.
    const enrolment = {
      fullName: 'Hoàng Văn Bình',
      dateOfBirth: '1968-05-12',
      nationalId: '020068001234',
      title: 'Phó Bí thư Huyện ủy',
      administrativeUnit: 'Huyện Cao Lộc',
      group: 3,
      from: '2025-01-01',
    };
    await leavesLogUnchanged(as.clerk.post('/beneficiaries', { ...enrolment, dateOfBirth: '1970-05-12' }), 400, {
      fields: [expect.objectContaining({ field: 'nationalId' })],
    });
    await leavesLogUnchanged(as.clerk.post('/beneficiaries', { ...enrolment, group: 7, surname: 'x' }), 400, {
      fields: expect.arrayContaining([expect.objectContaining({ field: 'group' }), expect.objectContaining({ field: 'surname' })]),
    });
    const commandId = { 'command-id': 'enrol-binh-2025-0001' };
    const { beneficiaryId } = await ok(as.clerk.post('/beneficiaries', enrolment, commandId), 201);
    await leavesLogUnchanged(as.clerk.post('/beneficiaries', enrolment, commandId), 201, { beneficiaryId });
    await leavesLogUnchanged(as.clerk.post('/beneficiaries', { ...enrolment, fullName: 'Someone Else' }), 409, { rule: 'NationalIdTaken' });
    expect(await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}/group?on=2025-07-01`))).toEqual({ on: '2025-07-01', group: 3 });
    await leavesLogUnchanged(as.auditor.get('/beneficiaries/nobody'), 404);

    // A card, unique in the province.
    const card = { cardNumber: 'LS-2025-00001', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' };
    await ok(as.clerk.post('/cards', card), 201);
    await leavesLogUnchanged(as.clerk.post('/cards', { ...card, validFrom: '2025-02-01' }), 409, { rule: 'CardNumberTaken' });
    // A reissue to a number already taken is refused before anything is written: the old card stays valid.
    await ok(as.clerk.post('/cards', { ...card, cardNumber: 'LS-2025-00009' }), 201);
    await leavesLogUnchanged(as.clerk.post(`/cards/${card.cardNumber}/reissue`, { newCardNumber: 'LS-2025-00009', reason: 'lost', on: '2025-03-01' }), 409, {
      rule: 'CardNumberTaken',
    });
    expect((await ok(as.auditor.get(`/cards/${card.cardNumber}`))).state.status).toBe('valid');

    // An admission across 2025-07-01: visit allowance on the admission date, meals day by day at each day's rate.
    const { admissionId } = await ok(
      as.clerk.post('/admissions', { beneficiaryId, cardNumber: card.cardNumber, facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-06-28' }),
      201,
    );
    await leavesLogUnchanged(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-06-27' }), 409, { rule: 'DischargeBeforeAdmission' });
    await leavesLogUnchanged(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '9999-12-31' }), 400, {
      fields: [expect.objectContaining({ field: 'dischargedOn' })],
    });
    const discharged = await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-07-03' }));
    expect(discharged.visit).toMatchObject({ serviceDate: '2025-06-28', group: 3, amount: 700000 });
    expect(discharged.meals).toMatchObject({ days: 6, amount: 3 * 190000 + 3 * 200000 });
    expect(
      discharged.meals.segments.map((s: { from: string; to: string; rate: number; policyVersionId: string }) => [s.from, s.to, s.rate, s.policyVersionId]),
    ).toEqual([
      ['2025-06-28', '2025-06-30', 190000, 'lang-son/nq-24-2024/v2'],
      ['2025-07-01', '2025-07-03', 200000, mealRaise.id],
    ]);
    await leavesLogUnchanged(as.clerk.post(`/admissions/${admissionId}/approval`), 403);
    expect(await ok(as.approver.post(`/admissions/${admissionId}/approval`))).toMatchObject({ status: 'approved' });
    expect((await ok(as.auditor.get(`/payouts/admission-${admissionId}-b`))).state).toMatchObject({
      status: 'scheduled',
      scheduled: { amount: 1170000, regimeCode: 'b' },
    });
    expect((await ok(as.auditor.get(`/payouts/admission-${admissionId}-a`))).state).toMatchObject({
      status: 'scheduled',
      scheduled: { amount: 700000, group: 3 },
    });

    // Special drugs against the group-3 annual cap of 40,000,000 VND.
    // Council members record special-drug claims only.
    await leavesLogUnchanged(as.council.post('/claims', { regimeId: 'e', beneficiaryId, cardNumber: card.cardNumber, serviceDate: '2025-08-01' }), 403);
    const first = await ok(as.council.post('/drug-reimbursements', drugs(30000000, '2025-08-10', card.cardNumber, beneficiaryId)), 201);
    await leavesLogUnchanged(as.council.post(`/claims/${first.claimId}/approval`), 403);
    expect((await ok(as.approver.post(`/claims/${first.claimId}/approval`, {}, { 'command-id': 'approve-first-drugs' }))).approval).toMatchObject({
      amount: 30000000,
      approvedBy: ['hoa'],
      partial: false,
    });
    // The payout follows from the approval: caused by its event, and correlated with the approver's command.
    const approval = (await api.runtime.store.readStream(`claim-${first.claimId}`)).find((event) => event.type === 'ClaimApproved');
    expect((await api.runtime.store.readStream(`payout-claim-${first.claimId}`))[0]).toMatchObject({
      type: 'PayoutScheduled',
      metadata: { causationId: approval!.eventId, correlationId: 'approve-first-drugs' },
    });

    const second = await ok(as.council.post('/drug-reimbursements', drugs(15000000, '2025-09-01', card.cardNumber, beneficiaryId)), 201);
    await leavesLogUnchanged(as.approver.post(`/claims/${second.claimId}/approval`), 409, { rule: 'AnnualCapExceeded' });
    expect((await ok(as.secondApprover.post(`/claims/${second.claimId}/partial-approval`))).approval).toMatchObject({ amount: 10000000, partial: true });

    // Maker–checker: one person may hold both roles, but not decide their own request.
    const third = await ok(as.clerkAndApprover.post('/drug-reimbursements', drugs(5000000, '2025-10-01', card.cardNumber, beneficiaryId)), 201);
    await leavesLogUnchanged(as.clerkAndApprover.post(`/claims/${third.claimId}/approval`), 409, { rule: 'ApprovingOwnRequest' });
    await leavesLogUnchanged(as.approver.post(`/claims/${third.claimId}/approval`), 409, { rule: 'AnnualCapExceeded' });
    await leavesLogUnchanged(as.approver.post(`/claims/${third.claimId}/partial-approval`), 409, { rule: 'AnnualCapExhausted' });
    await leavesLogUnchanged(as.approver.post(`/claims/${third.claimId}/over-cap-proposal`, {}), 400, {
      fields: [expect.objectContaining({ field: 'reason' })],
    });
    await ok(as.approver.post(`/claims/${third.claimId}/over-cap-proposal`, { reason: 'Council confirms the treatment cannot be interrupted' }));
    await leavesLogUnchanged(as.approver.post(`/claims/${third.claimId}/over-cap-confirmation`), 409, { rule: 'SecondApproverRequired' });
    expect((await ok(as.secondApprover.post(`/claims/${third.claimId}/over-cap-confirmation`))).approval).toMatchObject({
      amount: 5000000,
      overCap: 5000000,
      approvedBy: ['hoa', 'tuan'],
      overCapReason: 'Council confirms the treatment cannot be interrupted',
    });
    expect((await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}/annual-ledgers/g/2025`))).state).toMatchObject({ used: 45000000 });

    // Payouts: paid once, with a reference; a reversal gives the cap back.
    await leavesLogUnchanged(as.approver.post(`/payouts/claim-${first.claimId}/payment`, { reference: 'UNC-2025-0815', paidOn: '2025-08-20' }), 403);
    expect(await ok(as.finance.post(`/payouts/claim-${first.claimId}/payment`, { reference: 'UNC-2025-0815', paidOn: '2025-08-20' }))).toMatchObject({
      status: 'paid',
      scheduled: { amount: 30000000, regimeCode: 'g', annualLedgerStreamId: `annualcap-${beneficiaryId}-g-2025` },
    });
    await leavesLogUnchanged(as.finance.post(`/payouts/claim-${first.claimId}/payment`, { reference: 'UNC-2025-0816', paidOn: '2025-08-21' }), 409, {
      rule: 'AlreadyPaid',
    });
    await leavesLogUnchanged(as.finance.post(`/payouts/claim-${first.claimId}/payment`, { reference: 'UNC-2025-0815', paidOn: '2025-08-20' }), 200, {
      status: 'paid',
    });
    await ok(as.finance.post(`/payouts/claim-${second.claimId}/reversal`, { reason: 'Pharmacy refunded the purchase', on: '2025-09-15' }));
    await leavesLogUnchanged(as.finance.post(`/payouts/claim-${second.claimId}/payment`, { reference: 'UNC-2025-0900', paidOn: '2025-09-20' }), 409, {
      rule: 'Reversed',
    });
    const ledger = (await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}/annual-ledgers/g/2025`))).state;
    expect(ledger).toEqual({ used: 35000000, consumed: { [first.claimId]: 30000000 }, reserved: { [third.claimId]: 5000000 } });
    await ok(as.finance.post(`/payouts/admission-${admissionId}-b/payment`, { reference: 'UNC-2025-0710', paidOn: '2025-07-10' }));

    // The auditor reads every step with its actor, and can change nothing.
    const claim = await ok(as.auditor.get(`/claims/${third.claimId}`));
    expect(claim.history.map((h: { type: string; actor: string }) => [h.type, h.actor])).toEqual([
      ['ClaimRequested', 'nam'],
      ['OverCapApprovalProposed', 'hoa'],
      ['ClaimApproved', 'tuan'],
    ]);
    await leavesLogUnchanged(as.auditor.post(`/claims/${third.claimId}/rejection`, { reason: 'audit' }), 403);
  });

  it('approves a reviewed list of claims in one action, each as its own decision, checking eligibility again', async () => {
    const enrolment = {
      fullName: 'Lý Thị Mai',
      dateOfBirth: '1975-03-02',
      nationalId: '020175004321',
      title: 'Trưởng ban',
      administrativeUnit: 'Huyện Lộc Bình',
      group: 4,
      from: '2025-01-01',
    };
    const { beneficiaryId } = await ok(as.clerk.post('/beneficiaries', enrolment), 201);
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-00777', beneficiaryId, validFrom: '2025-01-01', validTo: '2025-12-31' }), 201);
    // The documents' reference numbers are kept with the request; an empty one is refused.
    const checkClaim = { regimeId: 'h.fixed', beneficiaryId, cardNumber: 'LS-2025-00777', serviceDate: '2025-04-10', documents: ['HĐ 0001234', 'KQ-2025-118'] };
    await leavesLogUnchanged(as.clerk.post('/claims', { ...checkClaim, documents: ['HĐ 0001234', ' '] }), 400);
    const check = await ok(as.clerk.post('/claims', checkClaim), 201);
    expect((await ok(as.auditor.get(`/claims/${check.claimId}`))).state.facts.documents).toEqual(checkClaim.documents);
    const fees = await ok(
      as.clerk.post('/claims', { regimeId: 'd', beneficiaryId, cardNumber: 'LS-2025-00777', serviceDate: '2025-11-20', outOfPocket: 3000000 }),
      201,
    );
    await leavesLogUnchanged(as.clerk.post('/claims', { regimeId: 'đ.home', beneficiaryId, cardNumber: 'LS-2025-00777', serviceDate: '2025-05-01' }), 409, {
      rule: 'RegimeNotForGroup',
    });
    // Died before the hospital-fee service date: that claim is no longer eligible at approval.
    await ok(as.clerk.post(`/beneficiaries/${beneficiaryId}/death`, { on: '2025-11-01' }));

    const outcomes = await ok(as.approver.post('/claims/approvals', { claimIds: [check.claimId, fees.claimId, 'no-such-claim'] }));
    expect(outcomes).toEqual([
      { claimId: check.claimId, outcome: 'approved' },
      { claimId: fees.claimId, outcome: 'refused', rule: 'DeceasedBeforeServiceDate', message: expect.any(String) },
      { claimId: 'no-such-claim', outcome: 'refused', rule: 'NotFound', message: expect.any(String) },
    ]);
    expect((await ok(as.auditor.get(`/payouts/claim-${check.claimId}`))).state.scheduled).toMatchObject({ amount: 2000000, group: 4, regimeCode: 'h' });
    expect((await ok(as.auditor.get(`/claims/${fees.claimId}`))).state.status).toBe('requested');
  });

  it('serves the read models: register as of a date, cards, balances, budget with alerts, payout lineage, the year-end report as JSON, CSV and xlsx', async () => {
    await ok(as.finance.post('/budget/2025/g', { amount: 40_000_000, decisionNumber: '2850/QĐ-UBND' }), 201);
    await leavesLogUnchanged(as.clerk.post('/budget/2025/g', { amount: 1, decisionNumber: 'x' }), 403);
    await leavesLogUnchanged(as.finance.post('/budget/2025/z', { amount: 1, decisionNumber: 'x' }), 404, {
      rule: 'UnknownRegime',
      fields: [expect.objectContaining({ field: 'regimeCode' })],
    });
    // The read models follow the log: wait until nothing is pending.
    await caughtUp(api);
    const register = await ok(as.auditor.get('/beneficiaries?name=Hoàng&asOf=2025-06-30'));
    expect(register.items).toEqual([
      expect.objectContaining({ fullName: 'Hoàng Văn Bình', group: 3, administrativeUnit: 'Huyện Cao Lộc', status: 'registered' }),
    ]);
    expect(BigInt(register.position)).toBeGreaterThan(0n);
    const { beneficiaryId } = register.items[0];
    expect((await ok(as.auditor.get('/cards?name=hoàng'))).cards.map((c: { cardNumber: string }) => c.cardNumber)).toEqual(['LS-2025-00001', 'LS-2025-00009']);

    const balances = (await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}/balances?year=2025`))).balances;
    expect(balances.find((b: { regimeId: string }) => b.regimeId === 'g')).toMatchObject({
      approved: 45_000_000,
      paid: 30_000_000,
      reversed: 10_000_000,
      annualCap: 40_000_000,
      capUsed: 35_000_000,
      remainingCap: 5_000_000,
    });
    expect(balances.find((b: { regimeId: string }) => b.regimeId === 'b')).toMatchObject({ entitled: 1_170_000, paid: 1_170_000 });

    // 35 M of 40 M used (30 M paid, 5 M committed): the 80 % alert is raised.
    const budget = await ok(as.auditor.get('/budget/2025'));
    expect(budget.regimes.find((r: { regimeCode: string }) => r.regimeCode === 'g')).toMatchObject({
      allocated: 40_000_000,
      committed: 5_000_000,
      paid: 30_000_000,
      remaining: 5_000_000,
      alerts: [expect.objectContaining({ percent: 80 })],
    });

    const payouts = (await ok(as.auditor.get(`/payouts?beneficiaryId=${beneficiaryId}&regimeCode=g`))).payouts;
    expect(payouts.map((p: { status: string; amount: number }) => [p.status, p.amount])).toEqual([
      ['paid', 30_000_000],
      ['reversed', 10_000_000],
      ['scheduled', 5_000_000],
    ]);
    const lineage = await ok(as.auditor.get(`/payouts/${payouts[2].payoutId}/lineage`));
    expect(lineage.payout).toMatchObject({ overCap: 5_000_000, approvedBy: 'hoa, tuan', clause: 'Regulation attached to Resolution 24/2024, regime g' });
    expect(lineage.lineage.map((step: { step: string; actor: string }) => `${step.step} by ${step.actor}`)).toEqual([
      'ClaimRequested by nam',
      'OverCapApprovalProposed by hoa',
      'ClaimApproved by tuan',
      'PayoutScheduled by tuan',
    ]);

    const report = await ok(as.auditor.get('/reports/year-end/2025'));
    expect(report.regimes.find((r: { code: string }) => r.code === 'g')).toMatchObject({ payouts: 1, amount: 30_000_000 });
    expect(report.regimes.find((r: { code: string }) => r.code === 'b')).toMatchObject({ units: 6, amount: 1_170_000 });
    expect((await fetch(`${api.base}/reports/year-end/2025?format=csv`)).status).toBe(401);
    expect(await (await as.auditor.download('/reports/year-end/2025?format=csv')).text()).toContain(
      'b. Hỗ trợ tiền ăn khi điều trị nội trú,Số ngày,6,0,0,6,0,0,0',
    );
    const xlsx = await as.auditor.download('/reports/year-end/2025?format=xlsx');
    expect(xlsx.headers.get('content-disposition')).toContain('bao-cao-nam-2025.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0];
    const amountRow = sheet.getRows(1, sheet.rowCount)!.find((row) => row.getCell(1).text.startsWith('g.') && row.getCell(2).value === 'Số tiền (đồng)')!;
    expect(amountRow.getCell(3).value).toBe(30_000_000);
    expect(amountRow.getCell(3).numFmt).toContain('₫');
    await leavesLogUnchanged(as.auditor.get('/reports/year-end/2025?format=docx'), 400, { fields: [expect.objectContaining({ field: 'format' })] });
  });
});
