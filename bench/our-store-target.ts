import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { type NewEvent, PostgresEventStore } from '#event-store';
import { ProjectionRunner } from '#projection-runner';
import { streamActivity, streamActivityDiscrepancies } from '#read-models';
import type { BenchTarget, ReplayOutcome } from './bench-target.js';
import type { BenchEvent } from './workload.js';

const METADATA = { actor: 'bench', schemaVersion: 1 } as const;

function toNewEvent(event: BenchEvent): NewEvent {
  return { type: event.type, data: event.data, metadata: METADATA };
}

/**
 * Our PostgreSQL event store (group commit) over `connectionString`, which may be a real server
 * or embedded PGlite; the replay is the production projection runner rebuilding streamActivity.
 */
export async function openOurStore(label: string, connectionString: string): Promise<BenchTarget> {
  // The same pool size the Emmett target gets from its own default pg.Pool (10).
  const pool = new pg.Pool({ connectionString, max: 10 });
  const store = await PostgresEventStore.open(pool, { name: label });

  return {
    label,

    async append(streamId: string, events: readonly BenchEvent[], eventsAlreadyInStream: number): Promise<void> {
      await store.append(streamId, events.map(toNewEvent), {
        expectedRevision: eventsAlreadyInStream === 0 ? 'no_stream' : eventsAlreadyInStream - 1,
      });
    },

    async readStream(streamId: string): Promise<number> {
      return (await store.readStream(streamId)).length;
    },

    async readAll(batchSize: number): Promise<bigint[]> {
      let after = 0n;
      const positions: bigint[] = [];
      for (;;) {
        const batch = await store.readAll({ after, maxCount: batchSize });
        for (const event of batch) positions.push(event.globalPosition);
        if (batch.length < batchSize) return positions;
        after = batch[batch.length - 1].globalPosition;
      }
    },

    async replay(batchSize: number): Promise<ReplayOutcome> {
      const runner = new ProjectionRunner(store, pool, [streamActivity], { rebuildBatchSize: batchSize });
      // rebuild() swaps the fresh schema with the live one, so the live one must exist first.
      await runner.prepare();
      let applied = 0;
      const started = performance.now();
      await runner.rebuild(streamActivity, (progress) => {
        applied = progress.events;
      });
      const seconds = (performance.now() - started) / 1000;
      const { lost, duplicated } = await streamActivityDiscrepancies(pool);
      return { applied, seconds, lost, duplicated };
    },

    async eventsOutOfReadOrder(): Promise<number> {
      // readAll orders by global_position, so by construction nothing comes out of order.
      return 0;
    },

    async countEvents(): Promise<number> {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      return rows[0].n;
    },

    async settle(): Promise<void> {
      await pool.query('VACUUM ANALYZE');
    },

    async close(): Promise<void> {
      await store.close();
      await pool.end();
    },
  };
}
