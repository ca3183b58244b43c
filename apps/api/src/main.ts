import { ConfigError, loadConfig, openRuntime } from '#runtime';
import { createApiApp } from './app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const app = await createApiApp(runtime);
  await app.listen(config.port, process.env.HOST ?? '0.0.0.0');
  const stop = async (): Promise<void> => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  console.log(`API on http://localhost:${config.port} (OpenAPI at /docs); events in ${runtime.store.name}; read models in ${runtime.databaseDescription}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
