import type { Pool, PoolClient } from 'pg';

export interface TransactionOptions {
  /**
   * False for writes derived from the log (read models, checkpoints): their commit is not waited
   * on to reach the disk (`synchronous_commit` off for this transaction only). A crash can lose the
   * last of them, checkpoint included, and they are applied again from the event log; any later
   * durable commit takes them to disk too, PostgreSQL's write-ahead log being flushed in order.
   * Saves a disk sync per batch.
   */
  readonly durable?: boolean;
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(options.durable === false ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is lost: it must not go back to the pool.
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}
