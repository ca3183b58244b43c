import type pg from 'pg';
import { createPool, EmbeddedPostgres } from '#database';
import { type EventStore, EventStoreDbEventStore, PostgresEventStore } from '#event-store';
import { migrateProjections } from '#projections';
import type { AppConfig } from './config.js';

/** The infrastructure one process needs: PostgreSQL for read models, and the event store. */
export interface Runtime {
  readonly config: AppConfig;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  /** Where PostgreSQL runs, for logs: a server URL without its password, or the PGlite folder. */
  readonly databaseDescription: string;
  close(): Promise<void>;
}

export async function openRuntime(config: AppConfig): Promise<Runtime> {
  const embedded = config.database.kind === 'embedded'
    ? await EmbeddedPostgres.start(config.database.dataDir, { maxConnections: config.databasePoolSize + 2 })
    : undefined;
  const connectionString = config.database.kind === 'server' ? config.database.url : embedded!.connectionString;
  const pool = createPool(connectionString, config.databasePoolSize);
  try {
    // Every process reads checkpoints (health, read-your-writes), not only the one running projections.
    await migrateProjections(pool);
    const store = config.eventStore.kind === 'eventstoredb'
      ? EventStoreDbEventStore.connect(config.eventStore.url)
      : await PostgresEventStore.open(pool, {
          name: embedded ? 'embedded PGlite' : 'PostgreSQL',
          pollIntervalMs: config.pollIntervalMs,
        });
    return {
      config,
      pool,
      store,
      databaseDescription: config.database.kind === 'embedded' ? `embedded PGlite in ${config.database.dataDir}` : redact(config.database.url),
      async close() {
        await store.close();
        await pool.end();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
