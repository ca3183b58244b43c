import { isCalendarDate } from './calendar-date.js';

/**
 * A command that a business rule refuses. `rule` names the rule (the HTTP edge maps it to 409,
 * or 400 for `InvalidInput`); `field` names the offending input where there is one.
 */
export class RuleViolated<Rule extends string = string> extends Error {
  override readonly name = 'RuleViolated';
  constructor(
    readonly rule: Rule,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** `instanceof` on a generic class narrows to `RuleViolated<any>`; this keeps the rule a string. */
  static is(error: unknown): error is RuleViolated {
    return error instanceof RuleViolated;
  }
}

/** A command field that is not a date YYYY-MM-DD (1900–2100) refuses the command, naming the field. */
export function requireDate(value: unknown, field: string): void {
  if (!isCalendarDate(value)) throw new RuleViolated('InvalidInput', `${field} must be a date YYYY-MM-DD from 1900 to 2100`, field);
}

/**
 * A service date after `today` refuses the command, naming the field: services are recorded once
 * they were given, never ahead. `today` comes from the caller (the day it is in Vietnam), so
 * decisions stay pure and their specs deterministic.
 */
export function requireNotAfterToday(value: string, field: string, today: string): void {
  if (value > today) throw new RuleViolated('DateInFuture', `${field} ${value} is after today, ${today}`, field);
}

/** The longest stay paid day by day (an admission, a convalescence) that one record may hold. */
export const MAX_STAY_DAYS = 366;

/** A stay from `first` to `last` must not end before it begins nor last more than {@link MAX_STAY_DAYS}. */
export function requireStay(first: string, last: string, lastField: string, rule: string): void {
  if (last < first) throw new RuleViolated(rule, `${lastField} ${last} is before ${first}`, lastField);
  const days = (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_STAY_DAYS) throw new RuleViolated('InvalidInput', `a stay of ${days} days is longer than ${MAX_STAY_DAYS}: record it in parts`, lastField);
}

/** The longest name, title, id or reason a record takes: real ones stay far below. */
export const MAX_TEXT_LENGTH = 500;

/** A command field that is empty, or longer than any real one, refuses the command, naming the field. */
export function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new RuleViolated('InvalidInput', `${field} must not be empty`, field);
  if (value.length > MAX_TEXT_LENGTH) throw new RuleViolated('InvalidInput', `${field} must be at most ${MAX_TEXT_LENGTH} characters`, field);
}
