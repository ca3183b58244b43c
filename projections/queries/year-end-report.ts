import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { liveSchemaOf, ProjectionRunner } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';
import { readModelPosition } from './read-models.js';
import { REGIME_HEADINGS } from './regime-headings.js';

/**
 * Where the report reads: the live read models (with the event store, the report quotes the exact
 * log position they reflect), or read models built elsewhere as they stood at `position` (a
 * rebuild from the log into scratch schemas, which the report at a past position is tested against).
 */
export type ReportSource =
  { readonly store: EventStore } | { readonly store?: EventStore; readonly schemas: Readonly<Record<string, string>>; readonly position: string };

/** The report's figures as the read models hold them, before they are laid out. */
interface Figures {
  readonly beneficiaries: Record<string, number>;
  readonly cards: readonly { group_number: number; new_cards: number; reissued: number }[];
  readonly paid: readonly { regime_code: string; group_number: number; payouts: number; people: number; units: number; amount: string }[];
  readonly paidPeople: readonly { regime_code: string; people: number }[];
  readonly receivables: readonly { regime_code: string; to_recover: string; recovered: string; written_off: string }[];
}

export interface RegimeLine {
  readonly payouts: number;
  /** Distinct beneficiaries (or staff members) paid. */
  readonly people: number;
  /** Days for per-day regimes (meals, convalescence), otherwise one per payout. */
  readonly units: number;
  readonly amount: number;
}

export interface YearEndReport {
  readonly year: number;
  /** The log position the report reflects: the same position gives the same report. */
  readonly position: string;
  /**
   * The log's hash chain at `position` (SHA-256, hex): which log the report came from. `cli verify
   * --head <position>:<logHash>` later proves the log still holds it. Null without a store that
   * keeps a chain (EventStoreDB), or at position 0.
   */
  readonly logHash: string | null;
  /**
   * When the log reached `position`: the time its last event reflected was recorded (ISO), which
   * the report's files print as the moment the figures stand at. Null at position 0, or when read
   * without the event store.
   */
  readonly asOf: string | null;
  readonly beneficiaries: { readonly total: number; readonly byGroup: Record<string, number> };
  readonly cards: {
    readonly issued: number;
    readonly newCards: { readonly total: number; readonly byGroup: Record<string, number> };
    readonly reissued: { readonly total: number; readonly byGroup: Record<string, number> };
  };
  readonly regimes: readonly (RegimeLine & { readonly code: string; readonly heading: string; readonly byGroup: Record<string, RegimeLine> })[];
  readonly totalAmount: number;
  /**
   * Money owed back after retroactive changes, for services in the year: still owed, come back
   * (refunds and offsets; already out of the amounts paid), written off. These record how money
   * moved, so unlike the lines above they depend on the order retroactive changes were confirmed in.
   */
  readonly recoveries: Receivables & { readonly byRegime: Record<string, Receivables> };
}

export interface Receivables {
  readonly toRecover: number;
  readonly recovered: number;
  readonly writtenOff: number;
}

/** Which log a report came from, and when it reached the report's position; see `YearEndReport`. */
export interface LogSource {
  readonly logHash: string | null;
  readonly asOf: string | null;
}

/** The log's hash chain at `position` and the time its event there was recorded, as a report quotes them. */
export async function logAt(position: string, store?: EventStore): Promise<LogSource> {
  const [link, reached] = await Promise.all([
    store?.chain?.linkAt(BigInt(position)),
    store && position !== '0' ? store.readAll({ after: BigInt(position) - 1n, maxCount: 1 }) : [],
  ]);
  return { logHash: link?.hash ?? null, asOf: reached[0]?.globalPosition === BigInt(position) ? reached[0].recordedAt.toISOString() : null };
}

const byGroup = (rows: { group_number: number | null; n: string }[]) =>
  Object.fromEntries(rows.map((row) => [String(row.group_number ?? 'unknown'), Number(row.n)]));
const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/**
 * The register's head count by group on `date`: beneficiaries enrolled by then, neither removed
 * nor dead, in the group they held that day; summed from the registers' head count changes.
 */
export async function headCountByGroup(pool: Pool, date: string, schema = liveSchemaOf(registers)): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ group_number: number; n: string }>(
    `SELECT group_number, sum(change) AS n FROM ${schema}.head_count_changes WHERE on_date <= $1 GROUP BY 1 HAVING sum(change) <> 0 ORDER BY 1`,
    [date],
  );
  return byGroup(rows);
}

/** The figures from the tallies the projections keep as they go: a few hundred rows however large the province. */
async function currentFigures(pool: Pool, year: number, R: string, P: string): Promise<Figures> {
  const [beneficiaries, cards, paid, paidPeople, receivables] = await Promise.all([
    headCountByGroup(pool, `${year}-12-31`, R),
    pool.query<Figures['cards'][number]>(`SELECT group_number, new_cards, reissued FROM ${R}.cards_issued WHERE year = $1 ORDER BY 1`, [year]),
    pool.query<Figures['paid'][number]>(
      `SELECT regime_code, group_number, payouts, people, units, amount FROM ${P}.paid_by_group WHERE year = $1 AND (payouts <> 0 OR amount <> 0) ORDER BY 1, 2`,
      [year],
    ),
    pool.query<Figures['paidPeople'][number]>(`SELECT regime_code, people FROM ${P}.paid_by_regime WHERE year = $1`, [year]),
    pool.query<Figures['receivables'][number]>(
      `SELECT regime_code, to_recover, recovered, written_off FROM ${P}.budget_totals WHERE year = $1 AND (to_recover <> 0 OR recovered <> 0 OR written_off <> 0) ORDER BY 1`,
      [year],
    ),
  ]);
  return { beneficiaries, cards: cards.rows, paid: paid.rows, paidPeople: paidPeople.rows, receivables: receivables.rows };
}

/**
 * Each row of the live tally `table` that `where` picks ($1: the year), as its latest version at or
 * before the position $2: one probe of the versions' primary key per row. Tally rows are never
 * removed, and a row first made after the position has no version then, so it is left out.
 */
function versionsAt(table: string, versions: string, key: readonly string[], values: readonly string[], where: string): string {
  return `SELECT ${key.map((column) => `k.${column}`).join(', ')}, ${values.map((column) => `v.${column}`).join(', ')} FROM ${table} k
    CROSS JOIN LATERAL (SELECT ${values.join(', ')} FROM ${versions} v WHERE ${key.map((column) => `v.${column} = k.${column}`).join(' AND ')}
                          AND v.global_position <= $2 ORDER BY v.global_position DESC LIMIT 1) v
    WHERE ${where}`;
}

/**
 * The figures as they stood when the log ended at `position`, from the versions the projections
 * keep of their tallies. Versions up to a position the read models have passed never change, so
 * the reads need not share a snapshot.
 */
async function figuresAt(pool: Pool, year: number, position: bigint): Promise<Figures> {
  const R = liveSchemaOf(registers);
  const P = liveSchemaOf(payments);
  const at = [year, position.toString()];
  const [beneficiaries, cards, paid, paidPeople, receivables] = await Promise.all([
    pool.query<{ group_number: number; n: string }>(
      `SELECT group_number, sum(change) AS n
         FROM (${versionsAt(`${R}.head_count_years`, `${R}.head_count_years_versions`, ['year', 'group_number'], ['change'], 'k.year <= $1')}) years
        GROUP BY 1 HAVING sum(change) <> 0 ORDER BY 1`,
      at,
    ),
    pool.query<Figures['cards'][number]>(
      `${versionsAt(`${R}.cards_issued`, `${R}.cards_issued_versions`, ['year', 'group_number'], ['new_cards', 'reissued'], 'k.year = $1')} ORDER BY k.group_number`,
      at,
    ),
    pool.query<Figures['paid'][number]>(
      `SELECT * FROM (${versionsAt(
        `${P}.paid_by_group`,
        `${P}.paid_by_group_versions`,
        ['year', 'regime_code', 'group_number'],
        ['payouts', 'people', 'units', 'amount'],
        'k.year = $1',
      )}) paid WHERE payouts <> 0 OR amount <> 0 ORDER BY regime_code, group_number`,
      at,
    ),
    pool.query<Figures['paidPeople'][number]>(
      versionsAt(`${P}.paid_by_regime`, `${P}.paid_by_regime_versions`, ['year', 'regime_code'], ['people'], 'k.year = $1'),
      at,
    ),
    pool.query<Figures['receivables'][number]>(
      `SELECT * FROM (${versionsAt(
        `${P}.budget_totals`,
        `${P}.receivables_versions`,
        ['year', 'regime_code'],
        ['to_recover', 'recovered', 'written_off'],
        'k.year = $1',
      )}) owed WHERE to_recover <> 0 OR recovered <> 0 OR written_off <> 0 ORDER BY regime_code`,
      at,
    ),
  ]);
  return { beneficiaries: byGroup(beneficiaries.rows), cards: cards.rows, paid: paid.rows, paidPeople: paidPeople.rows, receivables: receivables.rows };
}

/** The report laid out from its figures, quoting `position` and, with the store, the log's hash and time there. */
async function reportOf(year: number, position: string, store: EventStore | undefined, figures: Figures): Promise<YearEndReport> {
  const source = await logAt(position, store);
  const { beneficiaries, cards, paid, paidPeople, receivables } = figures;
  const byRegime = Object.fromEntries(
    receivables.map((row) => [row.regime_code, { toRecover: Number(row.to_recover), recovered: Number(row.recovered), writtenOff: Number(row.written_off) }]),
  );
  const owed = (measure: keyof Receivables) => Object.values(byRegime).reduce((total, regime) => total + regime[measure], 0);
  const line = (row: { payouts: number; people: number; units: number; amount: string | number }): RegimeLine => ({
    payouts: Number(row.payouts),
    people: Number(row.people),
    units: Number(row.units),
    amount: Number(row.amount),
  });
  const regimes = Object.keys(REGIME_HEADINGS).map((code) => {
    const byGroup = paid.filter((row) => row.regime_code === code).map((row) => [String(row.group_number), line(row)] as const);
    const total = (measure: 'payouts' | 'units' | 'amount') => byGroup.reduce((sum, [, group]) => sum + group[measure], 0);
    return {
      code,
      heading: REGIME_HEADINGS[code],
      payouts: total('payouts'),
      people: byGroup.length === 0 ? 0 : Number(paidPeople.find((row) => row.regime_code === code)?.people ?? 0),
      units: total('units'),
      amount: total('amount'),
      byGroup: Object.fromEntries(byGroup),
    };
  });
  // A card taking effect before its holder had a group is counted under "unknown", as the cards register shows it.
  const cardsBy = (count: 'new_cards' | 'reissued') =>
    Object.fromEntries(cards.filter((row) => row[count] > 0).map((row) => [row.group_number === 0 ? 'unknown' : String(row.group_number), row[count]]));
  const newByGroup = cardsBy('new_cards');
  const reissuedByGroup = cardsBy('reissued');
  return {
    year,
    position,
    ...source,
    beneficiaries: { total: sum(beneficiaries), byGroup: beneficiaries },
    cards: {
      issued: sum(newByGroup) + sum(reissuedByGroup),
      newCards: { total: sum(newByGroup), byGroup: newByGroup },
      reissued: { total: sum(reissuedByGroup), byGroup: reissuedByGroup },
    },
    regimes,
    totalAmount: regimes.reduce((total, regime) => total + regime.amount, 0),
    recoveries: { toRecover: owed('toRecover'), recovered: owed('recovered'), writtenOff: owed('writtenOff'), byRegime },
  };
}

/**
 * The tables of the year-end report (section II.2 of the province's report) from the read models:
 * the register at year end by group, the cards issued in the year (new and reissued) by group,
 * and per regime the payouts paid for services in the year: count, people, days, amount, by group.
 * The head count, the cards and the paid lines are tallies the projections keep as they go, so the
 * report reads a few hundred rows however large the province.
 */
export async function yearEndReport(pool: Pool, year: number, at?: ReportSource): Promise<YearEndReport> {
  const built = at && 'schemas' in at ? at : undefined;
  const R = built?.schemas[registers.name] ?? liveSchemaOf(registers);
  const P = built?.schemas[payments.name] ?? liveSchemaOf(payments);
  const position = built?.position ?? (await readModelPosition(pool, [registers, payments], at?.store));
  return reportOf(year, position, at?.store, await currentFigures(pool, year, R, P));
}

/** How long a report at a position the read models have yet to reach waits for them: following the log, they are milliseconds behind. */
const CATCH_UP_MS = 10_000;

/**
 * The report exactly as it was at a past log position (the `position` a report quotes), from the
 * versions the projections keep of the report's tallies: the latest of each at or before the
 * position, a few hundred index probes however long the log. It equals the report the read models
 * rebuilt from the log up to that position would give. A position the read models have yet to
 * apply is waited for (up to the log's head; past it, the whole log is the report), for a while:
 * `NotCaughtUp` if they do not get there.
 */
export async function yearEndReportAt(store: EventStore, pool: Pool, year: number, position: bigint): Promise<YearEndReport> {
  const head = await store.readHeadPosition();
  await new ProjectionRunner(store, pool, [registers, payments]).waitUntil(position < head ? position : head, undefined, CATCH_UP_MS);
  return reportOf(year, position.toString(), store, await figuresAt(pool, year, position));
}
