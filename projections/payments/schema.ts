import type { ClientBase } from 'pg';
import type { Admissions } from '#domain';
import { ident, type ProjectionTables, type RowCache } from '#projection-runner';

export type PayoutRow = {
  payout_id: string;
  /** The line it pays: its own id for a first payout, the corrected payout's for an adjustment's. */
  line_id: string;
  source_kind: string;
  source_id: string;
  beneficiary_id: string | null;
  payee: string;
  regime_id: string;
  regime_code: string;
  group_number: number;
  administrative_unit: string;
  year: number;
  service_date: string;
  amount: number;
  units: number;
  policy_version_id: string;
  clause: string | null;
  basis: number | null;
  over_cap: number;
  approved_by: string | null;
  status: string;
  paid_reference: string | null;
  paid_on: string | null;
  reversed_on: string | null;
  reversal_reason: string | null;
  /** A recovery's money back (refunds and offsets) and what was given up; a payment's part settled by offsetting recoveries. */
  recovered: number;
  written_off: number;
  offset_amount: number;
  /** How a recovery was settled, or which recoveries a payment offset: refunds, offsets (named on both payouts), write-off. */
  settlements: Settlement[];
};

export type Settlement = {
  kind: 'refund' | 'offset' | 'write-off';
  amount: number;
  on: string;
  by: string;
  reference?: string;
  payout_id?: string;
  reason?: string;
};

export type BalanceRow = {
  beneficiary_id: string;
  year: number;
  regime_id: string;
  regime_code: string;
  entitled: number;
  approved: number;
  paid: number;
  reversed: number;
  /** What adjustments added (top-ups) or took back (recoveries): already counted in `entitled`. */
  adjusted: number;
  annual_cap: number | null;
  cap_used: number;
  /** Recoveries: still owed, come back (refunds and offsets, already taken off `paid`), written off. */
  to_recover: number;
  recovered: number;
  written_off: number;
};

export type AdjustmentRow = {
  adjustment_id: string;
  /** What it adjusts: an admission (a stay's allowance) or a claim. */
  source_kind: string;
  source_id: string;
  beneficiary_id: string | null;
  regime_id: string;
  year: number;
  service_date: string;
  cause_kind: string;
  cause_id: string;
  corrects_payout_id: string;
  previous_amount: number;
  previous_group: number;
  next_amount: number;
  next_group: number;
  difference: number;
  /** The rule the adjusted entitlement rests on, and its rate or ceiling: what the adjustment's payout settles. */
  clause: string | null;
  basis: number | null;
  recorded_by: string;
  approved_by: string | null;
  global_position: bigint | string;
};

export type TotalRow = {
  year: number;
  regime_code: string;
  allocated: number | null;
  decision_number: string | null;
  committed: number;
  paid: number;
  to_recover: number;
  recovered: number;
  written_off: number;
};
/** What recoveries of a year and regime owe, brought back and wrote off. */
export const RECEIVABLES = ['to_recover', 'recovered', 'written_off'] as const;
export type AlertRow = { year: number; regime_code: string; percent: number; used: number; allocated: number; global_position: string };
/** Paid payouts for services in a year, per regime and group: the year-end report's lines. */
export type PaidByGroupRow = { year: number; regime_code: string; group_number: number; payouts: number; people: number; units: number; amount: number };
/** People paid under a regime in a year, whatever their group (someone reclassified mid-year counts once). */
export type PaidByRegimeRow = { year: number; regime_code: string; people: number };
/** One person's counted lines under a regime in a year, per group: who starts or stops counting in the tallies. */
export type PaidPersonRow = { year: number; regime_code: string; person: string; lines_by_group: Record<string, number> };
/**
 * What one stay's regime or one claim is paid: its first payout and every adjustment's payout,
 * which always count together under the group and unit the stay or claim is classified in now.
 * `line_id` is the first payout's id, which adjustments name as the payout they correct.
 */
export type LineRow = {
  line_id: string;
  source_kind: string;
  source_id: string;
  regime_id: string;
  regime_code: string;
  beneficiary_id: string | null;
  person: string;
  year: number;
  service_date: string;
  group_number: number;
  administrative_unit: string;
  /** Days for per-day regimes, else 1, of the entitlement as it stands now. */
  units: number;
  /** Net paid over the line's payouts: the report counts the line's people, visits and days only where this is positive. */
  paid: number;
  payout_ids: string[];
};
export type UnitRow = { beneficiary_id: string; valid_from: string; administrative_unit: string };
export type SpendingRow = { year: number; regime_code: string; group_number: number; administrative_unit: string; committed: number; paid: number };

/** What a payout's source said when it was entitled and approved: for the payout's row and balances. */
export type SourceRow = {
  source_id: string;
  kind: string;
  beneficiary_id: string | null;
  regime_id: string | null;
  /** The stay's current entitlements, as the admission stream holds them, so that a recomputation can be previewed from here. */
  visit: { year: number; serviceDate: string; group: number; amount: number; policyVersionId: string; clause: string; basis: number } | null;
  meals: Admissions.MealAllowance | null;
  admitted_on: string | null;
  discharged_on: string | null;
  /** Approved or rejected, once decided (a stay's allowances, or a claim). */
  decision: string | null;
  /** Who recorded the stay or requested the claim: not who may decide it. */
  requested_by: string | null;
  /** A claim over its annual cap that one approver proposed to grant, awaiting a second approver's confirmation. */
  over_cap_proposal: { by: string; reason: string } | null;
  /** A claim's approval, its amount and group as adjustments left them. */
  approval: {
    year: number;
    amount: number;
    clause: string;
    basis: number;
    units: number;
    overCap: number;
    approvedBy: string[];
    group: number | null;
    policyVersionId: string;
    capped: boolean;
  } | null;
  /** A claim's request, as a recomputation re-assesses it. */
  facts: Record<string, unknown> | null;
  /** Claims: the year of the service date. */
  service_year: number | null;
  service_date: string | null;
};

const MONEY = ['amount', 'basis', 'over_cap', 'recovered', 'written_off', 'offset_amount'] as const;
const TALLIED = ['payouts', 'people', 'units', 'amount'] as const;
export const BALANCE_MONEY = ['entitled', 'approved', 'paid', 'reversed', 'adjusted', 'annual_cap', 'cap_used', ...RECEIVABLES] as const;

/** The keyed tables of the payments read model, as `apply` works on them (history tables are appended to). */
export interface PaymentTables {
  readonly payouts: RowCache<PayoutRow>;
  readonly balances: RowCache<BalanceRow>;
  readonly totals: RowCache<TotalRow>;
  readonly spending: RowCache<SpendingRow>;
  readonly alerts: RowCache<AlertRow>;
  readonly sources: RowCache<SourceRow>;
  readonly paidByGroup: RowCache<PaidByGroupRow>;
  readonly paidByRegime: RowCache<PaidByRegimeRow>;
  readonly paidPeople: RowCache<PaidPersonRow>;
  readonly units: RowCache<UnitRow>;
  readonly adjustments: RowCache<AdjustmentRow>;
  readonly lines: RowCache<LineRow>;
}

/** The keyed tables with their keys, money columns and lookup columns. */
export function paymentTables(tables: ProjectionTables): PaymentTables {
  return {
    payouts: tables.table<PayoutRow>('payouts', { key: ['payout_id'], numeric: [...MONEY] }),
    balances: tables.table<BalanceRow>('balances', { key: ['beneficiary_id', 'year', 'regime_id'], numeric: [...BALANCE_MONEY], index: 'beneficiary_id' }),
    totals: tables.table<TotalRow>('budget_totals', {
      key: ['year', 'regime_code'],
      numeric: ['allocated', 'committed', 'paid', ...RECEIVABLES],
      index: 'year',
    }),
    spending: tables.table<SpendingRow>('budget_spending', {
      key: ['year', 'regime_code', 'group_number', 'administrative_unit'],
      numeric: ['committed', 'paid'],
      index: 'year',
    }),
    alerts: tables.table<AlertRow>('budget_alerts', { key: ['year', 'regime_code', 'percent'], numeric: ['used', 'allocated'], index: 'year' }),
    sources: tables.table<SourceRow>('sources', { key: ['source_id'] }),
    paidByGroup: tables.table<PaidByGroupRow>('paid_by_group', { key: ['year', 'regime_code', 'group_number'], numeric: [...TALLIED], index: 'year' }),
    paidByRegime: tables.table<PaidByRegimeRow>('paid_by_regime', { key: ['year', 'regime_code'], index: 'year' }),
    paidPeople: tables.table<PaidPersonRow>('paid_people', { key: ['year', 'regime_code', 'person'] }),
    units: tables.table<UnitRow>('units', { key: ['beneficiary_id', 'valid_from'], index: 'beneficiary_id' }),
    adjustments: tables.table<AdjustmentRow>('adjustments', {
      key: ['adjustment_id'],
      numeric: ['previous_amount', 'next_amount', 'difference', 'basis'],
      index: 'source_id',
    }),
    lines: tables.table<LineRow>('lines', { key: ['line_id'], numeric: ['paid'], index: 'beneficiary_id' }),
  };
}

/** Creates the read model's tables in `schema`, which exists and is empty. */
export async function createPaymentTables(sql: ClientBase, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.payouts (
      payout_id text PRIMARY KEY,
      line_id text NOT NULL,
      source_kind text NOT NULL,
      source_id text NOT NULL,
      beneficiary_id text,
      payee text NOT NULL,
      regime_id text NOT NULL,
      regime_code text NOT NULL,
      group_number int NOT NULL,
      administrative_unit text NOT NULL,
      year int NOT NULL,
      service_date text NOT NULL,
      amount bigint NOT NULL,
      units int NOT NULL,
      policy_version_id text NOT NULL,
      clause text,
      basis bigint,
      over_cap bigint NOT NULL,
      approved_by text,
      status text NOT NULL,
      paid_reference text,
      paid_on text,
      reversed_on text,
      reversal_reason text,
      recovered bigint NOT NULL,
      written_off bigint NOT NULL,
      offset_amount bigint NOT NULL,
      settlements jsonb NOT NULL
    );
    CREATE INDEX payouts_by_beneficiary ON ${s}.payouts (beneficiary_id, year);
    CREATE INDEX payouts_by_year ON ${s}.payouts (year, regime_code, group_number);
    CREATE INDEX payouts_by_reference ON ${s}.payouts (paid_reference) WHERE paid_reference IS NOT NULL;
    CREATE TABLE ${s}.lineage (
      global_position numeric(40, 0) PRIMARY KEY,
      subject_kind text NOT NULL,
      subject_id text NOT NULL,
      step text NOT NULL,
      actor text NOT NULL,
      roles jsonb,
      recorded_at timestamptz NOT NULL,
      details jsonb NOT NULL
    );
    CREATE INDEX lineage_by_subject ON ${s}.lineage (subject_id, global_position);
    CREATE TABLE ${s}.balances (
      beneficiary_id text NOT NULL,
      year int NOT NULL,
      regime_id text NOT NULL,
      regime_code text NOT NULL,
      entitled bigint NOT NULL,
      approved bigint NOT NULL,
      paid bigint NOT NULL,
      reversed bigint NOT NULL,
      adjusted bigint NOT NULL,
      annual_cap bigint,
      cap_used bigint NOT NULL,
      to_recover bigint NOT NULL,
      recovered bigint NOT NULL,
      written_off bigint NOT NULL,
      PRIMARY KEY (beneficiary_id, year, regime_id)
    );
    CREATE TABLE ${s}.budget_totals (
      year int NOT NULL,
      regime_code text NOT NULL,
      allocated bigint,
      decision_number text,
      committed bigint NOT NULL,
      paid bigint NOT NULL,
      to_recover bigint NOT NULL,
      recovered bigint NOT NULL,
      written_off bigint NOT NULL,
      PRIMARY KEY (year, regime_code)
    );
    CREATE TABLE ${s}.budget_spending (
      year int NOT NULL,
      regime_code text NOT NULL,
      group_number int NOT NULL,
      administrative_unit text NOT NULL,
      committed bigint NOT NULL,
      paid bigint NOT NULL,
      PRIMARY KEY (year, regime_code, group_number, administrative_unit)
    );
    CREATE TABLE ${s}.paid_by_group (
      year int NOT NULL,
      regime_code text NOT NULL,
      group_number int NOT NULL,
      payouts int NOT NULL,
      people int NOT NULL,
      units int NOT NULL,
      amount bigint NOT NULL,
      PRIMARY KEY (year, regime_code, group_number)
    );
    CREATE TABLE ${s}.paid_by_regime (
      year int NOT NULL,
      regime_code text NOT NULL,
      people int NOT NULL,
      PRIMARY KEY (year, regime_code)
    );
    CREATE TABLE ${s}.paid_people (
      year int NOT NULL,
      regime_code text NOT NULL,
      person text NOT NULL,
      lines_by_group jsonb NOT NULL,
      PRIMARY KEY (year, regime_code, person)
    );
    CREATE TABLE ${s}.lines (
      line_id text PRIMARY KEY,
      source_kind text NOT NULL,
      source_id text NOT NULL,
      regime_id text NOT NULL,
      regime_code text NOT NULL,
      beneficiary_id text,
      person text NOT NULL,
      year int NOT NULL,
      service_date text NOT NULL,
      group_number int NOT NULL,
      administrative_unit text NOT NULL,
      units int NOT NULL,
      paid bigint NOT NULL,
      payout_ids jsonb NOT NULL
    );
    CREATE INDEX lines_by_beneficiary ON ${s}.lines (beneficiary_id);
    CREATE TABLE ${s}.budget_alerts (
      year int NOT NULL,
      regime_code text NOT NULL,
      percent int NOT NULL,
      used bigint NOT NULL,
      allocated bigint NOT NULL,
      global_position numeric(40, 0) NOT NULL,
      PRIMARY KEY (year, regime_code, percent)
    );
    CREATE TABLE ${s}.sources (
      source_id text PRIMARY KEY,
      kind text NOT NULL,
      beneficiary_id text,
      regime_id text,
      visit jsonb,
      meals jsonb,
      approval jsonb,
      admitted_on text,
      discharged_on text,
      decision text,
      requested_by text,
      over_cap_proposal jsonb,
      service_year int,
      service_date text,
      facts jsonb
    );
    CREATE INDEX sources_by_beneficiary ON ${s}.sources (beneficiary_id);
    -- The approvers' work queue: what still waits for a decision.
    CREATE INDEX sources_undecided ON ${s}.sources (kind, service_date) WHERE decision IS NULL;
    CREATE TABLE ${s}.adjustments (
      adjustment_id text PRIMARY KEY,
      source_kind text NOT NULL,
      source_id text NOT NULL,
      beneficiary_id text,
      regime_id text NOT NULL,
      year int NOT NULL,
      service_date text NOT NULL,
      cause_kind text NOT NULL,
      cause_id text NOT NULL,
      corrects_payout_id text NOT NULL,
      previous_amount bigint NOT NULL,
      previous_group int NOT NULL,
      next_amount bigint NOT NULL,
      next_group int NOT NULL,
      difference bigint NOT NULL,
      clause text,
      basis bigint,
      recorded_by text NOT NULL,
      approved_by text,
      global_position numeric(40, 0) NOT NULL
    );
    CREATE INDEX adjustments_by_cause ON ${s}.adjustments (cause_kind, cause_id);
    -- Every change to a balance and to the budget, with its valid date (service date) and record
    -- time: sums over them answer "as of valid date D" and "as known at time T".
    CREATE TABLE ${s}.balance_entries (
      global_position numeric(40, 0) NOT NULL,
      recorded_at timestamptz NOT NULL,
      beneficiary_id text NOT NULL,
      year int NOT NULL,
      regime_id text NOT NULL,
      service_date text NOT NULL,
      measure text NOT NULL,
      amount bigint NOT NULL
    );
    CREATE INDEX balance_entries_by_beneficiary ON ${s}.balance_entries (beneficiary_id, year);
    CREATE TABLE ${s}.budget_entries (
      global_position numeric(40, 0) NOT NULL,
      recorded_at timestamptz NOT NULL,
      year int NOT NULL,
      regime_code text NOT NULL,
      group_number int NOT NULL,
      administrative_unit text NOT NULL,
      service_date text NOT NULL,
      committed bigint NOT NULL,
      paid bigint NOT NULL,
      line_id text NOT NULL,
      person text NOT NULL,
      units int NOT NULL
    );
    CREATE INDEX budget_entries_by_year ON ${s}.budget_entries (year);
    CREATE TABLE ${s}.units (
      beneficiary_id text NOT NULL,
      valid_from text NOT NULL,
      administrative_unit text NOT NULL,
      PRIMARY KEY (beneficiary_id, valid_from)
    );`);
}
