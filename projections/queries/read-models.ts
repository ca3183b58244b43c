import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { foldForSearch, Payouts } from '#domain';
import type { EventStore } from '#event-store';
import { BeneficiaryRecord, CardRecord, PayoutRecord } from '../entities/read-model-entities.js';
import { liveSchemaOf, type Projection, readCheckpoint } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';
import { percent } from '../percentages.js';
import { type PageRequest, pageOf } from './paging.js';

const R = liveSchemaOf(registers);
const P = liveSchemaOf(payments);

/** Money columns come back from PostgreSQL as strings (bigint): whole VND as numbers. */
const vnd = (value: string | number | null): number | null => (value === null ? null : Number(value));

/**
 * The log position the read models `of` have applied up to: what a read reflects, to be quoted
 * with it. A read model's checkpoint stands at the last event of the types it consumes, so the
 * position of one read model alone is exact for reads of it ("as known at position P"). For
 * several, the least of their checkpoints is a safe lower bound; with the `store`, the position is
 * exact: the head of the log, or just before the first event one of them has yet to apply.
 */
export async function readModelPosition(pool: Pool, of: readonly Projection[] = [registers, payments], store?: EventStore): Promise<string> {
  const checkpoints = await Promise.all(of.map(async ({ name }) => (await readCheckpoint(pool, name)) ?? 0n));
  if (!store) return checkpoints.reduce((low, p) => (p < low ? p : low)).toString();
  // The head is read first: an event appended after it is beyond the position whether applied or not.
  const head = await store.readHeadPosition();
  const pending = await Promise.all(
    of.map(async (projection, n) => {
      const [next] = await store.readAll({ after: checkpoints[n], maxCount: 1, ...(projection.eventTypes ? { eventTypes: projection.eventTypes } : {}) });
      return next?.globalPosition;
    }),
  );
  return pending.reduce<bigint>((low, next) => (next !== undefined && next - 1n < low ? next - 1n : low), head).toString();
}

/** Text matched by LIKE as typed: `%` and `_` in it are those characters, not wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** A prefix to search by, wildcards typed in it taken literally. */
const startingWith = (prefix: string) => `${escapeLike(prefix)}%`;

export const REGISTER_STATUSES = ['registered', 'retired', 'deceased', 'removed'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

export interface RegisterFilter {
  /** Words the name holds, each from a word's start, diacritics and case aside: "nong van an", "van an" and "Nông" all find "Nông Văn An". */
  readonly name?: string;
  /** The national id starts with these digits. */
  readonly nationalId?: string;
  /** One of the person's cards (any status) has a number starting so. */
  readonly cardNumber?: string;
  readonly unit?: string;
  readonly group?: number;
  readonly status?: RegisterStatus;
  /** Only people who look like another person on the register (see `likelyDuplicateOf`). */
  readonly likelyDuplicates?: boolean;
  /** The register as it stood on this valid date (group, position and status then); today's by default. */
  readonly asOf?: string;
}

/** `020068001234` → `020******234`: enough to tell namesakes apart, too little to use as the number. */
export function maskNationalId(nationalId: string): string {
  return nationalId.length <= 6 ? '*'.repeat(nationalId.length) : `${nationalId.slice(0, 3)}${'*'.repeat(nationalId.length - 6)}${nationalId.slice(-3)}`;
}

/**
 * The beneficiary register, searched by name without diacritics, national id, card number, unit,
 * group and status, current or as of a date; a page of it in name order, with the total. Each
 * row names the people it may be a duplicate of: the same folded name and date of birth, or the
 * same national id. An erased person has no name, national id or date of birth left to match.
 */
export async function searchBeneficiaries(pool: Pool, filter: RegisterFilter, page: PageRequest) {
  const words = filter.name === undefined ? [] : foldForSearch(filter.name).split(' ').filter(Boolean);
  const found = await pageOf<{
    beneficiaryId: string;
    fullName: string | null;
    dateOfBirth: string | null;
    nationalId: string | null;
    personalDataErased: boolean;
    title: string;
    administrativeUnit: string;
    group: number;
    enrolledFrom: string;
    status: RegisterStatus;
    likelyDuplicateOf: string[];
    sort_key: string | null;
  }>(
    pool,
    `SELECT * FROM (
       SELECT b.beneficiary_id AS "beneficiaryId", b.full_name AS "fullName", b.date_of_birth AS "dateOfBirth", b.national_id AS "nationalId",
              b.personal_data_erased AS "personalDataErased", p.title, p.administrative_unit AS "administrativeUnit", g.group_number AS "group",
              b.enrolled_from AS "enrolledFrom", b.name_folded AS sort_key,
              CASE WHEN b.removed_on <= $1 THEN 'removed' WHEN b.died_on <= $1 THEN 'deceased' WHEN b.retired_on <= $1 THEN 'retired' ELSE 'registered' END AS status,
              ARRAY(SELECT o.beneficiary_id FROM ${R}.beneficiaries o
                     WHERE o.beneficiary_id <> b.beneficiary_id
                       AND ((o.name_folded = b.name_folded AND o.date_of_birth = b.date_of_birth) OR o.national_id = b.national_id)
                     ORDER BY o.beneficiary_id) AS "likelyDuplicateOf"
         FROM ${R}.beneficiaries b
         JOIN LATERAL (SELECT group_number FROM ${R}.group_periods x WHERE x.beneficiary_id = b.beneficiary_id AND x.valid_from <= $1 ORDER BY valid_from DESC LIMIT 1) g ON true
         JOIN LATERAL (SELECT title, administrative_unit FROM ${R}.positions x WHERE x.beneficiary_id = b.beneficiary_id AND x.valid_from <= $1 ORDER BY valid_from DESC LIMIT 1) p ON true
        WHERE (cardinality($2::text[]) = 0
               OR b.name_folded IS NOT NULL AND (SELECT bool_and(' ' || b.name_folded LIKE '% ' || word || '%') FROM unnest($2::text[]) word))
          AND ($3::text IS NULL OR b.national_id LIKE $3)
          AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM ${R}.cards c WHERE c.beneficiary_id = b.beneficiary_id AND upper(c.card_number) LIKE upper($4)))
          AND ($5::text IS NULL OR p.administrative_unit = $5)
          AND ($6::int IS NULL OR g.group_number = $6)
     ) register
      WHERE ($7::text IS NULL OR status = $7) AND (NOT $8::boolean OR cardinality("likelyDuplicateOf") > 0)`,
    [
      filter.asOf ?? '9999-12-31',
      words.map(escapeLike),
      filter.nationalId === undefined ? null : startingWith(filter.nationalId),
      filter.cardNumber === undefined ? null : startingWith(filter.cardNumber),
      filter.unit ?? null,
      filter.group ?? null,
      filter.status ?? null,
      filter.likelyDuplicates ?? false,
    ],
    'sort_key COLLATE "C" NULLS LAST, "beneficiaryId"',
    page,
  );
  return {
    ...found,
    items: found.items.map(({ sort_key: _sortKey, nationalId, ...row }) => ({
      ...row,
      nationalIdMasked: nationalId === null ? null : maskNationalId(nationalId),
    })),
  };
}

export interface CardFilter {
  readonly number?: string;
  readonly name?: string;
  readonly unit?: string;
  readonly status?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** The card register, searchable by number prefix, the holder's name prefix and current unit, and status. */
export async function searchCards(readModels: DataSource, filter: CardFilter) {
  const query = readModels
    .getRepository(CardRecord)
    .createQueryBuilder('card')
    .innerJoin(BeneficiaryRecord, 'holder', 'holder.beneficiary_id = card.beneficiary_id')
    .addSelect(['holder.fullName', 'holder.administrativeUnit'])
    .orderBy('card.card_number')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0);
  if (filter.number) query.andWhere('card.card_number LIKE :number', { number: startingWith(filter.number) });
  if (filter.name) query.andWhere('lower(holder.full_name) LIKE lower(:name)', { name: startingWith(filter.name) });
  if (filter.unit) query.andWhere('holder.administrative_unit = :unit', { unit: filter.unit });
  if (filter.status) query.andWhere('card.status = :status', { status: filter.status });
  const { entities, raw } = await query.getRawAndEntities<{ holder_full_name: string; holder_administrative_unit: string }>();
  return entities.map((card, n) => ({ ...card, fullName: raw[n].holder_full_name, administrativeUnit: raw[n].holder_administrative_unit }));
}

/**
 * A beneficiary's balance per year and regime: entitled, approved, paid, reversed, and what is left
 * of an annual cap. The busiest read, so plain SQL: the ORM's per-call query building doubled its
 * p99 latency under 20 concurrent readers (docs/benchmarks.md).
 */
export async function balancesOf(pool: Pool, beneficiaryId: string, year?: number) {
  type Row = Record<'entitled' | 'approved' | 'paid' | 'reversed' | 'adjusted' | 'capUsed' | 'toRecover' | 'recovered' | 'writtenOff', string> & {
    year: number;
    regimeId: string;
    regimeCode: string;
    annualCap: string | null;
  };
  const { rows } = await pool.query<Row>(
    `SELECT year, regime_id AS "regimeId", regime_code AS "regimeCode", entitled, approved, paid, reversed, adjusted, annual_cap AS "annualCap", cap_used AS "capUsed",
            to_recover AS "toRecover", recovered, written_off AS "writtenOff"
       FROM ${P}.balances WHERE beneficiary_id = $1 AND ($2::int IS NULL OR year = $2) ORDER BY year, regime_id`,
    [beneficiaryId, year ?? null],
  );
  return rows.map((row) => {
    const annualCap = vnd(row.annualCap);
    const capUsed = Number(row.capUsed);
    return {
      ...row,
      entitled: Number(row.entitled),
      approved: Number(row.approved),
      paid: Number(row.paid),
      reversed: Number(row.reversed),
      adjusted: Number(row.adjusted),
      toRecover: Number(row.toRecover),
      recovered: Number(row.recovered),
      writtenOff: Number(row.writtenOff),
      annualCap,
      capUsed,
      remainingCap: annualCap === null ? null : Math.max(annualCap - capUsed, 0),
    };
  });
}

/** The annual budget of a year: per regime, allocated, committed, paid, remaining, alerts; and the spending by group and unit. */
export async function annualBudget(pool: Pool, year: number) {
  const [totals, spending, alerts] = await Promise.all([
    pool.query<
      Record<'committed' | 'paid' | 'to_recover' | 'recovered' | 'written_off', string> & {
        regime_code: string;
        allocated: string | null;
        decision_number: string | null;
      }
    >(
      `SELECT regime_code, allocated, decision_number, committed, paid, to_recover, recovered, written_off FROM ${P}.budget_totals WHERE year = $1 ORDER BY regime_code`,
      [year],
    ),
    pool.query<{ regime_code: string; group_number: number; administrative_unit: string; committed: string; paid: string }>(
      `SELECT regime_code, group_number, administrative_unit, committed, paid FROM ${P}.budget_spending WHERE year = $1 ORDER BY regime_code, group_number, administrative_unit`,
      [year],
    ),
    pool.query<{ regime_code: string; percent: number; used: string; allocated: string; global_position: string }>(
      `SELECT regime_code, percent, used, allocated, global_position FROM ${P}.budget_alerts WHERE year = $1 ORDER BY regime_code, percent`,
      [year],
    ),
  ]);
  return {
    year,
    regimes: totals.rows.map((row) => {
      const allocated = vnd(row.allocated);
      const used = Number(row.committed) + Number(row.paid);
      return {
        regimeCode: row.regime_code,
        allocated,
        decisionNumber: row.decision_number,
        committed: Number(row.committed),
        paid: Number(row.paid),
        recoveries: { toRecover: Number(row.to_recover), recovered: Number(row.recovered), writtenOff: Number(row.written_off) },
        remaining: allocated === null ? null : allocated - used,
        usedPercent: allocated ? percent(used, allocated) : null,
        alerts: alerts.rows
          .filter((alert) => alert.regime_code === row.regime_code)
          .map((alert) => ({ percent: alert.percent, used: Number(alert.used), allocated: Number(alert.allocated), position: alert.global_position })),
      };
    }),
    spending: spending.rows.map((row) => ({
      regimeCode: row.regime_code,
      group: row.group_number,
      administrativeUnit: row.administrative_unit,
      committed: Number(row.committed),
      paid: Number(row.paid),
    })),
  };
}

export async function payoutHistory(
  readModels: DataSource,
  filter: { beneficiaryId?: string; year?: number; regimeCode?: string; status?: string; limit?: number; offset?: number },
) {
  return readModels.getRepository(PayoutRecord).find({
    where: {
      ...(filter.beneficiaryId ? { beneficiaryId: filter.beneficiaryId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.year ? { year: filter.year } : {}),
      ...(filter.regimeCode ? { regimeCode: filter.regimeCode } : {}),
    },
    order: { serviceDate: 'ASC', payoutId: 'ASC' },
    take: filter.limit ?? 100,
    skip: filter.offset ?? 0,
  });
}

/**
 * A payout with its full lineage for auditors: the request and every step of its stay or claim
 * (approvals, with actors and times), the payout's own steps, and when adjustments followed, each
 * adjustment with its payout and the cause it cites (the policy version published, or the
 * reorganization plan drafted, confirmed and applied). Works from any payout of the chain.
 */
export async function payoutLineage(readModels: DataSource, payoutId: string) {
  const payout = await readModels.getRepository(PayoutRecord).findOneBy({ payoutId });
  if (!payout) return undefined;
  const [corrected]: { source_kind: string; source_id: string }[] =
    payout.sourceKind === 'adjustment'
      ? await readModels.query(`SELECT source_kind, source_id FROM ${P}.adjustments WHERE adjustment_id = $1`, [payout.sourceId])
      : [];
  const sourceId: string = corrected?.source_id ?? payout.sourceId;
  const sourceKind: string = corrected?.source_kind ?? payout.sourceKind;
  const adjustments: { adjustment_id: string; regime_id: string; cause_kind: string; cause_id: string; corrects_payout_id: string }[] = await readModels.query(
    `SELECT adjustment_id, regime_id, cause_kind, cause_id, corrects_payout_id, previous_amount, previous_group, next_amount, next_group, difference, recorded_by, approved_by
       FROM ${P}.adjustments WHERE source_id = $1 ORDER BY global_position`,
    [sourceId],
  );
  const subjects: [string, string][] = [
    [sourceKind, sourceId],
    ['payout', payoutId],
    ...adjustments.flatMap((a): [string, string][] => [
      ['payout', Payouts.payoutIdFor({ kind: 'adjustment', id: a.adjustment_id }, a.regime_id)],
      ['payout', a.corrects_payout_id],
      [a.cause_kind === 'policy-version' ? 'policy-version' : 'reorganization', a.cause_id],
    ]),
  ];
  const lineage: {
    position: string;
    subjectKind: string;
    subjectId: string;
    step: string;
    actor: string;
    roles: string[];
    recordedAt: Date;
    details: unknown;
  }[] = await readModels.query(
    `SELECT global_position AS position, subject_kind AS "subjectKind", subject_id AS "subjectId", step, actor, roles, recorded_at AS "recordedAt", details
       FROM ${P}.lineage WHERE (subject_kind, subject_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY global_position`,
    [subjects.map(([kind]) => kind), subjects.map(([, id]) => id)],
  );
  return { payout, adjustments: adjustments.map(camelCaseKeys), lineage };
}

const camelCaseKeys = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
      /amount|difference/.test(key) ? Number(value) : value,
    ]),
  );
