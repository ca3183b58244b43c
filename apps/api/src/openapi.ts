import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openRuntime } from '#runtime';
import { createApiApp } from './app.js';
import { apiDocument } from './http/openapi.js';

/**
 * Writes the OpenAPI document to the file named on the command line (`npm run lint:openapi`):
 * the application is built over a throwaway embedded database and never listens, so neither a
 * running server nor a database is needed.
 */
const [output] = process.argv.slice(2);
if (!output) throw new Error('usage: node dist/apps/api/src/openapi.js <file.json>');
const folder = mkdtempSync(join(tmpdir(), 'hsb-openapi-'));
try {
  const runtime = await openRuntime(
    loadConfig({ PGLITE_DATA_DIR: join(folder, 'db'), PERSONAL_DATA_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' }),
  );
  try {
    const app = await createApiApp(runtime);
    writeFileSync(output, `${JSON.stringify(apiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    await runtime.close();
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
