import { context, trace } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { createLogger } from './logging.js';

/** A logger writing into an array, one parsed JSON object a line. */
function capturing(level: Parameters<typeof createLogger>[0] = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the process logger', () => {
  it('writes JSON lines with an ISO time, the level and the message', () => {
    const { logger, lines } = capturing();
    logger.info({ reqId: 'r-1' }, 'hello');
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'hello', reqId: 'r-1', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })]);
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capturing('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => line.msg)).toEqual(['loud']);
  });

  it('censors credentials and personal data wherever an object logged holds them, at any depth', () => {
    const { logger, lines } = capturing();
    logger.info(
      {
        password: 'p1',
        req: { headers: { authorization: 'Bearer t1', cookie: 'c=1', accept: 'json' } },
        body: {
          currentPassword: 'p2',
          newPassword: 'p3',
          code: '123456',
          person: { nationalId: '020068001234', fullName: 'Hoàng Văn Bình', dateOfBirth: '1968-05-12' },
        },
        reply: { accessToken: 't2', token: 't3' },
        deep: { a: { b: { c: { d: [{ nationalId: '020068009999' }] } } } },
      },
      'careless',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['p1', 'p2', 'p3', 't1', 't2', 't3', 'c=1', '123456', '020068001234', '020068009999', 'Hoàng', '1968-05-12'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      password: '[redacted]',
      req: { headers: { authorization: '[redacted]', accept: 'json' } },
      body: { person: { fullName: '[redacted]' } },
    });
  });

  it('censors what a child logger logs, and leaves the object it was given untouched', () => {
    const { logger, lines } = capturing();
    const given = { person: { fullName: 'Hoàng Văn Bình' } };
    logger.child({ reqId: 'r-2' }).info(given, 'child');
    expect(JSON.stringify(lines)).not.toMatch(/Hoàng/);
    expect(given.person.fullName).toBe('Hoàng Văn Bình');
  });

  it('stamps a line written within a span with its trace and span ids, and only such a line', () => {
    new node.NodeTracerProvider().register();
    try {
      const { logger, lines } = capturing();
      const ids = trace.getTracer('test').startActiveSpan('request', (span) => {
        logger.info('inside');
        span.end();
        return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      });
      logger.info('outside');
      expect(lines).toEqual([expect.objectContaining({ msg: 'inside', ...ids }), expect.not.objectContaining({ traceId: expect.anything() })]);
    } finally {
      trace.disable();
      context.disable();
    }
  });
});
