import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, openRuntime, RuntimeModule } from '#runtime';

/**
 * The projection worker: keeps every read model up to date from the log, out of the API
 * process (production runs the API with PROJECTIONS=off and one or more of these).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  @Module({ imports: [RuntimeModule.register(runtime, { runProjections: true })] })
  class WorkerModule {}
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const stop = async (): Promise<void> => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  console.log(`projection worker running; events from ${runtime.store.name}; read models in ${runtime.databaseDescription}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
