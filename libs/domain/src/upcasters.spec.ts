import { CURRENT_SCHEMA_VERSIONS, upcast } from './upcasters.js';

describe('upcasters', () => {
  it("lifts a version-1 discharge to today's schema, naming the clerk who wrote it as its recorder", () => {
    const stored = { type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02' }, metadata: { schemaVersion: 1, actor: 'clerk-7' } };
    expect(upcast(stored)).toEqual({ type: 'DischargeRecorded', data: { dischargedOn: '2025-07-02', recordedBy: 'clerk-7' } });
  });

  it('lifts a version-2 admission and a version-1 claim request as they were: the card used and a deliberate repeat were not asked then', () => {
    const stay = { admissionId: 'adm-1', beneficiaryId: 'b-1', facility: 'BVĐK', admittedOn: '2025-06-29', recordedBy: 'clerk-1' };
    expect(upcast({ type: 'AdmissionRecorded', data: stay, metadata: { schemaVersion: 2, actor: 'clerk-1' } })).toEqual({
      type: 'AdmissionRecorded',
      data: stay,
    });
    const claim = { claimId: 'cl-1', regimeId: 'e', serviceDate: '2025-02-14', requestedBy: 'clerk-1' };
    expect(upcast({ type: 'ClaimRequested', data: claim, metadata: { schemaVersion: 1, actor: 'clerk-1' } })).toEqual({ type: 'ClaimRequested', data: claim });
  });

  it('lifts a version-1 meal allowance as it was: without `byYear` its meals stay counted whole in the discharge year', () => {
    const meals = {
      amount: 950000,
      days: 5,
      segments: [{ from: '2025-12-29', to: '2026-01-02', days: 5, group: 3, rate: 190000, amount: 950000, policyVersionId: 'v', clause: 'b' }],
    };
    expect(upcast({ type: 'MealAllowanceEntitled', data: meals, metadata: { schemaVersion: 1, actor: 'clerk-1' } })).toEqual({
      type: 'MealAllowanceEntitled',
      data: meals,
    });
  });

  it("reads a version-1 enrolment, its personal fields in plain text, as today's (opened) schema", () => {
    const data = {
      beneficiaryId: 'b-1',
      fullName: 'Hoàng Văn Thụ',
      dateOfBirth: '1968-05-04',
      nationalId: '020068001234',
      title: 't',
      administrativeUnit: 'u',
      group: 3,
      from: '2025-01-01',
    };
    expect(upcast({ type: 'BeneficiaryEnrolled', data, metadata: { schemaVersion: 1, actor: 'clerk-1' } })).toEqual({ type: 'BeneficiaryEnrolled', data });
    expect(
      upcast({ type: 'NationalIdReserved', data: { nationalId: '020068001234', beneficiaryId: 'b-1' }, metadata: { schemaVersion: 1, actor: 'clerk-1' } }).data,
    ).toEqual({ nationalId: '020068001234', beneficiaryId: 'b-1' });
  });

  it('leaves events already in the current schema as they are', () => {
    const data = { dischargedOn: '2025-07-02', recordedBy: 'clerk-1' };
    expect(
      upcast({ type: 'DischargeRecorded', data, metadata: { schemaVersion: CURRENT_SCHEMA_VERSIONS.DischargeRecorded, actor: 'someone-else' } }).data,
    ).toBe(data);
    expect(upcast({ type: 'CardIssued', data, metadata: { schemaVersion: 1, actor: 'x' } }).data).toBe(data);
  });

  it('refuses an old version it has no upcaster for, rather than passing it on unread', () => {
    expect(() => upcast({ type: 'AdmissionRecorded', data: {}, metadata: { schemaVersion: 0, actor: 'x' } })).toThrow(
      'no upcaster for AdmissionRecorded from schema version 0',
    );
  });
});
