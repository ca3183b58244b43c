import { Admissions, AnnualCapLedger, type BeneficiaryGroup, Beneficiaries, Cards, Claims, type PolicyVersion } from '#domain';
import type { ClaimRecord, RegisterRecord, RetroactivityReads, StayRecord } from '../ports/index.js';
import { todayInVietnam } from '../today.js';

/** One regime of one stay that a retroactive change alters: an adjustment of an approved stay, or a fresh entitlement of one awaiting approval. */
export interface StayChange {
  readonly admissionId: string;
  readonly beneficiaryId: string;
  readonly regimeId: 'a' | 'b';
  readonly kind: 'adjustment' | 'entitlement';
  readonly serviceDate: string;
  readonly previous: { readonly amount: number; readonly group: number };
  readonly next: { readonly amount: number; readonly group: number };
  readonly difference: number;
}

/** An approved claim that a retroactive change alters: what it was worth, what it is worth now. */
export interface ClaimChange {
  readonly claimId: string;
  readonly beneficiaryId: string;
  readonly regimeId: string;
  readonly serviceDate: string;
  readonly previous: { readonly amount: number; readonly group: number };
  readonly next: { readonly amount: number; readonly group: number };
  readonly difference: number;
}

/** An approved special-drug claim that a retroactive change would flag for the council: nothing is recovered unless the council reduces it. */
export type CapFlagPreview = Pick<Claims.LoweredCapFlag, 'beneficiaryId' | 'regimeId' | 'serviceDate' | 'amount' | 'cap' | 'excess'> & {
  readonly claimId: string;
};

/** What the special-drug claims of the beneficiaries concerned hold of their annual caps, as the read models know it. */
export interface CapHoldings {
  /** The claims holding the same cap as `claim` (beneficiary, regime, year). */
  readonly yearClaimsOf: (claim: ClaimRecord) => AnnualCapLedger.CappedClaim[];
  /** The cap the council last weighed the claim against, when it was flagged before. */
  readonly flaggedCapOf: (claimId: string) => number | undefined;
}

export async function loadCapHoldings(reads: RetroactivityReads, claims: readonly ClaimRecord[]): Promise<CapHoldings> {
  const capped = claims.filter((claim) => claim.approval.capped);
  const [holding, flags] = await Promise.all([
    reads.cappedClaimsOf([...new Set(capped.map((claim) => claim.beneficiaryId))]),
    reads.councilFlagsOf(capped.map((claim) => claim.claimId)),
  ]);
  // A claim is flagged only under a cap lower than the one before: its latest flag's is the lowest.
  const flaggedCap = new Map<string, number>();
  for (const flag of flags) flaggedCap.set(flag.claimId, Math.min(flag.cap.next, flaggedCap.get(flag.claimId) ?? flag.cap.next));
  return {
    yearClaimsOf: (claim) => {
      const facts = claim.facts as unknown as Claims.ClaimFacts;
      return holding.filter(
        (other) => other.beneficiaryId === claim.beneficiaryId && other.regimeId === facts.regimeId && other.year === Claims.claimYear(facts),
      );
    },
    flaggedCapOf: (claimId) => flaggedCap.get(claimId),
  };
}

export interface ChangeTotals {
  readonly changes: number;
  readonly difference: number;
  /** Per regime, then per group (the group the amount counts under after the change): the net difference. */
  readonly byRegime: Record<string, { readonly changes: number; readonly difference: number; readonly byGroup: Record<string, number> }>;
}

/** The register entry as the beneficiary aggregate holds it, so that groups are read by the domain's own rule. */
export function beneficiaryFrom(entry: RegisterRecord): Beneficiaries.Beneficiary {
  return {
    status: entry.status === 'removed' ? 'removed' : 'registered',
    id: entry.beneficiaryId,
    enrolledFrom: entry.enrolledFrom,
    groups: entry.groups.map((period) => ({ group: period.group as BeneficiaryGroup, from: period.from })),
    title: entry.title,
    administrativeUnit: entry.administrativeUnit,
    ...(entry.diedOn ? { diedOn: entry.diedOn } : {}),
    ...(entry.removedOn ? { removedOn: entry.removedOn } : {}),
  };
}

/** A stay as the admission aggregate holds it, rebuilt from its read-model record. */
function admissionFrom(stay: StayRecord): Admissions.Admission {
  const visit = stay.visit && {
    serviceDate: stay.visit.serviceDate,
    group: stay.visit.group as BeneficiaryGroup,
    amount: stay.visit.amount,
    policyVersionId: stay.visit.policyVersionId,
    clause: stay.visit.clause,
  };
  return {
    status: stay.decision === 'approved' ? 'approved' : 'discharged',
    admissionId: stay.admissionId,
    beneficiaryId: stay.beneficiaryId,
    admittedOn: stay.admittedOn,
    dischargedOn: stay.dischargedOn,
    recordedBy: [],
    adjustments: [],
    ...(visit ? { visit } : {}),
    ...(stay.meals ? { meals: stay.meals } : {}),
  };
}

/**
 * What recomputing each stay would record, decided by the same domain code that the confirmation
 * runs on each stay's stream: a preview and its confirmation agree to the VND when the read
 * models the preview reads have caught up with the log.
 */
function previewStayChanges(
  stays: readonly StayRecord[],
  beneficiaryOf: (beneficiaryId: string) => Beneficiaries.Beneficiary | undefined,
  policyOn: (date: string) => PolicyVersion | undefined,
  cause: Admissions.AdjustmentCause,
): StayChange[] {
  const changes: StayChange[] = [];
  for (const stay of stays) {
    const beneficiary = beneficiaryOf(stay.beneficiaryId);
    if (!beneficiary) continue;
    const state = admissionFrom(stay);
    const events = Admissions.decide({ type: 'RecomputeEntitlements', data: { cause, by: 'preview' } }, state, {
      policyOn,
      groupOn: (date) => Beneficiaries.groupOn(beneficiary, date),
      today: todayInVietnam(),
    });
    const base = { admissionId: stay.admissionId, beneficiaryId: stay.beneficiaryId };
    for (const event of events) {
      if (event.type === 'AdjustmentEntitled') {
        const { regimeId, serviceDate, previous, next, difference } = event.data;
        changes.push({
          ...base,
          regimeId,
          kind: 'adjustment',
          serviceDate,
          previous: { amount: previous.amount, group: previous.group },
          next: { amount: next.amount, group: next.group },
          difference,
        });
      } else if (event.type === 'VisitAllowanceEntitled' || event.type === 'MealAllowanceEntitled') {
        const regimeId = event.type === 'VisitAllowanceEntitled' ? 'a' : 'b';
        const before =
          regimeId === 'a'
            ? stay.visit && { amount: stay.visit.amount, group: stay.visit.group }
            : stay.meals && { amount: stay.meals.amount, group: stay.meals.segments[0]?.group ?? 0 };
        const group = event.type === 'VisitAllowanceEntitled' ? event.data.group : (event.data.segments[0]?.group ?? 0);
        const previous = before ?? { amount: 0, group };
        changes.push({
          ...base,
          regimeId,
          kind: 'entitlement',
          serviceDate: regimeId === 'a' ? stay.admittedOn : stay.dischargedOn,
          previous,
          next: { amount: event.data.amount, group },
          difference: event.data.amount - previous.amount,
        });
      }
    }
  }
  return changes;
}

/**
 * Each approved claim re-assessed by the claim aggregate's own decision, as the confirmation does
 * on its stream: the adjustments it would record, and the special-drug claims it would flag.
 */
function previewClaimChanges(
  claims: readonly ClaimRecord[],
  beneficiaryOf: (beneficiaryId: string) => Beneficiaries.Beneficiary | undefined,
  policyOn: (date: string) => PolicyVersion | undefined,
  cause: Admissions.AdjustmentCause,
  holdings: CapHoldings,
): { changes: ClaimChange[]; flags: CapFlagPreview[] } {
  const changes: ClaimChange[] = [];
  const flags: CapFlagPreview[] = [];
  for (const claim of claims) {
    const beneficiary = beneficiaryOf(claim.beneficiaryId);
    if (!beneficiary) continue;
    const { amount, clause, basis, overCap, group, policyVersionId, capped } = claim.approval;
    const state: Claims.Claim = {
      status: 'approved',
      facts: claim.facts as unknown as Claims.ClaimFacts,
      approval: {
        amount,
        approvedBy: [],
        policyVersionId,
        clause,
        basis,
        partial: false,
        overCap,
        ...(group ? { group: group as BeneficiaryGroup } : {}),
        ...(capped ? { limit: { cap: holdings.flaggedCapOf(claim.claimId) ?? basis } } : {}),
      },
    };
    const yearClaims = capped ? holdings.yearClaimsOf(claim) : [];
    const context = {
      policyOn,
      beneficiary,
      card: Cards.initialCard,
      ledger: AnnualCapLedger.initialAnnualCapLedger,
      today: todayInVietnam(),
      listedClaims: [],
      yearClaims,
    };
    for (const event of Claims.decide({ type: 'RecomputeEntitlements', data: { cause, by: 'preview' } }, state, context)) {
      if (event.type === 'ClaimOverLoweredCapFlagged') {
        const { beneficiaryId, regimeId, serviceDate, amount: flaggedAmount, cap, excess } = event.data;
        flags.push({ claimId: claim.claimId, beneficiaryId, regimeId, serviceDate, amount: flaggedAmount, cap, excess });
      }
      if (event.type !== 'AdjustmentEntitled') continue;
      const { regimeId, serviceDate, previous, next, difference } = event.data;
      changes.push({
        claimId: claim.claimId,
        beneficiaryId: claim.beneficiaryId,
        regimeId,
        serviceDate,
        previous: { amount: previous.amount, group: previous.group ?? 0 },
        next: { amount: next.amount, group: next.group ?? previous.group ?? 0 },
        difference,
      });
    }
  }
  return { changes, flags };
}

function totalsOf(changes: readonly (StayChange | ClaimChange)[]): ChangeTotals {
  const byRegime: Record<string, { changes: number; difference: number; byGroup: Record<string, number> }> = {};
  for (const change of changes) {
    const regime = (byRegime[change.regimeId] ??= { changes: 0, difference: 0, byGroup: {} });
    regime.changes++;
    regime.difference += change.difference;
    // A group change moves the whole amount: out of the old group, into the new one.
    regime.byGroup[change.previous.group] = (regime.byGroup[change.previous.group] ?? 0) - change.previous.amount;
    regime.byGroup[change.next.group] = (regime.byGroup[change.next.group] ?? 0) + change.next.amount;
  }
  return { changes: changes.length, difference: changes.reduce((sum, change) => sum + change.difference, 0), byRegime };
}

/** What a retroactive change would record for the stays and claims it touches, before anything is recorded. */
export interface RecomputationPreview {
  readonly staysExamined: number;
  readonly changes: readonly StayChange[];
  readonly claimsExamined: number;
  readonly claimChanges: readonly ClaimChange[];
  /** Special-drug claims it would leave over a lowered annual cap, for the council to decide on; they move no money. */
  readonly capFlags: readonly CapFlagPreview[];
  readonly totals: ChangeTotals;
}

export function previewRecomputation(
  stays: readonly StayRecord[],
  claims: readonly ClaimRecord[],
  beneficiaryOf: (beneficiaryId: string) => Beneficiaries.Beneficiary | undefined,
  policyOn: (date: string) => PolicyVersion | undefined,
  cause: Admissions.AdjustmentCause,
  holdings: CapHoldings,
): RecomputationPreview {
  const changes = previewStayChanges(stays, beneficiaryOf, policyOn, cause);
  const { changes: claimChanges, flags: capFlags } = previewClaimChanges(claims, beneficiaryOf, policyOn, cause, holdings);
  return { staysExamined: stays.length, changes, claimsExamined: claims.length, claimChanges, capFlags, totals: totalsOf([...changes, ...claimChanges]) };
}
