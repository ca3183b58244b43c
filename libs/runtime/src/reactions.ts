import type pg from 'pg';
import type { Reactions } from '#application/ports';
import type { EventStore } from '#event-store';
import { Reactor } from '#projection-runner';
import type { Logger } from './logging.js';

/**
 * The application's reactions, each run by a checkpointed reactor over the log; a failure while
 * settling is logged and left to the reactor's retries in the background.
 */
export function durableReactions(store: EventStore, pool: pg.Pool, options: { readonly maxRetryDelayMs: number; readonly logger: Logger }): Reactions {
  return {
    durably(reaction, label) {
      const logger = options.logger.child({ component: label.replaceAll(' ', '-') });
      const reactor = new Reactor(store, pool, reaction, { maxRetryDelayMs: options.maxRetryDelayMs, log: (level, message) => logger[level](message) });
      return {
        async settle() {
          try {
            await reactor.catchUp();
          } catch (error) {
            logger.error(`${label} stopped at an event it could not complete (retried in the background): ${(error as Error).message}`);
          }
        },
        start: () => reactor.start(),
        stop: () => reactor.stop(),
      };
    },
  };
}
