import type { Pool } from 'pg';
import { inTransaction } from './transaction.js';

/**
 * Applies a component's numbered migrations that the database has not seen yet, in one
 * transaction, under one advisory lock, so that processes starting together do not race.
 * A schema already current is only read: a role that may not change the schema (the application's,
 * when migrations run as the owner) gets through here.
 */
export async function migrate(pool: Pool, component: string, migrations: readonly string[]): Promise<void> {
  const { rows: table } = await pool.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (table[0].exists) {
    const { rows } = await pool.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations WHERE component = $1', [
      component,
    ]);
    if (rows[0].version === migrations.length) return;
  }
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['schema_migrations']);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations WHERE component = $1', [
      component,
    ]);
    const applied = rows[0]?.version ?? 0;
    if (applied > migrations.length) {
      throw new Error(`${component}: the database is at migration ${applied}, newer than this build knows (${migrations.length})`);
    }
    for (let version = applied + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]);
      await client.query('INSERT INTO schema_migrations (component, version) VALUES ($1, $2)', [component, version]);
    }
  });
}
