/**
 * The one rounding rule for percentages, wherever one is shown or served (the API, the reporting
 * views, the dashboard's figures): one decimal, halves rounded away from zero — PostgreSQL's
 * `round(numeric, 1)`, which `percent` reproduces for the non-negative shares it is used for.
 */
export function percent(part: number, whole: number): number {
  return Math.round((part * 1000) / whole) / 10;
}

/** `percent` in SQL, over two numeric expressions. */
export function percentOf(part: string, whole: string): string {
  return `round(100.0 * (${part}) / (${whole}), 1)`;
}

/**
 * A change from `before` to `after` in percent of `before`, by `percent`'s rule applied to its size,
 * so that a fall rounds away from zero as a rise does (-12.25 % is -12.3 %, as PostgreSQL rounds);
 * null when there was nothing before to compare with.
 */
export function percentChange(before: number, after: number): number | null {
  if (before === 0) return null;
  const change = percent(Math.abs(after - before), Math.abs(before));
  return after < before ? -change : change;
}
