import { loadConfig, openRuntime, runProcess } from '#runtime';
import { createApiApp } from './app.js';
import { offerDemoProvince } from './demo.js';

runProcess(async () => {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const app = await createApiApp(runtime);
  await app.listen(config.port, config.host);
  console.log(`API on http://${config.host}:${config.port} (OpenAPI at /docs); events in ${runtime.store.name}; read models in ${runtime.databaseDescription}`);
  offerDemoProvince(app, runtime).catch((error: unknown) => console.error(`demo province failed: ${error instanceof Error ? error.message : String(error)}`));
  return async () => {
    await app.close();
    await runtime.close();
  };
});
