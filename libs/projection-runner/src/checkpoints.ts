import type { ClientBase, Pool } from 'pg';
import { migrate } from '#database';

export const PROJECTION_MIGRATIONS: readonly string[] = [
  `
  -- numeric, not bigint: EventStoreDB positions packed into one number exceed 64 bits.
  CREATE TABLE projection_checkpoints (
    projection text PRIMARY KEY,
    position numeric(40, 0) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  `,
];

export async function migrateProjections(pool: Pool): Promise<void> {
  await migrate(pool, 'projections', PROJECTION_MIGRATIONS);
}

export async function readCheckpoint(sql: ClientBase | Pool, key: string): Promise<bigint | undefined> {
  const { rows } = await sql.query<{ position: string }>('SELECT position::text FROM projection_checkpoints WHERE projection = $1', [key]);
  return rows[0] ? BigInt(rows[0].position) : undefined;
}

/** Locks the checkpoint row for the rest of the transaction and returns its position. */
export async function lockCheckpoint(sql: ClientBase, key: string): Promise<bigint | undefined> {
  const { rows } = await sql.query<{ position: string }>('SELECT position::text FROM projection_checkpoints WHERE projection = $1 FOR UPDATE', [key]);
  return rows[0] ? BigInt(rows[0].position) : undefined;
}

export async function writeCheckpoint(sql: ClientBase, key: string, position: bigint): Promise<void> {
  await sql.query(
    `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [key, position.toString()],
  );
}
