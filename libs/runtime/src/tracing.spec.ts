import { tracingRequested } from './tracing.js';

describe('tracingRequested: tracing is off unless the standard OpenTelemetry variables ask for it', () => {
  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ['no OTEL variable', {}, false],
    ['only a service name', { OTEL_SERVICE_NAME: 'health-support-api' }, false],
    ['an OTLP endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    ['an OTLP endpoint for traces', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    ['an exporter named', { OTEL_TRACES_EXPORTER: 'console' }, true],
    ['the exporter "none"', { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    ['the SDK disabled', { OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    ['the SDK not disabled', { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
  ])('%s', (_case, env, requested) => {
    expect(tracingRequested(env)).toBe(requested);
  });
});
