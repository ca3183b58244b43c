import { bookedAs, checkAlerts, receivable, relocate, spend, totalOf } from './budget.js';
import type { PayoutRow } from './schema.js';
import { inMemoryPayments } from './testing.fixture.js';

const payout = (id: string, amount: number, status: string, group = 3): PayoutRow => ({
  payout_id: id,
  line_id: id,
  source_kind: 'claim',
  source_id: id,
  beneficiary_id: 'b-1',
  payee: 'b-1',
  regime_id: 'g',
  regime_code: 'g',
  group_number: group,
  administrative_unit: 'Huyện Cao Lộc',
  year: 2025,
  service_date: '2025-08-01',
  amount,
  units: 1,
  policy_version_id: 'v2',
  clause: null,
  basis: null,
  over_cap: 0,
  approved_by: null,
  status,
  paid_reference: null,
  paid_on: null,
  reversed_on: null,
  reversal_reason: null,
  recovered: 0,
  written_off: 0,
  offset_amount: 0,
  settlements: [],
});

describe('the annual budget of the payments read model', () => {
  it('books a payout committed while scheduled, paid once paid, nothing once reversed; a recovery by what it owes and brought back', () => {
    expect(bookedAs(payout('p', 500, 'scheduled'))).toEqual([500, 0]);
    expect(bookedAs(payout('p', 500, 'paid'))).toEqual([0, 500]);
    expect(bookedAs(payout('p', 500, 'reversed'))).toEqual([0, 0]);
    expect(bookedAs({ ...payout('p', -500, 'owed'), recovered: 200, written_off: 100 })).toEqual([-200, -200]);
  });

  it('moves money by group and unit with its history, and raises each alert once, at the position that reached it', () => {
    const { tables, appended, journalAt } = inMemoryPayments();
    Object.assign(totalOf(tables.totals, 2025, 'g'), { allocated: 1_000 });
    spend(tables, journalAt(7n), payout('p1', 800, 'scheduled'), 800, 0);
    spend(tables, journalAt(8n), payout('p1', 800, 'paid'), -800, 800);
    spend(tables, journalAt(9n), payout('p2', 300, 'scheduled', 4), 300, 0);
    expect([...tables.spending.all()].map(({ group_number, committed, paid }) => ({ group_number, committed, paid }))).toEqual([
      { group_number: 3, committed: 0, paid: 800 },
      { group_number: 4, committed: 300, paid: 0 },
    ]);
    expect(totalOf(tables.totals, 2025, 'g')).toMatchObject({ committed: 300, paid: 800 });
    expect([...tables.alerts.all()]).toEqual([
      { year: 2025, regime_code: 'g', percent: 80, used: 800, allocated: 1_000, global_position: '7' },
      { year: 2025, regime_code: 'g', percent: 100, used: 1_100, allocated: 1_000, global_position: '9' },
    ]);
    expect(appended.map(({ table, row }) => [table, row.global_position, row.committed, row.paid])).toEqual([
      ['budget_entries', 7n, 800, 0],
      ['budget_entries', 8n, -800, 800],
      ['budget_entries', 9n, 300, 0],
    ]);
    // Each entry names its line and person, and the line's days as they stand (the payout's without a line yet).
    expect(appended[0].row).toMatchObject({ line_id: 'p1', person: 'b-1', units: 1, service_date: '2025-08-01' });
    checkAlerts(tables, 2025, 'g', 10n);
    expect([...tables.alerts.all()]).toHaveLength(2);
  });

  it('raises no alert without an allocation', () => {
    const { tables, journalAt } = inMemoryPayments();
    spend(tables, journalAt(1n), payout('p1', 800, 'scheduled'), 800, 0);
    expect([...tables.alerts.all()]).toEqual([]);
  });

  it("takes a line's payouts, and their money, to the group and unit it counts under now", () => {
    const { tables, journalAt } = inMemoryPayments();
    const paid = tables.payouts.put(payout('p1', 800, 'paid'));
    const line = { payout_ids: ['p1', 'unknown'], group_number: 3, administrative_unit: 'Huyện Cao Lộc' };
    spend(tables, journalAt(1n), paid, 0, 800);
    relocate(tables, journalAt(2n), line, 4, 'Xã Tân Liên');
    expect(line).toEqual({ payout_ids: ['p1', 'unknown'], group_number: 4, administrative_unit: 'Xã Tân Liên' });
    expect(tables.payouts.get({ payout_id: 'p1' })).toMatchObject({ group_number: 4, administrative_unit: 'Xã Tân Liên' });
    expect([...tables.spending.all()].map(({ group_number, administrative_unit, paid }) => ({ group_number, administrative_unit, paid }))).toEqual([
      { group_number: 3, administrative_unit: 'Huyện Cao Lộc', paid: 0 },
      { group_number: 4, administrative_unit: 'Xã Tân Liên', paid: 800 },
    ]);
  });

  it("sums a year's and regime's receivables", () => {
    const { tables } = inMemoryPayments();
    receivable(tables.totals, payout('r1', -500, 'owed'), { to_recover: 500, recovered: 0, written_off: 0 });
    receivable(tables.totals, payout('r1', -500, 'owed'), { to_recover: -300, recovered: 200, written_off: 100 });
    expect(totalOf(tables.totals, 2025, 'g')).toMatchObject({ to_recover: 200, recovered: 200, written_off: 100 });
  });
});
