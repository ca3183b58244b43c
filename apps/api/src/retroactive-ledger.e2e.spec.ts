import { consistencyCheck } from '#read-models';
import { regeneratedReport } from '../../../test/support/regenerated-report.js';
import { policyVersionFrom } from '../../../test/support/retroactive-changes.js';
import { API_BACKENDS, caughtUp, type client, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

type People = Record<'admin' | 'secondAdmin' | 'clerk' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;
type Spending = { regimeCode: string; group: number; administrativeUnit: string; committed: number; paid: number };

const PEOPLE = {
  secondAdmin: ['quan', ['administrator']],
  clerk: ['lan', ['clerk']],
  approver: ['hoa', ['approver']],
  finance: ['thu', ['finance']],
  auditor: ['kiem', ['auditor']],
} as const;

/** Group 3's visit allowance raised to 900,000 and meals to 250,000 a day for every group, from 2025-07-01. */
const raise = policyVersionFrom('lang-son/group-3-raise-2025', '2025-07-01', { visit: { 3: 900_000 }, mealRate: 250_000 });
/** The district secretary becomes a commune secretary in group 4 from 2025-07-01; a district deputy's title is no longer covered. */
const plan = {
  planId: 'two-tier-2025-07',
  title: 'Chính quyền địa phương hai cấp',
  decisionNumber: '759/QĐ-TTg',
  effectiveFrom: '2025-07-01',
  titles: [
    { title: 'Bí thư Huyện ủy', becomes: { title: 'Bí thư Đảng ủy xã', group: 4 } },
    { title: 'Phó Trưởng phòng cấp huyện', becomes: { title: 'Chuyên viên cấp xã', group: null } },
  ],
  units: {},
};

const cardOf = (key: string) => `LS-${key.toUpperCase()}`;

async function enrolWithCard(as: People, key: string, fullName: string, nationalId: string, title: string, group: number): Promise<string> {
  // The national id carries the year of birth (its 5th and 6th digits).
  const { beneficiaryId } = await ok(
    as.clerk.post('/beneficiaries', {
      fullName,
      dateOfBirth: `19${nationalId.slice(4, 6)}-05-12`,
      nationalId,
      title,
      administrativeUnit: 'Huyện Cao Lộc',
      group,
      from: '2025-01-01',
    }),
    201,
  );
  await ok(as.clerk.post('/cards', { cardNumber: cardOf(key), beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
  return beneficiaryId;
}

/** A stay recorded, approved and paid (visit and meals). */
async function paidStay(as: People, key: string, beneficiaryId: string, admittedOn: string, dischargedOn: string): Promise<string> {
  const admissionId = await approvedStay(as, key, beneficiaryId, admittedOn, dischargedOn);
  for (const regime of ['a', 'b']) {
    // A group the visit allowance does not cover has no visit payout to pay.
    if ((await as.auditor.get(`/payouts/admission-${admissionId}-${regime}`)).status === 404) continue;
    await ok(as.finance.post(`/payouts/admission-${admissionId}-${regime}/payment`, { reference: `UNC-${key}-${regime}`, paidOn: '2025-09-20' }));
  }
  return admissionId;
}

/** A stay recorded and approved, its payouts left to pay. */
async function approvedStay(as: People, key: string, beneficiaryId: string, admittedOn: string, dischargedOn: string): Promise<string> {
  const { admissionId } = await ok(
    as.clerk.post('/admissions', { beneficiaryId, cardNumber: cardOf(key), facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn }),
    201,
  );
  await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn }));
  await ok(as.approver.post(`/admissions/${admissionId}/approval`));
  return admissionId;
}

/** The stay's adjustments approved by an approver: top-ups paid, recoveries collected by a refund receipt unless `collect` is false. */
async function settleAdjustments(as: People, admissionId: string, collect = true): Promise<{ adjustmentId: string; regimeId: string; difference: number }[]> {
  const { adjustments } = await ok(as.approver.post(`/admissions/${admissionId}/adjustments/approval`));
  for (const adjustment of adjustments) {
    const payout = `/payouts/adjustment-${adjustment.adjustmentId}`;
    if (adjustment.difference > 0) await ok(as.finance.post(`${payout}/payment`, { reference: `ADJ-${adjustment.adjustmentId}`, paidOn: '2025-12-20' }));
    if (adjustment.difference < 0 && collect)
      await ok(as.finance.post(`${payout}/refund`, { reference: `PT-${adjustment.adjustmentId}`, receivedOn: '2025-12-20' }));
  }
  return adjustments;
}

/** For a describe block: the API over `setup` started, and everyone signed in, before its tests; closed after them. */
function signedInFor(setup: (typeof API_BACKENDS)[number][1], keep: (api: RunningApi, as: People) => void): void {
  let running: RunningApi | undefined;
  beforeAll(async () => {
    running = await startApi(setup);
    keep(running, await signInPeople(running, PEOPLE));
  }, 60_000);
  afterAll(() => running?.close());
}

const byGroup = (spending: Spending[]) =>
  spending
    .filter((line) => line.committed !== 0 || line.paid !== 0)
    .map((line) => [line.regimeCode, line.group, line.administrativeUnit, line.committed, line.paid])
    .sort();

describe.each(API_BACKENDS)('retroactive changes through the API over %s', (_name, setup) => {
  /** One official's August stay, then the raise and the plan confirmed in the order given; the budget and report by group after. */
  const confirmedInOrder = async (order: readonly ('policy' | 'plan')[]) => {
    const api = await startApi(setup);
    try {
      const as = await signInPeople(api, PEOPLE);
      const secretary = await enrolWithCard(as, 'an', 'Hoàng Văn An', '020068000101', 'Bí thư Huyện ủy', 3);
      const stay = await paidStay(as, 'an', secretary, '2025-08-04', '2025-08-06');
      for (const change of order) {
        await caughtUp(api);
        if (change === 'policy') {
          await ok(as.admin.post('/policy-versions/drafts', raise), 201);
          await ok(as.secondAdmin.post(`/policy-versions/drafts/${encodeURIComponent(raise.id)}/confirmation`));
        } else {
          await ok(as.admin.post('/reorganizations', plan), 201);
          await ok(as.secondAdmin.post(`/reorganizations/${plan.planId}/confirmation`));
        }
        await settleAdjustments(as, stay);
      }
      await caughtUp(api);
      const budget = await ok(as.auditor.get('/budget/2025'));
      // The log (its head, hash and the time it reached the head) and how money came back differ by order by nature; the lines by group must not.
      const { position: _position, logHash: _logHash, asOf: _asOf, recoveries: _recoveries, ...report } = await ok(as.auditor.get('/reports/year-end/2025'));
      const payouts = await ok(as.auditor.get(`/payouts?beneficiaryId=${secretary}&year=2025`));
      return { budget: byGroup(budget.spending), report, payouts };
    } finally {
      await api.close();
    }
  };

  it('gives the same budget and year-end report by group whether the policy or the plan is confirmed first', async () => {
    const policyFirst = await confirmedInOrder(['policy', 'plan']);
    const planFirst = await confirmedInOrder(['plan', 'policy']);
    // Group 4 from July: visit 700,000 and 3 meal days at 250,000 under the raise; everything paid for the stay counts
    // there, and in the commune that carries the abolished district since 2025-07-01.
    expect(policyFirst.budget).toEqual([
      ['a', 4, 'Xã Cao Lộc', 0, 700_000],
      ['b', 4, 'Xã Cao Lộc', 0, 750_000],
    ]);
    expect(planFirst.budget).toEqual(policyFirst.budget);
    expect(planFirst.report).toEqual(policyFirst.report);
    const visits = policyFirst.report.regimes.find((regime: { code: string }) => regime.code === 'a');
    expect(visits).toMatchObject({ payouts: 1, people: 1, amount: 700_000, byGroup: { 4: { payouts: 1, people: 1, units: 1, amount: 700_000 } } });
    // Every payout of the stay, first and adjustments alike, counts in group 4; each adjustment names the clause and rate it settles.
    for (const payouts of [policyFirst.payouts, planFirst.payouts]) {
      expect(new Set(payouts.payouts.map((payout: { group: number }) => payout.group))).toEqual(new Set([4]));
      for (const payout of payouts.payouts.filter((p: { sourceKind: string }) => p.sourceKind === 'adjustment'))
        expect(payout).toMatchObject({ clause: expect.any(String), basis: expect.any(Number) });
    }
  }, 240_000);

  it('shows both administrators, before it is confirmed, what a retroactive version no longer covers', async () => {
    const api = await startApi(setup);
    try {
      const as = await signInPeople(api, PEOPLE);
      const forgetful = policyVersionFrom('lang-son/meals-forgotten-2025', '2025-07-01', { visit: {}, mealRate: 190_000 });
      const meals = forgetful.regimes.find((regime) => regime.id === 'b')!;
      delete (meals.rule.rateByGroup as Record<string, number>)['3'];
      await ok(as.admin.post('/policy-versions/drafts', forgetful), 201);
      const preview = await ok(as.secondAdmin.get(`/policy-versions/drafts/${encodeURIComponent(forgetful.id)}/preview`));
      expect(preview.coverageWithdrawn).toEqual([{ regimeId: 'b', groups: [3] }]);
    } finally {
      await api.close();
    }
  }, 60_000);

  describe('recoveries as receivables', () => {
    let api: RunningApi;
    let as: People;
    signedInFor(setup, (started, people) => {
      api = started;
      as = people;
    });

    /** Group 3's visit allowance cut from 700,000 to 500,000 from 2025-07-01; meals unchanged. */
    const cut = policyVersionFrom('lang-son/group-3-cut-2025', '2025-07-01', { visit: { 3: 500_000 }, mealRate: 190_000 });

    it('are owed, never paid; come back by offset against a later payout and by refund receipts; what is left is written off by an approver', async () => {
      const xuan = await enrolWithCard(as, 'xuan', 'Hà Thị Xuân', '020071000505', 'Chánh Văn phòng Huyện ủy', 3);
      const yen = await enrolWithCard(as, 'yen', 'Lộc Văn Yên', '020066000606', 'Chánh Văn phòng Huyện ủy', 3);
      const xuanStay = await paidStay(as, 'xuan', xuan, '2025-08-04', '2025-08-06');
      const yenStay = await paidStay(as, 'yen', yen, '2025-08-11', '2025-08-13');
      await caughtUp(api);
      await ok(as.admin.post('/policy-versions/drafts', cut), 201);
      await ok(as.secondAdmin.post(`/policy-versions/drafts/${encodeURIComponent(cut.id)}/confirmation`));
      const recoveryOf = async (stay: string) => {
        const [recovery] = await settleAdjustments(as, stay, false);
        expect(recovery).toMatchObject({ regimeId: 'a', difference: -200_000 });
        return `adjustment-${recovery.adjustmentId}`;
      };
      const [xuanOwes, yenOwes] = [await recoveryOf(xuanStay), await recoveryOf(yenStay)];
      await caughtUp(api);
      const owed = await ok(as.finance.get('/payouts?status=owed&year=2025'));
      expect(owed.payouts.map((p: any) => [p.payoutId, p.amount])).toEqual(
        expect.arrayContaining([
          [xuanOwes, -200_000],
          [yenOwes, -200_000],
        ]),
      );

      // A recovery is not paid out.
      await leavesLogUnchanged(api, as.finance.post(`/payouts/${xuanOwes}/payment`, { reference: 'UNC-wrong', paidOn: '2025-12-20' }), 409, {
        rule: 'RecoveryIsNotPaid',
      });

      // Xuân's October stay is paid less what she owes: the offset is recorded on both payouts.
      const october = await approvedStay(as, 'xuan', xuan, '2025-10-06', '2025-10-08');
      const visit = `admission-${october}-a`;
      await leavesLogUnchanged(api, as.finance.post(`/payouts/${visit}/payment`, { reference: 'UNC-x', paidOn: '2025-10-20', offsets: [yenOwes] }), 409, {
        rule: 'OffsetOfAnotherPerson',
        fields: [expect.objectContaining({ field: 'offsets' })],
      });
      await leavesLogUnchanged(
        api,
        as.finance.post(`/payouts/${visit}/payment`, { reference: 'UNC-x', paidOn: '2025-10-20', offsets: ['adjustment-none'] }),
        404,
      );
      const paid = await ok(as.finance.post(`/payouts/${visit}/payment`, { reference: 'UNC-2025-1020', paidOn: '2025-10-20', offsets: [xuanOwes] }));
      expect(paid).toMatchObject({ status: 'paid', paid: { offsets: [{ recoveryPayoutId: xuanOwes, amount: 200_000 }] } });
      await caughtUp(api);
      expect(await ok(as.auditor.get(`/payouts/${xuanOwes}/lineage`))).toMatchObject({
        payout: { status: 'recovered', recovered: 200_000, settlements: [expect.objectContaining({ kind: 'offset', amount: 200_000, payout_id: visit })] },
      });
      expect((await ok(as.auditor.get(`/payouts/${visit}/lineage`))).payout).toMatchObject({
        amount: 500_000,
        offset: 200_000,
        settlements: [expect.objectContaining({ kind: 'offset', payout_id: xuanOwes })],
      });

      // Yên pays back 50,000 by receipt; the rest is written off by an approver, never by finance, and only with a reason.
      await ok(as.finance.post(`/payouts/${yenOwes}/refund`, { reference: 'PT-2025-0117', receivedOn: '2025-11-03', amount: 50_000 }));
      await leavesLogUnchanged(
        api,
        as.finance.post(`/payouts/${yenOwes}/refund`, { reference: 'PT-2025-0118', receivedOn: '2025-11-04', amount: 150_001 }),
        409,
        { rule: 'MoreThanOwed' },
      );
      await leavesLogUnchanged(api, as.finance.post(`/payouts/${yenOwes}/write-off`, { reason: 'Không còn khả năng thu' }), 403);
      await leavesLogUnchanged(api, as.approver.post(`/payouts/${yenOwes}/write-off`, {}), 400);
      expect(await ok(as.approver.post(`/payouts/${yenOwes}/write-off`, { reason: 'Đã nghỉ hưu, không còn khả năng thu' }))).toMatchObject({
        status: 'written-off',
        receivable: { owed: 0, recovered: 50_000, writtenOff: 150_000 },
      });
      await leavesLogUnchanged(api, as.finance.post(`/payouts/${yenOwes}/refund`, { reference: 'PT-2025-0119', receivedOn: '2025-11-05' }), 409, {
        rule: 'NothingOwed',
      });
      await caughtUp(api);

      // Balances, the budget and the year-end report show what was owed, what came back and what was written off.
      const [yenVisits] = (await ok(as.auditor.get(`/beneficiaries/${yen}/balances?year=2025`))).balances;
      expect(yenVisits).toMatchObject({ regimeId: 'a', entitled: 500_000, paid: 650_000, toRecover: 0, recovered: 50_000, writtenOff: 150_000 });
      const budget = await ok(as.auditor.get('/budget/2025'));
      expect(budget.regimes.find((r: any) => r.regimeCode === 'a').recoveries).toEqual({ toRecover: 0, recovered: 250_000, writtenOff: 150_000 });
      const report = await ok(as.auditor.get('/reports/year-end/2025'));
      expect(report.recoveries).toMatchObject({ toRecover: 0, recovered: 250_000, writtenOff: 150_000 });
      expect(await ok(as.finance.get('/payouts?status=owed&year=2025'))).toMatchObject({ payouts: [] });
    }, 240_000);
  });

  describe('a stay across New Year', () => {
    let api: RunningApi;
    let as: People;
    signedInFor(setup, (started, people) => {
      api = started;
      as = people;
    });

    /** Meals at 250,000 a day in the second half of 2025 only; 2026 keeps Resolution 24's 190,000. */
    const raised2025 = { ...policyVersionFrom('lang-son/meals-2h2-2025', '2025-07-01', { visit: {}, mealRate: 250_000 }), effectiveTo: '2025-12-31' };

    it('counts the 2025 meal days and money in 2025 and the 2026 ones in 2026, and a change to 2025’s rates adjusts the 2025 part only', async () => {
      const gia = await enrolWithCard(as, 'gia', 'Lăng Văn Giã', '020069000707', 'Chánh Văn phòng Huyện ủy', 3);
      const stay = await approvedStay(as, 'gia', gia, '2025-12-29', '2026-01-02');
      const meals2025 = `admission-${stay}-b-2025`;
      const meals2026 = `admission-${stay}-b`;
      expect((await ok(as.auditor.get(`/payouts/${meals2025}`))).state.scheduled).toMatchObject({ amount: 3 * 190_000, serviceDate: '2025-12-31' });
      expect((await ok(as.auditor.get(`/payouts/${meals2026}`))).state.scheduled).toMatchObject({ amount: 2 * 190_000, serviceDate: '2026-01-02' });
      for (const payout of [`admission-${stay}-a`, meals2025, meals2026])
        await ok(as.finance.post(`/payouts/${payout}/payment`, { reference: `UNC-${payout}`, paidOn: '2026-01-10' }));
      await caughtUp(api);

      const yearEnd = async (year: number) => {
        const report = await ok(as.auditor.get(`/reports/year-end/${year}`));
        return (code: string) => report.regimes.find((regime: { code: string }) => regime.code === code);
      };
      const meals = async (year: number) => (await ok(as.auditor.get(`/budget/${year}`))).regimes.find((r: { regimeCode: string }) => r.regimeCode === 'b');
      const balances = async (year: number) =>
        (await ok(as.auditor.get(`/beneficiaries/${gia}/balances?year=${year}`))).balances.map((b: any) => [b.regimeId, b.entitled, b.paid]);
      const consistent = async (year: number) => expect(await consistencyCheck(api.runtime.store, api.runtime.pool, year)).toMatchObject({ consistent: true });

      // The visit belongs to the admission date; each meal day to its own year.
      expect((await yearEnd(2025))('a')).toMatchObject({ payouts: 1, people: 1, units: 1, amount: 700_000 });
      expect((await yearEnd(2025))('b')).toMatchObject({ payouts: 1, people: 1, units: 3, amount: 3 * 190_000 });
      expect((await yearEnd(2026))('a')).toMatchObject({ payouts: 0, amount: 0 });
      expect((await yearEnd(2026))('b')).toMatchObject({ payouts: 1, people: 1, units: 2, amount: 2 * 190_000 });
      expect(await meals(2025)).toMatchObject({ paid: 3 * 190_000 });
      expect(await meals(2026)).toMatchObject({ paid: 2 * 190_000 });
      expect(await balances(2025)).toEqual([
        ['a', 700_000, 700_000],
        ['b', 3 * 190_000, 3 * 190_000],
      ]);
      expect(await balances(2026)).toEqual([['b', 2 * 190_000, 2 * 190_000]]);
      await consistent(2025);
      await consistent(2026);

      // 2025's meals raised with past effect: one adjustment, of the 2025 part, paid in 2025's books.
      await ok(as.admin.post('/policy-versions/drafts', raised2025), 201);
      const preview = await ok(as.admin.get(`/policy-versions/drafts/${encodeURIComponent(raised2025.id)}/preview`));
      expect(preview.changes.filter((c: any) => c.admissionId === stay).map((c: any) => [c.regimeId, c.serviceDate, c.difference])).toEqual([
        ['b', '2025-12-31', 3 * 60_000],
      ]);
      await ok(as.secondAdmin.post(`/policy-versions/drafts/${encodeURIComponent(raised2025.id)}/confirmation`));
      const { adjustments } = await ok(as.approver.post(`/admissions/${stay}/adjustments/approval`));
      expect(adjustments).toEqual([
        expect.objectContaining({
          regimeId: 'b',
          corrects: expect.objectContaining({ payoutId: meals2025 }),
          serviceDate: '2025-12-31',
          difference: 3 * 60_000,
        }),
      ]);
      await ok(as.finance.post(`/payouts/adjustment-${adjustments[0].adjustmentId}/payment`, { reference: 'ADJ-gia', paidOn: '2026-02-02' }));
      await caughtUp(api);
      expect((await yearEnd(2025))('b')).toMatchObject({ payouts: 1, people: 1, units: 3, amount: 3 * 250_000 });
      expect((await yearEnd(2026))('b')).toMatchObject({ payouts: 1, people: 1, units: 2, amount: 2 * 190_000 });
      expect(await balances(2025)).toEqual([
        ['a', 700_000, 700_000],
        ['b', 3 * 250_000, 3 * 250_000],
      ]);
      expect(await balances(2026)).toEqual([['b', 2 * 190_000, 2 * 190_000]]);
      await consistent(2025);
      await consistent(2026);
    }, 240_000);
  });

  describe('the year-end report at a past position', () => {
    let api: RunningApi;
    let as: People;
    signedInFor(setup, (started, people) => {
      api = started;
      as = people;
    });

    it('equals, field by field, the report regenerated by rebuilding the read models up to the position, in the middle of retroactive changes too', async () => {
      const head = () => api.runtime.store.readHeadPosition();
      const positions = new Set<bigint>([0n]);
      /**
       * Positions at a step's end and, for a retroactive change, inside it: after its first event and
       * halfway through. Each costs a rebuild, so the steps that only append are compared at their end.
       */
      const step = async (work: () => Promise<unknown>, retroactive = false) => {
        const before = await head();
        await work();
        const after = await head();
        for (const position of retroactive ? [before + 1n, (before + after) / 2n, after] : [after]) if (position <= after) positions.add(position);
      };
      let an = '';
      let binh = '';
      let chi = '';
      const stays: Record<string, string> = {};
      await step(async () => {
        an = await enrolWithCard(as, 'pan', 'Hoàng Văn An', '020068000811', 'Bí thư Huyện ủy', 3);
        binh = await enrolWithCard(as, 'pbinh', 'Lương Thị Bình', '020170000812', 'Trưởng phòng cấp huyện', 5);
        chi = await enrolWithCard(as, 'pchi', 'Hà Thị Chi', '020071000813', 'Chánh Văn phòng Huyện ủy', 3);
      });
      await step(async () => {
        stays.an = await paidStay(as, 'pan', an, '2025-08-04', '2025-08-06');
        stays.binh = await paidStay(as, 'pbinh', binh, '2025-09-01', '2025-09-04');
        stays.chi = await paidStay(as, 'pchi', chi, '2025-08-11', '2025-08-14');
      });
      // A card reissued, and a payment reversed (paid to the wrong account).
      await step(async () => {
        await ok(as.clerk.post(`/cards/${cardOf('pchi')}/reissue`, { newCardNumber: 'LS-PCHI-2', reason: 'lost', on: '2025-09-15' }), 201);
        const october = await approvedStay(as, 'pan', an, '2025-10-06', '2025-10-08');
        await ok(as.finance.post(`/payouts/admission-${october}-a/payment`, { reference: 'UNC-wrong-account', paidOn: '2025-10-20' }));
        await ok(as.finance.post(`/payouts/admission-${october}-a/reversal`, { reason: 'Chuyển nhầm tài khoản', on: '2025-10-22' }));
      });
      // A reclassification with past effect: Bình's September stay counts in group 4 from then on.
      await step(
        () => ok(as.clerk.post(`/beneficiaries/${binh}/reclassifications`, { group: 4, from: '2025-08-01', reason: 'Bổ nhiệm', decisionNumber: '88/QĐ-UBND' })),
        true,
      );
      await caughtUp(api);
      // A policy version with past effect, its adjustments approved and paid.
      await step(async () => {
        await ok(as.admin.post('/policy-versions/drafts', raise), 201);
        await ok(as.secondAdmin.post(`/policy-versions/drafts/${encodeURIComponent(raise.id)}/confirmation`));
      }, true);
      await step(async () => {
        await settleAdjustments(as, stays.an);
        await settleAdjustments(as, stays.chi);
      });
      // A removal with past effect: Bình's stay recovered, collected by a refund receipt.
      await caughtUp(api);
      await step(() => ok(as.clerk.post(`/beneficiaries/${binh}/removal`, { on: '2025-07-01', reason: 'Chuyển công tác ngoài tỉnh' })), true);
      await step(() => settleAdjustments(as, stays.binh));
      await caughtUp(api);
      positions.add((await head()) + 1000n);

      const now = await ok(as.auditor.get('/reports/year-end/2025'));
      expect(now.recoveries.recovered).toBeGreaterThan(0);
      expect(await ok(as.auditor.get(`/reports/year-end/2025?position=${now.position}`))).toEqual(now);
      const figures = new Set<string>();
      for (const position of [...positions].sort((a, b) => (a < b ? -1 : 1))) {
        const fast = await ok(as.auditor.get(`/reports/year-end/2025?position=${position}`));
        const regenerated = await regeneratedReport(api.runtime.store, api.runtime.pool, api.runtime.rebuild, 2025, position);
        expect({ position, report: fast }).toEqual({ position, report: JSON.parse(JSON.stringify(regenerated)) });
        figures.add(JSON.stringify({ ...fast, position: undefined, logHash: undefined, asOf: undefined }));
      }
      // The positions see the report change step by step, not one report over and over.
      expect(figures.size).toBeGreaterThanOrEqual(8);
    }, 600_000);
  });

  describe('coverage that ends with past effect', () => {
    let api: RunningApi;
    let as: People;
    signedInFor(setup, (started, people) => {
      api = started;
      as = people;
    });

    it('recovers what was paid after a removal, a death, and a title the plan no longer covers; previewed first, approved, and counted for no one', async () => {
      const moved = await enrolWithCard(as, 'binh', 'Lương Thị Bình', '020170000202', 'Trưởng phòng cấp huyện', 5);
      const died = await enrolWithCard(as, 'cuong', 'Nông Văn Cường', '020075000303', 'Chánh Văn phòng huyện', 5);
      const deputy = await enrolWithCard(as, 'dung', 'Vi Văn Dũng', '020072000404', 'Phó Trưởng phòng cấp huyện', 6);
      const movedStay = await paidStay(as, 'binh', moved, '2025-09-01', '2025-09-04');
      const diedStay = await paidStay(as, 'cuong', died, '2025-08-08', '2025-08-12');
      const deputyStay = await paidStay(as, 'dung', deputy, '2025-09-10', '2025-09-11');
      await caughtUp(api);

      // A removal dated 2025-07-01, learnt in December: previewed (nothing recorded), then recorded with its recoveries.
      const removal = { on: '2025-07-01', reason: 'Chuyển công tác ngoài tỉnh' };
      const preview = await leavesLogUnchanged(api, as.clerk.post(`/beneficiaries/${moved}/removal/preview`, removal), 200);
      expect(preview.body.changes.map((c: any) => [c.admissionId, c.regimeId, c.previous.amount, c.next.amount, c.difference])).toEqual([
        [movedStay, 'a', 600_000, 0, -600_000],
        [movedStay, 'b', 4 * 190_000, 0, -4 * 190_000],
      ]);
      expect(await ok(as.clerk.post(`/beneficiaries/${moved}/removal`, removal))).toMatchObject({ staysExamined: 1, adjustments: 2 });
      // A death on 2025-08-10: the visit on the day of admission stands, the meal days after the death are recovered.
      expect(await ok(as.clerk.post(`/beneficiaries/${died}/death`, { on: '2025-08-10' }))).toMatchObject({ staysExamined: 1, adjustments: 1 });
      // The plan says the deputy's new title is not covered: removed from the register on its effective date.
      await caughtUp(api);
      await ok(as.admin.post('/reorganizations', plan), 201);
      const planPreview = await ok(as.admin.get(`/reorganizations/${plan.planId}/preview`));
      expect(planPreview.reclassified.map((r: any) => [r.fullName, r.after.group])).toEqual([['Vi Văn Dũng', null]]);
      expect(await ok(as.secondAdmin.post(`/reorganizations/${plan.planId}/confirmation`))).toMatchObject({ beneficiaries: 1, adjustments: 1 });
      expect(await ok(as.auditor.get(`/beneficiaries/${deputy}/group?on=2025-07-01`))).toEqual({ on: '2025-07-01', group: null });

      // Approved by an approver (not by the clerk who recorded them) and collected.
      await leavesLogUnchanged(api, as.clerk.post(`/admissions/${movedStay}/adjustments/approval`), 403);
      const deputyMeals = (await ok(as.auditor.get(`/payouts/admission-${deputyStay}-b`))).state.scheduled.amount;
      const differences = async (stay: string) => (await settleAdjustments(as, stay)).map((a) => [a.regimeId, a.difference]);
      expect(await differences(movedStay)).toEqual([
        ['a', -600_000],
        ['b', -760_000],
      ]);
      expect(await differences(diedStay)).toEqual([['b', -2 * 190_000]]);
      // Group 6 has no visit allowance: only the meals were paid, and they are recovered.
      expect(await differences(deputyStay)).toEqual([['b', -deputyMeals]]);
      await caughtUp(api);

      // Nothing net is left for the removed official and the deputy: the report counts neither; the deceased official keeps the visit and three meal days.
      const report = await ok(as.auditor.get('/reports/year-end/2025'));
      const regime = (code: string) => report.regimes.find((r: { code: string }) => r.code === code);
      expect(regime('a')).toMatchObject({ payouts: 1, people: 1, amount: 600_000 });
      expect(regime('b')).toMatchObject({ payouts: 1, people: 1, units: 3, amount: 3 * 190_000 });
      const balances = await ok(as.auditor.get(`/beneficiaries/${moved}/balances?year=2025`));
      expect(balances.balances.map((b: any) => [b.regimeId, b.entitled, b.paid, b.adjusted])).toEqual([
        ['a', 0, 0, -600_000],
        ['b', 0, 0, -760_000],
      ]);
    }, 240_000);
  });
});
