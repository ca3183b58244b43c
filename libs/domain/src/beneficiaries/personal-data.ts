/**
 * Personal data on the registers: what identifies an official or a resident (name, national id
 * number, date of birth), as opposed to the facts of the support they receive (groups, dates, amounts), which are
 * accounting records and stay. Events carrying personal fields hold them sealed under a key of
 * their own per person (crypto-shredding): erasing the person destroys the key, and every event
 * then reads with these fields null. Which events carry which fields is said here, once; the
 * sealing itself is done at the edge, where the keys are.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  BeneficiaryEnrolled: ['fullName', 'dateOfBirth', 'nationalId'],
  NationalIdReserved: ['nationalId'],
  ResidentRegistered: ['fullName', 'dateOfBirth', 'nationalId'],
};

/** The field naming whose the personal data is: a beneficiary's, unless said here. */
const SUBJECT_FIELDS: Readonly<Record<string, string>> = { ResidentRegistered: 'residentId' };

/** The personal fields of one event, apart from the rest of its data, and whose they are (`beneficiaryId`). */
export interface PersonalPart {
  readonly subject: string;
  readonly personal: Readonly<Record<string, unknown>>;
  readonly rest: Readonly<Record<string, unknown>>;
}

/** Splits an event's data into what is personal and what is not; undefined for an event carrying nothing personal. */
export function personalPart(type: string, data: Readonly<Record<string, unknown>>): PersonalPart | undefined {
  const fields = PERSONAL_FIELDS[type];
  const subject = data[SUBJECT_FIELDS[type] ?? 'beneficiaryId'];
  if (!fields || typeof subject !== 'string') return undefined;
  const personal: Record<string, unknown> = {};
  const rest: Record<string, unknown> = { ...data };
  for (const field of fields) {
    personal[field] = data[field];
    delete rest[field];
  }
  return { subject, personal, rest };
}

/** An event's data with its personal fields as given, or null in each when the person was erased (`personal` undefined). */
export function withPersonal(
  type: string,
  rest: Readonly<Record<string, unknown>>,
  personal: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const data: Record<string, unknown> = { ...rest };
  for (const field of PERSONAL_FIELDS[type] ?? []) data[field] = personal ? personal[field] : null;
  return data;
}
