import { deciderSpec } from '../testing/decider.fixture.js';
import {
  type AdministrativeUnitEvent,
  decide,
  evolve,
  initialAdministrativeUnits,
  nameOn,
  type UnitChange,
  unitCarrying,
  unitNamedOn,
} from './administrative-units.js';

const spec = deciderSpec({ decide, evolve, initialState: initialAdministrativeUnits });
const record = (...changes: UnitChange[]) => ({ type: 'RecordUnitChanges', data: { changes } }) as const;
const created = (code: string, level: 'province' | 'district' | 'commune', parent?: string, from = '2008-01-01'): AdministrativeUnitEvent => ({
  type: 'AdministrativeUnitCreated',
  data: { kind: 'created', code, name: code, level, ...(parent ? { parent } : {}), from },
});
const province = created('Tỉnh Lạng Sơn', 'province');
const caoLoc = created('Huyện Cao Lộc', 'district', 'Tỉnh Lạng Sơn');
const xaCaoLoc = created('Xã Cao Lộc', 'commune', 'Tỉnh Lạng Sơn', '2025-07-01');
const state = (events: readonly AdministrativeUnitEvent[]) => events.reduce(evolve, initialAdministrativeUnits);

describe('administrative units over time', () => {
  it('abolishes the district level on 2025-07-01, its people carried by the successor commune from that day', () => {
    const abolished: AdministrativeUnitEvent = {
      type: 'AdministrativeUnitAbolished',
      data: { kind: 'abolished', code: 'Huyện Cao Lộc', successor: 'Xã Cao Lộc', from: '2025-07-01' },
    };
    spec.given([province, caoLoc, xaCaoLoc]).when(record(abolished.data)).then([abolished]);
    const units = state([province, caoLoc, xaCaoLoc, abolished]);
    expect(unitCarrying(units, 'Huyện Cao Lộc', '2025-06-30')).toBe('Huyện Cao Lộc');
    expect(unitCarrying(units, 'Huyện Cao Lộc', '2025-07-01')).toBe('Xã Cao Lộc');
    expect(unitCarrying(units, 'Cơ quan cấp tỉnh', '2025-07-01')).toBe('Cơ quan cấp tỉnh');
    expect(nameOn(units, 'Huyện Cao Lộc', '2025-07-01')).toBeUndefined();
  });

  it('renames, merges and splits with effective dates; a split unit is carried by its parent', () => {
    const renamed: UnitChange = { kind: 'renamed', code: 'Xã Cao Lộc', name: 'Xã Cao Lộc mới', from: '2026-01-01' };
    const other = created('Xã Đồng Đăng', 'commune', 'Tỉnh Lạng Sơn', '2025-07-01');
    const merged: UnitChange = { kind: 'merged-into', code: 'Xã Đồng Đăng', into: 'Xã Cao Lộc', from: '2026-03-01' };
    const split: UnitChange = { kind: 'split', code: 'Huyện Cao Lộc', into: ['Xã Cao Lộc', 'Xã Đồng Đăng'], from: '2025-07-01' };
    const events = decide(record(split, renamed, merged), state([province, caoLoc, xaCaoLoc, other]));
    expect(events.map((e) => e.type)).toEqual(['AdministrativeUnitSplit', 'AdministrativeUnitRenamed', 'AdministrativeUnitMerged']);
    const units = state([province, caoLoc, xaCaoLoc, other, ...events]);
    expect(nameOn(units, 'Xã Cao Lộc', '2025-12-31')).toBe('Xã Cao Lộc');
    expect(nameOn(units, 'Xã Cao Lộc', '2026-01-01')).toBe('Xã Cao Lộc mới');
    expect(unitCarrying(units, 'Xã Đồng Đăng', '2026-03-01')).toBe('Xã Cao Lộc');
    expect(unitCarrying(units, 'Huyện Cao Lộc', '2025-07-01')).toBe('Tỉnh Lạng Sơn');
  });

  it('finds the unit a list names on a date, by its code or the name it bore then, only while it exists', () => {
    const renamed: AdministrativeUnitEvent = {
      type: 'AdministrativeUnitRenamed',
      data: { kind: 'renamed', code: 'Xã Cao Lộc', name: 'Phường Cao Lộc', from: '2026-01-01' },
    };
    const abolished: AdministrativeUnitEvent = {
      type: 'AdministrativeUnitAbolished',
      data: { kind: 'abolished', code: 'Huyện Cao Lộc', successor: 'Xã Cao Lộc', from: '2025-07-01' },
    };
    const units = state([province, caoLoc, xaCaoLoc, renamed, abolished]);
    expect(unitNamedOn(units, 'Huyện Cao Lộc', '2025-06-30')).toBe('Huyện Cao Lộc');
    expect(unitNamedOn(units, 'Huyện Cao Lộc', '2025-07-01')).toBeUndefined();
    expect(unitNamedOn(units, 'Xã Cao Lộc', '2025-06-30')).toBeUndefined();
    expect(unitNamedOn(units, 'Phường Cao Lộc', '2025-12-31')).toBeUndefined();
    expect(unitNamedOn(units, 'Phường Cao Lộc', '2026-01-01')).toBe('Xã Cao Lộc');
    expect(unitNamedOn(units, 'Xã Cao Lộc', '2026-01-01')).toBe('Xã Cao Lộc');
    expect(unitNamedOn(units, 'Cơ quan cấp tỉnh', '2026-01-01')).toBeUndefined();
    expect(unitNamedOn(units, 'constructor', '2026-01-01')).toBeUndefined();
  });

  it('skips a change recorded before, so the shipped file loads on every start', () => {
    spec.given([province, caoLoc]).when(record(province.data, caoLoc.data)).then([]);
  });

  it('refuses an unknown unit, a duplicate, a change to an ended unit and a bad date, naming the field', () => {
    spec
      .given([province])
      .when(record({ kind: 'renamed', code: 'Huyện Không Có', name: 'x', from: '2025-01-01' }))
      .thenThrows({ rule: 'UnknownUnit', field: 'changes[0].code' });
    spec
      .given([province, caoLoc])
      .when(record({ ...caoLoc.data, from: '2009-01-01' }))
      .thenThrows({ rule: 'UnitExists', field: 'changes[0].code' });
    const gone: AdministrativeUnitEvent = { type: 'AdministrativeUnitAbolished', data: { kind: 'abolished', code: 'Huyện Cao Lộc', from: '2025-07-01' } };
    spec
      .given([province, caoLoc, gone])
      .when(record({ kind: 'renamed', code: 'Huyện Cao Lộc', name: 'x', from: '2025-08-01' }))
      .thenThrows({ rule: 'UnitEnded' });
    spec
      .given([province])
      .when(record({ kind: 'created', code: 'x', name: 'x', level: 'commune', from: '2025-13-01' }))
      .thenThrows({ rule: 'InvalidInput', field: 'changes[0].from' });
    spec
      .given([])
      .when(record({ kind: 'moved' } as unknown as UnitChange))
      .thenThrows({ rule: 'InvalidInput', field: 'changes[0].kind' });
  });
});
