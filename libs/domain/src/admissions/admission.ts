import { type DailySegment, dailyAllowanceFor, fixedAmountFor } from '../policy/entitlement.js';
import type { BeneficiaryGroup, PolicyVersion } from '../policy/policy-version.js';
import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * An inpatient stay. On discharge the visit allowance (regime a, once, on the admission date) and
 * the meal allowance (regime b, per calendar day) become entitled, each under the policy in force
 * and the group held on the service dates; a stay across a change is split by day.
 */
export type AdmissionEvent =
  | { readonly type: 'AdmissionRecorded'; readonly data: { readonly admissionId: string; readonly beneficiaryId: string; readonly facility: string; readonly admittedOn: string } }
  | { readonly type: 'DischargeRecorded'; readonly data: { readonly dischargedOn: string } }
  | {
      readonly type: 'VisitAllowanceEntitled';
      readonly data: { readonly serviceDate: string; readonly group: BeneficiaryGroup; readonly amount: number; readonly policyVersionId: string; readonly clause: string };
    }
  | { readonly type: 'MealAllowanceEntitled'; readonly data: { readonly amount: number; readonly days: number; readonly segments: readonly DailySegment[] } };

export type AdmissionCommand =
  | { readonly type: 'RecordAdmission'; readonly data: Extract<AdmissionEvent, { type: 'AdmissionRecorded' }>['data'] }
  | { readonly type: 'RecordDischarge'; readonly data: { readonly dischargedOn: string } };

export type Admission =
  | { readonly status: 'none' }
  | { readonly status: 'admitted' | 'discharged'; readonly admissionId: string; readonly beneficiaryId: string; readonly admittedOn: string; readonly dischargedOn?: string };

export const initialAdmission: Admission = { status: 'none' };

/** What the decision needs to know beyond the stream: policy and classification over time. */
export interface AdmissionContext {
  readonly policyOn: (date: string) => PolicyVersion | undefined;
  readonly groupOn: (date: string) => BeneficiaryGroup | undefined;
}

export type AdmissionRule = 'AlreadyRecorded' | 'NotAdmitted' | 'AlreadyDischarged' | 'DischargeBeforeAdmission' | 'NotABeneficiaryOnAdmission' | 'InvalidInput';

export function evolve(state: Admission, event: AdmissionEvent): Admission {
  switch (event.type) {
    case 'AdmissionRecorded':
      return { status: 'admitted', admissionId: event.data.admissionId, beneficiaryId: event.data.beneficiaryId, admittedOn: event.data.admittedOn };
    case 'DischargeRecorded':
      return state.status === 'none' ? state : { ...state, status: 'discharged', dischargedOn: event.data.dischargedOn };
    case 'VisitAllowanceEntitled':
    case 'MealAllowanceEntitled':
      return state;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decide(command: AdmissionCommand, state: Admission, context: AdmissionContext): AdmissionEvent[] {
  switch (command.type) {
    case 'RecordAdmission': {
      const data = command.data;
      if (state.status !== 'none') throw new RuleViolated<AdmissionRule>('AlreadyRecorded', `admission ${state.admissionId} is already recorded`);
      for (const field of ['admissionId', 'beneficiaryId', 'facility'] as const) requireText(data[field], field);
      requireDate(data.admittedOn, 'admittedOn');
      if (context.groupOn(data.admittedOn) === undefined) {
        throw new RuleViolated<AdmissionRule>('NotABeneficiaryOnAdmission', `beneficiary ${data.beneficiaryId} held no group on ${data.admittedOn}`, 'admittedOn');
      }
      return [{ type: 'AdmissionRecorded', data }];
    }
    case 'RecordDischarge': {
      if (state.status === 'none') throw new RuleViolated<AdmissionRule>('NotAdmitted', 'no such admission');
      if (state.status === 'discharged') {
        if (state.dischargedOn === command.data.dischargedOn) return [];
        throw new RuleViolated<AdmissionRule>('AlreadyDischarged', `admission ${state.admissionId} was discharged on ${state.dischargedOn}`);
      }
      const { dischargedOn } = command.data;
      requireDate(dischargedOn, 'dischargedOn');
      if (dischargedOn < state.admittedOn) {
        throw new RuleViolated<AdmissionRule>('DischargeBeforeAdmission', `discharge ${dischargedOn} is before admission ${state.admittedOn}`, 'dischargedOn');
      }
      const events: AdmissionEvent[] = [{ type: 'DischargeRecorded', data: { dischargedOn } }];
      const group = context.groupOn(state.admittedOn)!;
      const visit = fixedAmountFor(context.policyOn(state.admittedOn), 'a', group);
      if (visit.entitled) {
        events.push({ type: 'VisitAllowanceEntitled', data: { serviceDate: state.admittedOn, group, amount: visit.amount, policyVersionId: visit.policyVersionId, clause: visit.clause } });
      }
      const meals = dailyAllowanceFor('b', state.admittedOn, dischargedOn, context.policyOn, context.groupOn);
      if (meals.days > 0) events.push({ type: 'MealAllowanceEntitled', data: { amount: meals.amount, days: meals.days, segments: meals.segments } });
      return events;
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
