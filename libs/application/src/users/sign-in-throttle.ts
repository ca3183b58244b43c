/** How hard one key (a user name, a client address) is held back after failed sign-ins. */
export interface ThrottlePolicy {
  /** Failures let through before any wait: people mistype. */
  readonly freeFailures: number;
  /** Longest wait; the lock-out a guesser ends up in. */
  readonly maxDelaySeconds: number;
}

/**
 * A user name is guessed at from anywhere, so it is held back after a few failures; an address
 * tries many names, so it is allowed more. A wait doubles with each further failure.
 */
export const SIGN_IN_THROTTLING: { readonly username: ThrottlePolicy; readonly address: ThrottlePolicy } = {
  username: { freeFailures: 4, maxDelaySeconds: 15 * 60 },
  address: { freeFailures: 19, maxDelaySeconds: 15 * 60 },
};

/** Failures of a key are forgotten this long after its last one. */
const FORGET_AFTER_MS = 60 * 60_000;
/** Keys remembered at most: a flood from ever new addresses cannot exhaust the memory. */
const MAX_KEYS = 100_000;

interface Failures {
  readonly count: number;
  readonly lastAt: number;
  readonly blockedUntil: number;
}

/** A sign-in refused unanswered because its user name or address is waiting out earlier failures. */
export class SignInThrottled extends Error {
  override readonly name = 'SignInThrottled';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-ins: try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Failed sign-ins per user name and per client address, in this process's memory: after the
 * policy's free failures, each further one blocks its key for 1, 2, 4… seconds up to the
 * lock-out. A blocked attempt is refused before its password is hashed (a flood then costs no
 * hashing) and does not count. A success clears the user name, not the address: one good account
 * must not buy an address new guesses at others.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly clock: () => Date,
    private readonly policies = SIGN_IN_THROTTLING,
  ) {}

  /** Throws `SignInThrottled` while the user name or the address must wait. */
  check(username: string, address: string): void {
    const now = this.clock().getTime();
    const waitMs = Math.max(this.blockedUntil(`user:${username}`, now), this.blockedUntil(`address:${address}`, now)) - now;
    if (waitMs > 0) throw new SignInThrottled(Math.ceil(waitMs / 1000));
  }

  failed(username: string, address: string): void {
    const now = this.clock().getTime();
    this.count(`user:${username}`, this.policies.username, now);
    this.count(`address:${address}`, this.policies.address, now);
  }

  succeeded(username: string): void {
    this.failures.delete(`user:${username}`);
  }

  private blockedUntil(key: string, now: number): number {
    const entry = this.failures.get(key);
    return entry && now - entry.lastAt < FORGET_AFTER_MS ? entry.blockedUntil : 0;
  }

  private count(key: string, policy: ThrottlePolicy, now: number): void {
    const earlier = this.failures.get(key);
    const count = earlier && now - earlier.lastAt < FORGET_AFTER_MS ? earlier.count + 1 : 1;
    const over = count - policy.freeFailures;
    const delaySeconds = over <= 0 ? 0 : Math.min(policy.maxDelaySeconds, 2 ** Math.min(over - 1, 30));
    // Deleted first so that the map's order stays that of the last failure: the oldest go first.
    this.failures.delete(key);
    this.failures.set(key, { count, lastAt: now, blockedUntil: now + delaySeconds * 1000 });
    if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }
}
