import { readFileSync } from 'node:fs';
import * as Cards from '../cards/card.js';
import { policyInForce } from '../policy/entitlement.js';
import { regimesVersion } from '../testing/policy-versions.fixture.js';
import type { BeneficiaryGroup, PolicyVersion } from '../policy/policy-version.js';
import { deciderSpec } from '../testing/decider.fixture.js';
import {
  type Admission,
  type AdmissionCommand,
  type AdmissionContext,
  type AdmissionEvent,
  decide,
  evolve,
  initialAdmission,
  mealYears,
  type StaySpan,
} from './admission.js';

const resolution24 = regimesVersion(JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')));
/** The day the specs run on, whatever the clock says. */
const TODAY = '2025-12-31';
const cardIssued: Cards.CardEvent = {
  type: 'CardIssued',
  data: { cardNumber: 'LS-000001', beneficiaryId: 'b-001', validFrom: '2025-01-01', validTo: '2029-12-31' },
};
const cardOf = (...events: readonly Cards.CardEvent[]): Cards.Card => events.reduce(Cards.evolve, Cards.initialCard);
const context = (
  groupOn: (date: string) => BeneficiaryGroup | undefined,
  versions: readonly PolicyVersion[] = [resolution24],
  recording: Partial<AdmissionContext> = {},
): AdmissionContext => ({
  policyOn: (date) => policyInForce(versions, date),
  groupOn,
  today: TODAY,
  card: cardOf(cardIssued),
  otherStays: [],
  ...recording,
});
const group3UntilJuly = (date: string): BeneficiaryGroup | undefined => (date < '2025-01-01' ? undefined : date < '2025-07-01' ? 3 : 4);

const admitted: AdmissionEvent = {
  type: 'AdmissionRecorded',
  data: {
    admissionId: 'adm-1',
    beneficiaryId: 'b-001',
    cardNumber: 'LS-000001',
    facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn',
    admittedOn: '2025-06-29',
    recordedBy: 'clerk-1',
  },
};
const given = (events: readonly AdmissionEvent[]) => events.reduce(evolve, initialAdmission);

describe('admissions', () => {
  it('records an admission of someone holding a group on that day, and refuses one who holds none', () => {
    expect(decide({ type: 'RecordAdmission', data: admitted.data }, initialAdmission, context(group3UntilJuly))).toEqual([admitted]);
    expect(() => decide({ type: 'RecordAdmission', data: { ...admitted.data, admittedOn: '2024-12-31' } }, initialAdmission, context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'NotABeneficiaryOnAdmission', field: 'admittedOn' }),
    );
  });

  it('on discharge entitles the visit allowance on the admission date and the meals day by day across a reclassification', () => {
    const events = decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-02', by: 'clerk-1' } }, given([admitted]), context(group3UntilJuly));
    expect(events[0]).toEqual({ type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' } });
    expect(events[1]).toEqual({
      type: 'VisitAllowanceEntitled',
      data: {
        serviceDate: '2025-06-29',
        group: 3,
        amount: 700000,
        policyVersionId: resolution24.id,
        clause: 'Regulation attached to Resolution 24/2024, regime a',
      },
    });
    expect(events[2]).toMatchObject({ type: 'MealAllowanceEntitled', data: { amount: 4 * 190000, days: 4 } });
    const meals = events[2] as Extract<AdmissionEvent, { type: 'MealAllowanceEntitled' }>;
    expect(meals.data.segments.map((s) => [s.from, s.to, s.group])).toEqual([
      ['2025-06-29', '2025-06-30', 3],
      ['2025-07-01', '2025-07-02', 4],
    ]);
  });

  it('pays no visit allowance to a group regime a does not cover, but still the meals', () => {
    const events = decide(
      { type: 'RecordDischarge', data: { dischargedOn: '2025-06-30', by: 'clerk-1' } },
      given([admitted]),
      context(() => 6),
    );
    expect(events.map((e) => e.type)).toEqual(['DischargeRecorded', 'MealAllowanceEntitled']);
  });

  it('refuses a discharge before the admission; a repeated discharge on the same day records nothing, another day is refused', () => {
    expect(() => decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-06-28', by: 'clerk-1' } }, given([admitted]), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'DischargeBeforeAdmission', field: 'dischargedOn' }),
    );
    const discharged = given([admitted, { type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' } }]);
    expect(decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-02', by: 'clerk-1' } }, discharged, context(group3UntilJuly))).toEqual([]);
    expect(() => decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-03', by: 'clerk-1' } }, discharged, context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'AlreadyDischarged' }),
    );
  });
});

describe('correcting and deciding a stay', () => {
  const discharge = (dischargedOn: string, by: string, events: readonly AdmissionEvent[] = [admitted], ctx = context(group3UntilJuly)): AdmissionEvent[] => [
    ...events,
    ...decide({ type: 'RecordDischarge', data: { dischargedOn, by } }, given(events), ctx),
  ];
  // Admitted 2025-06-29 by clerk-1, discharged 2025-07-02 by clerk-2: visit 700,000 (group 3), meals 4 × 190,000.
  const stay = discharge('2025-07-02', 'clerk-2');
  const correct = (data: Partial<{ admittedOn: string; dischargedOn: string; reason: string; by: string }>) =>
    ({
      type: 'CorrectAdmissionDates',
      data: { admittedOn: '2025-07-01', dischargedOn: '2025-07-05', reason: 'the discharge letter shows other dates', by: 'clerk-3', ...data },
    }) as const;

  it('refuses a second recording, and a recording missing its facility', () => {
    expect(() => decide({ type: 'RecordAdmission', data: admitted.data }, given([admitted]), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'AlreadyRecorded' }),
    );
    expect(() => decide({ type: 'RecordAdmission', data: { ...admitted.data, facility: ' ' } }, initialAdmission, context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'InvalidInput', field: 'facility' }),
    );
    expect(() => decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, initialAdmission, context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'NotAdmitted' }),
    );
  });

  it('corrects the dates of a discharged stay and entitles the allowances afresh, under the group held on the new dates', () => {
    expect(decide(correct({}), given(stay), context(group3UntilJuly))).toEqual([
      {
        type: 'AdmissionDatesCorrected',
        data: { admittedOn: '2025-07-01', dischargedOn: '2025-07-05', reason: 'the discharge letter shows other dates', recordedBy: 'clerk-3' },
      },
      {
        type: 'VisitAllowanceEntitled',
        data: {
          serviceDate: '2025-07-01',
          group: 4,
          amount: 700000,
          policyVersionId: resolution24.id,
          clause: 'Regulation attached to Resolution 24/2024, regime a',
        },
      },
      {
        type: 'MealAllowanceEntitled',
        data: {
          amount: 950000,
          days: 5,
          segments: [
            {
              from: '2025-07-01',
              to: '2025-07-05',
              days: 5,
              group: 4,
              rate: 190000,
              amount: 950000,
              policyVersionId: resolution24.id,
              clause: 'Regulation attached to Resolution 24/2024, regime b',
            },
          ],
          byYear: true,
        },
      },
    ]);
  });

  it('drops a visit allowance the corrected admission date no longer earns', () => {
    const sixFromJuly = (date: string): BeneficiaryGroup | undefined => (date < '2025-01-01' ? undefined : date < '2025-07-01' ? 3 : 6);
    const corrected = [...stay, ...decide(correct({}), given(stay), context(sixFromJuly))];
    expect(corrected.slice(stay.length).map((e) => e.type)).toEqual(['AdmissionDatesCorrected', 'MealAllowanceEntitled']);
    expect(decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, given(corrected), context(sixFromJuly))).toEqual([
      { type: 'AdmissionAllowancesApproved', data: { by: 'head-1', visit: 0, meals: 950000 } },
    ]);
  });

  it('records nothing for a correction to the same dates, and refuses a bad one naming the field', () => {
    expect(decide(correct({ admittedOn: '2025-06-29', dischargedOn: '2025-07-02' }), given(stay), context(group3UntilJuly))).toEqual([]);
    expect(() => decide(correct({ reason: ' ' }), given(stay), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'InvalidInput', field: 'reason' }),
    );
    expect(() => decide(correct({ dischargedOn: '2025-06-30' }), given(stay), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'DischargeBeforeAdmission', field: 'dischargedOn' }),
    );
    expect(() => decide(correct({ admittedOn: '2024-12-31' }), given(stay), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'NotABeneficiaryOnAdmission', field: 'admittedOn' }),
    );
    expect(() => decide(correct({ admittedOn: '2025-07-32' }), given(stay), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'InvalidInput', field: 'admittedOn' }),
    );
  });

  it('corrects, approves and rejects only a discharged stay', () => {
    expect(() => decide(correct({}), given([admitted]), context(group3UntilJuly))).toThrow(expect.objectContaining({ rule: 'NotDischarged' }));
    expect(() => decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, given([admitted]), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'NotDischarged' }),
    );
    expect(() =>
      decide({ type: 'RejectAdmissionAllowances', data: { by: 'head-1', reason: 'not an inpatient' } }, given([admitted]), context(group3UntilJuly)),
    ).toThrow(expect.objectContaining({ rule: 'NotDischarged' }));
  });

  it('approves the entitled allowances by someone who recorded none of the stay’s facts', () => {
    expect(decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, given(stay), context(group3UntilJuly))).toEqual([
      { type: 'AdmissionAllowancesApproved', data: { by: 'head-1', visit: 700000, meals: 760000 } },
    ]);
    // After a correction the approval carries the fresh amounts, not the first ones.
    const corrected = [...stay, ...decide(correct({}), given(stay), context(group3UntilJuly))];
    expect(decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, given(corrected), context(group3UntilJuly))).toEqual([
      { type: 'AdmissionAllowancesApproved', data: { by: 'head-1', visit: 700000, meals: 950000 } },
    ]);
  });

  it('refuses a decision by anyone who recorded the admission, the discharge or a correction (maker–checker)', () => {
    const corrected = [...stay, ...decide(correct({}), given(stay), context(group3UntilJuly))];
    for (const clerk of ['clerk-1', 'clerk-2', 'clerk-3']) {
      expect(() => decide({ type: 'ApproveAdmissionAllowances', data: { by: clerk } }, given(corrected), context(group3UntilJuly))).toThrow(
        expect.objectContaining({ rule: 'ApprovingOwnRequest' }),
      );
      expect(() =>
        decide({ type: 'RejectAdmissionAllowances', data: { by: clerk, reason: 'not an inpatient' } }, given(corrected), context(group3UntilJuly)),
      ).toThrow(expect.objectContaining({ rule: 'ApprovingOwnRequest' }));
    }
    expect(() => decide({ type: 'ApproveAdmissionAllowances', data: { by: '' } }, given(stay), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'InvalidInput', field: 'by' }),
    );
  });

  it('rejects the allowances with a reason', () => {
    expect(
      decide(
        { type: 'RejectAdmissionAllowances', data: { by: 'head-1', reason: 'day treatment, not an inpatient stay' } },
        given(stay),
        context(group3UntilJuly),
      ),
    ).toEqual([{ type: 'AdmissionAllowancesRejected', data: { by: 'head-1', reason: 'day treatment, not an inpatient stay' } }]);
    expect(() => decide({ type: 'RejectAdmissionAllowances', data: { by: 'head-1', reason: ' ' } }, given(stay), context(group3UntilJuly))).toThrow(
      expect.objectContaining({ rule: 'InvalidInput', field: 'reason' }),
    );
  });

  it('changes nothing once the allowances are approved or rejected', () => {
    const approved: AdmissionEvent = { type: 'AdmissionAllowancesApproved', data: { by: 'head-1', visit: 700000, meals: 760000 } };
    const rejected: AdmissionEvent = { type: 'AdmissionAllowancesRejected', data: { by: 'head-1', reason: 'duplicate' } };
    for (const decided of [approved, rejected]) {
      const state = given([...stay, decided]);
      expect(() => decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-2' } }, state, context(group3UntilJuly))).toThrow(
        expect.objectContaining({ rule: 'AllowancesAlreadyDecided' }),
      );
      expect(() => decide({ type: 'RejectAdmissionAllowances', data: { by: 'head-2', reason: 'x' } }, state, context(group3UntilJuly))).toThrow(
        expect.objectContaining({ rule: 'AllowancesAlreadyDecided' }),
      );
      expect(() => decide(correct({}), state, context(group3UntilJuly))).toThrow(expect.objectContaining({ rule: 'AllowancesAlreadyDecided' }));
      expect(() => decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-02', by: 'clerk-2' } }, state, context(group3UntilJuly))).toThrow(
        expect.objectContaining({ rule: 'AllowancesAlreadyDecided' }),
      );
    }
  });

  it('has nothing to approve for a stay no policy covers', () => {
    const uncovered = discharge('2025-07-02', 'clerk-2', [admitted], context(group3UntilJuly, []));
    expect(uncovered.map((e) => e.type)).toEqual(['AdmissionRecorded', 'DischargeRecorded']);
    expect(() => decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, given(uncovered), context(group3UntilJuly, []))).toThrow(
      expect.objectContaining({ rule: 'NoAllowanceEntitled' }),
    );
  });
});

describe('recomputing a stay after a retroactive change', () => {
  // Group 3 all year; a replacement version from 2025-07-01 raises meals to 200,000 and group 3's visit to 800,000.
  const group3 = (date: string): BeneficiaryGroup | undefined => (date < '2025-01-01' ? undefined : 3);
  const replacement = regimesVersion({
    ...JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')),
    id: 'lang-son/replacement-2025',
    effectiveFrom: '2025-07-01',
    regimes: JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')).regimes.map(
      (regime: { id: string; rule: Record<string, unknown> }) =>
        regime.id === 'a'
          ? { ...regime, rule: { ...regime.rule, amountByGroup: { ...(regime.rule.amountByGroup as object), 3: 800000 } } }
          : regime.id === 'b'
            ? { ...regime, rule: { ...regime.rule, rateByGroup: { 1: 200000, 2: 200000, 3: 200000, 4: 200000, 5: 200000, 6: 200000 } } }
            : regime,
    ),
  });
  const before = context(group3);
  const after = context(group3, [resolution24, replacement]);
  const cause = { kind: 'policy-version', id: replacement.id } as const;
  const approvedStay = (admittedOn: string, dischargedOn: string): AdmissionEvent[] => {
    const recorded: AdmissionEvent = { type: 'AdmissionRecorded', data: { ...admitted.data, admittedOn } };
    const discharged = [recorded, ...decide({ type: 'RecordDischarge', data: { dischargedOn, by: 'clerk-1' } }, given([recorded]), before)];
    return [...discharged, ...decide({ type: 'ApproveAdmissionAllowances', data: { by: 'head-1' } }, given(discharged), before)];
  };
  const recompute = (events: readonly AdmissionEvent[], ctx = after, by = 'admin-1') =>
    decide({ type: 'RecomputeEntitlements', data: { cause, by } }, given(events), ctx);

  it('tops up the meals of a stay across the effective date by the days after it, and leaves the visit of a stay admitted before it', () => {
    const stay = approvedStay('2025-06-29', '2025-07-02');
    const [meals, ...rest] = recompute(stay);
    expect(rest).toEqual([]);
    expect(meals).toMatchObject({
      type: 'AdjustmentEntitled',
      data: {
        adjustmentId: 'adm-1-b-1',
        regimeId: 'b',
        cause,
        corrects: { admissionId: 'adm-1', regimeId: 'b', payoutId: 'admission-adm-1-b' },
        serviceDate: '2025-07-02',
        previous: { amount: 760000, group: 3, policyVersionId: resolution24.id },
        next: { amount: 2 * 190000 + 2 * 200000, group: 3, days: 4 },
        difference: 20000,
        recordedBy: 'admin-1',
      },
    });
  });

  it('tops up the visit and every meal day of a stay wholly after the effective date', () => {
    const events = recompute(approvedStay('2025-07-10', '2025-07-12'));
    expect(events.map((e) => e.type === 'AdjustmentEntitled' && [e.data.regimeId, e.data.previous.amount, e.data.next.amount, e.data.difference])).toEqual([
      ['a', 700000, 800000, 100000],
      ['b', 570000, 600000, 30000],
    ]);
  });

  it('moves an unchanged amount to the new group when only the classification changed, and recovers what a group no longer earns', () => {
    const stay = approvedStay('2025-07-10', '2025-07-12');
    const toGroup4 = context((date) => (date < '2025-07-01' ? 3 : 4));
    expect(
      recompute(stay, toGroup4).map((e) => e.type === 'AdjustmentEntitled' && [e.data.regimeId, e.data.previous.group, e.data.next.group, e.data.difference]),
    ).toEqual([
      ['a', 3, 4, 0],
      ['b', 3, 4, 0],
    ]);
    const toGroup6 = context((date) => (date < '2025-07-01' ? 3 : 6));
    const recovered = recompute(stay, toGroup6);
    expect(recovered.map((e) => e.type === 'AdjustmentEntitled' && [e.data.regimeId, e.data.next.amount, e.data.difference])).toEqual([
      ['a', 0, -700000],
      ['b', 570000, 0],
    ]);
    // Nothing owed is nothing owed, whatever group: recomputing again records nothing.
    expect(recompute([...stay, ...recovered], toGroup6)).toEqual([]);
  });

  it('recovers what was paid for the days after coverage ended (a removal, a death, a title no longer covered)', () => {
    const removedFromJuly = context((date) => (date < '2025-01-01' || date >= '2025-07-01' ? undefined : 3));
    const recovered = (stay: AdmissionEvent[]) =>
      recompute(stay, removedFromJuly).map((e) => e.type === 'AdjustmentEntitled' && [e.data.regimeId, e.data.next.amount, e.data.difference]);
    expect(recovered(approvedStay('2025-07-10', '2025-07-12'))).toEqual([
      ['a', 0, -700000],
      ['b', 0, -570000],
    ]);
    // Across the date: the visit, on the admission day, stands; the meal days from the date on are recovered.
    expect(recovered(approvedStay('2025-06-29', '2025-07-02'))).toEqual([['b', 2 * 190000, -2 * 190000]]);
  });

  it('records nothing when nothing changed, or when run again after the adjustments', () => {
    const stay = approvedStay('2025-07-10', '2025-07-12');
    expect(recompute(stay, before)).toEqual([]);
    const adjusted = [...stay, ...recompute(stay)];
    expect(recompute(adjusted)).toEqual([]);
  });

  it('entitles a stay not yet approved afresh, and leaves a rejected one alone', () => {
    const recorded: AdmissionEvent = { type: 'AdmissionRecorded', data: { ...admitted.data, admittedOn: '2025-07-10' } };
    const discharged = [recorded, ...decide({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-12', by: 'clerk-1' } }, given([recorded]), before)];
    expect(recompute(discharged).map((e) => [e.type, 'amount' in e.data ? e.data.amount : undefined])).toEqual([
      ['VisitAllowanceEntitled', 800000],
      ['MealAllowanceEntitled', 600000],
    ]);
    const rejected = [...discharged, { type: 'AdmissionAllowancesRejected', data: { by: 'head-1', reason: 'duplicate' } } as AdmissionEvent];
    expect(recompute(rejected)).toEqual([]);
  });

  it('approves pending adjustments by someone other than who recorded them, once', () => {
    const stay = approvedStay('2025-07-10', '2025-07-12');
    const adjusted = [...stay, ...recompute(stay)];
    expect(() => decide({ type: 'ApproveAdjustments', data: { by: 'admin-1' } }, given(adjusted), after)).toThrow(
      expect.objectContaining({ rule: 'ApprovingOwnRequest' }),
    );
    const approval = decide({ type: 'ApproveAdjustments', data: { by: 'head-2' } }, given(adjusted), after);
    expect(approval).toEqual([{ type: 'AdjustmentsApproved', data: { adjustmentIds: ['adm-1-a-1', 'adm-1-b-2'], by: 'head-2' } }]);
    expect(() => decide({ type: 'ApproveAdjustments', data: { by: 'head-2' } }, given([...adjusted, ...approval]), after)).toThrow(
      expect.objectContaining({ rule: 'NoAdjustmentPending' }),
    );
  });
});

describe('a stay across New Year', () => {
  const catalog = JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));
  /** Meals at `rate` a day for every group over a period (illustrative). */
  const mealsAt = (id: string, rate: number, effectiveFrom: string, effectiveTo?: string) =>
    regimesVersion({
      ...catalog,
      id,
      effectiveFrom,
      ...(effectiveTo ? { effectiveTo } : {}),
      regimes: catalog.regimes.map((regime: { id: string; rule: Record<string, unknown> }) =>
        regime.id === 'b' ? { ...regime, rule: { ...regime.rule, rateByGroup: Object.fromEntries([1, 2, 3, 4, 5, 6].map((group) => [group, rate])) } } : regime,
      ),
    });
  const raised2025 = mealsAt('lang-son/meals-2h2-2025', 200000, '2025-07-01', '2025-12-31');
  const group3 = (date: string): BeneficiaryGroup | undefined => (date < '2025-01-01' ? undefined : 3);
  const on = (versions: readonly PolicyVersion[] = [resolution24], groupOn = group3) => context(groupOn, versions, { today: '2026-12-01' });
  const stays = (ctx = on()) =>
    deciderSpec<AdmissionCommand, AdmissionEvent, Admission>({
      decide: (command, state) => decide(command, state, ctx),
      evolve,
      initialState: initialAdmission,
    });
  const recorded: AdmissionEvent = { type: 'AdmissionRecorded', data: { ...admitted.data, admittedOn: '2025-12-29' } };
  const discharged: AdmissionEvent = { type: 'DischargeRecorded', data: { dischargedOn: '2026-01-02', recordedBy: 'clerk-1' } };
  const clauseB = 'Regulation attached to Resolution 24/2024, regime b';
  const segment = (from: string, to: string, days: number, rate = 190000, policyVersionId = resolution24.id) => ({
    from,
    to,
    days,
    group: 3 as const,
    rate,
    amount: days * rate,
    policyVersionId,
    clause: clauseB,
  });
  const meals: AdmissionEvent = {
    type: 'MealAllowanceEntitled',
    data: { amount: 950000, days: 5, segments: [segment('2025-12-29', '2025-12-31', 3), segment('2026-01-01', '2026-01-02', 2)], byYear: true },
  };
  const visit: AdmissionEvent = {
    type: 'VisitAllowanceEntitled',
    data: {
      serviceDate: '2025-12-29',
      group: 3,
      amount: 700000,
      policyVersionId: resolution24.id,
      clause: 'Regulation attached to Resolution 24/2024, regime a',
    },
  };
  const approved: AdmissionEvent = { type: 'AdmissionAllowancesApproved', data: { by: 'head-1', visit: 700000, meals: 950000 } };
  const stay = [recorded, discharged, visit, meals, approved];
  const recompute = (cause: { kind: 'policy-version' | 'register-change'; id: string }): AdmissionCommand => ({
    type: 'RecomputeEntitlements',
    data: { cause, by: 'admin-1' },
  });

  it('entitles the meals by calendar year: a segment never spans 1 January', () => {
    stays()
      .given([recorded])
      .when({ type: 'RecordDischarge', data: { dischargedOn: '2026-01-02', by: 'clerk-1' } })
      .then([discharged, visit, meals]);
  });

  it('pays the meals of each year apart: the discharge year’s under the stay’s meals payout, dated the discharge; the year before under its own, dated 31 December', () => {
    const state = given(stay);
    expect(state.status === 'approved' && mealYears(state)).toEqual([
      {
        year: 2025,
        serviceDate: '2025-12-31',
        payoutId: 'admission-adm-1-b-2025',
        amount: 570000,
        days: 3,
        segments: [segment('2025-12-29', '2025-12-31', 3)],
      },
      { year: 2026, serviceDate: '2026-01-02', payoutId: 'admission-adm-1-b', amount: 380000, days: 2, segments: [segment('2026-01-01', '2026-01-02', 2)] },
    ]);
  });

  it('adjusts only the 2025 part when 2025’s rates change, and merges the adjustment into that year alone', () => {
    const cause = { kind: 'policy-version', id: raised2025.id } as const;
    const adjustment: AdmissionEvent = {
      type: 'AdjustmentEntitled',
      data: {
        adjustmentId: 'adm-1-b-1',
        regimeId: 'b',
        cause,
        corrects: { admissionId: 'adm-1', regimeId: 'b', payoutId: 'admission-adm-1-b-2025' },
        serviceDate: '2025-12-31',
        previous: { amount: 570000, group: 3, policyVersionId: resolution24.id },
        next: {
          amount: 600000,
          group: 3,
          policyVersionId: raised2025.id,
          clause: clauseB,
          days: 3,
          segments: [segment('2025-12-29', '2025-12-31', 3, 200000, raised2025.id)],
        },
        difference: 30000,
        recordedBy: 'admin-1',
      },
    };
    stays(on([resolution24, raised2025]))
      .given(stay)
      .when(recompute(cause))
      .then([adjustment]);
    const adjusted = given([...stay, adjustment]);
    expect(adjusted.status === 'approved' && [adjusted.meals, mealYears(adjusted).map((part) => [part.payoutId, part.amount, part.days])]).toEqual([
      {
        amount: 980000,
        days: 5,
        segments: [segment('2025-12-29', '2025-12-31', 3, 200000, raised2025.id), segment('2026-01-01', '2026-01-02', 2)],
        byYear: true,
      },
      [
        ['admission-adm-1-b-2025', 600000, 3],
        ['admission-adm-1-b', 380000, 2],
      ],
    ]);
    stays(on([resolution24, raised2025]))
      .given([...stay, adjustment])
      .when(recompute(cause))
      .then([]);
  });

  it('recovers only the 2026 part when coverage ends on 1 January', () => {
    const removed = (date: string): BeneficiaryGroup | undefined => (date < '2025-01-01' || date >= '2026-01-01' ? undefined : 3);
    const events = decide(recompute({ kind: 'register-change', id: 'b-001/removal/2026-01-01' }), given(stay), on([resolution24], removed));
    expect(
      events.map(
        (e) => e.type === 'AdjustmentEntitled' && [e.data.corrects.payoutId, e.data.serviceDate, e.data.previous.amount, e.data.next.amount, e.data.difference],
      ),
    ).toEqual([['admission-adm-1-b', '2026-01-02', 380000, 0, -380000]]);
    const recovered = given([...stay, ...events]);
    expect(recovered.status === 'approved' && mealYears(recovered).map((part) => [part.payoutId, part.amount])).toEqual([['admission-adm-1-b-2025', 570000]]);
  });

  it('tops up the days of a year newly covered as a part of its own, paid first by the adjustment', () => {
    const until2025 = { ...resolution24, effectiveTo: '2025-12-31' };
    const from2026 = mealsAt('lang-son/2026', 190000, '2026-01-01');
    const onlyIn2025 = [
      recorded,
      discharged,
      visit,
      { type: 'MealAllowanceEntitled', data: { amount: 570000, days: 3, segments: [segment('2025-12-29', '2025-12-31', 3)], byYear: true } } as AdmissionEvent,
      { type: 'AdmissionAllowancesApproved', data: { by: 'head-1', visit: 700000, meals: 570000 } } as AdmissionEvent,
    ];
    const events = decide(recompute({ kind: 'policy-version', id: from2026.id }), given(onlyIn2025), on([until2025, from2026]));
    expect(
      events.map(
        (e) => e.type === 'AdjustmentEntitled' && [e.data.corrects.payoutId, e.data.serviceDate, e.data.previous.amount, e.data.next.amount, e.data.next.days],
      ),
    ).toEqual([['admission-adm-1-b', '2026-01-02', 0, 380000, 2]]);
  });

  it('keeps a stay whose meals were entitled before they were counted by year in one part, paid and adjusted whole in the discharge year', () => {
    const wholeStay: AdmissionEvent = { type: 'MealAllowanceEntitled', data: { amount: 950000, days: 5, segments: [segment('2025-12-29', '2026-01-02', 5)] } };
    const legacy = [recorded, discharged, visit, wholeStay, approved];
    const state = given(legacy);
    expect(state.status === 'approved' && mealYears(state).map((part) => [part.payoutId, part.serviceDate, part.amount, part.days])).toEqual([
      ['admission-adm-1-b', '2026-01-02', 950000, 5],
    ]);
    const [adjustment, ...rest] = decide(recompute({ kind: 'policy-version', id: raised2025.id }), state, on([resolution24, raised2025]));
    expect(rest).toEqual([]);
    expect(adjustment).toMatchObject({
      type: 'AdjustmentEntitled',
      data: {
        corrects: { payoutId: 'admission-adm-1-b' },
        serviceDate: '2026-01-02',
        previous: { amount: 950000 },
        next: { amount: 980000, days: 5 },
        difference: 30000,
      },
    });
  });
});

describe('recording only what happened, once, on a valid card', () => {
  const admissions = (recording: Partial<AdmissionContext> = {}) =>
    deciderSpec<AdmissionCommand, AdmissionEvent, Admission>({
      decide: (command, state) => decide(command, state, context(group3UntilJuly, [resolution24], recording)),
      evolve,
      initialState: initialAdmission,
    });
  const record = (data: Partial<Extract<AdmissionEvent, { type: 'AdmissionRecorded' }>['data']> = {}): AdmissionCommand => ({
    type: 'RecordAdmission',
    data: { ...admitted.data, ...data },
  });
  const recorded = (data: Partial<Extract<AdmissionEvent, { type: 'AdmissionRecorded' }>['data']> = {}): AdmissionEvent => ({
    type: 'AdmissionRecorded',
    data: { ...admitted.data, ...data },
  });
  const discharged: AdmissionEvent = { type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' } };

  it('refuses an admission, a discharge or a correction dated after today, naming the field; today itself is fine', () => {
    admissions({ today: '2025-06-28' }).given([]).when(record()).thenThrows({ rule: 'DateInFuture', field: 'admittedOn' });
    admissions({ today: '2025-06-29' }).given([]).when(record()).then([recorded()]);
    admissions({ today: '2025-07-01' })
      .given([admitted])
      .when({ type: 'RecordDischarge', data: { dischargedOn: '2025-07-02', by: 'clerk-1' } })
      .thenThrows({ rule: 'DateInFuture', field: 'dischargedOn' });
    const correction = (admittedOn: string, dischargedOn: string): AdmissionCommand => ({
      type: 'CorrectAdmissionDates',
      data: { admittedOn, dischargedOn, reason: 'letter', by: 'clerk-2' },
    });
    admissions({ today: '2025-07-03' })
      .given([admitted, discharged])
      .when(correction('2025-06-29', '2025-07-04'))
      .thenThrows({ rule: 'DateInFuture', field: 'dischargedOn' });
    admissions({ today: '2025-07-03' })
      .given([admitted, discharged])
      .when(correction('2025-07-04', '2025-07-04'))
      .thenThrows({ rule: 'DateInFuture', field: 'admittedOn' });
  });

  it('records the card used, and refuses one missing, not the beneficiary’s, or not valid on the admission date', () => {
    admissions()
      .given([])
      .when(record({ cardNumber: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'cardNumber' });
    admissions({ card: Cards.initialCard }).given([]).when(record()).thenThrows({ rule: 'UnknownCard', field: 'cardNumber' });
    const someoneElses = cardOf({ ...cardIssued, data: { ...cardIssued.data, beneficiaryId: 'b-002' } });
    admissions({ card: someoneElses }).given([]).when(record()).thenThrows({ rule: 'CardNotValidOnServiceDate', field: 'cardNumber' });
    const revokedBefore = cardOf(cardIssued, { type: 'CardRevoked', data: { reason: 'lost', on: '2025-06-01' } });
    admissions({ card: revokedBefore }).given([]).when(record()).thenThrows({ rule: 'CardNotValidOnServiceDate', field: 'cardNumber' });
    const replacedAfter = cardOf(cardIssued, {
      type: 'CardReplaced',
      data: { byCardNumber: 'LS-000001-R', reason: 'lost', on: '2025-07-01', newCardValidTo: '2029-12-31' },
    });
    admissions({ card: replacedAfter }).given([]).when(record()).then([recorded()]);
    const notYetValid = cardOf({ ...cardIssued, data: { ...cardIssued.data, validFrom: '2025-07-01' } });
    admissions({ card: notYetValid }).given([]).when(record()).thenThrows({ rule: 'CardNotValidOnServiceDate', field: 'cardNumber' });
  });

  it('refuses a stay whose admission falls in another of the beneficiary’s, one not yet discharged running on', () => {
    const overlapping = (other: StaySpan) =>
      admissions({ otherStays: [other] })
        .given([])
        .when(record());
    overlapping({ admissionId: 'adm-0', admittedOn: '2025-06-25', dischargedOn: '2025-06-29' }).thenThrows({ rule: 'OverlappingStay', field: 'admittedOn' });
    overlapping({ admissionId: 'adm-0', admittedOn: '2025-06-01' }).thenThrows({ rule: 'OverlappingStay', field: 'admittedOn' });
    overlapping({ admissionId: 'adm-0', admittedOn: '2025-06-20', dischargedOn: '2025-06-28' }).then([recorded()]);
    // Stays are often entered late and out of order: one after this admission, already recorded, is fine until a discharge says otherwise.
    overlapping({ admissionId: 'adm-2', admittedOn: '2025-07-10', dischargedOn: '2025-07-12' }).then([recorded()]);
  });

  it('refuses a discharge or a date correction that makes the stay overlap another, unless the stay was recorded as deliberate', () => {
    const later = { admissionId: 'adm-2', admittedOn: '2025-07-10', dischargedOn: '2025-07-12' };
    const discharge = (dischargedOn: string): AdmissionCommand => ({ type: 'RecordDischarge', data: { dischargedOn, by: 'clerk-1' } });
    admissions({ otherStays: [later] })
      .given([recorded()])
      .when(discharge('2025-07-10'))
      .thenThrows({ rule: 'OverlappingStay', field: 'dischargedOn' });
    expect(decide(discharge('2025-07-09'), given([recorded()]), context(group3UntilJuly, [resolution24], { otherStays: [later] }))[0]).toEqual({
      type: 'DischargeRecorded',
      data: { dischargedOn: '2025-07-09', recordedBy: 'clerk-1' },
    });
    const correction: AdmissionCommand = {
      type: 'CorrectAdmissionDates',
      data: { admittedOn: '2025-06-29', dischargedOn: '2025-07-11', reason: 'the discharge paper says 11/07', by: 'clerk-1' },
    };
    admissions({ otherStays: [later] })
      .given([recorded(), discharged])
      .when(correction)
      .thenThrows({ rule: 'OverlappingStay', field: 'dischargedOn' });
    const deliberate = recorded({ deliberateReason: 'transferred to the central hospital and back' });
    expect(decide(discharge('2025-07-11'), given([deliberate]), context(group3UntilJuly, [resolution24], { otherStays: [later] }))[0]).toMatchObject({
      type: 'DischargeRecorded',
    });
  });

  it('records an overlapping stay marked deliberate, with its reason; a blank reason is refused', () => {
    const other = { admissionId: 'adm-0', admittedOn: '2025-06-25', dischargedOn: '2025-06-29' };
    const reason = 'transferred to the central hospital the same day';
    admissions({ otherStays: [other] })
      .given([])
      .when(record({ deliberateReason: reason }))
      .then([recorded({ deliberateReason: reason })]);
    admissions({ otherStays: [other] })
      .given([])
      .when(record({ deliberateReason: ' ' }))
      .thenThrows({ rule: 'InvalidInput', field: 'deliberateReason' });
  });
});
