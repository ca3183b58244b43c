import { hashPassword } from '../../../../libs/application/src/users/credentials.js';
import { UserAccounts } from '#application';
import {
  ADMIN_PASSWORD,
  API_BACKENDS,
  client,
  leavesLogUnchanged,
  ok,
  operatorConfirms,
  type RunningApi,
  signIn,
  startApi,
} from '../testing/api-backends.fixture.js';

const plan = (planId: string) => ({
  planId,
  title: 'Chính quyền địa phương hai cấp',
  decisionNumber: '759/QĐ-TTg',
  effectiveFrom: '2025-07-01',
  titles: [{ title: 'Bí thư Huyện ủy', becomes: { title: 'Bí thư Đảng ủy xã', group: 4 } }],
  units: {},
});
const password = (username: string) => `${username}-password-1`;

describe.each(API_BACKENDS)('user accounts and the second administrator, over %s', (_name, setup) => {
  let api: RunningApi;
  let admin: ReturnType<typeof client>;
  let quan: ReturnType<typeof client>;
  let auditor: ReturnType<typeof client>;
  const register = (username: string, roles: string[]) => admin.post('/users', { username, fullName: username, roles, password: password(username) });
  const signInStatus = async (username: string, secret: string) => (await client(api.base).post('/auth/token', { username, password: secret })).status;
  const historyOf = async (username: string) =>
    (await ok(auditor.get(`/users/${username}`))).history.map((entry: { type: string; actor: string }) => [entry.type, entry.actor]);

  beforeAll(async () => {
    api = await startApi(setup);
    admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
    // The second administrator: drafted by the first, confirmed by the server's operator.
    expect(await ok(register('quan', ['administrator']), 201)).toMatchObject({ status: 'awaiting-confirmation', roles: [] });
    await operatorConfirms(api, 'quan');
    quan = await signIn(api.base, 'quan', password('quan'));
    await ok(register('kiem', ['auditor']), 201);
    auditor = await signIn(api.base, 'kiem', password('kiem'));
  }, 120_000);
  afterAll(() => api.close());

  it('refuses the observed attack: an administrator’s second account is only a draft, which they cannot confirm themselves', async () => {
    expect(await ok(register('puppet', ['administrator']), 201)).toMatchObject({ username: 'puppet', status: 'awaiting-confirmation' });
    expect(await signInStatus('puppet', password('puppet'))).toBe(401);
    await leavesLogUnchanged(api, admin.post('/users/puppet/confirmation'), 409, { rule: 'ApprovingOwnRequest' });
    await ok(admin.post('/reorganizations', plan('attack-plan')), 201);
    expect(await signInStatus('puppet', password('puppet'))).toBe(401);
    // Another administrator may confirm the account; the plan still needs someone other than who drafted it.
    expect(await ok(quan.post('/users/puppet/confirmation'))).toMatchObject({ status: 'active', roles: ['administrator'], confirmedBy: 'quan' });
    expect(await historyOf('puppet')).toEqual([
      ['AdministratorAccountDrafted', 'admin'],
      ['AdministratorRoleConfirmed', 'quan'],
    ]);
  });

  it('refuses as the second pair of eyes an administrator account its drafter made before the rule, until a third confirms it', async () => {
    // As the observed attack left it: an administrator registered by `admin` alone, before accounts were facts of the log.
    await api.runtime.pool.query(
      "INSERT INTO app_users (username, full_name, roles, password_hash, created_by) VALUES ('sock', 'Sock', '{administrator}', $1, 'admin')",
      [await hashPassword(password('sock'))],
    );
    await api.app.get(UserAccounts).ensureAdministrator();
    expect(await historyOf('sock')).toEqual([['UserRegistered', 'system']]);
    const sock = await signIn(api.base, 'sock', password('sock'));
    await ok(admin.post('/reorganizations', plan('sock-plan')), 201);
    await leavesLogUnchanged(api, sock.post('/reorganizations/sock-plan/confirmation'), 409, { rule: 'ConfirmerNotIndependent' });
    await ok(sock.post('/reorganizations', plan('sock-own-plan')), 201);
    await leavesLogUnchanged(api, admin.post('/reorganizations/sock-own-plan/confirmation'), 409, { rule: 'ConfirmerNotIndependent' });
  });

  it('grants the administrator role once another administrator confirms it, and never by the grantee', async () => {
    await ok(register('lan', ['clerk']), 201);
    const lan = await signIn(api.base, 'lan', password('lan'));
    expect(await ok(admin.post('/users/lan/roles', { roles: ['clerk', 'administrator'] }))).toMatchObject({
      roles: ['clerk'],
      awaiting: { roles: ['clerk', 'administrator'], by: 'admin' },
    });
    expect((await ok(lan.get('/auth/me'))).roles).toEqual(['clerk']);
    expect((await lan.post('/users/lan/confirmation')).status).toBe(403);
    await leavesLogUnchanged(api, admin.post('/users/lan/confirmation'), 409, { rule: 'ApprovingOwnRequest' });
    await ok(quan.post('/users/lan/confirmation'));
    expect((await ok(lan.get('/auth/me'))).roles).toEqual(['clerk', 'administrator']);
    await ok(admin.post('/users/lan/roles', { roles: ['clerk'] }));
    expect((await ok(lan.get('/auth/me'))).roles).toEqual(['clerk']);
    await leavesLogUnchanged(api, admin.post('/users/admin/roles', { roles: ['clerk'] }), 409, { rule: 'OwnAccount' });
  });

  it('changes, resets, disables and enables, each a fact an auditor reads; older tokens end', async () => {
    await ok(register('hoa', ['approver']), 201);
    const before = await signIn(api.base, 'hoa', password('hoa'));
    await leavesLogUnchanged(api, before.post('/auth/password', { currentPassword: 'not the password', newPassword: 'hoa-new-password-2' }), 409, {
      rule: 'WrongPassword',
    });
    const session = await ok(before.post('/auth/password', { currentPassword: password('hoa'), newPassword: 'hoa-new-password-2' }));
    expect((await before.get('/auth/me')).status).toBe(401);
    expect((await ok(client(api.base, session.accessToken).get('/auth/me'))).username).toBe('hoa');

    await ok(admin.post('/users/hoa/password', { password: 'a-temporary-password' }));
    expect((await client(api.base, session.accessToken).get('/auth/me')).status).toBe(401);
    expect(await signInStatus('hoa', 'hoa-new-password-2')).toBe(401);
    const reset = await signIn(api.base, 'hoa', 'a-temporary-password');
    await leavesLogUnchanged(api, admin.post('/users/quan/password', { password: 'a-temporary-password' }), 409, { rule: 'AdministratorResetByOperator' });

    await ok(admin.post('/users/hoa/disable', { reason: 'left the office' }));
    expect((await reset.get('/auth/me')).status).toBe(401);
    expect(await signInStatus('hoa', 'a-temporary-password')).toBe(401);
    await ok(admin.post('/users/hoa/enable'));
    expect(await signInStatus('hoa', 'a-temporary-password')).toBe(200);

    expect(await historyOf('hoa')).toEqual([
      ['UserRegistered', 'admin'],
      ['PasswordChanged', 'hoa'],
      ['PasswordReset', 'admin'],
      ['UserDisabled', 'admin'],
      ['UserEnabled', 'admin'],
    ]);
    expect((await ok(auditor.get('/users'))).find((user: { username: string }) => user.username === 'hoa')).toEqual({
      username: 'hoa',
      fullName: 'hoa',
      roles: ['approver'],
      status: 'active',
    });
    expect((await auditor.post('/users/hoa/disable', { reason: 'x' })).status).toBe(403);
  });
});
