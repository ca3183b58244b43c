import { performance } from 'node:perf_hooks';
import type { Event } from '@event-driven-io/emmett';
import {
  defaultTag,
  getPostgreSQLEventStore,
  messagesTable,
  postgreSQLProjection,
  readMessagesBatch,
  rebuildPostgreSQLProjections,
} from '@event-driven-io/emmett-postgresql';
// dumbo is Emmett's own SQL layer (a dependency of emmett-postgresql, not of this project); it is
// the only way to get the SQLExecutor that Emmett's global read `readMessagesBatch` takes.
import { dumbo, rawSql, sql } from '@event-driven-io/dumbo';
import pg from 'pg';
import type { BenchTarget, ReplayOutcome } from './bench-target.js';
import { BENCH_EVENT_TYPES, type BenchEvent, type BenchEventData, type BenchEventType } from './workload.js';

type EmmettBenchEvent = Event<BenchEventType, BenchEventData, { actor: string; schemaVersion: number }>;

const PROJECTION_TABLE = 'bench_stream_activity';

/**
 * The equivalent of our streamActivity projection in Emmett's terms: events counted per stream in
 * a table of its own, created by `init`, emptied by `truncate` (which the rebuild calls first).
 * `handle` folds whatever batch it is given into one statement, as ours does; it is Emmett's
 * projector that decides how many events each call receives. `onHandled` counts what it is given.
 */
const streamActivityProjection = (onHandled: (events: number) => void) =>
  postgreSQLProjection<EmmettBenchEvent>({
    name: 'bench_stream_activity',
    canHandle: [...BENCH_EVENT_TYPES],
    init: async ({ context }) => {
      await context.execute.command(
        rawSql(`CREATE TABLE IF NOT EXISTS ${PROJECTION_TABLE} (
          stream_id text PRIMARY KEY,
          event_count bigint NOT NULL,
          last_position bigint NOT NULL)`),
      );
    },
    truncate: async (context) => {
      await context.execute.command(rawSql(`TRUNCATE ${PROJECTION_TABLE}`));
    },
    handle: async (events, context) => {
      onHandled(events.length);
      const streams = new Map<string, { events: number; lastPosition: bigint }>();
      for (const event of events) {
        const totals = streams.get(event.metadata.streamName) ?? { events: 0, lastPosition: 0n };
        totals.events++;
        totals.lastPosition = event.metadata.globalPosition;
        streams.set(event.metadata.streamName, totals);
      }
      if (streams.size === 0) return;
      const values = [...streams].map(([id, t]) => sql('(%L, %s, %s)', id, t.events, t.lastPosition.toString())).join(', ');
      await context.execute.command(
        sql(
          `INSERT INTO ${PROJECTION_TABLE} AS current (stream_id, event_count, last_position) VALUES %s
           ON CONFLICT (stream_id) DO UPDATE SET
             event_count = current.event_count + EXCLUDED.event_count,
             last_position = EXCLUDED.last_position`,
          values,
        ),
      );
    },
  });

function toEmmettEvent(event: BenchEvent): EmmettBenchEvent {
  return { type: event.type, data: event.data, metadata: { actor: 'bench', schemaVersion: 1 } };
}

/**
 * Emmett's PostgreSQL event store, used the way its documentation shows: one store from a
 * connection string, its own pooling (pg.Pool, default size 10), schema migrated up front.
 *
 * Caution for anyone reordering the benchmark: creating any Emmett/dumbo pool replaces the
 * process-wide `pg` type parsers (int8 → BigInt, json/jsonb → a BigInt-reviving JSON.parse), which
 * changes what our store's queries return. The benchmark therefore runs Emmett last.
 */
export async function openEmmettStore(label: string, connectionString: string): Promise<BenchTarget> {
  const store = getPostgreSQLEventStore(connectionString);
  await store.schema.migrate();
  const reader = dumbo({ connectionString });
  // Plain pg for the checks, so that they do not go through the code being measured.
  const checks = new pg.Pool({ connectionString, max: 2 });

  return {
    label,

    async append(streamId: string, events: readonly BenchEvent[], eventsAlreadyInStream: number): Promise<void> {
      // Emmett's stream version is the number of events in the stream; 0n means "a new stream".
      await store.appendToStream<EmmettBenchEvent>(streamId, events.map(toEmmettEvent), {
        expectedStreamVersion: BigInt(eventsAlreadyInStream),
      });
    },

    async readStream(streamId: string): Promise<number> {
      return (await store.readStream<EmmettBenchEvent>(streamId)).events.length;
    },

    async readAll(batchSize: number): Promise<bigint[]> {
      // readMessagesBatch is the global read Emmett's own consumers and rebuilds use, resumed
      // from the `currentGlobalPosition` it returns, as its message batch puller does.
      let after = 0n;
      const positions: bigint[] = [];
      for (;;) {
        const batch = await readMessagesBatch<EmmettBenchEvent>(reader.execute, { after, batchSize });
        for (const message of batch.messages) positions.push(message.metadata.globalPosition);
        if (batch.messages.length < batchSize) return positions;
        after = batch.currentGlobalPosition;
      }
    },

    async replay(batchSize: number): Promise<ReplayOutcome> {
      // Same batch size as ours; the pause between pulls (50 ms by default) set to 0 so that
      // Emmett is not slowed down by a poll interval that a rebuild does not need.
      let handled = 0;
      const consumer = rebuildPostgreSQLProjections<EmmettBenchEvent>({
        connectionString,
        projections: [streamActivityProjection((events) => (handled += events))],
        pulling: { batchSize, pullingFrequencyInMs: 0 },
      });
      const started = performance.now();
      try {
        await consumer.start();
      } finally {
        await consumer.close();
      }
      const seconds = (performance.now() - started) / 1000;
      const { rows } = await checks.query<{ lost: string; duplicated: string }>(
        `WITH log AS (
           SELECT stream_id, count(*) AS events FROM ${messagesTable.name}
            WHERE partition = $1 AND NOT is_archived GROUP BY stream_id)
         SELECT coalesce(sum(greatest(coalesce(log.events, 0) - coalesce(rm.event_count, 0), 0)), 0)::text AS lost,
                coalesce(sum(greatest(coalesce(rm.event_count, 0) - coalesce(log.events, 0), 0)), 0)::text AS duplicated
           FROM log FULL JOIN ${PROJECTION_TABLE} rm ON rm.stream_id = log.stream_id`,
        [defaultTag],
      );
      const row = rows[0];
      return { applied: handled, seconds, lost: Number(row.lost), duplicated: Number(row.duplicated) };
    },

    async eventsOutOfReadOrder(): Promise<number> {
      // Emmett reads in (transaction_id, global_position) order; count the events that follow,
      // in that order, an event with a higher global position.
      const { rows } = await checks.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM (
           SELECT global_position, max(global_position) OVER (
                    ORDER BY transaction_id, global_position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS highest_before
             FROM ${messagesTable.name} WHERE partition = $1 AND NOT is_archived) ordered
          WHERE global_position < highest_before`,
        [defaultTag],
      );
      return Number(rows[0].n);
    },

    async countEvents(): Promise<number> {
      const { rows } = await checks.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${messagesTable.name}`);
      return Number(rows[0].n);
    },

    async settle(): Promise<void> {
      await checks.query('VACUUM ANALYZE');
    },

    async close(): Promise<void> {
      await reader.close();
      await store.close();
      await checks.end();
    },
  };
}
