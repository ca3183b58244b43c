import { type BudgetEntry, type CheckCount, checkFigures, periodFigures, reportPeriods } from './period-report.js';

let position = 0n;
/** An entry recorded at the next position: paid unless `paid` says otherwise. */
const entry = (serviceDate: string, regimeCode: string, lineId: string, person: string, paid: number, more: Partial<BudgetEntry> = {}): BudgetEntry => ({
  position: ++position,
  serviceDate,
  regimeCode,
  administrativeUnit: 'Huyện Cao Lộc',
  lineId,
  person,
  units: 1,
  paid,
  ...more,
});

const LATEST = 1_000_000n;

describe('the periods a monthly or quarterly report compares', () => {
  it('takes January’s month before from December of the year before, and February’s days as the year has them', () => {
    expect(reportPeriods('month', 2025, 1)).toEqual({
      period: { from: '2025-01-01', to: '2025-01-31' },
      previous: { from: '2024-12-01', to: '2024-12-31' },
      sameLastYear: { from: '2024-01-01', to: '2024-01-31' },
      yearToDate: { from: '2025-01-01', to: '2025-01-31' },
      yearToDateLastYear: { from: '2024-01-01', to: '2024-01-31' },
    });
    expect(reportPeriods('month', 2024, 2)).toMatchObject({
      period: { from: '2024-02-01', to: '2024-02-29' },
      sameLastYear: { from: '2023-02-01', to: '2023-02-28' },
      yearToDate: { from: '2024-01-01', to: '2024-02-29' },
      yearToDateLastYear: { from: '2023-01-01', to: '2023-02-28' },
    });
  });

  it('bounds quarters by their months, the first quarter’s before being the fourth of the year before', () => {
    expect(reportPeriods('quarter', 2025, 1)).toEqual({
      period: { from: '2025-01-01', to: '2025-03-31' },
      previous: { from: '2024-10-01', to: '2024-12-31' },
      sameLastYear: { from: '2024-01-01', to: '2024-03-31' },
      yearToDate: { from: '2025-01-01', to: '2025-03-31' },
      yearToDateLastYear: { from: '2024-01-01', to: '2024-03-31' },
    });
    expect(reportPeriods('quarter', 2025, 3)).toMatchObject({
      period: { from: '2025-07-01', to: '2025-09-30' },
      previous: { from: '2025-04-01', to: '2025-06-30' },
      yearToDate: { from: '2025-01-01', to: '2025-09-30' },
    });
  });
});

describe('the figures of a monthly or quarterly report', () => {
  it('counts a month, the month before across New Year, the same month a year earlier and since 1 January, with changes', () => {
    const entries = [
      // January 2025: a stay of 4 days (visit 700,000; meals 4 × 190,000) and a health check.
      entry('2025-01-06', 'a', 'stay-1-a', 'an', 700_000),
      entry('2025-01-09', 'b', 'stay-1-b', 'an', 760_000, { units: 4 }),
      entry('2025-01-20', 'h', 'check-1', 'binh', 2_000_000, { administrativeUnit: 'Huyện Văn Lãng' }),
      // December 2024: one visit allowance; January 2024: nothing but another person's drugs.
      entry('2024-12-30', 'a', 'stay-0-a', 'binh', 700_000, { administrativeUnit: 'Huyện Văn Lãng' }),
      entry('2024-01-15', 'g', 'drugs-0', 'an', 4_000_000),
      // February 2025: outside January.
      entry('2025-02-01', 'h', 'check-2', 'an', 3_000_000),
    ];
    const report = periodFigures(entries, 'month', 2025, 1, LATEST);
    expect(report.total.period).toEqual({ visits: 3, people: 2, days: 4, amount: 3_460_000 });
    expect(report.total.previous).toEqual({ visits: 1, people: 1, days: 0, amount: 700_000 });
    expect(report.total.sameLastYear).toEqual({ visits: 1, people: 1, days: 0, amount: 4_000_000 });
    expect(report.total.yearToDate).toEqual(report.total.period);
    expect(report.total.yearToDateLastYear).toEqual(report.total.sameLastYear);
    expect(report.total.vsPrevious).toEqual({
      visits: { difference: 2, percent: 200 },
      people: { difference: 1, percent: 100 },
      days: { difference: 4, percent: null },
      amount: { difference: 2_760_000, percent: 394.3 },
    });
    expect(report.total.vsSameLastYear.amount).toEqual({ difference: -540_000, percent: -13.5 });

    expect(report.regimes.map((regime) => regime.code)).toEqual(['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k']);
    const regime = (code: string) => report.regimes.find((line) => line.code === code)!.figures;
    expect(regime('a').period).toEqual({ visits: 1, people: 1, days: 0, amount: 700_000 });
    expect(regime('a').vsPrevious.amount).toEqual({ difference: 0, percent: 0 });
    expect(regime('b').period).toEqual({ visits: 1, people: 1, days: 4, amount: 760_000 });
    expect(regime('g').sameLastYear.amount).toBe(4_000_000);

    expect(report.units.map((unit) => unit.administrativeUnit)).toEqual(['Huyện Cao Lộc', 'Huyện Văn Lãng']);
    const [caoLoc, vanLang] = report.units;
    expect(caoLoc.total.period).toEqual({ visits: 2, people: 1, days: 4, amount: 1_460_000 });
    expect(caoLoc.regimes.map((line) => line.code)).toEqual(['a', 'b', 'g']);
    expect(vanLang.total.period).toEqual({ visits: 1, people: 1, days: 0, amount: 2_000_000 });
    expect(vanLang.total.previous).toEqual({ visits: 1, people: 1, days: 0, amount: 700_000 });
  });

  it('accumulates a quarter’s months since 1 January and compares with the same months of the year before', () => {
    const entries = [
      entry('2025-01-31', 'e', 'serious-1', 'an', 20_000_000),
      entry('2025-04-01', 'h', 'check-1', 'an', 3_000_000),
      entry('2025-06-30', 'h', 'check-2', 'binh', 2_000_000),
      entry('2025-07-01', 'h', 'check-3', 'chi', 2_000_000),
      entry('2024-05-15', 'h', 'check-0', 'an', 3_000_000),
    ];
    const report = periodFigures(entries, 'quarter', 2025, 2, LATEST);
    expect(report.periods.period).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(report.total.period).toEqual({ visits: 2, people: 2, days: 0, amount: 5_000_000 });
    expect(report.total.previous).toEqual({ visits: 1, people: 1, days: 0, amount: 20_000_000 });
    expect(report.total.yearToDate).toEqual({ visits: 3, people: 2, days: 0, amount: 25_000_000 });
    expect(report.total.yearToDateLastYear).toEqual({ visits: 1, people: 1, days: 0, amount: 3_000_000 });
    expect(report.total.yearToDateVsLastYear.people).toEqual({ difference: 1, percent: 100 });
  });

  it('leaves out what was recorded after the position asked, so that a position always gives the same report', () => {
    const paid = entry('2025-03-03', 'h', 'check-1', 'an', 3_000_000);
    const late = entry('2025-03-10', 'h', 'check-2', 'binh', 2_000_000);
    const recovery = entry('2025-03-03', 'h', 'check-1', 'an', -3_000_000);
    expect(periodFigures([paid, late, recovery], 'month', 2025, 3, paid.position).total.period).toEqual({ visits: 1, people: 1, days: 0, amount: 3_000_000 });
    expect(periodFigures([paid, late, recovery], 'month', 2025, 3, late.position).total.period).toEqual({ visits: 2, people: 2, days: 0, amount: 5_000_000 });
    // Recovered to nothing, the check serves no one and pays nothing.
    expect(periodFigures([paid, late, recovery], 'month', 2025, 3, LATEST).total.period).toEqual({ visits: 1, people: 1, days: 0, amount: 2_000_000 });
  });

  it('counts a line once whatever its payouts, its days as last recorded, and where it was moved to, not where it left', () => {
    const entries = [
      // Meals of 5 days, scheduled (committed: nothing paid) then paid; a date correction takes a day back by an adjustment.
      entry('2025-05-20', 'b', 'stay-1-b', 'an', 0, { units: 5 }),
      entry('2025-05-20', 'b', 'stay-1-b', 'an', 950_000, { units: 5 }),
      entry('2025-05-20', 'b', 'stay-1-b', 'an', -190_000, { units: 4 }),
      // A move known late takes a paid claim from one unit to another.
      entry('2025-05-02', 'g', 'drugs-1', 'binh', 5_000_000),
      entry('2025-05-02', 'g', 'drugs-1', 'binh', -5_000_000),
      entry('2025-05-02', 'g', 'drugs-1', 'binh', 5_000_000, { administrativeUnit: 'Xã Tân Liên' }),
    ];
    const report = periodFigures(entries, 'month', 2025, 5, LATEST);
    expect(report.total.period).toEqual({ visits: 2, people: 2, days: 4, amount: 5_760_000 });
    expect(report.units.map((unit) => [unit.administrativeUnit, unit.total.period])).toEqual([
      ['Huyện Cao Lộc', { visits: 1, people: 1, days: 4, amount: 760_000 }],
      ['Xã Tân Liên', { visits: 1, people: 1, days: 0, amount: 5_000_000 }],
    ]);
    expect(report.units[0].regimes.map((line) => line.code)).toEqual(['b']);
  });

  it('answers a period with nothing in it with zeros, and no percentage of nothing', () => {
    const report = periodFigures([], 'month', 2025, 12, LATEST);
    expect(report.total.period).toEqual({ visits: 0, people: 0, days: 0, amount: 0 });
    expect(report.total.vsPrevious.amount).toEqual({ difference: 0, percent: null });
    expect(report.units).toEqual([]);
  });
});

describe('the health checks of a monthly report', () => {
  // As the database counts the checks standing in each period (see periodReport): July's two, June's one, and since January three.
  const counts: CheckCount[] = [
    { period: 'period', visits: 2, people: 2, amount: 800_000 },
    { period: 'previous', visits: 1, people: 1, amount: 450_000 },
    { period: 'yearToDate', visits: 3, people: 3, amount: 1_250_000 },
    { period: 'period', administrativeUnit: 'Phường Xuân Hương - Đà Lạt', visits: 1, people: 1, amount: 350_000 },
    { period: 'period', administrativeUnit: 'Phường Lâm Viên - Đà Lạt', visits: 1, people: 1, amount: 450_000 },
    { period: 'previous', administrativeUnit: 'Xã Đam Rông 1', visits: 1, people: 1, amount: 450_000 },
    { period: 'period', facility: 'BVĐK', visits: 2, people: 2, amount: 800_000 },
    { period: 'previous', facility: 'Trạm Y tế xã Đam Rông 1', visits: 1, people: 1, amount: 450_000 },
    // A unit whose only check was cancelled: counted by the database as nothing.
    { period: 'sameLastYear', administrativeUnit: 'Xã Lạc Dương', visits: 0, people: 0, amount: 0 },
  ];
  const figures = (visits: number, people: number, amount: number) => ({ visits, people, days: 0, amount });

  it('compares checks, people checked and fees payable in total, by unit and by facility, in Vietnamese order, leaving out what counts nothing', () => {
    const july = checkFigures(counts);
    expect(july.total.period).toEqual(figures(2, 2, 800_000));
    expect(july.total.sameLastYear).toEqual(figures(0, 0, 0));
    expect(july.total.vsPrevious.amount).toEqual({ difference: 350_000, percent: 77.8 });
    expect(july.total.vsSameLastYear.visits).toEqual({ difference: 2, percent: null });
    expect(july.units.map((unit) => [unit.administrativeUnit, unit.total.period, unit.total.previous])).toEqual([
      ['Phường Lâm Viên - Đà Lạt', figures(1, 1, 450_000), figures(0, 0, 0)],
      ['Phường Xuân Hương - Đà Lạt', figures(1, 1, 350_000), figures(0, 0, 0)],
      ['Xã Đam Rông 1', figures(0, 0, 0), figures(1, 1, 450_000)],
    ]);
    expect(july.facilities.map((facility) => [facility.facility, facility.total.period])).toEqual([
      ['BVĐK', figures(2, 2, 800_000)],
      ['Trạm Y tế xã Đam Rông 1', figures(0, 0, 0)],
    ]);
  });

  it('answers a month without checks with zeros and no unit or facility', () => {
    expect(checkFigures([])).toMatchObject({ total: { period: figures(0, 0, 0) }, units: [], facilities: [] });
  });
});
