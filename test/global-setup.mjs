// Runs before every test file: puts the run's scratch files in memory where it can, starts a
// throwaway PostgreSQL unless TEST_DATABASE_URL names a server, and makes the embedded database's
// template folder. Jest loads this outside its ESM pipeline, so it uses the build (`npm test`
// builds first).
import { chmodSync, existsSync, mkdtempSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../dist/test/support/throwaway-postgres.js';
import { createPgliteTemplate } from '../dist/test/support/pglite-template.js';

/**
 * The tests write and sync embedded databases, a PostgreSQL cluster, backups and workbooks, all
 * thrown away at the end. On a virtual machine's disk the kernel's part in that is dear (copying
 * the embedded template took 1.1 s of kernel time there, 0.14 s in /dev/shm, which is memory). Set through TMPDIR,
 * which the test workers, the CLI and API processes they start, and Chromium all inherit.
 */
function inMemoryScratch() {
  if (!existsSync('/dev/shm')) return undefined;
  try {
    // A container's /dev/shm is often 64 MB: too small, and the disk is used as before.
    const { bavail, bsize } = statfsSync('/dev/shm');
    if (bavail * bsize < 4 * 2 ** 30) return undefined;
    const folder = mkdtempSync(join('/dev/shm', 'hsb-test-'));
    // The cluster's folder inside belongs to the `postgres` user when the tests run as root.
    chmodSync(folder, 0o755);
    return folder;
  } catch {
    return undefined;
  }
}

export default async function globalSetup() {
  process.env.TEST_RUN_ID = String(Date.now());
  const scratch = inMemoryScratch();
  if (scratch) {
    globalThis.testScratch = scratch;
    process.env.TMPDIR = scratch;
  }
  const template = await createPgliteTemplate();
  globalThis.pgliteTemplate = template;
  process.env.TEST_PGLITE_TEMPLATE = template.dataDir;
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startThrowawayPostgres({ durable: false });
  globalThis.throwawayPostgres = server;
  process.env.TEST_DATABASE_URL = server.url;
  process.env.TEST_POSTGRES_VERSION = server.version;
}
