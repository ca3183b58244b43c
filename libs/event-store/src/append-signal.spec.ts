import { AppendSignal } from './append-signal.js';

describe('AppendSignal', () => {
  const never = new AbortController().signal;

  it('wakes a subscriber that read up to 5 when another waits having read up to 10: the log grew past the first', async () => {
    const signal = new AppendSignal(undefined, 1000);
    let woken = false;
    const first = signal.wait(5n, 0, never).then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    const second = signal.wait(10n, 0, never);
    await first;
    expect(woken).toBe(true);
    // The second has read all there is: only an append wakes it, and a later subscriber behind it returns at once.
    await signal.wait(7n, 0, never);
    signal.notify();
    await second;
  });

  it('polls nothing for a process that is the log’s only writer', async () => {
    const signal = new AppendSignal(undefined, 10);
    const stop = new AbortController();
    let woken = false;
    const waiting = signal.wait(0n, 0, stop.signal).then(() => (woken = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken).toBe(false);
    stop.abort();
    await waiting;
  });

  it('wakes at once a subscriber that an append here passed while it was reading', async () => {
    const signal = new AppendSignal(undefined, 1000);
    const noted = signal.appendsSoFar;
    // The subscriber reads the head and finds nothing new; meanwhile an append commits and says so.
    signal.notify();
    await signal.wait(3n, noted, never);
  });
});
