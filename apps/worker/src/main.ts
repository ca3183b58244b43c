import 'reflect-metadata';
import type { Server } from 'node:http';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { Logger } from 'nestjs-pino';
import { drainHttpServer, loadConfig, loggingModule, MetricsController, openRuntime, ProbesController, RuntimeModule, runProcess } from '#runtime';

/**
 * The projection worker: keeps every read model up to date from the log, out of the API
 * process (production runs the API with PROJECTIONS=off and a worker beside it). It answers its
 * health probes at WORKER_PORT, /health/live and /health/ready, and its metrics at /metrics to a
 * scraper holding METRICS_TOKEN.
 */
runProcess(async () => {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  @Module({
    imports: [
      loggingModule(runtime.logger),
      RuntimeModule.register(runtime, { runProjections: true, serveMetrics: true }),
      TerminusModule.forRoot({ logger: false }),
    ],
    controllers: [ProbesController, MetricsController],
  })
  class WorkerModule {}
  const app = await NestFactory.create(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.listen(config.workerPort, config.host);
  runtime.logger.info(
    `projection worker running, probes on http://${config.host}:${config.workerPort}/health; events from ${runtime.store.name}; read models in ${runtime.databaseDescription}`,
  );
  return async () => {
    runtime.lifecycle.startDraining();
    await drainHttpServer(app.getHttpServer() as Server, config.shutdownGraceMs);
    await app.close();
    await runtime.close();
    runtime.logger.info('projection worker stopped');
  };
});
