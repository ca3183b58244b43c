import { deciderSpec } from '../testing/decider.fixture.js';
import { decide, evolve, initialReorganization, type ReorganizationEvent, type ReorganizationPlan, reclassificationUnder } from './reorganization-plan.js';

const plan: ReorganizationPlan = {
  planId: 'lang-son-2025-07',
  title: 'Chính quyền địa phương hai cấp',
  decisionNumber: '759/QĐ-TTg',
  effectiveFrom: '2025-07-01',
  titles: [
    { title: 'Bí thư Huyện ủy', becomes: { title: 'Bí thư Đảng ủy xã', group: 3 } },
    { title: 'Chủ tịch UBND huyện', becomes: { title: 'Chủ tịch UBND xã', group: 5 } },
    { title: 'Trưởng phòng cấp huyện', group: 5, becomes: { title: 'Trưởng phòng cấp xã', group: 6 } },
  ],
  units: { 'Huyện Cao Lộc': 'Xã Cao Lộc' },
};
const drafted: ReorganizationEvent = { type: 'ReorganizationPlanDrafted', data: { ...plan, draftedBy: 'admin-1' } };
const spec = deciderSpec({ decide, evolve, initialState: initialReorganization });

describe('reorganization plans', () => {
  it('is drafted once; the same draft again records nothing, another under its id is refused', () => {
    spec
      .given([])
      .when({ type: 'DraftReorganizationPlan', data: { plan, by: 'admin-1' } })
      .then([drafted]);
    spec
      .given([drafted])
      .when({ type: 'DraftReorganizationPlan', data: { plan: { ...plan }, by: 'admin-2' } })
      .then([]);
    spec
      .given([drafted])
      .when({ type: 'DraftReorganizationPlan', data: { plan: { ...plan, effectiveFrom: '2025-08-01' }, by: 'admin-1' } })
      .thenThrows({ rule: 'PlanExists' });
  });

  it('names the bad field of a plan', () => {
    spec
      .given([])
      .when({ type: 'DraftReorganizationPlan', data: { plan: { ...plan, effectiveFrom: '2025-02-30' }, by: 'a' } })
      .thenThrows({ rule: 'InvalidInput', field: 'effectiveFrom' });
    spec
      .given([])
      .when({ type: 'DraftReorganizationPlan', data: { plan: { ...plan, titles: [] }, by: 'a' } })
      .thenThrows({ field: 'titles' });
    const badGroup = { ...plan, titles: [{ title: 'x', becomes: { title: 'y', group: 7 } }] } as unknown as ReorganizationPlan;
    spec
      .given([])
      .when({ type: 'DraftReorganizationPlan', data: { plan: badGroup, by: 'a' } })
      .thenThrows({ field: 'titles[0].becomes.group' });
  });

  it('is confirmed by someone other than who drafted it, once; applied only once confirmed', () => {
    spec
      .given([drafted])
      .when({ type: 'ConfirmReorganizationPlan', data: { by: 'admin-1' } })
      .thenThrows({ rule: 'ApprovingOwnRequest' });
    const confirmed: ReorganizationEvent = { type: 'ReorganizationPlanConfirmed', data: { by: 'admin-2' } };
    spec
      .given([drafted])
      .when({ type: 'ConfirmReorganizationPlan', data: { by: 'admin-2' } })
      .then([confirmed]);
    spec
      .given([drafted, confirmed])
      .when({ type: 'ConfirmReorganizationPlan', data: { by: 'admin-3' } })
      .then([]);
    spec
      .given([drafted])
      .when({ type: 'RecordPlanApplied', data: { beneficiaries: 1, stays: 2, claims: 0 } })
      .thenThrows({ rule: 'NotConfirmed' });
    const applied: ReorganizationEvent = { type: 'ReorganizationPlanApplied', data: { beneficiaries: 1, stays: 2, claims: 0 } };
    spec
      .given([drafted, confirmed])
      .when({ type: 'RecordPlanApplied', data: { beneficiaries: 1, stays: 2, claims: 0 } })
      .then([applied]);
    spec
      .given([drafted, confirmed, applied])
      .when({ type: 'RecordPlanApplied', data: { beneficiaries: 1, stays: 2, claims: 0 } })
      .then([]);
    spec
      .given([])
      .when({ type: 'ConfirmReorganizationPlan', data: { by: 'admin-2' } })
      .thenThrows({ rule: 'NoSuchPlan' });
  });

  it('maps a title (and group, where the mapping names one) to the new title, unit and group', () => {
    expect(reclassificationUnder(plan, { title: 'Bí thư Huyện ủy', administrativeUnit: 'Huyện Cao Lộc', group: 3 })).toEqual({
      title: 'Bí thư Đảng ủy xã',
      administrativeUnit: 'Xã Cao Lộc',
      group: 3,
    });
    expect(reclassificationUnder(plan, { title: 'Chủ tịch UBND huyện', administrativeUnit: 'Huyện Lộc Bình', group: 4 })).toEqual({
      title: 'Chủ tịch UBND xã',
      administrativeUnit: 'Huyện Lộc Bình',
      group: 5,
    });
    expect(reclassificationUnder(plan, { title: 'Trưởng phòng cấp huyện', administrativeUnit: 'Huyện Cao Lộc', group: 4 })).toBeUndefined();
    expect(reclassificationUnder(plan, { title: 'Ủy viên Trung ương Đảng', administrativeUnit: 'Cơ quan cấp tỉnh', group: 1 })).toBeUndefined();
  });

  it('may say a new title is not covered from the effective date (group null), and nothing else but a group 1–6', () => {
    const ending: ReorganizationPlan = { ...plan, titles: [{ title: 'Phó Trưởng phòng cấp huyện', becomes: { title: 'Chuyên viên cấp xã', group: null } }] };
    spec
      .given([])
      .when({ type: 'DraftReorganizationPlan', data: { plan: ending, by: 'admin-1' } })
      .then([{ type: 'ReorganizationPlanDrafted', data: { ...ending, draftedBy: 'admin-1' } }]);
    expect(reclassificationUnder(ending, { title: 'Phó Trưởng phòng cấp huyện', administrativeUnit: 'Huyện Cao Lộc', group: 6 })).toEqual({
      title: 'Chuyên viên cấp xã',
      administrativeUnit: 'Xã Cao Lộc',
      group: null,
    });
    const missing = { ...plan, titles: [{ title: 'x', becomes: { title: 'y' } }] } as unknown as ReorganizationPlan;
    spec
      .given([])
      .when({ type: 'DraftReorganizationPlan', data: { plan: missing, by: 'a' } })
      .thenThrows({ rule: 'InvalidInput', field: 'titles[0].becomes.group' });
  });
});
