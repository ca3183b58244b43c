import type {
  AllSubscription,
  AppendOptions,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamWrite,
  SubscribeToAllOptions,
} from '#event-store';
import { CURRENT_SCHEMA_VERSIONS, upcast } from '#domain';
import { Batched } from './batched.js';
import type { PersonalDataKeys } from './personal-data/personal-data-keys.js';

/** What happens to events on their way into the log, and on their way out to every reader. */
export interface EventStoreLayer {
  written(events: readonly NewEvent[]): Promise<NewEvent[]>;
  read(events: readonly StoredEvent[]): Promise<StoredEvent[]>;
}

/**
 * The event store as every reader and writer of the process sees it, through one layer: decisions,
 * projections, checks and reads all meet events the same way, and nothing else needs to know how
 * they are stored.
 */
export class LayeredEventStore implements EventStore {
  readonly name: string;
  readonly appendsTogether: boolean;

  constructor(
    private readonly inner: EventStore,
    private readonly layer: EventStoreLayer,
  ) {
    this.name = inner.name;
    this.appendsTogether = inner.appendsTogether;
  }

  /** The chain covers the stored bytes, as written. */
  get chain(): EventStore['chain'] {
    return this.inner.chain;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions) {
    return this.inner.append(streamId, await this.layer.written(events), options);
  }

  async appendToStreams(writes: readonly StreamWrite[]) {
    // Written together, as streams are read together: one insertion and one look-up of keys for all the streams of a command.
    const written = regroup(
      await this.layer.written(writes.flatMap((write) => write.events)),
      writes.map((write) => write.events.length),
    );
    return this.inner.appendToStreams(writes.map((write, n) => ({ ...write, events: written[n] })));
  }

  /**
   * Whole streams asked for while a read is on its way are read together, with one look-up of
   * keys: commands running at once (each loading a person, a card, the policy catalog) then cost
   * one query instead of one each. A read still starts after it was asked for, so it sees every
   * append its caller saw completed.
   */
  private readonly wholeStreams = new Batched<string, StoredEvent[]>(async (streamIds) => {
    const streams = await this.readStreams(streamIds);
    // A copy each: callers asking for the same stream must not share one array.
    return streamIds.map((streamId) => [...streams.get(streamId)!]);
  });

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    if (options === undefined || Object.keys(options).length === 0) return this.wholeStreams.submit(streamId);
    return this.layer.read(await this.inner.readStream(streamId, options));
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const streams = await this.inner.readStreams(streamIds);
    // Read together: one look-up of keys for the whole batch.
    const read = regroup(
      await this.layer.read([...streams.values()].flat()),
      [...streams.values()].map((events) => events.length),
    );
    return new Map([...streams.keys()].map((id, n) => [id, read[n]]));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.layer.read(await this.inner.readAll(options));
  }

  readHeadPosition(): Promise<bigint> {
    return this.inner.readHeadPosition();
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const layer = this.layer;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const message of subscription) yield message.kind === 'events' ? { kind: 'events', events: await layer.read(message.events) } : message;
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** `items` cut back into lists of the given lengths, in order. */
function regroup<T>(items: readonly T[], lengths: readonly number[]): T[][] {
  let taken = 0;
  return lengths.map((length) => items.slice(taken, (taken += length)));
}

/** An event in today's schema: lifted by the domain's upcasters, its metadata naming the version it now has. */
function inCurrentSchema(event: StoredEvent): StoredEvent {
  const current = CURRENT_SCHEMA_VERSIONS[event.type] ?? 1;
  if (event.metadata.schemaVersion >= current) return event;
  return { ...event, data: upcast(event).data, metadata: { ...event.metadata, schemaVersion: current, writtenInSchemaVersion: event.metadata.schemaVersion } };
}

/**
 * The store as the application uses it: personal fields sealed on the way in and opened on the way
 * out (see PersonalDataKeys), then every event lifted to today's schema, so that no reader — a
 * decision, a projection, the consistency check — ever meets an older one or sealed data.
 */
export function applicationEventStore(log: EventStore, keys: PersonalDataKeys): LayeredEventStore {
  return new LayeredEventStore(log, {
    written: (events) => keys.seal(events),
    read: async (events) => (await keys.open(events)).map(inCurrentSchema),
  });
}
