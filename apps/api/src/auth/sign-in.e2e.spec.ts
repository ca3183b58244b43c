import { decodeProtectedHeader } from 'jose';
import { ADMIN_PASSWORD, API_BACKENDS, client, ok, type RunningApi, startApi } from '../testing/api-backends.fixture.js';

describe.each(API_BACKENDS)('signing in, over %s', (_name, setup) => {
  let api: RunningApi;
  let now = new Date('2026-12-01T08:00:00Z');
  const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
  /** A sign-in as the raw answer, for its headers. */
  const attempt = (username: string, password: string) =>
    fetch(`${api.base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const statusOf = async (username: string, password: string) => (await attempt(username, password)).status;

  beforeAll(async () => {
    api = await startApi(setup, {}, () => now);
  }, 120_000);
  afterAll(() => api.close());
  // Each test starts after the throttle forgot the previous one's failures.
  beforeEach(() => later(2 * 60 * 60));

  it('issues a standard JWT naming its key, and refuses a token with a trailing segment or a changed signature', async () => {
    const { accessToken } = await ok(client(api.base).post('/auth/token', { username: 'admin', password: ADMIN_PASSWORD }));
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) });
    expect((await client(api.base, accessToken).get('/auth/me')).status).toBe(200);
    expect((await client(api.base, `${accessToken}.junk`).get('/auth/me')).status).toBe(401);
    expect((await client(api.base, `${accessToken.slice(0, -2)}AA`).get('/auth/me')).status).toBe(401);
  });

  it('holds a user name back after wrong passwords: 429 with Retry-After doubling, not even the right password is tried meanwhile', async () => {
    for (let n = 0; n < 4; n++) expect(await statusOf('admin', 'a wrong password')).toBe(401);
    expect(await statusOf('admin', 'a wrong password')).toBe(401);
    const held = await attempt('admin', ADMIN_PASSWORD);
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('1');
    expect(await held.json()).toMatchObject({ rule: 'SignInThrottled', retryAfterSeconds: 1 });
    later(1);
    expect(await statusOf('admin', 'a wrong password')).toBe(401);
    expect((await attempt('admin', ADMIN_PASSWORD)).headers.get('retry-after')).toBe('2');
    later(2);
    expect(await statusOf('admin', ADMIN_PASSWORD)).toBe(200);
    // A success clears the name: the next mistake is a first one.
    expect(await statusOf('admin', 'a wrong password')).toBe(401);
    expect(await statusOf('admin', 'a wrong password')).toBe(401);
  });

  it('holds an address back after wrong guesses at many names, then the lock-out ends', async () => {
    for (let n = 0; n < 20; n++) expect(await statusOf(`guess-${n}`, 'a wrong password')).toBe(401);
    const held = await attempt('admin', ADMIN_PASSWORD);
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('1');
    later(1);
    expect(await statusOf('admin', ADMIN_PASSWORD)).toBe(200);
  });
});
