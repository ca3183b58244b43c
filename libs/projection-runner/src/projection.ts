import type { ClientBase } from 'pg';
import type { StoredEvent } from '#event-store';
import type { ProjectionTables } from './row-cache.js';

/**
 * A read model fed from the global log. Its tables live in a PostgreSQL schema of their own, so a
 * rebuild can fill a fresh schema and swap it in by renaming while the old one keeps serving.
 * `apply` must be deterministic (no clock, no random ids): the same log gives the same tables.
 */
export interface Projection {
  /** Stable name: the checkpoint key and, as `rm_<name>`, the schema readers query. */
  readonly name: string;
  /** Only these event types are delivered; omit for all. */
  readonly eventTypes?: readonly string[];
  /**
   * The shape of its read model: raised whenever its tables, or what `apply` puts in them, change.
   * A read model built by another version is rebuilt when the runner starts, so an upgrade never
   * serves tables the code no longer expects. Default 1.
   */
  readonly version?: number;
  /** Creates the tables in `schema`, which exists and is empty. */
  createTables(sql: ClientBase, schema: string): Promise<void>;
  /**
   * Applies a batch, in log order, to the tables. While following the log the rows are written
   * in the transaction that also moves the checkpoint; while rebuilding they stay in memory
   * across batches and are written at the end.
   */
  apply(tables: ProjectionTables, events: readonly StoredEvent[]): Promise<void>;
  /**
   * Tables whose rows follow from the log by plain SQL: each from one event, from the latest
   * event for its key, or counts. When the log is the PostgreSQL event store's table in the read
   * models' database, a rebuild has the database fill them (`fill`) while it applies the rest,
   * and what `apply` puts in them is not written (it may still read them); with `tables: 'all'`,
   * `apply` is not run at all. The rebuild tests hold both ways to the same rows.
   */
  readonly fromLog?: {
    readonly tables: readonly string[] | 'all';
    /**
     * Whether the SQL keeps event data as stored (rather than fields every schema version shares):
     * it then fills only a log whose events of its types are all in today's schema, since `apply`
     * sees older ones lifted by the upcasters, which SQL does not run.
     */
    readonly keepsStoredData?: boolean;
    fill(sql: ClientBase, schema: string, log: LogTable): Promise<void>;
  };
}

/** The log's table, read up to and including `until`. */
export interface LogTable {
  readonly table: string;
  readonly until: bigint;
}

/** The log's timestamps as the event store reads them (milliseconds), so SQL-filled rows equal applied ones. */
export const RECORDED_AT_MS = "date_trunc('milliseconds', recorded_at)";

export function liveSchemaOf(projection: Pick<Projection, 'name'>): string {
  if (!/^[a-z][a-z0-9_]*$/.test(projection.name)) {
    throw new Error(`projection name "${projection.name}" must be lower-case letters, digits and underscores`);
  }
  return `rm_${projection.name}`;
}
