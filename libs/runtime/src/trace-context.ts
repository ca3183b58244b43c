import { trace } from '@opentelemetry/api';

/**
 * The span a log line belongs to, for the logger to print beside it. `@opentelemetry/api` alone
 * is a few kilobytes with no side effects: with tracing off it has no tracer, so there is never
 * an active span and this returns undefined.
 */
export function traceContext(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

let flush: (() => Promise<void>) | undefined;

/** Set by the tracing bootstrap (`tracing.ts`), which this module must not import: it starts the SDK. */
export function onTracingStop(shutdown: () => Promise<void>): void {
  flush = shutdown;
}

/** A collector that does not answer gets this long: the process's stop has a deadline of its own (process.ts). */
const FLUSH_DEADLINE_MS = 2_000;

/**
 * Exports the spans still buffered and stops tracing; nothing when tracing is off. Fails when the
 * collector refuses them or does not answer in time: the caller reports it, and those spans are lost.
 */
export async function stopTracing(): Promise<void> {
  if (!flush) return;
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${FLUSH_DEADLINE_MS} ms`)), FLUSH_DEADLINE_MS).unref(),
  );
  await Promise.race([flush(), deadline]);
}
