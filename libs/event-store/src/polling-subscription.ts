import type { AppendSignal } from './append-signal.js';
import type { AllSubscription, ReadAllOptions, StoredEvent, SubscribeToAllOptions, SubscriptionMessage } from './event-store.js';

export const DEFAULT_SUBSCRIPTION_BATCH = 500;

/**
 * A catch-up subscription built on `readAll`: read batches until a short one says the head is
 * reached, announce `caught-up`, then wait for an append (or the poll interval) and read again.
 * Correct only over a log whose visible positions never gain a hole below the highest one seen,
 * which the PostgreSQL adapter guarantees by serializing appends.
 */
export function pollingSubscription(
  readAll: (options: ReadAllOptions) => Promise<StoredEvent[]>,
  appendSignal: AppendSignal,
  pollIntervalMs: number,
  options: SubscribeToAllOptions = {},
): AllSubscription {
  const stop = new AbortController();
  const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH;

  async function* messages(): AsyncGenerator<SubscriptionMessage> {
    let after = options.after ?? 0n;
    let behind = true;
    while (!stop.signal.aborted) {
      const events = await readAll({ after, maxCount: batchSize, eventTypes: options.eventTypes });
      if (stop.signal.aborted) return;
      if (events.length > 0) {
        after = events[events.length - 1]!.globalPosition;
        behind = true;
        yield { kind: 'events', events };
      }
      if (events.length === batchSize) continue;
      if (behind) {
        behind = false;
        yield { kind: 'caught-up' };
      }
      await appendSignal.wait(pollIntervalMs, stop.signal);
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
