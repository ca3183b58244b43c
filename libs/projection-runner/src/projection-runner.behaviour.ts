import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '#event-store';
import { streamActivity, streamActivityDiscrepancies } from '#read-models';
import { readCheckpoint } from './checkpoints.js';
import { readModelChecksum } from './checksum.js';
import { liveSchemaOf, type Projection } from './projection.js';
import { ident } from './sql-identifiers.js';
import type { BulkWriter } from './row-cache.js';
import { builtVersion, ProjectionRunner } from './projection-runner.js';

const schema = liveSchemaOf(streamActivity);

export async function appendSample(store: EventStore, streams: number, eventsPerStream: number, prefix = `sample${randomUUID().slice(0, 8)}`): Promise<bigint> {
  let last = 0n;
  for (let s = 0; s < streams; s++) {
    const result = await store.append(
      `${prefix}-${s}`,
      Array.from({ length: eventsPerStream }, (_, n) => ({
        type: n % 2 ? 'SampleUpdated' : 'SampleRecorded',
        data: { s, n },
        metadata: { actor: 'test', schemaVersion: 1 },
      })),
      { expectedRevision: 'any' },
    );
    last = result.position;
  }
  return last;
}

/** The runner's guarantees, run on each PostgreSQL backend with the way it writes rebuilt rows. */
export function describeProjectionRunner(backend: string, current: () => { store: EventStore; pool: pg.Pool }, bulkWriter: BulkWriter): void {
  describe(`projection runner — ${backend}`, () => {
    let runner: ProjectionRunner;
    afterEach(async () => {
      await runner?.stop();
    });

    it('catches up from its checkpoint, then follows live appends', async () => {
      const { store, pool } = current();
      await appendSample(store, 20, 10);
      runner = new ProjectionRunner(store, pool, [streamActivity], { batchSize: 37 });
      await runner.start();
      await runner.waitUntil(await store.readHeadPosition());
      expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });

      const live = await appendSample(store, 3, 4, 'live');
      await runner.waitUntil(live);
      const { rows } = await pool.query(
        `SELECT stream_id, category, event_count::int, last_revision::int FROM ${schema}.streams WHERE category = 'live' ORDER BY stream_id`,
      );
      expect(rows).toEqual([0, 1, 2].map((s) => ({ stream_id: `live-${s}`, category: 'live', event_count: 4, last_revision: 3 })));
      expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });
    });

    it('applies each event once even when two runners follow the same projection', async () => {
      const { store, pool } = current();
      runner = new ProjectionRunner(store, pool, [streamActivity], { batchSize: 10 });
      const second = new ProjectionRunner(store, pool, [streamActivity], { batchSize: 7 });
      await Promise.all([runner.start(), second.start()]);
      const head = await appendSample(store, 30, 5);
      await Promise.all([runner.waitUntil(head), second.waitUntil(head)]);
      await second.stop();
      expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });
    });

    it('rebuilds into fresh tables while the old ones serve, swaps them in, and keeps following', async () => {
      const { store, pool } = current();
      runner = new ProjectionRunner(store, pool, [streamActivity], { batchSize: 50, bulkWriter });
      await runner.start();
      await runner.waitUntil(await appendSample(store, 40, 5));
      const before = await readModelChecksum(pool, schema);

      const servedDuringRebuild: number[] = [];
      await runner.rebuild(streamActivity, () => {
        void pool.query(`SELECT count(*)::int AS n FROM ${schema}.streams`).then(({ rows }) => servedDuringRebuild.push(rows[0].n));
      });
      expect(servedDuringRebuild.length).toBeGreaterThan(0);
      expect(servedDuringRebuild.every((n) => n > 0)).toBe(true);
      expect(await readModelChecksum(pool, schema)).toBe(before);
      const { rows } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm_stream_activity%' ORDER BY 1`);
      expect(rows.map((r) => r.nspname)).toEqual(['rm_stream_activity']);
      // The secondary indexes, built once at the end of the rebuild, are all there.
      const indexes = await pool.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1', [schema]);
      expect(indexes.rows.map((r) => r.indexname)).toEqual(['event_types_pkey', 'streams_by_category', 'streams_pkey']);

      await runner.waitUntil(await appendSample(store, 2, 3, 'afterswap'));
      expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });
    });

    it('rebuilds, when it starts, a read model that an earlier version of its projection built', async () => {
      const { store, pool } = current();
      runner = new ProjectionRunner(store, pool, [streamActivity], { bulkWriter });
      await runner.start();
      await runner.waitUntil(await appendSample(store, 12, 3));
      await runner.stop();
      expect(await builtVersion(pool, schema)).toBe(1);
      const oid = async () => (await pool.query(`SELECT oid::text FROM pg_namespace WHERE nspname = $1`, [schema])).rows[0].oid as string;
      const unchanged = await oid();
      runner = new ProjectionRunner(store, pool, [streamActivity], { bulkWriter });
      await runner.start();
      expect(await oid()).toBe(unchanged);
      await runner.stop();

      // Version 2 keeps one more table: the read model of version 1 is rebuilt with it before following the log.
      const withMarks: Projection = {
        ...streamActivity,
        version: 2,
        async createTables(sql, into) {
          await streamActivity.createTables(sql, into);
          await sql.query(`CREATE TABLE ${ident(into)}.marks (mark int)`);
        },
      };
      // What depends on the new table (as the reporting views do) is created once the rebuild brings it.
      const dependents = (sql: Pick<pg.ClientBase, 'query'>) => sql.query(`CREATE OR REPLACE VIEW public.upgrade_marks AS SELECT mark FROM ${schema}.marks`);
      runner = new ProjectionRunner(store, pool, [withMarks], { bulkWriter, dependents });
      const alongside = new ProjectionRunner(store, pool, [withMarks], { bulkWriter, dependents });
      await Promise.all([runner.start(), alongside.start()]);
      await alongside.stop();
      expect(await oid()).not.toBe(unchanged);
      expect(await builtVersion(pool, schema)).toBe(2);
      expect((await pool.query('SELECT count(*)::int AS n FROM public.upgrade_marks')).rows[0].n).toBe(0);
      await runner.waitUntil(await appendSample(store, 2, 2, 'afterupgrade'));
      expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });
      await runner.stop();

      // Back on version 1 (a rollback), the read model of version 2 is served as it is.
      const upgraded = await oid();
      runner = new ProjectionRunner(store, pool, [streamActivity], { bulkWriter });
      await runner.start();
      expect(await oid()).toBe(upgraded);
      await runner.stop();
      // The other tests share this read model: back to version 1's tables.
      await pool.query('DROP VIEW public.upgrade_marks');
      await runner.rebuild(streamActivity);
    });

    it('yields the read model it built following the log, however often it is rebuilt', async () => {
      const { store, pool } = current();
      runner = new ProjectionRunner(store, pool, [streamActivity], { batchSize: 64, bulkWriter });
      await runner.start();
      await runner.waitUntil(await appendSample(store, 25, 7));
      const followed = await readModelChecksum(pool, schema);
      await runner.stop();
      await runner.rebuild(streamActivity);
      expect(await readModelChecksum(pool, schema)).toBe(followed);
      const other = new ProjectionRunner(store, pool, [streamActivity], { rebuildBatchSize: 999, bulkWriter });
      await other.rebuild(streamActivity);
      expect(await readModelChecksum(pool, schema)).toBe(followed);
    });
    it('stops at an event it cannot apply, never skips it, reports it and retries with a growing pause until it can', async () => {
      const { store, pool } = current();
      const type = `Poison${randomUUID().slice(0, 8)}`;
      let broken = true;
      const applied: unknown[] = [];
      const fragile: Projection = {
        name: `fragile_${randomUUID().slice(0, 8)}`,
        eventTypes: [type],
        async createTables() {},
        async apply(_tables, events) {
          if (broken) throw new Error('cannot apply this one');
          applied.push(...events.map((event) => event.data));
        },
      };
      const failures: string[] = [];
      runner = new ProjectionRunner(store, pool, [fragile], { retryDelayMs: 20, maxRetryDelayMs: 80, observer: { failed: (name) => failures.push(name) } });
      await runner.start();
      const { position } = await store.append(`poison-${randomUUID()}`, [{ type, data: { n: 1 }, metadata: { actor: 'test', schemaVersion: 1 } }], {
        expectedRevision: 'no_stream',
      });
      while (failures.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
      const [failing] = runner.status();
      expect(failing).toMatchObject({ name: fragile.name, state: 'failing', failure: { error: 'cannot apply this one', attempts: expect.any(Number) } });
      expect(failing.failure!.position).toBeLessThan(position);
      expect(failing.failure!.nextAttemptAt.getTime() - Date.now()).toBeLessThanOrEqual(80);
      expect(applied).toEqual([]);

      broken = false;
      await runner.waitUntil(position, [fragile.name]);
      expect(applied).toEqual([{ n: 1 }]);
      expect(runner.status()[0].failure).toBeUndefined();
      await pool.query(`DROP SCHEMA IF EXISTS ${ident(liveSchemaOf(fragile))} CASCADE`);
    });

    it('stops while a projection waits out its retry pause, instead of sleeping through a shutdown', async () => {
      const { store, pool } = current();
      const type = `Stuck${randomUUID().slice(0, 8)}`;
      const stuck: Projection = {
        name: `stuck_${randomUUID().slice(0, 8)}`,
        eventTypes: [type],
        async createTables() {},
        async apply() {
          throw new Error('cannot apply this one');
        },
      };
      let failed = false;
      runner = new ProjectionRunner(store, pool, [stuck], { retryDelayMs: 3_600_000, observer: { failed: () => (failed = true) } });
      await runner.start();
      await store.append(`stuck-${randomUUID()}`, [{ type, data: {}, metadata: { actor: 'test', schemaVersion: 1 } }], { expectedRevision: 'no_stream' });
      while (!failed) await new Promise((resolve) => setTimeout(resolve, 10));
      // An hour's pause: only the cut-short sleep lets stop() return before the test's timeout.
      await runner.stop();
      expect(runner.status()[0].state).toBe('failing');
      await pool.query(`DROP SCHEMA IF EXISTS ${ident(liveSchemaOf(stuck))} CASCADE`);
    });

    it('moves the checkpoint of a projection of a few types up to the head, so its lag is nothing once caught up', async () => {
      const { store, pool } = current();
      runner = new ProjectionRunner(store, pool, [{ ...streamActivity, name: 'few_types', eventTypes: ['NeverAppended'] }]);
      await runner.start();
      const head = await appendSample(store, 3, 3);
      for (let waited = 0; (await readCheckpoint(pool, 'few_types')) !== head; waited += 10) {
        if (waited > 10_000) throw new Error('the checkpoint did not follow the head');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(runner.status()[0]).toMatchObject({ state: 'caught-up', caughtUpAt: expect.any(Date) });
    });
  });
}
