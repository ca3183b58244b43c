import { idOf, yearOf } from '../registers/registers.projection.js';
import type { PaymentEvent } from './events.js';
import { subjectOf } from './lineage.js';
import type { PaidPersonRow, PaymentTables } from './schema.js';

/** Whom a payout pays, as the year-end report counts people: the beneficiary, or the staff member paid. */
export const personOf = (payout: { beneficiary_id: string | null; payee: string }): string => payout.beneficiary_id ?? payout.payee;

/** What a batch's events name themselves: the rows they touch directly, before anything is loaded. */
export interface BatchKeys {
  readonly payoutIds: Set<string>;
  readonly sourceIds: Set<string>;
  readonly holders: Set<string>;
  readonly years: Set<number>;
  readonly adjustmentIds: Set<string>;
  readonly lineIds: Set<string>;
  /** Lines whose payouts may move to another group or unit: every payout of theirs is loaded. */
  readonly moving: Set<string>;
  /** Beneficiaries whose unit changes: every line of theirs may move. */
  readonly relocated: Set<string>;
}

export function batchKeys(events: readonly PaymentEvent[]): BatchKeys {
  const keys: BatchKeys = {
    payoutIds: new Set(),
    sourceIds: new Set(),
    holders: new Set(),
    years: new Set(),
    adjustmentIds: new Set(),
    lineIds: new Set(),
    moving: new Set(),
    relocated: new Set(),
  };
  for (const event of events) {
    const subject = subjectOf(event);
    if (subject?.kind === 'payout') keys.payoutIds.add(subject.id);
    else if (subject?.kind === 'admission' || subject?.kind === 'claim') keys.sourceIds.add(subject.id);
    if (event.type === 'PayoutScheduled') {
      const { source } = event.data;
      // An adjustment's payout is described by the adjustment.
      if (source.kind === 'adjustment') keys.adjustmentIds.add(source.id);
      else {
        keys.sourceIds.add(source.id);
        keys.lineIds.add(event.data.payoutId);
      }
      keys.years.add(yearOf(event.data.serviceDate));
    }
    if (event.type === 'AdjustmentEntitled') {
      keys.lineIds.add(event.data.corrects.payoutId);
      keys.moving.add(event.data.corrects.payoutId);
    }
    if (event.type === 'BeneficiaryEnrolled' || event.type === 'BeneficiaryPositionChanged') keys.relocated.add(idOf(event.streamId, 'beneficiary'));
    if ('beneficiaryId' in event.data && typeof event.data.beneficiaryId === 'string') keys.holders.add(event.data.beneficiaryId);
    if (event.type === 'AnnualBudgetAllocated') keys.years.add(event.data.year);
  }
  return keys;
}

/**
 * Loads what the batch touches, in one query per table: while it is applied, a row not in the
 * cache is a new row, and no event costs a round trip. The keys the events name lead to the
 * lines, payouts, holders and years they touch in turn.
 */
export async function preload(tables: PaymentTables, events: readonly PaymentEvent[]): Promise<void> {
  const { payoutIds, sourceIds, holders, years, adjustmentIds, lineIds, moving, relocated } = batchKeys(events);
  const { payouts, sources, adjustments, lines, balances, units, totals, spending, alerts, paidByGroup, paidByRegime, paidPeople } = tables;
  await payouts.load([...payoutIds].map((payout_id) => ({ payout_id })));
  await sources.load([...sourceIds].map((source_id) => ({ source_id })));
  await adjustments.loadBy([...sourceIds]);
  await adjustments.load([...adjustmentIds].map((adjustment_id) => ({ adjustment_id })));
  for (const id of payoutIds) {
    const payout = payouts.get({ payout_id: id });
    if (payout) lineIds.add(payout.line_id);
  }
  for (const id of adjustmentIds) {
    const adjustment = adjustments.get({ adjustment_id: id });
    if (adjustment) lineIds.add(adjustment.corrects_payout_id);
  }
  for (const id of sourceIds) {
    const from = sources.get({ source_id: id });
    if (from?.beneficiary_id) holders.add(from.beneficiary_id);
  }
  for (const id of relocated) holders.add(id);
  await lines.load([...lineIds].map((line_id) => ({ line_id })));
  await lines.loadBy(relocated);
  const touched = [...lineIds].map((line_id) => lines.get({ line_id })).concat([...relocated].flatMap((id) => lines.rowsBy(id)));
  const people: Partial<PaidPersonRow>[] = [];
  const linePayouts: string[] = [];
  for (const line of touched) {
    if (!line) continue;
    if (line.beneficiary_id) holders.add(line.beneficiary_id);
    years.add(line.year);
    people.push({ year: line.year, regime_code: line.regime_code, person: line.person });
    if (moving.has(line.line_id) || relocated.has(line.beneficiary_id ?? '')) linePayouts.push(...line.payout_ids);
    sourceIds.add(line.source_id);
  }
  // A line's days are those its source is entitled to now.
  await sources.load([...sourceIds].map((source_id) => ({ source_id })));
  for (const event of events) {
    if (event.type === 'PayoutScheduled')
      people.push({
        year: yearOf(event.data.serviceDate),
        regime_code: event.data.regimeCode,
        person: personOf({ beneficiary_id: event.data.beneficiaryId ?? null, payee: event.data.payee }),
      });
  }
  await payouts.load(linePayouts.map((payout_id) => ({ payout_id })));
  await balances.loadBy(holders);
  await units.loadBy(holders);
  await totals.loadBy(years);
  await spending.loadBy(years);
  await alerts.loadBy(years);
  await paidByGroup.loadBy(years);
  await paidByRegime.loadBy(years);
  await paidPeople.load(people);
}
