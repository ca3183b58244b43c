import { SignInThrottle, SignInThrottled } from './sign-in-throttle.js';

describe('sign-in throttle', () => {
  let now = Date.parse('2026-12-01T08:00:00Z');
  const throttle = new SignInThrottle(() => new Date(now), {
    username: { freeFailures: 2, maxDelaySeconds: 10 },
    address: { freeFailures: 5, maxDelaySeconds: 60 },
  });
  const waitFor = (username: string, address: string): number => {
    try {
      throttle.check(username, address);
      return 0;
    } catch (error) {
      if (!(error instanceof SignInThrottled)) throw error;
      return error.retryAfterSeconds;
    }
  };
  const fail = (username: string, address: string, times = 1) => {
    for (let n = 0; n < times; n++) throttle.failed(username, address);
  };

  it('lets the free failures through, then doubles the wait per failure up to the lock-out', () => {
    fail('lan', 'a', 2);
    expect(waitFor('lan', 'b')).toBe(0);
    const waits = [1, 2, 4, 8, 10, 10].map(() => {
      fail('lan', 'b');
      const wait = waitFor('lan', 'c');
      now += wait * 1000;
      return wait;
    });
    expect(waits).toEqual([1, 2, 4, 8, 10, 10]);
  });

  it('clears a user name on success, and forgets failures an hour after the last', () => {
    fail('hoa', 'x', 3);
    expect(waitFor('hoa', 'y')).toBe(1);
    throttle.succeeded('hoa');
    expect(waitFor('hoa', 'y')).toBe(0);
    fail('minh', 'x', 3);
    now += 60 * 60_000;
    fail('minh', 'x');
    expect(waitFor('minh', 'y')).toBe(0);
  });

  it('holds an address back after its own free failures, whatever names it tries, and a success elsewhere does not clear it', () => {
    now += 2 * 60 * 60_000;
    for (let n = 0; n < 6; n++) fail(`guess-${n}`, '203.0.113.9');
    throttle.succeeded('guess-0');
    expect(waitFor('lan', '203.0.113.9')).toBe(1);
    expect(waitFor('lan', '198.51.100.1')).toBe(0);
  });
});
