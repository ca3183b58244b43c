/**
 * What the monthly and quarterly reports read of the universal health checks, counted as the
 * checks are recorded instead of when a report is asked for: a province checks millions of
 * residents a year. Every period a report compares is a run of whole months of one calendar year
 * (a month, the month before, a quarter, 1 January to a month's end), so the tallies are kept per
 * such span: `M07` (July), `Q3` (the third quarter), `Y07` (1 January to 31 July).
 *
 * Checks and fees add up over months, but people do not: a person checked in March and in July is
 * one person since 1 January. So each resident's standing checks are kept counted by month (per
 * unit and per facility too), and a span counts the resident while any of its months has one.
 */

/** In total (`value` ''), under a unit of residence, or at a facility. */
export type TallyDimension = 'total' | 'unit' | 'facility';

/** The spans of a year that hold a check of `month` (1–12): its month, its quarter, and every "since 1 January" that reaches it. */
export function spansHolding(month: number): string[] {
  const spans = [`M${two(month)}`, `Q${Math.ceil(month / 3)}`];
  for (let last = month; last <= 12; last++) spans.push(`Y${two(last)}`);
  return spans;
}

/** Every span of a year: the twelve months, the four quarters, the twelve "since 1 January". */
export const SPANS: readonly string[] = [
  ...Array.from({ length: 12 }, (_, m) => `M${two(m + 1)}`),
  ...Array.from({ length: 4 }, (_, q) => `Q${q + 1}`),
  ...Array.from({ length: 12 }, (_, m) => `Y${two(m + 1)}`),
];

/** The three ways a check is tallied, as rows beside it in SQL: in total, under its unit, at its facility. */
export const dimensionsSql = (check: string) =>
  `LATERAL (VALUES ('total', ''), ('unit', ${check}.administrative_unit), ('facility', ${check}.facility)) AS d(dimension, value)`;

/** The months (1–12) of a span. */
export function monthsOf(span: string): readonly number[] {
  const n = Number(span.slice(1));
  if (span.startsWith('M')) return [n];
  if (span.startsWith('Q')) return [3 * n - 2, 3 * n - 1, 3 * n];
  return Array.from({ length: n }, (_, k) => k + 1);
}

/**
 * The span of a period of whole months within one year (`from`, `to`: YYYY-MM-DD), as the tallies
 * name it; undefined for any other period.
 */
export function spanOf(period: { readonly from: string; readonly to: string }): { readonly year: number; readonly span: string } | undefined {
  const year = Number(period.from.slice(0, 4));
  const first = Number(period.from.slice(5, 7));
  const last = Number(period.to.slice(5, 7));
  if (Number(period.to.slice(0, 4)) !== year || period.from.slice(8) !== '01' || last < first) return undefined;
  if (first === last) return { year, span: `M${two(first)}` };
  if (first === 1) return { year, span: `Y${two(last)}` };
  if (last - first === 2 && first % 3 === 1) return { year, span: `Q${Math.ceil(last / 3)}` };
  return undefined;
}

/** Standing checks by month (index 0: January), as kept for one resident, year and unit or facility. */
export type MonthCounts = readonly number[];

export const NO_MONTHS: MonthCounts = Array.from({ length: 12 }, () => 0);

/** +1 or -1 person for each span of `month` whose count of this resident changes when `delta` checks of that month come or go. */
export function peopleChanges(
  before: MonthCounts,
  month: number,
  delta: number,
): { readonly after: MonthCounts; readonly changes: ReadonlyMap<string, number> } {
  const after = before.map((count, index) => (index === month - 1 ? count + delta : count));
  const changes = new Map<string, number>();
  for (const span of spansHolding(month)) {
    const counted = (counts: MonthCounts) => monthsOf(span).some((m) => counts[m - 1] > 0);
    const change = Number(counted(after)) - Number(counted(before));
    if (change !== 0) changes.set(span, change);
  }
  return { after, changes };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Every span with its months, as SQL rows (`span`, `months int[]`). */
export const SPAN_MONTHS_SQL = `VALUES ${SPANS.map((span) => `('${span}', ARRAY[${monthsOf(span).join(', ')}])`).join(', ')}`;

/** Twelve SQL expressions, one per month (1–12), separated by commas: a year's months side by side. */
export const perMonthSql = (expression: (month: number) => string) => Array.from({ length: 12 }, (_, m) => expression(m + 1)).join(', ');
