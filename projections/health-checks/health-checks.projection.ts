import type { ClientBase } from 'pg';
import { ident, type ProjectionTables } from '#projection-runner';
import { domainProjection, type LoggedEventOf } from '../domain-projection.js';

/**
 * One universal health check, as recorded and, when it was recorded wrongly, as cancelled: each
 * with the log position that recorded it, so that a report at a past position counts the checks
 * the log then held, cancelled or not yet, without a read model to rebuild.
 */
type CheckRow = {
  check_id: string;
  resident_id: string;
  facility: string;
  checked_on: string;
  year: number;
  check_kind: string;
  age_band: string;
  administrative_unit: string;
  amount: number;
  programme: string;
  policy_version_id: string;
  recorded_position: string;
  cancelled_position: string | null;
  cancel_reason: string | null;
};

const CONSUMED = ['HealthCheckRecorded', 'HealthCheckCancelled'] as const;
type CheckEvent = LoggedEventOf<(typeof CONSUMED)[number]>;

/** The checks paid to facilities under a universal-check programme: what the monthly report counts and what each facility is owed. */
export const healthChecks = domainProjection({
  name: 'health_checks',
  eventTypes: CONSUMED,

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.checks (
        check_id text PRIMARY KEY,
        resident_id text NOT NULL,
        facility text NOT NULL,
        checked_on text NOT NULL,
        year integer NOT NULL,
        check_kind text NOT NULL,
        age_band text NOT NULL,
        administrative_unit text NOT NULL,
        amount bigint NOT NULL,
        programme text NOT NULL,
        policy_version_id text NOT NULL,
        recorded_position bigint NOT NULL,
        cancelled_position bigint,
        cancel_reason text
      );
      CREATE INDEX checks_by_date ON ${s}.checks (year, checked_on);`);
  },

  async apply(tables: ProjectionTables, events: readonly CheckEvent[]): Promise<void> {
    const checks = tables.table<CheckRow>('checks', { key: ['check_id'], numeric: ['amount'] });
    await checks.load(events.map((event) => ({ check_id: event.data.checkId })));
    for (const event of events) {
      switch (event.type) {
        case 'HealthCheckRecorded': {
          const check = event.data;
          checks.put({
            check_id: check.checkId,
            resident_id: check.residentId,
            facility: check.facility,
            checked_on: check.checkedOn,
            year: Number(check.checkedOn.slice(0, 4)),
            check_kind: check.checkKind,
            age_band: check.ageBand,
            administrative_unit: check.administrativeUnit,
            amount: check.amount,
            programme: check.programme,
            policy_version_id: check.policyVersionId,
            recorded_position: event.globalPosition.toString(),
            cancelled_position: null,
            cancel_reason: null,
          });
          break;
        }
        case 'HealthCheckCancelled':
          checks.update({ check_id: event.data.checkId }, () => ({ cancelled_position: event.globalPosition.toString(), cancel_reason: event.data.reason }));
          break;
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    }
  },
});
