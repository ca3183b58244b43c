import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type pg from 'pg';
import { createPool } from '#database';
import { PostgresEventStore } from '#event-store';
import { liveSchemaOf, ProjectionRunner, readCheckpoint, readModelChecksum } from '#projection-runner';
import { streamActivity, streamActivityDiscrepancies } from '#read-models';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

const workerMain = resolve('dist/apps/worker/src/main.js');

function startWorker(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, [workerMain], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PROJECTION_BATCH_SIZE: '25', POLL_INTERVAL_MS: '20', WORKER_PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('projection worker killed with SIGKILL mid-batch', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run the tests with \`npm test\`, which builds first`);
    database = await createTestDatabase();
    pool = createPool(database.url, 4);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('resumes from its checkpoint and ends with the read model a rebuild from scratch gives', async () => {
    const store = await PostgresEventStore.open(pool);
    await Promise.all(
      Array.from({ length: 400 }, (_, s) =>
        store.append(
          `crash-${s}`,
          Array.from({ length: 50 }, (_, n) => ({ type: 'Crashed', data: { s, n }, metadata: { actor: 'test', schemaVersion: 1 } })),
          { expectedRevision: 'no_stream' },
        ),
      ),
    );
    const head = await store.readHeadPosition();
    expect(head).toBe(20000n);
    await new ProjectionRunner(store, pool, [streamActivity]).prepare();
    const checkpoint = async (): Promise<bigint> => (await readCheckpoint(pool, streamActivity.name)) ?? 0n;

    const killedAt: bigint[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const before = await checkpoint();
      const worker = startWorker(database.url);
      const exited = new Promise<NodeJS.Signals | null>((done) => worker.once('exit', (_code, signal) => done(signal)));
      await until(async () => (await checkpoint()) > before, 'the worker to apply a batch');
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 80)));
      worker.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      killedAt.push(await checkpoint());
    }
    expect(killedAt.every((position) => position > 0n && position < head)).toBe(true);

    const worker = startWorker(database.url);
    const exited = new Promise<number | null>((done) => worker.once('exit', (code) => done(code)));
    await until(async () => (await checkpoint()) === head, 'the restarted worker to reach the head');
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });
    const afterCrashes = await readModelChecksum(pool, liveSchemaOf(streamActivity));
    await new ProjectionRunner(store, pool, [streamActivity], { batchSize: 1000 }).rebuild(streamActivity);
    expect(await readModelChecksum(pool, liveSchemaOf(streamActivity))).toBe(afterCrashes);
  });
});
