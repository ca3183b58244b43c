import type pg from 'pg';
import type { ApplicationPorts } from '#application/ports';
import { DataSource } from 'typeorm';
import { createReportingViews, READ_MODEL_ENTITIES } from '#read-models';
import { createPool, EmbeddedPostgres, poolOptions, survivingLostConnections } from '#database';
import { type EventStore, EventStoreDbEventStore, LOG_TABLE, PostgresEventStore } from '#event-store';
import { copyRows, insertRows, type RebuildSettings } from '#projection-runner';
import { CURRENT_SCHEMA_VERSIONS } from '#domain';
import type { AppConfig } from './config.js';
import { keepGeneratedSecret } from './generated-secrets.js';
import { createLogger, type Logger } from './logging.js';
import { loadMasterKeys, PersonalDataKeys } from './personal-data/personal-data-keys.js';
import { applicationEventStore } from './layered-event-store.js';
import { grantApplicationRole, migrateSchema } from './schema.js';
import { durableReactions } from './reactions.js';
import { retroactivityReads } from './retroactivity-reads.js';
import { SealedSecrets } from './sealing.js';

export class ProcessLifecycle {
  draining = false;

  startDraining(): void {
    this.draining = true;
  }
}

/** Injection token of the process's {@link Runtime} (pool, event store, configuration). */
export const RUNTIME = Symbol('Runtime');

/** See PostgresEventStoreOptions.groupCommitDelayMs: measured with the demo province (docs/benchmarks.md). */
const EMBEDDED_GROUP_COMMIT_DELAY_MS = 3;

/**
 * The infrastructure one process needs: PostgreSQL for read models, and the event store. It
 * provides the application's ports, so a runtime is what the application modules are opened over.
 */
export interface Runtime extends ApplicationPorts {
  readonly config: AppConfig;
  readonly pool: pg.Pool;
  /** The log as the application sees it: personal fields sealed on append and opened on read, every event read in today's schema (see applicationEventStore). */
  readonly store: EventStore;
  /** The per-person keys: erasure, and the keyed hash naming national id reservations. */
  readonly personalData: PersonalDataKeys;
  /**
   * The accounts' second-factor (TOTP) secrets, sealed under a system key wrapped by the personal
   * data master key (see PersonalDataKeys): the database holds them only sealed.
   */
  readonly secondFactorSecrets: SealedSecrets;
  /** TypeORM over the read models' tables, for the API's reads (see projections/entities). */
  readonly readModels: DataSource;
  /** Where PostgreSQL runs, for logs: a server URL without its password, or the PGlite folder. */
  readonly databaseDescription: string;
  /**
   * How rebuilds write read-model rows: COPY on a PostgreSQL server, which PGlite's wire protocol
   * lacks; with the PostgreSQL event store, the database fills what follows from the log alone;
   * the reporting views are recreated, with the BI role's grants, whenever a read model is swapped in.
   */
  readonly rebuild: RebuildSettings;
  /** Whether the process is stopping: readiness turns false first, so load balancers send nothing new. */
  readonly lifecycle: ProcessLifecycle;
  /** Where the process logs: JSON lines at the configured level, secrets and personal data redacted. */
  readonly logger: Logger;
  /** The time now: the system's, or a test's, so that time-based rules (sign-in lock-outs, token expiry) are tested without waiting. */
  readonly clock: () => Date;
  close(): Promise<void>;
}

/** `logTo`: stdout by default; the CLI keeps its stdout for its answers. */
export async function openRuntime(config: AppConfig, options: { readonly clock?: () => Date; readonly logTo?: NodeJS.WritableStream } = {}): Promise<Runtime> {
  const logger = createLogger(config.logLevel, options.logTo);
  const embedded =
    config.database.kind === 'embedded' ? await EmbeddedPostgres.start(config.database.dataDir, { maxConnections: config.databasePoolSize + 2 }) : undefined;
  const connectionString = config.database.kind === 'server' ? config.database.url : embedded!.connectionString;
  const warn = (message: string) => logger.warn(message);
  const connections = connectionBudget(config.databasePoolSize);
  const pool = createPool(connectionString, connections.pool, warn);
  try {
    await prepareSchema(config, pool);
    const personalData = await PersonalDataKeys.open(pool, loadMasterKeys(config.personalData, warn));
    const log =
      config.eventStore.kind === 'eventstoredb'
        ? EventStoreDbEventStore.connect(config.eventStore.url)
        : await PostgresEventStore.open(pool, {
            name: embedded ? 'embedded PGlite' : 'PostgreSQL',
            pollIntervalMs: config.pollIntervalMs,
            ...(embedded ? { groupCommitDelayMs: EMBEDDED_GROUP_COMMIT_DELAY_MS, soleWriter: true } : {}),
          });
    const readModelsPool = poolOptions(connectionString);
    const readModels = new DataSource({
      type: 'postgres',
      url: readModelsPool.connectionString,
      entities: READ_MODEL_ENTITIES,
      synchronize: false,
      extra: { ...readModelsPool, max: connections.readModels },
    });
    const store = applicationEventStore(log, personalData);
    await readModels.initialize();
    survivingLostConnections((readModels.driver as unknown as { master: pg.Pool }).master, warn);
    return {
      config,
      pool,
      store,
      personalData,
      secondFactorSecrets: new SealedSecrets(personalData.secondFactorKey),
      readModels,
      databaseDescription: config.database.kind === 'embedded' ? `embedded PGlite in ${config.database.dataDir}` : redact(config.database.url),
      logger,
      clock: options.clock ?? (() => new Date()),
      retroactivityReads: retroactivityReads(pool),
      generatedSecrets: { keep: (label, secret) => keepGeneratedSecret(config.generatedSecretsFile, label, secret) },
      reactions: durableReactions(store, pool, { maxRetryDelayMs: config.projectionMaxRetryDelayMs, logger }),
      lifecycle: new ProcessLifecycle(),
      rebuild: {
        bulkWriter: embedded ? insertRows : copyRows,
        currentSchemaVersions: CURRENT_SCHEMA_VERSIONS,
        dependents: (sql) => createReportingViews(sql, config.reportingRole),
        ...(config.eventStore.kind === 'eventstoredb' ? {} : { logTable: LOG_TABLE }),
        // A server has memory to spare for a rebuild's fills; the embedded database runs in this process's.
        ...(embedded ? {} : { fillMemory: { workMem: '256MB', maintenanceWorkMem: '512MB' } }),
      },
      async close() {
        await readModels.destroy();
        await store.close();
        await pool.end();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
}

/**
 * Brings the schema up to date: as the owner role, which then grants the application's role what
 * it needs, when one is configured; otherwise the application's one role does both.
 */
/**
 * DATABASE_POOL_SIZE split between the two pools of a process: TypeORM's, which serves only the
 * API's few searches over the read models, gets a fifth (at least one) and `pg`'s, which serves
 * commands, projections and every other read, the rest; so the process opens no more connections
 * than configured (at least two).
 */
export function connectionBudget(size: number): { readonly pool: number; readonly readModels: number } {
  const readModels = Math.max(1, Math.floor(size / 5));
  return { pool: Math.max(1, size - readModels), readModels };
}

async function prepareSchema(config: AppConfig, pool: pg.Pool): Promise<void> {
  const eventStore = { eventStore: config.eventStore.kind === 'postgres' };
  const ownerUrl = config.database.kind === 'server' ? config.database.ownerUrl : undefined;
  if (!ownerUrl) return migrateSchema(pool, eventStore);
  const owner = createPool(ownerUrl, 1);
  try {
    await migrateSchema(owner, eventStore);
    const { rows } = await pool.query<{ role: string }>('SELECT current_user AS role');
    await grantApplicationRole(owner, rows[0].role, eventStore);
  } finally {
    await owner.end();
  }
}

/** Not through URL(): it rejects the several hosts of a failover setup. */
function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
