import type { ClientBase, Pool } from 'pg';
import { ident } from './sql-identifiers.js';

/**
 * A digest of every row of every table in a read-model schema, independent of physical row
 * order: two schemas hold the same read model exactly when their checksums are equal.
 */
export async function readModelChecksum(pool: ClientBase | Pool, schema: string): Promise<string> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  if (tables.length === 0) throw new Error(`schema ${schema} has no tables`);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await pool.query<{ digest: string | null; count: string }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS digest, count(*) AS count FROM ${ident(schema)}.${ident(table_name)} t`,
    );
    parts.push(`${table_name}:${rows[0].count}:${rows[0].digest ?? 'empty'}`);
  }
  return parts.join(' ');
}
