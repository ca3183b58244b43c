import { ownEntry } from '../own-entry.js';
import type { BeneficiaryGroup, PolicyVersion, RegimeDefinition, VersionHeader } from './policy-version.js';

/** Why nothing is owed: the regime is absent from the version, or the group is not covered by it. */
export type NotEntitled = {
  readonly entitled: false;
  readonly reason: 'no-policy-in-force' | 'regime-not-in-policy' | 'group-not-covered' | 'yearly-limit-reached';
};

/** An amount owed, with what it rests on, so that an auditor can explain every VND. */
export interface Entitled {
  readonly entitled: true;
  readonly amount: number;
  readonly policyVersionId: string;
  readonly clause: string;
  /** The rate, ceiling or cap that produced the amount. */
  readonly basis: number;
}

export type Entitlement = Entitled | NotEntitled;

/**
 * The version in force on `date` among one programme's versions (see `officialsVersions`,
 * `universalCheckVersions`): among those whose period holds it, the latest to start; of two
 * starting the same day, the one published later (a corrected republication supersedes).
 */
export function policyInForce<Version extends VersionHeader>(versions: readonly Version[], date: string): Version | undefined {
  let found: Version | undefined;
  for (const version of versions) {
    if (version.effectiveFrom > date || (version.effectiveTo !== undefined && version.effectiveTo < date)) continue;
    if (!found || version.effectiveFrom >= found.effectiveFrom) found = version;
  }
  return found;
}

function regimeOf(version: PolicyVersion, regimeId: string): RegimeDefinition | undefined {
  return version.regimes.find((regime) => regime.id === regimeId);
}

function owed(version: PolicyVersion, regime: RegimeDefinition, amount: number, basis: number): Entitled {
  return { entitled: true, amount, policyVersionId: version.id, clause: regime.clause, basis };
}

/** Looks up the regime and the group's figure in `table`; the reason when there is none. */
function lookUp<R extends RegimeDefinition['rule']['kind']>(
  version: PolicyVersion | undefined,
  regimeId: string,
  kind: R,
  group: BeneficiaryGroup,
): { version: PolicyVersion; regime: RegimeDefinition; rule: Extract<RegimeDefinition['rule'], { kind: R }> } | NotEntitled {
  if (!version) return { entitled: false, reason: 'no-policy-in-force' };
  const regime = regimeOf(version, regimeId);
  if (!regime) return { entitled: false, reason: 'regime-not-in-policy' };
  if (regime.rule.kind !== kind) throw new Error(`regime ${regimeId} of ${version.id} is a ${regime.rule.kind} rule, not ${kind}`);
  const rule = regime.rule as Extract<RegimeDefinition['rule'], { kind: R }>;
  const tables = Object.values(rule).filter((value) => typeof value === 'object') as Record<number, number>[];
  if (tables.some((table) => table[group] === undefined)) return { entitled: false, reason: 'group-not-covered' };
  return { version, regime, rule };
}

/** A fixed amount per event, e.g. the visit allowance (regime a) for an admission. */
export function fixedAmountFor(version: PolicyVersion | undefined, regimeId: string, group: BeneficiaryGroup): Entitlement {
  const found = lookUp(version, regimeId, 'fixed-per-event', group);
  if ('entitled' in found) return found;
  const amount = found.rule.amountByGroup[group]!;
  return owed(found.version, found.regime, amount, amount);
}

/** The actual cost, never above the group's ceiling per claim. */
export function actualCostUpToClaimCeiling(version: PolicyVersion | undefined, regimeId: string, group: BeneficiaryGroup, cost: number): Entitlement {
  const found = lookUp(version, regimeId, 'actual-cost-up-to-claim-ceiling', group);
  if ('entitled' in found) return found;
  const ceiling = found.rule.ceilingByGroup[group]!;
  return owed(found.version, found.regime, Math.min(cost, ceiling), ceiling);
}

/**
 * The actual cost against the annual cap: at most what is left of the cap this year
 * (`usedThisYear` = reserved and consumed so far). `overCap` is the part an approver may only
 * grant as an exception.
 */
export function actualCostUpToAnnualCap(
  version: PolicyVersion | undefined,
  regimeId: string,
  group: BeneficiaryGroup,
  cost: number,
  usedThisYear: number,
): (Entitled & { readonly remainingBefore: number; readonly overCap: number }) | NotEntitled {
  const found = lookUp(version, regimeId, 'actual-cost-up-to-annual-cap', group);
  if ('entitled' in found) return found;
  const cap = found.rule.annualCapByGroup[group]!;
  const remainingBefore = Math.max(0, cap - usedThisYear);
  const amount = Math.min(cost, remainingBefore);
  return { ...owed(found.version, found.regime, amount, cap), remainingBefore, overCap: cost - amount };
}

/** A share of the out-of-pocket cost, rounded down to whole VND, never above the ceiling. */
export function shareOfOutOfPocket(version: PolicyVersion | undefined, regimeId: string, group: BeneficiaryGroup, outOfPocket: number): Entitlement {
  const found = lookUp(version, regimeId, 'share-of-out-of-pocket', group);
  if ('entitled' in found) return found;
  const share = found.rule.shareBasisPointsByGroup[group]!;
  const amount = Math.min(Math.floor((outOfPocket * share) / 10000), found.rule.ceilingByGroup[group]!);
  return owed(found.version, found.regime, amount, share);
}

/** A benefit limited to so many times a year (health checks): the next one, if any is left. */
export function limitedPerYear(
  version: PolicyVersion | undefined,
  regimeId: string,
  group: BeneficiaryGroup,
  timesUsedThisYear: number,
  cost: number,
): Entitlement {
  const found = lookUp(version, regimeId, 'limited-per-year', group);
  if ('entitled' in found) return found;
  if (timesUsedThisYear >= found.rule.timesPerYearByGroup[group]!) return { entitled: false, reason: 'yearly-limit-reached' };
  const amount = found.rule.amountByGroup[group]!;
  return owed(found.version, found.regime, found.rule.actualCost ? Math.min(cost, amount) : amount, amount);
}

/** One run of consecutive days paid at one rate, under one policy version and one group. */
export interface DailySegment {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly group: BeneficiaryGroup;
  readonly rate: number;
  readonly amount: number;
  readonly policyVersionId: string;
  readonly clause: string;
}

export interface DailyEntitlement {
  readonly amount: number;
  readonly days: number;
  readonly segments: readonly DailySegment[];
  /** Days of the stay for which nothing is owed (no policy in force, group not covered). */
  readonly unpaidDays: readonly string[];
}

function dayAfter(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

export const nextDay = (date: string): string => dayAfter(date, 1);
/** What a beneficiary held the day before a change takes effect is what the change applies to. */
export const dayBefore = (date: string): string => dayAfter(date, -1);

/** The calendar year a date (`YYYY-MM-DD`) falls in. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));

/**
 * A per-day regime (meal allowance, b) over a stay from `first` to `last` day. Each calendar day
 * is paid at the rule in force that day for the group held that day, so a stay across a rate or
 * group change is split by day; the first and last day count as the rule in force on them says.
 * A segment never spans 1 January: each year's days are counted, budgeted and paid in that year.
 */
export function dailyAllowanceFor(
  regimeId: string,
  first: string,
  last: string,
  policyOn: (date: string) => PolicyVersion | undefined,
  groupOn: (date: string) => BeneficiaryGroup | undefined,
): DailyEntitlement {
  if (last < first) throw new Error(`a stay cannot end (${last}) before it begins (${first})`);
  const segments: DailySegment[] = [];
  const unpaidDays: string[] = [];
  for (let day = first; day <= last; day = nextDay(day)) {
    const group = groupOn(day);
    const found = group === undefined ? ({ entitled: false, reason: 'group-not-covered' } as const) : lookUp(policyOn(day), regimeId, 'rate-per-day', group);
    if ('entitled' in found) {
      unpaidDays.push(day);
      continue;
    }
    if ((day === first && !found.rule.countFirstDay) || (day === last && day !== first && !found.rule.countLastDay)) continue;
    const rate = found.rule.rateByGroup[group!]!;
    const previous = segments[segments.length - 1];
    const continues = previous && nextDay(previous.to) === day && yearOf(previous.to) === yearOf(day);
    if (continues && previous.rate === rate && previous.group === group && previous.policyVersionId === found.version.id) {
      segments[segments.length - 1] = { ...previous, to: day, days: previous.days + 1, amount: previous.amount + rate };
    } else {
      segments.push({ from: day, to: day, days: 1, group: group!, rate, amount: rate, policyVersionId: found.version.id, clause: found.regime.clause });
    }
  }
  return { ...segmentTotals(segments), segments, unpaidDays };
}

/** What runs of days add up to: their amount and their days. */
export function segmentTotals(segments: readonly Pick<DailySegment, 'amount' | 'days'>[]): { amount: number; days: number } {
  return { amount: segments.reduce((sum, s) => sum + s.amount, 0), days: segments.reduce((sum, s) => sum + s.days, 0) };
}

/** An allowance to staff doing cadre health work (regime k): the role's amount per month or session, times how many. */
export function staffAllowanceFor(
  version: PolicyVersion | undefined,
  regimeId: string,
  role: string,
  quantity: number,
): Entitlement | { readonly entitled: false; readonly reason: 'role-not-covered' } {
  if (!version) return { entitled: false, reason: 'no-policy-in-force' };
  const regime = regimeOf(version, regimeId);
  if (!regime) return { entitled: false, reason: 'regime-not-in-policy' };
  if (regime.rule.kind !== 'staff-allowance') throw new Error(`regime ${regimeId} of ${version.id} is a ${regime.rule.kind} rule, not staff-allowance`);
  const amount = ownEntry(regime.rule.amountByRole, role);
  if (amount === undefined) return { entitled: false, reason: 'role-not-covered' };
  return owed(version, regime, amount * quantity, amount);
}
