import type { BenchEvent } from './workload.js';

export interface ReplayOutcome {
  /** Events the replay handed to the projection. */
  readonly applied: number;
  /** Wall time of the replay alone, set-up and verification excluded. */
  readonly seconds: number;
  /** Events in the log that the rebuilt projection does not count. */
  readonly lost: number;
  /** Events the rebuilt projection counts more than once. */
  readonly duplicated: number;
}

/**
 * One event store under test. The suite drives every store through this same narrow surface so
 * that the figures differ only by what the store does, not by how the benchmark calls it.
 */
export interface BenchTarget {
  readonly label: string;
  /**
   * Appends `events` to `streamId`, which holds exactly `eventsAlreadyInStream` events: each
   * store gets its exact optimistic-concurrency check, as a command handler would use it.
   */
  append(streamId: string, events: readonly BenchEvent[], eventsAlreadyInStream: number): Promise<void>;
  /** Reads the whole stream; returns how many events it holds. */
  readStream(streamId: string): Promise<number>;
  /**
   * Reads the whole global log from the start, `batchSize` events per read; returns the global
   * position of every event returned, in order, so that the caller can spot skips and repeats.
   */
  readAll(batchSize: number): Promise<bigint[]>;
  /** Rebuilds a projection counting events per stream from the whole log, then checks it against the log. */
  replay(batchSize: number): Promise<ReplayOutcome>;
  /**
   * Events that a reader resuming "after the last position seen" can miss: those that come, in
   * the store's own global read order, after an event with a higher position. 0 for a store
   * whose read order is its position order.
   */
  eventsOutOfReadOrder(): Promise<number>;
  /** Events in the store's table, counted by SQL, to check the reads and the replay against. */
  countEvents(): Promise<number>;
  /** Brings table statistics and visibility up to date after the bulk writes (what autovacuum would do). */
  settle(): Promise<void>;
  close(): Promise<void>;
}
