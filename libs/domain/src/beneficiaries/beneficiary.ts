import { type BeneficiaryGroup, BENEFICIARY_GROUPS } from '../policy/policy-version.js';
import { nationalIdProblem } from './national-id.js';
import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * A beneficiary: an official on the province's register, placed in one of the six groups
 * ("Đối tượng") that decide which regimes and rates apply. Every fact has its valid date, so the
 * group held on any past day can be answered from the stream.
 */
export type BeneficiaryEvent =
  | {
      readonly type: 'BeneficiaryEnrolled';
      readonly data: {
        readonly beneficiaryId: string;
        /** Personal data (see `PERSONAL_FIELDS`): null once the person's data was erased. */
        readonly fullName: string | null;
        readonly dateOfBirth: string | null;
        readonly nationalId: string | null;
        readonly title: string;
        readonly administrativeUnit: string;
        readonly group: BeneficiaryGroup;
        readonly from: string;
      };
    }
  | { readonly type: 'BeneficiaryPositionChanged'; readonly data: { readonly title: string; readonly administrativeUnit: string; readonly from: string } }
  | {
      readonly type: 'BeneficiaryReclassified';
      readonly data: {
        readonly group: BeneficiaryGroup;
        readonly from: string;
        readonly reason: string;
        readonly decisionNumber: string;
        /** The reorganization plan that reclassified them, when one did. */
        readonly planId?: string;
      };
    }
  | { readonly type: 'BeneficiaryRetired'; readonly data: { readonly on: string } }
  | { readonly type: 'BeneficiaryDied'; readonly data: { readonly on: string } }
  | {
      readonly type: 'BeneficiaryRemovedFromRegister';
      /** `planId`: the reorganization plan whose new title is not covered, when one removed them. */
      readonly data: { readonly on: string; readonly reason: string; readonly planId?: string };
    }
  /**
   * The person's name, national id and date of birth were erased at their request or by law
   * (their key destroyed): every event of theirs now reads without them. Their accounting records
   * (stays, claims, payouts) stay, as the law on retention asks. Carries no personal data itself.
   */
  | { readonly type: 'PersonalDataErased'; readonly data: { readonly reason: string } };

/** What an enrolment is told: every personal field given. */
export type Enrolment = {
  readonly [Field in keyof Extract<BeneficiaryEvent, { type: 'BeneficiaryEnrolled' }>['data']]: Exclude<
    Extract<BeneficiaryEvent, { type: 'BeneficiaryEnrolled' }>['data'][Field],
    null
  >;
};

export type BeneficiaryCommand =
  | { readonly type: 'EnrolBeneficiary'; readonly data: Enrolment }
  | { readonly type: 'ChangePosition'; readonly data: Extract<BeneficiaryEvent, { type: 'BeneficiaryPositionChanged' }>['data'] }
  | { readonly type: 'ReclassifyBeneficiary'; readonly data: Extract<BeneficiaryEvent, { type: 'BeneficiaryReclassified' }>['data'] }
  | { readonly type: 'RecordRetirement'; readonly data: { readonly on: string } }
  | { readonly type: 'RecordDeath'; readonly data: { readonly on: string } }
  | { readonly type: 'RemoveFromRegister'; readonly data: Extract<BeneficiaryEvent, { type: 'BeneficiaryRemovedFromRegister' }>['data'] }
  | { readonly type: 'ErasePersonalData'; readonly data: { readonly reason: string } };

/** A group held from a valid date on, until the next entry. */
export interface GroupPeriod {
  readonly group: BeneficiaryGroup;
  readonly from: string;
}

export type Beneficiary =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'registered' | 'removed';
      readonly id: string;
      readonly enrolledFrom: string;
      /** Ordered by valid date; a later reclassification with an earlier date is slotted in its place. */
      readonly groups: readonly GroupPeriod[];
      readonly title: string;
      readonly administrativeUnit: string;
      readonly retiredOn?: string;
      readonly diedOn?: string;
      readonly removedOn?: string;
      /** The person's personal data was erased: nothing identifies them any more. */
      readonly erased?: true;
    };

export const initialBeneficiary: Beneficiary = { status: 'unknown' };

/** A command the register's rules refuse; `field` names the offending input where there is one. */
export type BeneficiaryRule = 'AlreadyEnrolled' | 'NotEnrolled' | 'RemovedFromRegister' | 'Deceased' | 'InvalidInput' | 'BeforeEnrolment' | 'AlreadyErased';

function requireGroup(value: number, field: string): void {
  if (!(BENEFICIARY_GROUPS as readonly number[]).includes(value))
    throw new RuleViolated<BeneficiaryRule>('InvalidInput', `${field} must be a beneficiary group from 1 to 6`, field);
}

/** The group held on `date`; none before enrolment, after the day of death, or from removal from the register on. */
export function groupOn(state: Beneficiary, date: string): BeneficiaryGroup | undefined {
  if (state.status === 'unknown') return undefined;
  if ((state.diedOn !== undefined && date > state.diedOn) || (state.removedOn !== undefined && date >= state.removedOn)) return undefined;
  let group: BeneficiaryGroup | undefined;
  for (const period of state.groups) if (period.from <= date) group = period.group;
  return group;
}

export function evolve(state: Beneficiary, event: BeneficiaryEvent): Beneficiary {
  switch (event.type) {
    case 'BeneficiaryEnrolled':
      return {
        status: 'registered',
        id: event.data.beneficiaryId,
        enrolledFrom: event.data.from,
        groups: [{ group: event.data.group, from: event.data.from }],
        title: event.data.title,
        administrativeUnit: event.data.administrativeUnit,
      };
    case 'BeneficiaryPositionChanged':
      return state.status === 'unknown' ? state : { ...state, title: event.data.title, administrativeUnit: event.data.administrativeUnit };
    case 'BeneficiaryReclassified': {
      if (state.status === 'unknown') return state;
      const others = state.groups.filter((period) => period.from !== event.data.from);
      const groups = [...others, { group: event.data.group, from: event.data.from }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      return { ...state, groups };
    }
    case 'BeneficiaryRetired':
      return state.status === 'unknown' ? state : { ...state, retiredOn: event.data.on };
    case 'BeneficiaryDied':
      return state.status === 'unknown' ? state : { ...state, diedOn: event.data.on };
    case 'BeneficiaryRemovedFromRegister':
      return state.status === 'unknown' ? state : { ...state, status: 'removed', removedOn: event.data.on };
    case 'PersonalDataErased':
      return state.status === 'unknown' ? state : { ...state, erased: true };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decide(command: BeneficiaryCommand, state: Beneficiary): BeneficiaryEvent[] {
  if (command.type === 'EnrolBeneficiary') {
    if (state.status !== 'unknown') throw new RuleViolated<BeneficiaryRule>('AlreadyEnrolled', `beneficiary ${state.id} is already enrolled`);
    const data = command.data;
    for (const field of ['beneficiaryId', 'fullName', 'title', 'administrativeUnit'] as const) requireText(data[field], field);
    requireDate(data.dateOfBirth, 'dateOfBirth');
    requireDate(data.from, 'from');
    requireGroup(data.group, 'group');
    const problem = nationalIdProblem(data.nationalId, data.dateOfBirth);
    if (problem) throw new RuleViolated<BeneficiaryRule>('InvalidInput', problem, 'nationalId');
    return [{ type: 'BeneficiaryEnrolled', data }];
  }

  if (state.status === 'unknown') throw new RuleViolated<BeneficiaryRule>('NotEnrolled', 'no such beneficiary on the register');
  // Erasure is asked of people who left the register too: it is not a change of the register.
  if (command.type === 'ErasePersonalData') {
    requireText(command.data.reason, 'reason');
    if (state.erased) throw new RuleViolated<BeneficiaryRule>('AlreadyErased', `the personal data of beneficiary ${state.id} was already erased`);
    return [{ type: 'PersonalDataErased', data: command.data }];
  }
  if (state.status === 'removed')
    throw new RuleViolated<BeneficiaryRule>('RemovedFromRegister', `beneficiary ${state.id} was removed from the register on ${state.removedOn}`);
  const dated = 'from' in command.data ? command.data.from : command.data.on;
  requireDate(dated, 'from' in command.data ? 'from' : 'on');
  if (dated < state.enrolledFrom)
    throw new RuleViolated<BeneficiaryRule>(
      'BeforeEnrolment',
      `${dated} is before the enrolment on ${state.enrolledFrom}`,
      'from' in command.data ? 'from' : 'on',
    );

  switch (command.type) {
    case 'ChangePosition':
      requireText(command.data.title, 'title');
      requireText(command.data.administrativeUnit, 'administrativeUnit');
      return [{ type: 'BeneficiaryPositionChanged', data: command.data }];
    case 'ReclassifyBeneficiary':
      requireGroup(command.data.group, 'group');
      requireText(command.data.reason, 'reason');
      requireText(command.data.decisionNumber, 'decisionNumber');
      return groupOn(state, command.data.from) === command.data.group ? [] : [{ type: 'BeneficiaryReclassified', data: command.data }];
    case 'RecordRetirement':
      return state.retiredOn === command.data.on ? [] : [{ type: 'BeneficiaryRetired', data: command.data }];
    case 'RecordDeath':
      if (state.diedOn !== undefined && state.diedOn !== command.data.on) {
        throw new RuleViolated<BeneficiaryRule>('Deceased', `beneficiary ${state.id} is already recorded as deceased on ${state.diedOn}`);
      }
      return state.diedOn === command.data.on ? [] : [{ type: 'BeneficiaryDied', data: command.data }];
    case 'RemoveFromRegister':
      requireText(command.data.reason, 'reason');
      return [{ type: 'BeneficiaryRemovedFromRegister', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
