import { Secret, TOTP } from 'otpauth';
import { UserAccounts } from '#application';
import { API_BACKENDS, client, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from '../testing/api-backends.fixture.js';

describe.each(API_BACKENDS)('a second factor, over %s', (_name, setup) => {
  let api: RunningApi;
  let people: Awaited<ReturnType<typeof signInPeople<'finance' | 'clerk' | 'auditor'>>>;
  let now = new Date('2026-12-01T08:00:10Z');
  const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
  /** The code an authenticator holding `secret` shows `seconds` from now (a phone's clock ahead or behind). */
  const codeOf = (secret: string, seconds = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now.getTime() + seconds * 1000 });
  /** A code that none of the steps around now has. */
  const wrongCodeOf = (secret: string) => {
    const good = [-30, 0, 30].map((seconds) => codeOf(secret, seconds));
    return ['111111', '222222', '333333', '444444'].find((code) => !good.includes(code))!;
  };
  const signIn = (username: string, extra: { code?: string; password?: string } = {}) =>
    client(api.base).post('/auth/token', { username, password: `${username}-password-1`, ...extra });
  const historyOf = async (username: string) =>
    (await ok(people.auditor.get(`/users/${username}`))).history.map((entry: { type: string; actor: string; data: unknown }) => [
      entry.type,
      entry.actor,
      entry.data,
    ]);
  /** Enrols the user of `as`, confirmed with the code now; returns the secret. */
  const enrol = async (as: ReturnType<typeof client>) => {
    const { secret } = await ok(as.post('/auth/second-factor'), 201);
    expect(await ok(as.post('/auth/second-factor/confirmation', { code: codeOf(secret) }))).toMatchObject({ secondFactor: true });
    return secret as string;
  };
  let financeSecret: string;
  const storedSecretOf = async (username: string) =>
    (await api.runtime.pool.query<{ sealed: string | null }>('SELECT second_factor_secret AS sealed FROM app_users WHERE username = $1', [username])).rows[0]
      .sealed;

  beforeAll(async () => {
    api = await startApi(setup, {}, () => now);
    people = await signInPeople(api, { finance: ['cuong', ['finance']], clerk: ['lan', ['clerk']], auditor: ['kiem', ['auditor']] });
  }, 120_000);
  afterAll(() => api.close());
  // Each test starts after the throttle forgot the previous one's failures (an hour), with the tokens of beforeAll still valid (8 hours).
  beforeEach(() => later(61 * 60));

  it('enrols an authenticator, asked for at sign-in once confirmed; a code is good once, one step of drift either way', async () => {
    const { secret, uri } = await ok(people.finance.post('/auth/second-factor'), 201);
    expect(new URL(uri).protocol).toBe('otpauth:');
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    // Awaiting confirmation, it is not asked for yet.
    await ok(signIn('cuong'));
    await leavesLogUnchanged(api, people.finance.post('/auth/second-factor/confirmation', { code: wrongCodeOf(secret) }), 409, {
      rule: 'WrongSecondFactorCode',
      fields: [{ field: 'code' }],
    });
    await leavesLogUnchanged(api, people.finance.post('/auth/second-factor/confirmation', { code: '12345' }), 400, { fields: [{ field: 'code' }] });
    const confirmedWith = codeOf(secret);
    expect(await ok(people.finance.post('/auth/second-factor/confirmation', { code: confirmedWith }))).toMatchObject({ username: 'cuong', secondFactor: true });
    financeSecret = secret;
    expect(await storedSecretOf('cuong')).toMatch(/^v1\./);
    expect(await storedSecretOf('cuong')).not.toContain(secret);

    expect(await signIn('cuong')).toMatchObject({ status: 401, body: { rule: 'SecondFactorRequired', fields: [{ field: 'code' }] } });
    // The confirmation took this step's code.
    expect(await signIn('cuong', { code: confirmedWith })).toMatchObject({ status: 401, body: { rule: 'WrongSecondFactorCode' } });
    later(30);
    const code = codeOf(secret);
    const { accessToken } = await ok(signIn('cuong', { code }));
    expect(await ok(client(api.base, accessToken).get('/auth/me'))).toMatchObject({ username: 'cuong' });
    expect(await signIn('cuong', { code })).toMatchObject({ status: 401, body: { rule: 'WrongSecondFactorCode' } });
    // A phone a step ahead; after it, no code of an earlier step.
    await ok(signIn('cuong', { code: codeOf(secret, 30) }));
    expect((await signIn('cuong', { code: codeOf(secret) })).status).toBe(401);
    // A phone a step behind; never two steps.
    later(90);
    await ok(signIn('cuong', { code: codeOf(secret, -30) }));
    later(60);
    expect((await signIn('cuong', { code: codeOf(secret, -60) })).status).toBe(401);
    expect((await signIn('cuong', { code: 'abcdef' })).status).toBe(400);

    await leavesLogUnchanged(api, people.finance.post('/auth/second-factor'), 409, { rule: 'SecondFactorAlreadyEnabled' });
  });

  it('counts wrong codes as failed sign-ins: 429 with Retry-After, not even the right code tried meanwhile; asking for the code counts nothing', async () => {
    for (let n = 0; n < 10; n++) expect(await signIn('cuong')).toMatchObject({ status: 401, body: { rule: 'SecondFactorRequired' } });
    for (let n = 0; n < 5; n++) expect((await signIn('cuong', { code: wrongCodeOf(financeSecret) })).status).toBe(401);
    const held = await signIn('cuong', { code: codeOf(financeSecret) });
    expect(held).toMatchObject({ status: 429, body: { rule: 'SignInThrottled', retryAfterSeconds: 1 } });
    later(1);
    await ok(signIn('cuong', { code: codeOf(financeSecret) }));
  });

  it('offers no second factor to a clerk', async () => {
    await leavesLogUnchanged(api, people.clerk.post('/auth/second-factor'), 409, { rule: 'SecondFactorNotOffered' });
    await leavesLogUnchanged(api, people.clerk.post('/auth/second-factor/confirmation', { code: '123456' }), 409, { rule: 'WrongSecondFactorCode' });
  });

  it('keeps it through a password reset; an administrator turns another’s off (a lost phone), their own only with a code; each a fact with no secret', async () => {
    await ok(people.admin.post('/users/cuong/password', { password: 'a-temporary-password' }));
    expect(await signIn('cuong', { password: 'a-temporary-password' })).toMatchObject({ status: 401, body: { rule: 'SecondFactorRequired' } });
    expect((await people.clerk.post('/users/cuong/second-factor/disable', { reason: 'lost phone' })).status).toBe(403);
    await leavesLogUnchanged(api, people.admin.post('/users/cuong/second-factor/disable', {}), 400, { fields: [{ field: 'reason' }] });
    expect(await ok(people.admin.post('/users/cuong/second-factor/disable', { reason: 'lost phone' }))).toMatchObject({ secondFactor: false });
    await ok(signIn('cuong', { password: 'a-temporary-password' }));
    await leavesLogUnchanged(api, people.admin.post('/users/cuong/second-factor/disable', { reason: 'lost phone' }), 200);

    const adminSecret = await enrol(people.admin);
    await leavesLogUnchanged(api, people.admin.post('/users/admin/second-factor/disable', { reason: 'bored' }), 409, { rule: 'OwnAccount' });
    await leavesLogUnchanged(api, people.admin.post('/auth/second-factor/disable', { code: wrongCodeOf(adminSecret) }), 409, { rule: 'WrongSecondFactorCode' });
    later(30);
    expect(await ok(people.admin.post('/auth/second-factor/disable', { code: codeOf(adminSecret), reason: 'new phone' }))).toMatchObject({
      secondFactor: false,
    });
    // The only administrator's lost phone: the server's operator turns it off (npm run cli -- users disable-second-factor).
    later(30);
    await enrol(people.admin);
    expect(await api.app.get(UserAccounts).disableSecondFactorByOperator('admin')).toMatchObject({ secondFactor: false });

    const cuongHistory = await historyOf('cuong');
    expect(cuongHistory).toEqual([
      ['UserRegistered', 'admin', expect.objectContaining({ username: 'cuong' })],
      ['SecondFactorEnabled', 'cuong', { by: 'cuong' }],
      ['PasswordReset', 'admin', { by: 'admin' }],
      ['SecondFactorDisabled', 'admin', { by: 'admin', reason: 'lost phone' }],
    ]);
    expect((await historyOf('admin')).slice(-4)).toEqual([
      ['SecondFactorEnabled', 'admin', { by: 'admin' }],
      ['SecondFactorDisabled', 'admin', { by: 'admin', reason: 'new phone' }],
      ['SecondFactorEnabled', 'admin', { by: 'admin' }],
      ['SecondFactorDisabled', 'operator', { by: 'operator', reason: 'turned off by the operator of the server' }],
    ]);
    expect(JSON.stringify(cuongHistory)).not.toContain(financeSecret);
    expect(JSON.stringify(await historyOf('admin'))).not.toContain(adminSecret);
    // Turned off, the secret is gone: enrolling again makes a new one.
    expect(await storedSecretOf('cuong')).toBeNull();
  });
});
