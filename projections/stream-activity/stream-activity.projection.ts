import type { ClientBase, Pool } from 'pg';
import type { StoredEvent } from '#event-store';
import { ident, liveSchemaOf, type Projection } from '#projections';

interface StreamTotals {
  category: string;
  events: number;
  lastRevision: number;
  lastPosition: bigint;
  firstRecordedAt: Date;
  lastRecordedAt: Date;
}

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

  async apply(sql: ClientBase, schema: string, events: readonly StoredEvent[]): Promise<void> {
    const streams = new Map<string, StreamTotals>();
    const types = new Map<string, { events: number; lastPosition: bigint }>();
    for (const event of events) {
      const stream = streams.get(event.streamId);
      if (stream) {
        stream.events++;
        stream.lastRevision = event.streamRevision;
        stream.lastPosition = event.globalPosition;
        stream.lastRecordedAt = event.recordedAt;
      } else {
        streams.set(event.streamId, {
          category: categoryOf(event.streamId),
          events: 1,
          lastRevision: event.streamRevision,
          lastPosition: event.globalPosition,
          firstRecordedAt: event.recordedAt,
          lastRecordedAt: event.recordedAt,
        });
      }
      const type = types.get(event.type) ?? { events: 0, lastPosition: 0n };
      type.events++;
      type.lastPosition = event.globalPosition;
      types.set(event.type, type);
    }

    const s = ident(schema);
    const rows = [...streams];
    await sql.query(
      `INSERT INTO ${s}.streams AS current
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::numeric[], $6::timestamptz[], $7::timestamptz[])
       ON CONFLICT (stream_id) DO UPDATE SET
         event_count = current.event_count + EXCLUDED.event_count,
         last_revision = EXCLUDED.last_revision,
         last_position = EXCLUDED.last_position,
         last_recorded_at = EXCLUDED.last_recorded_at`,
      [
        rows.map(([id]) => id),
        rows.map(([, t]) => t.category),
        rows.map(([, t]) => t.events),
        rows.map(([, t]) => t.lastRevision),
        rows.map(([, t]) => t.lastPosition.toString()),
        rows.map(([, t]) => t.firstRecordedAt.toISOString()),
        rows.map(([, t]) => t.lastRecordedAt.toISOString()),
      ],
    );
    const typeRows = [...types];
    await sql.query(
      `INSERT INTO ${s}.event_types AS current
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::numeric[])
       ON CONFLICT (event_type) DO UPDATE SET
         event_count = current.event_count + EXCLUDED.event_count,
         last_position = EXCLUDED.last_position`,
      [typeRows.map(([type]) => type), typeRows.map(([, t]) => t.events), typeRows.map(([, t]) => t.lastPosition.toString())],
    );
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
  return { lost: Number(rows[0]!.lost), duplicated: Number(rows[0]!.duplicated) };
}
