import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '#runtime';
import { API_BACKENDS, type RunningApi, startApi } from './testing/api-backends.fixture.js';

interface Health {
  status: string;
  head: string;
  projections: { name: string; position: string; lag: string }[];
}

describe.each(API_BACKENDS)('API over %s', (_name, setup) => {
  let runtime: Runtime;
  let base: string;
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi(setup);
    ({ runtime, base } = api);
  });
  afterAll(() => api.close());

  it('reports health, and the projections catching up with the log', async () => {
    const appended = await runtime.store.append('sample-e2e', [{ type: 'SampleNoted', data: { n: 1 }, metadata: { actor: 'e2e', schemaVersion: 1 } }], {
      expectedRevision: 'no_stream',
    });
    let health: Health | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await fetch(`${base}/health`);
      expect(response.status).toBe(200);
      health = (await response.json()) as Health;
      if (health.projections.every((p) => p.lag === '0')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(health).toMatchObject({ status: 'ok', head: appended.position.toString() });
    // The domain read models consume none of the sample events: nothing is pending for them.
    expect(health!.projections).toEqual([
      { name: 'stream_activity', position: appended.position.toString(), lag: '0', state: 'caught-up' },
      { name: 'registers', position: expect.any(String), lag: '0', state: 'caught-up' },
      { name: 'payments', position: expect.any(String), lag: '0', state: 'caught-up' },
      { name: 'council_flags', position: expect.any(String), lag: '0', state: 'caught-up' },
      { name: 'audit_trail', position: appended.position.toString(), lag: '0', state: 'caught-up' },
      { name: 'health_checks', position: expect.any(String), lag: '0', state: 'caught-up' },
    ]);
  });

  it('serves the OpenAPI document and its page at /docs', async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const document = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/beneficiaries',
        '/cards',
        '/admissions/{id}/discharge',
        '/drug-reimbursements',
        '/claims/approvals',
        '/payouts/{id}/payment',
        '/policy-versions',
        '/policy-versions/drafts',
        '/policy-versions/drafts/{id}/preview',
        '/policy-versions/drafts/{id}/confirmation',
      ]),
    );
  });

  it('refuses to start on a catalog file that does not fit the policy schema, naming the file and the field', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hsb-catalog-'));
    const version = JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));
    writeFileSync(join(folder, 'broken.json'), JSON.stringify({ ...version, id: 'broken', effectiveFrom: '2025-13-01' }));
    try {
      await expect(startApi(setup, { POLICY_DIR: folder })).rejects.toThrow(/broken\.json cannot be published: invalid policy version:\n- effectiveFrom/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
