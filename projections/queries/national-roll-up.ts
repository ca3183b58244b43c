import type { Receivables, RegimeLine, YearEndReport } from './year-end-report.js';

/** Where one province's figures in a roll-up come from: its log, at the position its report quotes. */
export interface ProvinceSource {
  readonly id: string;
  readonly name: string;
  readonly position: string;
  readonly logHash: string | null;
  readonly asOf: string | null;
}

/**
 * The year-end reports of several provinces added up, for the national level. Each province's
 * log is its own, so the roll-up quotes every province's position rather than one; and people are
 * counted once per province (no one is on two provinces' registers).
 */
export interface NationalYearEndReport {
  readonly year: number;
  readonly provinces: readonly ProvinceSource[];
  readonly beneficiaries: YearEndReport['beneficiaries'];
  readonly cards: YearEndReport['cards'];
  readonly regimes: YearEndReport['regimes'];
  readonly totalAmount: number;
  readonly recoveries: YearEndReport['recoveries'];
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

const noLine = (): RegimeLine => ({ payouts: 0, people: 0, units: 0, amount: 0 });
const addLine = (a: RegimeLine, b: RegimeLine): RegimeLine => ({
  payouts: a.payouts + b.payouts,
  people: a.people + b.people,
  units: a.units + b.units,
  amount: a.amount + b.amount,
});
const noReceivables = (): Receivables => ({ toRecover: 0, recovered: 0, writtenOff: 0 });
const addReceivables = (a: Receivables, b: Receivables): Receivables => ({
  toRecover: a.toRecover + b.toRecover,
  recovered: a.recovered + b.recovered,
  writtenOff: a.writtenOff + b.writtenOff,
});

/** Regimes by their report letter, in the order the provinces list them; a letter's heading is the first province's. */
export function rollUpYearEndReports(
  year: number,
  reports: readonly { readonly province: { readonly id: string; readonly name: string }; readonly report: YearEndReport }[],
): NationalYearEndReport {
  const beneficiaries: Record<string, number> = {};
  const newCards: Record<string, number> = {};
  const reissued: Record<string, number> = {};
  const regimes = new Map<string, { code: string; heading: string; line: RegimeLine; byGroup: Record<string, RegimeLine> }>();
  let recoveries = noReceivables();
  const recoveriesByRegime: Record<string, Receivables> = {};
  for (const { report } of reports) {
    addCounts(beneficiaries, report.beneficiaries.byGroup);
    addCounts(newCards, report.cards.newCards.byGroup);
    addCounts(reissued, report.cards.reissued.byGroup);
    for (const regime of report.regimes) {
      const { code, heading, byGroup, ...line } = regime;
      const sum = regimes.get(code) ?? { code, heading, line: noLine(), byGroup: {} };
      sum.line = addLine(sum.line, line);
      for (const [group, groupLine] of Object.entries(byGroup)) sum.byGroup[group] = addLine(sum.byGroup[group] ?? noLine(), groupLine);
      regimes.set(code, sum);
    }
    const { byRegime, ...total } = report.recoveries;
    recoveries = addReceivables(recoveries, total);
    for (const [code, owed] of Object.entries(byRegime)) recoveriesByRegime[code] = addReceivables(recoveriesByRegime[code] ?? noReceivables(), owed);
  }
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    year,
    provinces: reports.map(({ province, report }) => ({
      id: province.id,
      name: province.name,
      position: report.position,
      logHash: report.logHash,
      asOf: report.asOf,
    })),
    beneficiaries: { total: total(beneficiaries), byGroup: beneficiaries },
    cards: {
      issued: total(newCards) + total(reissued),
      newCards: { total: total(newCards), byGroup: newCards },
      reissued: { total: total(reissued), byGroup: reissued },
    },
    regimes: [...regimes.values()].map(({ code, heading, line, byGroup }) => ({ code, heading, ...line, byGroup })),
    totalAmount: reports.reduce((sum, { report }) => sum + report.totalAmount, 0),
    recoveries: { ...recoveries, byRegime: recoveriesByRegime },
  };
}
