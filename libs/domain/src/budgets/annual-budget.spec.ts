import { deciderSpec } from '../testing/decider.fixture.js';
import { type AnnualBudgetEvent, decide, evolve, initialAnnualBudget } from './annual-budget.js';

const spec = deciderSpec({ decide, evolve, initialState: initialAnnualBudget });
const allocated = (amount: number, decisionNumber = '15/QĐ-UBND'): AnnualBudgetEvent => ({
  type: 'AnnualBudgetAllocated',
  data: { year: 2025, regimeCode: 'b', amount, decisionNumber },
});

describe('annual budget', () => {
  it('allocates a year’s budget to a regime, and a later decision replaces it', () => {
    spec
      .given([])
      .when({ type: 'AllocateAnnualBudget', data: allocated(5000000000).data })
      .then([allocated(5000000000)]);
    spec
      .given([allocated(5000000000)])
      .when({ type: 'AllocateAnnualBudget', data: allocated(5500000000, '80/QĐ-UBND').data })
      .then([allocated(5500000000, '80/QĐ-UBND')]);
  });

  it('records the same allocation again as nothing new', () => {
    spec
      .given([allocated(5000000000)])
      .when({ type: 'AllocateAnnualBudget', data: allocated(5000000000).data })
      .then([]);
  });

  it('refuses an unknown regime, a fractional amount, a year out of range and a missing decision number, naming the field', () => {
    const command = (data: Partial<AnnualBudgetEvent['data']>) => ({ type: 'AllocateAnnualBudget' as const, data: { ...allocated(1).data, ...data } });
    spec
      .given([])
      .when(command({ regimeCode: 'z' as never }))
      .thenThrows({ rule: 'UnknownRegime', field: 'regimeCode', message: expect.stringContaining('z') });
    spec
      .given([])
      .when(command({ amount: 10.5 }))
      .thenThrows({ rule: 'InvalidInput', field: 'amount' });
    spec
      .given([])
      .when(command({ year: 1999 }))
      .thenThrows({ rule: 'InvalidInput', field: 'year' });
    spec
      .given([])
      .when(command({ decisionNumber: ' ' }))
      .thenThrows({ rule: 'InvalidInput', field: 'decisionNumber' });
  });
});
