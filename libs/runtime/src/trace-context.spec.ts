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
  it('reports spans it could not flush without failing the stop: a collector out of reach must not turn a clean exit into a failed one', async () => {
    const reported: unknown[] = [];
    const { error } = console;
    console.error = (...lines: unknown[]) => reported.push(...lines);
    onTracingStop(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4318')));
    try {
      await expect(stopTracing()).resolves.toBeUndefined();
    } finally {
      console.error = error;
    }
    expect(reported).toEqual(['traces not flushed: connect ECONNREFUSED 127.0.0.1:4318']);
  });
});
