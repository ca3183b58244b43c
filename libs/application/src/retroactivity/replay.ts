export interface ReplayProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly perSecond: number;
  readonly etaSeconds: number;
}

/**
 * Runs `work` on every item, `concurrency` at a time, reporting progress. Each item is one
 * command on streams of its own under a command id derived from the item, so the whole run can be
 * started again after a crash: what was done is recognised and not done twice.
 */
export async function replayEach<T>(
  phase: string,
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  options: { readonly concurrency?: number; readonly onProgress?: (progress: ReplayProgress) => void } = {},
): Promise<void> {
  const started = Date.now();
  let next = 0;
  let done = 0;
  const report = () => {
    const seconds = (Date.now() - started) / 1000;
    const perSecond = seconds > 0 ? done / seconds : 0;
    options.onProgress?.({ phase, done, total: items.length, perSecond, etaSeconds: perSecond > 0 ? (items.length - done) / perSecond : 0 });
  };
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
      done++;
      if (done % 100 === 0 || done === items.length) report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, items.length)) }, worker));
}
