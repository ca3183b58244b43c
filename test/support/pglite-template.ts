import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createPool, EmbeddedPostgres } from '#database';
import type { AppConfig } from '#runtime';

/**
 * A fresh embedded database for a test. Creating a PGlite data folder runs initdb (about 5 s here,
 * far more on a loaded CI machine), so the test run creates one template before the first test
 * file (`createPgliteTemplate`, from the global setup) and every test copies it (under half a second).
 */
export function freshPgliteFolder(prefix = 'hsb-pglite-'): { folder: string; dataDir: string; cleanup: () => Promise<void> } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(folder, 'db');
  copyPgliteTemplate(dataDir);
  return { folder, dataDir, cleanup: async () => rmSync(folder, { recursive: true, force: true }) };
}

/** Puts the template at `dataDir`, when the run has one. */
export function copyPgliteTemplate(dataDir: string): void {
  const template = process.env.TEST_PGLITE_TEMPLATE;
  if (template && existsSync(template)) cpSync(template, dataDir, { recursive: true });
}

/** Puts the template in the folder of each embedded database the configurations name (the process's own and its provinces', where the runtime derives them). */
export function copyPgliteTemplateFor(configs: readonly AppConfig[]): void {
  for (const { database } of configs) if (database.kind === 'embedded') copyPgliteTemplate(database.dataDir);
}

export async function createPgliteTemplate(): Promise<{ dataDir: string; remove: () => void }> {
  const folder = mkdtempSync(join(tmpdir(), 'hsb-pglite-template-'));
  const dataDir = join(folder, 'db');
  await (await EmbeddedPostgres.start(dataDir)).stop();
  return { dataDir, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Runs `work` on the embedded database in `dataDir`, opened for it alone: the tests' way in between CLI runs, which lock the folder. */
export async function withEmbeddedPool<T>(dataDir: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const embedded = await EmbeddedPostgres.start(dataDir);
  const pool = createPool(embedded.connectionString, 4);
  try {
    return await work(pool);
  } finally {
    await pool.end();
    await embedded.stop();
  }
}
