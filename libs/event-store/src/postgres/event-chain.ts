import type { ClientBase, Pool } from 'pg';
import type { ChainLink, ChainVerification, HashChain } from '../event-store.js';

const VERIFY_BATCH = 5000;

/**
 * The PostgreSQL log's hash chain (see the second migration in event-store-schema.ts). Verifying
 * recomputes each event's hash with the same `event_hash` function the appends used, from the
 * stored hash of the event before it, and checks that positions follow one another and end at the
 * head that append_events keeps: an edited event fails its own hash, a removed one leaves a gap or
 * a short log, one slipped in breaks the next link.
 */
export class PostgresHashChain implements HashChain {
  /** A client rather than a pool where the head must be read in a transaction's snapshot (a backup's). */
  constructor(private readonly pool: ClientBase | Pool) {}

  /** The last link as `append_events` keeps it: position 0 and an empty hash for the empty log. */
  async head(): Promise<ChainLink> {
    const { rows } = await this.pool.query<{ position: string; hash: string }>(
      "SELECT last_position::text AS position, encode(last_hash, 'hex') AS hash FROM event_log_head WHERE id = 1",
    );
    return { position: BigInt(rows[0].position), hash: rows[0].hash };
  }

  async linkAt(position: bigint): Promise<ChainLink | undefined> {
    const { rows } = await this.pool.query<{ hash: string }>("SELECT encode(hash, 'hex') AS hash FROM events WHERE global_position = $1", [
      position.toString(),
    ]);
    return rows[0] && { position, hash: rows[0].hash };
  }

  async verify(onProgress: (position: bigint, head: bigint) => void = () => undefined): Promise<ChainVerification> {
    const recorded = await this.head();
    const head = recorded.position;
    let last: ChainLink = { position: 0n, hash: '' };
    for (;;) {
      const { rows } = await this.pool.query<{ position: string; hash: string; intact: boolean }>(
        `SELECT global_position::text AS position, encode(hash, 'hex') AS hash,
                hash = event_hash(coalesce(lag(hash) OVER (ORDER BY global_position), decode($2, 'hex')),
                                  global_position, event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at) AS intact
           FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $3`,
        [last.position.toString(), last.hash, VERIFY_BATCH],
      );
      for (const row of rows) {
        const position = BigInt(row.position);
        if (position !== last.position + 1n)
          return { intact: false, position: last.position + 1n, reason: `the event at position ${last.position + 1n} is missing` };
        if (!row.intact)
          return {
            intact: false,
            position,
            reason: `the event at position ${position} does not match its hash and the one before it: it, or the one before it, was altered`,
          };
        last = { position, hash: row.hash };
      }
      if (rows.length > 0) onProgress(last.position, head);
      if (rows.length < VERIFY_BATCH) break;
    }
    if (last.position !== head || last.hash !== recorded.hash) {
      return {
        intact: false,
        position: last.position + 1n,
        reason: `the log ends at position ${last.position}, but its head says ${head}: events were removed from the end, or the head was altered`,
      };
    }
    return head === 0n ? { intact: true, events: 0 } : { intact: true, events: Number(head), head: last };
  }
}
