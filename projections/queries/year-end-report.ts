import type { Pool } from 'pg';
import type { EventStore } from '#event-store';
import { liveSchemaOf, ProjectionRunner, type RebuildSettings } from '#projection-runner';
import { payments } from '../payments/payments.projection.js';
import { registers } from '../registers/registers.projection.js';
import { readModelPosition } from './read-models.js';
import { REGIME_HEADINGS } from './regime-headings.js';

/**
 * Where the report reads: the live read models (with the event store, the report quotes the exact
 * log position they reflect), or read models built as they stood at a past position.
 */
export type ReportSource =
  { readonly store: EventStore } | { readonly store?: EventStore; readonly schemas: Readonly<Record<string, string>>; readonly position: string };

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
  const store = at?.store;
  const position = built?.position ?? (await readModelPosition(pool, [registers, payments], store));
  const end = `${year}-12-31`;
  const [source, beneficiaries, cards, paid, paidPeople, receivables] = await Promise.all([
    logAt(position, store),
    headCountByGroup(pool, end, R),
    pool.query<{ group_number: number; new_cards: number; reissued: number }>(
      `SELECT group_number, new_cards, reissued FROM ${R}.cards_issued WHERE year = $1 ORDER BY 1`,
      [year],
    ),
    pool.query<{ regime_code: string; group_number: number; payouts: number; people: number; units: number; amount: string }>(
      `SELECT regime_code, group_number, payouts, people, units, amount FROM ${P}.paid_by_group WHERE year = $1 AND (payouts <> 0 OR amount <> 0) ORDER BY 1, 2`,
      [year],
    ),
    pool.query<{ regime_code: string; people: number }>(`SELECT regime_code, people FROM ${P}.paid_by_regime WHERE year = $1`, [year]),
    pool.query<{ regime_code: string; to_recover: string; recovered: string; written_off: string }>(
      `SELECT regime_code, to_recover, recovered, written_off FROM ${P}.budget_totals WHERE year = $1 AND (to_recover <> 0 OR recovered <> 0 OR written_off <> 0) ORDER BY 1`,
      [year],
    ),
  ]);
  const byRegime = Object.fromEntries(
    receivables.rows.map((row) => [
      row.regime_code,
      { toRecover: Number(row.to_recover), recovered: Number(row.recovered), writtenOff: Number(row.written_off) },
    ]),
  );
  const owed = (measure: keyof Receivables) => Object.values(byRegime).reduce((total, regime) => total + regime[measure], 0);
  const line = (row: { payouts: number; people: number; units: number; amount: string | number }): RegimeLine => ({
    payouts: Number(row.payouts),
    people: Number(row.people),
    units: Number(row.units),
    amount: Number(row.amount),
  });
  const regimes = Object.keys(REGIME_HEADINGS).map((code) => {
    const byGroup = paid.rows.filter((row) => row.regime_code === code).map((row) => [String(row.group_number), line(row)] as const);
    const total = (measure: 'payouts' | 'units' | 'amount') => byGroup.reduce((sum, [, group]) => sum + group[measure], 0);
    return {
      code,
      heading: REGIME_HEADINGS[code],
      payouts: total('payouts'),
      people: byGroup.length === 0 ? 0 : Number(paidPeople.rows.find((row) => row.regime_code === code)?.people ?? 0),
      units: total('units'),
      amount: total('amount'),
      byGroup: Object.fromEntries(byGroup),
    };
  });
  // A card taking effect before its holder had a group is counted under "unknown", as the cards register shows it.
  const cardsBy = (count: 'new_cards' | 'reissued') =>
    Object.fromEntries(cards.rows.filter((row) => row[count] > 0).map((row) => [row.group_number === 0 ? 'unknown' : String(row.group_number), row[count]]));
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
 * The report exactly as it was at a past log position (the `position` a report quotes): the read
 * models are built from the log up to it in scratch schemas, read, and dropped.
 */
export async function yearEndReportAt(store: EventStore, pool: Pool, rebuild: RebuildSettings, year: number, position: bigint): Promise<YearEndReport> {
  const runner = new ProjectionRunner(store, pool, [registers, payments], rebuild);
  const schemas = await runner.buildAt([registers, payments], position);
  try {
    return await yearEndReport(pool, year, { store, schemas, position: position.toString() });
  } finally {
    await runner.dropBuilt(schemas);
  }
}
