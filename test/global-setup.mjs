// Runs before every test file: starts a throwaway PostgreSQL unless TEST_DATABASE_URL names a
// server, and makes the embedded database's template folder. Jest loads this outside its ESM
// pipeline, so it uses the build (`npm test` builds first).
import { startThrowawayPostgres } from '../dist/test/support/throwaway-postgres.js';
import { createPgliteTemplate } from '../dist/test/support/pglite-template.js';

export default async function globalSetup() {
  process.env.TEST_RUN_ID = String(Date.now());
  const template = await createPgliteTemplate();
  globalThis.pgliteTemplate = template;
  process.env.TEST_PGLITE_TEMPLATE = template.dataDir;
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startThrowawayPostgres({ durable: false });
  globalThis.throwawayPostgres = server;
  process.env.TEST_DATABASE_URL = server.url;
  process.env.TEST_POSTGRES_VERSION = server.version;
}
