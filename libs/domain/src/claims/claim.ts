import { type Beneficiary, groupOn } from '../beneficiaries/beneficiary.js';
import { type Card, requirePresentedCard } from '../cards/card.js';
import type { AdjustmentCause } from '../admissions/admission.js';
import { type AnnualCapLedger, beyondCap, type CappedClaim, timesUsed } from '../drug-reimbursements/annual-cap-ledger.js';
import {
  actualCostUpToAnnualCap,
  actualCostUpToClaimCeiling,
  type DailySegment,
  dailyAllowanceFor,
  type Entitled,
  fixedAmountFor,
  limitedPerYear,
  shareOfOutOfPocket,
  staffAllowanceFor,
} from '../policy/entitlement.js';
import { payoutIdFor } from '../payouts/payout.js';
import type { BeneficiaryGroup, PolicyVersion, RegimeDefinition, RegimeRule } from '../policy/policy-version.js';
import { requireDate, requireNotAfterToday, requireStay, requireText, RuleViolated } from '../rule-violated.js';

/**
 * A claim under one of the regimes other than the admission allowances (a, b): convalescence (c),
 * hospital fees (d), convalescence at home or out of province (đ), serious illness (e), special
 * drugs on the Professional Council's decision (g), health checks (h, i) and staff allowances (k).
 * Every claim goes request → approve or reject → payout; the amount is decided at approval, under
 * the policy in force and the group held on the service date, after eligibility is checked again.
 */
export interface PrescribedItem {
  readonly name: string;
  readonly quantity: number;
  readonly cost: number;
}

export interface ClaimFacts {
  readonly claimId: string;
  /** The regime's id in the policy version ("g", "h.fixed", "đ.home"). */
  readonly regimeId: string;
  /** The day the service was given (or the first day of a stay). */
  readonly serviceDate: string;
  /** The beneficiary, and the card presented; absent for staff allowances (k). */
  readonly beneficiaryId?: string;
  readonly cardNumber?: string;
  /** Last day of a stay paid per day (convalescence). */
  readonly until?: string;
  /** The actual cost, whole VND. */
  readonly cost?: number;
  /** What the beneficiary paid after health insurance, whole VND (hospital-fee support). */
  readonly outOfPocket?: number;
  /** Special drugs: the Professional Council's decision number and what it prescribed. */
  readonly councilDecisionNumber?: string;
  readonly items?: readonly PrescribedItem[];
  /** Staff allowances: who, in which role, for how many months or sessions. */
  readonly staff?: { readonly name: string; readonly role: string };
  readonly quantity?: number;
  /** Reference numbers of the documents the request rests on (invoices, discharge papers, receipts), as the clerk read them. */
  readonly documents?: readonly string[];
  readonly requestedBy: string;
  /** Why the clerk records it although a claim with the same key is already recorded (see `DuplicateClaim`). */
  readonly deliberateReason?: string;
}

/** What makes two claims of one beneficiary the same request: regime, service date and the amount asked. */
export interface ClaimKey {
  readonly regimeId: string;
  readonly serviceDate: string;
  /** The actual cost, or what was paid out of pocket; absent for fixed-rate regimes. */
  readonly amount?: number;
}

/** A claim already recorded for the beneficiary, by its key. */
export type ListedClaim = ClaimKey & { readonly claimId: string };

export function claimKeyOf(facts: ClaimFacts): ClaimKey {
  const amount = facts.cost ?? facts.outOfPocket;
  return { regimeId: facts.regimeId, serviceDate: facts.serviceDate, ...(amount === undefined ? {} : { amount }) };
}

/** The listed claims other than `facts` itself that repeat its key. */
export function repeatsOf(facts: ClaimFacts, listed: readonly ListedClaim[]): ListedClaim[] {
  const key = claimKeyOf(facts);
  return listed.filter(
    (other) => other.claimId !== facts.claimId && other.regimeId === key.regimeId && other.serviceDate === key.serviceDate && other.amount === key.amount,
  );
}

export interface ClaimApproval {
  readonly amount: number;
  /** One approver, or two when the amount goes over the annual cap as an exception. */
  readonly approvedBy: readonly string[];
  readonly policyVersionId: string;
  readonly clause: string;
  /** The rate, ceiling or cap the amount was computed with. */
  readonly basis: number;
  readonly group?: BeneficiaryGroup;
  /** Paid at less than asked because only this much was left of the annual cap. */
  readonly partial: boolean;
  /** The part of `amount` beyond the annual cap, granted as an exception. */
  readonly overCap: number;
  readonly overCapReason?: string;
  /** The yearly limit the approval counts against, to be reserved on the annual ledger. */
  readonly limit?: { readonly cap?: number; readonly timesPerYear?: number };
  /** Per-day regimes: the days and rates that make up the amount. */
  readonly segments?: readonly DailySegment[];
}

/** What an approved claim is worth after a retroactive change, and the difference to pay (or recover). */
export interface ClaimAdjustmentData {
  readonly adjustmentId: string;
  readonly regimeId: string;
  readonly cause: AdjustmentCause;
  readonly corrects: { readonly claimId: string; readonly regimeId: string; readonly payoutId: string };
  readonly serviceDate: string;
  readonly previous: { readonly amount: number; readonly group?: BeneficiaryGroup; readonly policyVersionId: string };
  /** `basis`: the rate or ceiling applied (absent from adjustments recorded before it was kept). */
  readonly next: {
    readonly amount: number;
    readonly group?: BeneficiaryGroup;
    readonly policyVersionId: string;
    readonly clause: string;
    readonly basis?: number;
  };
  readonly difference: number;
  readonly recordedBy: string;
}

/**
 * A retroactive change (a reclassification to a group with a lower cap or none, a policy version
 * with a lower cap) lowered the annual cap on an approved special-drug claim's service date, so
 * that `excess` of what the claim stands at now lies beyond it. Nothing is recovered on that
 * account: the treatment was prescribed by the Professional Council and weighed against the cap
 * in force then, so the council decides whether the amount stands or is reduced to the new cap.
 */
export interface LoweredCapFlag {
  readonly flagId: string;
  /** The retroactive change that lowered the cap: a reduction cites it as its adjustment's cause. */
  readonly cause: AdjustmentCause;
  readonly beneficiaryId: string;
  readonly regimeId: string;
  readonly serviceDate: string;
  /** What the claim stood at when flagged. */
  readonly amount: number;
  /** The cap the claim was weighed against until now, and the one that applies now (0: the regime no longer covers the beneficiary). */
  readonly cap: { readonly previous: number; readonly next: number };
  /** What the lower cap puts beyond it, on top of what already lay beyond the previous one (an exception granted then stands). */
  readonly excess: number;
  /** The policy version and clause the new cap rests on. */
  readonly policyVersionId: string;
  readonly clause: string;
  readonly recordedBy: string;
}

/** The council's decision on one flag, with its reason (e.g. a right acquired under the old classification). */
export interface CouncilDecision {
  readonly flagId: string;
  readonly reason: string;
  readonly by: string;
}

export type ClaimEvent =
  | { readonly type: 'ClaimRequested'; readonly data: ClaimFacts }
  | { readonly type: 'ClaimOverLoweredCapFlagged'; readonly data: LoweredCapFlag }
  | { readonly type: 'ClaimOverLoweredCapKept'; readonly data: CouncilDecision }
  /** Followed by the adjustment recovering the excess (`adjustmentId`), which an approver approves like any other. */
  | { readonly type: 'ClaimReducedToLoweredCap'; readonly data: CouncilDecision & { readonly adjustmentId: string } }
  | { readonly type: 'AdjustmentEntitled'; readonly data: ClaimAdjustmentData }
  | { readonly type: 'AdjustmentsApproved'; readonly data: { readonly adjustmentIds: readonly string[]; readonly by: string } }
  | { readonly type: 'OverCapApprovalProposed'; readonly data: { readonly by: string; readonly reason: string } }
  | { readonly type: 'ClaimApproved'; readonly data: ClaimApproval }
  | { readonly type: 'ClaimRejected'; readonly data: { readonly by: string; readonly reason: string } };

export type ClaimCommand =
  | { readonly type: 'RequestClaim'; readonly data: ClaimFacts }
  | { readonly type: 'ApproveClaim'; readonly data: { readonly by: string } }
  /** Approve what is left of the annual cap when the claim asks for more. */
  | { readonly type: 'PartlyApproveClaim'; readonly data: { readonly by: string } }
  /** First of the two approvals an amount over the annual cap needs. */
  | { readonly type: 'ProposeOverCapApproval'; readonly data: { readonly by: string; readonly reason: string } }
  /** The second approver grants the whole amount over the cap. */
  | { readonly type: 'ConfirmOverCapApproval'; readonly data: { readonly by: string } }
  | { readonly type: 'RejectClaim'; readonly data: { readonly by: string; readonly reason: string } }
  /** Re-assesses an approved claim under what is known now (policy versions, groups): an adjustment when its worth changed. */
  | { readonly type: 'RecomputeEntitlements'; readonly data: { readonly cause: AdjustmentCause; readonly by: string } }
  | { readonly type: 'ApproveAdjustments'; readonly data: { readonly by: string } }
  /** The council lets a flagged claim's approved amount stand over the lowered cap. */
  | { readonly type: 'KeepClaimOverLoweredCap'; readonly data: CouncilDecision }
  /** The council reduces a flagged claim to the lowered cap: an adjustment recovers the excess. */
  | { readonly type: 'ReduceClaimToLoweredCap'; readonly data: CouncilDecision };

export type Claim =
  | { readonly status: 'none' }
  | {
      readonly status: 'requested' | 'approved' | 'rejected';
      readonly facts: ClaimFacts;
      readonly overCapProposal?: { readonly by: string; readonly reason: string };
      readonly approval?: ClaimApproval;
      readonly adjustments?: readonly (ClaimAdjustmentData & { readonly approvedBy?: string })[];
      readonly capFlags?: readonly (LoweredCapFlag & {
        readonly decision?: { readonly outcome: 'kept' | 'reduced'; readonly reason: string; readonly by: string };
      })[];
    };

export const initialClaim: Claim = { status: 'none' };

export function claimStreamId(claimId: string): string {
  return `claim-${claimId}`;
}

/** What a claim's decisions need beyond its own stream, loaded by the caller. */
export interface ClaimContext {
  readonly policyOn: (date: string) => PolicyVersion | undefined;
  /** The claimant's stream state (initial for staff allowances). */
  readonly beneficiary: Beneficiary;
  /** The presented card's stream state. */
  readonly card: Card;
  /** What the beneficiary has used of this regime in the service date's year. */
  readonly ledger: AnnualCapLedger;
  /** The day it is in the province: no claim is requested for a service still to come. */
  readonly today: string;
  /** The beneficiary's claims already recorded, to refuse one requested twice (requests only). */
  readonly listedClaims: readonly ListedClaim[];
  /**
   * The claims holding the annual cap of the claim's regime and year as they stand now, to weigh
   * an approved special-drug claim against a cap a retroactive change lowered (recomputations only).
   */
  readonly yearClaims: readonly CappedClaim[];
}

export type ClaimRule =
  | 'AlreadyRequested'
  | 'NoSuchClaim'
  | 'AlreadyDecided'
  | 'ApprovingOwnRequest'
  | 'SecondApproverRequired'
  | 'NoOverCapProposal'
  | 'WithinAnnualCap'
  | 'NotCappedRegime'
  | 'AnnualCapExceeded'
  | 'AnnualCapExhausted'
  | 'YearlyLimitReached'
  | 'NoPolicyInForce'
  | 'RegimeNotInPolicy'
  | 'RegimeRecordedByAdmissions'
  | 'RegimeNotForGroup'
  | 'RoleNotCovered'
  | 'NotABeneficiary'
  | 'UnknownBeneficiary'
  | 'UnknownCard'
  | 'NotABeneficiaryOnServiceDate'
  | 'DeceasedBeforeServiceDate'
  | 'CardNotValidOnServiceDate'
  | 'DateInFuture'
  | 'DuplicateClaim'
  | 'NothingOwed'
  | 'NoAdjustmentPending'
  | 'NoSuchFlag'
  | 'FlagAlreadyDecided'
  | 'InvalidInput';

/** The annual-ledger stream of a claim: one per beneficiary (or staff member), regime and year. */
export function claimYear(facts: ClaimFacts): number {
  return Number(facts.serviceDate.slice(0, 4));
}

const NOT_ENTITLED: Record<string, [ClaimRule, string]> = {
  'no-policy-in-force': ['NoPolicyInForce', 'no policy version is in force on the service date'],
  'regime-not-in-policy': ['RegimeNotInPolicy', 'the policy in force on the service date has no such regime'],
  'group-not-covered': ['RegimeNotForGroup', "the regime does not cover the beneficiary's group on the service date"],
  'yearly-limit-reached': ['YearlyLimitReached', 'the yearly number of times is used up'],
  'role-not-covered': ['RoleNotCovered', 'the regime has no allowance for this role'],
};

function refused(rule: ClaimRule, message: string, field?: string): RuleViolated<ClaimRule> {
  return new RuleViolated<ClaimRule>(rule, message, field);
}

/** The facts each kind of rule weighs, beyond whom and when: any other is refused rather than recorded unchecked. */
const FACTS_USED: Readonly<Record<RegimeRule['kind'], readonly OptionalFact[]>> = {
  'fixed-per-event': [],
  'rate-per-day': ['until'],
  'actual-cost-up-to-claim-ceiling': ['cost'],
  'share-of-out-of-pocket': ['outOfPocket'],
  'limited-per-year': ['cost'],
  'actual-cost-up-to-annual-cap': ['cost', 'councilDecisionNumber', 'items'],
  'staff-allowance': ['staff', 'quantity'],
};
type OptionalFact = 'until' | 'cost' | 'outOfPocket' | 'councilDecisionNumber' | 'items' | 'staff' | 'quantity';
const OPTIONAL_FACTS: readonly OptionalFact[] = ['until', 'cost', 'outOfPocket', 'councilDecisionNumber', 'items', 'staff', 'quantity'];

/** Document references one request may cite: a stay's papers and receipts stay far below. */
const MAX_DOCUMENTS = 20;

/** Months or sessions in one staff-allowance claim: a year of sessions at most, so that no amount outgrows whole VND. */
const MAX_QUANTITY = 366;

function requireOnlyFactsUsed(facts: ClaimFacts, regime: RegimeDefinition): void {
  const used = FACTS_USED[regime.rule.kind];
  const unused = OPTIONAL_FACTS.find((fact) => facts[fact] !== undefined && !used.includes(fact));
  if (unused) throw refused('InvalidInput', `regime ${regime.id} (${regime.rule.kind}) does not take ${unused}`, unused);
}

function wholeVnd(value: number | undefined, field: string, required: boolean): void {
  if (value === undefined) {
    if (required) throw refused('InvalidInput', `${field} is required for this regime`, field);
    return;
  }
  if (!Number.isSafeInteger(value) || value < 0) throw refused('InvalidInput', `${field} must be a whole, non-negative number of VND`, field);
}

/** The claimant is on the register, in a group, alive and holding a valid card on the service date. */
function checkEligibility(facts: ClaimFacts, context: ClaimContext, checkCard: boolean): BeneficiaryGroup {
  const { beneficiary, card } = context;
  if (beneficiary.status === 'unknown') throw refused('UnknownBeneficiary', `no beneficiary ${facts.beneficiaryId} on the register`, 'beneficiaryId');
  if (beneficiary.removedOn !== undefined && beneficiary.removedOn <= facts.serviceDate) {
    throw refused('NotABeneficiary', `beneficiary ${beneficiary.id} was removed from the register on ${beneficiary.removedOn}`, 'beneficiaryId');
  }
  if (beneficiary.diedOn !== undefined && beneficiary.diedOn < facts.serviceDate) {
    throw refused(
      'DeceasedBeforeServiceDate',
      `beneficiary ${beneficiary.id} died on ${beneficiary.diedOn}, before the service date ${facts.serviceDate}`,
      'serviceDate',
    );
  }
  const group = groupOn(beneficiary, facts.serviceDate);
  if (group === undefined) throw refused('NotABeneficiaryOnServiceDate', `beneficiary ${beneficiary.id} held no group on ${facts.serviceDate}`, 'serviceDate');
  if (checkCard)
    requirePresentedCard(card, { cardNumber: facts.cardNumber, beneficiaryId: beneficiary.id, date: facts.serviceDate }, 'CardNotValidOnServiceDate');
  return group;
}

/** What the claim is worth today: the entitlement, and how much of it lies beyond the annual cap. */
export interface ClaimAssessment extends Omit<ClaimApproval, 'approvedBy' | 'partial' | 'overCap' | 'overCapReason'> {
  /** The whole amount the facts justify, before the annual cap. */
  readonly asked: number;
  /** What is left of the annual cap before this claim (capped regimes only). */
  readonly remainingBefore?: number;
}

/**
 * Checks the facts against the regime's rule and the claimant's eligibility, and computes the
 * entitlement. A refusal names the rule; a claim over the annual cap is assessed (the approver
 * decides what to do with the excess).
 */
export function assessClaim(facts: ClaimFacts, context: ClaimContext, options: { readonly recomputing?: boolean } = {}): ClaimAssessment {
  const version = context.policyOn(facts.serviceDate);
  if (!version) throw refused(...NOT_ENTITLED['no-policy-in-force'], 'serviceDate');
  const regime: RegimeDefinition | undefined = version.regimes.find((candidate) => candidate.id === facts.regimeId);
  if (!regime) throw refused('RegimeNotInPolicy', `policy ${version.id} has no regime ${facts.regimeId}`, 'regimeId');
  if (regime.code === 'a' || regime.code === 'b')
    throw refused('RegimeRecordedByAdmissions', `regime ${regime.code} is entitled by recording an admission and its discharge`, 'regimeId');
  const rule = regime.rule;
  // Claims recorded before this check may carry such facts: a recomputation weighs them as they are.
  if (!options.recomputing) requireOnlyFactsUsed(facts, regime);

  if (rule.kind === 'staff-allowance') {
    if (!facts.staff) throw refused('InvalidInput', 'staff (name and role) is required for a staff allowance', 'staff');
    if (facts.beneficiaryId !== undefined)
      throw refused('InvalidInput', 'a staff allowance is paid to the staff member, not to a beneficiary', 'beneficiaryId');
    requireText(facts.staff.name, 'staff.name');
    if (!Number.isSafeInteger(facts.quantity) || facts.quantity! <= 0 || facts.quantity! > MAX_QUANTITY) {
      throw refused('InvalidInput', `quantity must be a positive whole number of ${rule.per}s, at most ${MAX_QUANTITY}`, 'quantity');
    }
    const found = staffAllowanceFor(version, regime.id, facts.staff.role, facts.quantity!);
    if (!found.entitled) throw refused(...NOT_ENTITLED[found.reason], 'staff.role');
    return { asked: found.amount, amount: found.amount, policyVersionId: found.policyVersionId, clause: found.clause, basis: found.basis };
  }

  requireText(facts.beneficiaryId, 'beneficiaryId');
  requireText(facts.cardNumber, 'cardNumber');
  // A recomputation re-assesses an approved claim: the card was checked when it was decided.
  const group = checkEligibility(facts, context, !options.recomputing);
  const entitled = (found: Entitled | { entitled: false; reason: string }, field: string): Entitled => {
    if (!found.entitled) throw refused(...NOT_ENTITLED[found.reason], field);
    return found;
  };
  const basic = (found: Entitled, limit?: ClaimApproval['limit']): ClaimAssessment => ({
    asked: found.amount,
    amount: found.amount,
    policyVersionId: found.policyVersionId,
    clause: found.clause,
    basis: found.basis,
    group,
    ...(limit ? { limit } : {}),
  });

  switch (rule.kind) {
    case 'fixed-per-event':
      return basic(entitled(fixedAmountFor(version, regime.id, group), 'regimeId'));
    case 'rate-per-day': {
      requireDate(facts.until, 'until');
      requireStay(facts.serviceDate, facts.until!, 'until', 'InvalidInput');
      // groupOn holds no group after death or removal: those days are not paid.
      const beneficiary = context.beneficiary;
      const stay = dailyAllowanceFor(regime.id, facts.serviceDate, facts.until!, context.policyOn, (date) => groupOn(beneficiary, date));
      const first = stay.segments[0];
      if (!first) throw refused('RegimeNotForGroup', "the regime covers none of the stay's days for the beneficiary's group", 'regimeId');
      return {
        asked: stay.amount,
        amount: stay.amount,
        policyVersionId: first.policyVersionId,
        clause: first.clause,
        basis: first.rate,
        group,
        segments: stay.segments,
      };
    }
    case 'actual-cost-up-to-claim-ceiling':
      wholeVnd(facts.cost, 'cost', true);
      return basic(entitled(actualCostUpToClaimCeiling(version, regime.id, group, facts.cost!), 'regimeId'));
    case 'share-of-out-of-pocket':
      wholeVnd(facts.outOfPocket, 'outOfPocket', true);
      return basic(entitled(shareOfOutOfPocket(version, regime.id, group, facts.outOfPocket!), 'regimeId'));
    case 'limited-per-year': {
      wholeVnd(facts.cost, 'cost', rule.actualCost);
      const limited = limitedPerYear(version, regime.id, group, timesUsed(context.ledger), facts.cost ?? 0);
      const found = entitled(limited, !limited.entitled && limited.reason === 'yearly-limit-reached' ? 'serviceDate' : 'regimeId');
      return basic(found, { timesPerYear: rule.timesPerYearByGroup[group]! });
    }
    case 'actual-cost-up-to-annual-cap': {
      requireText(facts.councilDecisionNumber, 'councilDecisionNumber');
      if (!facts.items || facts.items.length === 0) throw refused('InvalidInput', 'items must list what the Professional Council prescribed', 'items');
      facts.items.forEach((item, index) => {
        requireText(item.name, `items.${index}.name`);
        if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0)
          throw refused('InvalidInput', `items.${index}.quantity must be a positive whole number`, `items.${index}.quantity`);
        wholeVnd(item.cost, `items.${index}.cost`, true);
      });
      wholeVnd(facts.cost, 'cost', true);
      const itemsTotal = facts.items.reduce((sum, item) => sum + item.cost, 0);
      if (itemsTotal !== facts.cost) throw refused('InvalidInput', `cost ${facts.cost} must equal the sum of the items, ${itemsTotal}`, 'cost');
      const found = actualCostUpToAnnualCap(version, regime.id, group, facts.cost, context.ledger.used);
      const capped = entitled(found, 'regimeId');
      const remainingBefore = (found as { remainingBefore: number }).remainingBefore;
      return { ...basic(capped, { cap: capped.basis }), asked: facts.cost, remainingBefore };
    }
  }
}

/** A claim repeating a recorded one's key is refused, unless the clerk says why it is meant. */
function requireDeliberateIfRepeated(facts: ClaimFacts, listed: readonly ListedClaim[]): void {
  if (facts.deliberateReason !== undefined) return requireText(facts.deliberateReason, 'deliberateReason');
  const repeated = repeatsOf(facts, listed)[0];
  if (repeated) {
    throw refused(
      'DuplicateClaim',
      `claim ${repeated.claimId} already asks for regime ${facts.regimeId} on ${facts.serviceDate} for the same amount; mark it deliberate with a reason to record it again`,
      'serviceDate',
    );
  }
}

function requireApprover(state: Exclude<Claim, { status: 'none' }>, by: string): void {
  requireText(by, 'by');
  if (by === state.facts.requestedBy) throw refused('ApprovingOwnRequest', `${by} requested claim ${state.facts.claimId} and cannot also decide it`);
}

function approved(assessment: ClaimAssessment, approval: Pick<ClaimApproval, 'amount' | 'approvedBy' | 'partial' | 'overCap' | 'overCapReason'>): ClaimEvent {
  const { asked: _asked, remainingBefore: _remaining, ...rest } = assessment;
  if (approval.amount <= 0) throw refused('NothingOwed', 'the claim is worth nothing under the policy in force on its service date');
  return { type: 'ClaimApproved', data: { ...rest, ...approval } };
}

/** Refusals that mean the claim is worth nothing now (rather than a fault in the request). */
const NOTHING_OWED_NOW: readonly string[] = [
  'NoPolicyInForce',
  'RegimeNotInPolicy',
  'RegimeNotForGroup',
  'NotABeneficiary',
  'UnknownBeneficiary',
  'NotABeneficiaryOnServiceDate',
  'DeceasedBeforeServiceDate',
];

/** What an approved claim stands at now: its approval, as the latest adjustment left it. */
function standing(state: Exclude<Claim, { status: 'none' }>): ClaimAdjustmentData['previous'] {
  const adjustments = state.adjustments ?? [];
  const approval = state.approval!;
  return adjustments.length > 0
    ? adjustments[adjustments.length - 1].next
    : { amount: approval.amount, group: approval.group, policyVersionId: approval.policyVersionId };
}

/** The approved claim assessed again under what is known now; undefined when it would be owed nothing now. */
function reassessed(state: Exclude<Claim, { status: 'none' }>, context: ClaimContext): ClaimAdjustmentData['next'] | undefined {
  try {
    const assessed = assessClaim(state.facts, context, { recomputing: true });
    return {
      amount: assessed.amount,
      ...(assessed.group ? { group: assessed.group } : {}),
      policyVersionId: assessed.policyVersionId,
      clause: assessed.clause,
      basis: assessed.basis,
    };
  } catch (error) {
    if (!RuleViolated.is(error) || !NOTHING_OWED_NOW.includes(error.rule)) throw error;
    return undefined;
  }
}

/** The claim's next adjustment: from what it stands at `now` to `next`, for the difference. */
function adjustmentOf(
  state: Exclude<Claim, { status: 'none' }>,
  cause: AdjustmentCause,
  now: ClaimAdjustmentData['previous'],
  next: ClaimAdjustmentData['next'],
  by: string,
): Extract<ClaimEvent, { type: 'AdjustmentEntitled' }> {
  const { claimId, regimeId, serviceDate } = state.facts;
  return {
    type: 'AdjustmentEntitled',
    data: {
      adjustmentId: `${claimId}-${(state.adjustments ?? []).length + 1}`,
      regimeId,
      cause,
      corrects: { claimId, regimeId, payoutId: payoutIdFor({ kind: 'claim', id: claimId }, regimeId) },
      serviceDate,
      previous: { amount: now.amount, ...(now.group ? { group: now.group } : {}), policyVersionId: now.policyVersionId },
      next,
      difference: next.amount - now.amount,
      recordedBy: by,
    },
  };
}

/**
 * An approved claim re-assessed under what is known now: an adjustment when its amount, or the
 * group it counts under, changed. A claim against an annual cap (special drugs) was weighed
 * against the cap by the council and the approvers: it is only flagged for the council when the
 * cap it now falls under is lower. Staff allowances belong to no group.
 */
function recomputeClaim(state: Exclude<Claim, { status: 'none' }>, cause: AdjustmentCause, by: string, context: ClaimContext): ClaimEvent[] {
  const approval = state.approval;
  if (state.status !== 'approved' || !approval || state.facts.staff) return [];
  if (approval.limit?.cap !== undefined) return flagOverLoweredCap(state, approval.limit.cap, cause, by, context);
  const now = standing(state);
  const next = reassessed(state, context) ?? { ...now, amount: 0, clause: '' };
  if (next.amount === now.amount && (next.amount === 0 || next.group === now.group)) return [];
  return [adjustmentOf(state, cause, now, next, by)];
}

/**
 * Flags an approved special-drug claim when the cap on its service date is now lower than the one
 * it was last weighed against (at approval, or by the council's last flag) and more of it lies
 * beyond. A raised or unchanged cap flags nothing.
 */
function flagOverLoweredCap(
  state: Exclude<Claim, { status: 'none' }>,
  approvedCap: number,
  cause: AdjustmentCause,
  by: string,
  context: ClaimContext,
): ClaimEvent[] {
  const flags = state.capFlags ?? [];
  const now = standing(state);
  const found = reassessed(state, context);
  const cap = { previous: flags.length > 0 ? flags[flags.length - 1].cap.next : approvedCap, next: found?.basis ?? 0 };
  const { claimId, beneficiaryId, regimeId, serviceDate } = state.facts;
  const claim: CappedClaim = { claimId, serviceDate, amount: now.amount };
  const excess = beyondCap(claim, context.yearClaims, cap.next) - beyondCap(claim, context.yearClaims, cap.previous);
  if (excess <= 0) return [];
  return [
    {
      type: 'ClaimOverLoweredCapFlagged',
      data: {
        flagId: `${claimId}-cap-${flags.length + 1}`,
        cause,
        beneficiaryId: beneficiaryId!,
        regimeId,
        serviceDate,
        amount: now.amount,
        cap,
        excess,
        policyVersionId: found?.policyVersionId ?? now.policyVersionId,
        clause: found?.clause ?? '',
        recordedBy: by,
      },
    },
  ];
}

/** The council keeps a flagged claim, or reduces it by the flag's excess through an adjustment. */
function decideOnFlag(
  state: Exclude<Claim, { status: 'none' }>,
  command: Extract<ClaimCommand, { type: 'KeepClaimOverLoweredCap' | 'ReduceClaimToLoweredCap' }>,
): ClaimEvent[] {
  const { flagId, reason, by } = command.data;
  const flag = (state.capFlags ?? []).find((candidate) => candidate.flagId === flagId);
  if (!flag) throw refused('NoSuchFlag', `claim ${state.facts.claimId} has no flag ${flagId} for the council`, 'flagId');
  if (flag.decision) throw refused('FlagAlreadyDecided', `flag ${flagId} was already decided: ${flag.decision.outcome} by ${flag.decision.by}`, 'flagId');
  requireApprover(state, by);
  requireText(reason, 'reason');
  if (command.type === 'KeepClaimOverLoweredCap') return [{ type: 'ClaimOverLoweredCapKept', data: { flagId, reason, by } }];
  const now = standing(state);
  const reduction = adjustmentOf(
    state,
    flag.cause,
    now,
    {
      amount: now.amount - flag.excess,
      ...(now.group ? { group: now.group } : {}),
      policyVersionId: flag.policyVersionId,
      clause: flag.clause,
      basis: flag.cap.next,
    },
    by,
  );
  return [{ type: 'ClaimReducedToLoweredCap', data: { flagId, reason, by, adjustmentId: reduction.data.adjustmentId } }, reduction];
}

/** An approved claim against an annual cap as it holds part of its year's cap now; undefined for any other. */
export function cappedClaimOf(state: Claim): CappedClaim | undefined {
  if (state.status !== 'approved' || state.approval?.limit?.cap === undefined) return undefined;
  return { claimId: state.facts.claimId, serviceDate: state.facts.serviceDate, amount: standing(state).amount };
}

export function evolve(state: Claim, event: ClaimEvent): Claim {
  switch (event.type) {
    case 'ClaimRequested':
      return { status: 'requested', facts: event.data };
    case 'OverCapApprovalProposed':
      return state.status === 'none' ? state : { ...state, overCapProposal: event.data };
    case 'ClaimApproved':
      return state.status === 'none' ? state : { ...state, status: 'approved', approval: event.data };
    case 'ClaimRejected':
      return state.status === 'none' ? state : { ...state, status: 'rejected' };
    case 'AdjustmentEntitled':
      return state.status === 'none' ? state : { ...state, adjustments: [...(state.adjustments ?? []), event.data] };
    case 'AdjustmentsApproved':
      return state.status === 'none'
        ? state
        : {
            ...state,
            adjustments: (state.adjustments ?? []).map((adjustment) =>
              event.data.adjustmentIds.includes(adjustment.adjustmentId) ? { ...adjustment, approvedBy: event.data.by } : adjustment,
            ),
          };
    case 'ClaimOverLoweredCapFlagged':
      return state.status === 'none' ? state : { ...state, capFlags: [...(state.capFlags ?? []), event.data] };
    case 'ClaimOverLoweredCapKept':
    case 'ClaimReducedToLoweredCap': {
      if (state.status === 'none') return state;
      const { flagId, reason, by } = event.data;
      const decision = { outcome: event.type === 'ClaimOverLoweredCapKept' ? ('kept' as const) : ('reduced' as const), reason, by };
      return { ...state, capFlags: (state.capFlags ?? []).map((flag) => (flag.flagId === flagId ? { ...flag, decision } : flag)) };
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decide(command: ClaimCommand, state: Claim, context: ClaimContext): ClaimEvent[] {
  if (command.type === 'RequestClaim') {
    if (state.status !== 'none') throw refused('AlreadyRequested', `claim ${state.facts.claimId} is already requested`);
    const facts = command.data;
    for (const field of ['claimId', 'regimeId', 'requestedBy'] as const) requireText(facts[field], field);
    requireDate(facts.serviceDate, 'serviceDate');
    requireNotAfterToday(facts.serviceDate, 'serviceDate', context.today);
    if (facts.until !== undefined) {
      requireDate(facts.until, 'until');
      requireNotAfterToday(facts.until, 'until', context.today);
    }
    if (facts.documents !== undefined) {
      if (!Array.isArray(facts.documents) || facts.documents.length > MAX_DOCUMENTS)
        throw refused('InvalidInput', `documents must list at most ${MAX_DOCUMENTS} reference numbers`, 'documents');
      facts.documents.forEach((reference, index) => requireText(reference, `documents.${index}`));
    }
    assessClaim(facts, context);
    requireDeliberateIfRepeated(facts, context.listedClaims);
    return [{ type: 'ClaimRequested', data: facts }];
  }
  if (state.status === 'none') throw refused('NoSuchClaim', 'no such claim');
  if (command.type === 'RecomputeEntitlements') {
    requireText(command.data.by, 'by');
    requireText(command.data.cause.id, 'cause.id');
    return recomputeClaim(state, command.data.cause, command.data.by, context);
  }
  if (command.type === 'ApproveAdjustments') {
    requireText(command.data.by, 'by');
    const pending = (state.adjustments ?? []).filter((adjustment) => !adjustment.approvedBy);
    if (pending.length === 0) throw refused('NoAdjustmentPending', `claim ${state.facts.claimId} has no adjustment awaiting approval`);
    if (pending.some((adjustment) => adjustment.recordedBy === command.data.by))
      throw refused('ApprovingOwnRequest', `${command.data.by} recorded these adjustments and cannot also approve them`);
    return [{ type: 'AdjustmentsApproved', data: { adjustmentIds: pending.map((adjustment) => adjustment.adjustmentId), by: command.data.by } }];
  }
  if (command.type === 'KeepClaimOverLoweredCap' || command.type === 'ReduceClaimToLoweredCap') return decideOnFlag(state, command);
  if (state.status !== 'requested') throw refused('AlreadyDecided', `claim ${state.facts.claimId} is already ${state.status}`);

  switch (command.type) {
    case 'ApproveClaim': {
      requireApprover(state, command.data.by);
      const assessment = assessClaim(state.facts, context);
      if (assessment.remainingBefore !== undefined && assessment.asked > assessment.remainingBefore) {
        throw refused(
          'AnnualCapExceeded',
          `${assessment.asked} VND exceeds the ${assessment.remainingBefore} VND left of the annual cap: approve the remainder in part, or over the cap with a reason and a second approver`,
        );
      }
      return [approved(assessment, { amount: assessment.amount, approvedBy: [command.data.by], partial: false, overCap: 0 })];
    }
    case 'PartlyApproveClaim': {
      requireApprover(state, command.data.by);
      const assessment = assessClaim(state.facts, context);
      if (assessment.remainingBefore === undefined) throw refused('NotCappedRegime', `regime ${state.facts.regimeId} has no annual cap to approve up to`);
      if (assessment.remainingBefore === 0) throw refused('AnnualCapExhausted', 'nothing is left of the annual cap this year');
      return [approved(assessment, { amount: assessment.amount, approvedBy: [command.data.by], partial: assessment.amount < assessment.asked, overCap: 0 })];
    }
    case 'ProposeOverCapApproval': {
      requireApprover(state, command.data.by);
      requireText(command.data.reason, 'reason');
      const assessment = assessClaim(state.facts, context);
      if (assessment.remainingBefore === undefined) throw refused('NotCappedRegime', `regime ${state.facts.regimeId} has no annual cap to go over`);
      if (assessment.asked <= assessment.remainingBefore) throw refused('WithinAnnualCap', 'the claim fits in the annual cap: approve it normally');
      return [{ type: 'OverCapApprovalProposed', data: command.data }];
    }
    case 'ConfirmOverCapApproval': {
      requireApprover(state, command.data.by);
      const proposal = state.overCapProposal;
      if (!proposal) throw refused('NoOverCapProposal', 'an approval over the annual cap must first be proposed with a reason');
      if (proposal.by === command.data.by) throw refused('SecondApproverRequired', `${proposal.by} proposed this exception; a second approver must confirm it`);
      const assessment = assessClaim(state.facts, context);
      const overCap = Math.max(0, assessment.asked - (assessment.remainingBefore ?? assessment.asked));
      return [
        approved(assessment, { amount: assessment.asked, approvedBy: [proposal.by, command.data.by], partial: false, overCap, overCapReason: proposal.reason }),
      ];
    }
    case 'RejectClaim':
      requireApprover(state, command.data.by);
      requireText(command.data.reason, 'reason');
      return [{ type: 'ClaimRejected', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
