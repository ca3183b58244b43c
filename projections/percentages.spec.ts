import { percent, percentChange } from './percentages.js';

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

describe('percentChange', () => {
  it('rounds rises and falls alike, halves away from zero, and has no percentage of nothing', () => {
    expect(percentChange(8, 9)).toBe(12.5);
    expect(percentChange(8, 7)).toBe(-12.5);
    expect(percentChange(80, 79)).toBe(-1.3);
    expect(percentChange(80, 81)).toBe(1.3);
    expect(percentChange(3, 1)).toBe(-66.7);
    expect(percentChange(5, 5)).toBe(0);
    expect(percentChange(0, 5)).toBeNull();
  });
});
