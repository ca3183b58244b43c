import type { ClientBase, Pool } from 'pg';
import type { StoredEvent } from '#event-store';
import { ident, liveSchemaOf, type Projection, type ProjectionTables, RECORDED_AT_MS } from '#projection-runner';
import { type PageRequest, pageOf } from '../queries/paging.js';

/** The beneficiary a stream's events concern, learnt from the first of them that names one. */
type SubjectRow = { stream_id: string; beneficiary_id: string };

const BENEFICIARY_STREAM = 'beneficiary-';

/** The beneficiary an event names itself: its stream is theirs, or its data says whom it concerns. */
function beneficiaryNamedBy(event: StoredEvent): string | undefined {
  if (event.streamId.startsWith(BENEFICIARY_STREAM)) return event.streamId.slice(BENEFICIARY_STREAM.length);
  const data = event.data as { beneficiaryId?: unknown } | null;
  return typeof data?.beneficiaryId === 'string' ? data.beneficiaryId : undefined;
}

/**
 * Who did what, when: one entry per event of the log, with its actor, their roles and the command
 * id, and the beneficiary it concerns. An event that does not name the beneficiary (a payment, an
 * approval) is theirs when its stream's first event named them. The facts themselves stay in the
 * log: no personal data is copied here, so an erasure leaves nothing behind.
 */
export const auditTrail: Projection = {
  name: 'audit_trail',

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.entries (
        global_position numeric(40, 0) PRIMARY KEY,
        recorded_at timestamptz NOT NULL,
        actor text NOT NULL,
        roles jsonb,
        event_type text NOT NULL,
        stream_id text NOT NULL,
        command_id text,
        beneficiary_id text
      );
      CREATE INDEX entries_by_actor ON ${s}.entries (actor, global_position);
      CREATE INDEX entries_by_type ON ${s}.entries (event_type, global_position);
      CREATE INDEX entries_by_beneficiary ON ${s}.entries (beneficiary_id, global_position);
      CREATE INDEX entries_by_time ON ${s}.entries (recorded_at);
      CREATE TABLE ${s}.subjects (
        stream_id text PRIMARY KEY,
        beneficiary_id text NOT NULL
      );`);
  },

  // An entry follows from its event and its stream's first event naming a beneficiary: the
  // database makes them in one statement, instead of every event of the log crossing into the
  // process. The data read is stored data (a beneficiary id), so only a log in today's schemas.
  fromLog: {
    tables: 'all',
    keepsStoredData: true,
    async fill(sql, schema, log) {
      const s = ident(schema);
      await sql.query(
        `WITH named AS (
           SELECT global_position, ${RECORDED_AT_MS} AS recorded_at, metadata, event_type, stream_id,
                  CASE WHEN starts_with(stream_id, $2) THEN substr(stream_id, length($2) + 1)
                       WHEN jsonb_typeof(data->'beneficiaryId') = 'string' THEN data->>'beneficiaryId' END AS named
             FROM ${ident(log.table)} WHERE global_position <= $1),
         first_named AS (
           SELECT DISTINCT ON (stream_id) stream_id, global_position, named FROM named WHERE named IS NOT NULL ORDER BY stream_id, global_position),
         subjects AS (INSERT INTO ${s}.subjects (stream_id, beneficiary_id) SELECT stream_id, named FROM first_named)
         INSERT INTO ${s}.entries (global_position, recorded_at, actor, roles, event_type, stream_id, command_id, beneficiary_id)
         SELECT n.global_position, n.recorded_at, n.metadata->>'actor', n.metadata->'roles', n.event_type, n.stream_id, n.metadata->>'commandId',
                COALESCE(n.named, CASE WHEN f.global_position <= n.global_position THEN f.named END)
           FROM named n LEFT JOIN first_named f USING (stream_id)`,
        [log.until.toString(), BENEFICIARY_STREAM],
      );
    },
  },

  async apply(tables: ProjectionTables, events: readonly StoredEvent[]): Promise<void> {
    const subjects = tables.table<SubjectRow>('subjects', { key: ['stream_id'] });
    await subjects.load([...new Set(events.map((event) => event.streamId))].map((stream_id) => ({ stream_id })));
    for (const event of events) {
      let subject = subjects.get({ stream_id: event.streamId });
      const named = beneficiaryNamedBy(event);
      if (!subject && named) subject = subjects.put({ stream_id: event.streamId, beneficiary_id: named });
      tables.append('entries', {
        global_position: event.globalPosition,
        recorded_at: event.recordedAt,
        actor: event.metadata.actor,
        roles: event.metadata.roles ?? null,
        event_type: event.type,
        stream_id: event.streamId,
        command_id: event.metadata.commandId ?? null,
        beneficiary_id: named ?? subject?.beneficiary_id ?? null,
      });
    }
  },
};

const A = liveSchemaOf(auditTrail);

export interface AuditFilter {
  readonly actor?: string;
  /** Event types, e.g. ClaimApproved: what was done. */
  readonly action?: string;
  readonly beneficiaryId?: string;
  /** Days in Vietnam (UTC+7, no daylight saving), both included. */
  readonly from?: string;
  readonly to?: string;
}

/** The audit trail, a page of it, the latest first. */
export async function auditEntries(pool: Pool, filter: AuditFilter, page: PageRequest) {
  const found = await pageOf<{
    position: string;
    recordedAt: Date;
    actor: string;
    roles: string[] | null;
    action: string;
    streamId: string;
    commandId: string | null;
    beneficiaryId: string | null;
  }>(
    pool,
    `SELECT global_position AS position, recorded_at AS "recordedAt", actor, roles, event_type AS action, stream_id AS "streamId",
            command_id AS "commandId", beneficiary_id AS "beneficiaryId"
       FROM ${A}.entries
      WHERE ($1::text IS NULL OR actor = $1)
        AND ($2::text IS NULL OR event_type = $2)
        AND ($3::text IS NULL OR beneficiary_id = $3)
        AND ($4::text IS NULL OR recorded_at >= ($4 || 'T00:00:00+07:00')::timestamptz)
        AND ($5::text IS NULL OR recorded_at < ($5 || 'T00:00:00+07:00')::timestamptz + interval '1 day')`,
    [filter.actor ?? null, filter.action ?? null, filter.beneficiaryId ?? null, filter.from ?? null, filter.to ?? null],
    'position DESC',
    page,
  );
  return { ...found, items: found.items.map((entry) => ({ ...entry, position: String(entry.position), recordedAt: entry.recordedAt.toISOString() })) };
}
