export { migrateProjections, readCheckpoint } from './checkpoints.js';
export { readModelChecksum } from './checksum.js';
export { liveSchemaOf, type LogTable, type Projection, RECORDED_AT_MS } from './projection.js';
export { ident } from './sql-identifiers.js';
export {
  builtVersion,
  NotCaughtUp,
  type ProjectionObserver,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionStatus,
  type RebuildProgress,
  type RebuildSettings,
} from './projection-runner.js';
export { copyRows } from './copy-rows.js';
export { BatchTables, type BulkWriter, insertRows, type ProjectionTables, RowCache, type TableShape } from './row-cache.js';
export { type Reaction, Reactor, type ReactorOptions } from './reactor.js';
