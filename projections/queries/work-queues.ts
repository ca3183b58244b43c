import type { Pool } from 'pg';
import { liveSchemaOf } from '#projection-runner';
import type { DailySegment } from '#domain';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';
import { type PageRequest, pageOf } from './paging.js';

const R = liveSchemaOf(registers);
const P = liveSchemaOf(payments);

export const APPROVAL_KINDS = ['claim', 'admission', 'over-cap-confirmation', 'adjustment'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
export const PAYMENT_KINDS = ['payout', 'recovery'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
export const RECORD_KINDS = ['open-stay', 'card-missing'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** What narrows a work queue: the regime (by its letter), the group and unit on the service date, and a range of service dates. */
export interface QueueFilter {
  readonly regimeCode?: string;
  readonly group?: number;
  readonly unit?: string;
  readonly serviceFrom?: string;
  readonly serviceTo?: string;
}

export interface ApprovalFilter extends QueueFilter {
  readonly kind?: ApprovalKind;
  /** Who asks: what they recorded, requested or proposed over the cap is not theirs to decide (rule ApprovingOwnRequest), so it is left out. */
  readonly approver: string;
}

export interface PaymentFilter extends QueueFilter {
  readonly kind?: PaymentKind;
  readonly beneficiaryId?: string;
}

/**
 * Stays and claims waiting for an approver: a claim requested and not yet decided, one an
 * approver proposed to grant over the annual cap (awaiting a second approver), and a discharged
 * stay whose allowances are entitled and not yet decided. Each row with the group and unit its
 * beneficiary held on the service date (registers).
 */
function awaitingApproval(filter: ApprovalFilter): [string, unknown[]] {
  return [
    `SELECT * FROM (
       SELECT s.source_id AS id,
              CASE WHEN s.kind = 'admission' THEN 'admission' WHEN s.over_cap_proposal IS NOT NULL THEN 'over-cap-confirmation' ELSE 'claim' END AS kind,
              s.beneficiary_id AS "beneficiaryId", b.full_name AS "fullName", s.regime_id AS "regimeId",
              COALESCE(s.service_date, s.admitted_on) AS "serviceDate", s.discharged_on AS "dischargedOn",
              g.group_number AS "group", p.administrative_unit AS "administrativeUnit",
              s.requested_by AS "requestedBy", s.over_cap_proposal AS "overCapProposal", s.facts, s.visit, s.meals,
              c.annual_cap AS "annualCap", c.cap_used AS "capUsed", s.kind AS "sourceKind", NULL::jsonb AS adjustments
         FROM ${P}.sources s
         LEFT JOIN ${R}.beneficiaries b ON b.beneficiary_id = s.beneficiary_id
         LEFT JOIN LATERAL (SELECT group_number FROM ${R}.group_periods x WHERE x.beneficiary_id = s.beneficiary_id AND x.valid_from <= COALESCE(s.service_date, s.admitted_on) ORDER BY valid_from DESC LIMIT 1) g ON true
         LEFT JOIN LATERAL (SELECT administrative_unit FROM ${R}.positions x WHERE x.beneficiary_id = s.beneficiary_id AND x.valid_from <= COALESCE(s.service_date, s.admitted_on) ORDER BY valid_from DESC LIMIT 1) p ON true
         LEFT JOIN ${P}.balances c ON c.beneficiary_id = s.beneficiary_id AND c.year = s.service_year AND c.regime_id = s.regime_id
        WHERE s.decision IS NULL AND s.approval IS NULL
          AND (s.kind = 'claim' AND s.facts IS NOT NULL OR s.kind = 'admission' AND s.discharged_on IS NOT NULL AND (s.visit IS NOT NULL OR s.meals IS NOT NULL))
          AND s.requested_by IS DISTINCT FROM $1
          AND (s.over_cap_proposal IS NULL OR s.over_cap_proposal->>'by' <> $1)
          AND ($2::text IS NULL OR CASE WHEN s.kind = 'admission' THEN $2 IN ('a', 'b') ELSE split_part(s.regime_id, '.', 1) = $2 END)
          AND ($3::text IS NULL OR COALESCE(s.service_date, s.admitted_on) >= $3)
          AND ($4::text IS NULL OR COALESCE(s.service_date, s.admitted_on) <= $4)
       UNION ALL
       -- A stay's or a claim's adjustments awaiting approval, approved together (POST …/adjustments/approval): one item.
       SELECT a.source_id, 'adjustment', a.beneficiary_id, b.full_name, CASE WHEN a.source_kind = 'claim' THEN min(a.regime_id) END,
              min(a.service_date), NULL, g.group_number, p.administrative_unit,
              min(a.recorded_by), NULL, NULL, NULL, NULL, NULL, NULL, a.source_kind,
              jsonb_agg(jsonb_build_object('adjustmentId', a.adjustment_id, 'regimeId', a.regime_id, 'causeKind', a.cause_kind,
                                           'previousAmount', a.previous_amount, 'previousGroup', a.previous_group,
                                           'nextAmount', a.next_amount, 'nextGroup', a.next_group, 'difference', a.difference)
                        ORDER BY a.adjustment_id)
         FROM ${P}.adjustments a
         LEFT JOIN ${R}.beneficiaries b ON b.beneficiary_id = a.beneficiary_id
         LEFT JOIN LATERAL (SELECT group_number FROM ${R}.group_periods x WHERE x.beneficiary_id = a.beneficiary_id AND x.valid_from <= a.service_date ORDER BY valid_from DESC LIMIT 1) g ON true
         LEFT JOIN LATERAL (SELECT administrative_unit FROM ${R}.positions x WHERE x.beneficiary_id = a.beneficiary_id AND x.valid_from <= a.service_date ORDER BY valid_from DESC LIMIT 1) p ON true
        WHERE a.approved_by IS NULL
          AND ($2::text IS NULL OR split_part(a.regime_id, '.', 1) = $2)
          AND ($3::text IS NULL OR a.service_date >= $3)
          AND ($4::text IS NULL OR a.service_date <= $4)
        GROUP BY a.source_kind, a.source_id, a.beneficiary_id, b.full_name, g.group_number, p.administrative_unit
        -- Whoever recorded one of them may not approve them (rule ApprovingOwnRequest).
       HAVING NOT bool_or(a.recorded_by = $1)
     ) waiting
     WHERE ($5::text IS NULL OR kind = $5) AND ($6::int IS NULL OR "group" = $6) AND ($7::text IS NULL OR "administrativeUnit" = $7)`,
    [
      filter.approver,
      filter.regimeCode ?? null,
      filter.serviceFrom ?? null,
      filter.serviceTo ?? null,
      filter.kind ?? null,
      filter.group ?? null,
      filter.unit ?? null,
    ],
  ];
}

type WaitingRow = {
  id: string;
  kind: ApprovalKind;
  beneficiaryId: string | null;
  fullName: string | null;
  regimeId: string | null;
  serviceDate: string;
  dischargedOn: string | null;
  group: number | null;
  administrativeUnit: string | null;
  requestedBy: string | null;
  overCapProposal: { by: string; reason: string } | null;
  facts: Record<string, unknown> | null;
  visit: { amount: number; policyVersionId: string; clause: string; group: number } | null;
  meals: { amount: number; days: number; segments: DailySegment[] } | null;
  annualCap: string | null;
  capUsed: string | null;
  sourceKind: 'claim' | 'admission';
  adjustments:
    | {
        adjustmentId: string;
        regimeId: string;
        causeKind: string;
        previousAmount: number;
        previousGroup: number;
        nextAmount: number;
        nextGroup: number;
        difference: number;
      }[]
    | null;
};

const inclusiveDays = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/** One item of the approvers' queue: what it is, whose, and what the decision rests on. */
function approvalItem(row: WaitingRow) {
  const common = {
    kind: row.kind,
    id: row.id,
    beneficiaryId: row.beneficiaryId,
    fullName: row.fullName,
    serviceDate: row.serviceDate,
    group: row.group,
    administrativeUnit: row.administrativeUnit,
    requestedBy: row.requestedBy,
  };
  if (row.kind === 'adjustment') {
    const adjustments = row.adjustments ?? [];
    return {
      ...common,
      sourceKind: row.sourceKind,
      regimeCodes: [...new Set(adjustments.map((adjustment) => adjustment.regimeId.split('.')[0]))],
      ...(row.regimeId ? { regimeId: row.regimeId } : {}),
      // What the approval pays (positive) or recovers (negative) in all.
      amount: adjustments.reduce((sum, adjustment) => sum + adjustment.difference, 0),
      adjustments,
    };
  }
  if (row.kind === 'admission') {
    const visit = row.visit && { amount: row.visit.amount, policyVersionId: row.visit.policyVersionId, clause: row.visit.clause, group: row.visit.group };
    const meals = row.meals && {
      amount: row.meals.amount,
      days: row.meals.days,
      segments: row.meals.segments.map(({ from, to, days, group, rate, amount, policyVersionId, clause }) => ({
        from,
        to,
        days,
        group,
        rate,
        amount,
        policyVersionId,
        clause,
      })),
    };
    return {
      ...common,
      regimeCodes: ['a', 'b'],
      dischargedOn: row.dischargedOn,
      amount: (visit?.amount ?? 0) + (meals?.amount ?? 0),
      admission: { visit, meals },
    };
  }
  const facts = row.facts ?? {};
  const number = (field: string) => (typeof facts[field] === 'number' ? facts[field] : null);
  const text = (field: string) => (typeof facts[field] === 'string' ? facts[field] : null);
  const until = text('until');
  const annualCap = row.annualCap === null ? null : Number(row.annualCap);
  const capUsed = Number(row.capUsed ?? 0);
  return {
    ...common,
    regimeCodes: [row.regimeId!.split('.')[0]],
    regimeId: row.regimeId,
    // A claim's amount is computed when it is approved, under the policy and group of its service date.
    amount: null,
    claim: {
      cost: number('cost'),
      outOfPocket: number('outOfPocket'),
      until,
      days: until ? inclusiveDays(row.serviceDate, until) : null,
      quantity: number('quantity'),
      councilDecisionNumber: text('councilDecisionNumber'),
      deliberateReason: text('deliberateReason'),
      documents: Array.isArray(facts.documents) ? (facts.documents as string[]) : [],
      annualCap: annualCap === null ? null : { cap: annualCap, used: capUsed, left: Math.max(annualCap - capUsed, 0) },
      overCapProposal: row.overCapProposal,
    },
  };
}

/** The approvers' queue ("Chờ tôi duyệt"), a page of it, the longest waiting (earliest service) first. */
export async function approvalQueue(pool: Pool, filter: ApprovalFilter, page: PageRequest) {
  const [matching, params] = awaitingApproval(filter);
  const found = await pageOf<WaitingRow>(pool, matching, params, '"serviceDate", id', page);
  return { ...found, items: found.items.map(approvalItem) };
}

/**
 * Payouts approved and not yet paid, and recoveries still owed: what finance has to pay or
 * collect, with the group and unit each payout is counted in.
 */
function awaitingPayment(filter: PaymentFilter): [string, unknown[]] {
  return [
    `SELECT CASE WHEN o.status = 'owed' THEN 'recovery' ELSE 'payout' END AS kind, o.payout_id AS "payoutId", o.source_kind AS "sourceKind", o.source_id AS "sourceId",
            o.beneficiary_id AS "beneficiaryId", b.full_name AS "fullName", o.payee, o.regime_id AS "regimeId", o.regime_code AS "regimeCode",
            o.group_number AS "group", o.administrative_unit AS "administrativeUnit", o.service_date AS "serviceDate",
            o.amount, CASE WHEN o.status = 'owed' THEN -o.amount - o.recovered - o.written_off ELSE o.amount END AS due,
            o.units, o.policy_version_id AS "policyVersionId", o.clause, o.basis, o.over_cap AS "overCap", o.approved_by AS "approvedBy"
       FROM ${P}.payouts o
       LEFT JOIN ${R}.beneficiaries b ON b.beneficiary_id = o.beneficiary_id
      WHERE o.status IN ('scheduled', 'owed')
        AND ($1::text IS NULL OR (o.status = 'owed') = ($1 = 'recovery'))
        AND ($2::text IS NULL OR o.regime_code = $2)
        AND ($3::int IS NULL OR o.group_number = $3)
        AND ($4::text IS NULL OR o.administrative_unit = $4)
        AND ($5::text IS NULL OR o.service_date >= $5)
        AND ($6::text IS NULL OR o.service_date <= $6)
        AND ($7::text IS NULL OR o.beneficiary_id = $7)`,
    [
      filter.kind ?? null,
      filter.regimeCode ?? null,
      filter.group ?? null,
      filter.unit ?? null,
      filter.serviceFrom ?? null,
      filter.serviceTo ?? null,
      filter.beneficiaryId ?? null,
    ],
  ];
}

type DueRow = {
  kind: PaymentKind;
  payoutId: string;
  beneficiaryId: string | null;
  amount: string;
  due: string;
  basis: string | null;
  overCap: string;
  [column: string]: unknown;
};

/** Finance's queue ("Chờ chi"), a page of it, the earliest service first. */
export async function paymentQueue(pool: Pool, filter: PaymentFilter, page: PageRequest) {
  const [matching, params] = awaitingPayment(filter);
  const found = await pageOf<DueRow>(pool, matching, params, '"serviceDate", "payoutId"', page);
  return {
    ...found,
    items: found.items.map((row) => ({
      ...row,
      amount: Number(row.amount),
      due: Number(row.due),
      basis: row.basis === null ? null : Number(row.basis),
      overCap: Number(row.overCap),
    })),
  };
}

export interface RecordFilter {
  readonly kind?: RecordKind;
  readonly unit?: string;
  /** Today in the province: a card that ended before it is no card. */
  readonly today: string;
}

/**
 * What the register still lacks, for the clerks who keep it: stays recorded without a discharge
 * (their allowances cannot be computed until it is), and people on the register with no card
 * valid today. Each with the person's unit as it stands now.
 */
function awaitingRecords(filter: RecordFilter): [string, unknown[]] {
  return [
    `SELECT * FROM (
       SELECT 'open-stay' AS kind, s.source_id AS id, s.beneficiary_id AS "beneficiaryId", b.full_name AS "fullName",
              s.admitted_on AS since, b.administrative_unit AS "administrativeUnit", s.requested_by AS "recordedBy"
         FROM ${P}.sources s
         LEFT JOIN ${R}.beneficiaries b ON b.beneficiary_id = s.beneficiary_id
        WHERE s.kind = 'admission' AND s.discharged_on IS NULL AND s.decision IS NULL
       UNION ALL
       SELECT 'card-missing', b.beneficiary_id, b.beneficiary_id, b.full_name, b.enrolled_from, b.administrative_unit, NULL
         FROM ${R}.beneficiaries b
        WHERE b.status IN ('registered', 'retired')
          AND NOT EXISTS (SELECT 1 FROM ${R}.cards c WHERE c.beneficiary_id = b.beneficiary_id AND c.status = 'valid' AND c.valid_to >= $1)
     ) waiting
     WHERE ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR "administrativeUnit" = $3)`,
    [filter.today, filter.kind ?? null, filter.unit ?? null],
  ];
}

/** The clerks' queue ("Chờ cập nhật hồ sơ"), a page of it, the longest waiting first. */
export function recordsQueue(pool: Pool, filter: RecordFilter, page: PageRequest) {
  const [matching, params] = awaitingRecords(filter);
  return pageOf<{
    kind: RecordKind;
    id: string;
    beneficiaryId: string | null;
    fullName: string | null;
    since: string;
    administrativeUnit: string | null;
    recordedBy: string | null;
  }>(pool, matching, params, 'since, id', page);
}

/** How much waits in each queue the actor works: the approvers' by kind, finance's by kind with the money due. */
export async function queueCounts(pool: Pool, of: { readonly approver?: string; readonly finance: boolean; readonly clerkToday?: string }) {
  const [waiting, waitingParams] = awaitingApproval({ approver: of.approver ?? '' });
  const [due, dueParams] = awaitingPayment({});
  const [lacking, lackingParams] = awaitingRecords({ today: of.clerkToday ?? '' });
  const [approvals, payouts, records] = await Promise.all([
    of.approver === undefined
      ? undefined
      : pool.query<{ kind: ApprovalKind; count: string }>(`SELECT kind, count(*) FROM (${waiting}) waiting GROUP BY kind`, waitingParams),
    of.finance
      ? pool.query<{ kind: PaymentKind; count: string; due: string }>(`SELECT kind, count(*), sum(due) AS due FROM (${due}) due GROUP BY kind`, dueParams)
      : undefined,
    of.clerkToday === undefined
      ? undefined
      : pool.query<{ kind: RecordKind; count: string }>(`SELECT kind, count(*) FROM (${lacking}) lacking GROUP BY kind`, lackingParams),
  ]);
  const count = <Kind extends string>(rows: { kind: Kind; count: string }[], kind: Kind) => Number(rows.find((row) => row.kind === kind)?.count ?? 0);
  const dueOf = (kind: PaymentKind) => Number(payouts?.rows.find((row) => row.kind === kind)?.due ?? 0);
  return {
    ...(approvals
      ? {
          approvals: {
            claims: count(approvals.rows, 'claim'),
            admissions: count(approvals.rows, 'admission'),
            overCapConfirmations: count(approvals.rows, 'over-cap-confirmation'),
            adjustments: count(approvals.rows, 'adjustment'),
          },
        }
      : {}),
    ...(payouts
      ? {
          payments: {
            payouts: count(payouts.rows, 'payout'),
            payoutsDue: dueOf('payout'),
            recoveries: count(payouts.rows, 'recovery'),
            recoveriesOwed: dueOf('recovery'),
          },
        }
      : {}),
    ...(records ? { records: { openStays: count(records.rows, 'open-stay'), withoutCard: count(records.rows, 'card-missing') } } : {}),
  };
}
