import { addToBalance, bookMeals, codeOf } from './balances.js';
import { sourceOf } from './sources.js';
import { inMemoryPayments } from './testing.fixture.js';

describe("beneficiaries' balances in the payments read model", () => {
  it('adds each measure with its history entry, and sets the annual cap without one', () => {
    const { tables, appended, journalAt } = inMemoryPayments();
    const entry = { beneficiaryId: 'b-1', year: 2025, regimeId: 'g', serviceDate: '2025-08-01' };
    addToBalance(tables.balances, journalAt(5n), entry, { entitled: 45_000_000, approved: 45_000_000, annual_cap: 40_000_000, cap_used: 45_000_000 });
    addToBalance(tables.balances, journalAt(6n), entry, { paid: 45_000_000 });
    expect([...tables.balances.all()]).toEqual([
      {
        beneficiary_id: 'b-1',
        year: 2025,
        regime_id: 'g',
        regime_code: 'g',
        entitled: 45_000_000,
        approved: 45_000_000,
        paid: 45_000_000,
        reversed: 0,
        adjusted: 0,
        annual_cap: 40_000_000,
        cap_used: 45_000_000,
        to_recover: 0,
        recovered: 0,
        written_off: 0,
      },
    ]);
    expect(appended.map(({ row }) => [row.global_position, row.measure, row.amount, row.service_date])).toEqual([
      [5n, 'entitled', 45_000_000, '2025-08-01'],
      [5n, 'approved', 45_000_000, '2025-08-01'],
      [5n, 'cap_used', 45_000_000, '2025-08-01'],
      [6n, 'paid', 45_000_000, '2025-08-01'],
    ]);
  });

  it('keeps no balance for a staff payee', () => {
    const { tables, appended, journalAt } = inMemoryPayments();
    addToBalance(tables.balances, journalAt(1n), { beneficiaryId: null, year: 2025, regimeId: 'k', serviceDate: '2025-03-01' }, { entitled: 1_000 });
    expect([...tables.balances.all()]).toEqual([]);
    expect(appended).toEqual([]);
  });

  it("books each calendar year's part of a stay's meals in that year's balance", () => {
    const { tables, journalAt } = inMemoryPayments();
    const segment = (from: string, to: string, days: number) => ({
      from,
      to,
      days,
      group: 3,
      rate: 190_000,
      amount: days * 190_000,
      policyVersionId: 'v2',
      clause: 'b',
    });
    const stay = Object.assign(sourceOf(tables.sources, 's1', 'admission'), {
      beneficiary_id: 'b-1',
      discharged_on: '2026-01-02',
      meals: { amount: 950_000, days: 5, segments: [segment('2025-12-29', '2025-12-31', 3), segment('2026-01-01', '2026-01-02', 2)], byYear: true },
    });
    bookMeals(tables.balances, journalAt(1n), stay, 'entitled', 1);
    expect([...tables.balances.all()].map(({ year, regime_code, entitled }) => ({ year, regime_code, entitled }))).toEqual([
      { year: 2025, regime_code: 'b', entitled: 570_000 },
      { year: 2026, regime_code: 'b', entitled: 380_000 },
    ]);
  });

  it("names a regime's report letter", () => {
    expect(codeOf('h.fixed')).toBe('h');
    expect(codeOf('a')).toBe('a');
  });
});
