import { Inject, Injectable } from '@nestjs/common';
import { type Actor, requireRole } from '../event-sourcing.js';
import { CLOCK, type Clock, SQL, type Sql } from '../ports/index.js';

/** One read of a person's data, as an auditor sees it. */
export interface PersonalDataRead {
  readonly readAt: string;
  readonly actor: string;
  readonly roles: readonly string[];
  /**
   * What was read: one person's `beneficiary`, `group`, `annual-ledger`, `balances`,
   * `balances-as-of`, `admission`, `claim`, `payout`, `payout-lineage`; a resident's `resident`
   * (`beneficiaryId` then holds the resident's id); or a list naming them: `register`,
   * `payout-history`, `council-flags`, `approval-queue`, `payment-queue`, `records-queue`.
   */
  readonly what: string;
  readonly beneficiaryId: string;
}

/**
 * Who read which person's data, and when (the law asks that reads of health data be traceable).
 * Kept in a table of its own, not the log: reads far outnumber facts and would swamp the log and
 * every projection reading it; they change nothing on the register; and they may be pruned once
 * their retention ends, which the log never is. The application's role may only add rows and read
 * them (no UPDATE or DELETE where least privilege is set up).
 */
@Injectable()
export class PersonalDataReads {
  constructor(
    @Inject(SQL) private readonly sql: Sql,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Records that `actor` read the data of the people named: one, or every person a list showed (a
   * row each, so a person's reads are found whichever way they were read). Entries of no one (a
   * payout to a facility) are skipped.
   */
  async record(actor: Actor, what: string, beneficiaryIds: string | readonly (string | null | undefined)[]): Promise<void> {
    const people = [...new Set(typeof beneficiaryIds === 'string' ? [beneficiaryIds] : beneficiaryIds.filter((id): id is string => typeof id === 'string'))];
    if (people.length === 0) return;
    await this.sql.query('INSERT INTO personal_data_reads (read_at, actor, roles, what, beneficiary_id) SELECT $1, $2, $3, $4, unnest($5::text[])', [
      this.clock(),
      actor.username,
      actor.roles,
      what,
      people,
    ]);
  }

  /** Records a read of one aggregate (a stay, a claim, a payout) as a read of the person it concerns, if any; answers the view. */
  async recordView<View>(actor: Actor, what: string, view: View, personOf: (view: View) => string | undefined): Promise<View> {
    await this.record(actor, what, [personOf(view)]);
    return view;
  }

  /** The latest reads first, of one person or of everybody. */
  async list(actor: Actor, query: { readonly beneficiaryId?: string; readonly limit: number }): Promise<PersonalDataRead[]> {
    requireRole(actor, 'readPersonalDataReads', 'reading who read personal data');
    const { rows } = await this.sql.query<{ read_at: Date; actor: string; roles: string[]; what: string; beneficiary_id: string }>(
      `SELECT read_at, actor, roles, what, beneficiary_id FROM personal_data_reads WHERE ($1::text IS NULL OR beneficiary_id = $1) ORDER BY id DESC LIMIT $2`,
      [query.beneficiaryId ?? null, query.limit],
    );
    return rows.map((row) => ({ readAt: row.read_at.toISOString(), actor: row.actor, roles: row.roles, what: row.what, beneficiaryId: row.beneficiary_id }));
  }
}
