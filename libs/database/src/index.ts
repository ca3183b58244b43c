export { type ArchivedDataDir, EmbeddedPostgres } from './embedded-postgres.js';
export { migrate } from './migrate.js';
export { createPool, isDatabaseUnavailable, survivingLostConnections } from './pool.js';
export { inTransaction } from './transaction.js';
