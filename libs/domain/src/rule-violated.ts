import { isCalendarDate } from './policy/parse-policy-version.js';

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
}

/** A command field that is not a date YYYY-MM-DD refuses the command, naming the field. */
export function requireDate(value: unknown, field: string): void {
  if (!isCalendarDate(value)) throw new RuleViolated('InvalidInput', `${field} must be a date YYYY-MM-DD`, field);
}

/** A command field that is empty refuses the command, naming the field. */
export function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new RuleViolated('InvalidInput', `${field} must not be empty`, field);
}
