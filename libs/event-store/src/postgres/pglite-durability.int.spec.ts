import fs from 'node:fs';
import { createPool, EmbeddedPostgres } from '#database';
import { freshPgliteFolder } from '../../../../test/support/pglite-template.js';
import { PostgresEventStore } from './postgres-event-store.js';

/**
 * An acknowledged append must survive an operating-system crash on the embedded default too: the
 * WAL reaches the disk (fsync) before the append is answered, once per group commit. PGlite's
 * PostgreSQL calls fsync through Node's `fs.fsyncSync`, which the test counts.
 */
describe('embedded PGlite — durable group commits', () => {
  const real = fs.fsyncSync;
  let syncs = 0;
  let folder: ReturnType<typeof freshPgliteFolder>;
  let embedded: EmbeddedPostgres;
  let pool: ReturnType<typeof createPool>;
  let store: PostgresEventStore;
  let groups = 0;

  beforeAll(async () => {
    fs.fsyncSync = (fd) => {
      syncs++;
      real(fd);
    };
    folder = freshPgliteFolder('hsb-durable-');
    embedded = await EmbeddedPostgres.start(folder.dataDir);
    pool = createPool(embedded.connectionString, 4);
    store = await PostgresEventStore.open(pool);
    // Each group commit is one call of append_events.
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      if (String(args[0]).startsWith('SELECT append_events')) groups++;
      return query(...args);
    }) as typeof pool.query;
  });
  afterAll(async () => {
    fs.fsyncSync = real;
    await store?.close();
    await pool?.end();
    await embedded?.stop();
    await folder?.cleanup();
  });

  const metadata = { actor: 'test', schemaVersion: 1 };

  it('syncs the WAL once before each acknowledged append', async () => {
    for (let n = 0; n < 10; n++) {
      const before = syncs;
      await store.append(`durable-${n}`, [{ type: 'Noted', data: { n }, metadata }], { expectedRevision: 'no_stream' });
      expect(syncs - before).toBe(1);
    }
  });

  it('syncs once per group when concurrent appends share a commit', async () => {
    const [syncsBefore, groupsBefore] = [syncs, groups];
    await Promise.all(
      Array.from({ length: 40 }, (_, n) => store.append(`together-${n}`, [{ type: 'Noted', data: { n }, metadata }], { expectedRevision: 'no_stream' })),
    );
    const committed = groups - groupsBefore;
    expect(committed).toBeLessThan(40);
    expect(syncs - syncsBefore).toBe(committed);
  });
});
