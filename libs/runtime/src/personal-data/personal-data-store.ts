import type { AllSubscription, AppendOptions, EventStore, NewEvent, ReadAllOptions, ReadStreamOptions, StoredEvent, StreamWrite, SubscribeToAllOptions } from '#event-store';
import type { PersonalDataKeys } from './personal-data-keys.js';

/**
 * The event store as every reader and writer of the process sees it: personal fields sealed on
 * the way in and opened on the way out (see PersonalDataKeys), so that decisions, projections and
 * reads never meet sealed data, and no other code touches the keys.
 */
export class PersonalDataEventStore implements EventStore {
  readonly name: string;
  readonly appendsTogether: boolean;

  constructor(
    private readonly inner: EventStore,
    private readonly keys: PersonalDataKeys,
  ) {
    this.name = inner.name;
    this.appendsTogether = inner.appendsTogether;
  }

  /** The chain covers the stored (sealed) bytes, as written. */
  get chain(): EventStore['chain'] {
    return this.inner.chain;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions) {
    return this.inner.append(streamId, await this.keys.seal(events), options);
  }

  async appendToStreams(writes: readonly StreamWrite[]) {
    return this.inner.appendToStreams(await Promise.all(writes.map(async (write) => ({ ...write, events: await this.keys.seal(write.events) }))));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.keys.open(await this.inner.readStream(streamId, options));
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const streams = await this.inner.readStreams(streamIds);
    // Opened together: one look-up of keys for the whole batch.
    const opened = await this.keys.open([...streams.values()].flat());
    let taken = 0;
    return new Map([...streams].map(([id, events]) => [id, opened.slice(taken, (taken += events.length))]));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.keys.open(await this.inner.readAll(options));
  }

  readHeadPosition(): Promise<bigint> {
    return this.inner.readHeadPosition();
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const keys = this.keys;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const message of subscription) yield message.kind === 'events' ? { kind: 'events', events: await keys.open(message.events) } : message;
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
