import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientBase, Pool } from 'pg';
import { inTransaction } from '#database';
import type { EventStore, StoredEvent } from '#event-store';
import { lockCheckpoint, migrateProjections, readCheckpoint, writeCheckpoint } from './checkpoints.js';
import { liveSchemaOf, type Projection } from './projection.js';
import { ident } from './sql-identifiers.js';
import { BatchTables, type BulkWriter, insertRows, RebuildTables } from './row-cache.js';

/** How a rebuild writes what it builds. */
export interface RebuildSettings {
  /** How a rebuild writes its rows: `copyRows` on a PostgreSQL server; `insertRows` (the default) anywhere. */
  readonly bulkWriter?: BulkWriter;
  /**
   * The log's table when the event store keeps it in the read models' database: tables a
   * projection fills from the log in SQL (`Projection.fromLog`) are then filled by the database.
   */
  readonly logTable?: string;
  /**
   * What the database may use for one fill's sorts and hashes and for building its indexes
   * (`work_mem`, `maintenance_work_mem`, set for the fill's transaction only): a server's
   * defaults are sized for many small queries, and a fill counts millions of rows.
   */
  readonly fillMemory?: { readonly workMem: string; readonly maintenanceWorkMem: string };
  /** Each event type's schema version today (the domain's), for `fromLog.keepsStoredData`. */
  readonly currentSchemaVersions?: Readonly<Record<string, number>>;
  /**
   * Recreates what depends on the live read models' tables (the reporting views): after the
   * schemas are prepared, and inside the transaction that swaps a rebuilt schema in.
   */
  readonly dependents?: (sql: ClientBase) => Promise<unknown>;
}

export interface ProjectionRunnerOptions extends RebuildSettings {
  /** Most events applied in one read-model transaction while following the log. */
  readonly batchSize?: number;
  /**
   * Most events per transaction while rebuilding: larger, since a rebuild is bulk work into
   * tables nobody reads yet, and the per-transaction cost dominates small batches; but not much
   * larger, since every young-generation collection copies the events of the batch in hand.
   */
  readonly rebuildBatchSize?: number;
  /** Pause before the first retry after a failed batch; each further failure doubles it, up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  readonly log?: (message: string) => void;
  /** Told of every batch, failure and rebuild step: the process's metrics. */
  readonly observer?: ProjectionObserver;
}

export interface RebuildProgress {
  /** The projections being rebuilt, comma-separated. */
  readonly projection: string;
  readonly position: bigint;
  readonly head: bigint;
  /** Events applied so far; when the database fills every table from the log itself, the events it read. */
  readonly events: number;
  readonly eventsPerSecond: number;
}

/** What a process measures of its projections (see the metrics); every method optional. */
export interface ProjectionObserver {
  batchApplied?(projection: string, events: number, seconds: number): void;
  failed?(projection: string): void;
  rebuildProgress?(progress: RebuildProgress): void;
}

/**
 * How one projection is doing in this process, for readiness and metrics. A projection that fails
 * on an event stops there (it never skips it) and retries from its checkpoint with a growing pause.
 */
export interface ProjectionStatus {
  readonly name: string;
  /** `caught-up`: it has read the whole log as it stood at `caughtUpAt`. */
  readonly state: 'catching-up' | 'caught-up' | 'failing' | 'rebuilding';
  readonly caughtUpAt?: Date;
  readonly failure?: {
    /** The checkpoint it fails after: the next event of its types is the one it cannot apply. */
    readonly position: bigint;
    readonly error: string;
    readonly attempts: number;
    readonly since: Date;
    readonly nextAttemptAt: Date;
  };
}

type FollowState = Omit<ProjectionStatus, 'name' | 'state'> & { readonly caughtUp: boolean };

const FIRST_REBUILD_BATCH = 1000;
/** Read models and their checkpoints are rebuilt from the log: their batches need not wait for the disk. */
const DERIVED = { durable: false } as const;

/**
 * Applies a batch to `schema` and moves the checkpoint `key` in the same transaction, but only
 * if the checkpoint still stands where the caller read from; otherwise nothing is applied and
 * the caller must re-read from the stored checkpoint (a rebuild was swapped in, or another
 * runner got there first). This is what makes a kill at any moment safe.
 */
async function applyBatch(pool: Pool, projection: Projection, schema: string, key: string, from: bigint, events: readonly StoredEvent[]): Promise<boolean> {
  return inTransaction(
    pool,
    async (client) => {
      const stored = await lockCheckpoint(client, key);
      if (stored !== from) return false;
      const tables = new BatchTables(client, schema);
      await projection.apply(tables, events);
      await tables.flush();
      await writeCheckpoint(client, key, events[events.length - 1].globalPosition);
      return true;
    },
    DERIVED,
  );
}

/** Moves a checkpoint past events its projection does not consume, if it still stands at `from` (see applyBatch). */
async function advanceCheckpoint(pool: Pool, key: string, from: bigint, to: bigint): Promise<boolean> {
  const { rowCount } = await inTransaction(
    pool,
    (client) =>
      client.query('UPDATE projection_checkpoints SET position = $3, updated_at = now() WHERE projection = $1 AND position = $2', [
        key,
        from.toString(),
        to.toString(),
      ]),
    DERIVED,
  );
  return rowCount === 1;
}

/** Projections did not reach a position in the time given: they are catching up, rebuilding or stuck. */
export class NotCaughtUp extends Error {}

const versionOf = (projection: Projection): number => projection.version ?? 1;
/** Held while read models are rebuilt for a new version, so that processes starting together do it once. */
const UPGRADE_LOCK = 'projections: rebuild for a new version';
let upgrades: Promise<unknown> = Promise.resolve();

async function createSchema(pool: Pool, projection: Projection, schema: string, key: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
    await client.query(`CREATE SCHEMA ${ident(schema)}`);
    // The version travels with the schema when a rebuild renames it into place.
    await client.query(`COMMENT ON SCHEMA ${ident(schema)} IS 'read model ${projection.name}, version ${versionOf(projection)}'`);
    await projection.createTables(client, schema);
    await writeCheckpoint(client, key, 0n);
  });
}

/** The version of the projection that built `schema`: 1 for a schema from before versions were kept. */
export async function builtVersion(pool: Pool, schema: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ comment: string | null }>("SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1", [
    schema,
  ]);
  if (rows.length === 0) return undefined;
  return Number(/, version (\d+)$/.exec(rows[0].comment ?? '')?.[1] ?? 1);
}

/**
 * Drops every index of `schema`, keys included, returning the statements that recreate them: a
 * rebuild fills its tables first and builds each index once at the end, from sorted rows, which
 * is much cheaper than maintaining it row by row. Recreating a key checks it holds.
 */
async function deferIndexes(pool: Pool, schema: string): Promise<{ table: string; statement: string }[]> {
  const { rows: keys } = await pool.query<{ table: string; name: string; definition: string }>(
    `SELECT r.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
      WHERE c.connamespace = $1::regnamespace AND c.contype IN ('p', 'u') ORDER BY c.conname`,
    [schema],
  );
  const qualified = (table: string) => `${ident(schema)}.${ident(table)}`;
  if (keys.length > 0) await pool.query(keys.map((key) => `ALTER TABLE ${qualified(key.table)} DROP CONSTRAINT ${ident(key.name)}`).join(';\n'));
  const { rows: indexes } = await pool.query<{ table: string; name: string; definition: string }>(
    'SELECT tablename AS table, indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname',
    [schema],
  );
  if (indexes.length > 0) await pool.query(indexes.map((index) => `DROP INDEX ${ident(schema)}.${ident(index.name)}`).join(';\n'));
  return [
    ...keys.map((key) => ({ table: key.table, statement: `ALTER TABLE ${qualified(key.table)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}` })),
    ...indexes.map((index) => ({ table: index.table, statement: index.definition })),
  ];
}

/**
 * Keeps projections up to date from the global log, each from its own durable checkpoint.
 * Runs inside the API process by default and in the worker process in production.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly observer: ProjectionObserver;
  private readonly following = new Map<string, FollowState>();
  private readonly rebuilding = new Set<string>();
  private readonly log: (message: string) => void;
  private readonly dependents: ((sql: ClientBase) => Promise<unknown>) | undefined;
  private readonly bulkWriter: BulkWriter;
  private readonly logTable: string | undefined;
  private readonly fillMemory: RebuildSettings['fillMemory'];
  private readonly currentSchemaVersions: Readonly<Record<string, number>>;
  private readonly stopping = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly closers = new Set<() => Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.rebuildBatchSize = options.rebuildBatchSize ?? 5000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.observer = options.observer ?? {};
    this.log = options.log ?? (() => undefined);
    this.dependents = options.dependents;
    this.bulkWriter = options.bulkWriter ?? insertRows;
    this.logTable = options.logTable;
    this.fillMemory = options.fillMemory;
    this.currentSchemaVersions = options.currentSchemaVersions ?? {};
  }

  /**
   * Creates what is missing (checkpoint table, each projection's schema), rebuilds the read models
   * an earlier version of their projection built, then starts every projection.
   */
  async start(): Promise<void> {
    await this.prepare();
    await this.rebuildOutdated();
    for (const projection of this.projections) this.loops.push(this.follow(projection));
  }

  /** The read models an earlier version of their projection built. */
  private async outdated(): Promise<Projection[]> {
    const outdated: Projection[] = [];
    for (const projection of this.projections) {
      const built = await builtVersion(this.pool, liveSchemaOf(projection));
      if (built !== undefined && built < versionOf(projection)) outdated.push(projection);
    }
    return outdated;
  }

  /**
   * Rebuilds, together, the read models an earlier version of their projection built. Several
   * processes starting at once after an upgrade take turns: the first rebuilds, the others find
   * the work done. A read model built by a later version is left alone (a rollback serves it as is).
   */
  async rebuildOutdated(): Promise<readonly Projection[]> {
    if ((await this.outdated()).length === 0) return [];
    // In one process too: the embedded database is one session, in which an advisory lock is re-entrant.
    const turn = upgrades.then(() => this.rebuildOutdatedUnderLock());
    upgrades = turn.catch(() => undefined);
    return turn;
  }

  private async rebuildOutdatedUnderLock(): Promise<readonly Projection[]> {
    const lock = await this.pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', [UPGRADE_LOCK]);
      const outdated = await this.outdated();
      if (outdated.length > 0) {
        this.log(`rebuilding ${outdated.map((p) => p.name).join(', ')}: built by an earlier version of the projection`);
        await this.rebuild(outdated);
      }
      return outdated;
    } finally {
      // A connection lost meanwhile took its lock with it, and must not go back to the pool.
      const lost = await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [UPGRADE_LOCK]).then(
        () => false,
        () => true,
      );
      lock.release(lost);
    }
  }

  /**
   * Creates what is missing: the checkpoint table, each projection's schema, and what depends on
   * the read models (the reporting views), unless a read model is outdated: those depend on the
   * tables of the current version, and the rebuild that brings them recreates them.
   */
  async prepare(): Promise<void> {
    await migrateProjections(this.pool);
    for (const projection of this.projections) {
      const schema = liveSchemaOf(projection);
      if ((await readCheckpoint(this.pool, projection.name)) === undefined) await createSchema(this.pool, projection, schema, projection.name);
    }
    if (this.dependents && (await this.outdated()).length === 0) await inTransaction(this.pool, this.dependents);
  }

  /**
   * Resolves once the named projections (all by default) have applied the log up to `position`:
   * every event up to it that each one consumes (a filtered projection's checkpoint stays at the
   * last event of its types).
   */
  async waitUntil(position: bigint, names = this.projections.map((p) => p.name), timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind: string[] = [];
      for (const projection of this.projections.filter((p) => names.includes(p.name))) {
        const checkpoint = (await readCheckpoint(this.pool, projection.name)) ?? 0n;
        if (checkpoint >= position) continue;
        const [next] = await this.store.readAll({ after: checkpoint, maxCount: 1, ...(projection.eventTypes ? { eventTypes: projection.eventTypes } : {}) });
        if (next && next.globalPosition <= position) behind.push(projection.name);
      }
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new NotCaughtUp(`projections ${behind.join(', ')} did not reach position ${position} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Each projection's state in this process: what readiness and the metrics report. */
  status(): ProjectionStatus[] {
    return this.projections.map(({ name }) => {
      const { caughtUp = false, ...followed }: Partial<FollowState> = this.following.get(name) ?? {};
      const state = this.rebuilding.has(name) ? 'rebuilding' : followed.failure ? 'failing' : caughtUp ? 'caught-up' : 'catching-up';
      return { name, state, ...followed };
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.closers].map((close) => close()));
    await Promise.allSettled(this.loops);
  }

  private async follow(projection: Projection): Promise<void> {
    const key = projection.name;
    const schema = liveSchemaOf(projection);
    while (!this.stopping.signal.aborted) {
      let cursor = (await readCheckpoint(this.pool, key).catch(() => undefined)) ?? 0n;
      const subscription = this.store.subscribeToAll({
        after: cursor,
        batchSize: this.batchSize,
        ...(projection.eventTypes ? { eventTypes: projection.eventTypes } : {}),
      });
      const close = (): Promise<void> => subscription.close();
      this.closers.add(close);
      // stop() may have run while the checkpoint was being read, before this closer existed.
      if (this.stopping.signal.aborted) {
        this.closers.delete(close);
        await close();
        break;
      }
      try {
        for await (const message of subscription) {
          if (message.kind === 'caught-up') {
            // A projection of a few types learns here how far it has read: its checkpoint, and so its lag, follow the head.
            if (message.position !== undefined && message.position > cursor) {
              if (!(await advanceCheckpoint(this.pool, key, cursor, message.position))) break;
              cursor = message.position;
            }
            this.following.set(key, { caughtUp: true, caughtUpAt: new Date() });
            continue;
          }
          const started = performance.now();
          if (!(await applyBatch(this.pool, projection, schema, key, cursor, message.events))) break;
          cursor = message.events[message.events.length - 1].globalPosition;
          const { caughtUpAt } = this.following.get(key) ?? {};
          this.following.set(key, { caughtUp: false, ...(caughtUpAt ? { caughtUpAt } : {}) });
          this.observer.batchApplied?.(key, message.events.length, (performance.now() - started) / 1000);
        }
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        const previous = this.following.get(key)?.failure;
        const attempts = (previous?.attempts ?? 0) + 1;
        const delay = Math.min(this.retryDelayMs * 2 ** (attempts - 1), this.maxRetryDelayMs);
        const failure = {
          position: cursor,
          error: (error as Error).message,
          attempts,
          since: previous?.since ?? new Date(),
          nextAttemptAt: new Date(Date.now() + delay),
        };
        this.following.set(key, { caughtUp: false, failure });
        this.observer.failed?.(key);
        this.log(`projection ${key} failed after position ${cursor} (attempt ${attempts}), retrying in ${delay} ms: ${failure.error}`);
        // Stopping cuts the pause short: a projection stuck on an event must not hold a shutdown for its whole backoff.
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      } finally {
        this.closers.delete(close);
        await subscription.close();
      }
    }
  }

  /**
   * Replays the whole log into fresh schemas while the live ones keep serving, then swaps them
   * in by renaming, in one transaction that also hands the rebuilt checkpoints to the live
   * runner, which carries on from there. Several projections rebuilt together share one read of
   * the log; each keeps its tables in memory (see {@link RebuildTables}) and writes them once.
   */
  async rebuild(which: Projection | readonly Projection[], onProgress: (progress: RebuildProgress) => void = () => undefined): Promise<void> {
    const projections: readonly Projection[] = Array.isArray(which) ? which : [which as Projection];
    for (const projection of projections) this.rebuilding.add(projection.name);
    try {
      await this.rebuildAndSwap(projections, (progress) => {
        this.observer.rebuildProgress?.(progress);
        onProgress(progress);
      });
    } finally {
      for (const projection of projections) this.rebuilding.delete(projection.name);
    }
  }

  private async rebuildAndSwap(projections: readonly Projection[], onProgress: (progress: RebuildProgress) => void): Promise<void> {
    const started = Date.now();
    const { parts, cursor } = await this.fill(projections, '__rebuild', undefined, onProgress);
    await inTransaction(this.pool, async (client) => {
      for (const part of parts) {
        const retired = `${part.live}__retired`;
        await lockCheckpoint(client, part.projection.name);
        await client.query(`DROP SCHEMA IF EXISTS ${ident(retired)} CASCADE`);
        await client.query(`ALTER SCHEMA ${ident(part.live)} RENAME TO ${ident(retired)}`);
        await client.query(`ALTER SCHEMA ${ident(part.schema)} RENAME TO ${ident(part.live)}`);
        await writeCheckpoint(client, part.projection.name, cursor);
        await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [part.key]);
      }
      await this.dependents?.(client);
    });
    await Promise.all(parts.map((part) => this.pool.query(`DROP SCHEMA IF EXISTS ${ident(`${part.live}__retired`)} CASCADE`)));
    this.log(`${parts.map((part) => part.projection.name).join(', ')} rebuilt up to position ${cursor} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  /**
   * The read models as they stood when the log ended at `position`: built from the log into
   * schemas of their own (`rm_<name>__at_<position>`), which the caller reads and then drops with
   * `dropBuilt`. This is how a report quoting a position is regenerated exactly, whatever came after.
   */
  async buildAt(projections: readonly Projection[], position: bigint): Promise<Record<string, string>> {
    const { parts } = await this.fill(projections, `__at_${position}`, position, () => undefined);
    for (const part of parts) await this.pool.query('DELETE FROM projection_checkpoints WHERE projection = $1', [part.key]);
    return Object.fromEntries(parts.map((part) => [part.projection.name, part.schema]));
  }

  async dropBuilt(schemas: Record<string, string>): Promise<void> {
    for (const schema of Object.values(schemas)) await this.pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  }

  /** Whether the database may fill a projection's tables from the log: not when its SQL keeps stored data and older schemas are in the log. */
  private async databaseMayFill(projection: Projection, logTable: string): Promise<boolean> {
    if (!projection.fromLog) return false;
    if (!projection.fromLog.keepsStoredData) return true;
    const lifted = Object.entries(this.currentSchemaVersions).filter(
      ([type, version]) => version > 1 && (!projection.eventTypes || projection.eventTypes.includes(type)),
    );
    if (lifted.length === 0) return true;
    const { rows } = await this.pool.query<{ older: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${ident(logTable)} l JOIN unnest($1::text[], $2::int[]) AS today(event_type, version) USING (event_type)
                       WHERE COALESCE((l.metadata->>'schemaVersion')::int, 1) < today.version) AS older`,
      [lifted.map(([type]) => type), lifted.map(([, version]) => version)],
    );
    if (rows[0].older)
      this.log(`${projection.name}: the log holds events in older schemas, so its tables are built by applying events, not filled by the database`);
    return !rows[0].older;
  }

  /**
   * Applies the log up to `until` (the head when it starts, by default) to fresh schemas
   * `rm_<name><suffix>`, every projection from one read of it, while the database fills the
   * tables it can fill from the log itself.
   */
  private async fill(projections: readonly Projection[], suffix: string, until: bigint | undefined, onProgress: (progress: RebuildProgress) => void) {
    const names = projections.map((projection) => projection.name).join(', ');
    await migrateProjections(this.pool);
    const logTable = this.logTable;
    const fillable = new Set<Projection>();
    for (const projection of projections) if (logTable !== undefined && (await this.databaseMayFill(projection, logTable))) fillable.add(projection);
    const parts = projections.map((projection) => {
      const live = liveSchemaOf(projection);
      const schema = `${live}${suffix}`;
      const fromLog = fillable.has(projection) ? projection.fromLog : undefined;
      return {
        projection,
        live,
        schema,
        key: `${projection.name}${suffix}`,
        fromLog,
        applied: fromLog?.tables !== 'all',
        filledByDatabase: (table: string) => fromLog !== undefined && (fromLog.tables === 'all' || fromLog.tables.includes(table)),
        tables: new RebuildTables(schema, this.bulkWriter, new Set(fromLog && fromLog.tables !== 'all' ? fromLog.tables : [])),
        consumes: projection.eventTypes && new Set(projection.eventTypes),
        /** The position its checkpoint stands at. */
        at: 0n,
      };
    });
    type Part = (typeof parts)[number];
    const applied = parts.filter((part) => part.applied);
    const eventTypes = applied.every((part) => part.consumes) ? [...new Set(applied.flatMap((part) => [...part.consumes!]))] : undefined;

    /** Runs `write` on a part's fresh schema and moves its checkpoint, unless another build took it over. */
    const claim = (part: Part, to: bigint, write: (client: ClientBase) => Promise<void>) =>
      inTransaction(
        this.pool,
        async (client) => {
          if ((await lockCheckpoint(client, part.key)) !== part.at) throw new Error(`another rebuild of ${part.projection.name} is running`);
          await write(client);
          await writeCheckpoint(client, part.key, to);
          part.at = to;
        },
        DERIVED,
      );

    const started = Date.now();
    const head = until ?? (await this.store.readHeadPosition());
    // Batches start small and double, so that reading overlaps applying from the first one on.
    let batchSize = Math.min(FIRST_REBUILD_BATCH, this.rebuildBatchSize);
    const read = (after: bigint) => {
      const maxCount = batchSize;
      batchSize = Math.min(2 * batchSize, this.rebuildBatchSize);
      const batch = this.store
        .readAll({ after, maxCount, ...(eventTypes ? { eventTypes } : {}) })
        .then((events) => events.filter((event) => event.globalPosition <= head));
      batch.catch(() => undefined);
      return batch;
    };
    let next = applied.length > 0 ? read(0n) : Promise.resolve([]);
    // Applying needs only memory: the schemas are prepared while the first batches are read and applied.
    const deferred = new Map<Part, { table: string; statement: string }[]>();
    const prepared = Promise.all(
      parts.map(async (part) => {
        await createSchema(this.pool, part.projection, part.schema, part.key);
        deferred.set(part, await deferIndexes(this.pool, part.schema));
      }),
    );
    prepared.catch(() => undefined);
    // The database fills its tables alongside: it has a core to spare while this process applies events.
    const filling = new Map(
      parts.map((part) => {
        const filled = (async () => {
          await prepared;
          if (!part.fromLog) return;
          const oid = await schemaOid(this.pool, part.schema);
          await inTransaction(this.pool, async (client) => {
            await holdSchema(client, part.schema, oid, part.projection.name);
            if (this.fillMemory)
              await client.query("SELECT set_config('work_mem', $1, true), set_config('maintenance_work_mem', $2, true)", [
                this.fillMemory.workMem,
                this.fillMemory.maintenanceWorkMem,
              ]);
            await part.fromLog!.fill(client, part.schema, { table: logTable!, until: head });
            // Their indexes are built now too, while this process is still busy applying events.
            for (const index of deferred.get(part)!) if (part.filledByDatabase(index.table)) await client.query(index.statement);
          });
        })();
        filled.catch(() => undefined);
        return [part, filled] as const;
      }),
    );
    let events = 0;
    // Each part writes one batch's history while the next batch is applied: one write in flight.
    // Each starts at the schemas' preparation, whose rejection is handled already.
    const writing = new Map<Part, Promise<unknown>>(applied.map((part) => [part, prepared]));
    for (;;) {
      const batch = await next;
      if (batch.length === 0) break;
      const last = batch[batch.length - 1].globalPosition;
      // The database reads the next batch while this one is applied.
      next = read(last);
      for (const part of applied) {
        const consumed = part.consumes ? batch.filter((event) => part.consumes!.has(event.type)) : batch;
        if (consumed.length > 0) await part.projection.apply(part.tables, consumed);
        await writing.get(part);
        const history = part.tables.takeHistory();
        const write = claim(part, last, (client) => part.tables.writeHistory(client, history));
        write.catch(() => undefined);
        writing.set(part, write);
      }
      events += batch.length;
      const seconds = (Date.now() - started) / 1000;
      onProgress({ projection: names, position: last, head, events, eventsPerSecond: seconds > 0 ? events / seconds : events });
    }
    await prepared;
    if (applied.length === 0 && logTable !== undefined) {
      // The database filled everything: one report, of the events it read.
      await Promise.all(filling.values());
      const { rows } = await this.pool.query<{ events: string }>(`SELECT count(*) AS events FROM ${ident(logTable)} WHERE global_position <= $1`, [
        head.toString(),
      ]);
      events = Number(rows[0].events);
      const seconds = (Date.now() - started) / 1000;
      onProgress({ projection: names, position: head, head, events, eventsPerSecond: seconds > 0 ? events / seconds : events });
    }
    await Promise.all(
      parts.map(async (part) => {
        await writing.get(part);
        await filling.get(part);
        await claim(part, head, async (client) => {
          await part.tables.writeAll(client);
          for (const index of deferred.get(part)!) if (!part.filledByDatabase(index.table)) await client.query(index.statement);
          // Statistics before the first query: fresh tables have none, and the planner would guess from nothing.
          await analyzeSchema(client, part.schema);
        });
      }),
    );
    return { parts, cursor: head };
  }
}

async function analyzeSchema(client: ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
  if (rows.length > 0) await client.query(`ANALYZE ${rows.map((row) => `${ident(schema)}.${ident(row.tablename)}`).join(', ')}`);
}

async function schemaOid(pool: Pool, schema: string): Promise<string> {
  const { rows } = await pool.query<{ oid: string }>('SELECT oid::text FROM pg_namespace WHERE nspname = $1', [schema]);
  return rows[0].oid;
}

/**
 * Locks a fresh schema's tables for the transaction, refusing if the schema is no longer the one
 * created at `oid`: another rebuild dropped and recreated it. Once locked, nobody can drop it
 * before this transaction ends.
 */
async function holdSchema(client: ClientBase, schema: string, oid: string, name: string): Promise<void> {
  const { rows } = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema]);
  if (rows.length > 0) await client.query(`LOCK TABLE ${rows.map((row) => `${ident(schema)}.${ident(row.tablename)}`).join(', ')} IN ACCESS SHARE MODE`);
  const { rows: now } = await client.query<{ oid: string }>('SELECT oid::text FROM pg_namespace WHERE nspname = $1', [schema]);
  if (now[0]?.oid !== oid) throw new Error(`another rebuild of ${name} is running`);
}
