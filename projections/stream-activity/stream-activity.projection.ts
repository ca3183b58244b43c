import type { ClientBase, Pool } from 'pg';
import type { StoredEvent } from '#event-store';
import { ident, liveSchemaOf, type Projection, type ProjectionTables, RECORDED_AT_MS } from '#projection-runner';

type StreamRow = {
  stream_id: string;
  category: string;
  event_count: number;
  last_revision: number;
  /** Digits when loaded from the table (numeric), a bigint when set from an event. */
  last_position: string | bigint;
  first_recorded_at: Date;
  last_recorded_at: Date;
};
type TypeRow = { event_type: string; event_count: number; last_position: string | bigint };

/** The category of a stream is its name up to the first dash: `beneficiary-42` → `beneficiary`. */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/**
 * Activity per stream and per event type: how many events, up to which revision and position.
 * Operators use it to see what the log holds; replay checks use it to prove that no event was
 * lost or applied twice (a stream's count must equal its last revision + 1).
 */
export const streamActivity: Projection = {
  name: 'stream_activity',

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.streams (
        stream_id text PRIMARY KEY,
        category text NOT NULL,
        event_count bigint NOT NULL,
        last_revision bigint NOT NULL,
        last_position numeric(40, 0) NOT NULL,
        first_recorded_at timestamptz NOT NULL,
        last_recorded_at timestamptz NOT NULL
      );
      CREATE INDEX streams_by_category ON ${s}.streams (category);
      CREATE TABLE ${s}.event_types (
        event_type text PRIMARY KEY,
        event_count bigint NOT NULL,
        last_position numeric(40, 0) NOT NULL
      );`);
  },

  // Counts and last positions per stream and type: what `apply` computes, as the database aggregates it.
  fromLog: {
    tables: 'all',
    async fill(sql, schema, log) {
      const s = ident(schema);
      await sql.query(
        `INSERT INTO ${s}.streams (stream_id, category, event_count, last_revision, last_position, first_recorded_at, last_recorded_at)
         SELECT stream_id, split_part(stream_id, '-', 1), count(*), max(stream_revision), max(global_position), min(${RECORDED_AT_MS}), max(${RECORDED_AT_MS})
           FROM ${ident(log.table)} WHERE global_position <= $1 GROUP BY stream_id`,
        [log.until.toString()],
      );
      await sql.query(
        `INSERT INTO ${s}.event_types (event_type, event_count, last_position)
         SELECT event_type, count(*), max(global_position) FROM ${ident(log.table)} WHERE global_position <= $1 GROUP BY event_type`,
        [log.until.toString()],
      );
    },
  },

  async apply(tables: ProjectionTables, events: readonly StoredEvent[]): Promise<void> {
    const streams = tables.table<StreamRow>('streams', { key: ['stream_id'], numeric: ['event_count', 'last_revision'] });
    const types = tables.table<TypeRow>('event_types', { key: ['event_type'], numeric: ['event_count'] });
    await streams.load([...new Set(events.map((event) => event.streamId))].map((stream_id) => ({ stream_id })));
    await types.load([...new Set(events.map((event) => event.type))].map((event_type) => ({ event_type })));
    for (const event of events) {
      const stream = streams.get({ stream_id: event.streamId });
      if (stream) {
        stream.event_count++;
        stream.last_revision = event.streamRevision;
        stream.last_position = event.globalPosition;
        // Earliest and latest: concurrent appends can commit a later position with an earlier time.
        if (event.recordedAt < stream.first_recorded_at) stream.first_recorded_at = event.recordedAt;
        if (event.recordedAt > stream.last_recorded_at) stream.last_recorded_at = event.recordedAt;
        streams.put(stream);
      } else {
        streams.put({
          stream_id: event.streamId,
          category: categoryOf(event.streamId),
          event_count: 1,
          last_revision: event.streamRevision,
          last_position: event.globalPosition,
          first_recorded_at: event.recordedAt,
          last_recorded_at: event.recordedAt,
        });
      }
      const type = types.get({ event_type: event.type });
      if (type) {
        type.event_count++;
        type.last_position = event.globalPosition;
        types.put(type);
      } else {
        types.put({ event_type: event.type, event_count: 1, last_position: event.globalPosition });
      }
    }
  },
};

export interface ReplayDiscrepancies {
  /** Events in the log that the read model does not count. */
  readonly lost: number;
  /** Events the read model counts more than once. */
  readonly duplicated: number;
}

/**
 * Compares the read model in `schema` with the PostgreSQL event log in the same database,
 * stream by stream.
 */
export async function streamActivityDiscrepancies(pool: Pool, schema = liveSchemaOf(streamActivity)): Promise<ReplayDiscrepancies> {
  const { rows } = await pool.query<{ lost: string; duplicated: string }>(
    `WITH log AS (SELECT stream_id, count(*) AS events FROM events GROUP BY stream_id)
     SELECT coalesce(sum(greatest(coalesce(log.events, 0) - coalesce(rm.event_count, 0), 0)), 0) AS lost,
            coalesce(sum(greatest(coalesce(rm.event_count, 0) - coalesce(log.events, 0), 0)), 0) AS duplicated
       FROM log FULL JOIN ${ident(schema)}.streams rm ON rm.stream_id = log.stream_id`,
  );
  return { lost: Number(rows[0].lost), duplicated: Number(rows[0].duplicated) };
}
