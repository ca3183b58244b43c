import { createServer, type RequestListener, type Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, openRuntime, type Runtime } from '#runtime';
import { createApiApp, keepConnectionsAlive } from './app.js';

/** `/provinces/{id}/rest`: the province's own API, dashboard and documentation, at `rest`. */
const PROVINCE_PATH = /^\/provinces\/([^/?#]*)(.*)$/s;

export interface ServedProvincesApi {
  /** Answers the process's own province at `/` and every province at `/provinces/{id}/`; not yet listening. */
  readonly server: Server;
  /** The process's own province first, then those of PROVINCES_FILE in its order. */
  readonly runtimes: readonly Runtime[];
  /** Their applications, in the same order. */
  readonly apps: readonly INestApplication[];
  /** After the server has stopped: closes the applications, then the runtimes. */
  close(): Promise<void>;
}

/**
 * Opens the provinces of PROVINCES_FILE beside the process's own (`own`, already open): a runtime
 * and an application each, over its own database, and one HTTP server in front that hands each
 * request to its province's application. A province's application holds its own runtime only, so
 * a request can reach another province's data only by being sent to that province, where that
 * province's users and tokens are checked (tokens name their province: `aud`).
 */
export async function serveProvinces(own: Runtime, others: readonly AppConfig[], options: { readonly clock?: () => Date } = {}): Promise<ServedProvincesApi> {
  const runtimes: Runtime[] = [own];
  const apps: INestApplication[] = [];
  const close = async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const runtime of runtimes.splice(1)) await runtime.close();
  };
  try {
    // Side by side: each migrates and publishes its catalog in a database of its own.
    const opened = await Promise.allSettled(others.map((config) => openRuntime(config, options)));
    runtimes.push(...opened.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : [])));
    const failed = opened.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const handlers = new Map<string, RequestListener>();
    for (const runtime of runtimes) {
      const app = await createApiApp(runtime, runtimes);
      apps.push(app);
      await app.init();
      handlers.set(runtime.config.province.id, app.getHttpAdapter().getInstance() as RequestListener);
    }
    const ownHandler = handlers.get(own.config.province.id)!;
    const server = createServer((request, response) => {
      const match = PROVINCE_PATH.exec(request.url ?? '/');
      if (!match) return void ownHandler(request, response);
      const handler = handlers.get(match[1]);
      if (!handler) {
        response.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
        return void response.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'no such province here' }));
      }
      request.url = match[2].startsWith('/') ? match[2] : `/${match[2]}`;
      handler(request, response);
    });
    keepConnectionsAlive(server);
    return { server, runtimes, apps, close };
  } catch (error) {
    await close();
    throw error;
  }
}
