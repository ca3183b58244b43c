import { percent } from './percentages.js';

describe('percent', () => {
  it('keeps one decimal and rounds halves up, as PostgreSQL’s round(numeric, 1) does', () => {
    expect(percent(931, 1000)).toBe(93.1);
    expect(percent(9315, 10000)).toBe(93.2);
    expect(percent(9314, 10000)).toBe(93.1);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 5)).toBe(0);
  });
});
