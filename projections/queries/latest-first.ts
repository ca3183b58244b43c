/**
 * Values built by key, the most recently asked for kept up to a limit. A value still being built is
 * shared by everyone asking for it meanwhile; one that failed to build is not kept.
 */
export class LatestFirst<T> {
  private readonly values = new Map<string, Promise<T>>();

  constructor(private readonly limit: number) {}

  get(key: string, build: () => Promise<T>): Promise<T> {
    const kept = this.values.get(key);
    if (kept) {
      // A Map iterates in insertion order: inserted again, the key is now the latest.
      this.values.delete(key);
      this.values.set(key, kept);
      return kept;
    }
    const value = build();
    this.values.set(key, value);
    value.catch(() => {
      if (this.values.get(key) === value) this.values.delete(key);
    });
    if (this.values.size > this.limit) this.values.delete(this.values.keys().next().value!);
    return value;
  }
}
