import type { ClientBase } from 'pg';
import { foldForSearch } from '#domain';
import { ident, type LogTable, type ProjectionTables } from '#projection-runner';
import { domainProjection, type LoggedEventOf } from '../domain-projection.js';

/** The id in a stream id: `beneficiary-<id>` → `<id>`. */
export function idOf(streamId: string, category: string): string {
  return streamId.slice(category.length + 1);
}

type BeneficiaryRow = {
  beneficiary_id: string;
  /** Null once the person's data was erased. */
  full_name: string | null;
  /** The name as searched: without diacritics, lower case (see foldForSearch); null once erased. */
  name_folded: string | null;
  date_of_birth: string | null;
  national_id: string | null;
  personal_data_erased: boolean;
  title: string;
  administrative_unit: string;
  current_group: number;
  enrolled_from: string;
  status: string;
  retired_on: string | null;
  died_on: string | null;
  removed_on: string | null;
};

type CardRow = {
  card_number: string;
  beneficiary_id: string;
  group_at_issue: number | null;
  valid_from: string;
  valid_to: string;
  status: string;
  closed_on: string | null;
  replaces: string | null;
  reissue_reason: string | null;
  replaced_by: string | null;
  revocation_reason: string | null;
};

type GroupPeriodRow = {
  beneficiary_id: string;
  valid_from: string;
  group_number: number;
  reason: string | null;
  decision_number: string | null;
  plan_id: string | null;
};
type PositionRow = { beneficiary_id: string; valid_from: string; title: string; administrative_unit: string };
type HeadCountChangeRow = { on_date: string; group_number: number; change: number };
/** Cards taking effect in a year by the holder's group that day (0: no group yet), new and reissued: the year-end report's card table. */
type CardsIssuedRow = { year: number; group_number: number; new_cards: number; reissued: number };

const BENEFICIARY_EVENTS = [
  'BeneficiaryEnrolled',
  'BeneficiaryPositionChanged',
  'BeneficiaryReclassified',
  'BeneficiaryRetired',
  'BeneficiaryDied',
  'BeneficiaryRemovedFromRegister',
  'PersonalDataErased',
] as const;
const CARD_EVENTS = ['CardIssued', 'CardReplaced', 'CardRevoked'] as const;
type RegisterEvent = LoggedEventOf<(typeof BENEFICIARY_EVENTS)[number] | (typeof CARD_EVENTS)[number]>;
type BeneficiaryEvent = LoggedEventOf<(typeof BENEFICIARY_EVENTS)[number]>;
const isBeneficiaryEvent = (event: RegisterEvent): event is BeneficiaryEvent => (BENEFICIARY_EVENTS as readonly string[]).includes(event.type);
const isCardEvent = (event: RegisterEvent): event is LoggedEventOf<(typeof CARD_EVENTS)[number]> => !isBeneficiaryEvent(event);

/**
 * Fills a table of periods keyed by (beneficiary_id, valid_from) from the log, as `apply` leaves
 * it by putting each event's row over the last: per key, the latest of `eventTypes` whose
 * `data.from` names it, its other columns given as SQL over that event (`event_type`, `data`).
 */
export async function periodsFromLog(
  sql: ClientBase,
  table: string,
  log: LogTable,
  eventTypes: readonly string[],
  columns: Record<string, string>,
): Promise<void> {
  const names = Object.keys(columns).map(ident).join(', ');
  const values = Object.entries(columns)
    .map(([name, value]) => `${value} AS ${ident(name)}`)
    .join(', ');
  await sql.query(
    `INSERT INTO ${table} (beneficiary_id, valid_from, ${names})
     SELECT DISTINCT ON (beneficiary_id, valid_from) beneficiary_id, valid_from, ${names}
       FROM (SELECT substr(stream_id, ${'beneficiary'.length + 2}) AS beneficiary_id, data->>'from' AS valid_from, global_position, ${values}
               FROM ${ident(log.table)} WHERE event_type = ANY($2::text[]) AND global_position <= $1) periods
      ORDER BY beneficiary_id, valid_from, global_position DESC`,
    [log.until.toString(), eventTypes],
  );
}

/** The year of a `YYYY-MM-DD` date. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** The group held on `date` by a beneficiary whose group periods are `periods` (sorted or not). */
function groupAt(periods: readonly { valid_from: string; group_number: number }[], date: string): number | null {
  let found: { valid_from: string; group_number: number } | undefined;
  for (const period of periods) if (period.valid_from <= date && (!found || period.valid_from > found.valid_from)) found = period;
  return found?.group_number ?? null;
}

/**
 * What one beneficiary adds to the head count by group: +1 on the day they start to count in a
 * group, -1 on the day they stop (the next group period, removal from the register, death). The
 * register on a date D counts, per group, the changes dated up to D: a beneficiary enrolled by D,
 * neither removed nor dead by D, in the group of their latest period starting by D.
 */
function headCountChanges(beneficiary: BeneficiaryRow, periods: readonly GroupPeriodRow[]): HeadCountChangeRow[] {
  const end = [beneficiary.removed_on, beneficiary.died_on].filter((date): date is string => date !== null).sort()[0];
  const sorted = [...periods].sort((a, b) => (a.valid_from < b.valid_from ? -1 : 1));
  const changes: HeadCountChangeRow[] = [];
  sorted.forEach((period, n) => {
    const from = period.valid_from > beneficiary.enrolled_from ? period.valid_from : beneficiary.enrolled_from;
    const next = sorted[n + 1]?.valid_from;
    const until = next !== undefined && (end === undefined || next < end) ? next : end;
    if (until !== undefined && until <= from) return;
    changes.push({ on_date: from, group_number: period.group_number, change: 1 });
    if (until !== undefined) changes.push({ on_date: until, group_number: period.group_number, change: -1 });
  });
  return changes;
}

/**
 * The beneficiary register and the card register. The register keeps each beneficiary's current
 * facts, and their group and position over time (valid dates), so that the register as of any
 * date can be read back, and the head count by group on any date without reading every
 * beneficiary (the year-end report's table); the card register knows the holder's group on the day each card took
 * effect, and is searched together with the holder's current name and unit.
 */
export const registers = domainProjection({
  name: 'registers',
  // 2: the head count changes and the cards issued per year and group. 3: erased personal data.
  // 4: names folded for a search without diacritics.
  version: 4,
  eventTypes: [...BENEFICIARY_EVENTS, ...CARD_EVENTS],
  fromLog: {
    tables: ['positions', 'group_periods'],
    async fill(sql, schema, log) {
      await periodsFromLog(sql, `${ident(schema)}.positions`, log, ['BeneficiaryEnrolled', 'BeneficiaryPositionChanged'], {
        title: "data->>'title'",
        administrative_unit: "data->>'administrativeUnit'",
      });
      const reclassified = (field: string) => `CASE WHEN event_type = 'BeneficiaryReclassified' THEN data->>'${field}' END`;
      await periodsFromLog(sql, `${ident(schema)}.group_periods`, log, ['BeneficiaryEnrolled', 'BeneficiaryReclassified'], {
        group_number: "(data->>'group')::int",
        reason: reclassified('reason'),
        decision_number: reclassified('decisionNumber'),
        plan_id: reclassified('planId'),
      });
    },
  },

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.beneficiaries (
        beneficiary_id text PRIMARY KEY,
        full_name text,
        name_folded text,
        date_of_birth text,
        national_id text,
        personal_data_erased boolean NOT NULL,
        title text NOT NULL,
        administrative_unit text NOT NULL,
        current_group int NOT NULL,
        enrolled_from text NOT NULL,
        status text NOT NULL,
        retired_on text,
        died_on text,
        removed_on text
      );
      CREATE INDEX beneficiaries_by_name ON ${s}.beneficiaries (name_folded, date_of_birth);
      CREATE INDEX beneficiaries_by_national_id ON ${s}.beneficiaries (national_id);
      CREATE INDEX beneficiaries_by_unit ON ${s}.beneficiaries (administrative_unit);
      CREATE TABLE ${s}.group_periods (
        beneficiary_id text NOT NULL,
        valid_from text NOT NULL,
        group_number int NOT NULL,
        reason text,
        decision_number text,
        plan_id text,
        PRIMARY KEY (beneficiary_id, valid_from)
      );
      CREATE TABLE ${s}.head_count_changes (
        on_date text NOT NULL,
        group_number int NOT NULL,
        change int NOT NULL,
        PRIMARY KEY (on_date, group_number)
      );
      CREATE TABLE ${s}.positions (
        beneficiary_id text NOT NULL,
        valid_from text NOT NULL,
        title text NOT NULL,
        administrative_unit text NOT NULL,
        PRIMARY KEY (beneficiary_id, valid_from)
      );
      CREATE TABLE ${s}.cards (
        card_number text PRIMARY KEY,
        beneficiary_id text NOT NULL,
        group_at_issue int,
        valid_from text NOT NULL,
        valid_to text NOT NULL,
        status text NOT NULL,
        closed_on text,
        replaces text,
        reissue_reason text,
        replaced_by text,
        revocation_reason text
      );
      CREATE INDEX cards_by_holder ON ${s}.cards (beneficiary_id);
      CREATE TABLE ${s}.cards_issued (
        year int NOT NULL,
        group_number int NOT NULL,
        new_cards int NOT NULL,
        reissued int NOT NULL,
        PRIMARY KEY (year, group_number)
      );`);
  },

  async apply(tables: ProjectionTables, events: readonly RegisterEvent[]): Promise<void> {
    const beneficiaries = tables.table<BeneficiaryRow>('beneficiaries', { key: ['beneficiary_id'] });
    const groups = tables.table<GroupPeriodRow>('group_periods', { key: ['beneficiary_id', 'valid_from'], index: 'beneficiary_id' });
    const cards = tables.table<CardRow>('cards', { key: ['card_number'] });
    const positions = tables.table<PositionRow>('positions', { key: ['beneficiary_id', 'valid_from'] });
    const headCount = tables.table<HeadCountChangeRow>('head_count_changes', { key: ['on_date', 'group_number'] });
    const cardsIssued = tables.table<CardsIssuedRow>('cards_issued', { key: ['year', 'group_number'], index: 'year' });
    // Nothing here reads the positions back: while the database fills them (a rebuild), they are not kept.
    const writesPositions = tables.writes('positions');

    if (!tables.inMemory) {
      const holderIds = new Set<string>();
      for (const event of events) {
        if (isBeneficiaryEvent(event)) holderIds.add(idOf(event.streamId, 'beneficiary'));
        if (event.type === 'CardIssued') holderIds.add(event.data.beneficiaryId);
      }
      await beneficiaries.load([...holderIds].map((beneficiary_id) => ({ beneficiary_id })));
      await groups.loadBy(holderIds);
      await cards.load(events.filter(isCardEvent).map((e) => ({ card_number: idOf(e.streamId, 'card') })));
      await cardsIssued.loadBy(events.flatMap((e) => (e.type === 'CardIssued' ? [yearOf(e.data.validFrom)] : [])));
    }

    // The head count changes of the batch, summed per date and group. Each event takes back what
    // its beneficiary added before it and adds what they add after it, so the rows touched are the
    // same however the log is cut into batches (a rebuild's rows equal those followed event by event).
    const changes = new Map<string, HeadCountChangeRow>();
    const count = (beneficiary_id: string, sign: number) => {
      const beneficiary = beneficiaries.get({ beneficiary_id });
      if (!beneficiary) return;
      for (const row of headCountChanges(beneficiary, groups.rowsBy(beneficiary_id))) {
        const key = `${row.on_date}/${row.group_number}`;
        const sum = changes.get(key) ?? { on_date: row.on_date, group_number: row.group_number, change: 0 };
        sum.change += sign * row.change;
        changes.set(key, sum);
      }
    };
    for (const event of events) {
      if (isBeneficiaryEvent(event)) {
        const beneficiary_id = idOf(event.streamId, 'beneficiary');
        count(beneficiary_id, -1);
        const setGroup = (valid_from: string, group_number: number, reason: string | null, decision_number: string | null, plan_id: string | null = null) => {
          groups.put({ beneficiary_id, valid_from, group_number, reason, decision_number, plan_id });
          beneficiaries.update({ beneficiary_id }, () => ({ current_group: groupAt(groups.rowsBy(beneficiary_id), '9999-12-31')! }));
        };
        switch (event.type) {
          case 'BeneficiaryEnrolled':
            beneficiaries.put({
              beneficiary_id,
              full_name: event.data.fullName,
              name_folded: event.data.fullName === null ? null : foldForSearch(event.data.fullName),
              date_of_birth: event.data.dateOfBirth,
              national_id: event.data.nationalId,
              // An enrolment read after the erasure (a rebuild) already has its personal fields null.
              personal_data_erased: event.data.fullName === null,
              title: event.data.title,
              administrative_unit: event.data.administrativeUnit,
              current_group: event.data.group,
              enrolled_from: event.data.from,
              status: 'registered',
              retired_on: null,
              died_on: null,
              removed_on: null,
            });
            setGroup(event.data.from, event.data.group, null, null);
            if (writesPositions)
              positions.put({ beneficiary_id, valid_from: event.data.from, title: event.data.title, administrative_unit: event.data.administrativeUnit });
            break;
          case 'BeneficiaryPositionChanged':
            beneficiaries.update({ beneficiary_id }, () => ({ title: event.data.title, administrative_unit: event.data.administrativeUnit }));
            if (writesPositions)
              positions.put({ beneficiary_id, valid_from: event.data.from, title: event.data.title, administrative_unit: event.data.administrativeUnit });
            break;
          case 'BeneficiaryReclassified':
            setGroup(event.data.from, event.data.group, event.data.reason, event.data.decisionNumber, event.data.planId ?? null);
            break;
          case 'BeneficiaryRetired':
            beneficiaries.update({ beneficiary_id }, () => ({ retired_on: event.data.on }));
            break;
          case 'BeneficiaryDied':
            beneficiaries.update({ beneficiary_id }, () => ({ died_on: event.data.on, status: 'deceased' }));
            break;
          case 'BeneficiaryRemovedFromRegister':
            beneficiaries.update({ beneficiary_id }, () => ({ removed_on: event.data.on, status: 'removed' }));
            break;
          case 'PersonalDataErased':
            beneficiaries.update({ beneficiary_id }, () => ({
              full_name: null,
              name_folded: null,
              date_of_birth: null,
              national_id: null,
              personal_data_erased: true,
            }));
            break;
        }
        count(beneficiary_id, 1);
        continue;
      }
      const card_number = idOf(event.streamId, 'card');
      switch (event.type) {
        case 'CardIssued': {
          const group = groupAt(groups.rowsBy(event.data.beneficiaryId), event.data.validFrom);
          const tally = { year: yearOf(event.data.validFrom), group_number: group ?? 0 };
          const issued = cardsIssued.get(tally) ?? { ...tally, new_cards: 0, reissued: 0 };
          if (event.data.replaces) issued.reissued += 1;
          else issued.new_cards += 1;
          cardsIssued.put(issued);
          cards.put({
            card_number,
            beneficiary_id: event.data.beneficiaryId,
            group_at_issue: group,
            valid_from: event.data.validFrom,
            valid_to: event.data.validTo,
            status: 'valid',
            closed_on: null,
            replaces: event.data.replaces?.cardNumber ?? null,
            reissue_reason: event.data.replaces?.reason ?? null,
            replaced_by: null,
            revocation_reason: null,
          });
          break;
        }
        case 'CardReplaced':
          cards.update({ card_number }, () => ({ status: 'replaced', closed_on: event.data.on, replaced_by: event.data.byCardNumber }));
          break;
        case 'CardRevoked':
          cards.update({ card_number }, () => ({ status: 'revoked', closed_on: event.data.on, revocation_reason: event.data.reason }));
          break;
      }
    }

    const moved = [...changes.values()];
    await headCount.load(moved);
    for (const row of moved) {
      const stored = headCount.get(row);
      headCount.put({ ...row, change: (stored?.change ?? 0) + row.change });
    }
  },
});
