import { liveSchemaOf, ProjectionRunner, readModelChecksum } from '#projection-runner';
import { ALL_PROJECTIONS, consistencyCheck, createReportingViews, registerExport } from '#read-models';
import { replacementResolution, twoTierPlan } from '../../../test/support/retroactive-changes.js';
import {
  API_BACKENDS,
  caughtUp,
  client,
  leavesLogUnchanged as leavesLogUnchangedIn,
  ok,
  type Reply,
  type RunningApi,
  signInPeople,
  startApi,
} from './testing/api-backends.fixture.js';

const replacement = replacementResolution('lang-son/replacement-2025');
const plan = twoTierPlan('lang-son-2025-07');

type Line = { regimeCode: string; group: number; administrativeUnit: string; committed: number; paid: number };
/** Paid per group of one regime, over every unit. */
const paidByGroup = (lines: readonly Line[], regime: string) =>
  lines
    .filter((line) => line.regimeCode === regime)
    .reduce<Record<number, number>>((sums, line) => ({ ...sums, [line.group]: (sums[line.group] ?? 0) + line.paid }), {});
const regime = (balances: { regimeId: string }[], id: string) => balances.find((b) => b.regimeId === id);

describe.each(API_BACKENDS)('the 2025 Lạng Sơn timeline, replayed through the API over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'secondAdmin' | 'clerk' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;

  const leavesLogUnchanged = (request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}) =>
    leavesLogUnchangedIn(api, request, status, expected);

  const people: Record<string, string> = {};
  const stays: Record<string, string> = {};
  let healthCheck = '';

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      secondAdmin: ['quan', ['administrator']],
      clerk: ['lan', ['clerk']],
      approver: ['hoa', ['approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
    });
    // Three officials holding district titles, in groups 3, 4 and 5.
    const enrol = async (key: string, fullName: string, dateOfBirth: string, nationalId: string, title: string, administrativeUnit: string, group: number) => {
      people[key] = (
        await ok(as.clerk.post('/beneficiaries', { fullName, dateOfBirth, nationalId, title, administrativeUnit, group, from: '2025-01-01' }), 201)
      ).beneficiaryId;
    };
    await enrol('secretary', 'Hoàng Văn An', '1968-05-12', '020068000101', 'Bí thư Huyện ủy', 'Huyện Cao Lộc', 3);
    await enrol('chair', 'Lương Thị Bình', '1970-03-03', '020170000202', 'Chủ tịch UBND huyện', 'Huyện Lộc Bình', 4);
    await enrol('head', 'Nông Văn Cường', '1975-09-09', '020075000303', 'Trưởng phòng cấp huyện', 'Huyện Văn Quan', 5);
    // Each holds a card for the whole year.
    const cards: Record<string, string> = { secretary: 'LS-2025-SECRETARY', chair: 'LS-2025-CHAIR', head: 'LS-2025-HEAD' };
    for (const [who, cardNumber] of Object.entries(cards))
      await ok(as.clerk.post('/cards', { cardNumber, beneficiaryId: people[who], validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    // Stays before, across and after 2025-07-01, each approved and paid under Resolution 24 as it stood.
    const stay = async (key: string, who: string, admittedOn: string, dischargedOn: string) => {
      const { admissionId } = await ok(
        as.clerk.post('/admissions', { beneficiaryId: people[who], cardNumber: cards[who], facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn }),
        201,
      );
      stays[key] = admissionId;
      await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn }));
      await ok(as.approver.post(`/admissions/${admissionId}/approval`));
      for (const regimeId of ['a', 'b'])
        await ok(as.finance.post(`/payouts/admission-${admissionId}-${regimeId}/payment`, { reference: `UNC-${key}-${regimeId}`, paidOn: '2025-08-15' }));
    };
    await stay('secretaryBefore', 'secretary', '2025-06-10', '2025-06-12');
    await stay('secretaryAcross', 'secretary', '2025-06-29', '2025-07-02');
    await stay('secretaryAfter', 'secretary', '2025-07-10', '2025-07-12');
    await stay('chairAfter', 'chair', '2025-07-05', '2025-07-06');
    await stay('headAcross', 'head', '2025-06-30', '2025-07-01');
    await stay('headAfter', 'head', '2025-08-01', '2025-08-03');
    // The chair's periodic health check in August, group 4 (h.fixed: 2,000,000), paid.
    healthCheck = (
      await ok(as.clerk.post('/claims', { regimeId: 'h.fixed', beneficiaryId: people.chair, cardNumber: 'LS-2025-CHAIR', serviceDate: '2025-08-15' }), 201)
    ).claimId;
    await ok(as.approver.post(`/claims/${healthCheck}/approval`));
    await ok(as.finance.post(`/payouts/claim-${healthCheck}/payment`, { reference: 'UNC-check', paidOn: '2025-08-20' }));
  }, 120_000);
  afterAll(() => api.close());

  it('reclassifies by the plan, recomputes under the replacement resolution, and keeps what was shown before', async () => {
    await caughtUp(api);
    // What the office saw before any change: the position is the record-time mark of the comparison.
    const before = await ok(as.auditor.get('/budget/2025/as-of'));
    const knownBefore = new Date().toISOString();
    const reportBefore = await ok(as.auditor.get('/reports/year-end/2025'));
    expect(paidByGroup(before.lines, 'a')).toEqual({ 3: 2_100_000, 4: 700_000, 5: 1_200_000 });
    expect(paidByGroup(before.lines, 'b')).toEqual({ 3: 1_900_000, 4: 380_000, 5: 950_000 });

    // The district level is abolished on 2025-07-01 in the shipped registry; each district is carried by its seat commune.
    const units = await ok(as.auditor.get('/administrative-units'));
    expect(units.find((u: { code: string }) => u.code === 'Huyện Cao Lộc')).toMatchObject({
      level: 'district',
      ended: { on: '2025-07-01', how: 'abolished', successors: ['Xã Cao Lộc'] },
    });

    // The reorganization plan: drafted, previewed, confirmed by another administrator.
    await leavesLogUnchanged(as.clerk.post('/reorganizations', plan), 403);
    await leavesLogUnchanged(as.admin.post('/reorganizations', { ...plan, effectiveFrom: '2025-07-32' }), 400, {
      fields: [expect.objectContaining({ field: 'effectiveFrom' })],
    });
    await ok(as.admin.post('/reorganizations', plan), 201);
    const preview = await ok(as.admin.get(`/reorganizations/${plan.planId}/preview`));
    expect(preview.reclassified.map((r: any) => [r.fullName, r.before.group, r.after.group, r.after.title, r.after.administrativeUnit]).sort()).toEqual([
      ['Hoàng Văn An', 3, 3, 'Bí thư Đảng ủy xã', 'Xã Cao Lộc'],
      ['Lương Thị Bình', 4, 5, 'Chủ tịch UBND xã', 'Xã Lộc Bình'],
      ['Nông Văn Cường', 5, 6, 'Trưởng phòng cấp xã', 'Xã Văn Quan'],
    ]);
    const planChanges = preview.changes.map((c: any) => [c.admissionId, c.regimeId, c.previous.group, c.next.group, c.difference]);
    expect(planChanges).toEqual(
      expect.arrayContaining([
        // The chair's stay after 2025-07-01 counts in group 5: visit 600,000 instead of 700,000; meals the same, moved to group 5.
        [stays.chairAfter, 'a', 4, 5, -100_000],
        [stays.chairAfter, 'b', 4, 5, 0],
        // Group 6 has no visit allowance: recovered in full; meals the same, moved to group 6.
        [stays.headAfter, 'a', 5, 5, -600_000],
        [stays.headAfter, 'b', 5, 6, 0],
      ]),
    );
    expect(planChanges).toHaveLength(4);
    // Group 5 has no fixed health check: the chair's August check is recovered.
    expect(preview.claimChanges.map((c: any) => [c.claimId, c.regimeId, c.previous.group, c.previous.amount, c.next.amount, c.difference])).toEqual([
      [healthCheck, 'h.fixed', 4, 2_000_000, 0, -2_000_000],
    ]);
    expect(preview.totals.difference).toBe(-2_700_000);
    await leavesLogUnchanged(as.admin.post(`/reorganizations/${plan.planId}/confirmation`), 409, { rule: 'ApprovingOwnRequest' });
    expect(await ok(as.secondAdmin.post(`/reorganizations/${plan.planId}/confirmation`))).toMatchObject({
      beneficiaries: 3,
      claimsExamined: 1,
      adjustments: 5,
    });
    // Confirming twice changes nothing.
    await leavesLogUnchanged(as.secondAdmin.post(`/reorganizations/${plan.planId}/confirmation`), 200, { beneficiaries: 3, adjustments: 5 });
    expect(await ok(as.auditor.get(`/beneficiaries/${people.head}/group?on=2025-06-30`))).toEqual({ on: '2025-06-30', group: 5 });
    expect(await ok(as.auditor.get(`/beneficiaries/${people.head}/group?on=2025-07-01`))).toEqual({ on: '2025-07-01', group: 6 });
    // Preview and confirmation agree to the VND.
    const recorded = async (key: string) => (await ok(as.auditor.get(`/admissions/${stays[key]}`))).state.adjustments;
    expect((await recorded('chairAfter')).map((a: any) => [a.regimeId, a.difference, a.cause])).toEqual([
      ['a', -100_000, { kind: 'reorganization-plan', id: plan.planId }],
      ['b', 0, { kind: 'reorganization-plan', id: plan.planId }],
    ]);

    // The replacement resolution from 2025-07-01.
    await caughtUp(api);
    // A version with past effect is not published in one step: one administrator drafts it, another confirms it.
    await leavesLogUnchanged(as.admin.post('/policy-versions', replacement), 409, {
      rule: 'RetroactiveVersionNeedsDraft',
      fields: [expect.objectContaining({ field: 'effectiveFrom' })],
    });
    await leavesLogUnchanged(as.clerk.post('/policy-versions/drafts', replacement), 403);
    await leavesLogUnchanged(as.admin.post('/policy-versions/drafts', { ...replacement, effectiveFrom: 'soon' }), 400, {
      fields: [expect.objectContaining({ field: 'effectiveFrom' })],
    });
    // What-if, before drafting: the same figures as the draft's preview, nothing recorded.
    const whatIf = (await leavesLogUnchanged(as.admin.post('/policy-versions/preview', replacement), 200)).body;
    expect(await ok(as.admin.post('/policy-versions/drafts', replacement), 201)).toEqual({
      versionId: replacement.id,
      effectiveFrom: '2025-07-01',
      status: 'drafted',
      draftedBy: 'admin',
    });
    await leavesLogUnchanged(as.admin.post('/policy-versions/drafts', replacement), 201, { status: 'drafted' });
    await leavesLogUnchanged(as.secondAdmin.post('/policy-versions/drafts', { ...replacement, legalBasis: 'another text' }), 409, {
      rule: 'PolicyVersionIdTaken',
      fields: [expect.objectContaining({ field: 'id' })],
    });
    const draftPath = `/policy-versions/drafts/${encodeURIComponent(replacement.id)}`;
    const policyPreview = (
      await leavesLogUnchanged(as.secondAdmin.get(`${draftPath}/preview`), 200, { draft: { status: 'drafted', draftedBy: 'admin' }, published: false })
    ).body;
    expect(policyPreview.changes).toEqual(whatIf.changes);
    const policyChanges = policyPreview.changes.map((c: any) => [c.admissionId, c.regimeId, c.previous.amount, c.next.amount, c.difference]);
    expect(policyChanges.sort()).toEqual(
      [
        // Across: the visit on 2025-06-29 stands; two of four meal days at the new rate.
        [stays.secretaryAcross, 'b', 760_000, 780_000, 20_000],
        // After: group 3's visit 800,000 and every meal day at 200,000.
        [stays.secretaryAfter, 'a', 700_000, 800_000, 100_000],
        [stays.secretaryAfter, 'b', 570_000, 600_000, 30_000],
        // The chair, group 5 now: visit unchanged at 600,000; meals raised.
        [stays.chairAfter, 'b', 380_000, 400_000, 20_000],
        [stays.headAcross, 'b', 380_000, 390_000, 10_000],
        [stays.headAfter, 'b', 570_000, 600_000, 30_000],
      ].sort(),
    );
    // The health check, recovered already, is worth nothing under the new version either.
    expect(policyPreview.claimChanges).toEqual([]);
    expect(policyPreview.totals).toMatchObject({ changes: 6, difference: 210_000, byRegime: { a: { difference: 100_000 }, b: { difference: 110_000 } } });
    // Whoever drafted it may not confirm it; the confirmation names the version drafted, not another.
    await leavesLogUnchanged(as.admin.post(`${draftPath}/confirmation`), 409, { rule: 'ApprovingOwnRequest' });
    await leavesLogUnchanged(as.admin.post('/policy-versions/confirmation', replacement), 409, { rule: 'ApprovingOwnRequest' });
    await leavesLogUnchanged(as.secondAdmin.post('/policy-versions/confirmation', { ...replacement, legalBasis: 'another text' }), 409, {
      rule: 'PolicyVersionIdTaken',
    });
    expect((await ok(as.auditor.get('/policy-versions'))).map((v: { id: string }) => v.id)).not.toContain(replacement.id);
    expect(await ok(as.secondAdmin.post(`${draftPath}/confirmation`))).toMatchObject({ versionId: replacement.id, staysExamined: 5, adjustments: 6 });
    expect(await ok(as.auditor.get(`/policy-versions/${encodeURIComponent(replacement.id)}`))).toMatchObject({
      id: replacement.id,
      effectiveFrom: '2025-07-01',
    });
    // Publishing the same version again, and confirming it again (by either endpoint), has no second effect.
    await leavesLogUnchanged(as.admin.post('/policy-versions', replacement), 201, { published: false });
    await leavesLogUnchanged(as.secondAdmin.post(`${draftPath}/confirmation`), 200, { adjustments: 6 });
    await leavesLogUnchanged(as.admin.post('/policy-versions/confirmation', replacement), 200, { adjustments: 6 });
    await caughtUp(api);
    await leavesLogUnchanged(as.admin.get(`${draftPath}/preview`), 200, {
      published: true,
      draft: { status: 'confirmed', draftedBy: 'admin', confirmedBy: 'quan' },
      totals: { changes: 0 },
    });

    // Adjustments go through approval (not by who recorded them); top-ups are paid, recoveries collected by refund receipts.
    for (const key of ['secretaryAcross', 'secretaryAfter', 'chairAfter', 'headAcross', 'headAfter']) {
      await leavesLogUnchanged(as.admin.post(`/admissions/${stays[key]}/adjustments/approval`), 403);
      await ok(as.approver.post(`/admissions/${stays[key]}/adjustments/approval`));
      for (const adjustment of await recorded(key)) {
        const payout = `/payouts/adjustment-${adjustment.adjustmentId}`;
        if (adjustment.difference > 0) await ok(as.finance.post(`${payout}/payment`, { reference: `ADJ-${adjustment.adjustmentId}`, paidOn: '2025-12-20' }));
        if (adjustment.difference < 0) await ok(as.finance.post(`${payout}/refund`, { reference: `PT-${adjustment.adjustmentId}`, receivedOn: '2025-12-20' }));
      }
    }
    await leavesLogUnchanged(as.secondAdmin.post(`/claims/${healthCheck}/adjustments/approval`), 403);
    const check = await ok(as.approver.post(`/claims/${healthCheck}/adjustments/approval`));
    expect(check.adjustments).toEqual([
      expect.objectContaining({ difference: -2_000_000, approvedBy: 'hoa', cause: { kind: 'reorganization-plan', id: plan.planId } }),
    ]);
    await ok(as.finance.post(`/payouts/adjustment-${check.adjustments[0].adjustmentId}/refund`, { reference: 'PT-check', receivedOn: '2025-12-20' }));
    await caughtUp(api);

    // Balances as of 2025-06-30 and 2025-12-31 (valid time), and as known before the changes (record time).
    const balances = async (who: string, query: string) =>
      (await ok(as.auditor.get(`/beneficiaries/${people[who]}/balances/as-of?year=2025&${query}`))).balances;
    const midYear = await balances('secretary', 'validOn=2025-06-30');
    expect(regime(midYear, 'a')).toMatchObject({ entitled: 1_400_000, paid: 1_400_000, adjusted: 0 });
    expect(regime(midYear, 'b')).toMatchObject({ entitled: 570_000, paid: 570_000 });
    const yearEnd = await balances('secretary', 'validOn=2025-12-31');
    expect(regime(yearEnd, 'a')).toMatchObject({ entitled: 2_200_000, approved: 2_200_000, paid: 2_200_000, adjusted: 100_000 });
    expect(regime(yearEnd, 'b')).toMatchObject({ entitled: 1_950_000, approved: 1_950_000, paid: 1_950_000, adjusted: 50_000 });
    const head = await balances('head', 'validOn=2025-12-31');
    expect(regime(head, 'a')).toMatchObject({ entitled: 600_000, paid: 600_000, adjusted: -600_000 });
    expect(regime(head, 'b')).toMatchObject({ entitled: 990_000, paid: 990_000, adjusted: 40_000 });
    const headAsKnownBefore = await balances('head', `validOn=2025-12-31&knownAt=${encodeURIComponent(knownBefore)}`);
    expect(regime(headAsKnownBefore, 'a')).toMatchObject({ entitled: 1_200_000, paid: 1_200_000, adjusted: 0 });
    expect(regime(headAsKnownBefore, 'b')).toMatchObject({ entitled: 950_000, paid: 950_000, adjusted: 0 });
    await leavesLogUnchanged(as.auditor.get(`/beneficiaries/${people.head}/balances/as-of?year=2025&knownAt=yesterday`), 400, {
      fields: [expect.objectContaining({ field: 'knownAt' })],
    });

    // The budget by group now, and as known before: the amounts moved between groups, the old view unchanged.
    const after = await ok(as.auditor.get('/budget/2025/as-of'));
    expect(paidByGroup(after.lines, 'a')).toEqual({ 3: 2_200_000, 5: 1_200_000 });
    expect(paidByGroup(after.lines, 'b')).toEqual({ 3: 1_950_000, 5: 790_000, 6: 600_000 });
    // Paid, then recovered in full: the check and its recovery both count under the commune the chair belongs to since the plan, nothing net.
    expect(paidByGroup(after.lines, 'h')).toEqual({});
    for (const asKnown of [`position=${before.position}`, `knownAt=${encodeURIComponent(knownBefore)}`]) {
      const then = await ok(as.auditor.get(`/budget/2025/as-of?${asKnown}`));
      expect(paidByGroup(then.lines, 'a')).toEqual({ 3: 2_100_000, 4: 700_000, 5: 1_200_000 });
      expect(paidByGroup(then.lines, 'b')).toEqual({ 3: 1_900_000, 4: 380_000, 5: 950_000 });
      expect(paidByGroup(then.lines, 'h')).toEqual({ 4: 2_000_000 });
    }
    // The year-end report quoted before the changes is regenerated exactly from its position; today's differs.
    const reportNow = await ok(as.auditor.get('/reports/year-end/2025'));
    expect(reportNow.totalAmount).toBe(reportBefore.totalAmount - 700_000 - 2_000_000 + 210_000);
    expect(await ok(as.auditor.get(`/reports/year-end/2025?position=${reportBefore.position}`))).toEqual(reportBefore);
    await leavesLogUnchanged(as.auditor.get('/reports/year-end/2025?position=last'), 400, { fields: [expect.objectContaining({ field: 'position' })] });
    // Geography as it was on each service date (the chair's services all fall after the plan's date, so they
    // count under the commune, even those paid before the plan was known), or as it is now that the districts are gone.
    const unitsThen = new Set((after.lines as Line[]).map((line) => line.administrativeUnit));
    const unitsNow = new Set(((await ok(as.auditor.get('/budget/2025/as-of?geography=now'))).lines as Line[]).map((line) => line.administrativeUnit));
    expect(unitsThen).toEqual(new Set(['Huyện Cao Lộc', 'Huyện Văn Quan', 'Xã Cao Lộc', 'Xã Lộc Bình', 'Xã Văn Quan']));
    expect(unitsNow).toEqual(new Set(['Xã Cao Lộc', 'Xã Lộc Bình', 'Xã Văn Quan']));

    // The auditor's lineage of a recovery: the stay, its approval, the plan, the adjustment, its approval and the refund.
    const [recovery] = (await recorded('headAfter')).filter((a: any) => a.regimeId === 'a');
    const lineage = await ok(as.auditor.get(`/payouts/adjustment-${recovery.adjustmentId}/lineage`));
    expect(lineage.payout).toMatchObject({ amount: -600_000, status: 'recovered', recovered: 600_000, sourceKind: 'adjustment' });
    const steps = lineage.lineage.map((step: { step: string; actor: string }) => `${step.step} by ${step.actor}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'AdmissionRecorded by lan',
        'AdmissionAllowancesApproved by hoa',
        'ReorganizationPlanDrafted by admin',
        'ReorganizationPlanConfirmed by quan',
        'PolicyVersionDrafted by admin',
        'PolicyVersionConfirmed by quan',
        'PolicyVersionPublished by quan',
        'AdjustmentEntitled by quan',
        'AdjustmentsApproved by hoa',
        'RecoveryRefunded by thu',
      ]),
    );
    expect(steps.indexOf('ReorganizationPlanConfirmed by quan')).toBeLessThan(steps.indexOf('AdjustmentEntitled by quan'));
    expect(lineage.adjustments.map((a: any) => [a.regimeId, a.causeKind, a.difference])).toEqual([
      ['a', 'reorganization-plan', -600_000],
      ['b', 'reorganization-plan', 0],
      ['b', 'policy-version', 30_000],
    ]);
  }, 180_000);

  it('rebuilds every read model from this log, the database filling what follows from single events, into the tables built event by event', async () => {
    await caughtUp(api);
    const { runtime } = api;
    expect(runtime.rebuild.logTable).toBe('events');
    const checksums = () => Promise.all(ALL_PROJECTIONS.map((projection) => readModelChecksum(runtime.pool, liveSchemaOf(projection))));
    const live = await checksums();
    // The adjustments, the plan and the policy version are all in this log, and in the lineage.
    expect(live.join(' ')).toMatch(/adjustments:[1-9]/);
    await new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { dependents: createReportingViews, ...runtime.rebuild }).rebuild(ALL_PROJECTIONS);
    expect(await checksums()).toEqual(live);
  }, 60_000);

  it('agrees with itself after the reclassifications and recoveries: log = balances = budget view = year-end report', async () => {
    await caughtUp(api);
    const check = await consistencyCheck(api.runtime.store, api.runtime.pool, 2025);
    expect(check.differences).toEqual([]);
    // The chair's health check, recovered to nothing, stays in group 4 where it was paid.
    expect(check.rows.filter((row) => row.regimeCode === 'h')).toEqual([
      { regimeCode: 'h', group: 4, log: 0, budget: 0, report: 0 },
      { regimeCode: 'h', group: -1, log: 0, budget: 0, balances: 0 },
    ]);
  });

  it('takes the register, exported after the reorganization moved and reclassified its people, back as it is: nothing recorded', async () => {
    await caughtUp(api);
    const { rows, body } = await registerExport(api.runtime.pool, 'xlsx');
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', new Uint8Array(body as Buffer), 'so-dang-ky.xlsx'), 200, {
      outcome: 'imported',
      rows,
      imported: 0,
      alreadyImported: rows,
      errors: [],
    });
  });
});
