import { API_BACKENDS, type client, drugs, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/**
 * Uniqueness and the annual cap hold in the write model itself when requests race: each is one
 * stream that only one writer can extend from a given revision.
 */
describe.each(API_BACKENDS)('concurrent requests, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'council' | 'approver' | 'auditor', ReturnType<typeof client>>;

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      council: ['minh', ['council-member']],
      approver: ['hoa', ['approver']],
      auditor: ['kiem', ['auditor']],
    });
  });
  afterAll(() => api.close());

  const enrolment = (fullName: string, nationalId: string) => ({
    fullName,
    dateOfBirth: '1966-01-15',
    nationalId,
    title: 'Chủ tịch UBND huyện',
    administrativeUnit: 'Huyện Văn Lãng',
    group: 3,
    from: '2025-01-01',
  });

  it('enrols one person once when six clerks race with the same national id, and issues a card number once', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, n) => as.clerk.post('/beneficiaries', enrolment(`Clerk ${n}'s entry`, '020066009876'))));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.rule)).toEqual(Array(5).fill('NationalIdTaken'));

    const { beneficiaryId } = replies.find((r) => r.status === 201)!.body;
    const cards = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        as.clerk.post('/cards', { cardNumber: 'LS-RACE-0001', beneficiaryId, validFrom: `2025-01-0${n + 1}`, validTo: '2029-12-31' }),
      ),
    );
    expect(cards.filter((r) => r.status === 201)).toHaveLength(1);
    expect(cards.filter((r) => r.status === 409).map((r) => r.body.rule)).toEqual(Array(5).fill('CardNumberTaken'));
  });

  it('records one of racing requests for the same claim, and one of racing overlapping stays', async () => {
    const { beneficiaryId } = (await as.clerk.post('/beneficiaries', enrolment('Vi Văn Long', '020066003333'))).body;
    await as.clerk.post('/cards', { cardNumber: 'LS-RACE-0004', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' });
    const check = { regimeId: 'i', beneficiaryId, cardNumber: 'LS-RACE-0004', serviceDate: '2025-09-15', cost: 2500000 };
    const claims = await Promise.all(Array.from({ length: 4 }, () => as.clerk.post('/claims', check)));
    expect(claims.filter((r) => r.status === 201)).toHaveLength(1);
    expect(claims.filter((r) => r.status === 409).map((r) => r.body.rule)).toEqual(Array(3).fill('DuplicateClaim'));

    const stays = await Promise.all(
      // The same day at four hospitals: whichever is listed first, each other admission falls inside it.
      Array.from({ length: 4 }, (_, n) =>
        as.clerk.post('/admissions', { beneficiaryId, cardNumber: 'LS-RACE-0004', facility: `Bệnh viện số ${n + 1}`, admittedOn: '2025-05-01' }),
      ),
    );
    expect(stays.filter((r) => r.status === 201)).toHaveLength(1);
    expect(stays.filter((r) => r.status === 409).map((r) => r.body.rule)).toEqual(Array(3).fill('OverlappingStay'));
  });

  it('never lets racing approvals spend more than the annual cap', async () => {
    const { beneficiaryId } = (await as.clerk.post('/beneficiaries', enrolment('Nông Văn Hải', '020066001111'))).body;
    await as.clerk.post('/cards', { cardNumber: 'LS-RACE-0002', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' });
    const claims: string[] = [];
    for (let n = 1; n <= 5; n++)
      claims.push((await as.council.post('/drug-reimbursements', drugs(15000000, `2025-03-0${n}`, 'LS-RACE-0002', beneficiaryId))).body.claimId);

    // Group 3's cap is 40,000,000 VND: two claims of 15,000,000 fit, a third does not.
    const replies = await Promise.all(claims.map((claimId) => as.approver.post(`/claims/${claimId}/approval`)));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(2);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.rule)).toEqual(Array(3).fill('AnnualCapExceeded'));
    const ledger = (await as.auditor.get(`/beneficiaries/${beneficiaryId}/annual-ledgers/g/2025`)).body.state;
    expect(ledger.used).toBe(30000000);
    expect(Object.keys(ledger.reserved).sort()).toEqual(claims.filter((_, n) => replies[n].status === 200).sort());
  });

  it('finishes an approval interrupted after its reservation: the claim does not count against itself', async () => {
    const { beneficiaryId } = (await as.clerk.post('/beneficiaries', enrolment('Hoàng Thị Thu', '020166002222'))).body;
    await as.clerk.post('/cards', { cardNumber: 'LS-RACE-0003', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' });
    const { claimId } = (await as.council.post('/drug-reimbursements', drugs(30000000, '2025-04-01', 'LS-RACE-0003', beneficiaryId))).body;
    // What an approval leaves when the process dies between its two writes: the reservation, and no decision on the claim.
    await api.runtime.store.append(
      `annualcap-${beneficiaryId}-g-2025`,
      [
        {
          type: 'CapReserved',
          data: { requestId: claimId, amount: 30000000, cap: 40000000, overCap: 0 },
          metadata: { actor: 'hoa', commandId: 'interrupted-approval', schemaVersion: 1 },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const approved = await as.approver.post(`/claims/${claimId}/approval`);
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ amount: 30000000 });
    expect((await as.auditor.get(`/beneficiaries/${beneficiaryId}/annual-ledgers/g/2025`)).body.state).toEqual({
      used: 30000000,
      reserved: { [claimId]: 30000000 },
      consumed: {},
    });
    expect((await as.auditor.get(`/payouts/claim-${claimId}`)).body.state.status).toBe('scheduled');
  });

  it('schedules the payout of an approval whose process stopped before doing so, with no further command', async () => {
    const people = ['Lương Văn Bình', 'Lương Thị Cúc'].map((name, n) => enrolment(name, `02016600444${n}`));
    const [first, second] = await Promise.all(people.map(async (person) => (await as.clerk.post('/beneficiaries', person)).body.beneficiaryId as string));
    const claimOf = async (beneficiaryId: string, cardNumber: string) => {
      await as.clerk.post('/cards', { cardNumber, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' });
      return (await as.council.post('/drug-reimbursements', drugs(12000000, '2025-06-02', cardNumber, beneficiaryId))).body.claimId as string;
    };
    const approvedNormally = await claimOf(first, 'LS-RACE-0005');
    const approvedBeforeACrash = await claimOf(second, 'LS-RACE-0006');
    await as.approver.post(`/claims/${approvedNormally}/approval`);
    const [, approval] = await api.runtime.store.readStream(`claim-${approvedNormally}`);
    // What an approval leaves when its process dies right after recording it: the decision, and neither reservation nor payout.
    await api.runtime.store.append(
      `claim-${approvedBeforeACrash}`,
      [
        {
          type: 'ClaimApproved',
          data: approval.data,
          metadata: { actor: 'hoa', roles: ['approver'], commandId: 'approved-before-a-crash', schemaVersion: approval.metadata.schemaVersion },
        },
      ],
      { expectedRevision: 0 },
    );
    let payout = await as.auditor.get(`/payouts/claim-${approvedBeforeACrash}`);
    for (let waited = 0; payout.status === 404 && waited < 15000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      payout = await as.auditor.get(`/payouts/claim-${approvedBeforeACrash}`);
    }
    expect(payout.body.state).toMatchObject({ status: 'scheduled', scheduled: { amount: 12000000, beneficiaryId: second } });
    expect((await as.auditor.get(`/beneficiaries/${second}/annual-ledgers/g/2025`)).body.state).toEqual({
      used: 12000000,
      reserved: { [approvedBeforeACrash]: 12000000 },
      consumed: {},
    });
  });
});
