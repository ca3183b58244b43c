export default async function globalTeardown() {
  globalThis.pgliteTemplate?.remove();
  await globalThis.throwawayPostgres?.stop();
}
