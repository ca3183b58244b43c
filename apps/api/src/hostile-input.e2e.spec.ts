import { readFileSync } from 'node:fs';
import {
  API_BACKENDS,
  client,
  leavesLogUnchanged as leavesLogUnchangedIn,
  ok,
  type Reply,
  type RunningApi,
  signIn,
  signInPeople,
  startApi,
  ADMIN_PASSWORD,
} from './testing/api-backends.fixture.js';

/** What a refused input answers: the API's error body, naming the field. */
const refused = (field: string) => ({ error: 'Bad Request', fields: [expect.objectContaining({ field })] });
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const enrolment = (overrides: Record<string, unknown> = {}) => ({
  fullName: 'Hoàng Văn Bình',
  dateOfBirth: '1968-05-12',
  nationalId: '020068001234',
  title: 'Bí thư Huyện ủy',
  administrativeUnit: 'Huyện Cao Lộc',
  group: 3,
  from: '2025-01-01',
  ...overrides,
});
const HUGE = 'x'.repeat(90 * 1024);

describe.each(API_BACKENDS)('hostile input over %s', (_name, setup) => {
  let api: RunningApi;
  let admin: ReturnType<typeof client>;
  let clerk: ReturnType<typeof client>;
  let approver: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  const leavesLogUnchanged = (request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}) =>
    leavesLogUnchangedIn(api, request, status, expected);

  // The log goes to stdout, a JSON object a line: errors and anything logged with a stack are kept here, and all is passed on.
  const errorsLogged: string[] = [];
  const write = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
      for (const line of String(chunk)
        .split('\n')
        .filter((text) => text.startsWith('{'))) {
        const logged = JSON.parse(line) as { level?: number; err?: unknown };
        if ((logged.level ?? 0) >= 50 || logged.err) errorsLogged.push(line);
      }
      return write(chunk, ...rest);
    };
    api = await startApi(setup);
    ({ clerk, approver } = await signInPeople(api, { clerk: ['lan', ['clerk']], approver: ['duyet', ['approver']] }));
    admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
    anonymous = client(api.base);
  }, 120_000);
  afterAll(async () => {
    process.stdout.write = write;
    await api.close();
  });

  it('refuses a body nested deeper than any request needs, before converting it, anonymous or signed in', async () => {
    await leavesLogUnchanged(anonymous.send('POST', '/auth/token', nested(20_000)), 400, refused('body'));
    await leavesLogUnchanged(clerk.send('POST', '/beneficiaries', nested(20_000)), 400, refused('body'));
    await leavesLogUnchanged(admin.send('POST', '/policy-versions', nested(40)), 400, refused('body'));
  });

  it('refuses a NUL character in a body, a path or a query, naming the field, and records nothing for it', async () => {
    await leavesLogUnchanged(clerk.post('/beneficiaries', enrolment({ fullName: 'x\u0000' })), 400, refused('fullName'));
    // The national id is still free: the refused enrolment reserved nothing.
    await ok(clerk.post('/beneficiaries', enrolment()), 201);
    await leavesLogUnchanged(anonymous.post('/auth/token', { username: 'admin\u0000', password: 'x' }), 400, refused('username'));
    await leavesLogUnchanged(clerk.get('/beneficiaries/a%00b'), 400, refused('id'));
    await leavesLogUnchanged(clerk.get('/beneficiaries?name=a%00'), 400, refused('name'));
    await leavesLogUnchanged(admin.post('/reorganizations', { planId: 'p\u0000', title: 't' }), 400, refused('planId'));
  });

  it('refuses strings that are not Unicode (lone surrogates), in values and in keys', async () => {
    await leavesLogUnchanged(
      clerk.send('POST', '/beneficiaries', JSON.stringify(enrolment({ nationalId: '020068009999' })).replace('Hoàng', '\\ud800')),
      400,
      refused('fullName'),
    );
    await leavesLogUnchanged(admin.send('POST', '/policy-versions', '{"id":"v","\\udc00":1}'), 400, refused('body'));
  });

  it('reads numbers in paths and queries as decimal digits within their range only', async () => {
    for (const year of ['2147483648', '9007199254740993', '0x7e9', '2025.0', '%202025', '-5', '1e3']) {
      await leavesLogUnchanged(clerk.get(`/budget/${year}`), 400, refused('year'));
    }
    await leavesLogUnchanged(clerk.get('/budget/0x7e9/as-of'), 400, refused('year'));
    await leavesLogUnchanged(clerk.get('/beneficiaries/x/annual-ledgers/g/99999999999'), 400, refused('year'));
    await leavesLogUnchanged(clerk.get('/reports/year-end/3000000000'), 400, refused('year'));
    await leavesLogUnchanged(clerk.get('/beneficiaries?offset=1e29'), 400, refused('offset'));
    await leavesLogUnchanged(clerk.get('/payouts?year=0x7e9'), 400, refused('year'));
    await leavesLogUnchanged(clerk.get('/cards?limit=1e2'), 400, refused('limit'));
    await leavesLogUnchanged(clerk.get('/budget/2025/as-of?position=99999999999999999999'), 400, refused('position'));
    await leavesLogUnchanged(clerk.get('/reports/year-end/2025?position=99999999999999999999'), 400, refused('position'));
    expect(await ok(clerk.get('/budget/2025'))).toMatchObject({ year: 2025 });
  });

  it('refuses a missing body, or one that is not a JSON object, where a body is required', async () => {
    // An empty JSON body reads as {}: refused by the first field it lacks.
    await leavesLogUnchanged(admin.send('POST', '/reorganizations'), 400, refused('planId'));
    for (const path of ['/reorganizations', '/policy-versions', '/policy-versions/drafts', '/policy-versions/preview', '/administrative-units/changes']) {
      for (const text of ['[]', '[{}]', '"plan"', 'null', '7', '{"planId":']) await leavesLogUnchanged(admin.send('POST', path, text), 400, refused('body'));
    }
    await leavesLogUnchanged(clerk.send('POST', '/beneficiaries', 'fullName=x', { 'content-type': 'application/x-www-form-urlencoded' }), 400, refused('body'));
  });

  it('takes % and _ in a name search as the characters themselves', async () => {
    expect((await ok(clerk.get('/beneficiaries?name=%25'))).items).toEqual([]);
    expect((await ok(clerk.get('/beneficiaries?name=_'))).items).toEqual([]);
    expect((await ok(clerk.get('/beneficiaries?name=Ho%25'))).items).toEqual([]);
    expect((await ok(clerk.get('/beneficiaries?name=Ho'))).items).toEqual([expect.objectContaining({ fullName: 'Hoàng Văn Bình' })]);
    expect((await ok(clerk.get('/cards?name=%25'))).cards).toEqual([]);
    expect((await ok(clerk.get('/cards?number=_'))).cards).toEqual([]);
  });

  it('finds nothing under ids that name what every object inherits', async () => {
    for (const id of ['constructor', '__proto__', 'toString']) {
      await leavesLogUnchanged(admin.post(`/policy-versions/drafts/${id}/confirmation`), 404, { rule: 'NoSuchPolicyDraft' });
      await leavesLogUnchanged(admin.get(`/policy-versions/drafts/${id}/preview`), 404);
    }
    const version = JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));
    await leavesLogUnchanged(
      admin.post('/policy-versions/preview', { ...version, id: 'lang-son/x', regimes: [{ ...version.regimes[0], id: { toString: 1 }, code: { valueOf: 1 } }] }),
      400,
      {
        fields: [expect.objectContaining({ field: 'regimes[0].code' }), expect.objectContaining({ field: 'regimes[0].id' })],
      },
    );
    await leavesLogUnchanged(admin.post('/reorganizations', { planId: { toString: 1 } }), 400, refused('planId'));
  });

  it('refuses identifiers and titles longer than any real one', async () => {
    const version = JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));
    await leavesLogUnchanged(admin.post('/policy-versions', { ...version, id: `lang-son/${HUGE}`, effectiveFrom: '2099-01-01' }), 400, refused('id'));
    await leavesLogUnchanged(
      admin.post('/reorganizations', {
        planId: HUGE,
        title: 'Sáp nhập',
        decisionNumber: '1/QĐ',
        effectiveFrom: '2025-07-01',
        titles: [{ title: 'a', becomes: { title: 'b', group: 2 } }],
        units: {},
      }),
      400,
      refused('planId'),
    );
    await leavesLogUnchanged(
      admin.post('/reorganizations', {
        planId: 'p-1',
        title: 'Sáp nhập',
        decisionNumber: '1/QĐ',
        effectiveFrom: '2025-07-01',
        titles: [{ title: HUGE, becomes: { title: 'b', group: 2 } }],
        units: {},
      }),
      400,
      refused('titles[0].title'),
    );
    await leavesLogUnchanged(
      admin.post('/administrative-units/changes', { changes: [{ kind: 'created', code: HUGE, name: 'Xã Mới', level: 'commune', from: '2025-07-01' }] }),
      400,
      refused('changes[0].code'),
    );
    await leavesLogUnchanged(clerk.get(`/beneficiaries/${'x'.repeat(1000)}`), 400, refused('id'));
    await leavesLogUnchanged(approver.post('/claims/approvals', { claimIds: [HUGE] }), 400, refused('claimIds'));
  });

  it('logged no error, let alone a stack trace, for any of the refusals above', () => {
    expect(errorsLogged).toEqual([]);
  });
});
