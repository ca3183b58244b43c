import type { Admissions } from '#domain';

/** A discharged stay and what it is entitled to now, as a recomputation starts from. */
export interface StayRecord {
  readonly admissionId: string;
  readonly beneficiaryId: string;
  readonly admittedOn: string;
  readonly dischargedOn: string;
  readonly decision: 'approved' | null;
  readonly visit: { serviceDate: string; group: number; amount: number; policyVersionId: string; clause: string } | null;
  readonly meals: Admissions.MealAllowance | null;
}

/** A beneficiary's register entry with their groups over time. */
export interface RegisterRecord {
  readonly beneficiaryId: string;
  readonly fullName: string;
  readonly enrolledFrom: string;
  readonly status: string;
  readonly title: string;
  readonly administrativeUnit: string;
  readonly diedOn: string | null;
  readonly removedOn: string | null;
  readonly groups: { group: number; from: string }[];
}

/** An approved claim and what it is worth now, as a recomputation starts from. */
export interface ClaimRecord {
  readonly claimId: string;
  readonly beneficiaryId: string;
  readonly facts: Record<string, unknown>;
  readonly approval: { amount: number; clause: string; basis: number; overCap: number; group: number | null; policyVersionId: string; capped: boolean };
}

/** An approved claim holding part of its year's annual cap (special drugs), as it stands now. */
export interface CappedClaimRecord {
  readonly claimId: string;
  readonly beneficiaryId: string;
  readonly regimeId: string;
  readonly year: number;
  readonly serviceDate: string;
  readonly amount: number;
}

/** Who held a title on a date, with the unit and group they held then. */
export interface TitleHolder {
  readonly beneficiaryId: string;
  readonly title: string;
  readonly administrativeUnit: string;
  readonly group: number;
}

/**
 * What previews and recomputations of retroactive changes read of the read models (registers,
 * payments, council flags): which stays and claims a change can touch, and the register around
 * them. The read models implement it; the composition root provides it.
 */
export interface RetroactivityReads {
  /** The log position the read models have all caught up with: what a preview was computed at. */
  position(): Promise<string>;
  /** The discharged stays, approved or undecided, discharged on or after `from`; of `beneficiaryIds` only, when given. */
  staysDischargedFrom(from: string, beneficiaryIds?: readonly string[]): Promise<StayRecord[]>;
  /** The approved claims served on or after `from`; of `beneficiaryIds` only, when given. */
  claimsServedFrom(from: string, beneficiaryIds?: readonly string[]): Promise<ClaimRecord[]>;
  registerEntries(beneficiaryIds: readonly string[]): Promise<Map<string, RegisterRecord>>;
  holdersOfTitlesOn(titles: readonly string[], date: string): Promise<TitleHolder[]>;
  /** The approved claims against an annual cap of these beneficiaries, as the annual ledger holds them. */
  cappedClaimsOf(beneficiaryIds: readonly string[]): Promise<CappedClaimRecord[]>;
  /** The council's flags on these claims: the cap each was weighed against. */
  councilFlagsOf(claimIds: readonly string[]): Promise<readonly { readonly claimId: string; readonly cap: { readonly next: number } }[]>;
}
