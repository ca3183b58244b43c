import {
  ANY,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type Position,
  type ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { eventIdFor } from '../event-ids.js';
import {
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamWrite,
  type SubscribeToAllOptions,
  type SubscriptionMessage,
  validateAppend,
  WrongExpectedRevision,
} from '../event-store.js';
import { DEFAULT_SUBSCRIPTION_BATCH } from '../polling-subscription.js';

const DEFAULT_READ_BATCH = 1000;
/** How far back a retried command is looked for in its stream before appending again. */
const COMMAND_LOOKBACK = 100;
const PREPARE_BITS = 64n;
const PREPARE_MASK = (1n << PREPARE_BITS) - 1n;

/**
 * EventStoreDB's $all position is a (commit, prepare) pair; events of one multi-event append can
 * share the commit part. Packing both into one bigint keeps the port's single ordered position.
 */
export function packPosition(position: Position): bigint {
  return (position.commit << PREPARE_BITS) | position.prepare;
}

export function unpackPosition(position: bigint): Position {
  return { commit: position >> PREPARE_BITS, prepare: position & PREPARE_MASK };
}

function toExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** Events written by other tools may carry no metadata, or bytes: they get a neutral one. */
function metadataOf(metadata: unknown): EventMetadata {
  return typeof metadata === 'object' && metadata !== null && !(metadata instanceof Uint8Array) && !Array.isArray(metadata)
    ? (metadata as EventMetadata)
    : { actor: 'unknown', schemaVersion: 1 };
}

function toStoredEvent(resolved: ResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || event.type.startsWith('$') || !event.position) return undefined;
  return {
    eventId: event.id,
    streamId: event.streamId,
    streamRevision: Number(event.revision),
    globalPosition: packPosition(event.position),
    type: event.type,
    data: event.data,
    metadata: metadataOf(event.metadata),
    recordedAt: new Date(event.created),
  };
}

/**
 * The event store on EventStoreDB / KurrentDB, the production engine that clusters across
 * machines. Optimistic concurrency is the server's own; idempotency combines a look-back for the
 * command id in the stream with event ids derived from it, which the server itself deduplicates.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly name = 'EventStoreDB';
  readonly appendsTogether = false;
  private readonly inFlightCommands = new Map<string, Promise<AppendResult>>();

  constructor(private readonly client: EventStoreDBClient) {}

  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const commandId = validateAppend(streamId, events, options);
    if (commandId === undefined) return this.write(streamId, events, options, undefined);
    // Retries of one command inside this process wait for the first, so exactly one reports the write.
    const key = `${commandId}\u0000${streamId}`;
    const earlier = this.inFlightCommands.get(key);
    const attempt = (earlier ?? Promise.resolve(undefined)).catch(() => undefined).then(() => this.write(streamId, events, options, commandId));
    this.inFlightCommands.set(key, attempt);
    void attempt
      .finally(() => {
        if (this.inFlightCommands.get(key) === attempt) this.inFlightCommands.delete(key);
      })
      .catch(() => undefined);
    return attempt;
  }

  /**
   * EventStoreDB's client has no transaction across streams: the appends are made in the order
   * given, each checked on its own revision, and stop at the first that fails. Callers put first
   * the stream whose check guards the fact (the recovery that must still be owed).
   */
  async appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const write of writes) results.push(await this.append(write.streamId, write.events, write.options));
    return results;
  }

  private async write(streamId: string, events: readonly NewEvent[], options: AppendOptions, commandId: string | undefined): Promise<AppendResult> {
    if (commandId !== undefined) {
      const earlier = await this.findCommand(streamId, commandId);
      if (earlier) return earlier;
    }
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event, index) =>
          jsonEvent({
            id: eventIdFor(commandId, streamId, index),
            type: event.type,
            data: event.data as Record<string, unknown>,
            metadata: event.metadata,
          }),
        ),
        { expectedRevision: toExpected(options.expectedRevision) },
      );
      if (!result.success) throw new WrongExpectedRevision(streamId, options.expectedRevision, Number(result.nextExpectedRevision));
      if (result.position) {
        return { nextExpectedRevision: Number(result.nextExpectedRevision), position: packPosition(result.position), alreadyAppended: false };
      }
      // The server answers a write it deduplicated by event id without a position.
      const earlier = commandId === undefined ? undefined : await this.findCommand(streamId, commandId);
      if (earlier) return earlier;
      throw new Error(`EventStoreDB returned no position for the append to ${streamId}`);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
        throw new WrongExpectedRevision(streamId, options.expectedRevision, actual);
      }
      throw error;
    }
  }

  private async findCommand(streamId: string, commandId: string): Promise<AppendResult | undefined> {
    const recent = await this.readStream(streamId, { direction: 'backwards', maxCount: COMMAND_LOOKBACK });
    const last = recent.find((event) => event.metadata.commandId === commandId);
    return last && { nextExpectedRevision: last.streamRevision, position: last.globalPosition, alreadyAppended: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        const event = toStoredEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** EventStoreDB reads one stream per call; the calls share one connection and run side by side. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const unique = [...new Set(streamIds)];
    const events = await Promise.all(unique.map((streamId) => this.readStream(streamId)));
    return new Map(unique.map((streamId, index) => [streamId, events[index]]));
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = options.after ?? 0n;
    const limit = options.maxCount ?? DEFAULT_READ_BATCH;
    const types = options.eventTypes && new Set(options.eventTypes);
    const events: StoredEvent[] = [];
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: after === 0n ? START : unpackPosition(after) });
    for await (const resolved of read) {
      const event = toStoredEvent(resolved);
      if (!event || event.globalPosition <= after || (types && !types.has(event.type))) continue;
      events.push(event);
      if (events.length === limit) {
        await read.cancel();
        break;
      }
    }
    return events;
  }

  async readHeadPosition(): Promise<bigint> {
    // Any event will do, system ones included: positions order the whole of $all.
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      if (resolved.event?.position) return packPosition(resolved.event.position);
    }
    return 0n;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const after = options.after ?? 0n;
    const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH;
    const filter = options.eventTypes ? eventTypeFilter({ regex: `^(${options.eventTypes.map(escapeRegex).join('|')})$` }) : excludeSystemEvents();
    const subscription = this.client.subscribeToAll({ fromPosition: after === 0n ? START : unpackPosition(after), filter });
    const close = async (): Promise<void> => {
      await subscription.unsubscribe();
      queue.end();
    };
    const queue = new MessageQueue(batchSize, close);
    // The server's caught-up signal can overtake events still buffered in the client's stream:
    // it is passed on only once those have been read.
    let caughtUpAfter: number | undefined;
    subscription.on('caughtUp', () => {
      if (subscription.readableLength === 0) queue.push({ kind: 'caught-up' });
      else caughtUpAfter = subscription.readableLength;
    });
    void (async () => {
      try {
        for await (const resolved of subscription) {
          const event = toStoredEvent(resolved);
          if (event && event.globalPosition > after) queue.pushEvent(event);
          if (caughtUpAfter !== undefined && --caughtUpAfter === 0) {
            caughtUpAfter = undefined;
            queue.push({ kind: 'caught-up' });
          }
        }
        queue.end();
      } catch (error) {
        queue.fail(error);
      }
    })();
    return { [Symbol.asyncIterator]: () => queue, close };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Buffers what the server pushes; each pull hands over every buffered event up to a batch. */
class MessageQueue implements AsyncIterator<SubscriptionMessage> {
  private readonly buffer: Array<StoredEvent | { kind: 'caught-up' }> = [];
  private waiting: ((result: IteratorResult<SubscriptionMessage>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private ended = false;
  private error: unknown;

  constructor(
    private readonly batchSize: number,
    private readonly close: () => Promise<void>,
  ) {}

  /** A consumer leaving `for await` early ends the server-side subscription too. */
  async return(): Promise<IteratorResult<SubscriptionMessage>> {
    await this.close();
    return { value: undefined, done: true };
  }

  pushEvent(event: StoredEvent): void {
    this.buffer.push(event);
    this.wake();
  }

  push(message: { kind: 'caught-up' }): void {
    this.buffer.push(message);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.error = error;
    this.failWaiting?.(error);
    this.waiting = undefined;
    this.failWaiting = undefined;
  }

  next(): Promise<IteratorResult<SubscriptionMessage>> {
    if (this.error) return Promise.reject(this.error instanceof Error ? this.error : new Error('the EventStoreDB subscription failed', { cause: this.error }));
    const message = this.take();
    if (message) return Promise.resolve({ value: message, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  private take(): SubscriptionMessage | undefined {
    const first = this.buffer[0];
    if (!first) return undefined;
    if ('kind' in first) {
      this.buffer.shift();
      return first;
    }
    const events: StoredEvent[] = [];
    while (events.length < this.batchSize && this.buffer[0] && !('kind' in this.buffer[0])) events.push(this.buffer.shift() as StoredEvent);
    return { kind: 'events', events };
  }

  private wake(): void {
    if (!this.waiting) return;
    const message = this.take();
    if (!message && !this.ended) return;
    const resolve = this.waiting;
    this.waiting = undefined;
    this.failWaiting = undefined;
    resolve(message ? { value: message, done: false } : { value: undefined, done: true });
  }
}
