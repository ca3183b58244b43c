import type { Pool } from 'pg';
import { liveSchemaOf } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';

const R = liveSchemaOf(registers);
const P = liveSchemaOf(payments);

/** The steps by which a person records a stay's or a claim's facts: whoever took one may not approve it. */
const RECORDING_STEPS = ['AdmissionRecorded', 'DischargeRecorded', 'AdmissionDatesCorrected', 'ClaimRequested'];

export interface Paging {
  readonly limit?: number;
  readonly offset?: number;
}

export interface ApprovalFilter extends Paging {
  readonly kind?: 'admission' | 'claim';
  readonly regimeCode?: string;
  readonly group?: number;
}

/**
 * What waits for `actor`'s approval: discharged stays and requested claims not yet decided, that
 * `actor` took no part in recording; oldest service first. Each comes with what the approver
 * weighs: the stay's entitlements (policy version, clause, rate, days), the claim's facts, and
 * the beneficiary's title, unit and group then.
 */
export async function approvalQueue(pool: Pool, actor: string, filter: ApprovalFilter) {
  const limit = filter.limit ?? 50;
  const offset = filter.offset ?? 0;
  const { rows } = await pool.query<Record<string, unknown> & { total: string }>(
    `WITH waiting AS (
       SELECT s.source_id, s.kind, s.beneficiary_id, s.regime_id, s.visit, s.meals, s.admitted_on, s.discharged_on,
              COALESCE(s.service_date, s.admitted_on) AS service_date, s.facts
         FROM ${P}.sources s
        WHERE ((s.kind = 'admission' AND s.discharged_on IS NOT NULL AND s.decision IS NULL AND (s.visit IS NOT NULL OR s.meals IS NOT NULL))
               OR (s.kind = 'claim' AND s.approval IS NULL
                   AND NOT EXISTS (SELECT 1 FROM ${P}.lineage d WHERE d.subject_id = s.source_id AND d.subject_kind = 'claim' AND d.step = 'ClaimRejected')))
          AND NOT EXISTS (SELECT 1 FROM ${P}.lineage r WHERE r.subject_id = s.source_id AND r.subject_kind = s.kind AND r.actor = $1 AND r.step = ANY($2::text[]))
          AND ($3::text IS NULL OR s.kind = $3)
          AND ($4::text IS NULL OR split_part(COALESCE(s.regime_id, 'a'), '.', 1) = $4 OR (s.kind = 'admission' AND $4 IN ('a', 'b')))
     )
     SELECT w.*, b.title, b.administrative_unit,
            (SELECT g.group_number FROM ${R}.group_periods g WHERE g.beneficiary_id = w.beneficiary_id AND g.valid_from <= w.service_date ORDER BY g.valid_from DESC LIMIT 1) AS group_number,
            count(*) OVER () AS total
       FROM waiting w LEFT JOIN ${R}.beneficiaries b ON b.beneficiary_id = w.beneficiary_id
      ORDER BY w.service_date, w.source_id`,
    [actor, RECORDING_STEPS, filter.kind ?? null, filter.regimeCode ?? null],
  );
  const matching = filter.group === undefined ? rows : rows.filter((row) => row.group_number === filter.group);
  const items = matching.slice(offset, offset + limit).map((row) => ({
    kind: row.kind as string,
    id: row.source_id as string,
    beneficiaryId: row.beneficiary_id as string | null,
    title: (row.title as string | null) ?? null,
    administrativeUnit: (row.administrative_unit as string | null) ?? null,
    group: (row.group_number as number | null) ?? null,
    serviceDate: row.service_date as string,
    ...(row.kind === 'admission'
      ? { admittedOn: row.admitted_on, dischargedOn: row.discharged_on, visit: row.visit ?? null, meals: row.meals ?? null }
      : { regimeId: row.regime_id, facts: row.facts }),
  }));
  return { items, total: matching.length, offset, limit };
}

export interface TrailFilter extends Paging {
  readonly actor?: string;
  readonly step?: string;
  readonly beneficiaryId?: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * Who did what to the money, when: every step of stays, claims, payouts and the retroactive
 * changes behind adjustments, latest first, filtered by user, action, beneficiary and dates
 * (days in Vietnam's time).
 */
export async function auditTrail(pool: Pool, filter: TrailFilter) {
  const limit = filter.limit ?? 50;
  const offset = filter.offset ?? 0;
  const { rows } = await pool.query<Record<string, unknown> & { total: string }>(
    `SELECT l.global_position::text AS position, l.subject_kind, l.subject_id, l.step, l.actor, l.recorded_at, l.details,
            COALESCE(s.beneficiary_id, p.beneficiary_id) AS beneficiary_id, count(*) OVER () AS total
       FROM ${P}.lineage l
       LEFT JOIN ${P}.sources s ON s.source_id = l.subject_id AND s.kind = l.subject_kind
       LEFT JOIN ${P}.payouts p ON l.subject_kind = 'payout' AND p.payout_id = l.subject_id
      WHERE ($1::text IS NULL OR l.actor = $1)
        AND ($2::text IS NULL OR l.step = $2)
        AND ($3::text IS NULL OR COALESCE(s.beneficiary_id, p.beneficiary_id) = $3)
        AND ($4::text IS NULL OR (l.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= $4::date)
        AND ($5::text IS NULL OR (l.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= $5::date)
      ORDER BY l.global_position DESC
      LIMIT $6 OFFSET $7`,
    [filter.actor ?? null, filter.step ?? null, filter.beneficiaryId ?? null, filter.from ?? null, filter.to ?? null, limit, offset],
  );
  return {
    items: rows.map((row) => ({
      position: row.position,
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      step: row.step,
      actor: row.actor,
      recordedAt: row.recorded_at,
      beneficiaryId: row.beneficiary_id ?? null,
      details: row.details,
    })),
    total: rows.length === 0 ? 0 : Number(rows[0].total),
    offset,
    limit,
  };
}
