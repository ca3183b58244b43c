import { liveSchemaOf, ProjectionRunner, readModelChecksum } from '#projection-runner';
import { ALL_PROJECTIONS, createReportingViews, payments } from '#read-models';
import { API_BACKENDS, caughtUp, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/**
 * Events stay in the schema they were written in; every reader meets them in today's: the write
 * side's decisions, the aggregate reads, the projections (followed or rebuilt, whether the database
 * fills tables from the log or not) and the consistency check. A discharge of schema version 1 did
 * not name who recorded it; version 2 does, lifted from the writer of the event.
 */
describe.each(API_BACKENDS)('events of older schemas, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Awaited<ReturnType<typeof signInPeople<'clerk'>>>;
  let admissionId: string;

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, { clerk: ['lan', ['clerk']] });
    const { beneficiaryId } = await ok(
      as.clerk.post('/beneficiaries', {
        fullName: 'Hoàng Văn Cũ',
        dateOfBirth: '1962-02-02',
        nationalId: '020062004444',
        title: 'Chuyên viên',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 5,
        from: '2024-01-01',
      }),
      201,
    );
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2024-04444', beneficiaryId, validFrom: '2024-01-01', validTo: '2028-12-31' }), 201);
    ({ admissionId } = await ok(
      as.clerk.post('/admissions', { beneficiaryId, cardNumber: 'LS-2024-04444', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2024-11-04' }),
      201,
    ));
    // Written as the version of 2024 wrote it, straight into the log: no command of today writes it so.
    await api.runtime.store.append(
      `admission-${admissionId}`,
      [{ type: 'DischargeRecorded', data: { dischargedOn: '2024-11-08' }, metadata: { actor: 'clerk-of-2024', schemaVersion: 1 } }],
      { expectedRevision: 0 },
    );
    await caughtUp(api);
  }, 120_000);
  afterAll(() => api.close());

  it('reads the stream, the whole log and the aggregate in today’s schema, saying which one it was written in', async () => {
    const [, discharge] = await api.runtime.store.readStream(`admission-${admissionId}`);
    expect(discharge).toMatchObject({
      data: { dischargedOn: '2024-11-08', recordedBy: 'clerk-of-2024' },
      metadata: { schemaVersion: 2, writtenInSchemaVersion: 1 },
    });
    const fromLog = (await api.runtime.store.readAll({ after: discharge.globalPosition - 1n, maxCount: 1 }))[0];
    expect(fromLog?.data).toEqual(discharge.data);
    const view = await ok(as.clerk.get(`/admissions/${admissionId}`));
    expect(view.state).toMatchObject({ status: 'discharged', dischargedOn: '2024-11-08', recordedBy: ['lan', 'clerk-of-2024'] });
    expect(view.history[1]).toMatchObject({ type: 'DischargeRecorded', data: { recordedBy: 'clerk-of-2024' } });
  });

  it('shows the projections the lifted event, and a rebuild gives the same read models', async () => {
    const { rows } = await api.runtime.pool.query<{ details: { recordedBy?: string } }>(
      `SELECT details FROM ${liveSchemaOf(payments)}.lineage WHERE subject_id = $1 AND step = 'DischargeRecorded'`,
      [admissionId],
    );
    expect(rows.map((row) => row.details.recordedBy)).toEqual(['clerk-of-2024']);
    const checksums = () => Promise.all(ALL_PROJECTIONS.map((projection) => readModelChecksum(api.runtime.pool, liveSchemaOf(projection))));
    const followed = await checksums();
    await new ProjectionRunner(api.runtime.store, api.runtime.pool, ALL_PROJECTIONS, { dependents: createReportingViews, ...api.runtime.rebuild }).rebuild(
      ALL_PROJECTIONS,
    );
    expect(await checksums()).toEqual(followed);
  }, 60_000);

  it('lets the write side decide on it: a discharged stay’s dates are corrected', async () => {
    const corrected = await as.clerk.post(`/admissions/${admissionId}/date-corrections`, {
      admittedOn: '2024-11-04',
      dischargedOn: '2024-11-07',
      reason: 'the discharge paper says 7 November',
    });
    expect({ status: corrected.status, rule: corrected.body.rule }).toEqual({ status: 200, rule: undefined });
    const types = (await api.runtime.store.readStream(`admission-${admissionId}`)).map((event) => event.type);
    expect(types.slice(0, 3)).toEqual(['AdmissionRecorded', 'DischargeRecorded', 'AdmissionDatesCorrected']);
  });
});
