import { Batched } from './batched.js';

describe('Batched', () => {
  it('sends a lone request at once, and those made meanwhile together in the next batch, each answered with its own result', async () => {
    const batches: number[][] = [];
    const doubled = new Batched<number, number>(async (requests) => {
      batches.push([...requests]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return requests.map((request) => request * 2);
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => doubled.submit(n)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails every request of a failed batch, and goes on with the next one', async () => {
    let calls = 0;
    const flaky = new Batched<string, string>(async (requests) => {
      calls++;
      await Promise.resolve();
      if (calls === 1) throw new Error('connection lost');
      return requests.map((request) => request.toUpperCase());
    });
    const [first, second] = await Promise.allSettled([flaky.submit('a'), flaky.submit('b')]);
    expect(first).toMatchObject({ status: 'rejected', reason: { message: 'connection lost' } });
    expect(second).toEqual({ status: 'fulfilled', value: 'B' });
  });

  it('cuts a long queue into batches of the largest size given', async () => {
    const sizes: number[] = [];
    const counted = new Batched<number, number>(async (requests) => {
      sizes.push(requests.length);
      await Promise.resolve();
      return [...requests];
    }, 3);
    await Promise.all(Array.from({ length: 8 }, (_, n) => counted.submit(n)));
    expect(sizes).toEqual([1, 3, 3, 1]);
  });
});
