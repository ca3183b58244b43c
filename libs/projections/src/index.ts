export { migrateProjections, readCheckpoint } from './checkpoints.js';
export { readModelChecksum } from './checksum.js';
export { ident, liveSchemaOf, type Projection } from './projection.js';
export { ProjectionRunner, type ProjectionRunnerOptions, type RebuildProgress } from './projection-runner.js';
export { insertRows, RowCache } from './row-cache.js';
