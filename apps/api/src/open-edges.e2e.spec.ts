import {
  API_BACKENDS,
  drugs,
  leavesLogUnchanged as leavesLogUnchangedIn,
  ok,
  type Reply,
  type RunningApi,
  signInPeople,
  startApi,
} from './testing/api-backends.fixture.js';

/** Well after any day these tests run on, and still a date the API reads (to 2100). */
const FUTURE = '2099-01-01';
const refusedOn = (rule: string, field: string) => ({ rule, fields: [expect.objectContaining({ field })] });

describe.each(API_BACKENDS)('services dated ahead, duplicates and the card of a stay, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Awaited<ReturnType<typeof signInPeople<'clerk' | 'council' | 'auditor'>>>;
  let beneficiaryId = '';
  let otherId = '';
  const card = 'LS-EDGE-0001';

  const leavesLogUnchanged = (request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}) =>
    leavesLogUnchangedIn(api, request, status, expected);
  const admission = (admittedOn: string, extra: Record<string, unknown> = {}) => ({
    beneficiaryId,
    cardNumber: card,
    facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn',
    admittedOn,
    ...extra,
  });
  const recordedData = async (path: string, type: string) =>
    (await ok(as.auditor.get(path))).history.find((entry: { type: string }) => entry.type === type).data;

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, { clerk: ['lan', ['clerk']], council: ['minh', ['council-member']], auditor: ['kiem', ['auditor']] });
    const enrol = async (fullName: string, nationalId: string) =>
      (
        await ok(
          as.clerk.post('/beneficiaries', {
            fullName,
            dateOfBirth: '1968-05-12',
            nationalId,
            title: 'Bí thư Huyện ủy',
            administrativeUnit: 'Huyện Cao Lộc',
            group: 3,
            from: '2025-01-01',
          }),
          201,
        )
      ).beneficiaryId;
    beneficiaryId = await enrol('Hoàng Văn An', '020068000111');
    otherId = await enrol('Lương Văn Bảo', '020068000222');
    await ok(as.clerk.post('/cards', { cardNumber: card, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-EDGE-0002', beneficiaryId: otherId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-EDGE-0003', beneficiaryId: otherId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    await ok(as.clerk.post('/cards/LS-EDGE-0003/revocation', { reason: 'lost', on: '2025-02-01' }));
  }, 120_000);
  afterAll(() => api.close());

  it('refuses an admission, a discharge, a date correction or a claim of any regime dated after today, naming the field', async () => {
    await leavesLogUnchanged(as.clerk.post('/admissions', admission(FUTURE)), 409, refusedOn('DateInFuture', 'admittedOn'));
    const { admissionId } = await ok(as.clerk.post('/admissions', admission('2025-01-10')), 201);
    await leavesLogUnchanged(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: FUTURE }), 409, refusedOn('DateInFuture', 'dischargedOn'));
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-01-12' }));
    await leavesLogUnchanged(
      as.clerk.post(`/admissions/${admissionId}/date-corrections`, { admittedOn: '2025-01-10', dischargedOn: FUTURE, reason: 'typo' }),
      409,
      refusedOn('DateInFuture', 'dischargedOn'),
    );
    await leavesLogUnchanged(
      as.clerk.post('/claims', { regimeId: 'h.fixed', beneficiaryId, cardNumber: card, serviceDate: FUTURE }),
      409,
      refusedOn('DateInFuture', 'serviceDate'),
    );
    await leavesLogUnchanged(
      as.clerk.post('/claims', { regimeId: 'c', beneficiaryId, cardNumber: card, serviceDate: '2025-05-05', until: FUTURE }),
      409,
      refusedOn('DateInFuture', 'until'),
    );
    await leavesLogUnchanged(
      as.council.post('/drug-reimbursements', drugs(3000000, FUTURE, card, beneficiaryId)),
      409,
      refusedOn('DateInFuture', 'serviceDate'),
    );
  });

  it('records the card an admission names, and refuses one missing, someone else’s, or revoked before the admission', async () => {
    await leavesLogUnchanged(as.clerk.post('/admissions', admission('2025-02-10', { cardNumber: undefined })), 400, {
      fields: [expect.objectContaining({ field: 'cardNumber' })],
    });
    await leavesLogUnchanged(
      as.clerk.post('/admissions', admission('2025-02-10', { cardNumber: 'LS-EDGE-0002' })),
      409,
      refusedOn('CardNotValidOnServiceDate', 'cardNumber'),
    );
    await leavesLogUnchanged(
      as.clerk.post('/admissions', { ...admission('2025-02-10'), beneficiaryId: otherId, cardNumber: 'LS-EDGE-0003' }),
      409,
      refusedOn('CardNotValidOnServiceDate', 'cardNumber'),
    );
    await leavesLogUnchanged(as.clerk.post('/admissions', admission('2025-02-10', { cardNumber: 'LS-NO-SUCH' })), 404, refusedOn('UnknownCard', 'cardNumber'));
    const { admissionId } = await ok(as.clerk.post('/admissions', admission('2025-02-10')), 201);
    expect(await recordedData(`/admissions/${admissionId}`, 'AdmissionRecorded')).toMatchObject({ cardNumber: card, admittedOn: '2025-02-10' });
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-02-14' }));
  });

  it('refuses a stay overlapping another of the beneficiary’s unless marked deliberate with a reason; a retry records nothing new', async () => {
    const first = await ok(as.clerk.post('/admissions', admission('2025-03-01'), { 'command-id': 'edges-stay-0001' }), 201);
    await leavesLogUnchanged(as.clerk.post('/admissions', admission('2025-03-01'), { 'command-id': 'edges-stay-0001' }), 201, first);
    // Not yet discharged: the first stay runs on, so any later admission overlaps it.
    await leavesLogUnchanged(as.clerk.post('/admissions', admission('2025-04-20')), 409, refusedOn('OverlappingStay', 'admittedOn'));
    await ok(as.clerk.post(`/admissions/${first.admissionId}/discharge`, { dischargedOn: '2025-03-05' }));
    await leavesLogUnchanged(as.clerk.post('/admissions', admission('2025-03-05')), 409, refusedOn('OverlappingStay', 'admittedOn'));
    await leavesLogUnchanged(as.clerk.post('/admissions', admission('2025-03-05', { deliberate: true })), 400, {
      fields: [expect.objectContaining({ field: 'deliberateReason' })],
    });
    const reason = 'Transferred to the central hospital the same day';
    const meant = await ok(
      as.clerk.post('/admissions', admission('2025-03-05', { deliberate: true, deliberateReason: reason }), { 'command-id': 'edges-stay-0002' }),
      201,
    );
    await leavesLogUnchanged(
      as.clerk.post('/admissions', admission('2025-03-05', { deliberate: true, deliberateReason: reason }), { 'command-id': 'edges-stay-0002' }),
      201,
      meant,
    );
    expect(await recordedData(`/admissions/${meant.admissionId}`, 'AdmissionRecorded')).toMatchObject({ admittedOn: '2025-03-05', deliberateReason: reason });
    // Another beneficiary's stays are not this one's.
    await ok(as.clerk.post('/admissions', { ...admission('2025-03-02'), beneficiaryId: otherId, cardNumber: 'LS-EDGE-0002' }), 201);
  });

  it('refuses a claim repeating a recorded one’s beneficiary, regime, service date and amount unless deliberate; a retry records nothing new', async () => {
    const check = { regimeId: 'i', beneficiaryId, cardNumber: card, serviceDate: '2025-09-15', cost: 2500000 };
    const first = await ok(as.clerk.post('/claims', check, { 'command-id': 'edges-claim-0001' }), 201);
    await leavesLogUnchanged(as.clerk.post('/claims', check, { 'command-id': 'edges-claim-0001' }), 201, first);
    await leavesLogUnchanged(as.clerk.post('/claims', check), 409, refusedOn('DuplicateClaim', 'serviceDate'));
    await ok(as.clerk.post('/claims', { ...check, cost: 2400000 }), 201);
    await ok(as.clerk.post('/claims', { ...check, beneficiaryId: otherId, cardNumber: 'LS-EDGE-0002' }), 201);
    const reason = 'A second check ordered by the council';
    const meant = await ok(as.clerk.post('/claims', { ...check, deliberate: true, deliberateReason: reason }), 201);
    expect(await recordedData(`/claims/${meant.claimId}`, 'ClaimRequested')).toMatchObject({ ...check, deliberateReason: reason });

    const drug = drugs(3000000, '2025-06-01', card, beneficiaryId);
    await ok(as.council.post('/drug-reimbursements', drug), 201);
    await leavesLogUnchanged(as.council.post('/drug-reimbursements', drug), 409, refusedOn('DuplicateClaim', 'serviceDate'));
    await ok(as.council.post('/drug-reimbursements', { ...drug, deliberate: true, deliberateReason: 'Council renewed the prescription' }), 201);
  });
});
