import { percentChange } from '../percentages.js';
import { REGIME_HEADINGS } from './regime-headings.js';

/**
 * The monthly and quarterly reports, in the shape of a provincial health department's monthly
 * report (Kon Tum's report of February 2024): each figure of the period, with its change from the
 * period before and from the same period a year earlier, and accumulated since 1 January with its
 * change from the same months of the year before ("lũy tích … so với cùng kỳ năm trước"), in total
 * and by administrative unit. Pure: the figures come from the budget's history entries, given.
 *
 * Of that report's rows, these are the system's: the amount paid under each regime of Resolution
 * 24/2024 and in all; the people paid; the visits (lượt: a stay's visit allowance or meals, a
 * claim, a staff allowance, each once); the days of the per-day regimes (meal days of inpatient
 * treatment, convalescence days). Its other rows are outside the system: cases of notifiable
 * diseases, vaccination, HIV, food safety, visits and bed occupancy of the public hospitals,
 * forensic examinations, and the plan for the month after.
 *
 * An entry belongs to the period of its service date, as that report counts cases, visits and
 * admissions in the month they happened, not when they were settled: a visit allowance on the
 * admission date, a stay's meals on its discharge date (a year's part of a stay across New Year
 * on 31 December), a claim on its service date. So the twelve months of a year add up to the
 * year-end report at the same log position, which places payouts by the same dates.
 */

/** One movement of the budget's money, as the payments read model journals it. */
export interface BudgetEntry {
  /** The log position that recorded it. */
  readonly position: bigint;
  readonly serviceDate: string;
  readonly regimeCode: string;
  /** The unit the service counts under: the beneficiary's unit on the service date ('staff' for staff allowances). */
  readonly administrativeUnit: string;
  /** The stay's regime or claim it settles, which counts once however many payouts it took. */
  readonly lineId: string;
  readonly person: string;
  /** The line's days (per-day regimes; otherwise 1) as they stood when it was recorded. */
  readonly units: number;
  /** Money paid (negative: taken back); money only committed is 0. */
  readonly paid: number;
}

/**
 * The universal health checks standing in one of the periods compared (recorded at or before the
 * report's position, not cancelled by then), as the database counts them: in total (no unit, no
 * facility), under one unit of residence, or at one facility. A check is a visit and its resident
 * a person only where its fee is positive, as the budget's lines count.
 */
export interface CheckCount {
  readonly period: PeriodName;
  readonly administrativeUnit?: string;
  readonly facility?: string;
  readonly visits: number;
  readonly people: number;
  readonly amount: number;
}

export type PeriodKind = 'month' | 'quarter';

/** First and last day, both included (YYYY-MM-DD). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

export interface ReportPeriods {
  readonly period: Period;
  /** The month or quarter before: December or the fourth quarter of the year before, for the first. */
  readonly previous: Period;
  readonly sameLastYear: Period;
  /** 1 January to the period's last day. */
  readonly yearToDate: Period;
  readonly yearToDateLastYear: Period;
}

export interface Figures {
  /** Lượt: stays' allowances, claims and staff allowances paid, each once. */
  readonly visits: number;
  readonly people: number;
  /** Days of the per-day regimes (b: meal days, c: convalescence days). */
  readonly days: number;
  /** Paid, less what came back, in whole VND. */
  readonly amount: number;
}

export interface Change {
  readonly difference: number;
  /** Percent of the earlier figure, one decimal; null when that was nothing. */
  readonly percent: number | null;
}

export type Changes = { readonly [Measure in keyof Figures]: Change };

export interface Compared {
  readonly period: Figures;
  readonly previous: Figures;
  readonly sameLastYear: Figures;
  readonly yearToDate: Figures;
  readonly yearToDateLastYear: Figures;
  readonly vsPrevious: Changes;
  readonly vsSameLastYear: Changes;
  readonly yearToDateVsLastYear: Changes;
}

/**
 * The universal health checks of the periods: checks (as visits), people checked, and the fees
 * payable to facilities (as amount), in total, per unit of residence and per facility. Apart from
 * the budget's figures, since a fee payable is not money paid.
 */
export interface CheckFigures {
  readonly total: Compared;
  /** Units with any check in any of the periods. */
  readonly units: readonly { readonly administrativeUnit: string; readonly total: Compared }[];
  /** Facilities with any check in any of the periods: what each is owed. */
  readonly facilities: readonly { readonly facility: string; readonly total: Compared }[];
}

export interface PeriodFigures {
  readonly kind: PeriodKind;
  readonly year: number;
  /** The month (1–12) or the quarter (1–4). */
  readonly number: number;
  readonly periods: ReportPeriods;
  readonly total: Compared;
  /** Every regime, in the report's order. */
  readonly regimes: readonly { readonly code: string; readonly heading: string; readonly figures: Compared }[];
  /** Units with anything in any of the periods, each with its regimes that have. */
  readonly units: readonly {
    readonly administrativeUnit: string;
    readonly total: Compared;
    readonly regimes: readonly { readonly code: string; readonly figures: Compared }[];
  }[];
}

/** The regimes paid by the day, whose days the report counts. */
export const PER_DAY_REGIMES: readonly string[] = ['b', 'c'];

const MEASURES = ['visits', 'people', 'days', 'amount'] as const;

const day = (year: number, month: number, date: number) => `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** Months `first`–`last` of `year`; months before January fall in the year before. */
function months(year: number, first: number, last: number): Period {
  const start = new Date(Date.UTC(year, first - 1, 1));
  const end = new Date(Date.UTC(year, last - 1, 1));
  return {
    from: day(start.getUTCFullYear(), start.getUTCMonth() + 1, 1),
    to: day(end.getUTCFullYear(), end.getUTCMonth() + 1, lastDayOf(end.getUTCFullYear(), end.getUTCMonth() + 1)),
  };
}

/** The five periods a month's or quarter's report compares. */
export function reportPeriods(kind: PeriodKind, year: number, number: number): ReportPeriods {
  const length = kind === 'month' ? 1 : 3;
  const first = (number - 1) * length + 1;
  const last = first + length - 1;
  return {
    period: months(year, first, last),
    previous: months(year, first - length, last - length),
    sameLastYear: months(year - 1, first, last),
    yearToDate: months(year, 1, last),
    yearToDateLastYear: months(year - 1, 1, last),
  };
}

/** What one line (a stay's regime or a claim) came to in a period, under a unit. */
interface LineInPeriod {
  readonly administrativeUnit: string;
  readonly regimeCode: string;
  readonly person: string;
  paid: number;
  units: number;
  latest: bigint;
}

/**
 * Each line's net paid in `period`, from the entries recorded at or before `position`; its days as
 * its latest entry gives them. A line moved to another unit leaves a net of nothing behind.
 */
function linesIn(entries: readonly BudgetEntry[], period: Period, position: bigint): LineInPeriod[] {
  const lines = new Map<string, LineInPeriod>();
  for (const entry of entries) {
    if (entry.position > position || entry.serviceDate < period.from || entry.serviceDate > period.to) continue;
    const key = `${entry.administrativeUnit}\u0000${entry.regimeCode}\u0000${entry.lineId}`;
    const line = lines.get(key);
    if (!line) {
      const { administrativeUnit, regimeCode, person, paid, units } = entry;
      lines.set(key, { administrativeUnit, regimeCode, person, paid, units, latest: entry.position });
      continue;
    }
    line.paid += entry.paid;
    if (entry.position >= line.latest) Object.assign(line, { units: entry.units, latest: entry.position });
  }
  return [...lines.values()];
}

/**
 * As the year-end tallies count: the amount always; a line's visit, days and person only where its
 * net paid is positive (a stay recovered to nothing serves no one).
 */
function figuresOf(lines: readonly LineInPeriod[]): Figures {
  const counted = lines.filter((line) => line.paid > 0);
  return {
    visits: counted.length,
    people: new Set(counted.map((line) => line.person)).size,
    days: counted.filter((line) => PER_DAY_REGIMES.includes(line.regimeCode)).reduce((sum, line) => sum + line.units, 0),
    amount: lines.reduce((sum, line) => sum + line.paid, 0),
  };
}

const changes = (before: Figures, after: Figures): Changes =>
  Object.fromEntries(
    MEASURES.map((measure) => [measure, { difference: after[measure] - before[measure], percent: percentChange(before[measure], after[measure]) }]),
  ) as unknown as Changes;

export const PERIOD_NAMES = ['period', 'previous', 'sameLastYear', 'yearToDate', 'yearToDateLastYear'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];
type LinesByPeriod = Record<PeriodName, readonly LineInPeriod[]>;

function compared(lines: LinesByPeriod, keep: (line: LineInPeriod) => boolean): Compared {
  return comparedOf((name) => figuresOf(lines[name].filter(keep)));
}

function comparedOf(figuresIn: (name: PeriodName) => Figures): Compared {
  const [period, previous, sameLastYear, yearToDate, yearToDateLastYear] = PERIOD_NAMES.map(figuresIn);
  return {
    period,
    previous,
    sameLastYear,
    yearToDate,
    yearToDateLastYear,
    vsPrevious: changes(previous, period),
    vsSameLastYear: changes(sameLastYear, period),
    yearToDateVsLastYear: changes(yearToDateLastYear, yearToDate),
  };
}

const anything = (figures: Compared) => PERIOD_NAMES.some((name) => MEASURES.some((measure) => figures[name][measure] !== 0));

/** Each period's lines, from the entries recorded at or before `position`. */
function linesByPeriod(entries: readonly BudgetEntry[], periods: ReportPeriods, position: bigint): LinesByPeriod {
  return Object.fromEntries(PERIOD_NAMES.map((name) => [name, linesIn(entries, periods[name], position)])) as unknown as LinesByPeriod;
}

/** The distinct values of `key` among every period's lines, in Vietnamese order. */
function distinct(lines: LinesByPeriod, key: (line: LineInPeriod) => string): string[] {
  return inVietnameseOrder(PERIOD_NAMES.flatMap((name) => lines[name].map(key)));
}

/** Each value once, in Vietnamese order; none for undefined. */
function inVietnameseOrder(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value) => value !== undefined))].sort((a, b) => a.localeCompare(b, 'vi'));
}

/**
 * The figures of a month (`kind` 'month', `number` 1–12) or a quarter (1–4) of `year`, from the
 * budget's entries as the log stood at `position`: entries recorded after it are left out, so the
 * same position always gives the same report.
 */
export function periodFigures(entries: readonly BudgetEntry[], kind: PeriodKind, year: number, number: number, position: bigint): PeriodFigures {
  const periods = reportPeriods(kind, year, number);
  const lines = linesByPeriod(entries, periods, position);
  return {
    kind,
    year,
    number,
    periods,
    total: compared(lines, () => true),
    regimes: Object.entries(REGIME_HEADINGS).map(([code, heading]) => ({ code, heading, figures: compared(lines, (line) => line.regimeCode === code) })),
    units: distinct(lines, (line) => line.administrativeUnit)
      .map((administrativeUnit) => {
        const inUnit = (line: LineInPeriod) => line.administrativeUnit === administrativeUnit;
        return {
          administrativeUnit,
          total: compared(lines, inUnit),
          regimes: Object.keys(REGIME_HEADINGS)
            .map((code) => ({ code, figures: compared(lines, (line) => inUnit(line) && line.regimeCode === code) }))
            .filter((regime) => anything(regime.figures)),
        };
      })
      .filter((unit) => anything(unit.total)),
  };
}

const NOTHING: Figures = { visits: 0, people: 0, days: 0, amount: 0 };

/** The universal health checks' figures of the periods, from the database's counts of the checks standing in each. */
export function checkFigures(counts: readonly CheckCount[]): CheckFigures {
  const comparedWhere = (keep: (count: CheckCount) => boolean) =>
    comparedOf((name) => {
      const count = counts.find((candidate) => candidate.period === name && keep(candidate));
      return count ? { visits: count.visits, people: count.people, days: 0, amount: count.amount } : NOTHING;
    });
  return {
    total: comparedWhere((count) => count.administrativeUnit === undefined && count.facility === undefined),
    units: inVietnameseOrder(counts.map((count) => count.administrativeUnit))
      .map((administrativeUnit) => ({ administrativeUnit, total: comparedWhere((count) => count.administrativeUnit === administrativeUnit) }))
      .filter((unit) => anything(unit.total)),
    facilities: inVietnameseOrder(counts.map((count) => count.facility))
      .map((facility) => ({ facility, total: comparedWhere((count) => count.facility === facility) }))
      .filter((facility) => anything(facility.total)),
  };
}
