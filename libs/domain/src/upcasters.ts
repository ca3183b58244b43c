/**
 * Events are kept forever in the schema they were written in; readers see them in today's
 * schema. Each event type's current version is here, and for every older version an upcaster
 * that lifts it one step. The version an event was written in travels in its metadata.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  AdmissionRecorded: 3,
  BeneficiaryEnrolled: 2,
  NationalIdReserved: 2,
  DischargeRecorded: 2,
  MealAllowanceEntitled: 2,
  ClaimRequested: 2,
  PayoutPaid: 2,
};

/** What an upcaster sees of a stored event: its data, and who wrote it. */
export interface RecordedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly schemaVersion: number; readonly actor: string };
}

type Upcaster = (data: Record<string, unknown>, event: RecordedEvent) => Record<string, unknown>;

/**
 * A step that only added optional fields: what an older event lacks was not asked then (which card
 * was used, whether a duplicate was meant), and absent is what today's schema says for that.
 */
const addedOptionalFields: Upcaster = (data) => data;

/** A step that only changed how personal fields are stored, not what they say (see `PERSONAL_FIELDS`). */
const sealedPersonalFields: Upcaster = (data) => data;

/** `UPCASTERS[type][v]` lifts version v to v + 1. */
const UPCASTERS: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {
  // Version 1 did not name who recorded the stay; the clerk who wrote the event did.
  // Version 3 names the card used (required of new stays) and why an overlapping stay was meant.
  AdmissionRecorded: { 1: (data, event) => ({ ...data, recordedBy: event.metadata.actor }), 2: addedOptionalFields },
  // Version 2 holds the personal fields sealed under the person's key; the store's personal-data
  // layer opens them before any upcaster runs (null once erased). Version 1 holds them in plain
  // text, which reads the same: such events stay readable, and read as erased once the person is.
  BeneficiaryEnrolled: { 1: sealedPersonalFields },
  // Version 2 says why a claim repeating another's key was meant.
  ClaimRequested: { 1: addedOptionalFields },
  DischargeRecorded: { 1: (data, event) => ({ ...data, recordedBy: event.metadata.actor }) },
  // Version 2 counts the meals by calendar year (`byYear`); absent, they were counted whole in the
  // discharge year and paid by one payout, and so they stay.
  MealAllowanceEntitled: { 1: addedOptionalFields },
  NationalIdReserved: { 1: sealedPersonalFields },
  // Version 2 names the recoveries offset against the payment.
  PayoutPaid: { 1: addedOptionalFields },
};

export function upcast(event: RecordedEvent): { type: string; data: unknown } {
  const current = CURRENT_SCHEMA_VERSIONS[event.type] ?? 1;
  let data = event.data as Record<string, unknown>;
  for (let version = event.metadata.schemaVersion; version < current; version++) {
    const step = UPCASTERS[event.type]?.[version];
    if (!step) throw new Error(`no upcaster for ${event.type} from schema version ${version}`);
    data = step(data, event);
  }
  return { type: event.type, data };
}
