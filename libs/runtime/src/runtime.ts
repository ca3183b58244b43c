import type pg from 'pg';
import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from '#read-models';
import { createPool, EmbeddedPostgres, survivingLostConnections } from '#database';
import { type EventStore, EventStoreDbEventStore, LOG_TABLE, PostgresEventStore } from '#event-store';
import { copyRows, insertRows, type RebuildSettings } from '#projections';
import type { AppConfig } from './config.js';
import { loadMasterKeys, PersonalDataKeys } from './personal-data/personal-data-keys.js';
import { PersonalDataEventStore } from './personal-data/personal-data-store.js';
import { grantApplicationRole, migrateSchema } from './schema.js';
import { SealedSecrets } from './sealing.js';

export class ProcessLifecycle {
  draining = false;

  startDraining(): void {
    this.draining = true;
  }
}

/** Injection token of the process's {@link Runtime} (pool, event store, configuration). */
export const RUNTIME = Symbol('Runtime');

/** The infrastructure one process needs: PostgreSQL for read models, and the event store. */
export interface Runtime {
  readonly config: AppConfig;
  readonly pool: pg.Pool;
  /** The log, its personal fields sealed on append and opened on read (see PersonalDataKeys). */
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
   * lacks; with the PostgreSQL event store, the database fills what follows from the log alone.
   */
  readonly rebuild: RebuildSettings;
  /** Whether the process is stopping: readiness turns false first, so load balancers send nothing new. */
  readonly lifecycle: ProcessLifecycle;
  /** The time now: the system's, or a test's, so that time-based rules (sign-in lock-outs, token expiry) are tested without waiting. */
  readonly clock: () => Date;
  close(): Promise<void>;
}

export async function openRuntime(config: AppConfig, options: { readonly clock?: () => Date } = {}): Promise<Runtime> {
  const embedded = config.database.kind === 'embedded'
    ? await EmbeddedPostgres.start(config.database.dataDir, { maxConnections: 2 * config.databasePoolSize + 2 })
    : undefined;
  const connectionString = config.database.kind === 'server' ? config.database.url : embedded!.connectionString;
  const pool = createPool(connectionString, config.databasePoolSize);
  try {
    await prepareSchema(config, pool);
    const personalData = await PersonalDataKeys.open(pool, loadMasterKeys(config.personalData, (message) => console.log(`[personal data] ${message}`)));
    const log = config.eventStore.kind === 'eventstoredb'
      ? EventStoreDbEventStore.connect(config.eventStore.url)
      : await PostgresEventStore.open(pool, {
          name: embedded ? 'embedded PGlite' : 'PostgreSQL',
          pollIntervalMs: config.pollIntervalMs,
        });
    const readModels = new DataSource({ type: 'postgres', url: connectionString, entities: READ_MODEL_ENTITIES, synchronize: false, extra: { max: config.databasePoolSize } });
    const store = new PersonalDataEventStore(log, personalData);
    await readModels.initialize();
    survivingLostConnections((readModels.driver as unknown as { master: pg.Pool }).master);
    return {
      config,
      pool,
      store,
      personalData,
      secondFactorSecrets: new SealedSecrets(personalData.secondFactorKey),
      readModels,
      databaseDescription: config.database.kind === 'embedded' ? `embedded PGlite in ${config.database.dataDir}` : redact(config.database.url),
      clock: options.clock ?? (() => new Date()),
      lifecycle: new ProcessLifecycle(),
      rebuild: { bulkWriter: embedded ? insertRows : copyRows, ...(config.eventStore.kind === 'eventstoredb' ? {} : { logTable: LOG_TABLE }) },
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
async function prepareSchema(config: AppConfig, pool: pg.Pool): Promise<void> {
  const eventStore = { eventStore: config.eventStore.kind === 'postgres' };
  const ownerUrl = config.database.kind === 'server' ? config.database.ownerUrl : undefined;
  if (!ownerUrl) return migrateSchema(pool, eventStore);
  const owner = createPool(ownerUrl, 1);
  try {
    await migrateSchema(owner, eventStore);
    const { rows } = await pool.query<{ role: string }>('SELECT current_user AS role');
    await grantApplicationRole(owner, rows[0]!.role, eventStore);
  } finally {
    await owner.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
