import type { ClientBase, Pool } from 'pg';
import { ident, liveSchemaOf, type ProjectionTables } from '#projection-runner';
import { domainProjection, type LoggedEventOf } from '../domain-projection.js';
import { idOf, yearOf } from '../registers/registers.projection.js';

/** One approved special-drug claim flagged for the Professional Council, and what the council decided. */
type FlagRow = {
  flag_id: string;
  claim_id: string;
  beneficiary_id: string;
  regime_id: string;
  year: number;
  service_date: string;
  cause_kind: string;
  cause_id: string;
  /** What the claim stood at when flagged, the caps before and after the change, and what now lies beyond. */
  amount: number;
  previous_cap: number;
  cap: number;
  excess: number;
  policy_version_id: string;
  flagged_by: string;
  /** pending, kept or reduced. */
  status: string;
  decided_by: string | null;
  reason: string | null;
  /** The adjustment recovering the excess, once the council reduced the claim. */
  adjustment_id: string | null;
};

const CONSUMED = ['ClaimOverLoweredCapFlagged', 'ClaimOverLoweredCapKept', 'ClaimReducedToLoweredCap'] as const;
type FlagEvent = LoggedEventOf<(typeof CONSUMED)[number]>;
const MONEY = ['amount', 'previous_cap', 'cap', 'excess'] as const;

/**
 * The council's work list: special-drug claims that a retroactive change left over a lowered
 * annual cap, pending until the council keeps or reduces them.
 */
export const councilFlags = domainProjection({
  name: 'council_flags',
  eventTypes: CONSUMED,

  async createTables(sql: ClientBase, schema: string): Promise<void> {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.flags (
        flag_id text PRIMARY KEY,
        claim_id text NOT NULL,
        beneficiary_id text NOT NULL,
        regime_id text NOT NULL,
        year integer NOT NULL,
        service_date text NOT NULL,
        cause_kind text NOT NULL,
        cause_id text NOT NULL,
        amount bigint NOT NULL,
        previous_cap bigint NOT NULL,
        cap bigint NOT NULL,
        excess bigint NOT NULL,
        policy_version_id text NOT NULL,
        flagged_by text NOT NULL,
        status text NOT NULL,
        decided_by text,
        reason text,
        adjustment_id text
      );
      CREATE INDEX flags_by_status ON ${s}.flags (status, flag_id);`);
  },

  async apply(tables: ProjectionTables, events: readonly FlagEvent[]): Promise<void> {
    const flags = tables.table<FlagRow>('flags', { key: ['flag_id'], numeric: [...MONEY] });
    await flags.load(events.map((event) => ({ flag_id: event.data.flagId })));
    for (const event of events) {
      switch (event.type) {
        case 'ClaimOverLoweredCapFlagged': {
          const flag = event.data;
          flags.put({
            flag_id: flag.flagId,
            claim_id: idOf(event.streamId, 'claim'),
            beneficiary_id: flag.beneficiaryId,
            regime_id: flag.regimeId,
            year: yearOf(flag.serviceDate),
            service_date: flag.serviceDate,
            cause_kind: flag.cause.kind,
            cause_id: flag.cause.id,
            amount: flag.amount,
            previous_cap: flag.cap.previous,
            cap: flag.cap.next,
            excess: flag.excess,
            policy_version_id: flag.policyVersionId,
            flagged_by: flag.recordedBy,
            status: 'pending',
            decided_by: null,
            reason: null,
            adjustment_id: null,
          });
          break;
        }
        case 'ClaimOverLoweredCapKept':
          flags.update({ flag_id: event.data.flagId }, () => ({ status: 'kept', decided_by: event.data.by, reason: event.data.reason }));
          break;
        case 'ClaimReducedToLoweredCap':
          flags.update({ flag_id: event.data.flagId }, () => ({
            status: 'reduced',
            decided_by: event.data.by,
            reason: event.data.reason,
            adjustment_id: event.data.adjustmentId,
          }));
          break;
        default: {
          const unhandled: never = event;
          return unhandled;
        }
      }
    }
  },
});

const F = liveSchemaOf(councilFlags);

/** A flag as the council's list shows it. */
export interface CouncilFlag {
  readonly flagId: string;
  readonly claimId: string;
  readonly beneficiaryId: string;
  readonly regimeId: string;
  readonly serviceDate: string;
  readonly cause: { readonly kind: string; readonly id: string };
  readonly amount: number;
  readonly cap: { readonly previous: number; readonly next: number };
  readonly excess: number;
  readonly policyVersionId: string;
  readonly flaggedBy: string;
  readonly status: string;
  readonly decidedBy: string | null;
  readonly reason: string | null;
  readonly adjustmentId: string | null;
}

/** The flags (of one status, of some claims, or all), the earliest service first. */
export async function councilFlagList(pool: Pool, filter: { readonly status?: string; readonly claimIds?: readonly string[] } = {}): Promise<CouncilFlag[]> {
  const { rows } = await pool.query<FlagRow>(
    `SELECT * FROM ${F}.flags
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text[] IS NULL OR claim_id = ANY($2::text[]))
      ORDER BY service_date, flag_id`,
    [filter.status ?? null, filter.claimIds ?? null],
  );
  return rows.map((row) => ({
    flagId: row.flag_id,
    claimId: row.claim_id,
    beneficiaryId: row.beneficiary_id,
    regimeId: row.regime_id,
    serviceDate: row.service_date,
    cause: { kind: row.cause_kind, id: row.cause_id },
    amount: Number(row.amount),
    cap: { previous: Number(row.previous_cap), next: Number(row.cap) },
    excess: Number(row.excess),
    policyVersionId: row.policy_version_id,
    flaggedBy: row.flagged_by,
    status: row.status,
    decidedBy: row.decided_by,
    reason: row.reason,
    adjustmentId: row.adjustment_id,
  }));
}
