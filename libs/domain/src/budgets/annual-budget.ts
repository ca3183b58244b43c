import { REGIME_CODES, type RegimeCode } from '../policy/policy-version.js';
import { requireText, RuleViolated } from '../rule-violated.js';

/**
 * The budget the province allocates to one regime for one year. A later allocation replaces the
 * earlier one (a supplementary estimate); the history stays in the stream.
 */
export type AnnualBudgetEvent = {
  readonly type: 'AnnualBudgetAllocated';
  readonly data: { readonly year: number; readonly regimeCode: RegimeCode; readonly amount: number; readonly decisionNumber: string };
};

export type AnnualBudgetCommand = { readonly type: 'AllocateAnnualBudget'; readonly data: AnnualBudgetEvent['data'] };

export type AnnualBudget = { readonly allocated?: number; readonly decisionNumber?: string };

export const initialAnnualBudget: AnnualBudget = {};

export type AnnualBudgetRule = 'InvalidInput' | 'UnknownRegime';

export function annualBudgetStreamId(year: number, regimeCode: RegimeCode): string {
  return `budget-${year}-${regimeCode}`;
}

export function evolve(_state: AnnualBudget, event: AnnualBudgetEvent): AnnualBudget {
  return { allocated: event.data.amount, decisionNumber: event.data.decisionNumber };
}

export function decide(command: AnnualBudgetCommand, state: AnnualBudget): AnnualBudgetEvent[] {
  const { year, regimeCode, amount, decisionNumber } = command.data;
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new RuleViolated<AnnualBudgetRule>('InvalidInput', 'year must be a year from 2000 to 2100', 'year');
  if (!(REGIME_CODES as readonly string[]).includes(regimeCode))
    throw new RuleViolated<AnnualBudgetRule>('UnknownRegime', `no regime ${regimeCode}: the regimes are ${REGIME_CODES.join(', ')}`, 'regimeCode');
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RuleViolated<AnnualBudgetRule>('InvalidInput', 'amount must be a whole, non-negative number of VND', 'amount');
  requireText(decisionNumber, 'decisionNumber');
  if (state.allocated === amount && state.decisionNumber === decisionNumber) return [];
  return [{ type: 'AnnualBudgetAllocated', data: command.data }];
}
