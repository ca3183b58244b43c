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
  it('flushes the spans through the SDK', async () => {
    let flushed = false;
    onTracingStop(async () => {
      flushed = true;
    });
    await stopTracing();
    expect(flushed).toBe(true);
  });

  it("fails with the collector's refusal, for the process to report", async () => {
    onTracingStop(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4318')));
    await expect(stopTracing()).rejects.toThrow('connect ECONNREFUSED 127.0.0.1:4318');
  });

  it('gives up on a collector that does not answer, well within the stop deadline', async () => {
    onTracingStop(() => new Promise(() => undefined));
    const started = Date.now();
    await expect(stopTracing()).rejects.toThrow('no answer within 2000 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
