import { performance } from 'node:perf_hooks';
import type { BenchTarget, ReplayOutcome } from './bench-target.js';
import { benchEvent, eventsWritten, type Workload } from './workload.js';

export interface Throughput {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface SuiteResults {
  readonly label: string;
  readonly workload: Workload;
  /** a. */
  readonly sequential: Throughput & Latency;
  /** b. */
  readonly concurrent: Throughput & Latency;
  /** c. */
  readonly batched: Throughput;
  /** d. */
  readonly readStream: Throughput;
  /**
   * e. `returned` is what one pass over the log returned, `distinct` how many different events
   * that was, `logEvents` what the table holds.
   */
  readonly readAll: Throughput & { readonly returned: number; readonly distinct: number; readonly logEvents: number };
  /** Events that come after a higher position in the store's read order (see BenchTarget). */
  readonly outOfReadOrder: number;
  /** f. The figures of the first rebuild; `again` checks a second rebuild of the same projection. */
  readonly replay: Throughput &
    Omit<ReplayOutcome, 'seconds' | 'applied'> & {
      readonly logEvents: number;
      readonly again: Omit<ReplayOutcome, 'seconds'>;
    };
}

/** Nearest-rank percentile of latencies already sorted ascending. */
function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1))];
}

function latencyOf(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

function throughput(events: number, startedMs: number): Throughput {
  const seconds = (performance.now() - startedMs) / 1000;
  return { events, seconds, eventsPerSecond: events / seconds };
}

/** Appends one event at a time to `streams`, round robin, each with its exact expected revision. */
async function appendOneByOne(target: BenchTarget, writer: number, calls: number, streamOf: (call: number) => string, latenciesMs: number[]): Promise<void> {
  const revisions = new Map<string, number>();
  for (let call = 0; call < calls; call++) {
    const stream = streamOf(call);
    const already = revisions.get(stream) ?? 0;
    const started = performance.now();
    await target.append(stream, [benchEvent(writer, call)], already);
    latenciesMs.push(performance.now() - started);
    revisions.set(stream, already + 1);
  }
}

/** Runs a–f against one store, in that order: later sections read what earlier ones wrote. */
export async function runSuite(target: BenchTarget, workload: Workload, log: (message: string) => void): Promise<SuiteResults> {
  const step = (name: string): void => log(`  ${target.label}: ${name}`);

  step(`warm-up (${workload.warmupAppends} appends, 2 reads)`);
  await appendOneByOne(target, -1, workload.warmupAppends, (call) => `warmup-${call % 5}`, []);
  await target.readStream('warmup-0');
  await target.readStream('warmup-1');

  step(`a. ${workload.sequentialAppends} sequential single-event appends`);
  const sequentialLatencies: number[] = [];
  let started = performance.now();
  await appendOneByOne(target, 0, workload.sequentialAppends, (call) => `seq-${call % workload.sequentialStreams}`, sequentialLatencies);
  const sequential = { ...throughput(workload.sequentialAppends, started), ...latencyOf(sequentialLatencies) };

  step(`b. ${workload.concurrentAppends} single-event appends by ${workload.concurrentWriters} concurrent writers`);
  const concurrentLatencies: number[] = [];
  const perWriter = workload.concurrentAppends / workload.concurrentWriters;
  started = performance.now();
  await Promise.all(
    Array.from({ length: workload.concurrentWriters }, (_, writer) =>
      appendOneByOne(target, writer + 1, perWriter, (call) => `conc${writer}-${call % workload.streamsPerWriter}`, concurrentLatencies),
    ),
  );
  const concurrent = { ...throughput(workload.concurrentAppends, started), ...latencyOf(concurrentLatencies) };

  step(`c. ${workload.batchCalls} appends of ${workload.eventsPerBatch} events`);
  started = performance.now();
  for (let call = 0; call < workload.batchCalls; call++) {
    const events = Array.from({ length: workload.eventsPerBatch }, (_, n) => benchEvent(100, call * workload.eventsPerBatch + n));
    await target.append(`batch-${call}`, events, 0);
  }
  const batched = throughput(workload.batchCalls * workload.eventsPerBatch, started);

  const logEvents = await target.countEvents();
  if (logEvents !== eventsWritten(workload)) {
    throw new Error(`${target.label}: the log holds ${logEvents} events, the workload appended ${eventsWritten(workload)}`);
  }
  // Reads are measured on settled tables (statistics, visibility map) for every store alike.
  await target.settle();

  step(`d. reading back ${workload.batchCalls} streams of ${workload.eventsPerBatch} events, ${workload.readStreamPasses} times`);
  const readBackPass = async (): Promise<number> => {
    let events = 0;
    for (let call = 0; call < workload.batchCalls; call++) {
      const read = await target.readStream(`batch-${call}`);
      if (read !== workload.eventsPerBatch) throw new Error(`${target.label}: batch-${call} read back ${read} events, not ${workload.eventsPerBatch}`);
      events += read;
    }
    return events;
  };
  await readBackPass();
  started = performance.now();
  let readBack = 0;
  for (let pass = 0; pass < workload.readStreamPasses; pass++) readBack += await readBackPass();
  const readStream = throughput(readBack, started);

  step(`e. reading the global log (${logEvents} events) in batches of ${workload.readAllBatchSize}, ${workload.readAllPasses} times`);
  // The log no longer changes, so every pass returns the same events: the unmeasured first pass
  // is the one checked for skips and repeats.
  const positions = await target.readAll(workload.readAllBatchSize);
  started = performance.now();
  let readAllEvents = 0;
  for (let pass = 0; pass < workload.readAllPasses; pass++) readAllEvents += (await target.readAll(workload.readAllBatchSize)).length;
  const readAll = {
    ...throughput(readAllEvents, started),
    returned: positions.length,
    distinct: new Set(positions).size,
    logEvents,
  };
  const outOfReadOrder = await target.eventsOutOfReadOrder();

  step(`f. replaying the global log into a projection, batches of ${workload.replayBatchSize}`);
  const outcome = await target.replay(workload.replayBatchSize);
  // A rebuild is what operators run on a projection that already exists (new code, a suspected
  // bug), so the second one, over the same log, must give the same table as the first.
  step('f. rebuilding the same projection again');
  const again = await target.replay(workload.replayBatchSize);
  const replay = {
    events: outcome.applied,
    seconds: outcome.seconds,
    // Throughput counts the log replayed, not what the projection happened to receive.
    eventsPerSecond: logEvents / outcome.seconds,
    lost: outcome.lost,
    duplicated: outcome.duplicated,
    logEvents,
    again: { applied: again.applied, lost: again.lost, duplicated: again.duplicated },
  };

  return { label: target.label, workload, sequential, concurrent, batched, readStream, readAll, outOfReadOrder, replay };
}
