import { PostgresEventStore } from '#event-store';
import { openPostgresBackend, type PostgresBackend } from '../../../test/support/postgres-backends.js';
import { describeProjectionRunner } from './projection-runner.behaviour.js';

let backend: PostgresBackend;
let store: PostgresEventStore;

beforeAll(async () => {
  backend = await openPostgresBackend('server');
  store = await PostgresEventStore.open(backend.pool, { name: backend.name, pollIntervalMs: 20 });
});
afterAll(async () => {
  await store.close();
  await backend.close();
});

describeProjectionRunner(`PostgreSQL ${process.env.TEST_POSTGRES_VERSION ?? "server"}`, () => ({ store, pool: backend.pool }));
