import type { ClientBase } from 'pg';
import { ident, type LogTable, type ProjectionTables } from '#projection-runner';
import { domainProjection, type LoggedEventOf } from '../domain-projection.js';
import { dimensionsSql, NO_MONTHS, perMonthSql, peopleChanges, SPAN_MONTHS_SQL, spansHolding, type TallyDimension } from './check-tallies.js';

/**
 * One universal health check, as recorded and, when it was recorded wrongly, as cancelled: each
 * with the log position that recorded it, so that a report at a past position counts the checks
 * the log then held, cancelled or not yet, without a read model to rebuild.
 */
type CheckRow = {
  check_id: string;
  resident_id: string;
  facility: string;
  checked_on: string;
  year: number;
  check_kind: string;
  age_band: string;
  administrative_unit: string;
  amount: number;
  programme: string;
  policy_version_id: string;
  recorded_position: string;
  cancelled_position: string | null;
  cancel_reason: string | null;
};

/** Checks, people checked and fees payable in one span of a year (see check-tallies.ts), in total, under a unit or at a facility. */
type TallyRow = { year: number; span: string; dimension: TallyDimension; value: string; visits: number; people: number; amount: number };

/** A resident's standing checks of a year by month (12 counts, comma-separated), in total, under a unit or at a facility. */
type ResidentMonthsRow = { resident_id: string; year: number; dimension: TallyDimension; value: string; months: string };

const CONSUMED = ['HealthCheckRecorded', 'HealthCheckCancelled'] as const;
type CheckEvent = LoggedEventOf<(typeof CONSUMED)[number]>;

/** The checks paid to facilities under a universal-check programme: what the monthly report counts and what each facility is owed. */
export const healthChecks = domainProjection({
  name: 'health_checks',
  // 2: tallies per span of months, so that a monthly report reads a few rows instead of a year's checks.
  // 3: the checks found by the position that recorded or cancelled them, for reports at past positions.
  version: 3,
  eventTypes: CONSUMED,

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.checks (
        check_id text PRIMARY KEY,
        resident_id text NOT NULL,
        facility text NOT NULL,
        checked_on text NOT NULL,
        year integer NOT NULL,
        check_kind text NOT NULL,
        age_band text NOT NULL,
        administrative_unit text NOT NULL,
        amount bigint NOT NULL,
        programme text NOT NULL,
        policy_version_id text NOT NULL,
        recorded_position bigint NOT NULL,
        cancelled_position bigint,
        cancel_reason text
      );
      CREATE INDEX checks_by_date ON ${s}.checks (year, checked_on);
      -- The checks recorded or cancelled after a position, which a report at that position undoes:
      -- positions grow as checks are appended, so a block range index finds the last ones.
      CREATE INDEX checks_recorded ON ${s}.checks USING brin (recorded_position);
      CREATE INDEX checks_cancelled ON ${s}.checks (cancelled_position) WHERE cancelled_position IS NOT NULL;
      CREATE TABLE ${s}.tallies (
        year integer NOT NULL,
        span text NOT NULL,
        dimension text NOT NULL,
        value text NOT NULL,
        visits integer NOT NULL,
        people integer NOT NULL,
        amount bigint NOT NULL,
        PRIMARY KEY (year, span, dimension, value)
      );
      CREATE TABLE ${s}.resident_months (
        resident_id text NOT NULL,
        year integer NOT NULL,
        dimension text NOT NULL,
        value text NOT NULL,
        months text NOT NULL,
        PRIMARY KEY (resident_id, year, dimension, value)
      );`);
  },

  // Every table follows from the checks recorded and their first cancellation: the database makes
  // them from the log (millions of checks a year), counting as `apply` counts, rows of checks
  // cancelled since included. Recorded checks' data is read as stored: today's schema only.
  fromLog: {
    tables: 'all',
    keepsStoredData: true,
    async fill(sql, schema, log) {
      const s = ident(schema);
      await sql.query(checksFromLog(s, log), [log.until.toString()]);
      // A resident's checks of a year are mostly one, under one unit at one facility: counted by
      // month once, their row is the same in total, under the unit and at the facility. Residents
      // whose checks were under several units or at several facilities are counted per dimension.
      await sql.query(`
        WITH checked AS (
          SELECT c.*, CASE WHEN c.cancelled_position IS NULL THEN substr(c.checked_on, 6, 2)::int END AS standing_month
            FROM ${s}.checks c WHERE c.amount > 0),
        per_resident AS (
          SELECT resident_id, year, min(administrative_unit) AS administrative_unit, max(administrative_unit) AS last_unit,
                 min(facility) AS facility, max(facility) AS last_facility, ${monthCountsSql('standing_month')} AS months
            FROM checked GROUP BY resident_id, year),
        mixed AS (
          SELECT c.resident_id, c.year, d.dimension, d.value, ${monthCountsSql('c.standing_month')} AS months
            FROM checked c JOIN per_resident p USING (resident_id, year), ${dimensionsSql('c')}
           WHERE p.administrative_unit <> p.last_unit OR p.facility <> p.last_facility
           GROUP BY c.resident_id, c.year, d.dimension, d.value)
        INSERT INTO ${s}.resident_months (resident_id, year, dimension, value, months)
        SELECT p.resident_id, p.year, d.dimension, d.value, p.months
          FROM per_resident p, ${dimensionsSql('p')}
         WHERE p.administrative_unit = p.last_unit AND p.facility = p.last_facility
        UNION ALL
        SELECT * FROM mixed`);
      // Checks and fees add up month by month; people are counted from their rows of months, of
      // which there are only a few patterns (one check a year: twelve), each counted in the spans it reaches.
      await sql.query(`
        WITH spans (span, months) AS (${SPAN_MONTHS_SQL}),
        by_month AS (
          SELECT c.year, substr(c.checked_on, 6, 2)::int AS month, d.dimension, d.value,
                 count(*) FILTER (WHERE c.cancelled_position IS NULL AND c.amount > 0) AS visits,
                 COALESCE(sum(c.amount) FILTER (WHERE c.cancelled_position IS NULL), 0) AS amount
            FROM ${s}.checks c, ${dimensionsSql('c')}
           GROUP BY 1, 2, 3, 4),
        by_pattern AS (
          SELECT year, dimension, value, string_to_array(months, ',')::int[] AS months, count(*) AS people
            FROM ${s}.resident_months GROUP BY year, dimension, value, months),
        counted AS (
          SELECT b.year, s.span, b.dimension, b.value, b.visits, 0 AS people, b.amount
            FROM by_month b JOIN spans s ON b.month = ANY (s.months)
          UNION ALL
          SELECT p.year, s.span, p.dimension, p.value, 0, p.people, 0
            FROM by_pattern p JOIN spans s ON EXISTS (SELECT 1 FROM unnest(s.months) m WHERE p.months[m] > 0))
        INSERT INTO ${s}.tallies (year, span, dimension, value, visits, people, amount)
        SELECT year, span, dimension, value, sum(visits), sum(people), sum(amount) FROM counted GROUP BY 1, 2, 3, 4`);
    },
  },

  async apply(tables: ProjectionTables, events: readonly CheckEvent[]): Promise<void> {
    const checks = tables.table<CheckRow>('checks', { key: ['check_id'], numeric: ['amount'] });
    const tallies = tables.table<TallyRow>('tallies', { key: ['year', 'span', 'dimension', 'value'], numeric: ['amount'] });
    const residentMonths = tables.table<ResidentMonthsRow>('resident_months', { key: ['resident_id', 'year', 'dimension', 'value'] });
    await checks.load(events.map((event) => ({ check_id: event.data.checkId })));
    if (!tables.inMemory) {
      // What the batch will count, known before it is applied: a check cancelled is found recorded, in the table or in the batch.
      const recorded = new Map(events.flatMap((event) => (event.type === 'HealthCheckRecorded' ? [[event.data.checkId, rowOf(event)]] : [])));
      const counted = events.flatMap((event) => {
        const check =
          event.type === 'HealthCheckRecorded'
            ? recorded.get(event.data.checkId)
            : (checks.get({ check_id: event.data.checkId }) ?? recorded.get(event.data.checkId));
        return check ? dimensionsOf(check).map(([dimension, value]) => ({ check, dimension, value })) : [];
      });
      await residentMonths.load(counted.map(({ check, dimension, value }) => ({ resident_id: check.resident_id, year: check.year, dimension, value })));
      await tallies.load(
        counted.flatMap(({ check, dimension, value }) => spansHolding(monthOf(check)).map((span) => ({ year: check.year, span, dimension, value }))),
      );
    }

    /** A check comes to stand (+1: recorded) or stops (-1: cancelled) in every tally it counts in. */
    const count = (check: CheckRow, sign: 1 | -1) => {
      const month = monthOf(check);
      const counts = check.amount > 0;
      for (const [dimension, value] of dimensionsOf(check)) {
        const tally = (span: string) =>
          tallies.get({ year: check.year, span, dimension, value }) ?? { year: check.year, span, dimension, value, visits: 0, people: 0, amount: 0 };
        for (const span of spansHolding(month)) {
          const row = tally(span);
          tallies.put({ ...row, amount: row.amount + sign * check.amount, visits: row.visits + (counts ? sign : 0) });
        }
        if (!counts) continue;
        const key = { resident_id: check.resident_id, year: check.year, dimension, value };
        const before = residentMonths.get(key)?.months.split(',').map(Number) ?? NO_MONTHS;
        const { after, changes } = peopleChanges(before, month, sign);
        residentMonths.put({ ...key, months: after.join(',') });
        for (const [span, change] of changes) {
          const row = tally(span);
          tallies.put({ ...row, people: row.people + change });
        }
      }
    };

    for (const event of events) {
      switch (event.type) {
        case 'HealthCheckRecorded': {
          const check = checks.put(rowOf(event));
          count(check, 1);
          break;
        }
        case 'HealthCheckCancelled': {
          const check = checks.get({ check_id: event.data.checkId });
          if (!check || check.cancelled_position !== null) break;
          checks.put({ ...check, cancelled_position: event.globalPosition.toString(), cancel_reason: event.data.reason });
          count(check, -1);
          break;
        }
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    }
  },
});

function rowOf(event: Extract<CheckEvent, { type: 'HealthCheckRecorded' }>): CheckRow {
  const check = event.data;
  return {
    check_id: check.checkId,
    resident_id: check.residentId,
    facility: check.facility,
    checked_on: check.checkedOn,
    year: Number(check.checkedOn.slice(0, 4)),
    check_kind: check.checkKind,
    age_band: check.ageBand,
    administrative_unit: check.administrativeUnit,
    amount: check.amount,
    programme: check.programme,
    policy_version_id: check.policyVersionId,
    recorded_position: event.globalPosition.toString(),
    cancelled_position: null,
    cancel_reason: null,
  };
}

const monthOf = (check: CheckRow) => Number(check.checked_on.slice(5, 7));

/** Each check recorded up to the log's position, cancelled if its first cancellation is up to it too. */
function checksFromLog(s: string, log: LogTable): string {
  const l = ident(log.table);
  return `
    INSERT INTO ${s}.checks (check_id, resident_id, facility, checked_on, year, check_kind, age_band, administrative_unit, amount, programme,
                             policy_version_id, recorded_position, cancelled_position, cancel_reason)
    SELECT r.data->>'checkId', r.data->>'residentId', r.data->>'facility', r.data->>'checkedOn', substr(r.data->>'checkedOn', 1, 4)::int,
           r.data->>'checkKind', r.data->>'ageBand', r.data->>'administrativeUnit', (r.data->>'amount')::bigint, r.data->>'programme',
           r.data->>'policyVersionId', r.global_position, c.global_position, c.data->>'reason'
      FROM ${l} r
      LEFT JOIN (SELECT DISTINCT ON (data->>'checkId') data->>'checkId' AS check_id, global_position, data
                   FROM ${l} WHERE event_type = 'HealthCheckCancelled' AND global_position <= $1
                  ORDER BY data->>'checkId', global_position) c ON c.check_id = r.data->>'checkId'
     WHERE r.event_type = 'HealthCheckRecorded' AND r.global_position <= $1`;
}

/** A resident's standing checks by month as `resident_months` keeps them: twelve counts, comma-separated. */
const monthCountsSql = (month: string) => `concat_ws(',', ${perMonthSql((m) => `count(*) FILTER (WHERE ${month} = ${m})`)})`;

const dimensionsOf = (check: CheckRow): [TallyDimension, string][] => [
  ['total', ''],
  ['unit', check.administrative_unit],
  ['facility', check.facility],
];
