import { ADMIN_PASSWORD, API_BACKENDS, ok, type RunningApi, signIn, startApi } from '../testing/api-backends.fixture.js';

/**
 * Liveness and readiness as a load balancer or an orchestrator reads them: ready only while the
 * process may be given work; a projection stuck on an event is reported where it stopped, without
 * the error's text (it may quote data) to anonymous callers, with it to an administrator.
 */
describe.each(API_BACKENDS)('health probes, over %s', (_name, setup) => {
  let api: RunningApi;
  const probe = (path: string) => fetch(`${api.base}${path}`);
  const appendSample = (n: number) =>
    api.runtime.store.append(`probe-${n}-${Date.now()}`, [{ type: 'SampleNoted', data: { n }, metadata: { actor: 'e2e', schemaVersion: 1 } }], {
      expectedRevision: 'no_stream',
    });

  beforeAll(async () => {
    api = await startApi(setup, { PROJECTION_MAX_RETRY_DELAY_MS: '50' });
  }, 120_000);
  afterAll(() => api.close());

  it('is live and ready, each projection caught up with the head, lag computed from checkpoints', async () => {
    const { position } = await appendSample(1);
    let ready: { status: string; info: Record<string, any> } | undefined;
    for (let tries = 0; tries < 200; tries++) {
      const response = await probe('/health/ready');
      ready = (await response.json()) as typeof ready;
      if (response.status === 200 && Object.values(ready!.info.projections).every((p: any) => typeof p !== 'object' || p.behind === '0')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await probe('/health/live')).status).toBe(200);
    expect(ready).toMatchObject({
      status: 'ok',
      info: { process: { status: 'up' }, database: { status: 'up' }, projections: { status: 'up', head: position.toString() } },
    });
    expect(ready!.info.projections.registers).toEqual({ state: 'caught-up', position: position.toString(), behind: '0', lagSeconds: 0 });
  });

  it('is not ready while a projection is stuck on an event, says where, and recovers without skipping it', async () => {
    await api.runtime.pool.query('ALTER TABLE rm_stream_activity.streams RENAME TO streams_away');
    try {
      const { position } = await appendSample(2);
      let response: Response | undefined;
      for (let tries = 0; tries < 200 && response?.status !== 503; tries++) {
        response = await probe('/health/ready');
        if (response.status !== 503) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const body = (await response!.json()) as { error: Record<string, any> };
      expect(response!.status).toBe(503);
      expect(body.error.projections.stream_activity).toMatchObject({
        state: 'failing',
        failure: { afterPosition: (position - 1n).toString(), attempts: expect.any(Number) },
      });
      expect(JSON.stringify(body)).not.toContain('streams');
      const admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
      const health = await ok(admin.get('/health'));
      expect(health.projections.find((p: { name: string }) => p.name === 'stream_activity')).toMatchObject({
        state: 'failing',
        failure: expect.stringContaining('streams'),
      });
    } finally {
      await api.runtime.pool.query('ALTER TABLE rm_stream_activity.streams_away RENAME TO streams');
    }
    for (let tries = 0; tries < 200 && (await probe('/health/ready')).status !== 200; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await probe('/health/ready')).status).toBe(200);
    const { rows } = await api.runtime.pool.query<{ events: string }>(
      "SELECT sum(event_count)::text AS events FROM rm_stream_activity.streams WHERE stream_id LIKE 'probe-2-%'",
    );
    expect(rows[0].events).toBe('1');
  });

  it('turns not ready the moment it starts draining, and asks clients to close their connections', async () => {
    api.runtime.lifecycle.startDraining();
    const response = await probe('/health/ready');
    expect(response.status).toBe(503);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toMatchObject({ status: 'error', error: { process: { status: 'down' } } });
    expect((await probe('/health/live')).status).toBe(200);
  });
});
