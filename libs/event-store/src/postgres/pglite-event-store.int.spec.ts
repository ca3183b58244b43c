import { openPostgresBackend, type PostgresBackend } from '../../../../test/support/postgres-backends.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { describePostgresLog } from './postgres-log.behaviour.js';
import { PostgresEventStore } from './postgres-event-store.js';

let backend: PostgresBackend;
let store: PostgresEventStore;

beforeAll(async () => {
  backend = await openPostgresBackend('pglite');
  store = await PostgresEventStore.open(backend.pool, { name: backend.name, pollIntervalMs: 50 });
});
afterAll(async () => {
  await store.close();
  await backend.close();
});

describeEventStoreContract('embedded PGlite', () => store);
describePostgresLog('embedded PGlite', () => ({ store, pool: backend.pool }));
