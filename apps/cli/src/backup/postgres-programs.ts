import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A PostgreSQL client program found on this machine, with its major version. */
export interface PostgresProgram {
  readonly path: string;
  readonly version: string;
  readonly major: number;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * `program` from `folder` (PG_BIN) when given, else the newest found on PATH or in Debian's
 * `/usr/lib/postgresql/<version>/bin`: a newer pg_dump dumps older servers, never the reverse.
 */
export function findPostgresProgram(program: 'pg_dump' | 'pg_restore', folder?: string): PostgresProgram {
  const candidates = folder ? [join(folder, program)] : [program, ...debianVersions().map((version) => join(DEBIAN_ROOT, version, 'bin', program))];
  const found = candidates.flatMap((path) => {
    const version = versionOf(path);
    return version ? [{ path, ...version }] : [];
  });
  if (found.length === 0) {
    throw new Error(
      folder
        ? `${program} not found in PG_BIN (${folder})`
        : `${program} not found on PATH nor in ${DEBIAN_ROOT}/<version>/bin: install PostgreSQL's client programs (apt-get install -y postgresql-client) or set PG_BIN to the folder holding them`,
    );
  }
  return found.sort((a, b) => b.major - a.major)[0];
}

function debianVersions(): string[] {
  return existsSync(DEBIAN_ROOT) ? readdirSync(DEBIAN_ROOT).filter((name) => /^\d+$/.test(name)) : [];
}

function versionOf(path: string): { version: string; major: number } | undefined {
  const answer = spawnSync(path, ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\) (\d+)(\.\d+)?/.exec(answer.stdout ?? '');
  return match ? { version: `${match[1]}${match[2] ?? ''}`, major: Number(match[1]) } : undefined;
}

/**
 * Runs `program` against the database at `url`. The password goes in the environment, not on the
 * command line, where every user of the machine could read it.
 */
export function runPostgresProgram(program: PostgresProgram, args: readonly string[], url: string): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(program.path, [...args, `--dbname=${target.toString()}`], { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${program.path} failed (exit code ${code}): ${errors.trim()}`))));
  });
}
