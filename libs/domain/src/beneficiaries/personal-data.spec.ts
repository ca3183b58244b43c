import { personalPart, withPersonal } from './personal-data.js';

describe('personal data of events', () => {
  const data = { beneficiaryId: 'b-1', fullName: 'Hoàng Văn Thụ', dateOfBirth: '1968-05-04', nationalId: '020068001234', title: 't', group: 3 };

  it('splits an enrolment into its personal fields, whose they are, and the rest', () => {
    expect(personalPart('BeneficiaryEnrolled', data)).toEqual({
      subject: 'b-1',
      personal: { fullName: 'Hoàng Văn Thụ', dateOfBirth: '1968-05-04', nationalId: '020068001234' },
      rest: { beneficiaryId: 'b-1', title: 't', group: 3 },
    });
    expect(personalPart('NationalIdReserved', { nationalId: '020068001234', beneficiaryId: 'b-1' })).toEqual({
      subject: 'b-1',
      personal: { nationalId: '020068001234' },
      rest: { beneficiaryId: 'b-1' },
    });
    expect(personalPart('BeneficiaryRetired', { on: '2025-01-01' })).toBeUndefined();
  });

  it('joins them back, or reads every personal field as null once the person was erased', () => {
    const { rest, personal } = personalPart('BeneficiaryEnrolled', data)!;
    expect(withPersonal('BeneficiaryEnrolled', rest, personal)).toEqual(data);
    expect(withPersonal('BeneficiaryEnrolled', rest, undefined)).toEqual({ ...data, fullName: null, dateOfBirth: null, nationalId: null });
  });

  it("seals a resident's registration under the resident's own key, as a beneficiary's enrolment", () => {
    const registration = {
      residentId: 'r-1',
      fullName: 'Ka Hiền',
      dateOfBirth: '1980-05-10',
      nationalId: '068180000001',
      residenceUnit: 'Xã Đam Rông 1',
      from: '2025-07-01',
    };
    expect(personalPart('ResidentRegistered', registration)).toEqual({
      subject: 'r-1',
      personal: { fullName: 'Ka Hiền', dateOfBirth: '1980-05-10', nationalId: '068180000001' },
      rest: { residentId: 'r-1', residenceUnit: 'Xã Đam Rông 1', from: '2025-07-01' },
    });
    expect(personalPart('HealthCheckRecorded', { residentId: 'r-1', checkId: 'c-1' })).toBeUndefined();
  });
});
