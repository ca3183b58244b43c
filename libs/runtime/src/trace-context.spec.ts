import { context, trace } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { onTracingStop, stopTracing, traceContext } from './trace-context.js';

describe('traceContext: the ids a log line is stamped with', () => {
  afterEach(() => {
    trace.disable();
    context.disable();
  });

  it('is undefined with tracing off: no tracer, so never an active span', () => {
    expect(traceContext()).toBeUndefined();
  });

  it('names the active span and its trace, inside the span only', () => {
    new node.NodeTracerProvider().register();
    const seen = trace.getTracer('test').startActiveSpan('request', (span) => {
      span.end();
      return { inside: traceContext(), ids: { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId } };
    });

    expect(seen.inside).toEqual(seen.ids);
    expect(seen.ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceContext()).toBeUndefined();
  });
});

describe('stopTracing', () => {
  /** What the flush reported on standard error; a collector out of reach must not turn a clean exit into a failed one. */
  async function reportOf(shutdown: () => Promise<void>): Promise<unknown[]> {
    const reported: unknown[] = [];
    const { error } = console;
    console.error = (...lines: unknown[]) => reported.push(...lines);
    onTracingStop(shutdown);
    try {
      await expect(stopTracing()).resolves.toBeUndefined();
    } finally {
      console.error = error;
    }
    return reported;
  }

  it('flushes quietly when the collector answers', async () => {
    expect(await reportOf(() => Promise.resolve())).toEqual([]);
  });

  it('reports spans the collector refused, without failing the stop', async () => {
    expect(await reportOf(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4318')))).toEqual(['traces not flushed: connect ECONNREFUSED 127.0.0.1:4318']);
  });

  it('gives up on a collector that does not answer, well within the stop deadline', async () => {
    const started = Date.now();
    expect(await reportOf(() => new Promise(() => undefined))).toEqual(['traces not flushed: no answer within 2000 ms']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
