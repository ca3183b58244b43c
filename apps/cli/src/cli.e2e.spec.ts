import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type pg from 'pg';
import { createPool } from '#database';
import { PostgresEventStore } from '#event-store';
import { liveSchemaOf, ProjectionRunner, readModelChecksum } from '#projections';
import { streamActivity, streamActivityDiscrepancies } from '#read-models';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

const cliMain = resolve('dist/apps/cli/src/main.js');

describe('administrator CLI', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const cli = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(process.execPath, [cliMain, ...args], { env: { ...process.env, DATABASE_URL: database.url }, encoding: 'utf8' });

  beforeAll(async () => {
    if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run the tests with \`npm test\`, which builds first`);
    database = await createTestDatabase();
    pool = createPool(database.url, 4);
    const store = await PostgresEventStore.open(pool);
    for (let s = 0; s < 30; s++) {
      await store.append(`cli-${s}`, Array.from({ length: 20 }, (_, n) => ({ type: 'Noted', data: { n }, metadata: { actor: 'test', schemaVersion: 1 } })), { expectedRevision: 'no_stream' });
    }
    const runner = new ProjectionRunner(store, pool, [streamActivity]);
    await runner.start();
    await runner.waitUntil(await store.readHeadPosition());
    await runner.stop();
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('rebuilds a projection with progress output and leaves an identical read model', async () => {
    const before = await readModelChecksum(pool, liveSchemaOf(streamActivity));
    const result = cli('rebuild', 'stream_activity');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/stream_activity: 600 events, [\d,]+ events\/s, 100\.0%, ETA 0\.0 s/);
    expect(await readModelChecksum(pool, liveSchemaOf(streamActivity))).toBe(before);
    expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });

    const printed = cli('checksum', 'stream_activity');
    expect(printed.status).toBe(0);
    expect(printed.stdout.trim()).toBe(`stream_activity ${before}`);
  });

  it('refuses an unknown projection or command with a message and exit code 2', () => {
    const unknownProjection = cli('rebuild', 'balances_v9');
    expect(unknownProjection.status).toBe(2);
    expect(unknownProjection.stderr).toContain('unknown projection balances_v9; known: stream_activity');
    const unknownCommand = cli('replicate');
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toContain('unknown command "replicate"');
    const incompleteReplay = cli('replay', 'reorganization');
    expect(incompleteReplay.status).toBe(2);
    expect(incompleteReplay.stderr).toContain('give what to replay');
    expect(cli('--help').stdout).toContain('Usage: npm run cli');
  });
});
