import type { Pool } from 'pg';
import type { ChainVerification, EventStore } from '#event-store';
import { liveSchemaOf } from '#projection-runner';
import { loggedEvents } from '../domain-projection.js';
import { payments } from '../payments/payments.projection.js';

const P = liveSchemaOf(payments);

export interface ConsistencyRow {
  readonly regimeCode: string;
  /** The beneficiary group; 0 for staff allowances; -1 on a regime's all-groups row, which also compares the balances. */
  readonly group: number;
  /** Net paid according to the log itself (paid, less what was reversed after payment). */
  readonly log: number;
  /** Net paid in the budget view. */
  readonly budget: number;
  /** Net paid in the year-end report's tallies: on group rows only. */
  readonly report?: number;
  /** Net paid over the beneficiaries' balances: on all-groups rows only, as balances hold no group. */
  readonly balances?: number;
}

export interface ConsistencyReport {
  readonly year: number;
  /** The rows agree and the log's hash chain, where the store keeps one, is intact. */
  readonly consistent: boolean;
  /**
   * The log itself checked first: read models rebuilt from an altered log agree with it, so only
   * the chain shows the alteration. Absent where the store keeps no chain (EventStoreDB).
   */
  readonly chain?: ChainVerification;
  readonly rows: readonly ConsistencyRow[];
  /** The rows that differ. */
  readonly differences: readonly ConsistencyRow[];
}

/** Payout events, and adjustments, which move a stay's or claim's payouts to the group it is classified in now. */
const PAYOUT_EVENTS = ['PayoutScheduled', 'PayoutPaid', 'PayoutReversed', 'RecoveryRefunded', 'RecoveryOffset', 'AdjustmentEntitled'] as const;

/** Net paid per regime and group in `year`, folded from the payout events of the log. */
async function paidInLog(store: EventStore, year: number): Promise<Map<string, { code: string; group: number; beneficiary: boolean; amount: number }>> {
  /** `paid`: what left the office for the payout, or (negative) what a recovery brought back. */
  const payouts = new Map<string, { code: string; line: string; year: number; amount: number; beneficiary: boolean; paid: number; reversed: boolean }>();
  // A stay's regime or a claim (named by its first payout): every payout for it counts under its latest group.
  const groups = new Map<string, number>();
  const corrected = new Map<string, string>();
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount: 5000, eventTypes: PAYOUT_EVENTS });
    if (page.length === 0) break;
    for (const event of loggedEvents(page, PAYOUT_EVENTS)) {
      if (event.type === 'AdjustmentEntitled') {
        const data = event.data;
        corrected.set(data.adjustmentId, data.corrects.payoutId);
        groups.set(data.corrects.payoutId, data.next.group ?? data.previous.group ?? 0);
      } else if (event.type === 'PayoutScheduled') {
        const data = event.data;
        const line = data.source.kind === 'adjustment' ? corrected.get(data.source.id)! : data.payoutId;
        if (!groups.has(line)) groups.set(line, data.group ?? 0);
        payouts.set(event.streamId, {
          code: data.regimeCode,
          line,
          year: Number(String(data.serviceDate).slice(0, 4)),
          amount: data.amount,
          beneficiary: data.beneficiaryId !== undefined,
          paid: 0,
          reversed: false,
        });
      } else {
        const payout = payouts.get(event.streamId);
        // A recovery "paid" before receivables existed came back in full.
        if (payout && event.type === 'PayoutPaid') payout.paid = payout.amount;
        if (payout && (event.type === 'RecoveryRefunded' || event.type === 'RecoveryOffset')) payout.paid -= event.data.amount;
        if (payout && event.type === 'PayoutReversed') payout.reversed = true;
      }
    }
    after = page[page.length - 1].globalPosition;
  }
  const totals = new Map<string, { code: string; group: number; beneficiary: boolean; amount: number }>();
  for (const payout of payouts.values()) {
    if (payout.year !== year || payout.paid === 0 || payout.reversed) continue;
    const group = groups.get(payout.line)!;
    const key = `${payout.code}/${group}`;
    const total = totals.get(key) ?? { code: payout.code, group, beneficiary: payout.beneficiary, amount: 0 };
    total.amount += payout.paid;
    totals.set(key, total);
  }
  return totals;
}

/**
 * For one year: the sum of payouts in the log equals the budget view's paid total and the year-end
 * report's per regime and group, and the sum over the beneficiaries' balances per regime. Any difference means a read model
 * no longer agrees with the log (a bug, or a row edited by hand): rebuild it.
 */
export async function consistencyCheck(store: EventStore, pool: Pool, year: number): Promise<ConsistencyReport> {
  const [chain, log, budget, balances, report] = await Promise.all([
    store.chain?.verify(),
    paidInLog(store, year),
    pool.query<{ regime_code: string; group_number: number; paid: string }>(
      `SELECT regime_code, group_number, sum(paid) AS paid FROM ${P}.budget_spending WHERE year = $1 GROUP BY 1, 2`,
      [year],
    ),
    pool.query<{ regime_code: string; paid: string }>(`SELECT regime_code, sum(paid) AS paid FROM ${P}.balances WHERE year = $1 GROUP BY 1`, [year]),
    pool.query<{ regime_code: string; group_number: number; amount: string }>(
      `SELECT regime_code, group_number, amount FROM ${P}.paid_by_group WHERE year = $1`,
      [year],
    ),
  ]);
  const rows = new Map<string, { regimeCode: string; group: number; log: number; budget: number; report: number; balances?: number }>();
  const row = (code: string, group: number) => {
    const key = `${code}/${group}`;
    if (!rows.has(key)) rows.set(key, { regimeCode: code, group, log: 0, budget: 0, report: 0 });
    return rows.get(key)!;
  };
  for (const total of log.values()) row(total.code, total.group).log += total.amount;
  for (const spent of budget.rows) row(spent.regime_code, spent.group_number).budget += Number(spent.paid);
  for (const line of report.rows) row(line.regime_code, line.group_number).report += Number(line.amount);
  const codes = new Set([...rows.values()].map((r) => r.regimeCode).concat(balances.rows.map((b) => b.regime_code)));
  const perRegime: ConsistencyRow[] = [...codes].map((code) => ({
    regimeCode: code,
    group: -1,
    log: [...log.values()].filter((t) => t.code === code && t.beneficiary).reduce((sum, t) => sum + t.amount, 0),
    budget: [...rows.values()].filter((r) => r.regimeCode === code && r.group !== 0).reduce((sum, r) => sum + r.budget, 0),
    balances: Number(balances.rows.find((b) => b.regime_code === code)?.paid ?? 0),
  }));
  const all = [
    ...[...rows.values()].sort((a, b) => a.regimeCode.localeCompare(b.regimeCode) || a.group - b.group),
    ...perRegime.sort((a, b) => a.regimeCode.localeCompare(b.regimeCode)),
  ];
  const differences = all.filter(
    (r) => r.log !== r.budget || (r.report !== undefined && r.report !== r.log) || (r.balances !== undefined && r.balances !== r.log),
  );
  return { year, consistent: differences.length === 0 && chain?.intact !== false, ...(chain ? { chain } : {}), rows: all, differences };
}
