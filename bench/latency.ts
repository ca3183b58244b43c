import { performance } from 'node:perf_hooks';

export interface QueryLatency {
  readonly name: string;
  readonly readers: number;
  readonly queries: number;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

/** Nearest-rank percentile of values already sorted ascending. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** `readers` concurrent loops running `query` for `seconds` (or until `until` settles): latency percentiles in ms. */
export async function underLoad(
  name: string,
  readers: number,
  seconds: number | Promise<unknown>,
  query: (n: number) => Promise<unknown>,
): Promise<QueryLatency> {
  const latencies: number[] = [];
  const started = performance.now();
  let over = false;
  if (typeof seconds !== 'number') void seconds.finally(() => (over = true));
  const running = () => (typeof seconds === 'number' ? performance.now() < started + seconds * 1000 : !over);
  await Promise.all(
    Array.from({ length: readers }, async (_, reader) => {
      for (let n = reader; running(); n += readers) {
        const begun = performance.now();
        await query(n);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const elapsed = (performance.now() - started) / 1000;
  return { name, readers, queries: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: latencies.length / elapsed };
}
