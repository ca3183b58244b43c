const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date YYYY-MM-DD that exists, from 1900 to 2100: the years the province's records can hold.
 * The bound also keeps day-by-day calculations finite.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value) || value < '1900-01-01' || value > '2100-12-31') return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
