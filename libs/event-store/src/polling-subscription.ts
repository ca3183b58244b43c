import { setTimeout as sleep } from 'node:timers/promises';
import type { AppendSignal } from './append-signal.js';
import type { AllSubscription, ReadAllOptions, StoredEvent, SubscribeToAllOptions, SubscriptionMessage } from './event-store.js';

export const DEFAULT_SUBSCRIPTION_BATCH = 500;

/**
 * A catch-up subscription built on `readAll`: read batches until a short one says the head is
 * reached, announce `caught-up`, then wait until the log grows (see AppendSignal) and read again.
 * Correct only over a log whose visible positions never gain a hole below the highest one seen,
 * which the PostgreSQL adapter guarantees by serializing appends.
 */
export function pollingSubscription(
  readAll: (options: ReadAllOptions) => Promise<StoredEvent[]>,
  readHead: () => Promise<bigint>,
  appendSignal: AppendSignal,
  pollIntervalMs: number,
  options: SubscribeToAllOptions = {},
): AllSubscription {
  const stop = new AbortController();
  const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH;

  async function* messages(): AsyncGenerator<SubscriptionMessage> {
    let after = options.after ?? 0n;
    let behind = true;
    let announced = after;
    let lastRead: number;
    while (!stop.signal.aborted) {
      // Read before the events: whatever a short read misses was appended after this head.
      lastRead = performance.now();
      const appends = appendSignal.appendsSoFar;
      const head = await readHead();
      const events = await readAll({ after, maxCount: batchSize, eventTypes: options.eventTypes });
      if (stop.signal.aborted) return;
      if (events.length > 0) {
        after = events[events.length - 1].globalPosition;
        behind = true;
        yield { kind: 'events', events };
      }
      if (events.length === batchSize) continue;
      // Announced again whenever the log grew, also by events of other types than the subscriber's.
      if (behind || head > announced) {
        behind = false;
        announced = head > announced ? head : announced;
        yield { kind: 'caught-up', position: announced };
      }
      await appendSignal.wait(after > head ? after : head, appends, stop.signal);
      // Woken at every append of a busy log, a subscriber would apply it an event or two at a time,
      // each batch a transaction and a synced commit that compete with the appends: it reads at most
      // once per poll interval then, taking what came meanwhile as one batch. Idle, it reads at once.
      const since = performance.now() - lastRead;
      if (since < pollIntervalMs) await sleep(pollIntervalMs - since, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  }

  const iterator = messages();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      stop.abort();
      await iterator.return(undefined);
    },
  };
}
