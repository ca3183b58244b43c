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
