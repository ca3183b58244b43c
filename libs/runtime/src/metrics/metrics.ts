import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProjectionObserver, ProjectionStatus, RebuildProgress } from '#projection-runner';
import { ALL_PROJECTIONS } from '#read-models';
import { projectionLags } from '../health/projection-lag.js';
import { RUNTIME, type Runtime } from '../runtime.js';

const PREFIX = 'hsb_';

let nodeRegistry: Registry | undefined;

/**
 * Node's own figures (memory, event loop, GC), collected once per process whatever number of
 * applications it runs (tests start several): their collectors are process-wide and cannot be stopped.
 */
function nodeMetrics(): Registry {
  if (!nodeRegistry) {
    nodeRegistry = new Registry();
    collectDefaultMetrics({ register: nodeRegistry, prefix: PREFIX });
  }
  return nodeRegistry;
}

/** Label values of one HTTP request: the route's template, never its path (ids would make a series each). */
export interface HttpRequestLabels {
  readonly method: string;
  readonly route: string;
  readonly status_code: string;
}

/**
 * What the process measures, in a registry of its own: HTTP requests, appends to the log and
 * their conflicts, and the projections it runs; how far each read model is behind the log is
 * read from the checkpoints when scraped. Absent when METRICS=off.
 */
@Injectable()
export class Metrics {
  static readonly CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

  private readonly registry: Registry;
  private readonly http: Histogram<keyof HttpRequestLabels>;
  private readonly appends: Histogram<'outcome'>;
  private readonly retries: Counter;
  private readonly lagEvents: Gauge<'projection'>;
  private readonly lagSeconds: Gauge<'projection'>;
  private readonly failing: Gauge<'projection'>;
  private readonly batches: Histogram<'projection'>;
  private readonly applied: Counter<'projection'>;
  private readonly failures: Counter<'projection'>;
  private readonly rebuildEvents: Gauge<'projections'>;
  private readonly rebuildPosition: Gauge<'projections'>;
  private readonly rebuildHead: Gauge<'projections'>;
  private statuses: () => readonly ProjectionStatus[] | undefined = () => undefined;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {
    const own = new Registry();
    const registers = [own];
    const projection = ['projection'] as const;
    const projections = ['projections'] as const;
    this.http = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'HTTP requests answered, by method, route template (unmatched: no route) and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.appends = new Histogram({
      name: `${PREFIX}event_append_duration_seconds`,
      help: 'Appends to the log by commands, personal data sealing included; outcome conflict: another writer moved the stream on first',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.retries = new Counter({
      name: `${PREFIX}command_concurrency_retries_total`,
      help: 'Commands run again from loading on after a concurrency conflict',
      registers,
    });
    this.lagEvents = new Gauge({
      name: `${PREFIX}projection_lag_events`,
      help: 'Log positions after the read model checkpoint, read when scraped',
      labelNames: projection,
      registers,
    });
    this.lagSeconds = new Gauge({
      name: `${PREFIX}projection_lag_seconds`,
      help: 'Seconds since the projection last had read the whole log (0 while it has); only for projections this process runs, once caught up',
      labelNames: projection,
      registers,
    });
    this.failing = new Gauge({
      name: `${PREFIX}projection_failing`,
      help: '1 while the projection is stopped at an event it cannot apply, retrying',
      labelNames: projection,
      registers,
    });
    this.batches = new Histogram({
      name: `${PREFIX}projection_batch_duration_seconds`,
      help: 'Batches of events applied to a read model, each in one transaction',
      labelNames: projection,
      registers,
    });
    this.applied = new Counter({
      name: `${PREFIX}projection_events_applied_total`,
      help: 'Events applied to a read model while following the log',
      labelNames: projection,
      registers,
    });
    this.failures = new Counter({
      name: `${PREFIX}projection_failures_total`,
      help: 'Failed attempts to apply a batch (each retried from the checkpoint)',
      labelNames: projection,
      registers,
    });
    this.rebuildEvents = new Gauge({
      name: `${PREFIX}projection_rebuild_events`,
      help: 'Events applied so far by the latest rebuild in this process',
      labelNames: projections,
      registers,
    });
    this.rebuildPosition = new Gauge({
      name: `${PREFIX}projection_rebuild_position`,
      help: 'Log position the latest rebuild in this process has reached',
      labelNames: projections,
      registers,
    });
    this.rebuildHead = new Gauge({
      name: `${PREFIX}projection_rebuild_head`,
      help: 'Log position the latest rebuild in this process goes up to',
      labelNames: projections,
      registers,
    });
    this.registry = Registry.merge([nodeMetrics(), own]);
  }

  /** Times one HTTP request: call the result once its answer is sent. */
  httpRequestStarted(): (labels: HttpRequestLabels) => void {
    return this.http.startTimer();
  }

  appended(seconds: number, outcome: string): void {
    this.appends.observe({ outcome }, seconds);
  }

  retried(): void {
    this.retries.inc();
  }

  /** What the projection runner of this process tells; `statuses` is its state, read when scraped. */
  projectionObserver(statuses: () => readonly ProjectionStatus[]): ProjectionObserver {
    this.statuses = statuses;
    // From 0, so that a rate or an increase is defined before the first failure.
    for (const { name } of ALL_PROJECTIONS) {
      this.failures.inc({ projection: name }, 0);
      this.applied.inc({ projection: name }, 0);
    }
    return {
      batchApplied: (projection: string, events: number, seconds: number) => {
        this.batches.observe({ projection }, seconds);
        this.applied.inc({ projection }, events);
      },
      failed: (projection: string) => this.failures.inc({ projection }),
      rebuildProgress: ({ projection, events, position, head }: RebuildProgress) => {
        this.rebuildEvents.set({ projections: projection }, events);
        this.rebuildPosition.set({ projections: projection }, Number(position));
        this.rebuildHead.set({ projections: projection }, Number(head));
      },
    };
  }

  /** The exposition text, in Prometheus's format 0.0.4 (`Metrics.CONTENT_TYPE`). */
  async scrape(): Promise<string> {
    await this.measureLags();
    return this.registry.metrics();
  }

  /**
   * Every read model's lag, from the checkpoints and the head (as readiness reads it). Without the
   * database it is unknown and left out, and the rest is served still: the failing requests above all.
   */
  private async measureLags(): Promise<void> {
    const lags = await projectionLags(this.runtime, this.statuses()).catch(() => undefined);
    // Set in one synchronous step, so that concurrent scrapes never show half of one and half of another.
    for (const gauge of [this.lagEvents, this.lagSeconds, this.failing]) gauge.reset();
    for (const { name, behind, seconds, status } of lags?.projections ?? []) {
      this.lagEvents.set({ projection: name }, Number(behind));
      if (seconds !== undefined) this.lagSeconds.set({ projection: name }, seconds);
      if (status) this.failing.set({ projection: name }, status.state === 'failing' ? 1 : 0);
    }
  }
}
