import { readFileSync } from 'node:fs';
import * as Beneficiaries from '../beneficiaries/beneficiary.js';
import * as Cards from '../cards/card.js';
import * as AnnualCapLedger from '../drug-reimbursements/annual-cap-ledger.js';
import { policyInForce } from '../policy/entitlement.js';
import { regimesVersion } from '../testing/policy-versions.fixture.js';
import { deciderSpec } from '../testing/decider.fixture.js';
import {
  type Claim,
  type ClaimApproval,
  type ClaimCommand,
  type ClaimContext,
  type ClaimEvent,
  type ClaimFacts,
  claimKeyOf,
  claimStreamId,
  claimYear,
  decide,
  evolve,
  initialClaim,
  type ListedClaim,
} from './claim.js';

const resolution24 = regimesVersion(JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')));
const clause = (letter: string): string => `Regulation attached to Resolution 24/2024, regime ${letter}`;

/** Enrolments go through the register's own decision, so every national id here passes its check. */
function registered(
  enrolment: Extract<Beneficiaries.BeneficiaryCommand, { type: 'EnrolBeneficiary' }>['data'],
  ...later: Beneficiaries.BeneficiaryEvent[]
): Beneficiaries.Beneficiary {
  const enrolled = Beneficiaries.decide({ type: 'EnrolBeneficiary', data: enrolment }, Beneficiaries.initialBeneficiary);
  return [...enrolled, ...later].reduce(Beneficiaries.evolve, Beneficiaries.initialBeneficiary);
}

const minhEnrolment = {
  beneficiaryId: 'b-004',
  fullName: 'Trần Văn Minh',
  dateOfBirth: '1980-03-15',
  nationalId: '020080001234',
  title: 'Phó Chủ tịch UBND huyện Văn Lãng',
  administrativeUnit: 'van-lang',
  group: 4 as const,
  from: '2025-01-01',
};
const hungEnrolment = {
  ...minhEnrolment,
  beneficiaryId: 'b-002',
  fullName: 'Lương Văn Hùng',
  dateOfBirth: '1965-09-02',
  nationalId: '020065004321',
  title: 'Phó Bí thư Tỉnh ủy',
  administrativeUnit: 'tinh',
  group: 2 as const,
};
const maiEnrolment = {
  ...minhEnrolment,
  beneficiaryId: 'b-006',
  fullName: 'Hoàng Thị Mai',
  dateOfBirth: '1990-07-01',
  nationalId: '020190005678',
  title: 'Chuyên viên Sở Y tế',
  administrativeUnit: 'so-y-te',
  group: 6 as const,
};

const minh = registered(minhEnrolment);
const hung = registered(hungEnrolment);
const mai = registered(maiEnrolment);

const cardOf = (cardNumber: string, beneficiaryId: string): Cards.CardEvent => ({
  type: 'CardIssued',
  data: { cardNumber, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' },
});
const minhCard = cardOf('LS-000004', 'b-004');
const hungCard = cardOf('LS-000002', 'b-002');
const maiCard = cardOf('LS-000006', 'b-006');

const CAP_G4 = 30000000;
const reservedOfCap = (requestId: string, amount: number): AnnualCapLedger.AnnualCapEvent => ({
  type: 'CapReserved',
  data: { requestId, amount, cap: CAP_G4, overCap: 0 },
});

/** The day the specs run on, whatever the clock says. */
const TODAY = '2025-12-31';

function contextOf(
  beneficiary: Beneficiaries.Beneficiary,
  card: readonly Cards.CardEvent[],
  ledger: readonly AnnualCapLedger.AnnualCapEvent[] = [],
  listedClaims: readonly ListedClaim[] = [],
): ClaimContext {
  return {
    policyOn: (date) => policyInForce([resolution24], date),
    beneficiary,
    card: card.reduce(Cards.evolve, Cards.initialCard),
    ledger: ledger.reduce(AnnualCapLedger.evolve, AnnualCapLedger.initialAnnualCapLedger),
    today: TODAY,
    listedClaims,
    yearClaims: [],
  };
}
const forMinh = (ledger: readonly AnnualCapLedger.AnnualCapEvent[] = []) => contextOf(minh, [minhCard], ledger);
/** Staff allowances are paid to staff, not beneficiaries: no register entry, no card. */
const forStaff = contextOf(Beneficiaries.initialBeneficiary, []);

const claims = (context: ClaimContext) =>
  deciderSpec<ClaimCommand, ClaimEvent, Claim>({ decide: (command, state) => decide(command, state, context), evolve, initialState: initialClaim });

const byMinh = { beneficiaryId: 'b-004', cardNumber: 'LS-000004', requestedBy: 'clerk-1' };
const convalescence: ClaimFacts = { claimId: 'cl-c', regimeId: 'c', serviceDate: '2025-05-05', until: '2025-05-13', ...byMinh };
const hospitalFees: ClaimFacts = { claimId: 'cl-d', regimeId: 'd', serviceDate: '2025-03-20', outOfPocket: 3000001, ...byMinh };
const homeConvalescence: ClaimFacts = {
  claimId: 'cl-dh',
  regimeId: 'đ.home',
  serviceDate: '2025-08-01',
  beneficiaryId: 'b-002',
  cardNumber: 'LS-000002',
  requestedBy: 'clerk-1',
};
const seriousIllness: ClaimFacts = { claimId: 'cl-e', regimeId: 'e', serviceDate: '2025-02-14', ...byMinh };
const specialDrugs: ClaimFacts = {
  claimId: 'cl-g',
  regimeId: 'g',
  serviceDate: '2025-04-10',
  councilDecisionNumber: '15/QĐ-HĐCM',
  items: [
    { name: 'Sorafenib 200mg', quantity: 60, cost: 9000000 },
    { name: 'Thực phẩm bảo vệ sức khỏe', quantity: 3, cost: 3000000 },
  ],
  cost: 12000000,
  ...byMinh,
};
const healthCheck: ClaimFacts = { claimId: 'cl-h', regimeId: 'h.fixed', serviceDate: '2025-06-02', ...byMinh };
const congressCheck: ClaimFacts = { claimId: 'cl-i', regimeId: 'i', serviceDate: '2025-09-15', cost: 2500000, ...byMinh };
const staffAllowance: ClaimFacts = {
  claimId: 'cl-k',
  regimeId: 'k.monthly',
  serviceDate: '2025-03-31',
  staff: { name: 'Đặng Thị Hoa', role: 'committee-member' },
  quantity: 3,
  requestedBy: 'clerk-1',
};

const request = (data: ClaimFacts): ClaimCommand => ({ type: 'RequestClaim', data });
const requested = (data: ClaimFacts): ClaimEvent => ({ type: 'ClaimRequested', data });
const approvedBy = (by: string, data: Omit<ClaimApproval, 'approvedBy' | 'partial' | 'overCap'>): ClaimEvent => ({
  type: 'ClaimApproved',
  data: { ...data, approvedBy: [by], partial: false, overCap: 0 },
});
const approve = (by = 'head-1'): ClaimCommand => ({ type: 'ApproveClaim', data: { by } });

describe('requesting a claim', () => {
  it('records a request under every kind of rule in the default catalog', () => {
    claims(forMinh())
      .given([])
      .when(request(convalescence))
      .then([requested(convalescence)]);
    claims(forMinh())
      .given([])
      .when(request(hospitalFees))
      .then([requested(hospitalFees)]);
    claims(contextOf(hung, [hungCard]))
      .given([])
      .when(request(homeConvalescence))
      .then([requested(homeConvalescence)]);
    claims(forMinh())
      .given([])
      .when(request(seriousIllness))
      .then([requested(seriousIllness)]);
    claims(forMinh())
      .given([])
      .when(request(specialDrugs))
      .then([requested(specialDrugs)]);
    claims(forMinh())
      .given([])
      .when(request(healthCheck))
      .then([requested(healthCheck)]);
    claims(forMinh())
      .given([])
      .when(request(congressCheck))
      .then([requested(congressCheck)]);
    claims(forStaff)
      .given([])
      .when(request(staffAllowance))
      .then([requested(staffAllowance)]);
    expect(claimStreamId('cl-g')).toBe('claim-cl-g');
    expect(claimYear(specialDrugs)).toBe(2025);
  });

  it('accepts a request over the annual cap: what to do with the excess is the approver’s decision', () => {
    claims(forMinh([reservedOfCap('earlier', CAP_G4)]))
      .given([])
      .when(request(specialDrugs))
      .then([requested(specialDrugs)]);
  });

  it('refuses a second request under the same claim id', () => {
    claims(forMinh())
      .given([requested(seriousIllness)])
      .when(request(seriousIllness))
      .thenThrows({ rule: 'AlreadyRequested' });
  });

  it('leaves the admission allowances (a, b) to the admission, and refuses a regime the policy lacks or no policy at all', () => {
    claims(forMinh())
      .given([])
      .when(request({ ...seriousIllness, regimeId: 'a' }))
      .thenThrows({ rule: 'RegimeRecordedByAdmissions', field: 'regimeId' });
    claims(forMinh())
      .given([])
      .when(request({ ...seriousIllness, regimeId: 'b' }))
      .thenThrows({ rule: 'RegimeRecordedByAdmissions', field: 'regimeId' });
    claims(forMinh())
      .given([])
      .when(request({ ...seriousIllness, regimeId: 'z' }))
      .thenThrows({ rule: 'RegimeNotInPolicy', field: 'regimeId' });
    // Resolution 24 takes effect on 2024-12-10.
    claims(forMinh())
      .given([])
      .when(request({ ...seriousIllness, serviceDate: '2024-12-09' }))
      .thenThrows({ rule: 'NoPolicyInForce', field: 'serviceDate' });
    claims(forStaff)
      .given([])
      .when(request({ ...staffAllowance, serviceDate: '2024-12-09' }))
      .thenThrows({ rule: 'NoPolicyInForce', field: 'serviceDate' });
  });

  it('refuses a regime the catalog does not grant to the claimant’s group', () => {
    const forMai = contextOf(mai, [maiCard]);
    const byMai = { beneficiaryId: 'b-006', cardNumber: 'LS-000006' };
    claims(forMai)
      .given([])
      .when(request({ ...seriousIllness, ...byMai }))
      .thenThrows({ rule: 'RegimeNotForGroup', field: 'regimeId' });
    // Per-day convalescence for group 6: not one day of the stay is covered.
    claims(forMai)
      .given([])
      .when(request({ ...convalescence, ...byMai }))
      .thenThrows({ rule: 'RegimeNotForGroup', field: 'regimeId' });
    claims(forMai)
      .given([])
      .when(request({ ...specialDrugs, ...byMai }))
      .thenThrows({ rule: 'RegimeNotForGroup', field: 'regimeId' });
    claims(forMai)
      .given([])
      .when(request({ ...congressCheck, ...byMai }))
      .thenThrows({ rule: 'RegimeNotForGroup', field: 'regimeId' });
  });

  it('names the regime, as for every other rule kind, when a limited-per-year regime does not cover the group', () => {
    // The fixed-amount health check is for groups 3 and 4; group 2 is paid at actual cost under h.actual-cost.
    claims(contextOf(hung, [hungCard]))
      .given([])
      .when(request({ ...healthCheck, beneficiaryId: 'b-002', cardNumber: 'LS-000002' }))
      .thenThrows({ rule: 'RegimeNotForGroup', field: 'regimeId' });
  });

  it('pays no convalescence day after the claimant died, and refuses a staff allowance addressed to a beneficiary', () => {
    const died = registered(minhEnrolment, { type: 'BeneficiaryDied', data: { on: '2025-05-07' } });
    const events = decide(request(convalescence), initialClaim, contextOf(died, [minhCard]));
    const approval = decide(approve(), events.reduce(evolve, initialClaim), contextOf(died, [minhCard]))[0] as Extract<ClaimEvent, { type: 'ClaimApproved' }>;
    expect(approval.data.segments?.map((s) => [s.from, s.to, s.days])).toEqual([['2025-05-05', '2025-05-07', 3]]);
    expect(approval.data.amount).toBe(3 * 470000);
    claims(forStaff)
      .given([])
      .when(request({ ...staffAllowance, beneficiaryId: 'b-001' }))
      .thenThrows({ rule: 'InvalidInput', field: 'beneficiaryId' });
  });

  it('refuses a claimant not on the register, or removed from it before the service date (not after)', () => {
    claims(contextOf(Beneficiaries.initialBeneficiary, [minhCard]))
      .given([])
      .when(request(seriousIllness))
      .thenThrows({ rule: 'UnknownBeneficiary', field: 'beneficiaryId' });
    const removed = registered(minhEnrolment, { type: 'BeneficiaryRemovedFromRegister', data: { on: seriousIllness.serviceDate, reason: 'moved province' } });
    claims(contextOf(removed, [minhCard]))
      .given([])
      .when(request(seriousIllness))
      .thenThrows({ rule: 'NotABeneficiary', field: 'beneficiaryId' });
    const removedLater = registered(minhEnrolment, { type: 'BeneficiaryRemovedFromRegister', data: { on: '2025-12-01', reason: 'moved province' } });
    expect(decide(request(seriousIllness), initialClaim, contextOf(removedLater, [minhCard]))).toHaveLength(1);
  });

  it('refuses a service before the claimant held a group, or after the claimant died', () => {
    claims(forMinh())
      .given([])
      .when(request({ ...seriousIllness, serviceDate: '2024-12-31' }))
      .thenThrows({ rule: 'NotABeneficiaryOnServiceDate', field: 'serviceDate' });
    const died = registered(minhEnrolment, { type: 'BeneficiaryDied', data: { on: '2025-02-13' } });
    claims(contextOf(died, [minhCard]))
      .given([])
      .when(request(seriousIllness))
      .thenThrows({ rule: 'DeceasedBeforeServiceDate', field: 'serviceDate' });
    // Dying on the service date itself still leaves the claimant entitled that day.
    const diedThatDay = registered(minhEnrolment, { type: 'BeneficiaryDied', data: { on: '2025-02-14' } });
    claims(contextOf(diedThatDay, [minhCard]))
      .given([])
      .when(request(seriousIllness))
      .then([requested(seriousIllness)]);
  });

  it('refuses without a valid card of the claimant’s own on the service date', () => {
    const notValid = { rule: 'CardNotValidOnServiceDate', field: 'cardNumber' };
    claims(contextOf(minh, []))
      .given([])
      .when(request(seriousIllness))
      .thenThrows({ rule: 'UnknownCard', field: 'cardNumber', message: expect.stringContaining(String(seriousIllness.cardNumber)) });
    claims(contextOf(minh, [hungCard]))
      .given([])
      .when(request({ ...seriousIllness, cardNumber: 'LS-000002' }))
      .thenThrows(notValid);
    claims(contextOf(minh, [minhCard, { type: 'CardRevoked', data: { reason: 'left office', on: '2025-02-01' } }]))
      .given([])
      .when(request(seriousIllness))
      .thenThrows(notValid);
    // Revoked only after the service: the card was valid that day.
    claims(contextOf(minh, [minhCard, { type: 'CardRevoked', data: { reason: 'left office', on: '2025-02-15' } }]))
      .given([])
      .when(request(seriousIllness))
      .then([requested(seriousIllness)]);
  });

  it('refuses a service date, or the last day of a stay, after today; today itself is fine', () => {
    claims({ ...forMinh(), today: '2025-02-13' })
      .given([])
      .when(request(seriousIllness))
      .thenThrows({ rule: 'DateInFuture', field: 'serviceDate' });
    claims({ ...forMinh(), today: '2025-02-14' })
      .given([])
      .when(request(seriousIllness))
      .then([requested(seriousIllness)]);
    claims({ ...forMinh(), today: '2025-05-12' })
      .given([])
      .when(request(convalescence))
      .thenThrows({ rule: 'DateInFuture', field: 'until' });
  });

  it('refuses a claim repeating a recorded one’s regime, service date and amount, unless marked deliberate with a reason', () => {
    const recorded = (facts: ClaimFacts): ListedClaim => ({ claimId: 'cl-earlier', ...claimKeyOf(facts) });
    const repeated = contextOf(minh, [minhCard], [], [recorded(congressCheck)]);
    claims(repeated).given([]).when(request(congressCheck)).thenThrows({ rule: 'DuplicateClaim', field: 'serviceDate' });
    claims(repeated)
      .given([])
      .when(request({ ...congressCheck, cost: 2400000 }))
      .then([requested({ ...congressCheck, cost: 2400000 })]);
    claims(repeated)
      .given([])
      .when(request({ ...congressCheck, serviceDate: '2025-09-16' }))
      .then([requested({ ...congressCheck, serviceDate: '2025-09-16' })]);
    const meant = { ...congressCheck, deliberateReason: 'a second check ordered by the council' };
    claims(repeated)
      .given([])
      .when(request(meant))
      .then([requested(meant)]);
    claims(repeated)
      .given([])
      .when(request({ ...congressCheck, deliberateReason: '' }))
      .thenThrows({ rule: 'InvalidInput', field: 'deliberateReason' });
    // A fixed-rate regime asks no amount: the same regime on the same day is the repeat.
    claims(contextOf(minh, [minhCard], [], [recorded(healthCheck)]))
      .given([])
      .when(request(healthCheck))
      .thenThrows({ rule: 'DuplicateClaim' });
    // A retried request finds itself listed, which is no repeat.
    claims(contextOf(minh, [minhCard], [], [{ ...recorded(congressCheck), claimId: congressCheck.claimId }]))
      .given([])
      .when(request(congressCheck))
      .then([requested(congressCheck)]);
  });

  it('names the field of a malformed request', () => {
    const spec = claims(forMinh());
    spec
      .given([])
      .when(request({ ...seriousIllness, claimId: ' ' }))
      .thenThrows({ rule: 'InvalidInput', field: 'claimId' });
    spec
      .given([])
      .when(request({ ...seriousIllness, requestedBy: '' }))
      .thenThrows({ rule: 'InvalidInput', field: 'requestedBy' });
    spec
      .given([])
      .when(request({ ...seriousIllness, serviceDate: '2025-02-30' }))
      .thenThrows({ rule: 'InvalidInput', field: 'serviceDate' });
    spec
      .given([])
      .when(request({ ...seriousIllness, beneficiaryId: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'beneficiaryId' });
    spec
      .given([])
      .when(request({ ...seriousIllness, cardNumber: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'cardNumber' });
    spec
      .given([])
      .when(request({ ...convalescence, until: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'until' });
    spec
      .given([])
      .when(request({ ...convalescence, until: '2025-05-04' }))
      .thenThrows({ rule: 'InvalidInput', field: 'until', message: 'until 2025-05-04 is before 2025-05-05' });
    claims({ ...forMinh(), today: '2099-12-31' })
      .given([])
      .when(request({ ...convalescence, until: '2026-12-31' }))
      .thenThrows({ rule: 'InvalidInput', field: 'until', message: 'a stay of 606 days is longer than 366: record it in parts' });
    spec
      .given([])
      .when(request({ ...convalescence, until: '9999-12-31' }))
      .thenThrows({ rule: 'InvalidInput', field: 'until' });
    spec
      .given([])
      .when(request({ ...hospitalFees, outOfPocket: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'outOfPocket' });
    spec
      .given([])
      .when(request({ ...congressCheck, cost: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'cost', message: 'cost is required for this regime' });
    spec
      .given([])
      .when(request({ ...congressCheck, cost: 1500.5 }))
      .thenThrows({ rule: 'InvalidInput', field: 'cost' });
    spec
      .given([])
      .when(request({ ...congressCheck, cost: -1 }))
      .thenThrows({ rule: 'InvalidInput', field: 'cost' });
  });

  it('requires a special-drug claim to cite the council decision and list items whose costs make up the cost', () => {
    const spec = claims(forMinh());
    spec
      .given([])
      .when(request({ ...specialDrugs, councilDecisionNumber: ' ' }))
      .thenThrows({ rule: 'InvalidInput', field: 'councilDecisionNumber' });
    spec
      .given([])
      .when(request({ ...specialDrugs, items: [] }))
      .thenThrows({ rule: 'InvalidInput', field: 'items' });
    spec
      .given([])
      .when(request({ ...specialDrugs, items: [{ name: '', quantity: 1, cost: 12000000 }] }))
      .thenThrows({ rule: 'InvalidInput', field: 'items.0.name' });
    spec
      .given([])
      .when(request({ ...specialDrugs, items: [specialDrugs.items![0], { name: 'Vitamin', quantity: 0, cost: 3000000 }] }))
      .thenThrows({ rule: 'InvalidInput', field: 'items.1.quantity' });
    spec
      .given([])
      .when(request({ ...specialDrugs, items: [specialDrugs.items![0], { name: 'Vitamin', quantity: 1, cost: -3000000 }] }))
      .thenThrows({ rule: 'InvalidInput', field: 'items.1.cost' });
    spec
      .given([])
      .when(request({ ...specialDrugs, cost: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'cost' });
    spec
      .given([])
      .when(request({ ...specialDrugs, cost: 12500000 }))
      .thenThrows({ rule: 'InvalidInput', field: 'cost', message: 'cost 12500000 must equal the sum of the items, 12000000' });
  });

  it('refuses a fact the regime’s rule does not use, naming it, so that nothing unchecked is recorded', () => {
    const spec = claims(forMinh());
    spec
      .given([])
      .when(request({ ...seriousIllness, until: '2025-02-28' }))
      .thenThrows({ rule: 'InvalidInput', field: 'until', message: 'regime e (fixed-per-event) does not take until' });
    spec
      .given([])
      .when(request({ ...congressCheck, outOfPocket: 1e308 }))
      .thenThrows({ rule: 'InvalidInput', field: 'outOfPocket' });
    spec
      .given([])
      .when(request({ ...hospitalFees, items: specialDrugs.items }))
      .thenThrows({ rule: 'InvalidInput', field: 'items' });
    spec
      .given([])
      .when(request({ ...healthCheck, quantity: 2 }))
      .thenThrows({ rule: 'InvalidInput', field: 'quantity' });
    claims(forStaff)
      .given([])
      .when(request({ ...staffAllowance, cost: 100 }))
      .thenThrows({ rule: 'InvalidInput', field: 'cost' });
  });

  it('requires a staff allowance to name a covered role and a positive number of months', () => {
    const spec = claims(forStaff);
    spec
      .given([])
      .when(request({ ...staffAllowance, staff: undefined }))
      .thenThrows({ rule: 'InvalidInput', field: 'staff' });
    spec
      .given([])
      .when(request({ ...staffAllowance, staff: { name: ' ', role: 'committee-member' } }))
      .thenThrows({ rule: 'InvalidInput', field: 'staff.name' });
    spec
      .given([])
      .when(request({ ...staffAllowance, quantity: 0 }))
      .thenThrows({ rule: 'InvalidInput', field: 'quantity' });
    spec
      .given([])
      .when(request({ ...staffAllowance, quantity: 1.5 }))
      .thenThrows({ rule: 'InvalidInput', field: 'quantity' });
    // A quantity whose amount no longer fits a whole number of VND is refused when asked, not at approval.
    spec
      .given([])
      .when(request({ ...staffAllowance, quantity: 10 ** 15 }))
      .thenThrows({ rule: 'InvalidInput', field: 'quantity', message: 'quantity must be a positive whole number of months, at most 366' });
    // A doctor is paid per check session (k.check-session), not monthly.
    spec
      .given([])
      .when(request({ ...staffAllowance, staff: { name: 'BS. Vi Văn Tú', role: 'doctor' } }))
      .thenThrows({ rule: 'RoleNotCovered', field: 'staff.role' });
  });
});

describe('approving a claim', () => {
  const VERSION = resolution24.id;

  it('pays each rule kind its exact amount under the catalog, citing the rate, ceiling or cap', () => {
    claims(forMinh())
      .given([requested(seriousIllness)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 20000000, policyVersionId: VERSION, clause: clause('e'), basis: 20000000, group: 4 })]);
    // 9 days, first and last included, at 470,000.
    claims(forMinh())
      .given([requested(convalescence)])
      .when(approve())
      .then([
        approvedBy('head-1', {
          amount: 4230000,
          policyVersionId: VERSION,
          clause: clause('c'),
          basis: 470000,
          group: 4,
          segments: [{ from: '2025-05-05', to: '2025-05-13', days: 9, group: 4, rate: 470000, amount: 4230000, policyVersionId: VERSION, clause: clause('c') }],
        }),
      ]);
    // Half of 3,000,001 rounded down to whole VND; the basis is the share in basis points.
    claims(forMinh())
      .given([requested(hospitalFees)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 1500000, policyVersionId: VERSION, clause: clause('d'), basis: 5000, group: 4 })]);
    claims(contextOf(hung, [hungCard]))
      .given([requested(homeConvalescence)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 2300000, policyVersionId: VERSION, clause: clause('đ'), basis: 2300000, group: 2, limit: { timesPerYear: 1 } })]);
    claims(forMinh())
      .given([requested(healthCheck)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 2000000, policyVersionId: VERSION, clause: clause('h'), basis: 2000000, group: 4, limit: { timesPerYear: 1 } })]);
    // Cost 2,500,000 above group 4's ceiling of 2,100,000 per claim.
    claims(forMinh())
      .given([requested(congressCheck)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 2100000, policyVersionId: VERSION, clause: clause('i'), basis: 2100000, group: 4 })]);
    claims(forMinh())
      .given([requested(specialDrugs)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 12000000, policyVersionId: VERSION, clause: clause('g'), basis: CAP_G4, group: 4, limit: { cap: CAP_G4 } })]);
    // Three months as a committee member at 500,000 a month.
    claims(forStaff)
      .given([requested(staffAllowance)])
      .when(approve())
      .then([approvedBy('head-1', { amount: 1500000, policyVersionId: VERSION, clause: clause('k'), basis: 500000 })]);
  });

  it('refuses a decision by the clerk who requested the claim (maker–checker)', () => {
    const spec = claims(forMinh()).given([requested(specialDrugs)]);
    spec.when(approve('clerk-1')).thenThrows({ rule: 'ApprovingOwnRequest' });
    spec.when({ type: 'PartlyApproveClaim', data: { by: 'clerk-1' } }).thenThrows({ rule: 'ApprovingOwnRequest' });
    spec.when({ type: 'ProposeOverCapApproval', data: { by: 'clerk-1', reason: 'chronic' } }).thenThrows({ rule: 'ApprovingOwnRequest' });
    spec.when({ type: 'RejectClaim', data: { by: 'clerk-1', reason: 'duplicate' } }).thenThrows({ rule: 'ApprovingOwnRequest' });
    claims(forMinh())
      .given([requested(specialDrugs), { type: 'OverCapApprovalProposed', data: { by: 'head-1', reason: 'chronic' } }])
      .when({ type: 'ConfirmOverCapApproval', data: { by: 'clerk-1' } })
      .thenThrows({ rule: 'ApprovingOwnRequest' });
    spec.when(approve(' ')).thenThrows({ rule: 'InvalidInput', field: 'by' });
  });

  it('rejects with a reason, once', () => {
    const rejected: ClaimEvent = { type: 'ClaimRejected', data: { by: 'head-1', reason: 'the council decision does not cover this drug' } };
    claims(forMinh())
      .given([requested(specialDrugs)])
      .when({ type: 'RejectClaim', data: rejected.data })
      .then([rejected]);
    claims(forMinh())
      .given([requested(specialDrugs)])
      .when({ type: 'RejectClaim', data: { by: 'head-1', reason: ' ' } })
      .thenThrows({ rule: 'InvalidInput', field: 'reason' });
    claims(forMinh())
      .given([requested(specialDrugs), rejected])
      .when(approve())
      .thenThrows({ rule: 'AlreadyDecided', message: 'claim cl-g is already rejected' });
  });

  it('decides a claim once, and only a claim that was requested', () => {
    const approved = approvedBy('head-1', { amount: 20000000, policyVersionId: resolution24.id, clause: clause('e'), basis: 20000000, group: 4 });
    claims(forMinh())
      .given([requested(seriousIllness), approved])
      .when(approve('head-2'))
      .thenThrows({ rule: 'AlreadyDecided', message: 'claim cl-e is already approved' });
    claims(forMinh())
      .given([requested(seriousIllness), approved])
      .when({ type: 'RejectClaim', data: { by: 'head-2', reason: 'x' } })
      .thenThrows({ rule: 'AlreadyDecided' });
    claims(forMinh()).given([]).when(approve()).thenThrows({ rule: 'NoSuchClaim' });
    claims(forMinh())
      .given([])
      .when({ type: 'RejectClaim', data: { by: 'head-1', reason: 'x' } })
      .thenThrows({ rule: 'NoSuchClaim' });
  });

  it('checks eligibility again at approval, against what is known by then', () => {
    const revokedBeforeService = contextOf(minh, [minhCard, { type: 'CardRevoked', data: { reason: 'issued in error', on: '2025-01-01' } }]);
    claims(revokedBeforeService)
      .given([requested(seriousIllness)])
      .when(approve())
      .thenThrows({ rule: 'CardNotValidOnServiceDate', field: 'cardNumber' });
  });

  it('refuses to approve a claim worth nothing', () => {
    const nothingPaid = { ...hospitalFees, outOfPocket: 0 };
    claims(forMinh())
      .given([requested(nothingPaid)])
      .when(approve())
      .thenThrows({ rule: 'NothingOwed' });
  });

  it('refuses a use beyond the yearly number of times, counting every reservation not released', () => {
    const usedOnce: AnnualCapLedger.AnnualCapEvent = { type: 'CapReserved', data: { requestId: 'cl-h-earlier', amount: 2000000, overCap: 0 } };
    claims(forMinh([usedOnce]))
      .given([requested(healthCheck)])
      .when(approve())
      .thenThrows({ rule: 'YearlyLimitReached', field: 'serviceDate' });
    claims(forMinh([usedOnce]))
      .given([])
      .when(request(healthCheck))
      .thenThrows({ rule: 'YearlyLimitReached', field: 'serviceDate' });
    const released: AnnualCapLedger.AnnualCapEvent = { type: 'CapReleased', data: { requestId: 'cl-h-earlier', amount: 2000000 } };
    claims(forMinh([usedOnce, released]))
      .given([requested(healthCheck)])
      .when(approve())
      .then([
        approvedBy('head-1', { amount: 2000000, policyVersionId: resolution24.id, clause: clause('h'), basis: 2000000, group: 4, limit: { timesPerYear: 1 } }),
      ]);
  });
});

describe('the annual cap of special drugs (regime g)', () => {
  // Group 4's cap is 30,000,000 a year; 25,000,000 is already used, so 5,000,000 is left of it.
  const mostlyUsed = forMinh([reservedOfCap('cl-g-earlier', 25000000)]);
  const capData = { policyVersionId: resolution24.id, clause: clause('g'), basis: CAP_G4, group: 4 as const, limit: { cap: CAP_G4 } };
  const proposed: ClaimEvent = { type: 'OverCapApprovalProposed', data: { by: 'head-1', reason: 'chronic patient, treatment must not be interrupted' } };

  it('refuses a plain approval beyond what is left of the cap', () => {
    claims(mostlyUsed)
      .given([requested(specialDrugs)])
      .when(approve())
      .thenThrows({ rule: 'AnnualCapExceeded', message: expect.stringContaining('12000000 VND exceeds the 5000000 VND left of the annual cap') });
  });

  it('approves in part exactly what is left of the cap, marked partial', () => {
    claims(mostlyUsed)
      .given([requested(specialDrugs)])
      .when({ type: 'PartlyApproveClaim', data: { by: 'head-1' } })
      .then([{ type: 'ClaimApproved', data: { ...capData, amount: 5000000, approvedBy: ['head-1'], partial: true, overCap: 0 } }]);
  });

  it('has nothing to approve in part once the cap is used up', () => {
    claims(forMinh([reservedOfCap('cl-g-earlier', CAP_G4)]))
      .given([requested(specialDrugs)])
      .when({ type: 'PartlyApproveClaim', data: { by: 'head-1' } })
      .thenThrows({ rule: 'AnnualCapExhausted' });
  });

  it('grants the whole amount over the cap on a proposal with a reason and a second approver', () => {
    claims(mostlyUsed)
      .given([requested(specialDrugs)])
      .when({ type: 'ProposeOverCapApproval', data: proposed.data })
      .then([proposed]);
    claims(mostlyUsed)
      .given([requested(specialDrugs), proposed])
      .when({ type: 'ConfirmOverCapApproval', data: { by: 'head-2' } })
      .then([
        {
          type: 'ClaimApproved',
          data: {
            ...capData,
            amount: 12000000,
            approvedBy: ['head-1', 'head-2'],
            partial: false,
            overCap: 7000000,
            overCapReason: 'chronic patient, treatment must not be interrupted',
          },
        },
      ]);
  });

  it('needs a reason to propose, and someone other than the proposer to confirm', () => {
    claims(mostlyUsed)
      .given([requested(specialDrugs)])
      .when({ type: 'ProposeOverCapApproval', data: { by: 'head-1', reason: '' } })
      .thenThrows({ rule: 'InvalidInput', field: 'reason' });
    claims(mostlyUsed)
      .given([requested(specialDrugs), proposed])
      .when({ type: 'ConfirmOverCapApproval', data: { by: 'head-1' } })
      .thenThrows({ rule: 'SecondApproverRequired' });
    claims(mostlyUsed)
      .given([requested(specialDrugs)])
      .when({ type: 'ConfirmOverCapApproval', data: { by: 'head-2' } })
      .thenThrows({ rule: 'NoOverCapProposal' });
  });

  it('refuses an exception a claim within the cap does not need', () => {
    claims(forMinh())
      .given([requested(specialDrugs)])
      .when({ type: 'ProposeOverCapApproval', data: proposed.data })
      .thenThrows({ rule: 'WithinAnnualCap' });
    // Exactly the remainder still fits.
    claims(forMinh([reservedOfCap('cl-g-earlier', 18000000)]))
      .given([requested(specialDrugs)])
      .when({ type: 'ProposeOverCapApproval', data: proposed.data })
      .thenThrows({ rule: 'WithinAnnualCap' });
  });

  it('has no cap to approve up to, or over, under a regime without one', () => {
    claims(forMinh())
      .given([requested(seriousIllness)])
      .when({ type: 'PartlyApproveClaim', data: { by: 'head-1' } })
      .thenThrows({ rule: 'NotCappedRegime' });
    claims(forMinh())
      .given([requested(seriousIllness)])
      .when({ type: 'ProposeOverCapApproval', data: proposed.data })
      .thenThrows({ rule: 'NotCappedRegime' });
  });
});

describe('recomputing an approved claim after a retroactive change', () => {
  // A group-4 health check (h.fixed: 2,000,000 for group 4, 3,000,000 for group 3, nothing for group 5).
  const check: ClaimFacts = { claimId: 'cl-h', regimeId: 'h.fixed', serviceDate: '2025-08-15', ...byMinh };
  const requested: ClaimEvent = { type: 'ClaimRequested', data: check };
  const approvedCheck = decide({ type: 'ApproveClaim', data: { by: 'head-1' } }, evolve(initialClaim, requested), forMinh());
  const history = [requested, ...approvedCheck];
  const cause = { kind: 'reorganization-plan', id: 'two-tier-2025' } as const;
  const reclassifiedTo = (group: 3 | 5) => ({
    ...forMinh(),
    beneficiary: Beneficiaries.evolve(minh, {
      type: 'BeneficiaryReclassified',
      data: { group, from: '2025-07-01', reason: 'plan', decisionNumber: '759/QĐ-TTg' },
    }),
  });
  const recompute = (context: ClaimContext, by = 'admin-1') => claims(context).given(history).when({ type: 'RecomputeEntitlements', data: { cause, by } });

  it('tops up a claim whose group now earns more, and recovers one whose group earns nothing, without checking the card again', () => {
    recompute({ ...reclassifiedTo(3), card: Cards.initialCard }).then([
      {
        type: 'AdjustmentEntitled',
        data: {
          adjustmentId: 'cl-h-1',
          regimeId: 'h.fixed',
          cause,
          corrects: { claimId: 'cl-h', regimeId: 'h.fixed', payoutId: 'claim-cl-h' },
          serviceDate: '2025-08-15',
          previous: { amount: 2000000, group: 4, policyVersionId: resolution24.id },
          next: { amount: 3000000, group: 3, policyVersionId: resolution24.id, clause: clause('h'), basis: 3000000 },
          difference: 1000000,
          recordedBy: 'admin-1',
        },
      },
    ]);
    const [recovery] = decide({ type: 'RecomputeEntitlements', data: { cause, by: 'admin-1' } }, history.reduce(evolve, initialClaim), reclassifiedTo(5));
    expect(recovery).toMatchObject({
      type: 'AdjustmentEntitled',
      data: { previous: { amount: 2000000, group: 4 }, next: { amount: 0 }, difference: -2000000 },
    });
    // Recomputing again after the recovery records nothing.
    claims(reclassifiedTo(5))
      .given([...history, recovery])
      .when({ type: 'RecomputeEntitlements', data: { cause, by: 'admin-1' } })
      .then([]);
  });

  // A claim against the annual cap is never adjusted here: see lowered-cap.spec.ts.
  it('records nothing when nothing changed, or for a claim not approved', () => {
    recompute(forMinh()).then([]);
    claims(reclassifiedTo(5))
      .given([requested])
      .when({ type: 'RecomputeEntitlements', data: { cause, by: 'admin-1' } })
      .then([]);
  });

  it('approves the adjustments by someone other than who recorded them, once', () => {
    const adjusted = [
      ...history,
      ...decide({ type: 'RecomputeEntitlements', data: { cause, by: 'admin-1' } }, history.reduce(evolve, initialClaim), reclassifiedTo(5)),
    ];
    claims(forMinh())
      .given(adjusted)
      .when({ type: 'ApproveAdjustments', data: { by: 'admin-1' } })
      .thenThrows({ rule: 'ApprovingOwnRequest' });
    const approval: ClaimEvent = { type: 'AdjustmentsApproved', data: { adjustmentIds: ['cl-h-1'], by: 'head-2' } };
    claims(forMinh())
      .given(adjusted)
      .when({ type: 'ApproveAdjustments', data: { by: 'head-2' } })
      .then([approval]);
    claims(forMinh())
      .given([...adjusted, approval])
      .when({ type: 'ApproveAdjustments', data: { by: 'head-2' } })
      .thenThrows({ rule: 'NoAdjustmentPending' });
  });
});
