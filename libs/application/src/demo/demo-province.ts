import { CommandBus } from '@nestjs/cqrs';
import { type BeneficiaryGroup, Payouts, type RegimeCode } from '#domain';
import { ActOnAdmission, RecordAdmission } from '../admissions/admission-commands.js';
import { EnrolBeneficiary } from '../beneficiaries/beneficiary-commands.js';
import { AllocateAnnualBudget } from '../budgets/budget-commands.js';
import { IssueCard, ReissueCard } from '../cards/card-commands.js';
import { ApproveClaims, DecideClaim, RequestClaim } from '../claims/claim-commands.js';
import { forEachConcurrently } from '../concurrently.js';
import type { Actor, CommandContext } from '../event-sourcing.js';
import { SettlePayout } from '../payouts/payout-commands.js';

/**
 * A synthetic province-year shaped like Lạng Sơn's 2025 (DOMAIN.md §3), written through the real
 * command path: 4,347 beneficiaries by group, 512 new and 40 reissued cards, 106 admissions with
 * a visit allowance, 26,994 meal days, and the convalescence, hospital-fee, serious-illness,
 * special-drug and health-check figures, every amount approved by a second person and paid.
 * Deterministic from the seed; `scale` repeats the province that many times with distinct people.
 * Command ids are derived from seed, copy and step, so a run that is interrupted and started again
 * continues where it stopped and never records anything twice.
 */
export interface DemoOptions {
  readonly seed: number;
  readonly scale: number;
  /** How many commands run at once. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number, phase: string) => void;
}

export const DEMO_YEAR = 2025;

/** The figures a demo province-year reproduces, per copy. */
export const DEMO_FIGURES = {
  beneficiariesByGroup: { 1: 14, 2: 56, 3: 262, 4: 1024, 5: 165, 6: 2826 },
  newCardsByGroup: { 1: 1, 2: 4, 3: 13, 4: 61, 5: 15, 6: 418 },
  // The report names 28 of the 40 reissues only as "other groups"; here they are spread over groups 1–3.
  reissuedCardsByGroup: { 1: 2, 2: 6, 3: 20, 4: 3, 5: 2, 6: 7 },
  visitsByGroup: { 1: 1, 2: 4, 3: 42, 4: 42, 5: 17 },
  mealDays: 26994,
} as const;

export const DEMO_ACTORS = {
  clerk: { username: 'demo.clerk', roles: ['clerk'] },
  council: { username: 'demo.council', roles: ['council-member'] },
  approver: { username: 'demo.approver', roles: ['approver'] },
  secondApprover: { username: 'demo.approver2', roles: ['approver'] },
  finance: { username: 'demo.finance', roles: ['finance'] },
} as const satisfies Record<string, Actor>;

/** The allocations of the demo year, per copy (VND). */
const BUDGETS: Partial<Record<RegimeCode, number>> = {
  a: 80_000_000,
  b: 5_500_000_000,
  c: 900_000_000,
  d: 10_000_000,
  đ: 300_000_000,
  e: 150_000_000,
  g: 1_100_000_000,
  h: 1_150_000_000,
  i: 450_000_000,
};

/** A small seeded generator: the same seed gives the same demo, run after run. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Day `n` (0-based) of the demo year. */
const dayOfYear = (n: number) => addDays(`${DEMO_YEAR}-01-01`, n);

interface Person {
  readonly key: string;
  readonly group: BeneficiaryGroup;
  readonly isNew: boolean;
  readonly enrolment: ConstructorParameters<typeof EnrolBeneficiary>[0];
  readonly cardNumber: string;
  readonly cardFrom: string;
  beneficiaryId?: string;
}

type Step = { readonly phase: string; readonly run: () => Promise<unknown> };

/** Runs steps `concurrency` at a time, reporting progress. */
function runAll(steps: readonly Step[], concurrency: number, progress: (phase: string) => void): Promise<void> {
  return forEachConcurrently(steps, concurrency, async (step) => {
    await step.run();
    progress(step.phase);
  });
}

const UNITS = [
  'Thành phố Lạng Sơn',
  'Huyện Cao Lộc',
  'Huyện Lộc Bình',
  'Huyện Văn Lãng',
  'Huyện Tràng Định',
  'Huyện Bình Gia',
  'Huyện Bắc Sơn',
  'Huyện Hữu Lũng',
  'Huyện Chi Lăng',
  'Huyện Đình Lập',
  'Huyện Văn Quan',
  'Cơ quan cấp tỉnh',
];
const FAMILY = ['Nguyễn', 'Hoàng', 'Lương', 'Nông', 'Vi', 'Lộc', 'Chu', 'Hà', 'Lý', 'Đinh', 'Triệu', 'Lăng'];
const GIVEN = ['Văn An', 'Thị Bình', 'Văn Cường', 'Thị Dung', 'Văn Hải', 'Thị Hoa', 'Văn Khánh', 'Thị Lan', 'Văn Minh', 'Thị Nga', 'Văn Phúc', 'Thị Quyên'];
const TITLES: Record<BeneficiaryGroup, string> = {
  1: 'Ủy viên Trung ương Đảng',
  2: 'Ủy viên Ban Thường vụ Tỉnh ủy',
  3: 'Bí thư Huyện ủy',
  4: 'Chủ tịch UBND huyện',
  5: 'Trưởng phòng cấp huyện',
  6: 'Cán bộ hưu trí',
};

export async function generateDemoProvince(commands: CommandBus, options: DemoOptions): Promise<{ commands: number }> {
  const concurrency = options.concurrency ?? 64;
  const random = mulberry32(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const ctx = (actor: Actor, id: string): CommandContext => ({ actor, commandId: `demo-${options.seed}-${id}` });

  const phases: Step[][] = [[], [], [], [], [], [], []];
  const [ENROL, CARDS, STAYS, REQUESTS, APPROVALS, PAYMENTS, BUDGET] = phases as [Step[], Step[], Step[], Step[], Step[], Step[], Step[]];
  let personIndex = 0;

  for (let copy = 0; copy < options.scale; copy++) {
    const id = (step: string) => `${copy}-${step}`;
    const people: Record<BeneficiaryGroup, Person[]> = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };
    for (const [groupKey, count] of Object.entries(DEMO_FIGURES.beneficiariesByGroup)) {
      const group = Number(groupKey) as BeneficiaryGroup;
      for (let n = 0; n < count; n++) {
        const p = personIndex++;
        const birthYear = 1945 + (p % 45);
        const sexDigit = Math.floor(p / 45) % 2;
        const nationalId = `020${sexDigit}${pad(birthYear % 100, 2)}${pad(Math.floor(p / 90), 6)}`;
        const isNew = n < DEMO_FIGURES.newCardsByGroup[group];
        const from = isNew ? dayOfYear(between(0, 300)) : '2020-01-01';
        people[group].push({
          key: `${copy}-${group}-${n}`,
          group,
          isNew,
          enrolment: {
            fullName: `${pick(FAMILY)} ${pick(GIVEN)}`,
            dateOfBirth: `${birthYear}-${pad(between(1, 12), 2)}-${pad(between(1, 28), 2)}`,
            nationalId,
            title: TITLES[group],
            administrativeUnit: pick(UNITS),
            group,
            from,
          },
          cardNumber: `LS${pad(copy, 3)}-${group}-${pad(n, 5)}`,
          cardFrom: from,
        });
      }
    }
    const all = Object.values(people).flat();
    // Services go to people enrolled before the year, in a fixed order per group.
    const served = (group: BeneficiaryGroup) => people[group].filter((person) => !person.isNew);
    const cursor: Record<number, number> = {};
    const nextServed = (group: BeneficiaryGroup): Person => {
      const list = served(group);
      const at = cursor[group] ?? 0;
      cursor[group] = at + 1;
      return list[at % list.length];
    };

    for (const person of all) {
      ENROL.push({
        phase: 'enrolments',
        run: async () => {
          person.beneficiaryId = (
            await commands.execute(new EnrolBeneficiary(person.enrolment, ctx(DEMO_ACTORS.clerk, id(`enrol-${person.key}`))))
          ).beneficiaryId;
        },
      });
      CARDS.push({
        phase: 'cards',
        run: () =>
          commands.execute(
            new IssueCard(
              { cardNumber: person.cardNumber, beneficiaryId: person.beneficiaryId!, validFrom: person.cardFrom, validTo: '2029-12-31' },
              ctx(DEMO_ACTORS.clerk, id(`card-${person.key}`)),
            ),
          ),
      });
    }
    // Reissues at the end of the year, after every service of the year was given on the first card.
    for (const [groupKey, count] of Object.entries(DEMO_FIGURES.reissuedCardsByGroup)) {
      const list = served(Number(groupKey) as BeneficiaryGroup).slice(-count);
      list.forEach((person, n) => {
        PAYMENTS.push({
          phase: 'reissued cards',
          run: () =>
            commands.execute(
              new ReissueCard(
                person.cardNumber,
                {
                  newCardNumber: `${person.cardNumber}-R`,
                  reason: pick(['lost', 'damaged', 'title-change'] as const),
                  on: `${DEMO_YEAR}-12-${pad(1 + (n % 20), 2)}`,
                },
                ctx(DEMO_ACTORS.clerk, id(`reissue-${person.key}`)),
              ),
            ),
        });
      });
    }

    // Admissions: the visits of groups 1–5, then group 6 stays until the year's meal days are reached.
    // Each goes to a different person, on the card issued above (reissues come after the last
    // admission), so no stay overlaps another.
    const stays: { person: Person; days: number }[] = [];
    for (const [groupKey, count] of Object.entries(DEMO_FIGURES.visitsByGroup)) {
      for (let n = 0; n < count; n++) stays.push({ person: nextServed(Number(groupKey) as BeneficiaryGroup), days: between(3, 14) });
    }
    let remaining = DEMO_FIGURES.mealDays - stays.reduce((sum, stay) => sum + stay.days, 0);
    while (remaining > 0) {
      const days = remaining <= 30 ? remaining : between(8, 22);
      stays.push({ person: nextServed(6), days });
      remaining -= days;
    }
    stays.forEach(({ person, days }, n) => {
      const admittedOn = dayOfYear(between(0, 333 - days));
      const dischargedOn = addDays(admittedOn, days - 1);
      STAYS.push({
        phase: 'admissions',
        run: async () => {
          const { admissionId } = await commands.execute(
            new RecordAdmission(
              { beneficiaryId: person.beneficiaryId!, cardNumber: person.cardNumber, facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn },
              ctx(DEMO_ACTORS.clerk, id(`admit-${n}`)),
            ),
          );
          await commands.execute(
            new ActOnAdmission(admissionId, { type: 'RecordDischarge', data: { dischargedOn } }, ctx(DEMO_ACTORS.clerk, id(`discharge-${n}`))),
          );
          const approved = await commands.execute(
            new ActOnAdmission(admissionId, { type: 'ApproveAdmissionAllowances' }, ctx(DEMO_ACTORS.approver, id(`approve-stay-${n}`))),
          );
          const paidOn = addDays(dischargedOn, 7) > `${DEMO_YEAR}-12-31` ? `${DEMO_YEAR}-12-31` : addDays(dischargedOn, 7);
          for (const regime of ['a', 'b'] as const) {
            if (approved.status !== 'none' && (regime === 'a' ? approved.visit : approved.meals)) {
              await commands.execute(
                new SettlePayout(
                  Payouts.payoutIdFor({ kind: 'admission', id: admissionId }, regime),
                  { type: 'PayPayout', data: { reference: `UNC-${copy}-${n}-${regime}`, paidOn } },
                  ctx(DEMO_ACTORS.finance, id(`pay-stay-${n}-${regime}`)),
                ),
              );
            }
          }
        },
      });
    });

    // Claims under the other regimes; each list adds up to the report's figure.
    type ClaimPlan = { person: Person; claim: Omit<ConstructorParameters<typeof RequestClaim>[0], 'beneficiaryId' | 'cardNumber'>; overCap?: string };
    const plans: ClaimPlan[] = [];
    const claimFor = (
      group: BeneficiaryGroup,
      regimeId: string,
      serviceDate: string,
      facts: Partial<ClaimPlan['claim']> = {},
      person = nextServed(group),
      overCap?: string,
    ) => plans.push({ person, claim: { regimeId, serviceDate, ...facts }, ...(overCap ? { overCap } : {}) });
    const spread = (total: number, counts: Partial<Record<BeneficiaryGroup, number>>, make: (group: BeneficiaryGroup, n: number) => void) => {
      let n = 0;
      for (const [groupKey, count] of Object.entries(counts)) for (let k = 0; k < count; k++) make(Number(groupKey) as BeneficiaryGroup, n++);
      if (n !== total) throw new Error(`demo plan lists ${n}, not ${total}`);
    };
    const date = (n: number, from = 0, to = 300) => dayOfYear(from + ((n * 37) % (to - from)));
    // c: 193 nine-day stays at a nursing centre.
    spread(193, { 1: 2, 2: 10, 3: 50, 4: 100, 5: 31 }, (group, n) => {
      const serviceDate = date(n, 30, 320);
      claimFor(group, 'c', serviceDate, { until: addDays(serviceDate, 8) });
    });
    // d: 20 hospital-fee supports, half of 400,000 or 764,000 paid out of pocket.
    spread(20, { 3: 4, 4: 8, 5: 4, 6: 4 }, (group, n) => claimFor(group, 'd', date(n), { outOfPocket: n % 2 === 0 ? 400_000 : 764_000 }));
    // đ: two at home, seventeen out of the province (paid up to 15,000,000).
    spread(2, { 2: 2 }, (group, n) => claimFor(group, 'đ.home', date(n, 100, 200)));
    spread(17, { 2: 17 }, (group, n) => claimFor(group, 'đ.out-of-province', date(n, 150, 250), { cost: 15_600_000 }));
    // e: serious illness.
    spread(6, { 2: 2, 4: 3, 5: 1 }, (group, n) => claimFor(group, 'e', date(n)));
    // g: special drugs to 31 October; two chronic group-1 patients go over their cap, approved as an exception.
    const drugs = (group: BeneficiaryGroup, amounts: readonly number[], samePerson: readonly number[] = [], overCap: readonly number[] = []) => {
      let person = nextServed(group);
      amounts.forEach((cost, n) => {
        if (n > 0 && !samePerson.includes(n)) person = nextServed(group);
        const half = Math.floor(cost / 2);
        claimFor(
          group,
          'g',
          date(n + group * 7, 0, 303),
          {
            cost,
            councilDecisionNumber: `${pad(n + 1, 2)}/QĐ-HĐCM`,
            items: [
              { name: 'Thuốc đặc trị theo chỉ định', quantity: 30, cost: half },
              { name: 'Thực phẩm bảo vệ sức khỏe', quantity: 10, cost: cost - half },
            ],
          },
          person,
          overCap.includes(n) ? 'Bệnh mãn tính, điều trị dài ngày theo kết luận Hội đồng chuyên môn' : undefined,
        );
      });
    };
    drugs(1, [60_000_000, 60_000_000, 90_000_000, 30_000_000, 41_042_000], [1, 3], [1, 3]);
    drugs(2, [50_000_000, 45_000_000, 38_082_000]);
    drugs(3, [...Array<number>(7).fill(36_000_000), 38_126_000]);
    drugs(4, [...Array<number>(10).fill(27_500_000), 25_138_000]);
    // h: group 1 twice (12 then 10 people), group 2 at actual cost, groups 3 and 4 at the fixed rate.
    const firstRound = served(1).slice(0, 12);
    firstRound.forEach((person, n) => claimFor(1, 'h.actual-cost', date(n, 60, 90), { cost: n < 11 ? 3_200_000 : 2_800_000 }, person));
    firstRound.slice(0, 10).forEach((person, n) => claimFor(1, 'h.actual-cost', date(n, 240, 270), { cost: 2_080_000 }, person));
    served(2)
      .slice(0, 37)
      .forEach((person, n) => claimFor(2, 'h.actual-cost', date(n, 90, 200), { cost: n < 33 ? 9_900_000 : 9_300_000 }, person));
    served(3)
      .slice(0, 66)
      .forEach((person, n) => claimFor(3, 'h.fixed', date(n, 90, 300), {}, person));
    served(4)
      .slice(0, 256)
      .forEach((person, n) => claimFor(4, 'h.fixed', date(n, 90, 300), {}, person));
    // i: party-congress checks: 161 people of groups 3–5 and 10 of groups 1–2.
    spread(161, { 3: 40, 4: 100, 5: 21 }, (group, n) => claimFor(group, 'i', date(n, 120, 240), { cost: n < 68 ? 2_500_000 : 2_000_000 }));
    spread(10, { 1: 2, 2: 8 }, (group, n) => claimFor(group, 'i', date(n, 120, 240), { cost: 12_000_000 }));

    const claimIds: string[] = [];
    plans.forEach((plan, n) => {
      REQUESTS.push({
        phase: 'claims',
        run: async () => {
          const requester = plan.claim.councilDecisionNumber ? DEMO_ACTORS.council : DEMO_ACTORS.clerk;
          const { claimId } = await commands.execute(
            new RequestClaim(
              { ...plan.claim, beneficiaryId: plan.person.beneficiaryId!, cardNumber: plan.person.cardNumber },
              ctx(requester, id(`claim-${n}`)),
            ),
          );
          claimIds[n] = claimId;
        },
      });
    });
    // Approvals in reviewed lists of 50, each claim still its own decision; exceptions over the cap by two approvers.
    for (let start = 0; start < plans.length; start += 50) {
      APPROVALS.push({
        phase: 'approvals',
        run: async () => {
          const list = plans.map((plan, n) => ({ plan, n })).slice(start, start + 50);
          const outcomes = await commands.execute(
            new ApproveClaims(
              list.filter(({ plan }) => !plan.overCap).map(({ n }) => claimIds[n]),
              ctx(DEMO_ACTORS.approver, id(`approve-list-${start}`)),
            ),
          );
          const refused = outcomes.find((outcome) => outcome.outcome !== 'approved');
          if (refused) throw new Error(`demo claim ${refused.claimId} was refused: ${refused.rule} ${refused.message}`);
          for (const { plan, n } of list.filter(({ plan }) => plan.overCap)) {
            await commands.execute(
              new DecideClaim(claimIds[n], { type: 'ProposeOverCapApproval', data: { reason: plan.overCap! } }, ctx(DEMO_ACTORS.approver, id(`propose-${n}`))),
            );
            await commands.execute(new DecideClaim(claimIds[n], { type: 'ConfirmOverCapApproval' }, ctx(DEMO_ACTORS.secondApprover, id(`confirm-${n}`))));
          }
        },
      });
    }
    plans.forEach((plan, n) => {
      PAYMENTS.push({
        phase: 'claim payments',
        run: () =>
          commands.execute(
            new SettlePayout(
              Payouts.payoutIdFor({ kind: 'claim', id: claimIds[n] }, plan.claim.regimeId),
              { type: 'PayPayout', data: { reference: `UNC-${copy}-C${n}`, paidOn: addDays(plan.claim.until ?? plan.claim.serviceDate, 10) } },
              ctx(DEMO_ACTORS.finance, id(`pay-claim-${n}`)),
            ),
          ),
      });
    });
  }

  for (const [regimeCode, amount] of Object.entries(BUDGETS) as [RegimeCode, number][]) {
    BUDGET.push({
      phase: 'budget',
      run: () =>
        commands.execute(
          new AllocateAnnualBudget(
            { year: DEMO_YEAR, regimeCode, amount: amount * options.scale, decisionNumber: '2850/QĐ-UBND' },
            ctx(DEMO_ACTORS.finance, `budget-${options.scale}-${regimeCode}`),
          ),
        ),
    });
  }

  const total = phases.reduce((sum, steps) => sum + steps.length, 0);
  let done = 0;
  const progress = (phase: string) => options.onProgress?.(++done, total, phase);
  await runAll(BUDGET, concurrency, progress);
  await runAll(ENROL, concurrency, progress);
  await runAll(CARDS, concurrency, progress);
  await runAll(STAYS, concurrency, progress);
  await runAll(REQUESTS, concurrency, progress);
  // Lists are approved one after another: claims of one beneficiary meet on the annual ledger.
  await runAll(APPROVALS, 1, progress);
  await runAll(PAYMENTS, concurrency, progress);
  return { commands: total };
}
