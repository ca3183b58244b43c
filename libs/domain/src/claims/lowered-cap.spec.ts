import { readFileSync } from 'node:fs';
import * as Beneficiaries from '../beneficiaries/beneficiary.js';
import * as Cards from '../cards/card.js';
import * as AnnualCapLedger from '../drug-reimbursements/annual-cap-ledger.js';
import { policyInForce } from '../policy/entitlement.js';
import { regimesVersion } from '../testing/policy-versions.fixture.js';
import type { BeneficiaryGroup } from '../policy/policy-version.js';
import { deciderSpec } from '../testing/decider.fixture.js';
import { type Claim, type ClaimCommand, type ClaimContext, type ClaimEvent, type ClaimFacts, decide, evolve, initialClaim } from './claim.js';

/**
 * Special drugs (regime g) are paid up to an annual cap by group: 40,000,000 for group 3,
 * 30,000,000 for group 4, 60,000,000 for group 2, nothing for group 5. When a retroactive change
 * lowers the cap on an approved claim's service date, the claim is flagged for the Professional
 * Council, never recovered on its own; the council keeps it or reduces it to the new cap.
 */
const resolution24 = regimesVersion(JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')));
const CLAUSE_G = 'Regulation attached to Resolution 24/2024, regime g';

const enrolled = Beneficiaries.decide(
  {
    type: 'EnrolBeneficiary',
    data: {
      beneficiaryId: 'b-003',
      fullName: 'Hoàng Văn An',
      dateOfBirth: '1968-05-12',
      nationalId: '020068000101',
      title: 'Bí thư Huyện ủy',
      administrativeUnit: 'cao-loc',
      group: 3,
      from: '2025-01-01',
    },
  },
  Beneficiaries.initialBeneficiary,
);
const inGroup3 = enrolled.reduce(Beneficiaries.evolve, Beneficiaries.initialBeneficiary);
/** The same official, reclassified from 2025-07-01 (a plan, learnt after the claims were paid). */
const reclassifiedTo = (group: BeneficiaryGroup) =>
  Beneficiaries.evolve(inGroup3, {
    type: 'BeneficiaryReclassified',
    data: { group, from: '2025-07-01', reason: 'two-tier local government', decisionNumber: '759/QĐ-TTg' },
  });

/** An earlier claim of the year, served in August, holding 20,000,000 of the cap. */
const august: AnnualCapLedger.CappedClaim = { claimId: 'cl-g-aug', serviceDate: '2025-08-01', amount: 20000000 };
const drugs: ClaimFacts = {
  claimId: 'cl-g-sep',
  regimeId: 'g',
  serviceDate: '2025-09-10',
  beneficiaryId: 'b-003',
  cardNumber: 'LS-AN',
  councilDecisionNumber: '21/QĐ-HĐCM',
  items: [{ name: 'Sorafenib 200mg', quantity: 90, cost: 15000000 }],
  cost: 15000000,
  requestedBy: 'council-1',
};
const september: AnnualCapLedger.CappedClaim = { claimId: 'cl-g-sep', serviceDate: '2025-09-10', amount: 15000000 };

function contextOf(beneficiary: Beneficiaries.Beneficiary, yearClaims: readonly AnnualCapLedger.CappedClaim[] = [august, september]): ClaimContext {
  return {
    policyOn: (date) => policyInForce([resolution24], date),
    beneficiary,
    card: Cards.evolve(Cards.initialCard, {
      type: 'CardIssued',
      data: { cardNumber: 'LS-AN', beneficiaryId: 'b-003', validFrom: '2025-01-01', validTo: '2029-12-31' },
    }),
    ledger: AnnualCapLedger.initialAnnualCapLedger,
    today: '2025-12-31',
    listedClaims: [],
    yearClaims,
  };
}

// Approved in group 3 with 20,000,000 of the 40,000,000 cap already used: it fits.
const requested: ClaimEvent = { type: 'ClaimRequested', data: drugs };
const approved = decide({ type: 'ApproveClaim', data: { by: 'head-1' } }, evolve(initialClaim, requested), {
  ...contextOf(inGroup3),
  ledger: AnnualCapLedger.evolve(AnnualCapLedger.initialAnnualCapLedger, {
    type: 'CapReserved',
    data: { requestId: 'cl-g-aug', amount: 20000000, cap: 40000000, overCap: 0 },
  }),
});
const history: ClaimEvent[] = [requested, ...approved];

const cause = { kind: 'reorganization-plan', id: 'two-tier-2025-07' } as const;
const recompute: ClaimCommand = { type: 'RecomputeEntitlements', data: { cause, by: 'admin-2' } };
const claims = (context: ClaimContext) =>
  deciderSpec<ClaimCommand, ClaimEvent, Claim>({ decide: (command, state) => decide(command, state, context), evolve, initialState: initialClaim });

/** In group 4 the cap is 30,000,000: August's 20,000,000 come first, so 5,000,000 of September's 15,000,000 lie beyond it. */
const flagged: ClaimEvent = {
  type: 'ClaimOverLoweredCapFlagged',
  data: {
    flagId: 'cl-g-sep-cap-1',
    cause,
    beneficiaryId: 'b-003',
    regimeId: 'g',
    serviceDate: '2025-09-10',
    amount: 15000000,
    cap: { previous: 40000000, next: 30000000 },
    excess: 5000000,
    policyVersionId: resolution24.id,
    clause: CLAUSE_G,
    recordedBy: 'admin-2',
  },
};
const keep = (by = 'council-2', reason = 'acquired right under group 3, treatment already given'): ClaimCommand => ({
  type: 'KeepClaimOverLoweredCap',
  data: { flagId: 'cl-g-sep-cap-1', reason, by },
});
const reduce = (by = 'council-2'): ClaimCommand => ({
  type: 'ReduceClaimToLoweredCap',
  data: { flagId: 'cl-g-sep-cap-1', reason: 'the new classification applies from July', by },
});

describe('a retroactive change lowering the annual cap of special drugs', () => {
  it('flags an approved claim that now lies beyond the lowered cap for the council, and recovers nothing', () => {
    claims(contextOf(reclassifiedTo(4)))
      .given(history)
      .when(recompute)
      .then([flagged]);
  });

  it('fills the cap in the order the claims were served: a claim within it is not flagged, whatever else the year holds', () => {
    const augustClaim: ClaimFacts = {
      ...drugs,
      claimId: 'cl-g-aug',
      serviceDate: '2025-08-01',
      items: [{ name: 'Sorafenib 200mg', quantity: 120, cost: 20000000 }],
      cost: 20000000,
    };
    const augustApproved = decide(
      { type: 'ApproveClaim', data: { by: 'head-1' } },
      evolve(initialClaim, { type: 'ClaimRequested', data: augustClaim }),
      contextOf(inGroup3),
    );
    claims(contextOf(reclassifiedTo(4)))
      .given([{ type: 'ClaimRequested', data: augustClaim }, ...augustApproved])
      .when(recompute)
      .then([]);
  });

  it('flags nothing when the cap is raised or unchanged, nor twice for the same cap', () => {
    claims(contextOf(reclassifiedTo(2)))
      .given(history)
      .when(recompute)
      .then([]);
    claims(contextOf(inGroup3)).given(history).when(recompute).then([]);
    claims(contextOf(reclassifiedTo(4)))
      .given([...history, flagged])
      .when({ type: 'RecomputeEntitlements', data: { cause: { kind: 'policy-version', id: 'v3' }, by: 'admin-2' } })
      .then([]);
  });

  it('flags the whole claim when the new group is not covered by the regime at all', () => {
    claims(contextOf(reclassifiedTo(5)))
      .given(history)
      .when(recompute)
      .then([{ type: 'ClaimOverLoweredCapFlagged', data: { ...flagged.data, cap: { previous: 40000000, next: 0 }, excess: 15000000, clause: '' } }]);
  });

  it('flags only what a further lowering adds, once the council decided on the first', () => {
    const kept: ClaimEvent = { type: 'ClaimOverLoweredCapKept', data: { flagId: 'cl-g-sep-cap-1', reason: 'acquired right', by: 'council-2' } };
    const [second] = decide(recompute, [...history, flagged, kept].reduce(evolve, initialClaim), contextOf(reclassifiedTo(5)));
    expect(second).toMatchObject({
      type: 'ClaimOverLoweredCapFlagged',
      data: { flagId: 'cl-g-sep-cap-2', cap: { previous: 30000000, next: 0 }, excess: 10000000 },
    });
  });
});

describe("the council's decision on a flagged claim", () => {
  const given = [...history, flagged];
  const council = claims(contextOf(reclassifiedTo(4)));

  it('keeps the approved amount with a reason: nothing to pay or recover', () => {
    council
      .given(given)
      .when(keep())
      .then([
        {
          type: 'ClaimOverLoweredCapKept',
          data: { flagId: 'cl-g-sep-cap-1', reason: 'acquired right under group 3, treatment already given', by: 'council-2' },
        },
      ]);
  });

  it('reduces the claim to the new cap: an adjustment recovering the excess, for an approver to approve', () => {
    const reduction: ClaimEvent = {
      type: 'AdjustmentEntitled',
      data: {
        adjustmentId: 'cl-g-sep-1',
        regimeId: 'g',
        cause,
        corrects: { claimId: 'cl-g-sep', regimeId: 'g', payoutId: 'claim-cl-g-sep' },
        serviceDate: '2025-09-10',
        previous: { amount: 15000000, group: 3, policyVersionId: resolution24.id },
        next: { amount: 10000000, group: 3, policyVersionId: resolution24.id, clause: CLAUSE_G, basis: 30000000 },
        difference: -5000000,
        recordedBy: 'council-2',
      },
    };
    council
      .given(given)
      .when(reduce())
      .then([
        {
          type: 'ClaimReducedToLoweredCap',
          data: { flagId: 'cl-g-sep-cap-1', reason: 'the new classification applies from July', by: 'council-2', adjustmentId: 'cl-g-sep-1' },
        },
        reduction,
      ]);
    const reduced = [...given, ...decide(reduce(), given.reduce(evolve, initialClaim), contextOf(reclassifiedTo(4)))];
    council
      .given(reduced)
      .when({ type: 'ApproveAdjustments', data: { by: 'council-2' } })
      .thenThrows({ rule: 'ApprovingOwnRequest' });
    council
      .given(reduced)
      .when({ type: 'ApproveAdjustments', data: { by: 'head-2' } })
      .then([{ type: 'AdjustmentsApproved', data: { adjustmentIds: ['cl-g-sep-1'], by: 'head-2' } }]);
    // Reduced to the cap, the claim is not flagged again by a later recomputation.
    council.given(reduced).when(recompute).then([]);
  });

  it('refuses an unknown flag, a second decision, a decision without a reason, and one by who requested the claim', () => {
    council
      .given(given)
      .when({ type: 'KeepClaimOverLoweredCap', data: { flagId: 'cl-g-sep-cap-9', reason: 'x', by: 'council-2' } })
      .thenThrows({ rule: 'NoSuchFlag', field: 'flagId' });
    council.given(history).when(reduce()).thenThrows({ rule: 'NoSuchFlag', field: 'flagId' });
    const kept = decide(keep(), given.reduce(evolve, initialClaim), contextOf(reclassifiedTo(4)));
    council
      .given([...given, ...kept])
      .when(reduce())
      .thenThrows({ rule: 'FlagAlreadyDecided', field: 'flagId' });
    council.given(given).when(keep('council-2', ' ')).thenThrows({ rule: 'InvalidInput', field: 'reason' });
    council.given(given).when(keep('council-1')).thenThrows({ rule: 'ApprovingOwnRequest' });
  });
});
