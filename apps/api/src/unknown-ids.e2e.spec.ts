import { API_BACKENDS, client, countEvents, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

type As = Record<'admin' | 'clerk' | 'council' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;

/** An id nobody has used, by kind, so that each answer can be checked to name the one it was given. */
const unknown = (kind: string) => `no-such-${kind}-7f3a`;
const UNKNOWN_CARD = 'LS-NONE-7F3A';

/**
 * Every endpoint that addresses something by id, with an id that does not exist: in the path, or
 * in the body (then `field` names the body's field). `who` is a role allowed to call it, so that
 * the answer is about the id and not about rights.
 */
function requests(known: {
  beneficiaryId: string;
  cardNumber: string;
}): { who: keyof As; method: 'get' | 'post'; path: string; body?: unknown; id: string; field?: string }[] {
  const beneficiary = unknown('beneficiary');
  const admission = unknown('admission');
  const claim = unknown('claim');
  const payout = unknown('payout');
  const plan = unknown('plan');
  const version = `lang-son/${unknown('version')}`;
  const unit = unknown('unit');
  const on = '2025-07-01';
  return [
    { who: 'auditor', method: 'get', path: `/beneficiaries/${beneficiary}`, id: beneficiary },
    { who: 'auditor', method: 'get', path: `/beneficiaries/${beneficiary}/group?on=${on}`, id: beneficiary },
    { who: 'auditor', method: 'get', path: `/beneficiaries/${beneficiary}/annual-ledgers/e/2025`, id: beneficiary },
    { who: 'auditor', method: 'get', path: `/beneficiaries/${beneficiary}/balances?year=2025`, id: beneficiary },
    { who: 'auditor', method: 'get', path: `/beneficiaries/${beneficiary}/balances/as-of?year=2025`, id: beneficiary },
    {
      who: 'clerk',
      method: 'post',
      path: `/beneficiaries/${beneficiary}/position-changes`,
      body: { title: 'Phó Chủ tịch UBND tỉnh', administrativeUnit: 'UBND tỉnh Lạng Sơn', from: on },
      id: beneficiary,
    },
    {
      who: 'clerk',
      method: 'post',
      path: `/beneficiaries/${beneficiary}/reclassifications`,
      body: { group: 2, from: on, reason: 'appointed', decisionNumber: '1/QĐ' },
      id: beneficiary,
    },
    { who: 'clerk', method: 'post', path: `/beneficiaries/${beneficiary}/retirement`, body: { on }, id: beneficiary },
    { who: 'clerk', method: 'post', path: `/beneficiaries/${beneficiary}/death`, body: { on }, id: beneficiary },
    { who: 'clerk', method: 'post', path: `/beneficiaries/${beneficiary}/removal`, body: { on, reason: 'moved away' }, id: beneficiary },
    {
      who: 'clerk',
      method: 'post',
      path: '/cards',
      body: { cardNumber: 'LS-2025-NEW1', beneficiaryId: beneficiary, validFrom: '2025-01-01', validTo: '2029-12-31' },
      id: beneficiary,
      field: 'beneficiaryId',
    },
    { who: 'auditor', method: 'get', path: `/cards/${UNKNOWN_CARD}`, id: UNKNOWN_CARD },
    { who: 'clerk', method: 'post', path: `/cards/${UNKNOWN_CARD}/reissue`, body: { newCardNumber: 'LS-2025-NEW2', reason: 'lost', on }, id: UNKNOWN_CARD },
    { who: 'clerk', method: 'post', path: `/cards/${UNKNOWN_CARD}/revocation`, body: { reason: 'no longer covered', on }, id: UNKNOWN_CARD },
    {
      who: 'clerk',
      method: 'post',
      path: '/admissions',
      body: { beneficiaryId: beneficiary, cardNumber: known.cardNumber, facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: on },
      id: beneficiary,
      field: 'beneficiaryId',
    },
    {
      who: 'clerk',
      method: 'post',
      path: '/admissions',
      body: { beneficiaryId: known.beneficiaryId, cardNumber: UNKNOWN_CARD, facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: on },
      id: UNKNOWN_CARD,
      field: 'cardNumber',
    },
    { who: 'auditor', method: 'get', path: `/admissions/${admission}`, id: admission },
    { who: 'clerk', method: 'post', path: `/admissions/${admission}/discharge`, body: { dischargedOn: on }, id: admission },
    {
      who: 'clerk',
      method: 'post',
      path: `/admissions/${admission}/date-corrections`,
      body: { admittedOn: on, dischargedOn: on, reason: 'certificate' },
      id: admission,
    },
    { who: 'approver', method: 'post', path: `/admissions/${admission}/approval`, id: admission },
    { who: 'approver', method: 'post', path: `/admissions/${admission}/adjustments/approval`, id: admission },
    { who: 'approver', method: 'post', path: `/admissions/${admission}/rejection`, body: { reason: 'not a stay' }, id: admission },
    {
      who: 'clerk',
      method: 'post',
      path: '/claims',
      body: { regimeId: 'h.fixed', beneficiaryId: beneficiary, cardNumber: known.cardNumber, serviceDate: on },
      id: beneficiary,
      field: 'beneficiaryId',
    },
    {
      who: 'clerk',
      method: 'post',
      path: '/claims',
      body: { regimeId: 'h.fixed', beneficiaryId: known.beneficiaryId, cardNumber: UNKNOWN_CARD, serviceDate: on },
      id: UNKNOWN_CARD,
      field: 'cardNumber',
    },
    {
      who: 'council',
      method: 'post',
      path: '/drug-reimbursements',
      body: {
        beneficiaryId: beneficiary,
        cardNumber: known.cardNumber,
        serviceDate: on,
        councilDecisionNumber: '15/QĐ-HĐCM',
        items: [{ name: 'Sorafenib 200mg', quantity: 60, cost: 1_000_000 }],
        cost: 1_000_000,
      },
      id: beneficiary,
      field: 'beneficiaryId',
    },
    { who: 'auditor', method: 'get', path: `/claims/${claim}`, id: claim },
    { who: 'auditor', method: 'get', path: `/claims/${claim}/approval-decision`, id: claim },
    { who: 'approver', method: 'post', path: `/claims/${claim}/approval`, id: claim },
    { who: 'approver', method: 'post', path: `/claims/${claim}/partial-approval`, id: claim },
    { who: 'approver', method: 'post', path: `/claims/${claim}/over-cap-proposal`, body: { reason: 'life-threatening' }, id: claim },
    { who: 'approver', method: 'post', path: `/claims/${claim}/over-cap-confirmation`, id: claim },
    { who: 'approver', method: 'post', path: `/claims/${claim}/adjustments/approval`, id: claim },
    { who: 'approver', method: 'post', path: `/claims/${claim}/rejection`, body: { reason: 'not covered' }, id: claim },
    { who: 'council', method: 'post', path: `/claims/${claim}/cap-flags/${claim}-cap-1/keeping`, body: { reason: 'acquired right' }, id: claim },
    { who: 'council', method: 'post', path: `/claims/${claim}/cap-flags/${claim}-cap-1/reduction`, body: { reason: 'the new cap applies' }, id: claim },
    { who: 'auditor', method: 'get', path: `/payouts/${payout}`, id: payout },
    { who: 'auditor', method: 'get', path: `/payouts/${payout}/lineage`, id: payout },
    { who: 'auditor', method: 'get', path: `/payouts/${payout}/recovery-notice`, id: payout },
    { who: 'auditor', method: 'get', path: `/payment-lists/${unknown('payment')}`, id: unknown('payment') },
    { who: 'finance', method: 'post', path: `/payouts/${payout}/payment`, body: { reference: 'UNC-1', paidOn: on }, id: payout },
    { who: 'finance', method: 'post', path: `/payouts/${payout}/reversal`, body: { reason: 'wrong account', on }, id: payout },
    { who: 'auditor', method: 'get', path: `/policy-versions/${encodeURIComponent(version)}`, id: version },
    { who: 'admin', method: 'get', path: `/policy-versions/drafts/${encodeURIComponent(version)}/preview`, id: version },
    { who: 'admin', method: 'post', path: `/policy-versions/drafts/${encodeURIComponent(version)}/confirmation`, id: version },
    { who: 'admin', method: 'get', path: `/reorganizations/${plan}/preview`, id: plan },
    { who: 'admin', method: 'post', path: `/reorganizations/${plan}/confirmation`, id: plan },
    {
      who: 'admin',
      method: 'post',
      path: '/administrative-units/changes',
      body: { changes: [{ kind: 'renamed', code: unit, name: 'Xã Mới', from: on }] },
      id: unit,
      field: 'changes[0].code',
    },
    { who: 'finance', method: 'post', path: '/budget/2025/z', body: { amount: 1_000_000, decisionNumber: '2850/QĐ-UBND' }, id: 'z' },
  ];
}

describe.each(API_BACKENDS)('an unknown id, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: As;
  const known = { beneficiaryId: '', cardNumber: 'LS-2025-KNOWN' };

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      council: ['minh', ['council-member']],
      approver: ['hoa', ['approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
    });
    const enrolment = {
      fullName: 'Hoàng Văn Bình',
      dateOfBirth: '1968-05-12',
      nationalId: '020068001234',
      title: 'Bí thư Huyện ủy',
      administrativeUnit: 'Huyện Cao Lộc',
      group: 3,
      from: '2025-01-01',
    };
    known.beneficiaryId = (await ok(as.clerk.post('/beneficiaries', enrolment), 201)).beneficiaryId;
    await ok(
      as.clerk.post('/cards', { cardNumber: known.cardNumber, beneficiaryId: known.beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }),
      201,
    );
  });
  afterAll(() => api.close());

  it('answers 404 naming the id (and the field, for an id in the body) at every endpoint, and records nothing', async () => {
    const answers = [];
    for (const request of requests(known)) {
      const before = await countEvents(api.runtime.store);
      const reply = request.method === 'get' ? await as[request.who].get(request.path) : await as[request.who].post(request.path, request.body);
      const fields = (reply.body?.fields ?? []) as { field: string; message: string }[];
      answers.push({
        endpoint: `${request.method.toUpperCase()} ${request.path}`,
        status: reply.status,
        namesTheId: String(reply.body?.message).includes(request.id),
        namesTheField: request.field === undefined || fields.some((problem) => problem.field === request.field && problem.message.includes(request.id)),
        eventsAppended: (await countEvents(api.runtime.store)) - before,
        said: reply.body?.message,
      });
    }
    expect(answers.filter((answer) => answer.status !== 404 || !answer.namesTheId || !answer.namesTheField || answer.eventsAppended !== 0)).toEqual([]);
    expect(answers).toHaveLength(requests(known).length);
  }, 60_000);
});
