import { existsSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { createPool, EmbeddedPostgres, resolvedUrl } from '#database';
import { type ChainLink, PostgresHashChain } from '#event-store';
import { ident, liveSchemaOf, readCheckpoint, readModelChecksum } from '#projection-runner';
import { ALL_PROJECTIONS } from '#read-models';
import { type AppConfig, masterKeyId, opensEveryStoredKey, readMasterKey } from '#runtime';
import { type BackupManifest, manifestFileOf, type ManifestContent, readManifest, writeManifest } from './manifest.js';
import { withoutEntries } from './pglite-archive.js';
import { findPostgresProgram, runPostgresProgram } from './postgres-programs.js';

type Sql = pg.ClientBase | pg.Pool;
type ServerDatabase = Extract<AppConfig['database'], { kind: 'server' }>;
type EmbeddedDatabase = Extract<AppConfig['database'], { kind: 'embedded' }>;

/** Each read model's checksum; undefined for one not built yet. */
export async function readModelChecksums(sql: Sql, projections = ALL_PROJECTIONS): Promise<Map<string, string | undefined>> {
  const checksums = new Map<string, string | undefined>();
  for (const projection of projections) {
    const built = (await readCheckpoint(sql, projection.name)) !== undefined;
    checksums.set(projection.name, built ? await readModelChecksum(sql, liveSchemaOf(projection)) : undefined);
  }
  return checksums;
}

/**
 * Backs the configured database up to `file`, with its manifest beside it. A server: `pg_dump
 * --format=custom` of one snapshot, in which the log head and the read models' checksums are read
 * too. The embedded database: its data folder, archived while this process holds its lock, so
 * the API must be stopped. Neither holds the personal data master key.
 */
export async function backup(config: AppConfig, file: string): Promise<BackupManifest> {
  if (existsSync(manifestFileOf(file))) throw new Error(`${manifestFileOf(file)} already exists: a backup never replaces another`);
  // Created here, readable by this account only (it holds health data and password hashes), and never over another file.
  await (
    await open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? new Error(`${file} already exists: a backup never replaces another`) : error;
    })
  ).close();
  try {
    const content = config.database.kind === 'server' ? await backupServer(config, config.database, file) : await backupEmbedded(config, config.database, file);
    return await writeManifest(file, content);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
}

async function backupServer(config: AppConfig, database: ServerDatabase, file: string): Promise<ManifestContent> {
  // One host, the primary: pg_dump must reach the server whose snapshot the client exports.
  const url = await resolvedUrl(database.ownerUrl ?? database.url);
  const pgDump = findPostgresProgram('pg_dump', config.postgresBin);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string; version: string; major: number }>(
      "SELECT pg_export_snapshot() AS snapshot, split_part(current_setting('server_version'), ' ', 1) AS version, current_setting('server_version_num')::int / 10000 AS major",
    );
    const server = rows[0];
    if (pgDump.major < server.major) {
      throw new Error(
        `pg_dump ${pgDump.version} (${pgDump.path}) cannot dump a PostgreSQL ${server.version} server: install PostgreSQL ${server.major}'s client programs, or set PG_BIN to their folder`,
      );
    }
    const state = await stateOf(client, config);
    await runPostgresProgram(pgDump, ['--format=custom', `--snapshot=${server.snapshot}`, `--file=${file}`], url);
    await client.query('COMMIT');
    return { backend: 'server', postgresVersion: server.version, pgDumpVersion: pgDump.version, ...state };
  } finally {
    await client.end();
  }
}

async function backupEmbedded(config: AppConfig, database: EmbeddedDatabase, file: string): Promise<ManifestContent> {
  if (!existsSync(join(database.dataDir, 'PG_VERSION'))) throw new Error(`${database.dataDir} holds no embedded database`);
  const embedded = await EmbeddedPostgres.start(database.dataDir);
  const pool = createPool(embedded.connectionString, 1);
  try {
    const state = await stateOf(pool, config);
    const { rows } = await pool.query<{ version: string }>("SELECT split_part(current_setting('server_version'), ' ', 1) AS version");
    // Written out now, so that the archive needs no recovery when it is opened.
    await pool.query('CHECKPOINT');
    const archive = withoutEntries(await embedded.dumpDataDir(), leftOutOfArchive(database.dataDir, config.personalData.file));
    await writeDurably(file, gzipSync(archive));
    return { backend: 'embedded', postgresVersion: rows[0].version, ...state };
  } finally {
    await pool.end();
    await embedded.stop();
  }
}

/**
 * Left out of an embedded database's archive: the master key, when its file is in the folder (the
 * default), and the lock file of the instance that wrote the archive.
 */
function leftOutOfArchive(dataDir: string, keyFile: string): Set<string> {
  const key = relative(resolve(dataDir), resolve(keyFile));
  return new Set(['/postmaster.pid', ...(key.startsWith('..') ? [] : [`/${key}`])]);
}

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** What the backup records of the database it copies: read in the same snapshot as the copy. */
async function stateOf(sql: Sql, config: AppConfig): Promise<Pick<ManifestContent, 'log' | 'readModels' | 'masterKeyId'>> {
  const { rows } = await sql.query<{ has_log: boolean }>("SELECT to_regclass('event_log_head') IS NOT NULL AS has_log");
  const checksums = await readModelChecksums(sql);
  return {
    log: rows[0].has_log ? await new PostgresHashChain(sql).head() : null,
    readModels: Object.fromEntries([...checksums].filter((entry): entry is [string, string] => entry[1] !== undefined)),
    masterKeyId: await checkedMasterKeyId(sql, config),
  };
}

/** The id of the master key this configuration names, once it is shown to open the database's data keys. */
async function checkedMasterKeyId(sql: Sql, config: AppConfig): Promise<string | null> {
  const key = readMasterKey(config.personalData);
  if (!key) {
    process.stderr.write(
      `warning: no personal data master key (PERSONAL_DATA_KEY unset, no ${config.personalData.file}): the manifest cannot name the key this backup's personal data needs\n`,
    );
    return null;
  }
  if ((await opensEveryStoredKey(sql, key)) === false) {
    throw new Error(
      `the master key ${config.personalData.key ? 'in PERSONAL_DATA_KEY' : `in ${config.personalData.file}`} does not open all of this database's personal data: back up with the API's PERSONAL_DATA_KEY or PERSONAL_DATA_KEY_FILE, after \`personal-data rewrap\` if the key was rotated`,
    );
  }
  return masterKeyId(key);
}

export interface RestoreOptions {
  /** Replace what the target holds (a server's database is dropped and created again; an embedded folder emptied). */
  readonly force: boolean;
  /** The backed-up master key's file, for a target whose configuration does not hold it yet. */
  readonly keyFile?: string;
}

/** What a restore found when it checked the restored database against the manifest. */
export interface RestoreOutcome {
  readonly manifest: BackupManifest;
  readonly events: number;
  readonly head?: ChainLink;
  readonly problems: readonly string[];
}

/**
 * Restores `file` into the configured database, which must be empty unless `force`, then walks
 * the restored log's hash chain and compares its head and the read models' checksums with the
 * manifest. Everything that can be refused is refused before anything is written.
 */
export async function restore(config: AppConfig, file: string, options: RestoreOptions): Promise<RestoreOutcome> {
  const manifest = await readManifest(file);
  if (manifest.backend !== config.database.kind) {
    throw new Error(
      `${file} is a backup of ${describe(manifest.backend)}, and the target is ${describe(config.database.kind)}: restore it into the same kind (--into)`,
    );
  }
  const installKey = keyToInstall(config, manifest, options.keyFile);
  const outcome =
    config.database.kind === 'server'
      ? await restoreServer(config, config.database, file, manifest, options.force)
      : await restoreEmbedded(config, config.database, file, manifest, options.force);
  if (installKey) await writeFile(config.personalData.file, `${installKey.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return outcome;
}

const describe = (kind: 'server' | 'embedded') => (kind === 'server' ? 'a PostgreSQL server' : 'the embedded database');

/**
 * Checks that the restored system will hold the master key the backup's personal data needs,
 * and returns the key to write to the configured key file when it comes from `keyFile`.
 */
function keyToInstall(config: AppConfig, manifest: BackupManifest, keyFile: string | undefined): Buffer | undefined {
  const configured = readMasterKey(config.personalData);
  const given = keyFile === undefined ? undefined : readMasterKey({ file: keyFile });
  if (keyFile !== undefined && !given) throw new Error(`--key-file ${keyFile} does not exist`);
  if (given && configured && !given.equals(configured)) {
    throw new Error(
      `the target's master key (${config.personalData.key ? 'PERSONAL_DATA_KEY' : config.personalData.file}) is another key than --key-file's: the restored system would not read its register`,
    );
  }
  const key = given ?? configured;
  if (manifest.masterKeyId !== null) {
    if (!key)
      throw new Error(
        `the backup's personal data needs master key ${manifest.masterKeyId}, which a backup never holds: give its file with --key-file, or set PERSONAL_DATA_KEY`,
      );
    if (masterKeyId(key) !== manifest.masterKeyId)
      throw new Error(
        `${keyFile ?? (config.personalData.key ? 'PERSONAL_DATA_KEY' : config.personalData.file)} holds master key ${masterKeyId(key)}, not ${manifest.masterKeyId} which the backup's personal data needs`,
      );
  }
  return given && !configured ? given : undefined;
}

async function restoreServer(config: AppConfig, database: ServerDatabase, file: string, manifest: BackupManifest, force: boolean): Promise<RestoreOutcome> {
  const url = await resolvedUrl(database.ownerUrl ?? database.url);
  const pgRestore = findPostgresProgram('pg_restore', config.postgresBin);
  const dumpedBy = Number(manifest.pgDumpVersion?.split('.')[0]);
  if (pgRestore.major < dumpedBy) {
    throw new Error(
      `pg_restore ${pgRestore.version} (${pgRestore.path}) cannot read a dump written by pg_dump ${manifest.pgDumpVersion}: install PostgreSQL ${dumpedBy}'s client programs, or set PG_BIN to their folder`,
    );
  }
  await emptyDatabase(url, force);
  // One transaction that stops at the first error: a failed restore leaves the database empty.
  await runPostgresProgram(pgRestore, ['--exit-on-error', '--single-transaction', file], url);
  const pool = createPool(url, 1);
  try {
    return await checkRestored(pool, manifest);
  } finally {
    await pool.end();
  }
}

/** Refuses a database holding anything, unless `force`: then it is dropped and created again for the same owner. */
async function emptyDatabase(url: string, force: boolean): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: url });
  await client.connect().catch((error: Error & { code?: string }) => {
    throw error.code === '3D000'
      ? new Error(`database ${name} does not exist: create it empty (CREATE DATABASE ${name} OWNER <owner role>) and restore again`)
      : error;
  });
  let owner: string;
  try {
    const { rows } = await client.query<{ in_use: boolean; owner: string }>(
      `SELECT (EXISTS (SELECT 1 FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%')
               OR EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace)) AS in_use,
              pg_get_userbyid(datdba) AS owner
         FROM pg_database WHERE datname = current_database()`,
    );
    if (!rows[0].in_use) return;
    owner = rows[0].owner;
  } finally {
    await client.end();
  }
  if (!force)
    throw new Error(`database ${name} is not empty: restore into an empty database, or give --force to drop it and create it again (everything in it is lost)`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE ${ident(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${ident(name)} OWNER ${ident(owner)}`);
  } finally {
    await admin.end();
  }
}

async function restoreEmbedded(config: AppConfig, database: EmbeddedDatabase, file: string, manifest: BackupManifest, force: boolean): Promise<RestoreOutcome> {
  const archive = new Blob([gunzipSync(await readFile(file))]);
  const embedded = await EmbeddedPostgres.start(database.dataDir, {
    restoreFrom: { archive, prepare: (folder) => emptyFolder(folder, config.personalData.file, force) },
  });
  const pool = createPool(embedded.connectionString, 1);
  try {
    return await checkRestored(pool, manifest);
  } finally {
    await pool.end();
    await embedded.stop();
  }
}

/** Refuses a folder holding anything but the master key's file, unless `force`: then all else in it is removed. */
function emptyFolder(folder: string, keyFile: string, force: boolean): void {
  const held = existsSync(folder) ? readdirSync(folder).filter((name) => resolve(folder, name) !== resolve(keyFile)) : [];
  if (held.length === 0) return;
  if (!force)
    throw new Error(`${folder} is not empty: restore into an empty or new folder, or give --force to replace what it holds (everything in it is lost)`);
  for (const name of held) rmSync(join(folder, name), { recursive: true, force: true });
}

/** The restored database against the manifest: an intact hash chain ending at the recorded head, and the same read models. */
async function checkRestored(pool: pg.Pool, manifest: BackupManifest): Promise<RestoreOutcome> {
  const problems: string[] = [];
  let verified: { events: number; head?: ChainLink } = { events: 0 };
  if (manifest.log) {
    const result = await new PostgresHashChain(pool).verify();
    if (result.intact) verified = result;
    else problems.push(`log altered at position ${result.position}: ${result.reason}`);
    const head = result.intact ? (result.head ?? { position: 0n, hash: '' }) : undefined;
    if (head && (head.position.toString() !== manifest.log.position || head.hash !== manifest.log.hash)) {
      problems.push(`the restored log's head is ${head.position}:${head.hash}, not ${manifest.log.position}:${manifest.log.hash} as backed up`);
    }
  }
  const checksums = await readModelChecksums(pool);
  for (const [name, backedUp] of Object.entries(manifest.readModels)) {
    if (checksums.get(name) !== backedUp) problems.push(`read model ${name} differs from the backup's: ${checksums.get(name) ?? 'not built'}`);
  }
  return { manifest, ...verified, problems };
}
