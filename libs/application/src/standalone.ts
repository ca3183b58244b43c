import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplicationModule } from './application.module.js';
import type { ApplicationPorts } from './ports/application-ports.js';

/**
 * The command side without HTTP, for administrator tools (demo generator, imports): the same
 * handlers, the same checks, the same log, over the ports given (a runtime is one). Projections
 * are left to the API or the worker.
 */
export async function openApplication(ports: ApplicationPorts): Promise<INestApplicationContext> {
  @Module({ imports: [CqrsModule.forRoot(), ApplicationModule.register(ports)] })
  class StandaloneModule {}
  return NestFactory.createApplicationContext(StandaloneModule, { logger: ['error', 'warn'] });
}
