import { PostgresEventStore } from '#event-store';
import { openPostgresBackend, type PostgresBackend } from '../../../test/support/postgres-backends.js';
import { describeProjectionRunner } from './projection-runner.behaviour.js';

let backend: PostgresBackend;
let store: PostgresEventStore;

beforeAll(async () => {
  backend = await openPostgresBackend('pglite');
  store = await PostgresEventStore.open(backend.pool, { name: backend.name, pollIntervalMs: 20 });
});
afterAll(async () => {
  await store.close();
  await backend.close();
});

describeProjectionRunner('embedded PGlite', () => ({ store, pool: backend.pool }));
