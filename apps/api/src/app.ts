import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Runtime } from '#runtime';
import { AppModule } from './app.module.js';

/** Builds the HTTP application over an opened runtime; `main.ts` and the e2e tests share it. */
export async function createApiApp(runtime: Runtime, logger: LogLevel[] | false = ['error', 'warn', 'log']): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(runtime), { logger });
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Health-care support back office')
      .setDescription('Event-sourced administration of provincial health-care support policies (Resolution 24/2024/NQ-HĐND, Lạng Sơn)')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'From POST /auth/token' })
      .addGlobalParameters({ name: 'Command-Id', in: 'header', required: false, description: 'Idempotency key of a command: the same id again has no second effect', schema: { type: 'string' } })
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
