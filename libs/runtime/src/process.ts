import type { Server } from 'node:http';
import { ConfigError } from './config.js';
import { createLogger } from './logging.js';
import { stopTracing } from './trace-context.js';

/** Longest a stop may take before the process exits anyway: a container runtime kills at 10 s. */
const STOP_DEADLINE_MS = 9_000;

/** The process's own failures, logged at any LOG_LEVEL: they may come before there is a configuration. */
const processLogger = createLogger('info');

/** A collector out of reach costs the spans still buffered, not the clean stop of the process. */
const flushTraces = (): Promise<void> => stopTracing().catch((error: unknown) => processLogger.warn({ err: error }, 'traces not flushed'));

/**
 * Runs a process's entry point, and is the one owner of its signals. A configuration error logs
 * its list of problems, any other failure its stack, and both exit with status 1. `main` returns
 * what stops the process cleanly; the first SIGINT or SIGTERM runs it, flushes the traces, and exits
 * with 0 once it is done (1 if it failed or passed the deadline); a second signal exits at once.
 */
export function runProcess(main: () => Promise<() => Promise<void>>): void {
  main()
    .then((stop) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stopping) {
          processLogger.error(`${signal} again: exiting without waiting`);
          process.exit(1);
        }
        stopping = true;
        setTimeout(() => {
          processLogger.error(`not stopped within ${STOP_DEADLINE_MS} ms: exiting`);
          process.exit(1);
        }, STOP_DEADLINE_MS).unref();
        stop()
          .finally(flushTraces)
          .then(
            () => process.exit(0),
            (error: unknown) => {
              processLogger.error({ err: error }, 'stopping failed');
              process.exit(1);
            },
          );
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) processLogger.fatal({ problems: error.problems }, error.message);
      else processLogger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    });
}

/**
 * Stops accepting connections and lets the requests in flight finish, for at most `graceMs`;
 * then closes what is left. Idle keep-alive connections are closed at once, and answers given
 * meanwhile ask the client to close theirs (see `closingConnections`).
 */
export function drainHttpServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
