import type { ClientBase } from 'pg';
import { ident, type LogTable, RECORDED_AT_MS } from '#projection-runner';
import { idOf } from '../registers/registers.projection.js';
import { PAYMENT_EVENT_TYPES, type PaymentEvent } from './events.js';

export type SubjectKind = 'admission' | 'claim' | 'payout' | 'reorganization' | 'policy-version';
export type Subject = { readonly kind: SubjectKind; readonly id: string };

/** The stream categories whose events are steps of a lineage subject of the same name. */
const SUBJECT_STREAMS = ['admission', 'claim', 'payout', 'reorganization'] as const;

/** The policy catalog's events, each a step of the lineage of the version it names (`versionId`, or the version itself). */
const POLICY_VERSION_STEPS = ['PolicyVersionDrafted', 'PolicyVersionConfirmed', 'PolicyVersionPublished'];

/** The subject an event belongs to in the payout lineage: the admission, claim or payout, or a cause of adjustments. */
export function subjectOf(event: PaymentEvent): Subject | undefined {
  switch (event.type) {
    case 'PolicyVersionConfirmed':
      return { kind: 'policy-version', id: event.data.versionId };
    case 'PolicyVersionDrafted':
    case 'PolicyVersionPublished':
      return { kind: 'policy-version', id: event.data.version.id };
  }
  for (const kind of SUBJECT_STREAMS) if (event.streamId.startsWith(`${kind}-`)) return { kind, id: idOf(event.streamId, kind) };
  return undefined;
}

/** The lineage's row for an event of `subject`: the step, who took it, and its data as recorded. */
export function lineageRow(event: PaymentEvent, subject: Subject): Record<string, unknown> {
  return {
    global_position: event.globalPosition,
    recorded_at: event.recordedAt,
    subject_kind: subject.kind,
    subject_id: subject.id,
    step: event.type,
    actor: event.metadata.actor,
    roles: event.metadata.roles ?? null,
    details: event.data,
  };
}

/** The lineage's rows as the database makes them from the log: `subjectOf` and `lineageRow`, in SQL. */
export async function lineageFromLog(sql: ClientBase, schema: string, log: LogTable): Promise<void> {
  const kinds = SUBJECT_STREAMS.map((kind) => `WHEN starts_with(stream_id, '${kind}-') THEN '${kind}'`).join(' ');
  await sql.query(
    `INSERT INTO ${ident(schema)}.lineage (global_position, subject_kind, subject_id, step, actor, roles, recorded_at, details)
     SELECT global_position, kind, CASE WHEN kind = 'policy-version' THEN COALESCE(data->>'versionId', data->'version'->>'id') ELSE substr(stream_id, length(kind) + 2) END,
            event_type, metadata->>'actor', NULLIF(metadata->'roles', 'null'::jsonb), recorded_at, data
       FROM (SELECT global_position, stream_id, event_type, data, metadata, ${RECORDED_AT_MS} AS recorded_at,
                    CASE WHEN event_type = ANY($3::text[]) THEN 'policy-version' ${kinds} END AS kind
               FROM ${ident(log.table)} WHERE global_position <= $1 AND event_type = ANY($2::text[])) steps
      WHERE kind IS NOT NULL`,
    [log.until.toString(), PAYMENT_EVENT_TYPES, POLICY_VERSION_STEPS],
  );
}
