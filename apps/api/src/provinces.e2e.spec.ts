import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserAccounts } from '#application';
import { loadConfig, openRuntime, provinceConfigs, type Runtime } from '#runtime';
import { copyPgliteTemplateFor } from '../../../test/support/pglite-template.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { serveProvinces, type ServedProvincesApi } from './provinces.js';
import { ADMIN_PASSWORD, client, ok, signIn } from './testing/api-backends.fixture.js';

type Client = ReturnType<typeof client>;

const TOKEN_SECRET = 'one-signing-key-shared-by-every-province-of-the-process';

/**
 * Four provinces in one process, each over a database of its own: Lạng Sơn (the process's own,
 * at /), Cao Bằng, the national level and Lâm Đồng (at /provinces/{id}/). Cao Bằng runs Lạng
 * Sơn's catalog here, so that every endpoint family holds something of each province to keep
 * apart; Lâm Đồng runs its own (policies/lam-dong: the universal health check and its units). The
 * provinces share one token signing key, as a deployment may: tokens still name their province.
 */
const BACKENDS: Array<
  [string, (folder: string) => Promise<{ env: NodeJS.ProcessEnv; databases: (Record<string, string> | undefined)[]; drop: () => Promise<void> }>]
> = [
  [
    'embedded PGlite (the default)',
    async (folder) => ({ env: { PGLITE_DATA_DIR: join(folder, 'pglite') }, databases: [undefined, undefined, undefined], drop: async () => undefined }),
  ],
  [
    'PostgreSQL server',
    async () => {
      const databases: TestDatabase[] = [await createTestDatabase(), await createTestDatabase(), await createTestDatabase(), await createTestDatabase()];
      return {
        env: { DATABASE_URL: databases[0].url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') },
        databases: databases.slice(1).map((database) => ({ databaseUrl: database.url })),
        drop: async () => void (await Promise.all(databases.map((database) => database.drop()))),
      };
    },
  ],
];

describe.each(BACKENDS)('provinces as tenants over %s', (_name, backend) => {
  let folder: string;
  let drop: () => Promise<void>;
  let own: Runtime;
  let served: ServedProvincesApi;
  let base: string;
  const at = (province: string) => `${base}/provinces/${province}`;
  let langSon: Record<'admin' | 'clerk' | 'approver' | 'finance' | 'auditor', Client>;
  let caoBang: Record<'admin' | 'clerk' | 'approver' | 'finance' | 'auditor' | 'everyRole', Client>;
  let national: Record<'admin' | 'auditor', Client>;
  /** What only Lạng Sơn holds: ids, names and references another province must never answer with. */
  const secret: Record<string, string> = {};

  const people = async (url: string, runtimeIndex: number, roles: Record<string, string[]>) => {
    const admin = await signIn(url, 'admin', ADMIN_PASSWORD);
    const clients: Record<string, Client> = { admin };
    for (const [key, granted] of Object.entries(roles)) {
      const username = `${key.toLowerCase()}.${runtimeIndex}`;
      await ok(admin.post('/users', { username, fullName: username, roles: granted, password: `${username}-password-1` }), 201);
      if (granted.includes('administrator')) await served.apps[runtimeIndex].get(UserAccounts).confirmByOperator(username);
      clients[key] = await signIn(url, username, `${username}-password-1`);
    }
    return clients;
  };

  /** Enrols someone with a card, records a stay, approves it and pays it: what every endpoint family then has to show. */
  const paidStay = async (as: Record<string, Client>, fullName: string, nationalId: string, cardNumber: string, reference: string) => {
    const { beneficiaryId } = await ok(
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
    );
    await ok(as.clerk.post('/cards', { cardNumber, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    const { admissionId } = await ok(as.clerk.post('/admissions', { beneficiaryId, cardNumber, facility: 'Bệnh viện Đa khoa', admittedOn: '2025-08-04' }), 201);
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-08-06' }));
    await ok(as.approver.post(`/admissions/${admissionId}/approval`));
    for (let attempt = 0; (await as.finance.get(`/payouts/admission-${admissionId}-b`)).status === 404 && attempt < 200; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    await ok(as.finance.post(`/payouts/admission-${admissionId}-b/payment`, { reference, paidOn: '2025-09-20' }));
    return { beneficiaryId, admissionId, payoutId: `admission-${admissionId}-b` };
  };

  /** Every province's read models have applied everything in its log. */
  const caughtUp = async () => {
    for (const url of [base, at('cao-bang'), at('national'), at('lam-dong')])
      for (let attempt = 0; ; attempt++) {
        const health = (await (await fetch(`${url}/health`)).json()) as { projections: { lag: string }[] };
        if (health.projections.every((projection) => projection.lag === '0')) break;
        if (attempt > 800) throw new Error(`${url}: the read models did not catch up`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hsb-provinces-'));
    const prepared = await backend(folder);
    drop = prepared.drop;
    const config = loadConfig({
      ...prepared.env,
      GENERATED_SECRETS_FILE: join(folder, 'generated-passwords.txt'),
      ADMIN_PASSWORD,
      AUTH_TOKEN_SECRET: TOKEN_SECRET,
      POLL_INTERVAL_MS: '20',
      LOG_LEVEL: 'warn',
    });
    const others = provinceConfigs(
      config,
      JSON.stringify([
        { id: 'cao-bang', name: 'Cao Bằng', policyDir: 'policies', adminPassword: ADMIN_PASSWORD, ...prepared.databases[0] },
        { id: 'national', name: 'Toàn quốc', national: true, policyDir: 'policies/national', adminPassword: ADMIN_PASSWORD, ...prepared.databases[1] },
        { id: 'lam-dong', name: 'Lâm Đồng', adminPassword: ADMIN_PASSWORD, ...prepared.databases[2] },
      ]),
    );
    copyPgliteTemplateFor([config, ...others]);
    own = await openRuntime(config);
    served = await serveProvinces(own, others);
    await new Promise<void>((listening) => served.server.listen(0, '127.0.0.1', listening));
    base = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;

    const roles = { clerk: ['clerk'], approver: ['approver'], finance: ['finance'], auditor: ['auditor'] };
    // The provinces are apart, so their people and stays are set up side by side.
    [langSon, caoBang, national] = await Promise.all([
      people(base, 0, roles),
      people(at('cao-bang'), 1, { ...roles, everyRole: ['clerk', 'approver', 'finance', 'auditor', 'administrator'] }),
      people(at('national'), 2, { auditor: ['auditor'] }),
    ]);
    const [stay] = await Promise.all([
      paidStay(langSon, 'Hoàng Thị Riêng Lạng', '020068000901', 'LS-ONLY-0001', 'UNC-LS-ONLY-1'),
      paidStay(caoBang, 'Nông Thị Cao', '068168000902', 'CB-0001', 'UNC-CB-1').then(() =>
        paidStay(caoBang, 'Hà Văn Bằng', '068168000903', 'CB-0002', 'UNC-CB-2'),
      ),
    ]);
    Object.assign(secret, { ...stay, name: 'Hoàng Thị Riêng Lạng', card: 'LS-ONLY-0001', reference: 'UNC-LS-ONLY-1', nationalId: '020068000901' });
    await caughtUp();
  }, 240_000);

  afterAll(async () => {
    // Keep-alive connections of the test's fetches would hold the server, and the worker, open.
    served?.server.closeAllConnections();
    await new Promise((closed) => (served ? served.server.close(closed) : closed(undefined)));
    await served?.close();
    await own?.close();
    await drop?.();
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives every province a database, users and catalog of its own, the process’s own also at /provinces/{its id}/', async () => {
    expect(served.runtimes.map((runtime) => runtime.config.province)).toEqual([
      { id: 'lang-son', name: 'Lạng Sơn' },
      { id: 'cao-bang', name: 'Cao Bằng' },
      { id: 'national', name: 'Toàn quốc' },
      { id: 'lam-dong', name: 'Lâm Đồng' },
    ]);
    expect(new Set(served.runtimes.map((runtime) => runtime.databaseDescription)).size).toBe(4);
    // Lâm Đồng's own catalog folder, published at its start: its universal health check and its units, none of Lạng Sơn's.
    const lamDong = await signIn(at('lam-dong'), 'admin', ADMIN_PASSWORD);
    expect((await ok<{ id: string; programme?: string }[]>(lamDong.get('/policy-versions'))).map((version) => [version.id, version.programme])).toEqual([
      ['lam-dong/kham-suc-khoe-toan-dan/2026', 'universal-health-check'],
    ]);
    const units = (await ok<{ code: string }[]>(lamDong.get('/administrative-units'))).map((unit) => unit.code);
    expect(units).toContain('Tỉnh Lâm Đồng');
    expect(units).not.toContain('Huyện Cao Lộc');
    expect((await ok(national.admin.get('/policy-versions'))).length).toBe(0);
    expect((await ok<{ username: string }[]>(caoBang.admin.get('/users'))).map((user) => user.username)).not.toContain('clerk.0');
    const viaId = await signIn(at('lang-son'), 'clerk.0', 'clerk.0-password-1');
    expect(JSON.stringify(await ok(viaId.get(`/beneficiaries/${secret.beneficiaryId}`)))).toContain(secret.name);
    expect((await fetch(`${at('cao-bang')}/dashboard/`)).status).toBe(200);
    expect(await ok(caoBang.clerk.get('/auth/me'))).toMatchObject({ username: 'clerk.1', province: { id: 'cao-bang', name: 'Cao Bằng' } });
    expect((await ok(langSon.clerk.get('/auth/me'))).province).toEqual({ id: 'lang-son', name: 'Lạng Sơn' });
    expect((await fetch(`${base}/provinces/ha-noi/health`)).status).toBe(404);
    expect((await fetch(`${base}/provinces/LANG-SON/health`)).status).toBe(404);
  });

  it('refuses a province’s token in every other province, on every route, though they share the signing key', async () => {
    const document = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const langSonToken = await signInToken(base, 'auditor.0');
    const stranger = (province: string) => client(at(province), langSonToken);
    let routes = 0;
    for (const [path, operations] of Object.entries(document.paths))
      for (const method of Object.keys(operations)) {
        const concrete = path.replace(/\{[^}]+\}/g, (parameter) => (parameter === '{year}' ? '2025' : encodeURIComponent(secret.beneficiaryId)));
        const before = await served.runtimes[1].store.readHeadPosition();
        const reply = await stranger('cao-bang').send(method.toUpperCase(), concrete, method === 'get' ? undefined : '{}');
        // Only the routes anyone may call (health, sign-in) answer; none with anything of Lạng Sơn's.
        expect({ route: `${method} ${path}`, status: reply.status === 401 || !JSON.stringify(reply.body ?? '').includes(secret.beneficiaryId) }).toEqual({
          route: `${method} ${path}`,
          status: true,
        });
        expect(await served.runtimes[1].store.readHeadPosition()).toBe(before);
        routes++;
      }
    expect(routes).toBeGreaterThan(80);
    expect((await stranger('cao-bang').get('/beneficiaries')).status).toBe(401);
    expect((await stranger('national').get('/national/reports/year-end/2025')).status).toBe(401);
    expect((await client(base, await signInToken(at('cao-bang'), 'auditor.1')).get('/beneficiaries')).status).toBe(401);
  });

  it('answers a province’s own users nothing of another province, whatever ids they guess', async () => {
    const document = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const guesses: Record<string, string> = {
      beneficiaries: secret.beneficiaryId,
      admissions: secret.admissionId,
      payouts: secret.payoutId,
      cards: secret.card,
      'payment-lists': secret.reference,
      claims: secret.admissionId,
    };
    let guessed = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!('get' in operations) || !path.includes('{')) continue;
      const family = path.split('/')[1];
      const concrete = path.replace(/\{[^}]+\}/g, (parameter) =>
        parameter === '{year}' ? '2025' : encodeURIComponent(guesses[family] ?? secret.beneficiaryId),
      );
      const reply = await caoBang.everyRole.download(concrete);
      const body = reply.ok ? Buffer.from(await reply.arrayBuffer()).toString('utf8') : await reply.text();
      expect({ route: path, status: reply.status >= 500 ? reply.status : 'not 5xx' }).toEqual({ route: path, status: 'not 5xx' });
      // An answer may repeat what was asked ("no user …"); it must say nothing else of Lạng Sơn's.
      const leaked = Object.values(secret).filter((value) => body.includes(value) && !decodeURIComponent(concrete).includes(value));
      expect({ route: path, leaked }).toEqual({ route: path, leaked: [] });
      guessed++;
    }
    expect(guessed).toBeGreaterThan(20);
    // The lists and searches of Cao Bằng name none of Lạng Sơn's people, cards or payments.
    for (const list of [
      '/beneficiaries?name=rieng',
      `/beneficiaries?nationalId=${secret.nationalId}`,
      '/cards?number=LS-ONLY',
      '/payouts?year=2025',
      '/audit/trail',
      '/work-queues/payments',
      '/work-queues/records',
    ])
      expect(JSON.stringify(await ok(caoBang.everyRole.get(list)))).not.toMatch(
        new RegExp([secret.name, secret.card, secret.beneficiaryId, secret.reference].join('|')),
      );
    // Commands naming Lạng Sơn's person or card record nothing in Cao Bằng.
    const before = await served.runtimes[1].store.readHeadPosition();
    for (const refused of [
      caoBang.clerk.post('/cards', { cardNumber: 'CB-9999', beneficiaryId: secret.beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }),
      caoBang.clerk.post('/admissions', { beneficiaryId: secret.beneficiaryId, cardNumber: secret.card, facility: 'Bệnh viện', admittedOn: '2025-10-01' }),
      caoBang.finance.post(`/payouts/${secret.payoutId}/payment`, { reference: 'UNC-X', paidOn: '2025-10-01' }),
      caoBang.clerk.post(`/admissions/${secret.admissionId}/discharge`, { dischargedOn: '2025-10-02' }),
    ])
      expect([404, 409]).toContain((await refused).status);
    expect(await served.runtimes[1].store.readHeadPosition()).toBe(before);
  });

  it('adds up every province’s year-end report for the national level’s auditors, and for no one else', async () => {
    const [ls, ld] = [await ok(langSon.auditor.get('/reports/year-end/2025')), await ok(caoBang.auditor.get('/reports/year-end/2025'))];
    const rolled = await ok(national.auditor.get('/national/reports/year-end/2025'));
    expect(rolled.provinces).toEqual([
      { id: 'lang-son', name: 'Lạng Sơn', position: ls.position, logHash: ls.logHash, asOf: ls.asOf },
      { id: 'cao-bang', name: 'Cao Bằng', position: ld.position, logHash: ld.logHash, asOf: ld.asOf },
      { id: 'lam-dong', name: 'Lâm Đồng', position: expect.stringMatching(/^\d+$/), logHash: expect.any(String), asOf: expect.any(String) },
    ]);
    // One stay each of 3 meal days at 190,000 VND (and the visit allowance, not yet paid): 1 + 2 stays.
    expect(ls.totalAmount).toBe(570_000);
    expect(ld.totalAmount).toBe(1_140_000);
    expect(rolled.totalAmount).toBe(ls.totalAmount + ld.totalAmount);
    expect(rolled.beneficiaries).toEqual({ total: 3, byGroup: { '3': 3 } });
    expect(rolled.cards.newCards.total).toBe(ls.cards.newCards.total + ld.cards.newCards.total);
    for (const regime of rolled.regimes) {
      const [one, two] = [ls, ld].map((report) => report.regimes.find((line: { code: string }) => line.code === regime.code));
      expect({ code: regime.code, amount: regime.amount, people: regime.people, units: regime.units }).toEqual({
        code: regime.code,
        amount: one.amount + two.amount,
        people: one.people + two.people,
        units: one.units + two.units,
      });
    }
    expect(rolled.regimes.find((regime: { code: string }) => regime.code === 'b')).toMatchObject({ amount: 1_710_000, people: 3, units: 9 });
    // A province's auditor reads no roll-up: not in their province, and not with their token at the national level.
    expect((await langSon.auditor.get('/national/reports/year-end/2025')).status).toBe(404);
    expect((await national.admin.get('/national/reports/year-end/2025')).status).toBe(403);
    expect((await national.auditor.get('/national/reports/year-end/1899')).status).toBe(400);
  });
});

async function signInToken(url: string, username: string): Promise<string> {
  const reply = await client(url).post<{ accessToken: string }>('/auth/token', { username, password: `${username}-password-1` });
  if (reply.status !== 200) throw new Error(`${username} cannot sign in: ${JSON.stringify(reply.body)}`);
  return reply.body.accessToken;
}
