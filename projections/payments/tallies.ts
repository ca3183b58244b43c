import type { Journal } from './events.js';
import type { LineRow, PaidPersonRow, PaymentTables } from './schema.js';

export type TallyTables = Pick<PaymentTables, 'paidByGroup' | 'paidByRegime' | 'paidPeople'>;

/**
 * A line starts (+1) or stops (-1) counting in its group's year-end tallies: its net paid
 * always, its visit or claim, days and person only where that net is positive (a stay
 * recovered to nothing counts no one). The people counts change when a payee's first counted
 * line in the group or regime comes or their last one goes.
 */
export function tally(tallies: TallyTables, journal: Journal, line: LineRow, sign: 1 | -1): void {
  const counted = line.paid > 0 ? sign : 0;
  if (counted === 0 && line.paid === 0) return;
  const group = { year: line.year, regime_code: line.regime_code, group_number: line.group_number };
  const row = tallies.paidByGroup.get(group) ?? { ...group, payouts: 0, people: 0, units: 0, amount: 0 };
  row.payouts += counted;
  row.units += counted * line.units;
  row.amount += sign * line.paid;
  if (counted !== 0) {
    const regime = tallies.paidByRegime.get(group) ?? { year: line.year, regime_code: line.regime_code, people: 0 };
    const key = { year: line.year, regime_code: line.regime_code, person: line.person };
    const person: PaidPersonRow = tallies.paidPeople.get(key) ?? { ...key, lines_by_group: {} };
    const inRegimeBefore = Object.keys(person.lines_by_group).length > 0;
    const before = person.lines_by_group[line.group_number] ?? 0;
    const after = before + counted;
    const linesByGroup: Record<string, number> = { ...person.lines_by_group, [line.group_number]: after };
    if (after === 0) delete linesByGroup[line.group_number];
    const inRegimeAfter = Object.keys(linesByGroup).length > 0;
    if ((before === 0) !== (after === 0)) row.people += after === 0 ? -1 : 1;
    if (inRegimeBefore !== inRegimeAfter) regime.people += inRegimeAfter ? 1 : -1;
    tallies.paidByRegime.put(regime);
    journal.changed('paid_by_regime', regime);
    tallies.paidPeople.put({ ...person, lines_by_group: linesByGroup });
  }
  tallies.paidByGroup.put(row);
  journal.changed('paid_by_group', row);
}

/** Changes a line: it leaves the tallies as it was and comes back as it is. */
export function recount(tables: TallyTables & Pick<PaymentTables, 'lines'>, journal: Journal, line: LineRow, change: () => void): void {
  tally(tables, journal, line, -1);
  change();
  tally(tables, journal, line, 1);
  tables.lines.put(line);
}
