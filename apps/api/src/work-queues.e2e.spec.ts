import { API_BACKENDS, caughtUp, client, drugs, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

const enrolment = (fullName: string, nationalId: string, administrativeUnit: string, group: number) => ({
  fullName,
  dateOfBirth: `19${nationalId.slice(4, 6)}-03-04`,
  nationalId,
  title: 'Bí thư Huyện ủy',
  administrativeUnit,
  group,
  from: '2025-01-01',
});

describe.each(API_BACKENDS)('work queues over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'council' | 'approver' | 'secondApprover' | 'finance' | 'clerkAndApprover', ReturnType<typeof client>>;
  let an: string;
  let binh: string;
  let admissionId: string;
  let approvedClaim: string;
  let drugClaim: string;
  let overCapClaim: string;
  let ownClaim: string;
  const ids = (page: { items: { id?: string; payoutId?: string }[] }) => page.items.map((item) => item.id ?? item.payoutId);

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      council: ['duc', ['council-member']],
      approver: ['hoa', ['approver']],
      secondApprover: ['tuan', ['approver']],
      finance: ['thu', ['finance']],
      clerkAndApprover: ['minh', ['clerk', 'approver']],
    });
    an = (await ok(as.clerk.post('/beneficiaries', enrolment('Nông Văn An', '020068001111', 'Huyện Cao Lộc', 3)), 201)).beneficiaryId;
    binh = (await ok(as.clerk.post('/beneficiaries', enrolment('Hoàng Văn Bình', '020070002222', 'Huyện Văn Lãng', 4)), 201)).beneficiaryId;
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-00001', beneficiaryId: an, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-00002', beneficiaryId: binh, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    ({ admissionId } = await ok(
      as.clerk.post('/admissions', { beneficiaryId: binh, cardNumber: 'LS-2025-00002', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-03-02' }),
      201,
    ));
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-03-05' }));
    // Special drugs against An's group-3 annual cap of 40,000,000 VND: 30 M approved, then 15 M asked.
    approvedClaim = (await ok(as.council.post('/drug-reimbursements', drugs(30000000, '2025-04-10', 'LS-2025-00001', an)), 201)).claimId;
    await ok(as.approver.post(`/claims/${approvedClaim}/approval`));
    overCapClaim = (await ok(as.council.post('/drug-reimbursements', drugs(15000000, '2025-05-01', 'LS-2025-00001', an)), 201)).claimId;
    await ok(as.approver.post(`/claims/${overCapClaim}/over-cap-proposal`, { reason: 'Council confirms the treatment cannot be interrupted' }));
    drugClaim = (
      await ok(as.council.post('/drug-reimbursements', { ...drugs(2000000, '2025-06-01', 'LS-2025-00001', an), documents: ['HĐ 0004567', 'ĐT-2025-042'] }), 201)
    ).claimId;
    ownClaim = (await ok(as.clerkAndApprover.post('/drug-reimbursements', drugs(3000000, '2025-06-15', 'LS-2025-00001', an)), 201)).claimId;
    await caughtUp(api);
  });
  afterAll(() => api.close());

  it('lists what waits for an approver with what its decision rests on, leaving out what they requested or proposed', async () => {
    const queue = await ok(as.secondApprover.get('/work-queues/approvals'));
    expect(queue).toMatchObject({ total: 4, offset: 0, limit: 50 });
    expect(queue.items).toEqual([
      expect.objectContaining({
        kind: 'admission',
        id: admissionId,
        beneficiaryId: binh,
        fullName: 'Hoàng Văn Bình',
        serviceDate: '2025-03-02',
        dischargedOn: '2025-03-05',
        group: 4,
        administrativeUnit: 'Huyện Văn Lãng',
        requestedBy: 'lan',
        regimeCodes: ['a', 'b'],
        admission: {
          visit: expect.objectContaining({ group: 4, policyVersionId: expect.any(String), clause: expect.any(String) }),
          meals: expect.objectContaining({
            days: 4,
            amount: 4 * 190000,
            segments: [expect.objectContaining({ from: '2025-03-02', to: '2025-03-05', rate: 190000 })],
          }),
        },
      }),
      expect.objectContaining({
        kind: 'over-cap-confirmation',
        id: overCapClaim,
        regimeCodes: ['g'],
        amount: null,
        claim: expect.objectContaining({
          cost: 15000000,
          annualCap: { cap: 40000000, used: 30000000, left: 10000000 },
          overCapProposal: { by: 'hoa', reason: 'Council confirms the treatment cannot be interrupted' },
        }),
      }),
      expect.objectContaining({
        kind: 'claim',
        id: drugClaim,
        group: 3,
        administrativeUnit: 'Huyện Cao Lộc',
        requestedBy: 'duc',
        claim: expect.objectContaining({ documents: ['HĐ 0004567', 'ĐT-2025-042'] }),
      }),
      expect.objectContaining({ kind: 'claim', id: ownClaim, requestedBy: 'minh' }),
    ]);
    const admission = queue.items[0];
    expect(admission.amount).toBe(admission.admission.visit.amount + 4 * 190000);
    // Hoa proposed the over-cap approval and Minh requested a claim: another approver decides those.
    expect(ids(await ok(as.approver.get('/work-queues/approvals')))).toEqual([admissionId, drugClaim, ownClaim]);
    expect(ids(await ok(as.clerkAndApprover.get('/work-queues/approvals')))).toEqual([admissionId, overCapClaim, drugClaim]);
  });

  it('filters the approvers’ queue by kind, regime, group, unit and service dates, and pages it', async () => {
    const list = async (query: string) => ids(await ok(as.secondApprover.get(`/work-queues/approvals?${query}`)));
    expect(await list('kind=claim')).toEqual([drugClaim, ownClaim]);
    expect(await list('regimeCode=b')).toEqual([admissionId]);
    expect(await list('regimeCode=g&kind=over-cap-confirmation')).toEqual([overCapClaim]);
    expect(await list('group=4')).toEqual([admissionId]);
    expect(await list(`unit=${encodeURIComponent('Huyện Cao Lộc')}`)).toEqual([overCapClaim, drugClaim, ownClaim]);
    expect(await list('serviceFrom=2025-05-01&serviceTo=2025-06-01')).toEqual([overCapClaim, drugClaim]);
    expect(await ok(as.secondApprover.get('/work-queues/approvals?limit=3&offset=3'))).toMatchObject({ total: 4, items: [{ id: ownClaim }] });
    expect(await ok(as.secondApprover.get('/work-queues/approvals?limit=3&offset=9'))).toMatchObject({ total: 4, offset: 9, limit: 3, items: [] });
  });

  it('drops a claim from the approvers’ queue once approved, and lists its payout for finance until it is paid', async () => {
    await ok(as.secondApprover.post(`/claims/${drugClaim}/approval`));
    await ok(as.secondApprover.post(`/admissions/${admissionId}/approval`));
    await caughtUp(api);
    expect(ids(await ok(as.secondApprover.get('/work-queues/approvals')))).toEqual([overCapClaim, ownClaim]);

    const due = await ok(as.finance.get('/work-queues/payments'));
    expect(due).toMatchObject({ total: 4, offset: 0, limit: 50 });
    expect(ids(due)).toEqual([`admission-${admissionId}-a`, `admission-${admissionId}-b`, `claim-${approvedClaim}`, `claim-${drugClaim}`]);
    expect(due.items.find((item: { payoutId: string }) => item.payoutId === `claim-${drugClaim}`)).toMatchObject({
      kind: 'payout',
      beneficiaryId: an,
      fullName: 'Nông Văn An',
      regimeCode: 'g',
      group: 3,
      administrativeUnit: 'Huyện Cao Lộc',
      amount: 2000000,
      due: 2000000,
      approvedBy: 'tuan',
    });
    expect(ids(await ok(as.finance.get(`/work-queues/payments?regimeCode=b`)))).toEqual([`admission-${admissionId}-b`]);
    expect(ids(await ok(as.finance.get(`/work-queues/payments?beneficiaryId=${binh}&group=4`)))).toHaveLength(2);
    expect(await ok(as.finance.get('/work-queues/payments?kind=recovery'))).toMatchObject({ total: 0, items: [] });

    await ok(as.finance.post(`/payouts/claim-${drugClaim}/payment`, { reference: 'UNC-0001', paidOn: '2025-06-20' }));
    await caughtUp(api);
    expect(ids(await ok(as.finance.get('/work-queues/payments')))).not.toContain(`claim-${drugClaim}`);
    expect(await ok(as.finance.get('/work-queues/payments'))).toMatchObject({ total: 3 });
  });

  it('counts what waits in the queues of the signed-in user’s roles', async () => {
    expect(await ok(as.secondApprover.get('/work-queues/counts'))).toEqual({
      position: expect.stringMatching(/^\d+$/),
      approvals: { claims: 1, admissions: 0, overCapConfirmations: 1, adjustments: 0 },
    });
    const finance = await ok(as.finance.get('/work-queues/counts'));
    expect(finance).toEqual({ position: expect.any(String), payments: { payouts: 3, payoutsDue: expect.any(Number), recoveries: 0, recoveriesOwed: 0 } });
    const queue = await ok(as.finance.get('/work-queues/payments'));
    expect(finance.payments.payoutsDue).toBe(queue.items.reduce((sum: number, item: { due: number }) => sum + item.due, 0));
    expect(await ok(as.clerk.get('/work-queues/counts'))).toEqual({ position: expect.any(String), records: { openStays: 0, withoutCard: 0 } });
  });

  it('lists for clerks the stays without a discharge and the people without a valid card, until they are recorded', async () => {
    const chi = (await ok(as.clerk.post('/beneficiaries', enrolment('Lò Thị Chi', '020075003333', 'Huyện Văn Lãng', 5)), 201)).beneficiaryId;
    const { admissionId: open } = await ok(
      as.clerk.post('/admissions', { beneficiaryId: an, cardNumber: 'LS-2025-00001', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-09-01' }),
      201,
    );
    await caughtUp(api);
    const queue = await ok(as.clerk.get('/work-queues/records'));
    expect(queue).toMatchObject({ total: 2, offset: 0, limit: 50 });
    expect(queue.items).toEqual([
      {
        kind: 'card-missing',
        id: chi,
        beneficiaryId: chi,
        fullName: 'Lò Thị Chi',
        since: '2025-01-01',
        administrativeUnit: 'Huyện Văn Lãng',
        recordedBy: null,
      },
      { kind: 'open-stay', id: open, beneficiaryId: an, fullName: 'Nông Văn An', since: '2025-09-01', administrativeUnit: 'Huyện Cao Lộc', recordedBy: 'lan' },
    ]);
    expect(ids(await ok(as.clerk.get('/work-queues/records?kind=open-stay')))).toEqual([open]);
    expect(ids(await ok(as.clerk.get(`/work-queues/records?unit=${encodeURIComponent('Huyện Văn Lãng')}`)))).toEqual([chi]);
    expect((await ok(as.clerk.get('/work-queues/counts'))).records).toEqual({ openStays: 1, withoutCard: 1 });

    await ok(as.clerk.post(`/admissions/${open}/discharge`, { dischargedOn: '2025-09-03' }));
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-00003', beneficiaryId: chi, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    await caughtUp(api);
    expect(await ok(as.clerk.get('/work-queues/records'))).toMatchObject({ total: 0, items: [] });
    expect((await ok(as.clerk.get('/work-queues/counts'))).records).toEqual({ openStays: 0, withoutCard: 0 });
  });

  it('turns away other roles and refuses bad parameters naming each field', async () => {
    expect((await as.clerk.get('/work-queues/approvals')).status).toBe(403);
    expect((await as.approver.get('/work-queues/payments')).status).toBe(403);
    expect((await as.finance.get('/work-queues/records')).status).toBe(403);
    expect((await as.clerk.get('/work-queues/records?kind=lost')).status).toBe(400);
    const reply = await as.approver.get('/work-queues/approvals?kind=everything&regimeCode=z&group=0&serviceFrom=1-2-2025&limit=501&offset=x&extra=1');
    expect(reply.status).toBe(400);
    expect(new Set((reply.body as { fields: { field: string }[] }).fields.map((problem) => problem.field))).toEqual(
      new Set(['kind', 'regimeCode', 'group', 'serviceFrom', 'limit', 'offset', 'extra']),
    );
    expect((await as.finance.get('/work-queues/payments?kind=payout&serviceTo=2025-02-30x')).status).toBe(400);
  });
});
