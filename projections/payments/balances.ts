import type { RowCache } from '#projection-runner';
import type { Journal } from './events.js';
import type { BALANCE_MONEY, BalanceRow, SourceRow } from './schema.js';
import { mealParts } from './sources.js';

export type BalanceMeasure = (typeof BALANCE_MONEY)[number];
export type BalanceChange = Partial<Record<BalanceMeasure, number>>;
/** Whose balance, for which year and regime, and the service date its history entries are valid on. */
export type BalanceEntry = { readonly beneficiaryId: string | null; readonly year: number; readonly regimeId: string; readonly serviceDate: string };

/** A regime id's report letter: "h.fixed" → "h". */
export const codeOf = (regimeId: string): string => regimeId.split('.')[0];

/** A beneficiary's balance of a year and regime, made with nothing in it the first time it is seen. */
export function balanceOf(balances: RowCache<BalanceRow>, beneficiary_id: string, year: number, regime_id: string): BalanceRow {
  const key = { beneficiary_id, year, regime_id };
  return (
    balances.get(key) ??
    balances.put({
      beneficiary_id,
      year,
      regime_id,
      regime_code: codeOf(regime_id),
      entitled: 0,
      approved: 0,
      paid: 0,
      reversed: 0,
      adjusted: 0,
      annual_cap: null,
      cap_used: 0,
      to_recover: 0,
      recovered: 0,
      written_off: 0,
    })
  );
}

/**
 * Adds `change` to a balance, each measure with its history entry; the annual cap is set, not
 * added, and has no history. Staff payees have no balance: nothing happens without a beneficiary.
 */
export function addToBalance(balances: RowCache<BalanceRow>, journal: Journal, entry: BalanceEntry, change: BalanceChange): void {
  const { beneficiaryId, year, regimeId, serviceDate } = entry;
  if (!beneficiaryId) return;
  const row = balanceOf(balances, beneficiaryId, year, regimeId);
  for (const [measure, amount] of Object.entries(change) as [BalanceMeasure, number][]) {
    if (measure === 'annual_cap') {
      row.annual_cap = amount;
      continue;
    }
    row[measure] += amount;
    journal.append('balance_entries', {
      global_position: journal.at.globalPosition,
      recorded_at: journal.at.recordedAt,
      beneficiary_id: beneficiaryId,
      year,
      regime_id: regimeId,
      service_date: serviceDate,
      measure,
      amount,
    });
  }
  balances.put(row);
}

/** Books each year's part of a stay's meals in that year's balance. */
export function bookMeals(balances: RowCache<BalanceRow>, journal: Journal, stay: SourceRow, measure: 'entitled' | 'approved', sign: 1 | -1): void {
  for (const part of mealParts(stay))
    addToBalance(
      balances,
      journal,
      { beneficiaryId: stay.beneficiary_id, year: part.year, regimeId: 'b', serviceDate: part.serviceDate },
      { [measure]: sign * part.amount },
    );
}
