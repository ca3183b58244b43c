import { usePostgresEventStore } from '../../../test/support/postgres-event-store.fixture.js';
import { type Actor, EventSourcing } from './event-sourcing.js';

type Counted = { type: 'Counted'; data: { n: number } };
const counter = { evolve: (total: number, event: Counted) => total + event.data.n, initial: 0 };
const actor: Actor = { username: 'read-ahead-test', roles: ['administrator'] };
const add = (n: number) => (): Counted[] => [{ type: 'Counted', data: { n } }];

describe('deciding on streams read ahead (PostgreSQL server)', () => {
  const fixture = usePostgresEventStore('server');
  let sourcing: EventSourcing;
  let made = 0;
  const stream = () => `counter-${++made}-${Date.now()}`;
  /** What the metrics are told: each append's outcome, and each retry. */
  const observed: string[] = [];

  beforeAll(() => {
    sourcing = new EventSourcing(fixture().store, { appended: (_seconds, outcome) => observed.push(outcome), retried: () => observed.push('retried') });
  });

  it('loads a stream from what was read ahead, without a round trip of its own', async () => {
    const id = stream();
    await sourcing.decideOn(id, counter, add(5), { actor, commandId: `${id}-first` });
    const streams = await sourcing.store.readStreams([id]);
    // Written after the read-ahead: a load inside it does not see this, which proves where it read from.
    await sourcing.decideOn(id, counter, add(7), { actor, commandId: `${id}-second` });
    const seen = await sourcing.withStreamsRead(streams, async () => (await sourcing.load(id, counter.evolve, counter.initial)).state);
    expect(seen).toBe(5);
    expect((await sourcing.load(id, counter.evolve, counter.initial)).state).toBe(12);
  });

  it('decides again on a fresh read when what was read ahead went stale, appends once, and tells the metrics of the conflict and the retry', async () => {
    const id = stream();
    await sourcing.decideOn(id, counter, add(1), { actor, commandId: `${id}-first` });
    const streams = await sourcing.store.readStreams([id]);
    await sourcing.decideOn(id, counter, add(2), { actor, commandId: `${id}-meanwhile` });
    observed.length = 0;
    const decidedOn: number[] = [];
    const { state } = await sourcing.withStreamsRead(streams, () =>
      sourcing.decideOn(
        id,
        counter,
        (current) => {
          decidedOn.push(current);
          return [{ type: 'Counted' as const, data: { n: 10 } }];
        },
        { actor, commandId: `${id}-late` },
      ),
    );
    // First on the stale read (1), refused on the expected revision, then on the stream as it is (3).
    expect(decidedOn).toEqual([1, 3]);
    expect(observed).toEqual(['conflict', 'retried', 'appended']);
    expect(state).toBe(13);
    expect((await sourcing.store.readStream(id)).map((event) => (event.data as { n: number }).n)).toEqual([1, 2, 10]);
  });

  it('reads a stream afresh after appending to it inside the read-ahead', async () => {
    const id = stream();
    const streams = await sourcing.store.readStreams([id]);
    const states = await sourcing.withStreamsRead(streams, async () => {
      await sourcing.decideOn(id, counter, add(4), { actor, commandId: `${id}-one` });
      const second = await sourcing.decideOn(id, counter, add(6), { actor, commandId: `${id}-two` });
      return second.state;
    });
    expect(states).toBe(10);
    expect(await sourcing.store.readStream(id)).toHaveLength(2);
  });

  it('recognises a command already handled even when the read-ahead predates it', async () => {
    const id = stream();
    const streams = await sourcing.store.readStreams([id]);
    await sourcing.decideOn(id, counter, add(3), { actor, commandId: `${id}-once` });
    await sourcing.withStreamsRead(streams, () => sourcing.decideOn(id, counter, add(3), { actor, commandId: `${id}-once` }));
    expect(await sourcing.store.readStream(id)).toHaveLength(1);
  });

  it('folds a stream read ahead once, however many commands load it', async () => {
    const id = stream();
    await sourcing.decideOn(id, counter, add(2), { actor, commandId: `${id}-first` });
    await sourcing.decideOn(id, counter, add(3), { actor, commandId: `${id}-second` });
    let evolved = 0;
    const counting = (total: number, event: Counted) => (evolved++, counter.evolve(total, event));
    const streams = await sourcing.store.readStreams([id]);
    const states = await sourcing.withStreamsRead(streams, () => Promise.all([1, 2, 3].map(async () => (await sourcing.load(id, counting, 0)).state)));
    expect(states).toEqual([5, 5, 5]);
    expect(evolved).toBe(2);
  });
});
