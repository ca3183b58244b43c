import { deciderSpec } from '../testing/decider.fixture.js';
import { type BeneficiaryEvent, decide, evolve, groupOn, initialBeneficiary } from './beneficiary.js';
import { nationalIdProblem } from './national-id.js';

const spec = deciderSpec({ decide, evolve, initialState: initialBeneficiary });

const enrolment = {
  beneficiaryId: 'b-001',
  fullName: 'Hoàng Văn Thụ',
  dateOfBirth: '1968-05-04',
  nationalId: '020068001234',
  title: 'Bí thư Huyện ủy Cao Lộc',
  administrativeUnit: 'cao-loc',
  group: 3 as const,
  from: '2025-01-01',
};
const enrolled: BeneficiaryEvent = { type: 'BeneficiaryEnrolled', data: enrolment };
const reclassification = { group: 4 as const, from: '2025-07-01', reason: 'district level abolished', decisionNumber: '759/QĐ-TTg' };

describe('beneficiary decisions', () => {
  it('erases the personal data of a person once, with a reason, whether on the register or removed from it', () => {
    const removed: BeneficiaryEvent = { type: 'BeneficiaryRemovedFromRegister', data: { on: '2025-09-01', reason: 'moved away' } };
    const erased: BeneficiaryEvent = { type: 'PersonalDataErased', data: { reason: 'request under Decree 13' } };
    spec
      .given([enrolled, removed])
      .when({ type: 'ErasePersonalData', data: { reason: 'request under Decree 13' } })
      .then([erased]);
    spec
      .given([enrolled, erased])
      .when({ type: 'ErasePersonalData', data: { reason: 'again' } })
      .thenThrows({ rule: 'AlreadyErased' });
    spec
      .given([enrolled])
      .when({ type: 'ErasePersonalData', data: { reason: ' ' } })
      .thenThrows({ rule: 'InvalidInput', field: 'reason' });
    spec
      .given([])
      .when({ type: 'ErasePersonalData', data: { reason: 'x' } })
      .thenThrows({ rule: 'NotEnrolled' });
  });

  it('enrols a new beneficiary', () => {
    spec.given([]).when({ type: 'EnrolBeneficiary', data: enrolment }).then([enrolled]);
  });

  it('refuses a second enrolment, and an invalid national id naming the field', () => {
    spec.given([enrolled]).when({ type: 'EnrolBeneficiary', data: enrolment }).thenThrows({ rule: 'AlreadyEnrolled' });
    spec
      .given([])
      .when({ type: 'EnrolBeneficiary', data: { ...enrolment, nationalId: '020099001234' } })
      .thenThrows({ rule: 'InvalidInput', field: 'nationalId', message: 'national id says born in 1999, the date of birth says 1968' });
    spec
      .given([])
      .when({ type: 'EnrolBeneficiary', data: { ...enrolment, group: 7 as never } })
      .thenThrows({ rule: 'InvalidInput', field: 'group' });
    spec
      .given([])
      .when({ type: 'EnrolBeneficiary', data: { ...enrolment, from: '2025-02-30' } })
      .thenThrows({ rule: 'InvalidInput', field: 'from' });
  });

  it('reclassifies from an effective date, and records nothing when the group is already held', () => {
    spec
      .given([enrolled])
      .when({ type: 'ReclassifyBeneficiary', data: reclassification })
      .then([{ type: 'BeneficiaryReclassified', data: reclassification }]);
    spec
      .given([enrolled])
      .when({ type: 'ReclassifyBeneficiary', data: { ...reclassification, group: 3 } })
      .then([]);
    spec
      .given([enrolled])
      .when({ type: 'ReclassifyBeneficiary', data: { ...reclassification, decisionNumber: ' ' } })
      .thenThrows({ field: 'decisionNumber' });
    spec
      .given([enrolled])
      .when({ type: 'ReclassifyBeneficiary', data: { ...reclassification, from: '2024-12-31' } })
      .thenThrows({ rule: 'BeforeEnrolment' });
  });

  it('refuses every command for someone not enrolled or removed from the register', () => {
    spec
      .given([])
      .when({ type: 'RecordRetirement', data: { on: '2025-09-01' } })
      .thenThrows({ rule: 'NotEnrolled' });
    const removed: BeneficiaryEvent = { type: 'BeneficiaryRemovedFromRegister', data: { on: '2025-10-01', reason: 'moved province' } };
    spec
      .given([enrolled, removed])
      .when({ type: 'ChangePosition', data: { title: 'x', administrativeUnit: 'y', from: '2025-11-01' } })
      .thenThrows({ rule: 'RemovedFromRegister' });
  });

  it('records a death once, and refuses a second, different date', () => {
    const died: BeneficiaryEvent = { type: 'BeneficiaryDied', data: { on: '2025-08-15' } };
    spec
      .given([enrolled])
      .when({ type: 'RecordDeath', data: { on: '2025-08-15' } })
      .then([died]);
    spec
      .given([enrolled, died])
      .when({ type: 'RecordDeath', data: { on: '2025-08-15' } })
      .then([]);
    spec
      .given([enrolled, died])
      .when({ type: 'RecordDeath', data: { on: '2025-08-16' } })
      .thenThrows({ rule: 'Deceased' });
  });
});

describe('the group held on a date', () => {
  it('answers from the stream, a reclassification taking effect on its date, even when recorded out of order', () => {
    const events: BeneficiaryEvent[] = [
      enrolled,
      { type: 'BeneficiaryReclassified', data: { ...reclassification, group: 5, from: '2025-09-08' } },
      { type: 'BeneficiaryReclassified', data: reclassification },
    ];
    const state = events.reduce(evolve, initialBeneficiary);
    expect(groupOn(state, '2024-12-31')).toBeUndefined();
    expect(groupOn(state, '2025-06-30')).toBe(3);
    expect(groupOn(state, '2025-07-01')).toBe(4);
    expect(groupOn(state, '2025-09-07')).toBe(4);
    expect(groupOn(state, '2025-09-08')).toBe(5);
  });
});

describe('national id', () => {
  it('accepts a well-formed number agreeing with the birth year, and names what is wrong otherwise', () => {
    expect(nationalIdProblem('020068001234', '1968-05-04')).toBeUndefined();
    expect(nationalIdProblem('020305001234', '2005-01-01')).toBeUndefined();
    expect(nationalIdProblem('02006800123', '1968-05-04')).toBe('national id must be 12 digits');
    expect(nationalIdProblem('097068001234', '1968-05-04')).toMatch(/no province code/);
    expect(nationalIdProblem('020168001234', '1968-05-04')).toBeUndefined();
    expect(nationalIdProblem('020268001234', '1968-05-04')).toBe('national id says born in 2068, the date of birth says 1968');
  });
});
