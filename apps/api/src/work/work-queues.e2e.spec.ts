import { caughtUp, client, ok, type RunningApi, signInPeople, startApi } from '../testing/api-backends.fixture.js';
import { createTestDatabase } from '../../../../test/support/test-database.js';
import { randomBytes } from 'node:crypto';

/** The approver's queue, the audit trail, and a claim's document references, through HTTP on PostgreSQL. */
describe('work queues', () => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'approver' | 'clerkAndApprover' | 'finance' | 'auditor', ReturnType<typeof client>>;

  beforeAll(async () => {
    api = await startApi(async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }, cleanup: () => database.drop() };
    });
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      approver: ['hoa', ['approver']],
      clerkAndApprover: ['nam', ['clerk', 'approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
    });
  });
  afterAll(() => api.close());

  it('lists what waits for my approval with its computation, not what I recorded, and the audit trail of what was done', async () => {
    const { beneficiaryId } = await ok(
      as.clerk.post('/beneficiaries', {
        fullName: 'Hoàng Văn Bình',
        dateOfBirth: '1968-05-12',
        nationalId: '020068001234',
        title: 'Phó Bí thư Huyện ủy',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 3,
        from: '2025-01-01',
      }),
      201,
    );
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-00001', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    const { admissionId } = await ok(
      as.clerkAndApprover.post('/admissions', {
        beneficiaryId,
        cardNumber: 'LS-2025-00001',
        facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn',
        admittedOn: '2025-03-01',
      }),
      201,
    );
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-03-04' }));
    const { claimId } = await ok(
      as.clerk.post('/claims', {
        beneficiaryId,
        cardNumber: 'LS-2025-00001',
        regimeId: 'h.fixed',
        serviceDate: '2025-04-02',
        documents: ['HĐ 0001234', 'KQ-2025-118'],
      }),
      201,
    );
    expect((await ok(as.auditor.get(`/claims/${claimId}`))).state.facts.documents).toEqual(['HĐ 0001234', 'KQ-2025-118']);
    expect(
      (await as.clerk.post('/claims', { beneficiaryId, cardNumber: 'LS-2025-00001', regimeId: 'h.fixed', serviceDate: '2025-04-03', documents: [''] })).status,
    ).toBe(400);
    await caughtUp(api);

    const queue = await ok(as.approver.get('/approvals/queue'));
    expect(queue).toMatchObject({ total: 2, offset: 0, limit: 50 });
    const [stay, claim] = queue.items;
    expect(stay).toMatchObject({
      kind: 'admission',
      id: admissionId,
      group: 3,
      title: 'Phó Bí thư Huyện ủy',
      admittedOn: '2025-03-01',
      dischargedOn: '2025-03-04',
    });
    expect(stay.meals.segments).toEqual([expect.objectContaining({ days: 4, rate: 190000, amount: 760000, policyVersionId: 'lang-son/nq-24-2024/v2' })]);
    expect(claim).toMatchObject({
      kind: 'claim',
      id: claimId,
      regimeId: 'h.fixed',
      facts: expect.objectContaining({ documents: ['HĐ 0001234', 'KQ-2025-118'] }),
    });
    // Whoever took part in recording a stay does not find it in their queue.
    expect((await ok(as.clerkAndApprover.get('/approvals/queue'))).items.map((item: { id: string }) => item.id)).toEqual([claimId]);
    expect((await ok(as.approver.get('/approvals/queue?kind=claim&regimeCode=h'))).items).toHaveLength(1);
    expect((await ok(as.approver.get('/approvals/queue?group=4'))).total).toBe(0);
    expect((await as.clerk.get('/approvals/queue')).status).toBe(403);

    await ok(as.approver.post(`/admissions/${admissionId}/approval`));
    await ok(as.approver.post(`/claims/${claimId}/rejection`, { reason: 'Không có kết quả khám' }));
    await caughtUp(api);
    expect((await ok(as.approver.get('/approvals/queue'))).total).toBe(0);

    const trail = await ok(as.auditor.get(`/audit/trail?actor=hoa&beneficiaryId=${beneficiaryId}`));
    // The approval schedules the stay's two payouts, in the approver's name.
    expect(trail.items.map((step: { step: string }) => step.step)).toEqual(['ClaimRejected', 'PayoutScheduled', 'PayoutScheduled', 'AdmissionAllowancesApproved']);
    expect(trail.items[3]).toMatchObject({ actor: 'hoa', subjectKind: 'admission', subjectId: admissionId, beneficiaryId });
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    expect((await ok(as.auditor.get(`/audit/trail?step=AdmissionRecorded&from=${today}&to=${today}`))).total).toBe(1);
    expect((await ok(as.auditor.get('/audit/trail?to=2000-01-01'))).total).toBe(0);
    expect((await as.finance.get('/audit/trail')).status).toBe(403);
    expect((await as.auditor.get('/audit/trail?from=yesterday')).status).toBe(400);
  });
});
