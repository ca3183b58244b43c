import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { inTransaction } from '#database';
import type { EventStore, StoredEvent } from '#event-store';
import { readCheckpoint } from './checkpoints.js';

/**
 * What the system does because of an event on another aggregate (a payout scheduled because a
 * claim was approved). `react` must be idempotent: after a crash between a reaction and its
 * checkpoint the event is reacted to again, and two processes may react to the same event. It
 * is called for one stream's events in their order, for several streams' events at once.
 */
export interface Reaction {
  /** Names its checkpoint: renaming it reacts to the whole log again (harmless, but slow). */
  readonly name: string;
  readonly eventTypes: readonly string[];
  react(event: StoredEvent): Promise<void>;
}

export interface ReactorOptions {
  /** Events read from the log at once. */
  readonly batchSize?: number;
  /** Streams whose events are reacted to at once. */
  readonly concurrency?: number;
  /** How often the background loop looks for events other processes appended (and retries after a failure). */
  readonly pollMs?: number;
  /** Longest pause between retries of an event whose reaction keeps failing (it doubles from `pollMs`). */
  readonly maxRetryDelayMs?: number;
  readonly log?: (level: 'info' | 'error', message: string) => void;
}

/** Where a reaction keeps failing: after which checkpoint, and how often (the background loop's pause grows with it). */
interface Failure {
  readonly position: bigint;
  readonly attempts: number;
}

/**
 * Runs a reaction over the log from a durable checkpoint (a row of `projection_checkpoints`,
 * moved past a batch only once its reactions are done): what an event asks for is done
 * whether or not its command's process survived, without waiting for another command.
 *
 * `catchUp` reacts to everything appended so far; a command calls it after its append, so that
 * its client sees the consequences at once. The background loop (`start`) does the same on a
 * timer, for events whose process stopped before, and for those other processes appended.
 */
export class Reactor {
  private readonly key: string;
  private queue: Promise<unknown> = Promise.resolve();
  private next?: Promise<void>;
  private stopping?: AbortController;
  private loop?: Promise<void>;
  private failure?: Failure;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly reaction: Reaction,
    private readonly options: ReactorOptions = {},
  ) {
    this.key = `reactor:${reaction.name}`;
  }

  /**
   * Reacts to every event of the reaction's types appended so far. Calls in one process run one
   * after another, each reading what was appended before it started; a failing reaction stops
   * the checkpoint before its event (retried by the next run, with whatever followed it) and is
   * thrown.
   */
  catchUp(): Promise<void> {
    // A run queued but not started yet will read what this caller appended: sharing it, a burst of
    // commands is settled in one read of the log and one checkpoint, not one each.
    if (this.next) return this.next;
    const run = this.queue.then(() => {
      this.next = undefined;
      return this.drain();
    });
    this.next = run;
    this.queue = run.catch(() => undefined);
    return run;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.follow(this.stopping.signal);
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    await this.queue;
    this.loop = undefined;
  }

  private async drain(): Promise<void> {
    let position = (await readCheckpoint(this.pool, this.key)) ?? 0n;
    const batchSize = this.options.batchSize ?? 500;
    for (;;) {
      // Every event up to the head read first is visible to the read that follows (see EventStore):
      // a batch that is not full has seen all of them, so the checkpoint can pass what it skipped.
      const head = await this.store.readHeadPosition();
      const events = await this.store.readAll({ after: position, maxCount: batchSize, eventTypes: this.reaction.eventTypes });
      const failed = await this.reactToAll(events);
      if (failed) {
        const done = events.filter((event) => event.globalPosition < failed.position).at(-1)?.globalPosition;
        if (done !== undefined) await advance(this.pool, this.key, (position = done));
        const attempts = this.failure?.position === position ? this.failure.attempts + 1 : 1;
        this.failure = { position, attempts };
        throw failed.error;
      }
      if (events.length > 0) await advance(this.pool, this.key, (position = events.at(-1)!.globalPosition));
      if (events.length < batchSize) {
        if (head > position) await advance(this.pool, this.key, head);
        break;
      }
    }
    this.failure = undefined;
  }

  /**
   * Reacts to a batch: each stream's events in their order, streams side by side (commands that
   * ran at once did their follow-ups at once before; one queue must not make them wait in line).
   * Returns the earliest event whose reaction failed: everything before it is done.
   */
  private async reactToAll(events: readonly StoredEvent[]): Promise<{ position: bigint; error: Error } | undefined> {
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    const streams = [...byStream.values()];
    const failures: { position: bigint; error: Error }[] = [];
    const worker = async (): Promise<void> => {
      for (let stream = streams.shift(); stream; stream = streams.shift()) {
        for (const event of stream) {
          try {
            await this.reaction.react(event);
          } catch (error) {
            failures.push({ position: event.globalPosition, error: error as Error });
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, streams.length) }, worker));
    return failures.sort((a, b) => (a.position < b.position ? -1 : 1))[0];
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const pollMs = this.options.pollMs ?? 1000;
    while (!signal.aborted) {
      let pause = pollMs;
      try {
        await this.catchUp();
      } catch (error) {
        const attempts = this.failure?.attempts ?? 1;
        pause = Math.min(pollMs * 2 ** attempts, this.options.maxRetryDelayMs ?? 60_000);
        this.options.log?.(
          'error',
          `reaction ${this.reaction.name} failed after position ${this.failure?.position ?? '?'} (attempt ${attempts}; next in ${pause} ms): ${(error as Error).message}`,
        );
      }
      await sleep(pause, undefined, { signal }).catch(() => undefined);
    }
  }
}

/**
 * Never backwards: two processes reacting to the same events may finish in either order. Not
 * waited on to reach the disk: a checkpoint lost to a crash only has reactions run again, which
 * their derived command ids make do nothing.
 */
async function advance(pool: Pool, key: string, position: bigint): Promise<void> {
  await inTransaction(
    pool,
    (client) =>
      client.query(
        `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
         ON CONFLICT (projection) DO UPDATE SET position = GREATEST(projection_checkpoints.position, EXCLUDED.position), updated_at = now()`,
        [key, position.toString()],
      ),
    { durable: false },
  );
}
