import type pg from 'pg';
import { createPool, EmbeddedPostgres } from '#database';
import { freshPgliteFolder } from './pglite-template.js';
import { createTestDatabase } from './test-database.js';

/**
 * The two PostgreSQL backends every PostgreSQL-side test runs on: a real server (a database of
 * its own on the test server) and embedded PGlite (a fresh data folder).
 */
export interface PostgresBackend {
  readonly name: string;
  readonly url: string;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export type PostgresBackendKind = 'server' | 'pglite';

export async function openPostgresBackend(kind: PostgresBackendKind): Promise<PostgresBackend> {
  if (kind === 'server') {
    const database = await createTestDatabase();
    const pool = createPool(database.url, 10);
    return {
      name: `PostgreSQL ${process.env.TEST_POSTGRES_VERSION ?? 'server'}`,
      url: database.url,
      pool,
      async close() {
        await pool.end();
        await database.drop();
      },
    };
  }
  const { dataDir, cleanup } = freshPgliteFolder();
  const embedded = await EmbeddedPostgres.start(dataDir);
  const pool = createPool(embedded.connectionString, 10);
  return {
    name: 'embedded PGlite',
    url: embedded.connectionString,
    pool,
    async close() {
      await pool.end();
      await embedded.stop();
      await cleanup();
    },
  };
}
