import { Admissions } from '#domain';
import type { RowCache } from '#projection-runner';
import type { LineRow, SourceRow } from './schema.js';

/** The stay's or claim's row, made empty the first time it is seen. */
export function sourceOf(sources: RowCache<SourceRow>, id: string, kind: string): SourceRow {
  return (
    sources.get({ source_id: id }) ??
    sources.put({
      source_id: id,
      kind,
      beneficiary_id: null,
      regime_id: null,
      visit: null,
      meals: null,
      approval: null,
      admitted_on: null,
      discharged_on: null,
      decision: null,
      requested_by: null,
      over_cap_proposal: null,
      service_year: null,
      service_date: null,
      facts: null,
    })
  );
}

/** The parts a stay's meals are paid in, as the stay stands now: one line each. */
export function mealParts(stay: SourceRow | undefined): Admissions.MealYear[] {
  return stay
    ? Admissions.mealYears({
        admissionId: stay.source_id,
        ...(stay.discharged_on ? { dischargedOn: stay.discharged_on } : {}),
        ...(stay.meals ? { meals: stay.meals } : {}),
      })
    : [];
}

/** The part of a stay's meals that a payout (or the line it opens) pays. */
export function mealPart(stay: SourceRow | undefined, payoutId: string): Admissions.MealYear | undefined {
  return mealParts(stay).find((part) => part.payoutId === payoutId);
}

/** The days (per-day regimes: of the line's year, for a stay's meals) or the one visit or claim the line's source is entitled to now. */
export function unitsOf(sources: RowCache<SourceRow>, line: LineRow): number {
  const from = sources.get({ source_id: line.source_id });
  return line.source_kind === 'admission' ? (line.regime_id === 'b' ? (mealPart(from, line.line_id)?.days ?? 0) : 1) : (from?.approval?.units ?? 1);
}
