import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type pg from 'pg';
import { createPool } from '#database';
import { PostgresEventStore } from '#event-store';
import { demoProvinceDatabase } from '../../../test/support/demo-province-database.js';
import { freshPgliteFolder, withEmbeddedPool } from '../../../test/support/pglite-template.js';
import { createTestDatabase } from '../../../test/support/test-database.js';

const cliMain = resolve('dist/apps/cli/src/main.js');
const DRILL_TIMEOUT = 600_000;

/** The CLI with `env` as its database configuration (and nothing of the test process's own). */
function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): SpawnSyncReturns<string> {
  const { DATABASE_URL: _url, PGLITE_DATA_DIR: _dir, PERSONAL_DATA_KEY: _key, ...rest } = process.env;
  return spawnSync(process.execPath, [cliMain, ...args], { env: { ...rest, ...env }, encoding: 'utf8' });
}

function succeeded(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new Error(`exit code ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

const checksums = (env: NodeJS.ProcessEnv) => succeeded(cliWith(env, 'checksum')).trim();

/** A database with events and read models the drill backs up, and an empty one it restores into. */
interface DrillWorld {
  readonly source: NodeJS.ProcessEnv;
  readonly target: NodeJS.ProcessEnv;
  /** `restore`'s arguments naming the target. */
  readonly restoreInto: readonly string[];
  withSourcePool<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

/** The demo province on the test server, and an empty database beside it. */
async function serverWorld(): Promise<DrillWorld> {
  const source = await demoProvinceDatabase();
  const target = await createTestDatabase();
  const pool = createPool(source.url, 2);
  return {
    source: { DATABASE_URL: source.url },
    target: { DATABASE_URL: target.url },
    restoreInto: ['--into', target.url],
    withSourcePool: (work) => work(pool),
    async cleanup() {
      await pool.end();
      await Promise.all([source.drop(), target.drop()]);
    },
  };
}

/** An embedded database holding an imported list (personal data sealed under the key file in its folder), and a new folder. */
async function embeddedWorld(folder: string): Promise<DrillWorld> {
  const { dataDir, cleanup } = freshPgliteFolder('hsb-backup-');
  const source = { PGLITE_DATA_DIR: dataDir };
  const list = join(folder, 'list.xlsx');
  succeeded(cliWith(source, 'template', '--out', list));
  succeeded(cliWith(source, 'import', list));
  succeeded(cliWith(source, 'rebuild'));
  const targetDir = join(folder, 'restored', 'db');
  return {
    source,
    target: { PGLITE_DATA_DIR: targetDir },
    // The key file is in the source folder, and no backup holds it: the restore is given it.
    restoreInto: ['--into', targetDir, '--key-file', join(dataDir, 'personal-data.key')],
    withSourcePool: (work) => withEmbeddedPool(dataDir, work),
    cleanup,
  };
}

/**
 * The restore drill: back up, write more, restore elsewhere; the restored database must pass the
 * consistency check and hold exactly the read models and log head of the moment of the backup.
 */
function restoreDrill(open: (folder: string) => Promise<DrillWorld>) {
  const context = {
    world: undefined as unknown as DrillWorld,
    folder: '',
    backup: '',
    backedUp: '',
    manifest: undefined as unknown as { log: { position: string; hash: string }; readModels: Record<string, string>; masterKeyId: string },
  };

  beforeAll(async () => {
    if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run the tests with \`npm test\`, which builds first`);
    context.folder = mkdtempSync(join(tmpdir(), 'hsb-backup-drill-'));
    context.world = await open(context.folder);
    context.backup = join(context.folder, 'backup');
  }, DRILL_TIMEOUT);
  afterAll(async () => {
    await context.world?.cleanup();
    rmSync(context.folder, { recursive: true, force: true });
  });

  it(
    'backs up with a manifest of the log head and the read models’ checksums, and refuses to overwrite a backup',
    () => {
      const { world, backup } = context;
      context.backedUp = checksums(world.source);
      const printed = succeeded(cliWith(world.source, 'backup', backup));
      context.manifest = JSON.parse(readFileSync(`${backup}.manifest.json`, 'utf8'));
      const { log, readModels, masterKeyId } = context.manifest;
      expect(printed).toContain(`log head ${log.position}:${log.hash}`);
      expect(printed).toContain(`master key (id ${masterKeyId}) is not in the backup`);
      expect(Number(log.position)).toBeGreaterThan(0);
      expect(
        Object.entries(readModels)
          .map(([name, digest]) => `${name} ${digest}`)
          .join('\n'),
      ).toBe(context.backedUp);
      const again = cliWith(world.source, 'backup', backup);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('already exists: a backup never replaces another');
    },
    DRILL_TIMEOUT,
  );

  it(
    'restores elsewhere after more was written: the consistency check is clean, read models and log head are the backed-up ones',
    async () => {
      const { world, backup, manifest } = context;
      await world.withSourcePool(async (pool) => {
        const store = await PostgresEventStore.open(pool);
        for (let n = 0; n < 3; n++)
          await store.append(`after-backup-${n}`, [{ type: 'Noted', data: { n }, metadata: { actor: 'test', schemaVersion: 1 } }], {
            expectedRevision: 'no_stream',
          });
      });
      succeeded(cliWith(world.source, 'rebuild'));
      expect(checksums(world.source)).not.toBe(context.backedUp);

      const restored = succeeded(cliWith(world.source, 'restore', backup, ...world.restoreInto));
      expect(restored).toContain(
        `log intact, ${Number(manifest.log.position).toLocaleString('en')} events, head ${manifest.log.position}:${manifest.log.hash} as backed up`,
      );
      expect(succeeded(cliWith(world.target, 'check', '2025'))).toMatch(/^2025: consistent \(log hash chain intact; /);
      expect(checksums(world.target)).toBe(context.backedUp);
    },
    DRILL_TIMEOUT,
  );
  return context;
}

describe('backup and restore — embedded PGlite', () => {
  const drill = restoreDrill(embeddedWorld);

  it('leaves the master key out of the archive, and puts the one given into the restored folder', () => {
    const { world, backup } = drill;
    const key = readFileSync(join(world.source.PGLITE_DATA_DIR!, 'personal-data.key'), 'utf8').trim();
    expect(gunzipSync(readFileSync(backup)).includes(key)).toBe(false);
    expect(readFileSync(join(world.target.PGLITE_DATA_DIR!, 'personal-data.key'), 'utf8').trim()).toBe(key);
  });
});

describe('backup and restore — PostgreSQL server', () => {
  const drill = restoreDrill(serverWorld);

  it('refuses, before writing anything, a target that is not empty, a master key other than the backup’s, and a damaged backup', () => {
    const { world, backup } = drill;
    const notEmpty = cliWith(world.source, 'restore', backup);
    expect(notEmpty.status).toBe(1);
    expect(notEmpty.stderr).toMatch(/database hsb_test_\w+ is not empty: restore into an empty database, or give --force/);

    const otherKey = cliWith({ ...world.target, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }, 'restore', backup);
    expect(otherKey.status).toBe(1);
    expect(otherKey.stderr).toContain(`not ${drill.manifest.masterKeyId} which the backup's personal data needs`);

    const damaged = join(drill.folder, 'damaged');
    const bytes = readFileSync(backup);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.manifest.json`, readFileSync(`${backup}.manifest.json`));
    const refused = cliWith(world.target, 'restore', damaged);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("does not match its manifest's checksum");
  });

  it('refuses client programs older than the server or the dump, naming both versions', () => {
    const { world, backup, folder } = drill;
    const oldClients = join(folder, 'postgresql-12');
    mkdirSync(oldClients);
    for (const program of ['pg_dump', 'pg_restore'])
      writeFileSync(join(oldClients, program), `#!/bin/sh\necho "${program} (PostgreSQL) 12.22"\n`, { mode: 0o755 });
    const dump = cliWith({ ...world.source, PG_BIN: oldClients }, 'backup', join(folder, 'old-pg_dump'));
    expect(dump.status).toBe(1);
    expect(dump.stderr).toMatch(/pg_dump 12\.22 \(.*\) cannot dump a PostgreSQL \d+\.\d+ server: install PostgreSQL \d+'s client programs, or set PG_BIN/);
    const restored = cliWith({ ...world.target, PG_BIN: oldClients }, 'restore', backup, '--force');
    expect(restored.status).toBe(1);
    expect(restored.stderr).toMatch(/pg_restore 12\.22 \(.*\) cannot read a dump written by pg_dump \d+\.\d+/);
    expect(cliWith({ ...world.source, PG_BIN: join(folder, 'nowhere') }, 'backup', join(folder, 'no-pg_dump')).stderr).toContain('pg_dump not found in PG_BIN');
  });

  it(
    'replaces a database that is not empty with --force',
    () => {
      const { world, backup } = drill;
      expect(succeeded(cliWith(world.target, 'restore', backup, '--force'))).toContain('as backed up');
      expect(checksums(world.target)).toBe(drill.backedUp);
    },
    DRILL_TIMEOUT,
  );
});
