import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root: benchmarks run from dist/bench/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The machine a benchmark ran on, as the reports state it. */
export function machine(): { cpu: string; memory: string; os: string; node: string } {
  const cores = cpus();
  return {
    cpu: `${cores[0]?.model.trim() ?? 'unknown'} × ${cores.length}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

export async function serverVersion(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version;
  } finally {
    await client.end();
  }
}

/** Runs `sql` as the server's superuser on its default database (CREATE DATABASE, CHECKPOINT). */
export async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The server's durability settings, refusing to go on unless commits are durable: the figures
 * claim fsync on, and a server without it is not the one we started (another process can take
 * the port between the moment it is found free and the moment our server binds it).
 */
export async function durableSettings(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers') ORDER BY name`,
    );
    const settings = new Map(rows.map((row) => [row.name, row.unit === '8kB' ? `${(Number(row.setting) * 8) / 1024}MB` : row.setting]));
    if (settings.get('fsync') !== 'on' || settings.get('synchronous_commit') !== 'on') {
      throw new Error(
        `the server at ${serverUrl} does not commit durably (fsync=${settings.get('fsync')}, synchronous_commit=${settings.get('synchronous_commit')}); is it really ours?`,
      );
    }
    return [...settings].map(([name, value]) => `${name}=${value}`).join(', ');
  } finally {
    await client.end();
  }
}

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  return databaseUrl(serverUrl, name);
}

/** The URL of database `name` on the server `serverUrl` names. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Writes one benchmark's part of the report file between its markers, keeping the other
 * benchmarks' parts: each `npm run bench…` script owns one section of docs/benchmarks.md.
 */
export function writeSection(path: string, key: string, markdown: string): void {
  const start = `<!-- section:${key} -->`;
  const end = `<!-- /section:${key} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = existing.indexOf(start);
  const next =
    at === -1
      ? `${existing.trim()}${existing.trim() ? '\n\n' : ''}${block}\n`
      : `${existing.slice(0, at)}${block}${existing.slice(existing.indexOf(end, at) + end.length)}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, next);
}
