import type pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { openPostgresBackend, type PostgresBackendKind } from './postgres-backends.js';

export interface PostgresEventStoreFixture {
  readonly store: PostgresEventStore;
  readonly pool: pg.Pool;
}

/** How test output names each backend; the server's version comes from jest's global set-up. */
export const BACKEND_LABELS: Record<PostgresBackendKind, string> = {
  server: `PostgreSQL ${process.env.TEST_POSTGRES_VERSION ?? 'server'}`,
  pglite: 'embedded PGlite',
};

/** Opens a fresh backend and event store for the test file and closes them after it. */
export function usePostgresEventStore(kind: PostgresBackendKind): () => PostgresEventStoreFixture {
  let fixture: (PostgresEventStoreFixture & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const backend = await openPostgresBackend(kind);
    const store = await PostgresEventStore.open(backend.pool, { name: backend.name, pollIntervalMs: 20 });
    fixture = {
      store,
      pool: backend.pool,
      async close() {
        await store.close();
        await backend.close();
      },
    };
  });
  afterAll(async () => fixture?.close());
  return () => {
    if (!fixture) throw new Error('the event store fixture is not open yet');
    return fixture;
  };
}
