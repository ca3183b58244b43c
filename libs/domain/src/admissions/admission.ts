import { type Card, initialCard, requirePresentedCard } from '../cards/card.js';
import { payoutIdFor } from '../payouts/payout.js';
import { type DailySegment, dailyAllowanceFor, fixedAmountFor, segmentTotals, yearOf } from '../policy/entitlement.js';
import type { BeneficiaryGroup, PolicyVersion } from '../policy/policy-version.js';
import { requireDate, requireNotAfterToday, requireStay, requireText, RuleViolated } from '../rule-violated.js';

/**
 * An inpatient stay. On discharge the visit allowance (regime a, once, on the admission date) and
 * the meal allowance (regime b, per calendar day) become entitled, each under the policy in force
 * and the group held on the service dates; a stay across a change is split by day, and its meals
 * are counted and paid per calendar year (`mealYears`). An approver
 * other than the clerks who recorded the stay then approves or rejects the allowances; until
 * then the dates can be corrected, which entitles the allowances afresh.
 */
export type VisitAllowance = {
  readonly serviceDate: string;
  readonly group: BeneficiaryGroup;
  readonly amount: number;
  readonly policyVersionId: string;
  readonly clause: string;
};
export type MealAllowance = {
  readonly amount: number;
  readonly days: number;
  readonly segments: readonly DailySegment[];
  /**
   * Counted and paid per calendar year, as meals are entitled since schema version 2 of
   * `MealAllowanceEntitled`. Meals entitled before were counted whole in the discharge year and
   * paid by one payout; such a stay stays so (its payout may be paid already, and adjustments
   * correct that payout) until its meals are entitled afresh.
   */
  readonly byYear?: true;
};

/**
 * One calendar year's part of a stay's meals, counted in that year and paid by a payout of its
 * own: the discharge year's dated the discharge, a year before it dated 31 December. Meals not
 * counted by year are one part, in the discharge year.
 */
export interface MealYear {
  readonly year: number;
  readonly serviceDate: string;
  readonly payoutId: string;
  readonly amount: number;
  readonly days: number;
  readonly segments: readonly DailySegment[];
}

/** The parts a discharged stay's meals are paid in, earliest year first. */
export function mealYears(stay: { readonly admissionId: string; readonly dischargedOn?: string; readonly meals?: MealAllowance }): MealYear[] {
  const { admissionId, dischargedOn, meals } = stay;
  if (!meals || dischargedOn === undefined) return [];
  const dischargeYear = yearOf(dischargedOn);
  const part = (year: number, totals: { amount: number; days: number }, segments: readonly DailySegment[]): MealYear => ({
    year,
    serviceDate: year === dischargeYear ? dischargedOn : `${year}-12-31`,
    payoutId: payoutIdFor({ kind: 'admission', id: admissionId }, 'b', year === dischargeYear ? undefined : year),
    ...totals,
    segments,
  });
  if (!meals.byYear) return [part(dischargeYear, meals, meals.segments)];
  return [...new Set(meals.segments.map((segment) => yearOf(segment.from)))].map((year) => {
    const segments = meals.segments.filter((segment) => yearOf(segment.from) === year);
    return part(year, segmentTotals(segments), segments);
  });
}

/** A stay's meals once an adjustment of the part of `year` takes effect: that year's days as the adjustment has them, the other years' as they were. */
export function mealsAdjusted(
  meals: MealAllowance | undefined,
  year: number,
  part: { readonly amount: number; readonly days?: number; readonly segments?: readonly DailySegment[] },
): MealAllowance {
  if (!meals?.byYear) return { amount: part.amount, days: part.days ?? 0, segments: part.segments ?? [] };
  const segments = [...meals.segments.filter((segment) => yearOf(segment.from) !== year), ...(part.segments ?? [])].sort((a, b) =>
    a.from.localeCompare(b.from),
  );
  return { ...segmentTotals(segments), segments, byYear: true };
}

/**
 * What made the office look at the past again: a policy version with past effect, a
 * reorganization plan, or a change to the register with past effect (a removal or a death
 * recorded late), whose id names the beneficiary, the change and its date.
 */
export interface AdjustmentCause {
  readonly kind: 'policy-version' | 'reorganization-plan' | 'register-change';
  readonly id: string;
}

/** One regime's entitlement of a stay, before or after an adjustment: the amount and the group it counts under. */
export interface EntitlementFigure {
  readonly amount: number;
  /** The group on the payout's date: the admission date for visits, the first day of the year's part for meals. */
  readonly group: BeneficiaryGroup;
  readonly policyVersionId: string;
}

/**
 * A top-up (positive difference) or recovery (negative) of an approved stay's allowance,
 * recomputed from what is known now. It corrects `corrects` (the regime's entitlement of this
 * stay, paid as payout `corrects.payoutId`; for meals counted by year, one year's part, whose days
 * and segments `next` holds) and goes through approval and payout like the first.
 */
export interface AdjustmentEntitledData {
  readonly adjustmentId: string;
  readonly regimeId: 'a' | 'b';
  readonly cause: AdjustmentCause;
  readonly corrects: { readonly admissionId: string; readonly regimeId: 'a' | 'b'; readonly payoutId: string };
  readonly serviceDate: string;
  readonly previous: EntitlementFigure;
  readonly next: EntitlementFigure & { readonly clause: string; readonly days?: number; readonly segments?: readonly DailySegment[] };
  readonly difference: number;
  readonly recordedBy: string;
}

export type AdmissionEvent =
  | {
      readonly type: 'AdmissionRecorded';
      readonly data: {
        readonly admissionId: string;
        readonly beneficiaryId: string;
        /** The health card used; named since schema version 3, unknown for stays recorded before. */
        readonly cardNumber?: string;
        readonly facility: string;
        readonly admittedOn: string;
        readonly recordedBy: string;
        /** Why the clerk records it although it overlaps another stay of the beneficiary (see `OverlappingStay`). */
        readonly deliberateReason?: string;
      };
    }
  | { readonly type: 'DischargeRecorded'; readonly data: { readonly dischargedOn: string; readonly recordedBy: string } }
  | {
      readonly type: 'AdmissionDatesCorrected';
      readonly data: { readonly admittedOn: string; readonly dischargedOn: string; readonly reason: string; readonly recordedBy: string };
    }
  | { readonly type: 'VisitAllowanceEntitled'; readonly data: VisitAllowance }
  | { readonly type: 'MealAllowanceEntitled'; readonly data: MealAllowance }
  | { readonly type: 'AdmissionAllowancesApproved'; readonly data: { readonly by: string; readonly visit: number; readonly meals: number } }
  | { readonly type: 'AdmissionAllowancesRejected'; readonly data: { readonly by: string; readonly reason: string } }
  | { readonly type: 'AdjustmentEntitled'; readonly data: AdjustmentEntitledData }
  | { readonly type: 'AdjustmentsApproved'; readonly data: { readonly adjustmentIds: readonly string[]; readonly by: string } };

export type AdmissionCommand =
  | { readonly type: 'RecordAdmission'; readonly data: Extract<AdmissionEvent, { type: 'AdmissionRecorded' }>['data'] }
  | { readonly type: 'RecordDischarge'; readonly data: { readonly dischargedOn: string; readonly by: string } }
  | {
      readonly type: 'CorrectAdmissionDates';
      readonly data: { readonly admittedOn: string; readonly dischargedOn: string; readonly reason: string; readonly by: string };
    }
  | { readonly type: 'ApproveAdmissionAllowances'; readonly data: { readonly by: string } }
  | { readonly type: 'RejectAdmissionAllowances'; readonly data: { readonly by: string; readonly reason: string } }
  | { readonly type: 'RecomputeEntitlements'; readonly data: { readonly cause: AdjustmentCause; readonly by: string } }
  | { readonly type: 'ApproveAdjustments'; readonly data: { readonly by: string } };

export type Admission =
  | { readonly status: 'none' }
  | {
      readonly status: 'admitted' | 'discharged' | 'approved' | 'rejected';
      readonly admissionId: string;
      readonly beneficiaryId: string;
      readonly admittedOn: string;
      readonly dischargedOn?: string;
      /** Who recorded the stay's facts; none of them may approve its allowances. */
      readonly recordedBy: readonly string[];
      /** Recorded although it overlaps another stay, with the clerk's reason: its discharge and corrections may overlap too. */
      readonly deliberate?: boolean;
      /** What the stay is entitled to now: the first entitlement, or the latest adjustment's result. */
      readonly visit?: VisitAllowance;
      readonly meals?: MealAllowance;
      readonly adjustments: readonly (AdjustmentEntitledData & { readonly approvedBy?: string })[];
      /** The allowances as approved, which their payouts pay; adjustments pay any later difference. */
      readonly approved?: { readonly visit?: VisitAllowance; readonly meals?: MealAllowance };
    };

export const initialAdmission: Admission = { status: 'none' };

export function admissionStreamId(admissionId: string): string {
  return `admission-${admissionId}`;
}

/** Another stay of the same beneficiary, as far as it is known: one not yet discharged runs on. */
export interface StaySpan {
  readonly admissionId: string;
  readonly admittedOn: string;
  readonly dischargedOn?: string;
}

/** What the decision needs to know beyond the stream. */
export interface AdmissionContext {
  readonly policyOn: (date: string) => PolicyVersion | undefined;
  readonly groupOn: (date: string) => BeneficiaryGroup | undefined;
  /** The day it is in the province: no stay is recorded with dates still to come. */
  readonly today: string;
  /** Recording only: the state of the card the admission names. */
  readonly card?: Card;
  /** Recording, discharge and date corrections: the beneficiary's other stays, not rejected. */
  readonly otherStays?: readonly StaySpan[];
}

/** Whether two stays share a day; a stay not yet discharged is open-ended. */
export function staysOverlap(one: Omit<StaySpan, 'admissionId'>, other: Omit<StaySpan, 'admissionId'>): boolean {
  return (one.dischargedOn === undefined || other.admittedOn <= one.dischargedOn) && (other.dischargedOn === undefined || one.admittedOn <= other.dischargedOn);
}

export type AdmissionRule =
  | 'AlreadyRecorded'
  | 'NotAdmitted'
  | 'NotDischarged'
  | 'AlreadyDischarged'
  | 'DischargeBeforeAdmission'
  | 'NotABeneficiaryOnAdmission'
  | 'CardNotValidOnServiceDate'
  | 'DateInFuture'
  | 'OverlappingStay'
  | 'AllowancesAlreadyDecided'
  | 'NoAllowanceEntitled'
  | 'ApprovingOwnRequest'
  | 'NoAdjustmentPending'
  | 'InvalidInput';

export function evolve(state: Admission, event: AdmissionEvent): Admission {
  if (event.type === 'AdmissionRecorded') {
    const { admissionId, beneficiaryId, admittedOn, recordedBy, deliberateReason } = event.data;
    return {
      status: 'admitted',
      admissionId,
      beneficiaryId,
      admittedOn,
      recordedBy: [recordedBy],
      adjustments: [],
      ...(deliberateReason === undefined ? {} : { deliberate: true }),
    };
  }
  if (state.status === 'none') return state;
  const recordedBy = (by: string) => (state.recordedBy.includes(by) ? state.recordedBy : [...state.recordedBy, by]);
  switch (event.type) {
    case 'DischargeRecorded':
      return { ...state, status: 'discharged', dischargedOn: event.data.dischargedOn, recordedBy: recordedBy(event.data.recordedBy) };
    case 'AdmissionDatesCorrected': {
      const { visit: _visit, meals: _meals, ...rest } = state;
      return { ...rest, admittedOn: event.data.admittedOn, dischargedOn: event.data.dischargedOn, recordedBy: recordedBy(event.data.recordedBy) };
    }
    case 'VisitAllowanceEntitled':
      return { ...state, visit: event.data };
    case 'MealAllowanceEntitled':
      return { ...state, meals: event.data };
    case 'AdmissionAllowancesApproved':
      return { ...state, status: 'approved', approved: { ...(state.visit ? { visit: state.visit } : {}), ...(state.meals ? { meals: state.meals } : {}) } };
    case 'AdmissionAllowancesRejected':
      return { ...state, status: 'rejected' };
    case 'AdjustmentEntitled': {
      const { next, regimeId } = event.data;
      const adjustments = [...state.adjustments, event.data];
      if (regimeId === 'a') {
        const visit = {
          serviceDate: event.data.serviceDate,
          group: next.group,
          amount: next.amount,
          policyVersionId: next.policyVersionId,
          clause: next.clause,
        };
        return { ...state, visit, adjustments };
      }
      return { ...state, meals: mealsAdjusted(state.meals, yearOf(event.data.serviceDate), next), adjustments };
    }
    case 'AdjustmentsApproved':
      return {
        ...state,
        adjustments: state.adjustments.map((adjustment) =>
          event.data.adjustmentIds.includes(adjustment.adjustmentId) ? { ...adjustment, approvedBy: event.data.by } : adjustment,
        ),
      };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The allowances a stay from `admittedOn` to `dischargedOn` is entitled to under `context`. */
export function stayEntitlements(admittedOn: string, dischargedOn: string, context: AdmissionContext): { visit?: VisitAllowance; meals?: MealAllowance } {
  const group = context.groupOn(admittedOn);
  const visit = group === undefined ? undefined : fixedAmountFor(context.policyOn(admittedOn), 'a', group);
  const meals = dailyAllowanceFor('b', admittedOn, dischargedOn, context.policyOn, context.groupOn);
  return {
    ...(visit?.entitled
      ? { visit: { serviceDate: admittedOn, group: group!, amount: visit.amount, policyVersionId: visit.policyVersionId, clause: visit.clause } }
      : {}),
    ...(meals.days > 0 ? { meals: { amount: meals.amount, days: meals.days, segments: meals.segments, byYear: true } } : {}),
  };
}

function entitlements(admittedOn: string, dischargedOn: string, context: AdmissionContext): AdmissionEvent[] {
  const { visit, meals } = stayEntitlements(admittedOn, dischargedOn, context);
  return [
    ...(visit ? [{ type: 'VisitAllowanceEntitled', data: visit } as const] : []),
    ...(meals ? [{ type: 'MealAllowanceEntitled', data: meals } as const] : []),
  ];
}

const figureOfVisit = (visit: VisitAllowance | undefined): EntitlementFigure | undefined =>
  visit && { amount: visit.amount, group: visit.group, policyVersionId: visit.policyVersionId };
const figureOfMeals = (part: MealYear | undefined): EntitlementFigure | undefined =>
  part && part.segments[0] ? { amount: part.amount, group: part.segments[0].group, policyVersionId: part.segments[0].policyVersionId } : undefined;

/**
 * What an approved stay's allowances become when recomputed under what is known now (policy
 * versions, groups): an adjustment per regime, and for meals per year's part, whose amount, group
 * or rule changed. A stay not yet approved is entitled afresh instead; a rejected one owes nothing
 * either way.
 */
function recompute(state: Exclude<Admission, { status: 'none' }>, cause: AdjustmentCause, by: string, context: AdmissionContext): AdmissionEvent[] {
  if (state.status !== 'approved' && state.status !== 'discharged') return [];
  const now = stayEntitlements(state.admittedOn, state.dischargedOn!, context);
  // Only money or the group it counts under matter: a new version restating the same rate changes nothing owed, and nothing owed has no group.
  const same = (a: EntitlementFigure | undefined, b: EntitlementFigure | undefined) =>
    (a?.amount ?? 0) === (b?.amount ?? 0) && ((a?.amount ?? 0) === 0 || a?.group === b?.group);
  // The meals now, in the parts the stay's meals are paid in: whole for a stay whose meals were entitled before they were counted by year.
  const mealsNow =
    now.meals && state.meals && !state.meals.byYear ? { amount: now.meals.amount, days: now.meals.days, segments: now.meals.segments } : now.meals;
  const mealsBefore = mealYears(state);
  const mealsAfter = mealYears({ ...state, meals: mealsNow });
  const years = [...new Set([...mealsBefore, ...mealsAfter].map((part) => part.year))].sort((a, b) => a - b);
  const partOf = (parts: readonly MealYear[], year: number) => parts.find((part) => part.year === year);
  if (state.status === 'discharged') {
    const events: AdmissionEvent[] = [];
    if (!same(figureOfVisit(state.visit), figureOfVisit(now.visit)) && now.visit) events.push({ type: 'VisitAllowanceEntitled', data: now.visit });
    if (years.some((year) => !same(figureOfMeals(partOf(mealsBefore, year)), figureOfMeals(partOf(mealsAfter, year)))) && now.meals)
      events.push({ type: 'MealAllowanceEntitled', data: now.meals });
    return events;
  }
  const events: AdmissionEvent[] = [];
  const regimes = [
    {
      regimeId: 'a' as const,
      before: figureOfVisit(state.visit),
      after: now.visit && { ...figureOfVisit(now.visit)!, clause: now.visit.clause },
      serviceDate: state.admittedOn,
      payoutId: payoutIdFor({ kind: 'admission', id: state.admissionId }, 'a'),
    },
    // Meal days newly covered in a year the stay was paid no meals for are a part of their own, first paid by the adjustment.
    ...(state.meals ? years : []).map((year) => {
      const [was, is] = [partOf(mealsBefore, year), partOf(mealsAfter, year)];
      return {
        regimeId: 'b' as const,
        before: figureOfMeals(was) ?? { ...figureOfMeals(is)!, amount: 0 },
        after: is && { ...figureOfMeals(is)!, clause: is.segments[0].clause, days: is.days, segments: is.segments },
        serviceDate: (was ?? is)!.serviceDate,
        payoutId: (was ?? is)!.payoutId,
      };
    }),
  ];
  for (const { regimeId, before, after, serviceDate, payoutId } of regimes) {
    // A regime the stay was never entitled to has no payout to correct: nothing to adjust.
    if (!before || same(before, after)) continue;
    const next = after ?? { ...before, amount: 0, clause: '' };
    events.push({
      type: 'AdjustmentEntitled',
      data: {
        adjustmentId: `${state.admissionId}-${regimeId}-${state.adjustments.length + events.length + 1}`,
        regimeId,
        cause,
        corrects: { admissionId: state.admissionId, regimeId, payoutId },
        serviceDate,
        previous: before,
        next,
        difference: next.amount - before.amount,
        recordedBy: by,
      },
    });
  }
  return events;
}

function requireStayDates(admittedOn: string, dischargedOn: string, beneficiaryId: string, context: AdmissionContext): void {
  requireDate(admittedOn, 'admittedOn');
  requireDate(dischargedOn, 'dischargedOn');
  requireNotAfterToday(admittedOn, 'admittedOn', context.today);
  requireNotAfterToday(dischargedOn, 'dischargedOn', context.today);
  requireStay(admittedOn, dischargedOn, 'dischargedOn', 'DischargeBeforeAdmission');
  if (context.groupOn(admittedOn) === undefined) {
    throw new RuleViolated<AdmissionRule>('NotABeneficiaryOnAdmission', `beneficiary ${beneficiaryId} held no group on ${admittedOn}`, 'admittedOn');
  }
}

/**
 * A stay overlapping another of the beneficiary's is refused, unless the clerk said why it is
 * meant (a transfer between hospitals, say) when recording it. What is known of the stay is
 * checked: on admission its first day only (stays are often entered late and out of order, so a
 * stay recorded before a later one is fine until its discharge says otherwise), then the whole
 * stay at its discharge and at every correction of its dates.
 */
function requireNoOverlap(span: Omit<StaySpan, 'admissionId'>, otherStays: readonly StaySpan[] | undefined, field: string): void {
  const overlapped = otherStays?.find((other) => staysOverlap(span, other));
  if (overlapped) {
    const until = overlapped.dischargedOn ?? 'not yet discharged';
    throw new RuleViolated<AdmissionRule>(
      'OverlappingStay',
      `the stay overlaps admission ${overlapped.admissionId} (${overlapped.admittedOn} to ${until}); record it as deliberate, with a reason, if it is meant`,
      field,
    );
  }
}

export function decide(command: AdmissionCommand, state: Admission, context: AdmissionContext): AdmissionEvent[] {
  if (command.type === 'RecordAdmission') {
    const data = command.data;
    if (state.status !== 'none') throw new RuleViolated<AdmissionRule>('AlreadyRecorded', `admission ${state.admissionId} is already recorded`);
    for (const field of ['admissionId', 'beneficiaryId', 'cardNumber', 'facility', 'recordedBy'] as const) requireText(data[field], field);
    requireDate(data.admittedOn, 'admittedOn');
    requireNotAfterToday(data.admittedOn, 'admittedOn', context.today);
    if (context.groupOn(data.admittedOn) === undefined) {
      throw new RuleViolated<AdmissionRule>(
        'NotABeneficiaryOnAdmission',
        `beneficiary ${data.beneficiaryId} held no group on ${data.admittedOn}`,
        'admittedOn',
      );
    }
    requirePresentedCard(
      context.card ?? initialCard,
      { cardNumber: data.cardNumber, beneficiaryId: data.beneficiaryId, date: data.admittedOn },
      'CardNotValidOnServiceDate',
    );
    if (data.deliberateReason !== undefined) requireText(data.deliberateReason, 'deliberateReason');
    else requireNoOverlap({ admittedOn: data.admittedOn, dischargedOn: data.admittedOn }, context.otherStays, 'admittedOn');
    return [{ type: 'AdmissionRecorded', data }];
  }
  if (state.status === 'none') throw new RuleViolated<AdmissionRule>('NotAdmitted', 'no such admission');
  requireText(command.data.by, 'by');
  if (command.type === 'RecomputeEntitlements') {
    requireText(command.data.cause.id, 'cause.id');
    return recompute(state, command.data.cause, command.data.by, context);
  }
  if (command.type === 'ApproveAdjustments') {
    const pending = state.adjustments.filter((adjustment) => !adjustment.approvedBy);
    if (pending.length === 0)
      throw new RuleViolated<AdmissionRule>('NoAdjustmentPending', `admission ${state.admissionId} has no adjustment awaiting approval`);
    if (pending.some((adjustment) => adjustment.recordedBy === command.data.by)) {
      throw new RuleViolated<AdmissionRule>('ApprovingOwnRequest', `${command.data.by} recorded these adjustments and cannot also approve them`);
    }
    return [{ type: 'AdjustmentsApproved', data: { adjustmentIds: pending.map((adjustment) => adjustment.adjustmentId), by: command.data.by } }];
  }
  if (state.status === 'approved' || state.status === 'rejected') {
    throw new RuleViolated<AdmissionRule>('AllowancesAlreadyDecided', `the allowances of admission ${state.admissionId} are already ${state.status}`);
  }

  switch (command.type) {
    case 'RecordDischarge': {
      const { dischargedOn, by } = command.data;
      if (state.status === 'discharged') {
        if (state.dischargedOn === dischargedOn) return [];
        throw new RuleViolated<AdmissionRule>(
          'AlreadyDischarged',
          `admission ${state.admissionId} was discharged on ${state.dischargedOn}; correct the dates instead`,
        );
      }
      requireStayDates(state.admittedOn, dischargedOn, state.beneficiaryId, context);
      if (!state.deliberate) requireNoOverlap({ admittedOn: state.admittedOn, dischargedOn }, context.otherStays, 'dischargedOn');
      return [{ type: 'DischargeRecorded', data: { dischargedOn, recordedBy: by } }, ...entitlements(state.admittedOn, dischargedOn, context)];
    }
    case 'CorrectAdmissionDates': {
      const { admittedOn, dischargedOn, reason, by } = command.data;
      if (state.status !== 'discharged')
        throw new RuleViolated<AdmissionRule>('NotDischarged', 'dates are corrected once the stay is discharged; record the discharge first');
      requireText(reason, 'reason');
      requireStayDates(admittedOn, dischargedOn, state.beneficiaryId, context);
      if (admittedOn === state.admittedOn && dischargedOn === state.dischargedOn) return [];
      if (!state.deliberate)
        requireNoOverlap({ admittedOn, dischargedOn }, context.otherStays, admittedOn === state.admittedOn ? 'dischargedOn' : 'admittedOn');
      return [
        { type: 'AdmissionDatesCorrected', data: { admittedOn, dischargedOn, reason, recordedBy: by } },
        ...entitlements(admittedOn, dischargedOn, context),
      ];
    }
    case 'ApproveAdmissionAllowances':
    case 'RejectAdmissionAllowances': {
      if (state.status !== 'discharged') throw new RuleViolated<AdmissionRule>('NotDischarged', 'allowances are decided once the stay is discharged');
      if (state.recordedBy.includes(command.data.by)) {
        throw new RuleViolated<AdmissionRule>('ApprovingOwnRequest', `${command.data.by} recorded this stay and cannot also decide its allowances`);
      }
      if (command.type === 'RejectAdmissionAllowances') {
        requireText(command.data.reason, 'reason');
        return [{ type: 'AdmissionAllowancesRejected', data: command.data }];
      }
      if (!state.visit && !state.meals) throw new RuleViolated<AdmissionRule>('NoAllowanceEntitled', 'the stay is entitled to no allowance');
      return [{ type: 'AdmissionAllowancesApproved', data: { by: command.data.by, visit: state.visit?.amount ?? 0, meals: state.meals?.amount ?? 0 } }];
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
