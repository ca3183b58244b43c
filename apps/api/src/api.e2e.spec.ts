import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createApiApp } from './app.js';

interface Health {
  status: string;
  eventStore: string;
  head: string;
  projectionsInProcess: boolean;
  projections: { name: string; position: string; lag: string }[];
}

const setups: Array<[string, () => Promise<{ env: NodeJS.ProcessEnv; cleanup: () => Promise<void> }>]> = [
  ['embedded PGlite (the default)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hsb-api-'));
    return { env: { PGLITE_DATA_DIR: join(folder, 'db'), POLL_INTERVAL_MS: '20' }, cleanup: async () => rmSync(folder, { recursive: true, force: true }) };
  }],
  ['PostgreSQL server', async () => {
    const database: TestDatabase = await createTestDatabase();
    return { env: { DATABASE_URL: database.url, POLL_INTERVAL_MS: '20' }, cleanup: () => database.drop() };
  }],
];

describe.each(setups)('API over %s', (_name, setup) => {
  let runtime: Runtime;
  let app: INestApplication;
  let base: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const prepared = await setup();
    cleanup = prepared.cleanup;
    runtime = await openRuntime(loadConfig(prepared.env));
    app = await createApiApp(runtime, ['error', 'warn']);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
    await cleanup();
  });

  it('reports health, and the projections catching up with the log', async () => {
    const appended = await runtime.store.append(
      'beneficiary-e2e',
      [{ type: 'BeneficiaryEnrolled', data: { group: 3 }, metadata: { actor: 'e2e', schemaVersion: 1 } }],
      { expectedRevision: 'no_stream' },
    );
    let health: Health | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await fetch(`${base}/health`);
      expect(response.status).toBe(200);
      health = (await response.json()) as Health;
      if (health.projections.every((p) => p.lag === '0')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(health).toMatchObject({ status: 'ok', head: appended.position.toString(), projectionsInProcess: true });
    expect(health!.projections).toEqual([{ name: 'stream_activity', position: appended.position.toString(), lag: '0' }]);
  });

  it('serves the OpenAPI document and its page at /docs', async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const document = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/health');
  });
});
