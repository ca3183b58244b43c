import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_PROJECTIONS } from '#read-models';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { freePort } from '../../../test/support/throwaway-postgres.js';
import { API_BACKENDS, caughtUp, type client, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

const TOKEN = 'a-metrics-token-the-scraper-keeps-in-a-file';
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of an exposition text (format 0.0.4): `name{label="value",…} number`, comments skipped. */
function samplesOf(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The samples named `name` whose labels include `labels`. */
const pick = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value));
const total = (samples: readonly Sample[], name: string, labels?: Record<string, string>) =>
  pick(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);

async function scrape(base: string, token?: string): Promise<Response> {
  return fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Every read model's lag, in events and seconds, and whether it fails: as a process running them all reports it. */
function expectLagOfEveryProjection(samples: readonly Sample[]): void {
  for (const { name: projection } of ALL_PROJECTIONS) {
    expect(pick(samples, 'hsb_projection_lag_events', { projection }).map((sample) => sample.value)).toEqual([0]);
    expect(pick(samples, 'hsb_projection_lag_seconds', { projection })).toEqual([expect.objectContaining({ value: expect.any(Number) })]);
    expect(pick(samples, 'hsb_projection_failing', { projection }).map((sample) => sample.value)).toEqual([0]);
  }
}

/**
 * Prometheus metrics: never anonymous; a scraper's static token or a signed-in administrator or
 * auditor reads them; HTTP latency by route template, appends, and each read model's lag.
 */
describe.each(API_BACKENDS)('metrics at /metrics, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'auditor', ReturnType<typeof client>>;

  beforeAll(async () => {
    api = await startApi(setup, { METRICS_TOKEN: TOKEN });
    as = await signInPeople(api, { clerk: ['lan', ['clerk']], auditor: ['kiem', ['auditor']] });
  }, 120_000);
  afterAll(() => api.close());

  it('answers nobody anonymous nor with another token (401), nor a user whose role may not read them (403)', async () => {
    expect((await scrape(api.base)).status).toBe(401);
    expect((await scrape(api.base, `${TOKEN.slice(0, -1)}X`)).status).toBe(401);
    expect((await scrape(api.base, 'short')).status).toBe(401);
    expect(await as.clerk.get('/metrics')).toMatchObject({ status: 403, body: { message: expect.stringContaining('administrator or auditor') } });
    for (const reader of [as.auditor, as.admin]) {
      const response = await reader.download('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
    }
  });

  it('shows HTTP latency by route template and status, append latency, projection batches and every read model’s lag', async () => {
    const { beneficiaryId } = await ok(
      as.clerk.post('/beneficiaries', {
        fullName: 'Hoàng Văn An',
        dateOfBirth: '1968-05-12',
        nationalId: '020068000911',
        title: 'Bí thư Huyện ủy',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 3,
        from: '2025-01-01',
      }),
      201,
    );
    await ok(as.clerk.get(`/beneficiaries/${beneficiaryId}`));
    expect((await as.clerk.get('/beneficiaries/no-such-person')).status).toBe(404);
    expect((await fetch(`${api.base}/no-such-page`)).status).toBe(404);
    await caughtUp(api);

    const response = await scrape(api.base, TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
    const text = await response.text();
    const samples = samplesOf(text);

    const requests = (route: string, status: string, method = 'GET') =>
      total(samples, 'hsb_http_request_duration_seconds_count', { method, route, status_code: status });
    expect(pick(samples, 'hsb_http_request_duration_seconds_bucket', { route: '/beneficiaries/:id', status_code: '200', le: '+Inf' })).toEqual([
      expect.objectContaining({ value: 1 }),
    ]);
    expect(requests('/beneficiaries/:id', '404')).toBe(1);
    expect(requests('/beneficiaries', '201', 'POST')).toBe(1);
    expect(requests('unmatched', '404')).toBeGreaterThanOrEqual(1);
    // Labelled with templates only: no id of a beneficiary, no path a client made up.
    expect(text).not.toContain(beneficiaryId);
    expect(text).not.toContain('no-such');

    expect(total(samples, 'hsb_event_append_duration_seconds_count', { outcome: 'appended' })).toBeGreaterThan(0);
    expect(pick(samples, 'hsb_command_concurrency_retries_total')).toHaveLength(1);
    expect(total(samples, 'hsb_projection_events_applied_total')).toBeGreaterThan(0);
    expect(total(samples, 'hsb_projection_batch_duration_seconds_count')).toBeGreaterThan(0);
    expect(pick(samples, 'hsb_projection_failures_total')).toHaveLength(ALL_PROJECTIONS.length);
    expectLagOfEveryProjection(samples);
    expect(pick(samples, 'hsb_process_resident_memory_bytes')).toHaveLength(1);
  });
});

describe('metrics turned off (METRICS=off)', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi(API_BACKENDS[0][1], { METRICS: 'off', METRICS_TOKEN: TOKEN });
  }, 120_000);
  afterAll(() => api.close());

  it('measures nothing: /metrics answers 404 to the scraper, and 401 to anybody else still', async () => {
    expect((await scrape(api.base, TOKEN)).status).toBe(404);
    expect((await scrape(api.base)).status).toBe(401);
  });
});

describe('the projection worker’s metrics (PostgreSQL server)', () => {
  const workerMain = resolve('dist/apps/worker/src/main.js');
  let database: TestDatabase;
  let worker: ChildProcess;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run the tests with \`npm test\`, which builds first`);
    database = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = spawn(process.execPath, [workerMain], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
        WORKER_PORT: String(port),
        POLL_INTERVAL_MS: '20',
        METRICS_TOKEN: TOKEN,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (
      let attempt = 0;
      (await fetch(`${base}/health/ready`).then(
        (r) => r.status,
        () => 0,
      )) !== 200;
      attempt++
    ) {
      if (attempt > 600) throw new Error('the worker did not get ready');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 120_000);
  afterAll(async () => {
    if (worker.exitCode === null) {
      const exited = new Promise((done) => worker.once('exit', done));
      worker.kill('SIGTERM');
      await exited;
    }
    await database.drop();
  });

  it('serves them at WORKER_PORT to the scraper’s token only: it has no users to sign in', async () => {
    expect((await scrape(base)).status).toBe(401);
    // Ready says that no projection fails, not that each has read the log yet: its lag in seconds
    // appears once it has, so the scrape that counts is the first after every projection did.
    for (let attempt = 0; ; attempt++) {
      const response = await scrape(base, TOKEN);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
      const samples = samplesOf(await response.text());
      if (attempt === 200 || ALL_PROJECTIONS.every(({ name: projection }) => pick(samples, 'hsb_projection_lag_seconds', { projection }).length > 0)) {
        expectLagOfEveryProjection(samples);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('answers its probes, then stops on SIGTERM with exit code 0', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/health/ready`)).json()).toMatchObject({
      status: 'ok',
      info: { process: { status: 'up' }, database: { status: 'up' }, projections: { status: 'up' } },
    });
    const exited = new Promise<number | null>((done) => worker.once('exit', (code) => done(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
