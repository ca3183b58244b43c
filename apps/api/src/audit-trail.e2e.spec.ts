import { API_BACKENDS, caughtUp, client, drugs, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/** A day in Vietnam (UTC+7), `days` from today. */
const vietnamDay = (days = 0) => new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe.each(API_BACKENDS)('the audit trail over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'council' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;
  let beneficiaryId: string;
  let claimId: string;
  type Entry = { actor: string; action: string; beneficiaryId: string | null; streamId: string; roles: string[] | null; position: string };
  const trail = async (query: string) =>
    ok<{ items: Entry[]; total: number; offset: number; limit: number; position: string }>(as.auditor.get(`/audit/trail?${query}`));

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      council: ['duc', ['council-member']],
      approver: ['hoa', ['approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
    });
    ({ beneficiaryId } = await ok(
      as.clerk.post('/beneficiaries', {
        fullName: 'Nông Văn An',
        dateOfBirth: '1968-04-02',
        nationalId: '020068001111',
        title: 'Bí thư Huyện ủy',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 3,
        from: '2025-01-01',
      }),
      201,
    ));
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-00001', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    ({ claimId } = await ok(as.council.post('/drug-reimbursements', drugs(3000000, '2025-04-10', 'LS-2025-00001', beneficiaryId)), 201));
    await ok(as.approver.post(`/claims/${claimId}/approval`));
    await ok(as.finance.post(`/payouts/claim-${claimId}/payment`, { reference: 'UNC-0001', paidOn: '2025-04-20' }));
    await caughtUp(api);
  });
  afterAll(() => api.close());

  it('lists what a user did, with their roles, the latest first', async () => {
    const done = await trail('actor=hoa');
    expect(done.items.map((entry) => entry.action)).toContain('ClaimApproved');
    expect(done.items.every((entry) => entry.actor === 'hoa')).toBe(true);
    expect(done.items.find((entry) => entry.action === 'ClaimApproved')).toMatchObject({ roles: ['approver'], streamId: `claim-${claimId}`, beneficiaryId });
    const positions = (await trail('')).items.map((entry) => BigInt(entry.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  });

  it('filters by action and by beneficiary, including the payout steps that do not name them', async () => {
    expect(await trail('action=ClaimApproved')).toMatchObject({ total: 1, items: [{ actor: 'hoa', action: 'ClaimApproved' }] });
    const theirs = await trail(`beneficiaryId=${beneficiaryId}`);
    expect(theirs.items.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['BeneficiaryEnrolled', 'CardIssued', 'ClaimRequested', 'ClaimApproved', 'PayoutScheduled', 'PayoutPaid']),
    );
    expect(theirs.items.every((entry) => entry.beneficiaryId === beneficiaryId)).toBe(true);
    expect(await trail(`action=PayoutPaid&beneficiaryId=${beneficiaryId}&actor=thu`)).toMatchObject({
      total: 1,
      items: [{ streamId: `payout-claim-${claimId}` }],
    });
    expect(await trail('beneficiaryId=nobody')).toMatchObject({ total: 0, items: [] });
  });

  it('filters by the days recorded, in Vietnam, and pages with the total', async () => {
    const all = await trail('limit=500');
    expect(all.total).toBe(all.items.length);
    expect((await trail(`from=${vietnamDay()}&to=${vietnamDay()}`)).total).toBe(all.total);
    expect((await trail(`from=${vietnamDay(1)}`)).total).toBe(0);
    expect((await trail(`to=${vietnamDay(-1)}`)).total).toBe(0);
    const second = await trail('limit=2&offset=2');
    expect(second).toMatchObject({ total: all.total, offset: 2, limit: 2 });
    expect(second.items).toEqual(all.items.slice(2, 4));
    expect(await trail(`offset=${all.total + 5}`)).toMatchObject({ total: all.total, items: [] });
  });

  it('is for auditors and administrators, and refuses bad parameters naming each field', async () => {
    expect((await as.clerk.get('/audit/trail')).status).toBe(403);
    expect((await ok(as.admin.get('/audit/trail?limit=1'))).items).toHaveLength(1);
    const reply = await as.auditor.get('/audit/trail?action=claim%20approved&from=01/06/2025&to=2025-6-1&limit=0&offset=1e3&user=hoa');
    expect(reply.status).toBe(400);
    expect(new Set((reply.body as { fields: { field: string }[] }).fields.map((problem) => problem.field))).toEqual(
      new Set(['action', 'from', 'to', 'limit', 'offset', 'user']),
    );
  });
});
