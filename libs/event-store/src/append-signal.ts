import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Wakes the subscribers in this process when the log grows: at once for an append committed
 * here, and within a poll interval for another process's, found by one read of the log's head per
 * interval shared by every subscriber waiting. (Each subscriber polling the log itself cost two
 * queries per read model and interval, most of what an idle process did.) Without `readHead`
 * the process is the log's only writer, and only its own appends wake anyone.
 */
export class AppendSignal {
  /** Each waiting subscriber's wake-up, with the head it has read up to. */
  private waiters = new Map<() => void, bigint>();
  /** The highest head anyone here has read. */
  private seenHead = -1n;
  private appends = 0;
  private polling = false;

  constructor(
    private readonly readHead: (() => Promise<bigint>) | undefined,
    private readonly pollIntervalMs: number,
  ) {}

  /** How many appends this process has committed: a subscriber notes it before it reads. */
  get appendsSoFar(): number {
    return this.appends;
  }

  /** An append here committed: everyone reads again. */
  notify(): void {
    this.appends++;
    this.wake(() => true);
  }

  /**
   * Resolves once the log has grown past `head` (the position the caller has read up to), or when
   * `signal` aborts. A growth seen before the caller began to wait counts too: an append here since
   * the caller noted `appendsSoFar` (before it read), or a head beyond `head` read by anyone.
   */
  wait(head: bigint, appendsSeen: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.seenHead > head || this.appends !== appendsSeen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.waiters.set(done, head);
      this.saw(head);
      void this.poll();
    });
  }

  /** The log reaches `head`: whoever waits having read less reads again. */
  private saw(head: bigint): void {
    if (head <= this.seenHead) return;
    this.seenHead = head;
    this.wake((read) => read < head);
  }

  private wake(which: (read: bigint) => boolean): void {
    for (const [done, read] of [...this.waiters]) if (which(read)) done();
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.readHead) return;
    const readHead = this.readHead;
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        await sleep(this.pollIntervalMs);
        if (this.waiters.size === 0) break;
        const head = await readHead().catch(() => undefined);
        // A failed read wakes everyone: each subscriber's own read then meets the failure and retries as it does.
        if (head === undefined) this.notify();
        else this.saw(head);
      }
    } finally {
      this.polling = false;
    }
  }
}
