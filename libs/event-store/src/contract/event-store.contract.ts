import { randomUUID } from 'node:crypto';
import {
  type EventMetadata,
  type EventStore,
  InvalidAppend,
  type NewEvent,
  type StoredEvent,
  type SubscriptionMessage,
  WrongExpectedRevision,
} from '../event-store.js';

/**
 * The behaviour every event store adapter must show, run unchanged against each backend.
 * Tests share one store, so each works on streams and event types of its own and reads the
 * global log only after the head it found when it started.
 */
export function describeEventStoreContract(backend: string, currentStore: () => EventStore): void {
  describe(`event store contract — ${backend}`, () => {
    let store: EventStore;

    beforeAll(() => {
      store = currentStore();
    });

    const unique = (prefix: string): string => `${prefix}-${randomUUID()}`;
    const metadata = (extra: Partial<EventMetadata> = {}): EventMetadata => ({ actor: 'contract-test', schemaVersion: 1, ...extra });
    const event = (type: string, data: unknown, meta: Partial<EventMetadata> = {}): NewEvent => ({ type, data, metadata: metadata(meta) });

    it('appends to a new stream and reads it back with every stored field', async () => {
      const stream = unique('card');
      const before = new Date(Date.now() - 5000);
      const meta = { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() };
      const result = await store.append(
        stream,
        [event('CardIssued', { cardNumber: 'LS-0001', amount: 190000 }, meta), event('CardRevoked', { reason: 'lost' }, meta)],
        { expectedRevision: 'no_stream' },
      );
      expect(result.nextExpectedRevision).toBe(1);
      expect(result.alreadyAppended).toBe(false);

      const events = await store.readStream(stream);
      expect(events.map((e) => [e.streamId, e.streamRevision, e.type])).toEqual([
        [stream, 0, 'CardIssued'],
        [stream, 1, 'CardRevoked'],
      ]);
      expect(events[0].data).toEqual({ cardNumber: 'LS-0001', amount: 190000 });
      expect(events[0].metadata).toEqual({ actor: 'contract-test', schemaVersion: 1, ...meta });
      expect(events[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(events[0].eventId).not.toBe(events[1].eventId);
      expect(events[1].globalPosition).toBe(result.position);
      expect(events[0].globalPosition < events[1].globalPosition).toBe(true);
      expect(events[0].recordedAt).toBeInstanceOf(Date);
      expect(events[0].recordedAt.getTime()).toBeGreaterThan(before.getTime());
    });

    it('honours every kind of expected revision', async () => {
      const stream = unique('beneficiary');
      await expect(store.append(stream, [event('Noted', {})], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(WrongExpectedRevision);
      await expect(store.append(stream, [event('Noted', {})], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevision);
      expect((await store.append(stream, [event('Noted', { n: 0 })], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
      const conflict = store.append(stream, [event('Noted', {})], { expectedRevision: 'no_stream' });
      await expect(conflict).rejects.toMatchObject({ name: 'WrongExpectedRevision', streamId: stream, expected: 'no_stream', actual: 0 });
      expect((await store.append(stream, [event('Noted', { n: 1 })], { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(1);
      expect((await store.append(stream, [event('Noted', { n: 2 })], { expectedRevision: 1 })).nextExpectedRevision).toBe(2);
      await expect(store.append(stream, [event('Noted', {})], { expectedRevision: 1 })).rejects.toMatchObject({ actual: 2 });
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    });

    it('appends to several streams at once; where the backend can, a conflict on one writes none', async () => {
      const [owed, paying] = [unique('payout'), unique('payout')];
      await store.append(owed, [event('Owed', {})], { expectedRevision: 'no_stream' });
      const results = await store.appendToStreams([
        { streamId: owed, events: [event('Offset', { n: 1 }, { commandId: `${owed}-offset` })], options: { expectedRevision: 0 } },
        { streamId: paying, events: [event('Paid', { n: 1 }, { commandId: `${paying}-pay` })], options: { expectedRevision: 'no_stream' } },
      ]);
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([1, 0]);
      const other = unique('payout');
      const clash = store.appendToStreams([
        { streamId: other, events: [event('Paid', {})], options: { expectedRevision: 'no_stream' } },
        { streamId: owed, events: [event('Offset', { n: 2 })], options: { expectedRevision: 0 } },
      ]);
      await expect(clash).rejects.toMatchObject({ name: 'WrongExpectedRevision', streamId: owed, actual: 1 });
      if (store.appendsTogether) expect(await store.readStream(other)).toEqual([]);
      expect((await store.readStream(owed)).map((e) => e.type)).toEqual(['Owed', 'Offset']);
    });

    it('settles appends made at once each on its own: a refused group of streams takes none of its neighbours with it', async () => {
      const [owed, lone, refused, accepted] = [unique('payout'), unique('payout'), unique('payout'), unique('payout')];
      await store.append(owed, [event('Owed', {})], { expectedRevision: 'no_stream' });
      const [alone, clash, together] = await Promise.allSettled([
        store.append(lone, [event('Paid', {})], { expectedRevision: 'no_stream' }),
        store.appendToStreams([
          { streamId: refused, events: [event('Paid', {})], options: { expectedRevision: 'no_stream' } },
          { streamId: owed, events: [event('Offset', { n: 1 })], options: { expectedRevision: 'no_stream' } },
        ]),
        store.appendToStreams([
          { streamId: accepted, events: [event('Paid', {})], options: { expectedRevision: 'no_stream' } },
          { streamId: owed, events: [event('Offset', { n: 2 })], options: { expectedRevision: 0 } },
        ]),
      ]);
      expect(alone.status).toBe('fulfilled');
      expect(clash).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedRevision', streamId: owed } });
      expect(together).toMatchObject({ status: 'fulfilled', value: [{ nextExpectedRevision: 0 }, { nextExpectedRevision: 1 }] });
      if (store.appendsTogether) expect(await store.readStream(refused)).toEqual([]);
      expect((await store.readStream(owed)).map((e) => e.data)).toEqual([{}, { n: 2 }]);
      expect(await store.readStream(accepted)).toHaveLength(1);
    });

    it('refuses an append it cannot store, and stores nothing', async () => {
      const stream = unique('invalid');
      await expect(store.append(stream, [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidAppend);
      await expect(store.append(stream, [event('Noted', {})], { expectedRevision: -3 })).rejects.toBeInstanceOf(InvalidAppend);
      const mixed = [event('Noted', {}, { commandId: 'a' }), event('Noted', {}, { commandId: 'b' })];
      await expect(store.append(stream, mixed, { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidAppend);
      expect(await store.readStream(stream)).toEqual([]);
    });

    it('reads a stream forwards and backwards from a revision, with a maximum count', async () => {
      const stream = unique('admission');
      await store.append(
        stream,
        Array.from({ length: 10 }, (_, n) => event('Counted', { n })),
        { expectedRevision: 'no_stream' },
      );
      const numbers = (events: StoredEvent[]): unknown[] => events.map((e) => (e.data as { n: number }).n);
      expect(numbers(await store.readStream(stream, { fromRevision: 7 }))).toEqual([7, 8, 9]);
      expect(numbers(await store.readStream(stream, { fromRevision: 2, maxCount: 3 }))).toEqual([2, 3, 4]);
      expect(numbers(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([9, 8]);
      expect(numbers(await store.readStream(stream, { direction: 'backwards', fromRevision: 3 }))).toEqual([3, 2, 1, 0]);
      expect(await store.readStream(unique('absent'))).toEqual([]);
    });

    it('reads several whole streams at once, each in order, an absent one as empty', async () => {
      const [first, second, absent] = [unique('claim'), unique('beneficiary'), unique('absent')];
      await store.append(first, [event('Counted', { n: 0 }), event('Counted', { n: 1 })], { expectedRevision: 'no_stream' });
      await store.append(second, [event('Counted', { n: 10 })], { expectedRevision: 'no_stream' });
      await store.append(first, [event('Counted', { n: 2 })], { expectedRevision: 1 });
      const streams = await store.readStreams([second, first, absent, first]);
      expect([...streams.keys()].sort()).toEqual([first, second, absent].sort());
      expect(streams.get(first)).toEqual(await store.readStream(first));
      expect(streams.get(first)!.map((e) => e.streamRevision)).toEqual([0, 1, 2]);
      expect(streams.get(second)!.map((e) => e.data)).toEqual([{ n: 10 }]);
      expect(streams.get(absent)).toEqual([]);
      expect((await store.readStreams([])).size).toBe(0);
    });

    it('reads the global log in order from a position, in batches, filtered by type', async () => {
      const head = await store.readHeadPosition();
      const type = unique('Logged');
      const other = unique('Other');
      const streams = [unique('a'), unique('b'), unique('c')];
      for (let round = 0; round < 3; round++) {
        for (const stream of streams) {
          await store.append(stream, [event(type, { stream, round }), event(other, { round })], { expectedRevision: 'any' });
        }
      }
      const all = await readAllAfter(store, head, 4);
      const ours = all.filter((e) => e.type === type || e.type === other);
      expect(ours).toHaveLength(18);
      expect(isStrictlyIncreasing(all.map((e) => e.globalPosition))).toBe(true);

      const filtered = await readAllAfter(store, head, 2, [type]);
      expect(filtered.map((e) => e.data)).toEqual([0, 1, 2].flatMap((round) => streams.map((stream) => ({ stream, round }))));
      expect(await store.readHeadPosition()).toBe(all[all.length - 1].globalPosition);
    });

    it('lets exactly one of two writers with the same expected revision win', async () => {
      const stream = unique('drug-claim');
      await store.append(stream, [event('Requested', {})], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled([
        store.append(stream, [event('Approved', { by: 'first' })], { expectedRevision: 0 }),
        store.append(stream, [event('Approved', { by: 'second' })], { expectedRevision: 0 }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(WrongExpectedRevision);
      const events = await store.readStream(stream);
      expect(events.map((e) => e.type)).toEqual(['Requested', 'Approved']);
    });

    it('keeps every event of eight concurrent writers, each position once', async () => {
      const head = await store.readHeadPosition();
      const type = unique('Concurrent');
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          const stream = unique(`writer${writer}`);
          for (let n = 0; n < 25; n++) await store.append(stream, [event(type, { writer, n })], { expectedRevision: n === 0 ? 'no_stream' : n - 1 });
        }),
      );
      const events = await readAllAfter(store, head, 50, [type]);
      expect(events).toHaveLength(200);
      expect(new Set(events.map((e) => e.globalPosition)).size).toBe(200);
      expect(isStrictlyIncreasing(events.map((e) => e.globalPosition))).toBe(true);
    });

    it('gives a retried command id no second effect and returns the first result', async () => {
      const stream = unique('payout');
      const commandId = randomUUID();
      await store.append(stream, [event('Scheduled', {})], { expectedRevision: 'no_stream' });
      const first = await store.append(stream, [event('Paid', { reference: 'UNC-1' }, { commandId })], { expectedRevision: 0 });
      const retry = await store.append(stream, [event('Paid', { reference: 'UNC-1' }, { commandId })], { expectedRevision: 0 });
      expect(first.alreadyAppended).toBe(false);
      expect(retry).toEqual({ ...first, alreadyAppended: true });

      const concurrentId = randomUUID();
      const together = await Promise.all(
        [1, 2, 3].map(() => store.append(stream, [event('Noted', {}, { commandId: concurrentId })], { expectedRevision: 'any' })),
      );
      expect(together.filter((r) => !r.alreadyAppended)).toHaveLength(1);
      expect(new Set(together.map((r) => r.position)).size).toBe(1);
      expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['Scheduled', 'Paid', 'Noted']);
    });

    it('delivers history, then says it caught up, then delivers live events of the filtered types', async () => {
      const head = await store.readHeadPosition();
      const type = unique('Watched');
      const stream = unique('watched');
      await store.append(
        stream,
        [1, 2, 3].map((n) => event(type, { n })),
        { expectedRevision: 'no_stream' },
      );
      await store.append(unique('noise'), [event(unique('Ignored'), {})], { expectedRevision: 'no_stream' });

      const subscription = store.subscribeToAll({ after: head, eventTypes: [type], batchSize: 2 });
      const received: Array<number | 'caught-up'> = [];
      const iterator = subscription[Symbol.asyncIterator]();
      const next = async (): Promise<SubscriptionMessage> => (await withTimeout(iterator.next(), 10000)).value as SubscriptionMessage;
      const record = (message: SubscriptionMessage): void => {
        if (message.kind === 'caught-up') received.push('caught-up');
        else for (const e of message.events) received.push((e.data as { n: number }).n);
      };
      while (!received.includes('caught-up')) record(await next());
      expect(received).toEqual([1, 2, 3, 'caught-up']);

      await store.append(stream, [event(type, { n: 4 })], { expectedRevision: 2 });
      await store.append(unique('noise'), [event(unique('Ignored'), {})], { expectedRevision: 'no_stream' });
      await store.append(stream, [event(type, { n: 5 })], { expectedRevision: 3 });
      while (received.filter((r) => typeof r === 'number').length < 5) record(await next());
      expect(received.filter((r) => typeof r === 'number')).toEqual([1, 2, 3, 4, 5]);
      await subscription.close();
    });
  });
}

async function readAllAfter(store: EventStore, after: bigint, batch: number, eventTypes?: string[]): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let position = after;
  for (;;) {
    const page = await store.readAll({ after: position, maxCount: batch, ...(eventTypes ? { eventTypes } : {}) });
    events.push(...page);
    if (page.length < batch) return events;
    position = page[page.length - 1].globalPosition;
  }
}

function isStrictlyIncreasing(positions: bigint[]): boolean {
  return positions.every((position, index) => index === 0 || positions[index - 1] < position);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
