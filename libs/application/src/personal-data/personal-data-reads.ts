import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '#runtime';
import { type Actor, requireRole } from '../event-sourcing.js';

/** One read of a person's data, as an auditor sees it. */
export interface PersonalDataRead {
  readonly readAt: string;
  readonly actor: string;
  readonly roles: readonly string[];
  /** What was read: `beneficiary`, `group`, `annual-ledger`, `balances`, `balances-as-of`. */
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
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async record(actor: Actor, what: string, beneficiaryId: string): Promise<void> {
    await this.runtime.pool.query('INSERT INTO personal_data_reads (read_at, actor, roles, what, beneficiary_id) VALUES ($1, $2, $3, $4, $5)', [
      this.runtime.clock(),
      actor.username,
      actor.roles,
      what,
      beneficiaryId,
    ]);
  }

  /** The latest reads first, of one person or of everybody. */
  async list(actor: Actor, query: { readonly beneficiaryId?: string; readonly limit: number }): Promise<PersonalDataRead[]> {
    requireRole(actor, 'readPersonalDataReads', 'reading who read personal data');
    const { rows } = await this.runtime.pool.query<{ read_at: Date; actor: string; roles: string[]; what: string; beneficiary_id: string }>(
      `SELECT read_at, actor, roles, what, beneficiary_id FROM personal_data_reads WHERE ($1::text IS NULL OR beneficiary_id = $1) ORDER BY id DESC LIMIT $2`,
      [query.beneficiaryId ?? null, query.limit],
    );
    return rows.map((row) => ({ readAt: row.read_at.toISOString(), actor: row.actor, roles: row.roles, what: row.what, beneficiaryId: row.beneficiary_id }));
  }
}
