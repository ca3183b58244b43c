import { ProjectionRunner, liveSchemaOf, readModelChecksum } from '#projection-runner';
import { ALL_PROJECTIONS, consistencyCheck, createReportingViews, registerExport } from '#read-models';
import { API_BACKENDS, caughtUp, client, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

const person = {
  fullName: 'Nông Thị Xuân Erasable',
  dateOfBirth: '1961-03-17',
  nationalId: '020161007777',
  title: 'Chủ tịch UBND huyện',
  administrativeUnit: 'Huyện Văn Lãng',
  group: 3,
  from: '2025-01-01',
};

/** Every stored event, as the database holds it (stream id, data and metadata), one JSON text per event. */
async function storedLog(api: RunningApi): Promise<string> {
  const { rows } = await api.runtime.pool.query<{ row: string }>('SELECT row_to_json(e)::text AS row FROM events e ORDER BY global_position');
  return rows.map((r) => r.row).join('\n');
}

describe.each(API_BACKENDS)('personal data: sealed, erased, reads recorded, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;
  let beneficiaryId: string;
  let admissionId: string;

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, { clerk: ['lan', ['clerk']], approver: ['hoa', ['approver']], finance: ['thu', ['finance']], auditor: ['kiem', ['auditor']] });
    ({ beneficiaryId } = await ok(as.clerk.post('/beneficiaries', person), 201));
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-77777', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    ({ admissionId } = await ok(
      as.clerk.post('/admissions', { beneficiaryId, cardNumber: 'LS-2025-77777', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-03-02' }),
      201,
    ));
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-03-05' }));
    await ok(as.approver.post(`/admissions/${admissionId}/approval`));
    await ok(as.finance.post(`/payouts/admission-${admissionId}-a/payment`, { reference: 'UNC-77', paidOn: '2025-03-20' }));
  });
  afterAll(() => api.close());

  it('keeps the name, national id and date of birth out of the stored log, while the register and the write side read them', async () => {
    const log = await storedLog(api);
    expect(log).toContain(beneficiaryId);
    for (const value of [person.fullName, person.nationalId, person.dateOfBirth]) expect(log).not.toContain(value);
    await caughtUp(api);
    expect((await ok(as.clerk.get(`/beneficiaries?name=${encodeURIComponent('Nông Thị Xuân')}`))).items).toEqual([
      expect.objectContaining({
        beneficiaryId,
        fullName: person.fullName,
        nationalIdMasked: `${person.nationalId.slice(0, 3)}******${person.nationalId.slice(-3)}`,
        dateOfBirth: person.dateOfBirth,
        personalDataErased: false,
      }),
    ]);
    expect((await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}`))).history[0].data).toMatchObject({
      fullName: person.fullName,
      nationalId: person.nationalId,
    });
    // The number stays unique in the province, though no stream id spells it out.
    await leavesLogUnchanged(api, as.clerk.post('/beneficiaries', { ...person, fullName: 'Someone Else' }), 409, { rule: 'NationalIdTaken' });
  });

  it('records who read whose data, for auditors only', async () => {
    await ok(as.clerk.get(`/beneficiaries/${beneficiaryId}/balances?year=2025`));
    const reads = await ok(as.auditor.get(`/audit/personal-data-reads?beneficiaryId=${beneficiaryId}`));
    expect(reads.slice(0, 2)).toEqual([
      expect.objectContaining({ actor: 'lan', roles: ['clerk'], what: 'balances', beneficiaryId }),
      expect.objectContaining({ actor: 'kiem', roles: ['auditor'], what: 'beneficiary', beneficiaryId }),
    ]);
    expect((await as.clerk.get('/audit/personal-data-reads')).status).toBe(403);
  });

  it('records reads of the person’s stays and payouts, one by one and in lists', async () => {
    await caughtUp(api);
    const payoutId = `admission-${admissionId}-a`;
    await ok(as.approver.get(`/admissions/${admissionId}`));
    await ok(as.finance.get(`/payouts/${payoutId}`));
    await ok(as.auditor.get(`/payouts/${payoutId}/lineage`));
    await ok(as.finance.get(`/payouts?beneficiaryId=${beneficiaryId}`));
    await ok(as.clerk.get(`/beneficiaries?name=${encodeURIComponent('Nông Thị Xuân')}`));
    const reads = await ok(as.auditor.get(`/audit/personal-data-reads?beneficiaryId=${beneficiaryId}`));
    expect(reads.slice(0, 5).map((read: { actor: string; what: string }) => `${read.actor} ${read.what}`)).toEqual([
      'lan register',
      'thu payout-history',
      'kiem payout-lineage',
      'thu payout',
      'hoa admission',
    ]);
  });

  it('erases the person: the register shows them erased, totals and payouts unchanged, the check clean, a rebuild the same', async () => {
    await caughtUp(api);
    // The report names the log it came from (position, hash head), which the erasure moves on by one fact; its figures stay.
    const figures = async () => ({ ...(await ok(as.auditor.get('/reports/year-end/2025'))), position: undefined, logHash: undefined, asOf: undefined });
    const reportBefore = await figures();
    expect(JSON.stringify(reportBefore)).toContain('700000');
    const balancesBefore = (await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}/balances?year=2025`))).balances;

    await leavesLogUnchanged(api, as.clerk.post(`/beneficiaries/${beneficiaryId}/erasure`, { reason: 'request' }), 403);
    await leavesLogUnchanged(api, as.admin.post(`/beneficiaries/${beneficiaryId}/erasure`, {}), 400, {
      fields: [expect.objectContaining({ field: 'reason' })],
    });
    await leavesLogUnchanged(api, as.admin.post('/beneficiaries/nobody/erasure', { reason: 'request' }), 404);
    expect(
      await ok(as.admin.post(`/beneficiaries/${beneficiaryId}/erasure`, { reason: 'Request of 2026-03-02 under the Personal Data Protection Law' })),
    ).toEqual({ beneficiaryId, personalDataErased: true });
    await leavesLogUnchanged(api, as.admin.post(`/beneficiaries/${beneficiaryId}/erasure`, { reason: 'again' }), 409, { rule: 'AlreadyErased' });
    await caughtUp(api);

    const shown = await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}`));
    expect(shown.state).toMatchObject({ erased: true, status: 'registered' });
    expect(shown.history[0].data).toMatchObject({ fullName: null, nationalId: null, dateOfBirth: null, group: 3 });
    expect(JSON.stringify(shown)).not.toContain(person.fullName);
    const row = { beneficiaryId, fullName: null, nationalIdMasked: null, dateOfBirth: null, personalDataErased: true, group: 3 };
    expect((await ok(as.auditor.get('/beneficiaries?unit=Huyện Văn Lãng'))).items).toEqual([expect.objectContaining(row)]);
    const exported = (await registerExport(api.runtime.pool, 'csv')).body as string;
    expect(exported).toContain('personal data erased');
    expect(exported).not.toContain(person.nationalId);
    expect(await figures()).toEqual(reportBefore);
    expect((await ok(as.auditor.get(`/beneficiaries/${beneficiaryId}/balances?year=2025`))).balances).toEqual(balancesBefore);
    expect((await storedLog(api)).match(/PersonalDataErased/g)).toHaveLength(1);

    const check = await consistencyCheck(api.runtime.store, api.runtime.pool, 2025);
    expect(check).toMatchObject({ consistent: true, differences: [] });
    const checksums = () => Promise.all(ALL_PROJECTIONS.map((projection) => readModelChecksum(api.runtime.pool, liveSchemaOf(projection))));
    const live = await checksums();
    await new ProjectionRunner(api.runtime.store, api.runtime.pool, ALL_PROJECTIONS, { dependents: createReportingViews, ...api.runtime.rebuild }).rebuild(
      ALL_PROJECTIONS,
    );
    expect(await checksums()).toEqual(live);
    expect((await ok(as.auditor.get('/beneficiaries?unit=Huyện Văn Lãng'))).items).toEqual([expect.objectContaining(row)]);
  }, 60_000);
});
