/**
 * The event store port. Every adapter (PostgreSQL, embedded PGlite, EventStoreDB) implements it
 * and passes the same contract suite (`contract/event-store.contract.ts`).
 *
 * Stream revisions count from 0 within a stream. Global positions order the whole log; they are
 * strictly increasing in the order events become visible, so a reader that has seen position P
 * will never later see an event below P.
 */

/** Who and what caused an event; copied verbatim into every event of one append. */
export interface EventMetadata {
  /** The authenticated user (or system job) on whose behalf the command ran. */
  readonly actor: string;
  /** Idempotency key: a retried command with the same id has no second effect. */
  readonly commandId?: string;
  /** Groups every event that followed from one user action. */
  readonly correlationId?: string;
  /** The event or command that directly caused this one. */
  readonly causationId?: string;
  /** Version of the event's data schema; upcasters lift old versions when read. */
  readonly schemaVersion: number;
  readonly [extra: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface StoredEvent<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly globalPosition: bigint;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

/**
 * What the writer believes about the stream: an exact revision (the revision of its last event),
 * that it does not exist yet, that it exists with any revision, or nothing at all.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface StreamWrite {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
}

export interface AppendResult {
  /** Revision of the last event now in the stream; pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event appended. */
  readonly position: bigint;
  /** True when the command id had already been appended and nothing new was written. */
  readonly alreadyAppended: boolean;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive; defaults to the first event going forwards and the last going backwards. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to start at the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
  /** Only events of these types; omit for every type. */
  readonly eventTypes?: readonly string[];
}

export interface SubscribeToAllOptions extends Omit<ReadAllOptions, 'maxCount'> {
  /** Largest batch handed over at once. */
  readonly batchSize?: number;
}

export type SubscriptionMessage =
  | { readonly kind: 'events'; readonly events: readonly StoredEvent[] }
  /**
   * The subscriber has seen everything in the log that existed when this was sent: with
   * `position` (where the store can tell), every event of its types up to that position, which
   * lets a subscriber to a few types know how far it has read although none of them came.
   */
  | { readonly kind: 'caught-up'; readonly position?: bigint };

/**
 * A catch-up subscription: first the history after `after`, then live events as they are
 * appended. Iterate it with `for await`; `close()` ends the iteration.
 */
export interface AllSubscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

/** A link of the log's hash chain: the hash of the event at `position`, which covers every event up to it. */
export interface ChainLink {
  readonly position: bigint;
  /** SHA-256, in hexadecimal. */
  readonly hash: string;
}

export type ChainVerification =
  /** `head`: the last link, absent when the log is empty; quote it to prove later which log you saw. */
  | { readonly intact: true; readonly events: number; readonly head?: ChainLink }
  /** `position`: the first position whose event does not match the chain. */
  | { readonly intact: false; readonly position: bigint; readonly reason: string };

/**
 * Tamper evidence where the backend keeps it (the PostgreSQL store: a hash chain over the log,
 * computed by the database at every append). An event edited, removed or slipped in by someone
 * with direct access to the tables breaks the chain at its position.
 */
export interface HashChain {
  /** The link at `position`; undefined for position 0 (the empty log) or a position beyond the head. */
  linkAt(position: bigint): Promise<ChainLink | undefined>;
  /** Walks the whole log from its first event; `onProgress` hears how far it got. */
  verify(onProgress?: (position: bigint, head: bigint) => void): Promise<ChainVerification>;
}

export interface EventStore {
  /** Backend name shown in logs and test output. */
  readonly name: string;
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams at once: on PostgreSQL all or none (`appendsTogether`), so a fact
   * that two streams must both show (a recovery offset against a payment) is never half recorded.
   */
  appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]>;
  /** False where the backend cannot make several streams' appends one transaction (EventStoreDB): they are made in order. */
  readonly appendsTogether: boolean;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Several whole streams at once, each forwards, keyed by stream id (an absent stream maps to
   * no events). A batch job reads the streams it is about to decide on in one round trip.
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Position of the last event in the log; 0n when the log is empty. */
  readHeadPosition(): Promise<bigint>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Absent where the backend keeps its own immutability instead (EventStoreDB). */
  readonly chain?: HashChain;
  close(): Promise<void>;
}

/** The stream's actual revision did not match what the writer expected. */
export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`);
  }
}

/** An append that cannot be stored as given (no events, a command id reused for another stream…). */
export class InvalidAppend extends Error {
  override readonly name = 'InvalidAppend';
}

/** Checks an append before any adapter sends it; returns the command id its events carry, if any. */
export function validateAppend(streamId: string, events: readonly NewEvent[], options: AppendOptions): string | undefined {
  if (streamId.length === 0) throw new InvalidAppend('stream id must not be empty');
  if (events.length === 0) throw new InvalidAppend(`append to ${streamId} carries no events`);
  const { expectedRevision } = options;
  if (typeof expectedRevision === 'number' && (!Number.isSafeInteger(expectedRevision) || expectedRevision < 0)) {
    throw new InvalidAppend(`expected revision must be a non-negative integer, got ${expectedRevision}`);
  }
  const commandIds = new Set(events.map((event) => event.metadata.commandId));
  if (commandIds.size > 1) throw new InvalidAppend('all events of one append must carry the same command id');
  for (const event of events) {
    if (!event.type) throw new InvalidAppend(`an event for ${streamId} has no type`);
    if (!Number.isInteger(event.metadata.schemaVersion) || event.metadata.schemaVersion < 1) {
      throw new InvalidAppend(`event ${event.type} needs a schema version ≥ 1`);
    }
  }
  return events[0].metadata.commandId;
}
