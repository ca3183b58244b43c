/**
 * A policy version as data: which support regimes a resolution grants, to which beneficiary
 * groups, at which rates, from when to when, and on which clause of the legal text each rule
 * rests. Rates are never code: a new resolution is a new version, published as data.
 *
 * Beneficiary groups ("Đối tượng 1–6") are the six classes of officials of Resolution 24/2024;
 * a group missing from a rule's table is not covered by that regime.
 */
export const BENEFICIARY_GROUPS = [1, 2, 3, 4, 5, 6] as const;
export type BeneficiaryGroup = (typeof BENEFICIARY_GROUPS)[number];

/** The regimes by the letters the resolution and its year-end report use (đ is outpatient convalescence). */
export const REGIME_CODES = ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k'] as const;
export type RegimeCode = (typeof REGIME_CODES)[number];

/** Whole VND per beneficiary group; a group that is absent is not covered. */
export type AmountByGroup = Partial<Record<BeneficiaryGroup, number>>;

export type RegimeRule =
  /** A fixed amount each time the event happens (visit allowance per admission, serious-illness support). */
  | { readonly kind: 'fixed-per-event'; readonly amountByGroup: AmountByGroup }
  /**
   * A rate per calendar day of a stay (meal allowance, convalescence). Whether the first and
   * the last day count is a policy parameter, as for insurance bed-days.
   */
  | { readonly kind: 'rate-per-day'; readonly rateByGroup: AmountByGroup; readonly countFirstDay: boolean; readonly countLastDay: boolean }
  /** The actual cost, up to a ceiling per claim (party-congress health checks, trips). */
  | { readonly kind: 'actual-cost-up-to-claim-ceiling'; readonly ceilingByGroup: AmountByGroup }
  /** The actual cost, up to what is left of an annual cap per beneficiary (special drugs). */
  | { readonly kind: 'actual-cost-up-to-annual-cap'; readonly annualCapByGroup: AmountByGroup }
  /** A share of the out-of-pocket cost, in basis points (10,000 = all of it), with a ceiling per claim. */
  | { readonly kind: 'share-of-out-of-pocket'; readonly shareBasisPointsByGroup: AmountByGroup; readonly ceilingByGroup: AmountByGroup }
  /** At most so many times a year; each time a fixed amount, or the actual cost up to the amount when `actualCost`. */
  | {
      readonly kind: 'limited-per-year';
      readonly timesPerYearByGroup: AmountByGroup;
      readonly amountByGroup: AmountByGroup;
      readonly actualCost: boolean;
    }
  /** Paid to staff doing cadre health work, by role, per month or per session: not to beneficiaries. */
  | { readonly kind: 'staff-allowance'; readonly amountByRole: Readonly<Record<string, number>>; readonly per: 'month' | 'session' };

export interface RegimeDefinition {
  /** Unique in the version: the letter, and after a dot the variant where one letter has several rules ("đ.home"). */
  readonly id: string;
  /** The report's letter, by which the year-end report groups amounts. */
  readonly code: RegimeCode;
  readonly name: string;
  /** Article and clause of the legal text the rule comes from, so that every amount can be explained. */
  readonly clause: string;
  /** True where the figures are illustrative (derived from the year-end report), not the resolution's own table. */
  readonly illustrative: boolean;
  readonly rule: RegimeRule;
}

/**
 * The policy line a version belongs to: each programme has its own version in force, so that a
 * province's universal health check never displaces its officials' regimes, nor the reverse. A
 * version that names none belongs to the officials' regimes, as every version published before
 * programmes existed does (see {@link programmeOf}).
 */
export const OFFICIALS_PROGRAMME = 'officials-health-support';

/** What every version says, whatever its programme: who adopted it, on what basis, from when to when. */
export interface VersionHeader {
  readonly id: string;
  /** Absent: the officials' regimes ({@link OFFICIALS_PROGRAMME}). */
  readonly programme?: string;
  readonly province: string;
  /** e.g. "Resolution 24/2024/NQ-HĐND" */
  readonly legalBasis: string;
  /** First day in force (YYYY-MM-DD). */
  readonly effectiveFrom: string;
  /** Last day in force (YYYY-MM-DD), inclusive; absent while the version is open-ended. */
  readonly effectiveTo?: string;
  /** What the publisher wants readers to know, e.g. which figures are illustrative and why. */
  readonly note?: string;
}

/** A version of regimes by beneficiary group: the officials' support of Resolution 24/2024. */
export interface PolicyVersion extends VersionHeader {
  /** Absent in the catalog files and events of before there were other kinds: every version was of regimes. */
  readonly kind?: 'regimes';
  readonly regimes: readonly RegimeDefinition[];
}

/** Ages in whole years on the day of the check, both included; no `toAge`: and older. */
export interface AgeBand {
  readonly id: string;
  readonly name: string;
  readonly fromAge: number;
  readonly toAge?: number;
}

/** A kind of check the programme pays for (a periodic check, a screening). */
export interface CheckKind {
  readonly id: string;
  readonly name: string;
}

/** A unit (with every unit under it) whose residents are eligible earlier than the rest. */
export interface PriorityArea {
  readonly unit: string;
  readonly eligibleFrom: string;
}

/**
 * A free check or screening for every resident, paid per check to the facility that performs it
 * (Lâm Đồng's programme under Resolution 72-NQ/TW). Everything a province chooses is here: whose
 * residence is covered, who is eligible from when (priority areas first), the age bands, the kinds
 * of check and their fees, and how many checks a calendar year pays for.
 */
export interface UniversalCheckRules {
  readonly name: string;
  /** The passage of the legal text the programme rests on, cited with every check paid. */
  readonly clause: string;
  /** True where the fees are illustrative, not the province's own tariff. */
  readonly illustrative: boolean;
  /** Administrative units (with every unit under them) whose residents the programme covers. */
  readonly residenceWithin: readonly string[];
  /** The day the residents of units outside every priority area become eligible. */
  readonly eligibleFrom: string;
  readonly priorityAreas: readonly PriorityArea[];
  /** Checks paid per resident per calendar year. */
  readonly timesPerCalendarYear: number;
  /** Disjoint; an age outside every band is not covered. */
  readonly ageBands: readonly AgeBand[];
  readonly checkKinds: readonly CheckKind[];
  /** Whole VND paid to the facility per check, by age band id then check kind id; a kind a band lacks is not offered to that band. */
  readonly feeByAgeBand: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface UniversalCheckVersion extends VersionHeader {
  readonly programme: string;
  readonly kind: 'universal-check';
  readonly check: UniversalCheckRules;
}

/** Every version the catalog holds, of whichever programme. */
export type CatalogVersion = PolicyVersion | UniversalCheckVersion;

export function programmeOf(version: CatalogVersion): string {
  return version.programme ?? OFFICIALS_PROGRAMME;
}

/** The versions of the officials' regimes, as their stays and claims are decided under. */
export function officialsVersions(versions: readonly CatalogVersion[]): PolicyVersion[] {
  return versions.filter((version): version is PolicyVersion => version.kind !== 'universal-check' && programmeOf(version) === OFFICIALS_PROGRAMME);
}

/** The versions of one universal-check programme. */
export function universalCheckVersions(versions: readonly CatalogVersion[], programme: string): UniversalCheckVersion[] {
  return versions.filter((version): version is UniversalCheckVersion => version.kind === 'universal-check' && version.programme === programme);
}

/** The groups each rule covers, by regime id: a group absent from every table of a rule is not covered by it. */
function coveredGroups(version: PolicyVersion): Map<string, Set<number>> {
  return new Map(
    version.regimes.map((regime) => {
      const tables = Object.entries(regime.rule)
        .filter(([key]) => key.endsWith('ByGroup'))
        .map(([, table]) => table as AmountByGroup);
      return [regime.id, new Set(tables.flatMap((table) => Object.keys(table).map(Number)))];
    }),
  );
}

/**
 * What a version stops covering that the one it follows covered: regimes dropped, or groups gone
 * from a regime. A table that forgets a group pays that group nothing from then on, which is
 * rarely what a new resolution means: the preview shows it to both administrators before it is confirmed.
 */
export function coverageWithdrawn(previous: PolicyVersion, next: PolicyVersion): { readonly regimeId: string; readonly groups: readonly number[] }[] {
  const before = coveredGroups(previous);
  const after = coveredGroups(next);
  return [...before]
    .map(([regimeId, groups]) => ({ regimeId, groups: [...groups].filter((group) => !after.get(regimeId)?.has(group)).sort() }))
    .filter((withdrawn) => withdrawn.groups.length > 0);
}
