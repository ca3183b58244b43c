import { setTimeout as sleep } from 'node:timers/promises';
import { AppendSignal } from './append-signal.js';
import type { StoredEvent } from './event-store.js';
import { pollingSubscription } from './polling-subscription.js';

function event(position: number): StoredEvent {
  return {
    eventId: `e${position}`,
    streamId: 's',
    streamRevision: position - 1,
    globalPosition: BigInt(position),
    type: 'Happened',
    data: {},
    metadata: { actor: 'test', schemaVersion: 1 },
    recordedAt: new Date(),
  };
}

describe('pollingSubscription', () => {
  it('reads appends that follow one another closely as one batch, not one read each', async () => {
    const log: StoredEvent[] = [];
    const signal = new AppendSignal(async () => BigInt(log.length), 1000);
    const subscription = pollingSubscription(
      async ({ after = 0n }) => log.filter((e) => e.globalPosition > after),
      async () => BigInt(log.length),
      signal,
      1000,
    );
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ kind: 'caught-up', position: 0n });
    const next = iterator.next();
    for (let position = 1; position <= 3; position++) {
      log.push(event(position));
      signal.notify();
      await sleep(20);
    }
    const message = (await next).value;
    expect(message.kind === 'events' && message.events.map((e: StoredEvent) => e.globalPosition)).toEqual([1n, 2n, 3n]);
    await subscription.close();
  });

  it('finds another process’s appends by one read of the head per interval, whatever the number of subscribers', async () => {
    const log: StoredEvent[] = [];
    let headReads = 0;
    const readHead = async () => {
      headReads++;
      return BigInt(log.length);
    };
    const signal = new AppendSignal(readHead, 50);
    const subscriptions = Array.from({ length: 8 }, () =>
      pollingSubscription(async ({ after = 0n }) => log.filter((e) => e.globalPosition > after), readHead, signal, 50),
    );
    try {
      const iterators = subscriptions.map((subscription) => subscription[Symbol.asyncIterator]());
      for (const iterator of iterators) expect((await iterator.next()).value).toEqual({ kind: 'caught-up', position: 0n });
      const next = iterators.map((iterator) => iterator.next());
      headReads = 0;
      await sleep(500);
      // Idle for ten intervals: the shared poll read the head about once each, the subscribers not at all (they would have 80 times).
      expect(headReads).toBeGreaterThanOrEqual(5);
      expect(headReads).toBeLessThanOrEqual(11);
      // Appended elsewhere: nothing in this process says so.
      log.push(event(1));
      for (const message of await Promise.all(next))
        expect(message.value.kind === 'events' && message.value.events.map((e: StoredEvent) => e.globalPosition)).toEqual([1n]);
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    }
  });
});
