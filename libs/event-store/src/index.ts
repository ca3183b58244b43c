export * from './port.js';
export { migrateEventStore, PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { PostgresHashChain } from './postgres/event-chain.js';
export { EVENT_STORE_MIGRATIONS, LOG_TABLE } from './postgres/event-store-schema.js';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
