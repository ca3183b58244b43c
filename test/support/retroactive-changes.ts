import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from here or from the compiled copy under dist/. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes('/dist/') ? '../../..' : '../..');

/**
 * Decision 759/QĐ-TTg as a reorganization plan over Resolution 24's district titles (the titles
 * the demo province uses): from 2025-07-01 a district secretary becomes a commune secretary and,
 * by a transitional rule, keeps group 3; a district chair moves from group 4 to 5, a district
 * department head from 5 to 6. Units are left to the administrative-units registry.
 */
export function twoTierPlan(planId: string) {
  return {
    planId,
    title: 'Chính quyền địa phương hai cấp',
    decisionNumber: '759/QĐ-TTg',
    effectiveFrom: '2025-07-01',
    titles: [
      { title: 'Bí thư Huyện ủy', becomes: { title: 'Bí thư Đảng ủy xã', group: 3 } },
      { title: 'Chủ tịch UBND huyện', becomes: { title: 'Chủ tịch UBND xã', group: 5 } },
      { title: 'Trưởng phòng cấp huyện', becomes: { title: 'Trưởng phòng cấp xã', group: 6 } },
    ],
    units: {},
  } as const;
}

/**
 * Resolution 24's catalog as a new version from `effectiveFrom`, with the visit allowance (regime a)
 * changed for the groups given and one meal rate (regime b) for every group (illustrative).
 */
export function policyVersionFrom(id: string, effectiveFrom: string, change: { readonly visit: Readonly<Record<number, number>>; readonly mealRate: number }) {
  const catalog = JSON.parse(readFileSync(resolve(ROOT, 'policies/lang-son-resolution-24-2024.json'), 'utf8')) as {
    regimes: { id: string; rule: Record<string, any> }[];
  };
  return {
    ...catalog,
    id,
    legalBasis: 'Replacement resolution (illustrative)',
    effectiveFrom,
    regimes: catalog.regimes.map((regime) =>
      regime.id === 'a'
        ? { ...regime, rule: { ...regime.rule, amountByGroup: { ...regime.rule.amountByGroup, ...change.visit } } }
        : regime.id === 'b'
          ? { ...regime, rule: { ...regime.rule, rateByGroup: Object.fromEntries([1, 2, 3, 4, 5, 6].map((group) => [group, change.mealRate])) } }
          : regime,
    ),
  };
}

/** A replacement resolution from 2025-07-01 (illustrative): meals 200,000 VND a day for every group, group 3's visit allowance 800,000. */
export function replacementResolution(id: string) {
  return {
    ...policyVersionFrom(id, '2025-07-01', { visit: { 3: 800000 }, mealRate: 200000 }),
    legalBasis: 'Replacement resolution proposed by the 2025 year-end report (illustrative)',
  };
}
