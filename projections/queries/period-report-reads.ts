import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { liveSchemaOf } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';
import { type PeriodFigures, periodFigures, type PeriodKind, reportPeriods } from './period-report.js';
import { readModelPosition } from './read-models.js';
import { type LogSource, logAt } from './year-end-report.js';

const P = liveSchemaOf(payments);

export type PeriodReport = PeriodFigures &
  LogSource & {
    /** The log position the report reflects: the same position gives the same report. */
    readonly position: string;
  };

/**
 * A month's or a quarter's report from the budget's history entries. They carry the log position
 * that recorded them, so the report as it stood at a past position (`at`) is the same entries read
 * up to it, with no read model to rebuild. A position beyond what the read model has applied gives
 * the report as it is now, quoting the position it reflects.
 */
export async function periodReport(pool: Pool, store: EventStore, kind: PeriodKind, year: number, number: number, at?: bigint): Promise<PeriodReport> {
  const applied = BigInt(await readModelPosition(pool, [payments], store));
  const position = at !== undefined && at < applied ? at : applied;
  const periods = reportPeriods(kind, year, number);
  // Every period compared lies between 1 January of the year before and the period's last day.
  const from = periods.yearToDateLastYear.from;
  const to = periods.period.to;
  const [source, { rows }] = await Promise.all([
    logAt(position.toString(), store),
    pool.query<{
      position: string;
      service_date: string;
      regime_code: string;
      administrative_unit: string;
      line_id: string;
      person: string;
      units: number;
      paid: string;
    }>(
      `SELECT global_position::text AS position, service_date, regime_code, administrative_unit, line_id, person, units, paid::text
         FROM ${P}.budget_entries WHERE year BETWEEN $1 AND $2 AND service_date BETWEEN $3 AND $4`,
      [Number(from.slice(0, 4)), Number(to.slice(0, 4)), from, to],
    ),
  ]);
  const entries = rows.map((row) => ({
    position: BigInt(row.position),
    serviceDate: row.service_date,
    regimeCode: row.regime_code,
    administrativeUnit: row.administrative_unit,
    lineId: row.line_id,
    person: row.person,
    units: row.units,
    paid: Number(row.paid),
  }));
  return { ...periodFigures(entries, kind, year, number, position), position: position.toString(), ...source };
}
