import { Inject, Injectable, Module, Optional, SetMetadata, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { COMMAND_OBSERVER } from '#application/ports';
import { ProjectionRunner } from '#projection-runner';
import { ALL_PROJECTIONS } from '#read-models';
import { Metrics } from './metrics/metrics.js';
import { RUNTIME, type Runtime } from './runtime.js';

export { RUNTIME };

export const PUBLIC_ROUTE = 'public-route';

/** Reachable without signing in: health probes, and getting a token. Everything else needs a user. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Keeps every projection up to date while the Nest application runs. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: ProjectionRunner;

  constructor(@Inject(RUNTIME) runtime: Runtime, @Optional() @Inject(Metrics) metrics?: Metrics) {
    const logger = runtime.logger.child({ component: 'projections' });
    this.runner = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, {
      batchSize: runtime.config.projectionBatchSize,
      maxRetryDelayMs: runtime.config.projectionMaxRetryDelayMs,
      ...runtime.rebuild,
      log: (message) => logger.info(message),
      ...(metrics ? { observer: metrics.projectionObserver(() => this.runner.status()) } : {}),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/**
 * Provides the runtime to every module; with `runProjections` it also runs the projections in
 * this process (the API by default, the worker always); with `serveMetrics` (processes a
 * scraper reaches: the API and the worker) it measures, unless METRICS=off.
 */
@Module({})
export class RuntimeModule {
  static register(runtime: Runtime, options: { runProjections: boolean; serveMetrics: boolean }): DynamicModule {
    const providers = [
      { provide: RUNTIME, useValue: runtime },
      ...(options.runProjections ? [ProjectionsService] : []),
      ...(options.serveMetrics && runtime.config.metrics.enabled ? [Metrics, { provide: COMMAND_OBSERVER, useExisting: Metrics }] : []),
    ];
    return { module: RuntimeModule, global: true, providers, exports: providers };
  }
}
