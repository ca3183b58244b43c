import type { Journal } from './events.js';
import { personOf } from './preload.js';
import { type PaymentTables, type PayoutRow, RECEIVABLES, type TotalRow } from './schema.js';

/** The alert levels of the annual budget: share of the allocation committed or paid. */
export const BUDGET_ALERT_PERCENTS = [80, 100] as const;

export type BudgetTables = Pick<PaymentTables, 'totals' | 'spending' | 'alerts' | 'lines'>;
export type ReceivableChange = Record<(typeof RECEIVABLES)[number], number>;

/** A year's and regime's budget, without allocation or spending the first time it is seen. */
export function totalOf(totals: BudgetTables['totals'], year: number, regime_code: string): TotalRow {
  const key = { year, regime_code };
  return (
    totals.get(key) ??
    totals.put({ year, regime_code, allocated: null, decision_number: null, committed: 0, paid: 0, to_recover: 0, recovered: 0, written_off: 0 })
  );
}

/**
 * Where a payout's money sits in the budget, [committed, paid]: committed while scheduled, paid
 * once paid. A recovery is committed (negative) for what it still owes and paid (negative) for what came back.
 */
export function bookedAs(payout: Pick<PayoutRow, 'status' | 'amount' | 'recovered' | 'written_off'>): [number, number] {
  if (payout.status === 'reversed') return [0, 0];
  if (payout.amount < 0) return [payout.amount + payout.recovered + payout.written_off, -payout.recovered];
  return payout.status === 'paid' ? [0, payout.amount] : [payout.amount, 0];
}

/** Raises the alerts a year's and regime's use of its allocation has reached, once each, at `position`. */
export function checkAlerts(budget: Pick<BudgetTables, 'totals' | 'alerts'>, year: number, regime_code: string, position: bigint): void {
  const sum = budget.totals.get({ year, regime_code })!;
  if (!sum.allocated) return;
  const used = sum.committed + sum.paid;
  for (const percent of BUDGET_ALERT_PERCENTS) {
    if (used * 100 >= sum.allocated * percent && !budget.alerts.get({ year, regime_code, percent })) {
      budget.alerts.put({ year, regime_code, percent, used, allocated: sum.allocated, global_position: position.toString() });
    }
  }
}

/**
 * Moves a payout's money in the budget (its group and unit's spending, its year's and regime's
 * totals), with its history entry. The entry names the line, its person and its days as they stand,
 * so that a period's visits, people and days can be counted from the entries known at a position,
 * as the year-end tallies count them now.
 */
export function spend(budget: BudgetTables, journal: Journal, payout: PayoutRow, committed: number, paid: number): void {
  const key = { year: payout.year, regime_code: payout.regime_code, group_number: payout.group_number, administrative_unit: payout.administrative_unit };
  const row = budget.spending.get(key) ?? { ...key, committed: 0, paid: 0 };
  row.committed += committed;
  row.paid += paid;
  budget.spending.put(row);
  const sum = totalOf(budget.totals, payout.year, payout.regime_code);
  sum.committed += committed;
  sum.paid += paid;
  budget.totals.put(sum);
  journal.append('budget_entries', {
    global_position: journal.at.globalPosition,
    recorded_at: journal.at.recordedAt,
    ...key,
    service_date: payout.service_date,
    committed,
    paid,
    line_id: payout.line_id,
    person: personOf(payout),
    units: budget.lines.get({ line_id: payout.line_id })?.units ?? payout.units,
  });
  checkAlerts(budget, payout.year, payout.regime_code, journal.at.globalPosition);
}

/** What the recoveries of a payout's year and regime owe, brought back and wrote off. */
export function receivable(totals: BudgetTables['totals'], payout: PayoutRow, change: ReceivableChange): void {
  const sum = totalOf(totals, payout.year, payout.regime_code);
  for (const measure of RECEIVABLES) sum[measure] += change[measure];
  totals.put(sum);
}

/** Every payout of a line goes with it to the group and unit it counts under now, its money in the budget too. */
export function relocate(
  tables: BudgetTables & Pick<PaymentTables, 'payouts'>,
  journal: Journal,
  line: { payout_ids: readonly string[]; group_number: number; administrative_unit: string },
  group: number,
  unit: string,
): void {
  if (line.group_number === group && line.administrative_unit === unit) return;
  for (const payout_id of line.payout_ids) {
    const payout = tables.payouts.get({ payout_id });
    if (!payout) continue;
    const [committed, paid] = bookedAs(payout);
    if (committed !== 0 || paid !== 0) spend(tables, journal, payout, -committed, -paid);
    Object.assign(payout, { group_number: group, administrative_unit: unit });
    tables.payouts.put(payout);
    if (committed !== 0 || paid !== 0) spend(tables, journal, payout, committed, paid);
  }
  Object.assign(line, { group_number: group, administrative_unit: unit });
}
