import { API_BACKENDS, caughtUp, type client, drugs, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

type People = Record<'admin' | 'secondAdmin' | 'clerk' | 'prescriber' | 'council' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;

const PEOPLE = {
  secondAdmin: ['quan', ['administrator']],
  clerk: ['lan', ['clerk']],
  prescriber: ['duc', ['council-member']],
  council: ['nga', ['council-member']],
  approver: ['hoa', ['approver']],
  finance: ['thu', ['finance']],
  auditor: ['kiem', ['auditor']],
} as const;

/** District secretaries (group 3: special drugs up to 40,000,000 a year) become commune secretaries in group 4 (30,000,000) from 2025-07-01. */
const lowering = {
  planId: 'two-tier-2025-07',
  title: 'Chính quyền địa phương hai cấp',
  decisionNumber: '759/QĐ-TTg',
  effectiveFrom: '2025-07-01',
  titles: [{ title: 'Bí thư Huyện ủy', becomes: { title: 'Bí thư Đảng ủy xã', group: 4 } }],
  units: {},
};
/** District chairs (group 4: 30,000,000) move up to group 3 (40,000,000) from the same date. */
const raising = { ...lowering, planId: 'chairs-2025-07', titles: [{ title: 'Chủ tịch UBND huyện', becomes: { title: 'Chủ tịch UBND xã', group: 3 } }] };

describe.each(API_BACKENDS)('special-drug claims over a lowered annual cap, decided by the council, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: People;
  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, PEOPLE);
  }, 60_000);
  afterAll(() => api.close());

  /** An official with a card and one special-drug claim prescribed by the council, approved and paid. */
  const paidDrugClaim = async (key: string, nationalId: string, title: string, group: number, cost: number, serviceDate: string) => {
    const cardNumber = `LS-${key}`;
    const { beneficiaryId } = await ok(
      as.clerk.post('/beneficiaries', {
        fullName: key,
        dateOfBirth: `19${nationalId.slice(4, 6)}-05-12`,
        nationalId,
        title,
        administrativeUnit: 'Huyện Cao Lộc',
        group,
        from: '2025-01-01',
      }),
      201,
    );
    await ok(as.clerk.post('/cards', { cardNumber, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    const { claimId } = await ok(as.prescriber.post('/drug-reimbursements', drugs(cost, serviceDate, cardNumber, beneficiaryId)), 201);
    await ok(as.approver.post(`/claims/${claimId}/approval`));
    await ok(as.finance.post(`/payouts/claim-${claimId}/payment`, { reference: `UNC-${key}`, paidOn: '2025-09-30' }));
    return claimId as string;
  };
  const pending = async () => (await ok(as.auditor.get('/council/flags?status=pending'))).flags;

  it('flags the claims a plan leaves over the lowered cap and recovers nothing; the council keeps one and reduces another, which an approver approves; a raised cap flags nothing', async () => {
    const an = await paidDrugClaim('AN', '020068000101', 'Bí thư Huyện ủy', 3, 36_000_000, '2025-08-05');
    const binh = await paidDrugClaim('BINH', '020070000202', 'Bí thư Huyện ủy', 3, 34_000_000, '2025-08-12');
    const cuong = await paidDrugClaim('CUONG', '020072000303', 'Chủ tịch UBND huyện', 4, 28_000_000, '2025-08-20');
    await caughtUp(api);

    // The preview lists what the plan would flag: what each claim stands at, the caps, and what lies beyond the new one.
    await ok(as.admin.post('/reorganizations', lowering), 201);
    const preview = await ok(as.admin.get(`/reorganizations/${lowering.planId}/preview`));
    const flagged = [
      [an, 36_000_000, { previous: 40_000_000, next: 30_000_000 }, 6_000_000],
      [binh, 34_000_000, { previous: 40_000_000, next: 30_000_000 }, 4_000_000],
    ];
    const byService = (a: { serviceDate: string }, b: { serviceDate: string }) => a.serviceDate.localeCompare(b.serviceDate);
    expect(preview.capFlags.sort(byService).map((f: any) => [f.claimId, f.amount, f.cap, f.excess])).toEqual(flagged);
    expect(preview.claimChanges).toEqual([]);

    // Confirmed: the claims are flagged for the council, and nothing is recovered.
    expect(await ok(as.secondAdmin.post(`/reorganizations/${lowering.planId}/confirmation`))).toMatchObject({
      beneficiaries: 2,
      claimsExamined: 2,
      adjustments: 0,
    });
    await caughtUp(api);
    expect((await pending()).map((f: any) => [f.claimId, f.amount, f.cap, f.excess, f.cause, f.flaggedBy])).toEqual(
      flagged.map((f) => [...f, { kind: 'reorganization-plan', id: lowering.planId }, 'quan']),
    );
    for (const claimId of [an, binh]) {
      const claim = await ok(as.auditor.get(`/claims/${claimId}`));
      expect(claim.state.adjustments ?? []).toEqual([]);
      expect(claim.history.map((entry: any) => entry.type)).toEqual(['ClaimRequested', 'ClaimApproved', 'ClaimOverLoweredCapFlagged']);
    }
    const [anFlag, binhFlag] = (await pending()).map((f: any) => f.flagId);

    // Refused, nothing appended: not a council member, the member who requested the claims, an unknown flag, no reason.
    const keepAn = (who: ReturnType<typeof client>, body: unknown = { reason: 'Quyền đã hưởng theo phân loại cũ' }, flagId = anFlag) =>
      who.post(`/claims/${an}/cap-flags/${flagId}/keeping`, body);
    await leavesLogUnchanged(api, keepAn(as.approver), 403);
    await leavesLogUnchanged(api, keepAn(as.prescriber), 409, { rule: 'ApprovingOwnRequest' });
    await leavesLogUnchanged(api, keepAn(as.council, undefined, `${an}-cap-9`), 404, { rule: 'NoSuchFlag', fields: [{ field: 'flagId' }] });
    await leavesLogUnchanged(api, keepAn(as.council, { reason: ' ' }), 400, { fields: [{ field: 'reason' }] });

    // The council keeps An's claim (a right acquired under the old classification) and reduces Bình's to the new cap.
    await ok(keepAn(as.council));
    await leavesLogUnchanged(api, as.council.post(`/claims/${an}/cap-flags/${anFlag}/reduction`, { reason: 'x' }), 409, {
      rule: 'FlagAlreadyDecided',
      fields: [{ field: 'flagId' }],
    });
    const reduced = await ok(as.council.post(`/claims/${binh}/cap-flags/${binhFlag}/reduction`, { reason: 'Phân loại mới áp dụng từ 01/7/2025' }));
    expect(reduced.adjustments).toMatchObject([
      {
        difference: -4_000_000,
        cause: { kind: 'reorganization-plan', id: lowering.planId },
        next: { amount: 30_000_000, basis: 30_000_000 },
        recordedBy: 'nga',
      },
    ]);

    // The reduction is an adjustment like any other: an approver approves it, which schedules the recovery.
    const approved = await ok(as.approver.post(`/claims/${binh}/adjustments/approval`));
    const adjustmentId = approved.adjustments[0].adjustmentId;
    expect((await ok(as.auditor.get(`/payouts/adjustment-${adjustmentId}`))).state).toMatchObject({
      status: 'owed',
      receivable: { owed: 4_000_000 },
      scheduled: { amount: -4_000_000, source: { kind: 'adjustment', id: adjustmentId } },
    });
    expect((await as.auditor.get(`/payouts/adjustment-${an}-1`)).status).toBe(404);
    await caughtUp(api);
    expect((await ok(as.auditor.get('/council/flags'))).flags.map((f: any) => [f.claimId, f.status, f.decidedBy, f.adjustmentId])).toEqual([
      [an, 'kept', 'nga', null],
      [binh, 'reduced', 'nga', adjustmentId],
    ]);

    // Raising the cap of Cường's group flags nothing, in the preview or once confirmed.
    await ok(as.admin.post('/reorganizations', raising), 201);
    expect((await ok(as.admin.get(`/reorganizations/${raising.planId}/preview`))).capFlags).toEqual([]);
    expect(await ok(as.secondAdmin.post(`/reorganizations/${raising.planId}/confirmation`))).toMatchObject({
      beneficiaries: 1,
      claimsExamined: 1,
      adjustments: 0,
    });
    await caughtUp(api);
    expect(await pending()).toEqual([]);
    expect((await ok(as.auditor.get(`/claims/${cuong}`))).history.map((entry: any) => entry.type)).toEqual(['ClaimRequested', 'ClaimApproved']);
  }, 60_000);
});
