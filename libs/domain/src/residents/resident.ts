import { nationalIdProblem } from '../beneficiaries/national-id.js';
import type { UniversalCheckVersion } from '../policy/policy-version.js';
import { universalCheck } from '../policy/universal-check.js';
import { requireDate, requireNotAfterToday, requireText, RuleViolated } from '../rule-violated.js';

/**
 * A resident of the province, as a universal health check needs them: who they are (personal
 * data, sealed as beneficiaries' is), when they were born (which age band a check falls in) and
 * where they lived from when (whether a check is in scope, and from which date). Their checks are
 * on the same stream, so that "once per calendar year" is decided on every check they had, with
 * no other writer in between.
 */
export type ResidentEvent =
  | {
      readonly type: 'ResidentRegistered';
      readonly data: {
        readonly residentId: string;
        /** Personal data (see `PERSONAL_FIELDS`): null once the person's data was erased. */
        readonly fullName: string | null;
        readonly dateOfBirth: string | null;
        readonly nationalId: string | null;
        readonly residenceUnit: string;
        /** The day they are on record as living in `residenceUnit`. */
        readonly from: string;
      };
    }
  | { readonly type: 'ResidenceChanged'; readonly data: { readonly residenceUnit: string; readonly from: string } }
  | {
      readonly type: 'HealthCheckRecorded';
      readonly data: {
        readonly checkId: string;
        readonly residentId: string;
        /** The facility that performed the check, and is paid for it. */
        readonly facility: string;
        readonly checkedOn: string;
        readonly checkKind: string;
        readonly ageBand: string;
        /** The unit the check counts under: the one carrying the resident's residence on the day. */
        readonly administrativeUnit: string;
        /** Whole VND payable to the facility. */
        readonly amount: number;
        readonly programme: string;
        readonly policyVersionId: string;
        readonly clause: string;
        readonly recordedBy: string;
      };
    }
  /** A check recorded wrongly (another resident, a check that did not take place): it is not paid, nor counted against the year. */
  | { readonly type: 'HealthCheckCancelled'; readonly data: { readonly checkId: string; readonly reason: string; readonly cancelledBy: string } }
  /** The person's name, national id and date of birth were erased (their key destroyed); their checks stay, as accounting records. */
  | { readonly type: 'ResidentPersonalDataErased'; readonly data: { readonly reason: string } };

export type Registration = {
  readonly [Field in keyof Extract<ResidentEvent, { type: 'ResidentRegistered' }>['data']]: Exclude<
    Extract<ResidentEvent, { type: 'ResidentRegistered' }>['data'][Field],
    null
  >;
};

/** What a check decision is given besides the resident: the programme's version in force, the map, and the day it is. */
export interface CheckContext {
  readonly policyOn: (date: string) => UniversalCheckVersion | undefined;
  /** The unit carrying `unit` on `date` (after mergers), then the units above it, nearest first. */
  readonly placeOn: (unit: string, date: string) => readonly string[];
  readonly today: string;
}

export type ResidentCommand =
  | { readonly type: 'RegisterResident'; readonly data: Registration; readonly today: string }
  | { readonly type: 'ChangeResidence'; readonly data: { readonly residenceUnit: string; readonly from: string }; readonly today: string }
  | {
      readonly type: 'RecordHealthCheck';
      readonly data: {
        readonly checkId: string;
        readonly facility: string;
        readonly checkedOn: string;
        readonly checkKind: string;
        readonly recordedBy: string;
      };
      readonly context: CheckContext;
    }
  | { readonly type: 'CancelHealthCheck'; readonly data: { readonly checkId: string; readonly reason: string; readonly cancelledBy: string } }
  | { readonly type: 'EraseResidentPersonalData'; readonly data: { readonly reason: string } };

export interface RecordedCheck {
  readonly checkId: string;
  readonly checkedOn: string;
  readonly checkKind: string;
  readonly facility: string;
  readonly amount: number;
  readonly policyVersionId: string;
  readonly cancelled?: { readonly reason: string; readonly by: string };
}

export type Resident =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'registered';
      readonly residentId: string;
      /** Null once erased: no check can be placed in an age band any more. */
      readonly dateOfBirth: string | null;
      /** Ordered by date: where they lived from each date on. */
      readonly residences: readonly { readonly unit: string; readonly from: string }[];
      readonly checks: readonly RecordedCheck[];
      readonly erased?: true;
    };

export const initialResident: Resident = { status: 'unknown' };

export type ResidentRule =
  | 'AlreadyRegistered'
  | 'NotRegistered'
  | 'InvalidInput'
  | 'DateInFuture'
  | 'BeforeRegistration'
  | 'AlreadyErased'
  | 'PersonalDataErased'
  | 'NoSuchCheck'
  | 'CheckAlreadyCancelled'
  | Extract<ReturnType<typeof universalCheck>, { payable: false }>['rule'];

/** The unit the resident lived in on `date`; none before the first date on record. */
export function residenceOn(state: Resident, date: string): string | undefined {
  if (state.status === 'unknown') return undefined;
  let unit: string | undefined;
  for (const residence of state.residences) if (residence.from <= date) unit = residence.unit;
  return unit;
}

/** Checks that stand (not cancelled) in the calendar year of `date`. */
export function checksInYear(state: Resident, date: string): readonly RecordedCheck[] {
  if (state.status === 'unknown') return [];
  return state.checks.filter((check) => !check.cancelled && check.checkedOn.slice(0, 4) === date.slice(0, 4));
}

export function evolve(state: Resident, event: ResidentEvent): Resident {
  if (event.type === 'ResidentRegistered') {
    const { residentId, dateOfBirth, residenceUnit, from } = event.data;
    return { status: 'registered', residentId, dateOfBirth, residences: [{ unit: residenceUnit, from }], checks: [] };
  }
  if (state.status === 'unknown') return state;
  switch (event.type) {
    case 'ResidenceChanged': {
      const others = state.residences.filter((residence) => residence.from !== event.data.from);
      const residences = [...others, { unit: event.data.residenceUnit, from: event.data.from }].sort((a, b) =>
        a.from < b.from ? -1 : a.from > b.from ? 1 : 0,
      );
      return { ...state, residences };
    }
    case 'HealthCheckRecorded': {
      const { checkId, checkedOn, checkKind, facility, amount, policyVersionId } = event.data;
      return { ...state, checks: [...state.checks, { checkId, checkedOn, checkKind, facility, amount, policyVersionId }] };
    }
    case 'HealthCheckCancelled':
      return {
        ...state,
        checks: state.checks.map((check) =>
          check.checkId === event.data.checkId ? { ...check, cancelled: { reason: event.data.reason, by: event.data.cancelledBy } } : check,
        ),
      };
    case 'ResidentPersonalDataErased':
      return { ...state, dateOfBirth: null, erased: true };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function decide(command: ResidentCommand, state: Resident): ResidentEvent[] {
  if (command.type === 'RegisterResident') {
    if (state.status !== 'unknown')
      throw new RuleViolated<ResidentRule>('AlreadyRegistered', `resident ${state.residentId} is already registered`, 'nationalId');
    const data = command.data;
    for (const field of ['residentId', 'fullName', 'residenceUnit'] as const) requireText(data[field], field);
    requireDate(data.dateOfBirth, 'dateOfBirth');
    requireNotAfterToday(data.dateOfBirth, 'dateOfBirth', command.today);
    requireDate(data.from, 'from');
    if (data.from < data.dateOfBirth) throw new RuleViolated<ResidentRule>('InvalidInput', `from ${data.from} is before the date of birth`, 'from');
    const problem = nationalIdProblem(data.nationalId, data.dateOfBirth);
    if (problem) throw new RuleViolated<ResidentRule>('InvalidInput', problem, 'nationalId');
    return [{ type: 'ResidentRegistered', data }];
  }

  if (state.status === 'unknown') throw new RuleViolated<ResidentRule>('NotRegistered', 'no such resident on the register');
  switch (command.type) {
    case 'ChangeResidence': {
      const { residenceUnit, from } = command.data;
      requireText(residenceUnit, 'residenceUnit');
      requireDate(from, 'from');
      requireNotAfterToday(from, 'from', command.today);
      if (from < state.residences[0].from)
        throw new RuleViolated<ResidentRule>('BeforeRegistration', `${from} is before the first residence on record, from ${state.residences[0].from}`, 'from');
      return residenceOn(state, from) === residenceUnit ? [] : [{ type: 'ResidenceChanged', data: command.data }];
    }
    case 'RecordHealthCheck': {
      const { data, context } = command;
      for (const field of ['checkId', 'facility', 'checkKind', 'recordedBy'] as const) requireText(data[field], field);
      requireDate(data.checkedOn, 'checkedOn');
      requireNotAfterToday(data.checkedOn, 'checkedOn', context.today);
      // Recording the same check again (the same id) changes nothing.
      if (state.checks.some((check) => check.checkId === data.checkId)) return [];
      if (state.dateOfBirth === null)
        throw new RuleViolated<ResidentRule>(
          'PersonalDataErased',
          `the personal data of resident ${state.residentId} was erased: no age band can be told`,
          'residentId',
        );
      const residence = residenceOn(state, data.checkedOn);
      if (residence === undefined)
        throw new RuleViolated<ResidentRule>(
          'BeforeRegistration',
          `${data.checkedOn} is before the first residence on record, from ${state.residences[0].from}`,
          'checkedOn',
        );
      const place = context.placeOn(residence, data.checkedOn);
      const decision = universalCheck(context.policyOn(data.checkedOn), {
        checkedOn: data.checkedOn,
        checkKind: data.checkKind,
        dateOfBirth: state.dateOfBirth,
        place,
        checksThisYear: checksInYear(state, data.checkedOn).length,
      });
      if (!decision.payable) throw new RuleViolated<ResidentRule>(decision.rule, decision.message, decision.field);
      const { amount, ageBand, programme, policyVersionId, clause } = decision;
      return [
        {
          type: 'HealthCheckRecorded',
          data: { ...data, residentId: state.residentId, ageBand, administrativeUnit: place[0], amount, programme, policyVersionId, clause },
        },
      ];
    }
    case 'CancelHealthCheck': {
      requireText(command.data.reason, 'reason');
      const check = state.checks.find((recorded) => recorded.checkId === command.data.checkId);
      if (!check) throw new RuleViolated<ResidentRule>('NoSuchCheck', `resident ${state.residentId} has no check ${command.data.checkId}`, 'checkId');
      if (check.cancelled) {
        if (check.cancelled.reason === command.data.reason) return [];
        throw new RuleViolated<ResidentRule>('CheckAlreadyCancelled', `check ${check.checkId} was already cancelled: ${check.cancelled.reason}`, 'checkId');
      }
      return [{ type: 'HealthCheckCancelled', data: command.data }];
    }
    case 'EraseResidentPersonalData':
      requireText(command.data.reason, 'reason');
      if (state.erased) throw new RuleViolated<ResidentRule>('AlreadyErased', `the personal data of resident ${state.residentId} was already erased`);
      return [{ type: 'ResidentPersonalDataErased', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
