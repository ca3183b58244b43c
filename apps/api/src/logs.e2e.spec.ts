import { ADMIN_PASSWORD, API_BACKENDS, client, ok, type RunningApi, startApi } from './testing/api-backends.fixture.js';

const person = {
  fullName: 'Lường Thị Nhàn',
  dateOfBirth: '1957-03-09',
  nationalId: '020057004321',
  title: 'Chủ tịch Hội Phụ nữ',
  administrativeUnit: 'Huyện Cao Lộc',
  group: 5,
  from: '2025-01-01',
};
const failing = { ...person, fullName: 'Nông Văn Thắng', dateOfBirth: '1961-11-30', nationalId: '020061007788' };
const WRONG_PASSWORD = 'not-the-admin-password';

type LogLine = Record<string, any>;

/**
 * What the API logs, read as an operator's log collector reads it: every line of its stdout a
 * JSON object. Over the embedded database only: what is logged does not depend on the backend.
 */
describe('the API’s logs', () => {
  let api: RunningApi;
  let output = '';
  const write = process.stdout.write.bind(process.stdout);
  const lines = (): LogLine[] =>
    output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine);
  const requestLines = (reqId: string) => lines().filter((line) => line.reqId === reqId);

  beforeAll(async () => {
    // The logger writes to stdout: kept here rather than shown, so the run stays readable.
    process.stdout.write = (chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    };
    api = await startApi(API_BACKENDS[0][1], { LOG_LEVEL: 'info' });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    process.stdout.write = write;
  });

  it('returns the X-Request-Id it was sent, and logs the request under it', async () => {
    const response = await fetch(`${api.base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'proxy-7f3a.b:c_d' },
      body: JSON.stringify({ username: 'admin', password: WRONG_PASSWORD }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('proxy-7f3a.b:c_d');
    expect(requestLines('proxy-7f3a.b:c_d')).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', req: { method: 'POST', url: '/auth/token' }, res: { statusCode: 401 } }),
    ]);
  });

  it('gives a request without a sane X-Request-Id one of its own, returned and logged', async () => {
    for (const sent of [undefined, 'x'.repeat(129), 'two words', '']) {
      const response = await fetch(`${api.base}/beneficiaries?name=Lường`, { headers: sent === undefined ? {} : { 'x-request-id': sent } });
      const id = response.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // The path without its query: a search may name a person.
      expect(requestLines(id)).toEqual([expect.objectContaining({ req: { method: 'GET', url: '/beneficiaries' }, res: { statusCode: 401 } })]);
    }
  });

  it('logs no password, token or personal data through sign-in, enrolment and a server error, and the error once with its stack', async () => {
    const signedIn = await ok<{ accessToken: string }>(client(api.base).post('/auth/token', { username: 'admin', password: ADMIN_PASSWORD }));
    const admin = client(api.base, signedIn.accessToken);
    await ok(admin.post('/beneficiaries', person, { 'command-id': 'enrol-nhan-0001' }), 201);
    const store = api.runtime.store;
    const appendToStreams = store.appendToStreams;
    store.appendToStreams = () => Promise.reject(new Error('the disk is full'));
    let failed: Response;
    try {
      failed = await fetch(`${api.base}/beneficiaries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${signedIn.accessToken}`, 'command-id': 'enrol-thang-0001' },
        body: JSON.stringify(failing),
      });
    } finally {
      store.appendToStreams = appendToStreams;
    }
    expect(failed.status).toBe(500);

    const logged = lines();
    const text = JSON.stringify(logged);
    for (const secret of [ADMIN_PASSWORD, WRONG_PASSWORD, signedIn.accessToken, ...[person, failing].flatMap((p) => [p.fullName, p.nationalId, p.dateOfBirth])])
      expect(text).not.toContain(secret);

    const enrolled = logged.filter((line) => line.commandId === 'enrol-nhan-0001');
    expect(enrolled).toEqual([expect.objectContaining({ level: 30, user: 'admin', req: { method: 'POST', url: '/beneficiaries' }, res: { statusCode: 201 } })]);
    const errors = logged.filter((line) => line.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({
        reqId: failed.headers.get('x-request-id'),
        user: 'admin',
        commandId: 'enrol-thang-0001',
        req: { method: 'POST', url: '/beneficiaries' },
        res: { statusCode: 500 },
        err: expect.objectContaining({ message: 'the disk is full', stack: expect.stringContaining('Error: the disk is full\n    at ') }),
      }),
    ]);
    // A client's mistake (the wrong password above) is no error of the service: no stack.
    expect(logged.filter((line) => line.err && line.level < 50)).toEqual([]);
  });

  it('writes Nest’s own messages as JSON too', () => {
    expect(lines()).toContainEqual(expect.objectContaining({ context: 'NestApplication', msg: 'Nest application successfully started' }));
  });
});
