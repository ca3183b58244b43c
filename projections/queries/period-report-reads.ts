import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { liveSchemaOf } from '#projection-runner';
import { dimensionsSql, monthsOf, perMonthSql, spanOf, type TallyDimension } from '../health-checks/check-tallies.js';
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

/** Log events after a position per check standing, beyond which a report at the position counts the checks instead of undoing them. */
const UNDONE_PER_COUNTED = 8n;

type TallyRead = { period: PeriodName | null; dimension: TallyDimension | null; value: string | null; visits: number; people: number; amount: string };

/**
 * The counts as the health checks' tallies hold them at `position`. When the projection stands at
 * it (it has applied every check up to it and none after), they are read as they are: one
 * statement reads the checkpoint and the tallies, so both are of one moment. When it has applied
 * checks after it, each check recorded or cancelled since is undone, in its month's checks and
 * fees and in its resident's months, and the people of a span are those whose months still hold a
 * check of it: again one statement, whose work grows with the changes since `position`, not with
 * the checks of the year. Undefined for periods that are not spans of whole months, before the
 * projection has a checkpoint, or when so much has changed since `position` that counting the
 * checks is quicker: the checks are counted then.
 */
export async function talliedCounts(pool: Pool, periods: ReportPeriods, position: bigint): Promise<CheckCount[] | undefined> {
  const spans = PERIOD_NAMES.map((name) => ({ name, ...spanOf(periods[name]) }));
  if (spans.some((span) => span.span === undefined)) return undefined;
  // A span's months as bits (January the lowest), and a resident's months held likewise: a span counts them when the two meet.
  const monthBits = (span: string) => monthsOf(span).reduce((bits, month) => bits | (1 << (month - 1)), 0);
  const parameters = [
    healthChecks.name,
    spans.map((span) => span.name),
    spans.map((span) => span.year),
    spans.map((span) => span.span),
    spans.map((span) => monthBits(span.span!)),
  ];
  const PERIODS = 'periods (name, year, span, months) AS (SELECT * FROM unnest($2::text[], $3::int[], $4::text[], $5::int[]))';

  const { rows: now } = await pool.query<TallyRead & { checkpoint: string; checks: string }>(
    `WITH ${PERIODS}
     SELECT c.position::text AS checkpoint, p.name AS period, t.dimension, t.value, t.visits, t.people, t.amount::text,
            (SELECT COALESCE(sum(visits), 0) FROM ${H}.tallies WHERE dimension = 'total' AND span = 'Y12')::text AS checks
       FROM projection_checkpoints c
       LEFT JOIN (periods p JOIN ${H}.tallies t ON (t.year, t.span) = (p.year, p.span)) ON true
      WHERE c.projection = $1`,
    parameters,
  );
  if (now.length === 0) return undefined;
  const since = BigInt(now[0].checkpoint) - position;
  if (since <= 0n) return countsRead(now);
  // Undoing a check costs about what counting a few dozen does: far enough back, counting them is quicker.
  if (since > BigInt(now[0].checks) / UNDONE_PER_COUNTED + 1000n) return undefined;

  const { rows: then } = await pool.query<TallyRead>(
    `WITH ${PERIODS},
          checkpoint AS (SELECT position FROM projection_checkpoints WHERE projection = $1),
          -- +1: standing at the position, not now (cancelled since); -1: standing now, not then (recorded since).
          changed AS (
            SELECT c.resident_id, c.year, c.amount, c.administrative_unit, c.facility, substr(c.checked_on, 6, 2)::int AS month,
                   CASE WHEN c.recorded_position > $6 THEN -1 ELSE 1 END AS change
              FROM ${H}.checks c
             WHERE ((c.recorded_position > $6 AND c.cancelled_position IS NULL) OR (c.recorded_position <= $6 AND c.cancelled_position > $6))
               AND c.checked_on BETWEEN $7 AND $8),
          changes AS MATERIALIZED (SELECT c.*, d.dimension, d.value FROM changed c, ${dimensionsSql('c')}),
          counted AS (
            SELECT p.name, c.dimension, c.value, (sum(c.change) FILTER (WHERE c.amount > 0))::int AS visits, sum(c.change * c.amount) AS amount
              FROM changes c JOIN periods p ON p.year = c.year AND p.months & (1 << (c.month - 1)) <> 0
             GROUP BY 1, 2, 3),
          residents AS (
            SELECT r.dimension, r.value, r.year,
                   (SELECT COALESCE(bit_or(1 << (k - 1)::int) FILTER (WHERE held > 0), 0) FROM unnest(h.held) WITH ORDINALITY AS u(held, k)) AS held_now,
                   (SELECT COALESCE(bit_or(1 << (k - 1)::int) FILTER (WHERE held + r.changes[k] > 0), 0) FROM unnest(h.held) WITH ORDINALITY AS u(held, k)) AS held_then
              FROM (SELECT resident_id, year, dimension, value,
                           ARRAY[${perMonthSql((m) => `COALESCE(sum(change) FILTER (WHERE month = ${m}), 0)`)}]::int[] AS changes
                      FROM changes WHERE amount > 0 GROUP BY 1, 2, 3, 4) r
              JOIN ${H}.resident_months m USING (resident_id, year, dimension, value),
                   LATERAL (SELECT string_to_array(m.months, ',')::int[] AS held) h),
          people AS (
            SELECT p.name, r.dimension, r.value, sum((r.held_then & p.months <> 0)::int - (r.held_now & p.months <> 0)::int)::int AS people
              FROM residents r JOIN periods p ON p.year = r.year
             GROUP BY 1, 2, 3)
     SELECT p.name AS period, t.dimension, t.value,
            t.visits + COALESCE(c.visits, 0) AS visits, t.people + COALESCE(n.people, 0) AS people, (t.amount + COALESCE(c.amount, 0))::text AS amount
       FROM checkpoint
       LEFT JOIN (periods p JOIN ${H}.tallies t ON (t.year, t.span) = (p.year, p.span)
                  LEFT JOIN counted c ON (c.name, c.dimension, c.value) = (p.name, t.dimension, t.value)
                  LEFT JOIN people n ON (n.name, n.dimension, n.value) = (p.name, t.dimension, t.value)) ON true`,
    [...parameters, position.toString(), periods.yearToDateLastYear.from, periods.period.to],
  );
  return then.length === 0 ? undefined : countsRead(then);
}

const countsRead = (rows: readonly TallyRead[]): CheckCount[] =>
  rows.flatMap((row) =>
    row.period === null
      ? []
      : [
          {
            period: row.period,
            ...(row.dimension === 'unit' ? { administrativeUnit: row.value! } : {}),
            ...(row.dimension === 'facility' ? { facility: row.value! } : {}),
            visits: row.visits,
            people: row.people,
            amount: Number(row.amount),
          },
        ],
  );

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
