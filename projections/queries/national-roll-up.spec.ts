import { rollUpYearEndReports } from './national-roll-up.js';
import type { YearEndReport } from './year-end-report.js';

const line = (payouts: number, people: number, units: number, amount: number) => ({ payouts, people, units, amount });

const report = (position: string, amountA: number, group: string, heads: number): YearEndReport => ({
  year: 2025,
  position,
  logHash: `hash-${position}`,
  asOf: '2025-12-31T10:00:00.000Z',
  beneficiaries: { total: heads, byGroup: { [group]: heads } },
  cards: { issued: heads + 1, newCards: { total: heads, byGroup: { [group]: heads } }, reissued: { total: 1, byGroup: { [group]: 1 } } },
  regimes: [
    { code: 'a', heading: 'Thăm hỏi', ...line(2, 2, 2, amountA), byGroup: { [group]: line(2, 2, 2, amountA) } },
    { code: 'b', heading: 'Tiền ăn', ...line(0, 0, 0, 0), byGroup: {} },
  ],
  totalAmount: amountA,
  recoveries: { toRecover: 100, recovered: 50, writtenOff: 0, byRegime: { a: { toRecover: 100, recovered: 50, writtenOff: 0 } } },
});

describe('rollUpYearEndReports', () => {
  it('adds the provinces’ figures by group and regime, quoting each province’s own log position', () => {
    const rolled = rollUpYearEndReports(2025, [
      { province: { id: 'lang-son', name: 'Lạng Sơn' }, report: report('120', 3_000_000, '3', 4) },
      { province: { id: 'lam-dong', name: 'Lâm Đồng' }, report: report('45', 1_400_000, '2', 2) },
    ]);
    expect(rolled).toEqual({
      year: 2025,
      provinces: [
        { id: 'lang-son', name: 'Lạng Sơn', position: '120', logHash: 'hash-120', asOf: '2025-12-31T10:00:00.000Z' },
        { id: 'lam-dong', name: 'Lâm Đồng', position: '45', logHash: 'hash-45', asOf: '2025-12-31T10:00:00.000Z' },
      ],
      beneficiaries: { total: 6, byGroup: { '3': 4, '2': 2 } },
      cards: { issued: 8, newCards: { total: 6, byGroup: { '3': 4, '2': 2 } }, reissued: { total: 2, byGroup: { '3': 1, '2': 1 } } },
      regimes: [
        { code: 'a', heading: 'Thăm hỏi', ...line(4, 4, 4, 4_400_000), byGroup: { '3': line(2, 2, 2, 3_000_000), '2': line(2, 2, 2, 1_400_000) } },
        { code: 'b', heading: 'Tiền ăn', ...line(0, 0, 0, 0), byGroup: {} },
      ],
      totalAmount: 4_400_000,
      recoveries: { toRecover: 200, recovered: 100, writtenOff: 0, byRegime: { a: { toRecover: 200, recovered: 100, writtenOff: 0 } } },
    });
  });

  it('is empty, not absent, without provinces', () => {
    expect(rollUpYearEndReports(2025, [])).toMatchObject({ provinces: [], beneficiaries: { total: 0, byGroup: {} }, regimes: [], totalAmount: 0 });
  });
});
