import type { LineRow } from './schema.js';
import { recount, tally } from './tallies.js';
import { inMemoryPayments } from './testing.fixture.js';

const line = (id: string, person: string, group: number, paid: number, units = 1): LineRow => ({
  line_id: id,
  source_kind: 'admission',
  source_id: id,
  regime_id: 'b',
  regime_code: 'b',
  beneficiary_id: person,
  person,
  year: 2025,
  service_date: '2025-07-03',
  group_number: group,
  administrative_unit: 'Xã Tân Liên',
  units,
  paid,
  payout_ids: [],
});

describe('year-end tallies of the payments read model', () => {
  const rowsOf = ({ tables }: ReturnType<typeof inMemoryPayments>) => ({
    byGroup: [...tables.paidByGroup.all()].map(({ group_number, payouts, people, units, amount }) => ({ group_number, payouts, people, units, amount })),
    byRegime: [...tables.paidByRegime.all()].map(({ people }) => people),
    people: [...tables.paidPeople.all()].map(({ person, lines_by_group }) => ({ person, lines_by_group })),
  });

  it('counts a paid line, its days and its person once per group and once per regime', () => {
    const memory = inMemoryPayments();
    tally(memory.tables, memory.journalAt(1n), line('l1', 'p1', 3, 950_000, 5), 1);
    tally(memory.tables, memory.journalAt(1n), line('l2', 'p1', 3, 700_000), 1);
    tally(memory.tables, memory.journalAt(1n), line('l3', 'p1', 4, 100_000), 1);
    expect(rowsOf(memory)).toEqual({
      byGroup: [
        { group_number: 3, payouts: 2, people: 1, units: 6, amount: 1_650_000 },
        { group_number: 4, payouts: 1, people: 1, units: 1, amount: 100_000 },
      ],
      byRegime: [1],
      people: [{ person: 'p1', lines_by_group: { 3: 2, 4: 1 } }],
    });
  });

  it('takes a line recovered to nothing out of the counts, and its person with their last line', () => {
    const memory = inMemoryPayments();
    const recovered = line('l1', 'p1', 3, 950_000, 5);
    tally(memory.tables, memory.journalAt(1n), recovered, 1);
    recount(memory.tables, memory.journalAt(2n), recovered, () => (recovered.paid -= 950_000));
    expect(rowsOf(memory)).toEqual({
      byGroup: [{ group_number: 3, payouts: 0, people: 0, units: 0, amount: 0 }],
      byRegime: [0],
      people: [{ person: 'p1', lines_by_group: {} }],
    });
    expect(memory.tables.lines.get({ line_id: 'l1' })).toBe(recovered);
  });

  it('keeps each tally row as an event leaves it, once, at the event’s position', () => {
    const memory = inMemoryPayments();
    const paid = line('l1', 'p1', 3, 950_000, 5);
    const first = memory.journalAt(7n);
    tally(memory.tables, first, paid, 1);
    first.done();
    const second = memory.journalAt(9n);
    recount(memory.tables, second, paid, () => (paid.paid -= 950_000));
    second.done();
    expect(memory.appended.map(({ table, row }) => ({ table, ...row }))).toEqual([
      { table: 'paid_by_regime_versions', global_position: 7n, year: 2025, regime_code: 'b', people: 1 },
      { table: 'paid_by_group_versions', global_position: 7n, year: 2025, regime_code: 'b', group_number: 3, payouts: 1, people: 1, units: 5, amount: 950_000 },
      { table: 'paid_by_regime_versions', global_position: 9n, year: 2025, regime_code: 'b', people: 0 },
      { table: 'paid_by_group_versions', global_position: 9n, year: 2025, regime_code: 'b', group_number: 3, payouts: 0, people: 0, units: 0, amount: 0 },
    ]);
  });

  it('adds what a line owes back to the amount without counting it', () => {
    const memory = inMemoryPayments();
    tally(memory.tables, memory.journalAt(1n), line('l1', 'p1', 3, -200_000), 1);
    expect(rowsOf(memory)).toEqual({ byGroup: [{ group_number: 3, payouts: 0, people: 0, units: 0, amount: -200_000 }], byRegime: [], people: [] });
  });
});
