import { type DailySegment, dailyAllowanceFor, fixedAmountFor } from '../policy/entitlement.js';
import type { BeneficiaryGroup, PolicyVersion } from '../policy/policy-version.js';
import { requireDate, requireStay, requireText, RuleViolated } from '../rule-violated.js';

/**
 * An inpatient stay. On discharge the visit allowance (regime a, once, on the admission date) and
 * the meal allowance (regime b, per calendar day) become entitled, each under the policy in force
 * and the group held on the service dates; a stay across a change is split by day. An approver
 * other than the clerks who recorded the stay then approves or rejects the allowances; until
 * then the dates can be corrected, which entitles the allowances afresh.
 */
export type VisitAllowance = { readonly serviceDate: string; readonly group: BeneficiaryGroup; readonly amount: number; readonly policyVersionId: string; readonly clause: string };
export type MealAllowance = { readonly amount: number; readonly days: number; readonly segments: readonly DailySegment[] };

export type AdmissionEvent =
  | {
      readonly type: 'AdmissionRecorded';
      readonly data: { readonly admissionId: string; readonly beneficiaryId: string; readonly facility: string; readonly admittedOn: string; readonly recordedBy: string };
    }
  | { readonly type: 'DischargeRecorded'; readonly data: { readonly dischargedOn: string; readonly recordedBy: string } }
  | { readonly type: 'AdmissionDatesCorrected'; readonly data: { readonly admittedOn: string; readonly dischargedOn: string; readonly reason: string; readonly recordedBy: string } }
  | { readonly type: 'VisitAllowanceEntitled'; readonly data: VisitAllowance }
  | { readonly type: 'MealAllowanceEntitled'; readonly data: MealAllowance }
  | { readonly type: 'AdmissionAllowancesApproved'; readonly data: { readonly by: string; readonly visit: number; readonly meals: number } }
  | { readonly type: 'AdmissionAllowancesRejected'; readonly data: { readonly by: string; readonly reason: string } };

export type AdmissionCommand =
  | { readonly type: 'RecordAdmission'; readonly data: Extract<AdmissionEvent, { type: 'AdmissionRecorded' }>['data'] }
  | { readonly type: 'RecordDischarge'; readonly data: { readonly dischargedOn: string; readonly by: string } }
  | { readonly type: 'CorrectAdmissionDates'; readonly data: { readonly admittedOn: string; readonly dischargedOn: string; readonly reason: string; readonly by: string } }
  | { readonly type: 'ApproveAdmissionAllowances'; readonly data: { readonly by: string } }
  | { readonly type: 'RejectAdmissionAllowances'; readonly data: { readonly by: string; readonly reason: string } };

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
      readonly visit?: VisitAllowance;
      readonly meals?: MealAllowance;
    };

export const initialAdmission: Admission = { status: 'none' };

export function admissionStreamId(admissionId: string): string {
  return `admission-${admissionId}`;
}

/** What the decision needs to know beyond the stream: policy and classification over time. */
export interface AdmissionContext {
  readonly policyOn: (date: string) => PolicyVersion | undefined;
  readonly groupOn: (date: string) => BeneficiaryGroup | undefined;
}

export type AdmissionRule =
  | 'AlreadyRecorded'
  | 'NotAdmitted'
  | 'NotDischarged'
  | 'AlreadyDischarged'
  | 'DischargeBeforeAdmission'
  | 'NotABeneficiaryOnAdmission'
  | 'AllowancesAlreadyDecided'
  | 'NoAllowanceEntitled'
  | 'ApprovingOwnRequest'
  | 'InvalidInput';

export function evolve(state: Admission, event: AdmissionEvent): Admission {
  if (event.type === 'AdmissionRecorded') {
    const { admissionId, beneficiaryId, admittedOn, recordedBy } = event.data;
    return { status: 'admitted', admissionId, beneficiaryId, admittedOn, recordedBy: [recordedBy] };
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
      return { ...state, status: 'approved' };
    case 'AdmissionAllowancesRejected':
      return { ...state, status: 'rejected' };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The allowances a stay from `admittedOn` to `dischargedOn` is entitled to. */
function entitlements(admittedOn: string, dischargedOn: string, context: AdmissionContext): AdmissionEvent[] {
  const events: AdmissionEvent[] = [];
  const group = context.groupOn(admittedOn)!;
  const visit = fixedAmountFor(context.policyOn(admittedOn), 'a', group);
  if (visit.entitled) {
    events.push({ type: 'VisitAllowanceEntitled', data: { serviceDate: admittedOn, group, amount: visit.amount, policyVersionId: visit.policyVersionId, clause: visit.clause } });
  }
  const meals = dailyAllowanceFor('b', admittedOn, dischargedOn, context.policyOn, context.groupOn);
  if (meals.days > 0) events.push({ type: 'MealAllowanceEntitled', data: { amount: meals.amount, days: meals.days, segments: meals.segments } });
  return events;
}

function requireStayDates(admittedOn: string, dischargedOn: string, beneficiaryId: string, context: AdmissionContext): void {
  requireDate(admittedOn, 'admittedOn');
  requireDate(dischargedOn, 'dischargedOn');
  requireStay(admittedOn, dischargedOn, 'dischargedOn', 'DischargeBeforeAdmission');
  if (context.groupOn(admittedOn) === undefined) {
    throw new RuleViolated<AdmissionRule>('NotABeneficiaryOnAdmission', `beneficiary ${beneficiaryId} held no group on ${admittedOn}`, 'admittedOn');
  }
}

export function decide(command: AdmissionCommand, state: Admission, context: AdmissionContext): AdmissionEvent[] {
  if (command.type === 'RecordAdmission') {
    const data = command.data;
    if (state.status !== 'none') throw new RuleViolated<AdmissionRule>('AlreadyRecorded', `admission ${state.admissionId} is already recorded`);
    for (const field of ['admissionId', 'beneficiaryId', 'facility', 'recordedBy'] as const) requireText(data[field], field);
    requireDate(data.admittedOn, 'admittedOn');
    if (context.groupOn(data.admittedOn) === undefined) {
      throw new RuleViolated<AdmissionRule>('NotABeneficiaryOnAdmission', `beneficiary ${data.beneficiaryId} held no group on ${data.admittedOn}`, 'admittedOn');
    }
    return [{ type: 'AdmissionRecorded', data }];
  }
  if (state.status === 'none') throw new RuleViolated<AdmissionRule>('NotAdmitted', 'no such admission');
  requireText(command.data.by, 'by');
  if (state.status === 'approved' || state.status === 'rejected') {
    throw new RuleViolated<AdmissionRule>('AllowancesAlreadyDecided', `the allowances of admission ${state.admissionId} are already ${state.status}`);
  }

  switch (command.type) {
    case 'RecordDischarge': {
      const { dischargedOn, by } = command.data;
      if (state.status === 'discharged') {
        if (state.dischargedOn === dischargedOn) return [];
        throw new RuleViolated<AdmissionRule>('AlreadyDischarged', `admission ${state.admissionId} was discharged on ${state.dischargedOn}; correct the dates instead`);
      }
      requireStayDates(state.admittedOn, dischargedOn, state.beneficiaryId, context);
      return [{ type: 'DischargeRecorded', data: { dischargedOn, recordedBy: by } }, ...entitlements(state.admittedOn, dischargedOn, context)];
    }
    case 'CorrectAdmissionDates': {
      const { admittedOn, dischargedOn, reason, by } = command.data;
      if (state.status !== 'discharged') throw new RuleViolated<AdmissionRule>('NotDischarged', 'dates are corrected once the stay is discharged; record the discharge first');
      requireText(reason, 'reason');
      requireStayDates(admittedOn, dischargedOn, state.beneficiaryId, context);
      if (admittedOn === state.admittedOn && dischargedOn === state.dischargedOn) return [];
      return [{ type: 'AdmissionDatesCorrected', data: { admittedOn, dischargedOn, reason, recordedBy: by } }, ...entitlements(admittedOn, dischargedOn, context)];
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
