/**
 * What the benchmark does, and how much of it. Every size scales with BENCH_SCALE so that a
 * smoke run (`BENCH_SCALE=0.05 npm run bench`) takes seconds, while the default (1) gives figures
 * stable enough to compare and still finishes in a few minutes on a 2-core machine.
 */

export const BENCH_EVENT_TYPES = ['BenchItemRecorded', 'BenchItemUpdated'] as const;
export type BenchEventType = (typeof BENCH_EVENT_TYPES)[number];

/** A type alias, not an interface: Emmett requires event data assignable to Record<string, unknown>. */
export type BenchEventData = {
  readonly writer: number;
  readonly n: number;
  readonly amount: number;
  readonly note: string;
};

/** One event as the workload produces it; each target adds the metadata its store expects. */
export interface BenchEvent {
  readonly type: BenchEventType;
  readonly data: BenchEventData;
}

export interface Workload {
  /** Single-event appends made before measuring, so that no figure pays for JIT or connecting. */
  readonly warmupAppends: number;
  /** a. One writer, one event per call, waiting for each call. */
  readonly sequentialAppends: number;
  /** a. The sequential appends cycle over this many streams, each with its exact expected revision. */
  readonly sequentialStreams: number;
  /** b. Writers running at once, each appending to streams of its own. */
  readonly concurrentWriters: number;
  /** b. Appends over all writers together (one event each). */
  readonly concurrentAppends: number;
  /** b. Streams per writer; a writer cycles over them with exact expected revisions. */
  readonly streamsPerWriter: number;
  /** c. Calls, each appending `eventsPerBatch` events to a new stream; d. reads these streams back. */
  readonly batchCalls: number;
  readonly eventsPerBatch: number;
  /**
   * d. Times all those streams are read, after one unmeasured pass: a single pass takes a
   * fraction of a second, too short for a figure that holds from one run to the next.
   */
  readonly readStreamPasses: number;
  /** e. Events per global-log read. */
  readonly readAllBatchSize: number;
  /** e. Times the whole log is read, after one unmeasured pass (same reason as above). */
  readonly readAllPasses: number;
  /** f. Events per replay batch; by default the projection runner's own default (500). */
  readonly replayBatchSize: number;
}

/** Never below a handful, so that even a tiny smoke run measures something. */
function scaled(base: number, scale: number, minimum: number): number {
  return Math.max(minimum, Math.round(base * scale));
}

export const DEFAULT_REPLAY_BATCH = 5000;

export function workloadFor(scale: number, replayBatchSize = DEFAULT_REPLAY_BATCH): Workload {
  const concurrentWriters = 8;
  const perWriter = scaled(2500, scale, 5);
  return {
    warmupAppends: 50,
    sequentialAppends: scaled(2000, scale, 20),
    sequentialStreams: 100,
    concurrentWriters,
    concurrentAppends: perWriter * concurrentWriters,
    streamsPerWriter: 25,
    batchCalls: scaled(400, scale, 4),
    eventsPerBatch: 50,
    readStreamPasses: 5,
    readAllBatchSize: 1000,
    readAllPasses: 3,
    replayBatchSize,
  };
}

/** Events the workload leaves in the log: warm-up, a, b and c (d–f only read). */
export function eventsWritten(workload: Workload): number {
  return workload.warmupAppends + workload.sequentialAppends + workload.concurrentAppends + workload.batchCalls * workload.eventsPerBatch;
}

export function benchEvent(writer: number, n: number): BenchEvent {
  return {
    type: BENCH_EVENT_TYPES[n % BENCH_EVENT_TYPES.length],
    data: { writer, n, amount: (n * 37) % 1000, note: 'a payload of about the size of a typical domain event' },
  };
}

/** A positive number from the environment, or the default when unset. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}
