import { ADMIN_PASSWORD, API_BACKENDS, client, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

describe.each(API_BACKENDS)('HTTP hardening over %s', (_name, setup) => {
  let api: RunningApi;
  let adminToken = '';
  let clerkToken = '';

  const fetchAs = (path: string, token?: string) => fetch(`${api.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    api = await startApi(setup);
    await signInPeople(api, { clerk: ['lan', ['clerk']] });
    clerkToken = await tokenOf('lan', 'lan-password-1');
    adminToken = await tokenOf('admin', ADMIN_PASSWORD);
  }, 120_000);
  afterAll(() => api.close());

  const tokenOf = async (username: string, password: string) =>
    (await client(api.base).post<{ accessToken: string }>('/auth/token', { username, password })).body.accessToken;

  it('sends the browser protections with every answer: API, errors, the dashboard and the OpenAPI page', async () => {
    for (const response of [
      await fetchAs('/health'),
      await fetchAs('/beneficiaries'),
      await fetchAs('/beneficiaries', clerkToken),
      await fetchAs('/dashboard/'),
      await fetchAs('/dashboard/app.js'),
      await fetchAs('/docs'),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('lets no cache keep an API answer, which may carry personal data', async () => {
    for (const response of [
      await fetchAs('/beneficiaries', clerkToken),
      await fetchAs('/beneficiaries/no-such', clerkToken),
      await fetchAs('/beneficiaries'),
      await fetchAs('/health'),
      await fetchAs('/reports/year-end/2025?format=csv', clerkToken),
    ]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('shows the configuration in /health to an administrator only', async () => {
    const configuration = ['eventStore', 'database', 'projectionsInProcess'];
    const anonymous = await (await fetchAs('/health')).json();
    expect(anonymous).toMatchObject({ status: 'ok', head: expect.any(String), projections: expect.any(Array) });
    for (const field of configuration) expect(anonymous).not.toHaveProperty(field);
    const clerk = await (await fetchAs('/health', clerkToken)).json();
    for (const field of configuration) expect(clerk).not.toHaveProperty(field);
    expect(await (await fetchAs('/health', adminToken)).json()).toMatchObject({
      status: 'ok',
      eventStore: expect.any(String),
      database: expect.any(String),
      projectionsInProcess: true,
    });
    // A token that no longer holds does not stop anyone from reading health.
    expect((await fetchAs('/health', 'not.a-token')).status).toBe(200);
  });
});
