import { LatestFirst } from './latest-first.js';

describe('reports kept by position, the latest asked for first', () => {
  it('builds a value once for everyone asking for it, while it is built and after', async () => {
    const kept = new LatestFirst<string>(4);
    let builds = 0;
    const build = () => Promise.resolve(`report ${++builds}`);
    const [first, meanwhile] = [kept.get('month 2026 7 100', build), kept.get('month 2026 7 100', build)];
    expect(await first).toBe('report 1');
    expect(await meanwhile).toBe('report 1');
    expect(await kept.get('month 2026 7 100', build)).toBe('report 1');
    expect(await kept.get('month 2026 7 101', build)).toBe('report 2');
  });

  it('lets go of the one asked for longest ago beyond its limit', async () => {
    const kept = new LatestFirst<string>(2);
    let builds = 0;
    const build = (key: string) => () => Promise.resolve(`${key} #${++builds}`);
    await kept.get('a', build('a'));
    await kept.get('b', build('b'));
    await kept.get('a', build('a'));
    await kept.get('c', build('c'));
    expect(await kept.get('a', build('a'))).toBe('a #1');
    expect(await kept.get('b', build('b'))).toBe('b #4');
  });

  it('keeps no failure: the next one asking builds again', async () => {
    const kept = new LatestFirst<string>(2);
    await expect(kept.get('a', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await kept.get('a', () => Promise.resolve('built'))).toBe('built');
  });
});
