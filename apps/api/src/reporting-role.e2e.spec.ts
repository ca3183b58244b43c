import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ProjectionRunner } from '#projection-runner';
import { ALL_PROJECTIONS } from '#read-models';
import { createTestDatabase, onTestServer } from '../../../test/support/test-database.js';
import { caughtUp, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/** Runs `sql` as `role` logged in with its password, as a BI tool would. */
async function asRole(databaseUrl: string, role: string, password: string, sql: string): Promise<pg.QueryResult> {
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A BI tool's role (REPORTING_ROLE) reads the reporting views and nothing else, and keeps reading
 * them after a rebuild swaps the read models and recreates the views; the views' percentages are
 * the API's. A database role is a server's matter: tested on a PostgreSQL server.
 */
describe('the BI reader role on a PostgreSQL server', () => {
  const role = `bi_reader_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let databaseUrl: string;
  let api: RunningApi;

  beforeAll(async () => {
    await onTestServer(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    const database = await createTestDatabase();
    databaseUrl = database.url;
    api = await startApi(async () => ({
      env: { DATABASE_URL: database.url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64'), REPORTING_ROLE: role },
      cleanup: () => database.drop(),
    }));
    const as = await signInPeople(api, { clerk: ['lan', ['clerk']], approver: ['hoa', ['approver']], finance: ['thu', ['finance']] });
    const { beneficiaryId } = await ok(
      as.clerk.post('/beneficiaries', {
        fullName: 'Lương Văn Báo',
        dateOfBirth: '1960-06-06',
        nationalId: '020060006006',
        title: 'Chuyên viên',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 3,
        from: '2025-01-01',
      }),
      201,
    );
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-06006', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    const { admissionId } = await ok(
      as.clerk.post('/admissions', { beneficiaryId, cardNumber: 'LS-2025-06006', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-03-02' }),
      201,
    );
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-03-05' }));
    await ok(as.approver.post(`/admissions/${admissionId}/approval`));
    await ok(as.finance.post('/budget/2025/a', { amount: 3_000_000, decisionNumber: '2850/QĐ-UBND' }), 201);
    await caughtUp(api);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await onTestServer(`DROP ROLE IF EXISTS ${role}`);
  });

  const usedPercentAsRole = async () =>
    (
      await asRole(
        databaseUrl,
        role,
        password,
        "SELECT used_percent::float8 AS p FROM reporting.annual_budget_by_regime WHERE year = 2025 AND regime_code = 'a'",
      )
    ).rows[0]?.p;

  it('reads the reporting views, with the API’s percentage, and nothing of the read models behind them', async () => {
    const budget = await ok((await signInPeople(api, { auditor: ['kiem', ['auditor']] })).auditor.get('/budget/2025'));
    const usedPercent = budget.regimes.find((regime: { regimeCode: string }) => regime.regimeCode === 'a').usedPercent;
    expect(usedPercent).toBeGreaterThan(0);
    expect(await usedPercentAsRole()).toBe(usedPercent);
    await expect(asRole(databaseUrl, role, password, 'SELECT count(*) FROM rm_payments.payouts')).rejects.toThrow(/permission denied/);
  });

  it('keeps reading them after a rebuild has recreated the views', async () => {
    const before = await usedPercentAsRole();
    await new ProjectionRunner(api.runtime.store, api.runtime.pool, ALL_PROJECTIONS, api.runtime.rebuild).rebuild(ALL_PROJECTIONS);
    expect(await usedPercentAsRole()).toBe(before);
  }, 60_000);
});
