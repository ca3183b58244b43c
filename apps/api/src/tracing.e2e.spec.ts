import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshPgliteFolder } from '../../../test/support/pglite-template.js';
import { ADMIN_PASSWORD, signIn } from './testing/api-backends.fixture.js';
import { expectApiBuilt, killApiProcesses, startApiProcess } from './testing/api-process.fixture.js';

const bootstrap = resolve('dist/libs/runtime/src/tracing.js');

interface ReceivedSpan {
  readonly traceId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's SpanKind: 2 is a server span. */
  readonly kind: number;
  readonly scope: string;
  readonly service: unknown;
  readonly attributes: Record<string, unknown>;
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };
type OtlpTraces = {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{
      scope: { name: string };
      spans: Array<{ traceId: string; parentSpanId?: string; name: string; kind: number; attributes?: OtlpAttribute[] }>;
    }>;
  }>;
};

const valuesOf = (attributes: OtlpAttribute[] = []) => Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));

/** An OpenTelemetry collector in the test: it keeps the spans POSTed to it as OTLP/HTTP JSON. */
async function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        for (const { resource, scopeSpans } of (JSON.parse(body) as OtlpTraces).resourceSpans) {
          const service = valuesOf(resource.attributes)['service.name'];
          for (const { scope, spans: received } of scopeSpans) {
            for (const span of received) spans.push({ ...span, scope: scope.name, service, attributes: valuesOf(span.attributes) });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

/** Preloaded before the bootstrap: at exit it lists the CommonJS files the process loaded, the SDK's among them. */
const SPY = `import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.LOADED_FILES, JSON.stringify(Object.keys(createRequire(import.meta.url).cache))));
`;

/** The OpenTelemetry packages among the files a process loaded. */
const packagesLoaded = (file: string) =>
  [
    ...new Set(
      (JSON.parse(readFileSync(file, 'utf8')) as string[]).flatMap(
        (path) => /node_modules\/(@opentelemetry\/[^/]+|import-in-the-middle)\//.exec(path)?.[1] ?? [],
      ),
    ),
  ].sort();

describe('tracing, with the bootstrap preloaded as npm start and the image do', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let folder: string;
  let spy: string;
  const databases: Array<{ cleanup: () => Promise<void> }> = [];

  beforeAll(async () => {
    expectApiBuilt();
    receiver = await startReceiver();
    folder = mkdtempSync(join(tmpdir(), 'hsb-tracing-'));
    spy = join(folder, 'spy.mjs');
    writeFileSync(spy, SPY);
  });
  afterAll(async () => {
    killApiProcesses();
    await new Promise((closed) => receiver?.server.close(closed));
    for (const database of databases) await database.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the API on a fresh embedded database, signs in, asks for its readiness, and stops it with SIGTERM. */
  async function signInAndStop(name: string, otel: NodeJS.ProcessEnv): Promise<{ exit: { code: number | null }; output: string; loaded: string[] }> {
    const database = freshPgliteFolder('hsb-tracing-db-');
    databases.push(database);
    const unsetOtel = Object.fromEntries(
      Object.keys(process.env)
        .filter((key) => key.startsWith('OTEL_'))
        .map((key) => [key, undefined]),
    );
    const loadedFiles = join(folder, `${name}-loaded.json`);
    const api = startApiProcess(
      {
        ...unsetOtel,
        ...otel,
        PGLITE_DATA_DIR: database.dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        ADMIN_PASSWORD,
        GENERATED_SECRETS_FILE: join(folder, `${name}-secrets.txt`),
        LOADED_FILES: loadedFiles,
      },
      ['--import', spy, '--import', bootstrap],
    );
    const base = await api.base;
    await signIn(base, 'admin', ADMIN_PASSWORD);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    api.child.kill('SIGTERM');
    return { exit: await api.exited, output: api.output(), loaded: packagesLoaded(loadedFiles) };
  }

  it('is off by default: without OTEL variables the SDK is never loaded, let alone asked to export', async () => {
    const { exit, output, loaded } = await signInAndStop('off', {});

    expect({ code: exit.code, output: exit.code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(loaded).toEqual(['@opentelemetry/api']);
  }, 120_000);

  it('with an OTLP endpoint, a request is one trace (the HTTP server span with its route, the express handler, the SQL it ran) and its log line names it', async () => {
    const { exit, output, loaded } = await signInAndStop('on', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Past the test's length: the spans arrive only if stopping the process flushes them.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_SERVICE_NAME: 'health-support-api',
    });

    expect({ code: exit.code, output: exit.code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(loaded).toEqual(expect.arrayContaining(['@opentelemetry/sdk-node', 'import-in-the-middle']));
    const server = receiver.spans.find((span) => span.name === 'POST /auth/token')!;
    expect(server).toMatchObject({
      kind: 2,
      scope: '@opentelemetry/instrumentation-http',
      service: 'health-support-api',
      attributes: { 'http.route': '/auth/token', 'http.response.status_code': 200 },
    });
    expect(server.parentSpanId ?? '').toBe('');
    const trace = receiver.spans.filter((span) => span.traceId === server.traceId);
    expect(trace).toContainEqual(
      expect.objectContaining({
        scope: '@opentelemetry/instrumentation-express',
        attributes: expect.objectContaining({ 'http.route': '/auth/token', 'express.type': 'request_handler' }),
      }),
    );
    expect(trace).toContainEqual(
      expect.objectContaining({
        scope: '@opentelemetry/instrumentation-pg',
        attributes: expect.objectContaining({ 'db.system.name': 'postgresql', 'db.query.text': expect.stringContaining('FROM app_users') }),
      }),
    );
    const logLines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; req?: { url?: string } });
    expect(logLines.find((line) => line.msg === 'request completed' && line.req?.url === '/auth/token')).toMatchObject({
      traceId: server.traceId,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    // Probes are not traced, nor are queries outside a request (the read models' polling).
    expect(receiver.spans.filter((span) => String(span.attributes['url.path']).startsWith('/health'))).toEqual([]);
    expect(receiver.spans.filter((span) => span.scope === '@opentelemetry/instrumentation-pg' && !span.parentSpanId)).toEqual([]);
  }, 120_000);
});
