/*
 * The tracing bootstrap, preloaded before the application: `node --import ./dist/libs/runtime/src/tracing.js`.
 * Express and pg are CommonJS packages imported from ES modules, which only a loader hook
 * registered before they load can patch; hence a preload rather than a call from `main`.
 *
 * Off unless the OpenTelemetry variables ask for it; off, neither the SDK, the instrumentations nor
 * the loader hook is ever loaded, so tracing off costs nothing. On, the standard `OTEL_*` variables
 * configure the SDK: exporter, endpoint, protocol, sampler, service name, batching.
 */
import type { IncomingMessage } from 'node:http';
import { register } from 'node:module';
import { onTracingStop } from './trace-context.js';

/** Whether the standard variables ask for traces: an exporter named, or an OTLP endpoint given. */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  // As the SDK reads it: "none" first turns traces off, "none" among others is ignored.
  if (exporters[0] === 'none') return false;
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Health probes and metric scrapes come every few seconds and say nothing about the requests served. */
function isProbeOrScrape(request: IncomingMessage): boolean {
  const path = request.url?.split('?')[0] ?? '';
  return path.startsWith('/health') || path === '/metrics';
}

async function startTracing(): Promise<void> {
  // The channel tells the loader which modules the instrumentations hook, so it wraps those alone
  // and leaves the application's own modules untouched.
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  const [{ NodeSDK }, { HttpInstrumentation }, { ExpressInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isProbeOrScrape }),
      new ExpressInstrumentation(),
      // Queries are traced within a request: the read models' polling, four times a second in
      // every process, would otherwise bury the requests under traces of one idle query each.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
    // Traces only: metrics are Prometheus's and logs go to standard output, where the SDK left to
    // itself would push both over OTLP too.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  onTracingStop(() => sdk.shutdown());
}

if (tracingRequested(process.env)) await startTracing();
