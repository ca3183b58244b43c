import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { drainHttpServer, loadConfig, openRuntime, provinceConfigs, runProcess, type Runtime } from '#runtime';
import { createApiApp } from './app.js';
import { offerDemoProvince } from './demo.js';
import { serveProvinces } from './provinces.js';

runProcess(async () => {
  const config = loadConfig();
  const others = config.provincesFile ? provinceConfigs(config, readFileSync(config.provincesFile, 'utf8')) : [];
  const runtime = await openRuntime(config);
  let server: Server;
  let app: INestApplication;
  let runtimes: readonly Runtime[] = [runtime];
  let stopApps: () => Promise<void>;
  if (others.length === 0) {
    app = await createApiApp(runtime);
    await app.listen(config.port, config.host);
    server = app.getHttpServer() as Server;
    stopApps = () => app.close();
  } else {
    const served = await serveProvinces(runtime, others).catch(async (error: unknown) => {
      await runtime.close();
      throw error;
    });
    ({ server, runtimes } = served);
    app = served.apps[0];
    stopApps = () => served.close();
    await new Promise<void>((listening, failed) => server.once('error', failed).listen(config.port, config.host, listening));
    runtime.logger.info(
      `provinces at /provinces/{id}/: ${served.runtimes.map((each) => `${each.config.province.id} (${each.databaseDescription})`).join(', ')}`,
    );
  }
  const { port } = server.address() as AddressInfo;
  runtime.logger.info(
    `API on http://${config.host}:${port} (OpenAPI at /docs); events in ${runtime.store.name}; read models in ${runtime.databaseDescription}`,
  );
  offerDemoProvince(app, runtime).catch((error: unknown) => runtime.logger.error({ err: error }, 'demo province failed'));
  return async () => {
    for (const each of runtimes) each.lifecycle.startDraining();
    await drainHttpServer(server, config.shutdownGraceMs);
    await stopApps();
    await runtime.close();
    runtime.logger.info('API stopped');
  };
});
