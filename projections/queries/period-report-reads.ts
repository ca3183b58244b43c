import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { liveSchemaOf } from '#projection-runner';
import { spanOf, type TallyDimension } from '../health-checks/check-tallies.js';
import { healthChecks } from '../health-checks/health-checks.projection.js';
import { payments } from '../payments/payments.projection.js';
import {
  type CheckCount,
  type CheckFigures,
  checkFigures,
  PERIOD_NAMES,
  type PeriodFigures,
  periodFigures,
  type PeriodKind,
  type PeriodName,
  type ReportPeriods,
  reportPeriods,
} from './period-report.js';
import { readModelPosition } from './read-models.js';
import { LatestFirst } from './latest-first.js';
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
 * The counts as the health checks' tallies hold them, when those stand at `position`: the
 * projection had applied every check up to it and none after (one statement reads the checkpoint
 * and the tallies, so both are of one moment). Otherwise undefined, and the checks are counted.
 */
export async function talliedCounts(pool: Pool, periods: ReportPeriods, position: bigint): Promise<CheckCount[] | undefined> {
  const spans = PERIOD_NAMES.map((name) => ({ name, ...spanOf(periods[name]) }));
  if (spans.some((span) => span.span === undefined)) return undefined;
  const { rows } = await pool.query<{
    checkpoint: string;
    year: number | null;
    span: string | null;
    dimension: TallyDimension | null;
    value: string | null;
    visits: number;
    people: number;
    amount: string;
  }>(
    `SELECT c.position::text AS checkpoint, t.year, t.span, t.dimension, t.value, t.visits, t.people, t.amount::text
       FROM projection_checkpoints c
       LEFT JOIN ${H}.tallies t ON (t.year, t.span) IN (SELECT * FROM unnest($2::int[], $3::text[]))
      WHERE c.projection = $1`,
    [healthChecks.name, spans.map((span) => span.year), spans.map((span) => span.span)],
  );
  if (rows.length === 0 || BigInt(rows[0].checkpoint) > position) return undefined;
  return rows.flatMap((row) =>
    spans
      .filter((span) => span.year === row.year && span.span === row.span)
      .map((span) => ({
        period: span.name,
        ...(row.dimension === 'unit' ? { administrativeUnit: row.value! } : {}),
        ...(row.dimension === 'facility' ? { facility: row.value! } : {}),
        visits: row.visits,
        people: row.people,
        amount: Number(row.amount),
      })),
  );
}

/**
 * The checks standing in each period at `position` (recorded at or before it, not cancelled by
 * then), counted by the database in total, by unit and by facility: a province checks millions of
 * residents a year, and only these few rows leave the server.
 */
export async function checkCounts(pool: Pool, periods: ReportPeriods, position: bigint): Promise<CheckCount[]> {
  const spans = PERIOD_NAMES.map((name) => [name, periods[name].from, periods[name].to]);
  const { rows } = await pool.query<{
    period: PeriodName;
    administrative_unit: string | null;
    facility: string | null;
    visits: number;
    people: number;
    amount: string;
  }>(
    `WITH spans (period, from_day, to_day) AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(period text, from_day text, to_day text)),
          standing AS (
            SELECT s.period, c.administrative_unit, c.facility, c.resident_id, c.amount
              FROM ${H}.checks c JOIN spans s ON c.checked_on BETWEEN s.from_day AND s.to_day
             WHERE c.year BETWEEN $2 AND $3 AND c.checked_on BETWEEN $4 AND $5
               AND c.recorded_position <= $6 AND (c.cancelled_position IS NULL OR c.cancelled_position > $6))
     SELECT period, administrative_unit, facility,
            (count(*) FILTER (WHERE amount > 0))::int AS visits,
            (count(DISTINCT resident_id) FILTER (WHERE amount > 0))::int AS people,
            sum(amount)::text AS amount
       FROM standing
      GROUP BY GROUPING SETS ((period), (period, administrative_unit), (period, facility))`,
    [
      JSON.stringify(spans.map(([period, from_day, to_day]) => ({ period, from_day, to_day }))),
      Number(periods.yearToDateLastYear.from.slice(0, 4)),
      Number(periods.period.to.slice(0, 4)),
      periods.yearToDateLastYear.from,
      periods.period.to,
      position.toString(),
    ],
  );
  return rows.map((row) => ({
    period: row.period,
    ...(row.administrative_unit === null ? {} : { administrativeUnit: row.administrative_unit }),
    ...(row.facility === null ? {} : { facility: row.facility }),
    visits: row.visits,
    people: row.people,
    amount: Number(row.amount),
  }));
}

/**
 * A month's or a quarter's report from the budget's history entries and the health checks. They carry the log position
 * that recorded them, so the report as it stood at a past position (`at`) is the same entries read
 * up to it, with no read model to rebuild. A position beyond what the read model has applied gives
 * the report as it is now, quoting the position it reflects.
 *
 * A report at a position never changes, so the last ones built are kept and given again to whoever
 * asks for the same period at the same position (dashboards ask for this month's report over and
 * over while the log stands still): only the read models' position is read for them.
 */
export async function periodReport(pool: Pool, store: EventStore, kind: PeriodKind, year: number, number: number, at?: bigint): Promise<PeriodReport> {
  const applied = BigInt(await readModelPosition(pool, [payments, healthChecks], store));
  const position = at !== undefined && at < applied ? at : applied;
  return reportsBuilt(pool).get(`${kind} ${year} ${number} ${position}`, () => periodReportAt(pool, store, kind, year, number, position));
}

/** The report of a period at a position the read models have applied (`periodReport` finds it), built afresh. */
export async function periodReportAt(pool: Pool, store: EventStore, kind: PeriodKind, year: number, number: number, position: bigint): Promise<PeriodReport> {
  const periods = reportPeriods(kind, year, number);
  // Every period compared lies between 1 January of the year before and the period's last day.
  const from = periods.yearToDateLastYear.from;
  const to = periods.period.to;
  const [source, checks, { rows }] = await Promise.all([
    logAt(position.toString(), store),
    talliedCounts(pool, periods, position).then((tallied) => tallied ?? checkCounts(pool, periods, position)),
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
    healthChecks: checkFigures(checks),
    position: position.toString(),
    ...source,
  };
}

/** How many reports built are kept per database: a few periods, each at the latest positions asked for. */
const REPORTS_KEPT = 64;

const built = new WeakMap<Pool, LatestFirst<PeriodReport>>();
const reportsBuilt = (pool: Pool) => built.get(pool) ?? built.set(pool, new LatestFirst(REPORTS_KEPT)).get(pool)!;
