import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainHttpServer, loadConfig, openRuntime, runProcess } from '#runtime';
import { createApiApp } from './app.js';
import { offerDemoProvince } from './demo.js';

runProcess(async () => {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const app = await createApiApp(runtime);
  await app.listen(config.port, config.host);
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  runtime.logger.info(
    `API on http://${config.host}:${port} (OpenAPI at /docs); events in ${runtime.store.name}; read models in ${runtime.databaseDescription}`,
  );
  offerDemoProvince(app, runtime).catch((error: unknown) => runtime.logger.error({ err: error }, 'demo province failed'));
  return async () => {
    runtime.lifecycle.startDraining();
    await drainHttpServer(server, config.shutdownGraceMs);
    await app.close();
    await runtime.close();
    runtime.logger.info('API stopped');
  };
});
