import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

/** What a request id from outside may be: short, and harmless in a header or a log line. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The `X-Request-Id` a client or proxy sent when it is sane, else a new one; returned with the answer either way. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const sent = request.headers['x-request-id'];
  const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One line per request, and the request id on every line logged while serving it. Of the request
 * only its method and path: a query may search by name or national id, headers carry tokens, and
 * bodies personal data. A server error is logged with its stack (the errors filter hands it over);
 * a client's mistake is not an error of the service.
 */
export const REQUEST_LOGGING: Omit<Options, 'logger'> = {
  genReqId: requestId,
  customProps: (request) => ({ reqId: request.id }),
  serializers: {
    req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url.split('?')[0] }),
    res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
  },
  customLogLevel: (_request, response, error) => (response.statusCode === 503 ? 'warn' : error || response.statusCode >= 500 ? 'error' : 'info'),
  // Probes come every few seconds from the orchestrator: their lines would drown the rest.
  autoLogging: { ignore: (request) => request.url?.startsWith('/health/') ?? false },
};
