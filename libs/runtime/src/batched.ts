/**
 * Requests made while a batch is on its way wait for the next one, and go together: one round trip
 * (and one commit, for writes) serves every caller waiting, as the event store's group commit does
 * for appends. A lone request goes at once, so nobody waits when nothing else is happening.
 */
export class Batched<Request, Result> {
  private waiting: { readonly request: Request; readonly resolve: (result: Result) => void; readonly reject: (error: unknown) => void }[] = [];
  private running = false;

  /** `run` answers every request of a batch, in order; a failure fails the whole batch. */
  constructor(
    private readonly run: (requests: readonly Request[]) => Promise<readonly Result[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const results = await this.run(batch.map((waiting) => waiting.request));
          batch.forEach((waiting, n) => waiting.resolve(results[n]));
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
