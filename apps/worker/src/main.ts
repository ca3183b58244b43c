import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, openRuntime, RuntimeModule, runProcess } from '#runtime';

/**
 * The projection worker: keeps every read model up to date from the log, out of the API
 * process (production runs the API with PROJECTIONS=off and a worker beside it).
 */
runProcess(async () => {
  const runtime = await openRuntime(loadConfig());
  @Module({ imports: [RuntimeModule.register(runtime, { runProjections: true })] })
  class WorkerModule {}
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  console.log(`projection worker running; events from ${runtime.store.name}; read models in ${runtime.databaseDescription}`);
  return async () => {
    await app.close();
    await runtime.close();
  };
});
