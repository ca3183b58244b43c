import { randomUUID } from 'node:crypto';
import { migrate } from '#database';
import { openPostgresBackend, type PostgresBackend, type PostgresBackendKind } from '../../../../test/support/postgres-backends.js';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.js';
import { PostgresEventStore } from './postgres-event-store.js';

describe.each<[string, PostgresBackendKind]>([
  ['PostgreSQL server', 'server'],
  ['embedded PGlite', 'pglite'],
])('hash chain of a log written before it existed — %s', (_name, kind) => {
  let backend: PostgresBackend;
  beforeAll(async () => {
    backend = await openPostgresBackend(kind);
  });
  afterAll(async () => backend.close());

  it('is computed by the migration, and appends carry it on', async () => {
    // The log as the first release of the schema wrote it.
    await migrate(backend.pool, 'event-store', EVENT_STORE_MIGRATIONS.slice(0, 1));
    const metadata = { actor: 'test', schemaVersion: 1 };
    const requests = [0, 1, 2].map((n) => ({
      streamId: `old-${n}`,
      expected: 'no_stream',
      events: [
        { id: randomUUID(), type: 'Noted', data: { n }, metadata },
        { id: randomUUID(), type: 'Noted', data: { n, again: true }, metadata },
      ],
    }));
    await backend.pool.query('SELECT append_events($1::jsonb)', [JSON.stringify(requests)]);

    const store = await PostgresEventStore.open(backend.pool);
    expect(await store.chain.verify()).toEqual({ intact: true, events: 6, head: { position: 6n, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    await store.append('new', [{ type: 'Noted', data: {}, metadata }], { expectedRevision: 'no_stream' });
    expect(await store.chain.verify()).toMatchObject({ intact: true, events: 7 });
    await store.close();
  });
});
