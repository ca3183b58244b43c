import 'reflect-metadata';
import type { Server } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { Metrics, type Runtime } from '#runtime';
import { AppModule } from './app.module.js';
import { protectInBrowsers } from './http/browser-protections.js';
import { MAX_BODY_BYTES } from './http/input-limits.js';
import { apiDocument } from './http/openapi.js';
import { requestTiming } from './http/request-metrics.js';
import type { ServedProvinces } from './national/served-provinces.js';

/** The repository root, from the sources (tests) or from their compiled copy under dist/. */
const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, here.includes('/dist/') ? '../../../..' : '../../..');

/**
 * The dashboard: static files served at /dashboard/ with the UI and chart libraries from
 * node_modules, so `npm ci && npm start` is all it needs. It signs in like any API client.
 */
function serveDashboard(app: NestExpressApplication): void {
  app.useStaticAssets(resolve(ROOT, 'node_modules/bootstrap/dist'), { prefix: '/dashboard/vendor/bootstrap/' });
  app.useStaticAssets(resolve(ROOT, 'node_modules/chart.js/dist'), { prefix: '/dashboard/vendor/chart.js/' });
  app.useStaticAssets(resolve(ROOT, 'apps/dashboard/public'), { prefix: '/dashboard/' });
}

const KEEP_ALIVE_MS = 65_000;

/**
 * Idle keep-alive connections outlive a reverse proxy's (60 s is common), so that the server never
 * closes one just as a client or proxy sends its next request on it, which the client sees as a reset.
 */
export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
}

/** Builds the HTTP application over an opened runtime; `main.ts` and the e2e tests share it. */
export async function createApiApp(runtime: Runtime, provinces?: ServedProvinces): Promise<INestApplication> {
  // JSON bodies only, up to a bound: no request of the API is a form, and nothing larger is real.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(runtime, provinces), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  keepConnectionsAlive(app.getHttpServer());
  if (runtime.config.metrics.enabled) app.use(requestTiming(app.get(Metrics)));
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  // While the process drains before stopping, every answer asks the client to open its next request elsewhere.
  app.use((_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (runtime.lifecycle.draining) response.setHeader('Connection', 'close');
    next();
  });
  if (runtime.config.trustProxy !== undefined) app.set('trust proxy', runtime.config.trustProxy);
  protectInBrowsers(app);
  serveDashboard(app);
  // Built on the first request for it rather than at start-up, where it cost about 0.2 s of CPU per start.
  SwaggerModule.setup('docs', app, () => apiDocument(app));
  return app;
}
