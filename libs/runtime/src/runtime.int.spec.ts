import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { loadConfig } from './config.js';
import { openRuntime, type Runtime } from './runtime.js';

describe('the runtime’s connections', () => {
  let database: TestDatabase;
  let runtime: Runtime;
  beforeAll(async () => {
    database = await createTestDatabase();
    runtime = await openRuntime(loadConfig({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '5', PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }), {
      logTo: new PassThrough(),
    });
  });
  afterAll(async () => {
    await runtime.close();
    await database.drop();
  });

  it('stay within DATABASE_POOL_SIZE, the pg pool and TypeORM’s read-model pool together, however many queries wait', async () => {
    const busy = [
      ...Array.from({ length: 8 }, () => runtime.pool.query('SELECT pg_sleep(0.5)')),
      ...Array.from({ length: 8 }, () => runtime.readModels.query('SELECT pg_sleep(0.5)')),
    ];
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    try {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { rows } = await observer.query<{ open: number }>(
        'SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      await Promise.all(busy);
      expect(rows[0].open).toBeGreaterThanOrEqual(2);
      expect(rows[0].open).toBeLessThanOrEqual(5);
    } finally {
      await observer.end();
    }
  });
});
