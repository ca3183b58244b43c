import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
}

function findBinaries(): string {
  const fromEnv = process.env.POSTGRES_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) {
    throw new Error('no PostgreSQL server binaries found: install them (apt-get install -y postgresql) or set TEST_DATABASE_URL');
  }
  return join(root, versions[0]!, 'bin');
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
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'hsb-postgres-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const asOwner = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

  const [initCommand, initArgs] = asOwner(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  execFileSync(initCommand, initArgs, { stdio: 'pipe' });

  const port = await freePort();
  const settings = [
    '-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
    '-c', 'max_connections=200', '-c', 'shared_buffers=256MB',
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let log = '';
  const launch = (): ChildProcess => {
    const [command, args] = asOwner(join(bin, 'postgres'), ['-D', dataDir, ...settings]);
    const started = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    return started;
  };
  // pg_ctl rather than a signal: runuser does not pass SIGINT on to the server it started.
  const halt = async (mode: 'fast' | 'immediate') => {
    const exited = server.exitCode === null ? new Promise((resolve) => server.once('exit', resolve)) : Promise.resolve();
    const [stopCommand, stopArgs] = asOwner(join(bin, 'pg_ctl'), ['-D', dataDir, 'stop', '-m', mode, '-w']);
    execFileSync(stopCommand, stopArgs, { stdio: 'pipe' });
    await exited;
  };
  let server = launch();
  const version = await waitUntilReady(url, dataDir, server, () => log);
  return {
    url,
    version,
    async restart() {
      await halt('immediate');
      server = launch();
      await waitUntilReady(url, dataDir, server, () => log);
    },
    async stop() {
      await halt('fast');
      rmSync(dir, { recursive: true, force: true });
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
      if (rows[0]!.data !== dataDir) throw new Error(`port taken by another PostgreSQL (serving ${rows[0]!.data})`);
      return rows[0]!.version;
    } catch (error) {
      if ((error as Error).message.startsWith('port taken')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections:\n${log()}`);
}
