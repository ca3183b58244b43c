import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { liveSchemaOf } from '#projection-runner';
import { healthChecks } from '../health-checks/health-checks.projection.js';
import { payments } from '../payments/payments.projection.js';
import {
  type CheckEntry,
  type CheckFigures,
  checkFigures,
  type PeriodFigures,
  periodFigures,
  type PeriodKind,
  type Period,
  reportPeriods,
} from './period-report.js';
import { readModelPosition } from './read-models.js';
import { type LogSource, logAt } from './year-end-report.js';

const P = liveSchemaOf(payments);
const H = liveSchemaOf(healthChecks);

export type PeriodReport = PeriodFigures &
  LogSource & {
    /** The log position the report reflects: the same position gives the same report. */
    readonly position: string;
    /** The universal health checks of the same periods: checks, people checked, fees payable to facilities. */
    readonly healthChecks: CheckFigures;
  };

/**
 * The checks dated in `span` as entries: each its fee at the position that recorded it, and the
 * fee taken back at the position that cancelled it.
 */
async function checkEntries(pool: Pool, span: Period): Promise<CheckEntry[]> {
  const { rows } = await pool.query<{
    check_id: string;
    resident_id: string;
    facility: string;
    checked_on: string;
    administrative_unit: string;
    amount: string;
    recorded_position: string;
    cancelled_position: string | null;
  }>(
    `SELECT check_id, resident_id, facility, checked_on, administrative_unit, amount::text, recorded_position::text, cancelled_position::text
       FROM ${H}.checks WHERE year BETWEEN $1 AND $2 AND checked_on BETWEEN $3 AND $4`,
    [Number(span.from.slice(0, 4)), Number(span.to.slice(0, 4)), span.from, span.to],
  );
  return rows.flatMap((row) => {
    const entry = {
      serviceDate: row.checked_on,
      regimeCode: 'check',
      administrativeUnit: row.administrative_unit,
      facility: row.facility,
      lineId: row.check_id,
      person: row.resident_id,
      units: 1,
    };
    const recorded = { ...entry, position: BigInt(row.recorded_position), paid: Number(row.amount) };
    return row.cancelled_position === null ? [recorded] : [recorded, { ...entry, position: BigInt(row.cancelled_position), paid: -Number(row.amount) }];
  });
}

/**
 * A month's or a quarter's report from the budget's history entries and the health checks. They carry the log position
 * that recorded them, so the report as it stood at a past position (`at`) is the same entries read
 * up to it, with no read model to rebuild. A position beyond what the read model has applied gives
 * the report as it is now, quoting the position it reflects.
 */
export async function periodReport(pool: Pool, store: EventStore, kind: PeriodKind, year: number, number: number, at?: bigint): Promise<PeriodReport> {
  const applied = BigInt(await readModelPosition(pool, [payments, healthChecks], store));
  const position = at !== undefined && at < applied ? at : applied;
  const periods = reportPeriods(kind, year, number);
  // Every period compared lies between 1 January of the year before and the period's last day.
  const from = periods.yearToDateLastYear.from;
  const to = periods.period.to;
  const [source, checks, { rows }] = await Promise.all([
    logAt(position.toString(), store),
    checkEntries(pool, { from, to }),
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
  return {
    ...periodFigures(entries, kind, year, number, position),
    healthChecks: checkFigures(checks, kind, year, number, position),
    position: position.toString(),
    ...source,
  };
}
