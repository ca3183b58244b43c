import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL cluster created for one test or benchmark run from the machine's PostgreSQL
 * binaries and deleted afterwards. Root may not run initdb, so as root the cluster belongs to
 * the `postgres` user.
 */
export interface ThrowawayPostgres {
  readonly url: string;
  readonly version: string;
  /** Stops the server as a crash would (`pg_ctl stop -m immediate`: connections cut, no checkpoint), then starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** Durable commits (fsync) as in production; tests turn it off for speed, benchmarks keep it. */
  readonly durable: boolean;
  /**
   * A folder the cluster lives in and is kept in after `stop`, started again by the next run that
   * names it (a benchmark's loaded data, kept between runs). By default a fresh folder, deleted.
   */
  readonly keptIn?: string;
}

function findBinaries(): string {
  const fromEnv = process.env.POSTGRES_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error('no PostgreSQL server binaries found: install them (apt-get install -y postgresql) or set TEST_DATABASE_URL');
  }
  return join(root, versions[0], 'bin');
}

/** A port nobody listens on now (another process may take it before it is bound: fine for tests and benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions): Promise<ThrowawayPostgres> {
  const installation = findInstallation();
  const dir = options.keptIn ? keptFolder(options.keptIn) : ownedFolder();
  if (!existsSync(join(dir, 'data', 'PG_VERSION'))) installation.initdb(join(dir, 'data'));
  const server = await installation.start(
    join(dir, 'data'),
    dir,
    options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  );
  return {
    url: server.url,
    version: server.version,
    async restart() {
      await server.halt('immediate');
      await server.relaunch();
    },
    async stop() {
      await server.halt('fast');
      if (!options.keptIn) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A primary and a synchronous streaming-replication standby (`standby1`): a commit is answered
 * once the standby has it, so a crash of the primary loses nothing that was acknowledged.
 */
export interface ReplicatedPostgres {
  /** Both servers, the primary first, as libpq (and `#database`) take them: `target_session_attrs=read-write`. */
  readonly url: string;
  readonly primaryUrl: string;
  readonly standbyUrl: string;
  /** Crashes the primary (`pg_ctl stop -m immediate`): connections cut, the server gone. */
  killPrimary(): Promise<void>;
  /** Promotes the standby; resolves once it accepts writes. */
  promoteStandby(): Promise<void>;
  /** Stops whatever still runs and removes both clusters, whatever state the test left them in. */
  stop(): Promise<void>;
}

export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const installation = findInstallation();
  const dir = ownedFolder();
  const servers: RunningServer[] = [];
  const removeAll = async (mode: 'fast' | 'immediate') => {
    await Promise.allSettled(servers.map((server) => server.halt(mode)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    installation.initdb(join(dir, 'primary'));
    const primary = await installation.start(join(dir, 'primary'), dir, ['-c', 'synchronous_standby_names=standby1']);
    servers.push(primary);
    const primaryConnection = `host=127.0.0.1 port=${primary.port} user=postgres`;
    installation.run('pg_basebackup', ['-D', join(dir, 'standby'), '-d', primaryConnection, '-X', 'stream', '-R', '--checkpoint=fast']);
    // Not synchronous itself: once promoted it is alone, and would wait for ever on a standby of its own.
    const standby = await installation.start(join(dir, 'standby'), dir, ['-c', `primary_conninfo=${primaryConnection} application_name=standby1`]);
    servers.push(standby);
    await waitForSyncStandby(primary.url);
    return {
      url: `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres?target_session_attrs=read-write`,
      primaryUrl: primary.url,
      standbyUrl: standby.url,
      killPrimary: () => primary.halt('immediate'),
      promoteStandby: () => query(standby.url, 'SELECT pg_promote(true, 60)').then(() => undefined),
      async stop() {
        await removeAll('fast');
      },
    };
  } catch (error) {
    await removeAll('immediate');
    throw error;
  }
}

async function waitForSyncStandby(primaryUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const rows = await query(primaryUrl, "SELECT 1 FROM pg_stat_replication WHERE application_name = 'standby1' AND sync_state = 'sync'");
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the standby did not become synchronous');
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A folder for clusters and their sockets, which the `postgres` user may write when this runs as root. */
function ownedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-postgres-'));
  chmodSync(dir, 0o777);
  return dir;
}

function keptFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  return dir;
}

interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly version: string;
  /** Stops the server unless it is stopped already. */
  halt(mode: 'fast' | 'immediate'): Promise<void>;
  relaunch(): Promise<void>;
}

interface Installation {
  initdb(dataDir: string): void;
  run(program: string, args: string[]): void;
  start(dataDir: string, socketDir: string, settings: string[]): Promise<RunningServer>;
}

function findInstallation(): Installation {
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const asOwner = (command: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
  const run = (program: string, args: string[]) => {
    const [command, commandArgs] = asOwner(join(bin, program), args);
    execFileSync(command, commandArgs, { stdio: 'pipe' });
  };
  return {
    run,
    initdb: (dataDir) => run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']),
    async start(dataDir, socketDir, extraSettings) {
      const port = await freePort();
      const settings = [
        '-c',
        `port=${port}`,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${socketDir}`,
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=256MB',
        ...extraSettings,
      ];
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      let log = '';
      const launch = (): ChildProcess => {
        const [command, args] = asOwner(join(bin, 'postgres'), ['-D', dataDir, ...settings]);
        const started = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
        return started;
      };
      let server = launch();
      const version = await waitUntilReady(url, dataDir, server, () => log);
      return {
        url,
        port,
        version,
        // pg_ctl rather than a signal: runuser does not pass SIGINT on to the server it started.
        async halt(mode) {
          if (server.exitCode !== null || server.signalCode !== null) return;
          const exited = new Promise((resolve) => server.once('exit', resolve));
          run('pg_ctl', ['-D', dataDir, 'stop', '-m', mode, '-w']);
          await exited;
        },
        async relaunch() {
          server = launch();
          await waitUntilReady(url, dataDir, server, () => log);
        },
      };
    },
  };
}

async function waitUntilReady(url: string, dataDir: string, server: ChildProcess, log: () => string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      // The port was free when chosen but another server may have taken it since: check it is ours.
      const { rows } = await client.query<{ version: string; data: string }>(
        "SELECT current_setting('server_version') AS version, current_setting('data_directory') AS data",
      );
      if (rows[0].data !== dataDir) throw new Error(`port taken by another PostgreSQL (serving ${rows[0].data})`);
      return rows[0].version;
    } catch (error) {
      if ((error as Error).message.startsWith('port taken')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections:\n${log()}`);
}
