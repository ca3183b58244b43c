import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  globalThis.pgliteTemplate?.remove();
  await globalThis.throwawayPostgres?.stop();
  if (globalThis.testScratch) rmSync(globalThis.testScratch, { recursive: true, force: true });
}
