import type { Pool } from 'pg';
import { liveSchemaOf } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';

const P = liveSchemaOf(payments);

/**
 * The two times of a bitemporal read. `validOn`: only what concerns service dates up to that day
 * (what a beneficiary had used by then). `knownAt` / `position`: only what the log held at that
 * time or position (what the system showed then). Unset, each means "everything".
 */
export interface AsOf {
  readonly validOn?: string;
  readonly knownAt?: string;
  readonly position?: string;
}

const TIME_FILTER = `($2::text IS NULL OR service_date <= $2) AND ($3::timestamptz IS NULL OR recorded_at <= $3) AND ($4::numeric IS NULL OR global_position <= $4)`;
const timeParams = (asOf: AsOf) => [asOf.validOn ?? null, asOf.knownAt ?? null, asOf.position ?? null];

export interface BalanceAsOf {
  readonly regimeId: string;
  readonly entitled: number;
  readonly approved: number;
  readonly paid: number;
  readonly reversed: number;
  readonly adjusted: number;
  readonly annualCap: number | null;
  readonly capUsed: number;
  readonly remainingCap: number | null;
}

/** A beneficiary's balances in `year`, per regime, as of a valid date and as known at a time. */
export async function balancesAsOf(pool: Pool, beneficiaryId: string, year: number, asOf: AsOf): Promise<BalanceAsOf[]> {
  const [sums, caps] = await Promise.all([
    pool.query<{ regime_id: string; measure: string; amount: string }>(
      `SELECT regime_id, measure, sum(amount) AS amount FROM ${P}.balance_entries
        WHERE beneficiary_id = $1 AND year = $5 AND ${TIME_FILTER} GROUP BY 1, 2 ORDER BY 1, 2`,
      [beneficiaryId, ...timeParams(asOf), year],
    ),
    pool.query<{ regime_id: string; annual_cap: string | null }>(`SELECT regime_id, annual_cap FROM ${P}.balances WHERE beneficiary_id = $1 AND year = $2`, [
      beneficiaryId,
      year,
    ]),
  ]);
  const regimes = [...new Set(sums.rows.map((row) => row.regime_id))];
  return regimes.map((regimeId) => {
    const sum = (measure: string) => Number(sums.rows.find((row) => row.regime_id === regimeId && row.measure === measure)?.amount ?? 0);
    const cap = caps.rows.find((row) => row.regime_id === regimeId)?.annual_cap;
    const annualCap = cap === null || cap === undefined ? null : Number(cap);
    const capUsed = sum('cap_used');
    return {
      regimeId,
      entitled: sum('entitled'),
      approved: sum('approved'),
      paid: sum('paid'),
      reversed: sum('reversed'),
      adjusted: sum('adjusted'),
      annualCap,
      capUsed,
      remainingCap: annualCap === null ? null : Math.max(annualCap - capUsed, 0),
    };
  });
}

export interface BudgetLine {
  readonly regimeCode: string;
  readonly group: number;
  readonly administrativeUnit: string;
  readonly committed: number;
  readonly paid: number;
}

/**
 * The budget's committed and paid amounts of `year` per regime × group × unit, as of a valid date
 * and as known at a time. `unitOf` regroups the units, e.g. to the geography as it is now after a
 * reorganization; by default each amount stays under the unit as it was on its service date.
 */
export async function budgetAsOf(pool: Pool, year: number, asOf: AsOf, unitOf: (unit: string) => string = (unit) => unit): Promise<BudgetLine[]> {
  const { rows } = await pool.query<{ regime_code: string; group_number: number; administrative_unit: string; committed: string; paid: string }>(
    `SELECT regime_code, group_number, administrative_unit, sum(committed) AS committed, sum(paid) AS paid FROM ${P}.budget_entries
      WHERE year = $1 AND ${TIME_FILTER} GROUP BY 1, 2, 3`,
    [year, ...timeParams(asOf)],
  );
  const lines = new Map<string, { regimeCode: string; group: number; administrativeUnit: string; committed: number; paid: number }>();
  for (const row of rows) {
    const administrativeUnit = unitOf(row.administrative_unit);
    const key = `${row.regime_code}\u0000${row.group_number}\u0000${administrativeUnit}`;
    const line = lines.get(key) ?? { regimeCode: row.regime_code, group: row.group_number, administrativeUnit, committed: 0, paid: 0 };
    line.committed += Number(row.committed);
    line.paid += Number(row.paid);
    lines.set(key, line);
  }
  return [...lines.values()]
    .filter((line) => line.committed !== 0 || line.paid !== 0)
    .sort((a, b) => a.regimeCode.localeCompare(b.regimeCode) || a.group - b.group || a.administrativeUnit.localeCompare(b.administrativeUnit));
}
