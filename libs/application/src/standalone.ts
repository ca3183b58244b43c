import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { RuntimeModule, type Runtime } from '#runtime';
import { ApplicationModule } from './application.module.js';

/**
 * The command side without HTTP, for administrator tools (demo generator, imports): the same
 * handlers, the same checks, the same log. Projections are left to the API or the worker.
 */
export async function openApplication(runtime: Runtime): Promise<INestApplicationContext> {
  @Module({ imports: [CqrsModule.forRoot(), RuntimeModule.register(runtime, { runProjections: false, serveMetrics: false }), ApplicationModule] })
  class StandaloneModule {}
  return NestFactory.createApplicationContext(StandaloneModule, { logger: ['error', 'warn'] });
}
