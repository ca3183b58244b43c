import type { Pool } from 'pg';
import { Payouts } from '#domain';
import type { CappedClaimRecord, ClaimRecord, RegisterRecord, StayRecord, TitleHolder } from '#application/ports';
import { liveSchemaOf } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';

const R = liveSchemaOf(registers);
const P = liveSchemaOf(payments);

/**
 * The discharged stays, approved or not yet decided (a rejected stay owes nothing whatever
 * changes), that a change from `from` can touch: those discharged on or after it; of the given
 * beneficiaries only, when `beneficiaryIds` is given.
 */
export async function staysDischargedFrom(pool: Pool, from: string, beneficiaryIds?: readonly string[]): Promise<StayRecord[]> {
  const { rows } = await pool.query<{
    source_id: string;
    beneficiary_id: string;
    admitted_on: string;
    discharged_on: string;
    decision: 'approved' | null;
    visit: StayRecord['visit'];
    meals: StayRecord['meals'];
  }>(
    `SELECT source_id, beneficiary_id, admitted_on, discharged_on, decision, visit, meals FROM ${P}.sources
      WHERE kind = 'admission' AND discharged_on >= $1 AND decision IS DISTINCT FROM 'rejected'
        AND ($2::text[] IS NULL OR beneficiary_id = ANY($2::text[]))
      ORDER BY source_id`,
    [from, beneficiaryIds ?? null],
  );
  return rows.map((row) => ({
    admissionId: row.source_id,
    beneficiaryId: row.beneficiary_id,
    admittedOn: row.admitted_on,
    dischargedOn: row.discharged_on,
    decision: row.decision,
    visit: row.visit,
    meals: row.meals,
  }));
}

/** Register entries with their group periods. */
export async function registerEntries(pool: Pool, beneficiaryIds: readonly string[]): Promise<Map<string, RegisterRecord>> {
  const [people, periods] = await Promise.all([
    pool.query<{
      beneficiary_id: string;
      full_name: string;
      enrolled_from: string;
      status: string;
      title: string;
      administrative_unit: string;
      died_on: string | null;
      removed_on: string | null;
    }>(
      `SELECT beneficiary_id, full_name, enrolled_from, status, title, administrative_unit, died_on, removed_on FROM ${R}.beneficiaries WHERE beneficiary_id = ANY($1::text[])`,
      [beneficiaryIds],
    ),
    pool.query<{ beneficiary_id: string; valid_from: string; group_number: number }>(
      `SELECT beneficiary_id, valid_from, group_number FROM ${R}.group_periods WHERE beneficiary_id = ANY($1::text[]) ORDER BY beneficiary_id, valid_from`,
      [beneficiaryIds],
    ),
  ]);
  const entries = new Map<string, RegisterRecord>();
  for (const row of people.rows) {
    entries.set(row.beneficiary_id, {
      beneficiaryId: row.beneficiary_id,
      fullName: row.full_name,
      enrolledFrom: row.enrolled_from,
      status: row.status,
      title: row.title,
      administrativeUnit: row.administrative_unit,
      diedOn: row.died_on,
      removedOn: row.removed_on,
      groups: [],
    });
  }
  for (const period of periods.rows) entries.get(period.beneficiary_id)?.groups.push({ group: period.group_number, from: period.valid_from });
  return entries;
}

/** Who held one of `titles` on `date`, with the unit and group they held then. */
export async function holdersOfTitlesOn(pool: Pool, titles: readonly string[], date: string): Promise<TitleHolder[]> {
  const { rows } = await pool.query<{ beneficiary_id: string; title: string; administrative_unit: string; group_number: number }>(
    `WITH held AS (
       SELECT DISTINCT ON (beneficiary_id) beneficiary_id, title, administrative_unit FROM ${R}.positions
        WHERE valid_from <= $2 ORDER BY beneficiary_id, valid_from DESC)
     SELECT h.beneficiary_id, h.title, h.administrative_unit, g.group_number FROM held h
       JOIN LATERAL (SELECT group_number FROM ${R}.group_periods x WHERE x.beneficiary_id = h.beneficiary_id AND x.valid_from <= $2 ORDER BY x.valid_from DESC LIMIT 1) g ON true
      WHERE h.title = ANY($1::text[])
      ORDER BY h.beneficiary_id`,
    [titles, date],
  );
  return rows.map((row) => ({ beneficiaryId: row.beneficiary_id, title: row.title, administrativeUnit: row.administrative_unit, group: row.group_number }));
}

/** The approved claims of beneficiaries (all, or `beneficiaryIds`) served on or after `from`. */
export async function claimsServedFrom(pool: Pool, from: string, beneficiaryIds?: readonly string[]): Promise<ClaimRecord[]> {
  const { rows } = await pool.query<{ source_id: string; beneficiary_id: string; facts: ClaimRecord['facts']; approval: ClaimRecord['approval'] }>(
    `SELECT source_id, beneficiary_id, facts, approval FROM ${P}.sources
      WHERE kind = 'claim' AND approval IS NOT NULL AND beneficiary_id IS NOT NULL AND service_date >= $1
        AND ($2::text[] IS NULL OR beneficiary_id = ANY($2::text[]))
      ORDER BY source_id`,
    [from, beneficiaryIds ?? null],
  );
  return rows.map((row) => ({ claimId: row.source_id, beneficiaryId: row.beneficiary_id, facts: row.facts, approval: row.approval }));
}

/**
 * The approved claims against an annual cap of these beneficiaries, as the annual ledger holds
 * them: a claim whose payout was reversed gave its share of the cap back.
 */
export async function cappedClaimsOf(pool: Pool, beneficiaryIds: readonly string[]): Promise<CappedClaimRecord[]> {
  const { rows } = await pool.query<{
    source_id: string;
    beneficiary_id: string;
    regime_id: string;
    service_year: number;
    service_date: string;
    amount: string;
  }>(
    `SELECT s.source_id, s.beneficiary_id, s.regime_id, s.service_year, s.service_date, s.approval->>'amount' AS amount FROM ${P}.sources s
      WHERE s.kind = 'claim' AND (s.approval->>'capped')::boolean AND s.beneficiary_id = ANY($1::text[])
      ORDER BY s.source_id`,
    [beneficiaryIds],
  );
  const payoutIdOf = (row: (typeof rows)[number]) => Payouts.payoutIdFor({ kind: 'claim', id: row.source_id }, row.regime_id);
  const reversed = await pool.query<{ payout_id: string }>(`SELECT payout_id FROM ${P}.payouts WHERE status = 'reversed' AND payout_id = ANY($1::text[])`, [
    rows.map(payoutIdOf),
  ]);
  const gaveBack = new Set(reversed.rows.map((row) => row.payout_id));
  return rows
    .filter((row) => !gaveBack.has(payoutIdOf(row)))
    .map((row) => ({
      claimId: row.source_id,
      beneficiaryId: row.beneficiary_id,
      regimeId: row.regime_id,
      year: row.service_year,
      serviceDate: row.service_date,
      amount: Number(row.amount),
    }));
}
