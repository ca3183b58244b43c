import { monthsOf, NO_MONTHS, peopleChanges, spanOf, spansHolding } from './check-tallies.js';

describe('the spans of months the health checks are tallied by', () => {
  it('holds a check of a month in its month, its quarter and every "since 1 January" from it on', () => {
    expect(spansHolding(7)).toEqual(['M07', 'Q3', 'Y07', 'Y08', 'Y09', 'Y10', 'Y11', 'Y12']);
    expect(spansHolding(12)).toEqual(['M12', 'Q4', 'Y12']);
    expect(monthsOf('Q2')).toEqual([4, 5, 6]);
    expect(monthsOf('Y03')).toEqual([1, 2, 3]);
  });

  it('names the periods the reports compare, and no other', () => {
    expect(spanOf({ from: '2026-07-01', to: '2026-07-31' })).toEqual({ year: 2026, span: 'M07' });
    expect(spanOf({ from: '2025-12-01', to: '2025-12-31' })).toEqual({ year: 2025, span: 'M12' });
    expect(spanOf({ from: '2026-07-01', to: '2026-09-30' })).toEqual({ year: 2026, span: 'Q3' });
    expect(spanOf({ from: '2026-01-01', to: '2026-09-30' })).toEqual({ year: 2026, span: 'Y09' });
    expect(spanOf({ from: '2026-01-01', to: '2026-01-31' })).toEqual({ year: 2026, span: 'M01' });
    expect(spanOf({ from: '2026-02-01', to: '2026-03-31' })).toBeUndefined();
    expect(spanOf({ from: '2025-12-01', to: '2026-01-31' })).toBeUndefined();
    expect(spanOf({ from: '2026-07-15', to: '2026-07-31' })).toBeUndefined();
  });

  it('counts a person once in a span whatever their checks in it, and no more once none stands', () => {
    const march = peopleChanges(NO_MONTHS, 3, 1);
    expect([...march.changes.keys()]).toEqual(spansHolding(3));
    const july = peopleChanges(march.after, 7, 1);
    // Since 1 January to July and on, they were counted for March already.
    expect(Object.fromEntries(july.changes)).toEqual({ M07: 1, Q3: 1 });
    const marchCancelled = peopleChanges(july.after, 3, -1);
    expect(Object.fromEntries(marchCancelled.changes)).toEqual({ M03: -1, Q1: -1, Y03: -1, Y04: -1, Y05: -1, Y06: -1 });
    const secondJuly = peopleChanges(marchCancelled.after, 7, 1);
    expect(secondJuly.changes.size).toBe(0);
  });
});
