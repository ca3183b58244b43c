import { AppendSignal } from './append-signal.js';

describe('AppendSignal', () => {
  const never = new AbortController().signal;

  it('wakes a subscriber that read up to 5 when another waits having read up to 10: the log grew past the first', async () => {
    const signal = new AppendSignal(undefined, 1000);
    let woken = false;
    const first = signal.wait(5n, never).then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    const second = signal.wait(10n, never);
    await first;
    expect(woken).toBe(true);
    // The second has read all there is: only an append wakes it, and a later subscriber behind it returns at once.
    await signal.wait(7n, never);
    signal.notify();
    await second;
  });

  it('polls nothing for a process that is the log’s only writer', async () => {
    const signal = new AppendSignal(undefined, 10);
    const stop = new AbortController();
    let woken = false;
    const waiting = signal.wait(0n, stop.signal).then(() => (woken = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken).toBe(false);
    stop.abort();
    await waiting;
  });
});
