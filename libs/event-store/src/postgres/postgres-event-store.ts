import { setTimeout as sleep } from 'node:timers/promises';
import pg, { type CustomTypesConfig, type Pool } from 'pg';
import { migrate } from '#database';
import { AppendSignal } from '../append-signal.js';
import { eventIdFor } from '../event-ids.js';
import {
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamWrite,
  type SubscribeToAllOptions,
  validateAppend,
  WrongExpectedRevision,
} from '../event-store.js';
import { pollingSubscription } from '../polling-subscription.js';
import { PostgresHashChain } from './event-chain.js';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema.js';

export interface PostgresEventStoreOptions {
  /** Name shown in logs and test output, e.g. "PostgreSQL 15" or "embedded PGlite". */
  readonly name?: string;
  /** How often the log's head is read for appends made by other processes, once for every subscriber waiting. */
  readonly pollIntervalMs?: number;
  /**
   * This process is the log's only writer (embedded PGlite, whose folder one process holds at a
   * time): its own appends wake the subscribers, and nothing polls for others'.
   */
  readonly soleWriter?: boolean;
  /** Most events written in one group-commit transaction. */
  readonly maxEventsPerTransaction?: number;
  /**
   * How long a group commit waits for more appends before it writes (0: not at all). Embedded
   * PGlite syncs its commit on this process's only thread, stopping every command meanwhile, so
   * commands running together reach their append one after another and each would sync alone;
   * a short wait lets them share one sync, as PostgreSQL's `commit_delay` does on a server.
   */
  readonly groupCommitDelayMs?: number;
}

interface AppendRequest {
  readonly streamId: string;
  readonly expected: string;
  readonly commandId?: string;
  readonly events: readonly { id: string; type: string; data: unknown; metadata: EventMetadata }[];
}

type AppendOutcome =
  | { status: 'appended' | 'duplicate'; revision: number; position: string }
  | { status: 'conflict'; revision: number }
  /** Not written because another stream of its group could not be. */
  | { status: 'withdrawn' };

interface PendingAppend {
  /** One append, or the appends of several streams that succeed or fail together. */
  readonly requests: readonly AppendRequest[];
  readonly expected: readonly AppendOptions['expectedRevision'][];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/** A row of `EVENT_COLUMNS`, in order, as PostgreSQL's text. */
type EventRow = [
  globalPosition: string,
  eventId: string,
  streamId: string,
  streamRevision: string,
  type: string,
  data: string,
  metadata: string,
  recordedAtMs: string,
];

/** The recording time as milliseconds since the epoch: `new Date(ms)` is much cheaper than parsing PostgreSQL's timestamp text. */
const EVENT_COLUMNS = 'global_position, event_id, stream_id, stream_revision, event_type, data, metadata, floor(extract(epoch FROM recorded_at) * 1000)::int8';
const DEFAULT_READ_BATCH = 1000;

/**
 * Event rows come as arrays of text, parsed in `toStoredEvent`: pg's own type parsers (a regular
 * expression per int8) and its rows keyed by column name made reading the log a third slower.
 */
const AS_TEXT: CustomTypesConfig = { getTypeParser: () => (value: string) => value };

function appendRequest(streamId: string, events: readonly NewEvent[], options: AppendOptions): AppendRequest {
  const commandId = validateAppend(streamId, events, options);
  return {
    streamId,
    expected: String(options.expectedRevision),
    ...(commandId === undefined ? {} : { commandId }),
    events: events.map((event, index) => ({ id: eventIdFor(commandId, streamId, index), type: event.type, data: event.data, metadata: event.metadata })),
  };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row[1],
    streamId: row[2],
    streamRevision: Number(row[3]),
    globalPosition: BigInt(row[0]),
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]) as EventMetadata,
    recordedAt: new Date(Number(row[7])),
  };
}

export async function migrateEventStore(pool: Pool): Promise<void> {
  await migrate(pool, 'event-store', EVENT_STORE_MIGRATIONS);
}

/**
 * The event store on PostgreSQL through `pg`; the same code serves a real server and embedded
 * PGlite (reached through its socket server). Appends waiting in this process are written
 * together, one transaction and one round trip per batch (group commit), which keeps throughput
 * up although the schema serializes appends (see event-store-schema.ts for why).
 */
export class PostgresEventStore implements EventStore {
  readonly name: string;
  private readonly appendSignal: AppendSignal;
  private readonly pollIntervalMs: number;
  private readonly maxEventsPerTransaction: number;
  private readonly groupCommitDelayMs: number;
  private pending: PendingAppend[] = [];
  private writing = false;
  readonly chain: PostgresHashChain;

  private constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions,
  ) {
    this.name = options.name ?? 'PostgreSQL';
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.appendSignal = new AppendSignal(options.soleWriter ? undefined : () => this.readHeadPosition(), this.pollIntervalMs);
    this.maxEventsPerTransaction = options.maxEventsPerTransaction ?? 2000;
    this.groupCommitDelayMs = options.groupCommitDelayMs ?? 0;
    this.chain = new PostgresHashChain(pool);
  }

  /** Brings the schema up to date and returns a store over `pool`; the pool stays the caller's. */
  static async open(pool: Pool, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    await migrateEventStore(pool);
    return new PostgresEventStore(pool, options);
  }

  readonly appendsTogether = true;

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return (await this.enqueue([{ streamId, events, options }]))[0];
  }

  /**
   * Written in the group commit like any append, the streams marked to succeed or fail together
   * (see the migration of append_events): a conflict on any stream writes none of them.
   */
  async appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    return writes.length === 0 ? [] : this.enqueue(writes);
  }

  private async enqueue(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const requests = writes.map((write) => appendRequest(write.streamId, write.events, write.options));
    return new Promise((resolve, reject) => {
      this.pending.push({ requests, expected: writes.map((write) => write.options.expectedRevision), resolve, reject });
      void this.writePending();
    });
  }

  private async writePending(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        if (this.groupCommitDelayMs > 0) await sleep(this.groupCommitDelayMs);
        const batch = this.takeBatch();
        try {
          await this.writeBatch(batch);
        } catch (error) {
          // A server error means the shared transaction rolled back: write each append alone so
          // one bad append (data PostgreSQL refuses, say) fails by itself and not its neighbours.
          // After a lost connection the batch may have committed, so nothing is retried then.
          if (batch.length > 1 && error instanceof pg.DatabaseError) {
            for (const pending of batch) await this.writeBatch([pending]).catch(pending.reject);
          } else {
            for (const pending of batch) pending.reject(error);
          }
        }
        this.appendSignal.notify();
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: readonly PendingAppend[]): Promise<void> {
    const requests = batch.flatMap((pending, n) =>
      pending.requests.length > 1 ? pending.requests.map((request) => ({ ...request, together: n })) : pending.requests,
    );
    // No named prepared statement: embedded PGlite is one session behind every connection, so
    // a name prepared by one pooled connection already exists for the next.
    const { rows } = await this.pool.query<{ results: AppendOutcome[] }>('SELECT append_events($1::jsonb) AS results', [JSON.stringify(requests)]);
    const outcomes = rows[0].results;
    let taken = 0;
    for (const pending of batch) this.settle(pending, outcomes.slice(taken, (taken += pending.requests.length)));
  }

  private takeBatch(): PendingAppend[] {
    let events = 0;
    let count = 0;
    while (count < this.pending.length) {
      events += this.pending[count].requests.reduce((sum, request) => sum + request.events.length, 0);
      if (count > 0 && events > this.maxEventsPerTransaction) break;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private settle(pending: PendingAppend, outcomes: readonly AppendOutcome[]): void {
    for (const [n, outcome] of outcomes.entries()) {
      if (outcome.status === 'conflict') {
        pending.reject(new WrongExpectedRevision(pending.requests[n].streamId, pending.expected[n], outcome.revision));
        return;
      }
    }
    pending.resolve(
      outcomes.flatMap((outcome) =>
        outcome.status === 'withdrawn' || outcome.status === 'conflict'
          ? []
          : [{ nextExpectedRevision: outcome.revision, position: BigInt(outcome.position), alreadyAppended: outcome.status === 'duplicate' }],
      ),
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    return this.readEvents(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE stream_id = $1 AND stream_revision ${backwards ? '<=' : '>='} $2
        ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'}
        LIMIT $3`,
      [streamId, from, options.maxCount ?? null],
    );
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const streams = new Map(streamIds.map((streamId) => [streamId, [] as StoredEvent[]]));
    if (streams.size === 0) return streams;
    const events = await this.readEvents(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_revision`, [
      [...streams.keys()],
    ]);
    for (const event of events) streams.get(event.streamId)!.push(event);
    return streams;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = String(options.after ?? 0n);
    const limit = options.maxCount ?? DEFAULT_READ_BATCH;
    return options.eventTypes
      ? this.readEvents(
          `SELECT ${EVENT_COLUMNS} FROM events
            WHERE global_position > $1 AND event_type = ANY($3)
            ORDER BY global_position LIMIT $2`,
          [after, limit, options.eventTypes],
        )
      : this.readEvents(`SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`, [after, limit]);
  }

  private async readEvents(text: string, values: unknown[]): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>({ text, values, rowMode: 'array', types: AS_TEXT });
    return rows.map(toStoredEvent);
  }

  async readHeadPosition(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string | null }>('SELECT max(global_position) AS position FROM events');
    return BigInt(rows[0]?.position ?? 0);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    return pollingSubscription(
      (read) => this.readAll(read),
      () => this.readHeadPosition(),
      this.appendSignal,
      this.pollIntervalMs,
      options,
    );
  }

  /** Waits for appends already handed over; the pool itself belongs to the caller. */
  async close(): Promise<void> {
    while (this.writing || this.pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    this.appendSignal.notify();
  }
}
