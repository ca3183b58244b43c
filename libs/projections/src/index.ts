export { migrateProjections, readCheckpoint } from './checkpoints.js';
export { readModelChecksum } from './checksum.js';
export { ident, liveSchemaOf, type Projection } from './projection.js';
export { ProjectionRunner, type ProjectionRunnerOptions, type RebuildProgress } from './projection-runner.js';
export { copyRows } from './copy-rows.js';
export { BatchTables, type BulkWriter, insertRows, type ProjectionTables, RowCache, type TableShape } from './row-cache.js';
