import { RuleViolated } from '../rule-violated.js';

/**
 * A national id number may be on the register once in the province. One stream per number
 * (`nationalIdStreamId`) is reserved before the enrolment is written, so two clerks enrolling
 * the same person at once cannot both succeed: the store lets only one create the stream.
 */
export type NationalIdEvent = {
  readonly type: 'NationalIdReserved';
  /** `nationalId`: personal data (see `PERSONAL_FIELDS`), null once the holder's data was erased. */
  readonly data: { readonly nationalId: string | null; readonly beneficiaryId: string };
};

export type NationalIdCommand = { readonly type: 'ReserveNationalId'; readonly data: { readonly nationalId: string; readonly beneficiaryId: string } };

export type NationalIdReservation = { readonly beneficiaryId?: string };

export const initialNationalIdReservation: NationalIdReservation = {};

export type NationalIdRule = 'NationalIdTaken';

/**
 * `reservationKey`: a keyed hash of the number, so that the stream id, which no erasure can
 * change, does not spell it out; reservations made before that were keyed by the number itself.
 */
export function nationalIdStreamId(reservationKey: string): string {
  return `nationalid-${reservationKey}`;
}

export function evolve(_state: NationalIdReservation, event: NationalIdEvent): NationalIdReservation {
  return { beneficiaryId: event.data.beneficiaryId };
}

/**
 * `holderAbandoned`: the reservation's beneficiary was never written, long after it was taken
 * (an enrolment interrupted between its two writes); the number is then free again.
 */
export function decide(command: NationalIdCommand, state: NationalIdReservation, holderAbandoned = false): NationalIdEvent[] {
  if (state.beneficiaryId === command.data.beneficiaryId) return [];
  if (state.beneficiaryId !== undefined && !holderAbandoned) {
    throw new RuleViolated<NationalIdRule>(
      'NationalIdTaken',
      `national id ${command.data.nationalId} is already on the register (beneficiary ${state.beneficiaryId})`,
      'nationalId',
    );
  }
  return [{ type: 'NationalIdReserved', data: command.data }];
}
