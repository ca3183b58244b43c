import { forEachConcurrently } from '../concurrently.js';
import type { EventSourcing } from '../event-sourcing.js';

export interface ReplayProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly perSecond: number;
  readonly etaSeconds: number;
}

export interface ReplayOptions<T> {
  /** Commands in flight at once; their appends share transactions, so more fill each commit better. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /**
   * The streams an item's command loads: read for a chunk of items in one query, the next chunk
   * while this one runs, instead of one round trip per stream and command.
   */
  readonly readAhead?: { readonly sourcing: EventSourcing; readonly streamsOf: (item: T) => readonly string[] };
}

const CHUNK = 1000;

/**
 * Runs `work` on every item, `concurrency` at a time, reporting progress. Each item is one
 * command on streams of its own under a command id derived from the item, so the whole run can be
 * started again after a crash: what was done is recognised and not done twice.
 */
export async function replayEach<T>(phase: string, items: readonly T[], work: (item: T) => Promise<unknown>, options: ReplayOptions<T> = {}): Promise<void> {
  const started = Date.now();
  let done = 0;
  const report = () => {
    const seconds = (Date.now() - started) / 1000;
    const perSecond = seconds > 0 ? done / seconds : 0;
    options.onProgress?.({ phase, done, total: items.length, perSecond, etaSeconds: perSecond > 0 ? (items.length - done) / perSecond : 0 });
  };
  const runAll = (chunk: readonly T[]) =>
    forEachConcurrently(chunk, options.concurrency ?? 64, async (item) => {
      await work(item);
      done++;
      if (done % 100 === 0 || done === items.length) report();
    });
  const readAhead = options.readAhead;
  if (!readAhead) return runAll(items);
  const read = (chunk: readonly T[]) => {
    const streams = readAhead.sourcing.store.readStreams(chunk.flatMap(readAhead.streamsOf));
    streams.catch(() => undefined);
    return streams;
  };
  let ahead = read(items.slice(0, CHUNK));
  for (let from = 0; from < items.length; from += CHUNK) {
    const streams = await ahead;
    const chunk = items.slice(from, from + CHUNK);
    if (from + CHUNK < items.length) ahead = read(items.slice(from + CHUNK, from + 2 * CHUNK));
    await readAhead.sourcing.withStreamsRead(streams, () => runAll(chunk));
  }
}
