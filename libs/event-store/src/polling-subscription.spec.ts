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
    const signal = new AppendSignal();
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
});
