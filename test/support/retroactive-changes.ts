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

/** A replacement resolution from 2025-07-01 (illustrative): meals 200,000 VND a day for every group, group 3's visit allowance 800,000. */
export function replacementResolution(id: string) {
  const catalog = JSON.parse(readFileSync(resolve(ROOT, 'policies/lang-son-resolution-24-2024.json'), 'utf8')) as { regimes: { id: string; rule: Record<string, any> }[] };
  return {
    ...catalog,
    id,
    legalBasis: 'Replacement resolution proposed by the 2025 year-end report (illustrative)',
    effectiveFrom: '2025-07-01',
    regimes: catalog.regimes.map((regime) =>
      regime.id === 'a'
        ? { ...regime, rule: { ...regime.rule, amountByGroup: { ...regime.rule.amountByGroup, 3: 800000 } } }
        : regime.id === 'b'
          ? { ...regime, rule: { ...regime.rule, rateByGroup: { 1: 200000, 2: 200000, 3: 200000, 4: 200000, 5: 200000, 6: 200000 } } }
          : regime,
    ),
  };
}
