export { type ArchivedDataDir, EmbeddedPostgres } from './embedded-postgres.js';
export { migrate } from './migrate.js';
export { type ConnectionTargets, formatAddress, parseConnectionTargets, poolOptions, resolvedUrl } from './connection-targets.js';
export { createPool, isDatabaseUnavailable, survivingLostConnections } from './pool.js';
export { inTransaction } from './transaction.js';
