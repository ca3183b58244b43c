import { canonicalJson } from '../canonical-json.js';
import { ownEntry } from '../own-entry.js';
import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * The province's administrative units over time (province → districts → communes), in one
 * stream: every change has the date it takes effect, so the geography on any past day, and the
 * unit that carries an old one on today, can be answered. A unit's code is the name it was
 * created under and never changes; a renaming changes its name only.
 */
export const ADMINISTRATIVE_UNITS_STREAM = 'administrative-units';

export const UNIT_LEVELS = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export type UnitChange =
  | { readonly kind: 'created'; readonly code: string; readonly name: string; readonly level: UnitLevel; readonly parent?: string; readonly from: string }
  | { readonly kind: 'renamed'; readonly code: string; readonly name: string; readonly from: string }
  | { readonly kind: 'merged-into'; readonly code: string; readonly into: string; readonly from: string }
  | { readonly kind: 'split'; readonly code: string; readonly into: readonly string[]; readonly from: string }
  /** The unit ends; `successor`, when given, carries its people and reports from then on. */
  | { readonly kind: 'abolished'; readonly code: string; readonly successor?: string; readonly from: string };

export type AdministrativeUnitEvent =
  | { readonly type: 'AdministrativeUnitCreated'; readonly data: Extract<UnitChange, { kind: 'created' }> }
  | { readonly type: 'AdministrativeUnitRenamed'; readonly data: Extract<UnitChange, { kind: 'renamed' }> }
  | { readonly type: 'AdministrativeUnitMerged'; readonly data: Extract<UnitChange, { kind: 'merged-into' }> }
  | { readonly type: 'AdministrativeUnitSplit'; readonly data: Extract<UnitChange, { kind: 'split' }> }
  | { readonly type: 'AdministrativeUnitAbolished'; readonly data: Extract<UnitChange, { kind: 'abolished' }> };

export type AdministrativeUnitsCommand = { readonly type: 'RecordUnitChanges'; readonly data: { readonly changes: readonly UnitChange[] } };

export interface AdministrativeUnit {
  readonly code: string;
  readonly level: UnitLevel;
  readonly parent?: string;
  readonly from: string;
  /** Names by the date they took effect, in order. */
  readonly names: readonly { readonly name: string; readonly from: string }[];
  /** The day the unit stopped existing, and which units carry it on. */
  readonly ended?: { readonly on: string; readonly how: 'merged-into' | 'split' | 'abolished'; readonly successors: readonly string[] };
}

export interface AdministrativeUnits {
  readonly units: Readonly<Record<string, AdministrativeUnit>>;
  /** Every change recorded, so that recording a change again is recognised and has no effect. */
  readonly changes: readonly string[];
}

export const initialAdministrativeUnits: AdministrativeUnits = { units: {}, changes: [] };

export type AdministrativeUnitRule = 'UnknownUnit' | 'UnitExists' | 'UnitEnded' | 'InvalidInput';

const EVENT_OF = {
  created: 'AdministrativeUnitCreated',
  renamed: 'AdministrativeUnitRenamed',
  'merged-into': 'AdministrativeUnitMerged',
  split: 'AdministrativeUnitSplit',
  abolished: 'AdministrativeUnitAbolished',
} as const;

const keyOf = (change: UnitChange): string => canonicalJson(change);

export function evolve(state: AdministrativeUnits, event: AdministrativeUnitEvent): AdministrativeUnits {
  const change = event.data;
  const changes = [...state.changes, keyOf(change)];
  const unit = ownEntry(state.units, change.code);
  const put = (next: AdministrativeUnit) => ({ units: { ...state.units, [next.code]: next }, changes });
  switch (change.kind) {
    case 'created':
      return put({
        code: change.code,
        level: change.level,
        ...(change.parent ? { parent: change.parent } : {}),
        from: change.from,
        names: [{ name: change.name, from: change.from }],
      });
    case 'renamed':
      return unit ? put({ ...unit, names: [...unit.names, { name: change.name, from: change.from }] }) : state;
    case 'merged-into':
      return unit ? put({ ...unit, ended: { on: change.from, how: 'merged-into', successors: [change.into] } }) : state;
    case 'split':
      return unit ? put({ ...unit, ended: { on: change.from, how: 'split', successors: [...change.into] } }) : state;
    case 'abolished':
      return unit ? put({ ...unit, ended: { on: change.from, how: 'abolished', successors: change.successor ? [change.successor] : [] } }) : state;
  }
}

function requireUnit(state: AdministrativeUnits, code: string, on: string, field: string): AdministrativeUnit {
  const unit = ownEntry(state.units, code);
  if (!unit) throw new RuleViolated<AdministrativeUnitRule>('UnknownUnit', `no administrative unit ${code}`, field);
  if (on < unit.from) throw new RuleViolated<AdministrativeUnitRule>('InvalidInput', `${code} exists from ${unit.from}, not on ${on}`, field);
  if (unit.ended && unit.ended.on <= on) throw new RuleViolated<AdministrativeUnitRule>('UnitEnded', `${code} ended on ${unit.ended.on}`, field);
  return unit;
}

/**
 * Records changes in order, each checked against the units as the earlier ones left them. A
 * change recorded before is skipped, so a shipped file can be loaded on every start.
 */
export function decide(command: AdministrativeUnitsCommand, state: AdministrativeUnits): AdministrativeUnitEvent[] {
  const events: AdministrativeUnitEvent[] = [];
  let current = state;
  command.data.changes.forEach((change, n) => {
    const at = `changes[${n}]`;
    if (typeof change !== 'object' || change === null || !(change.kind in EVENT_OF)) {
      throw new RuleViolated<AdministrativeUnitRule>('InvalidInput', `${at}.kind must be one of ${Object.keys(EVENT_OF).join(', ')}`, `${at}.kind`);
    }
    if (current.changes.includes(keyOf(change))) return;
    requireText(change.code, `${at}.code`);
    requireDate(change.from, `${at}.from`);
    switch (change.kind) {
      case 'created':
        requireText(change.name, `${at}.name`);
        if (!UNIT_LEVELS.includes(change.level))
          throw new RuleViolated<AdministrativeUnitRule>('InvalidInput', `${at}.level must be one of ${UNIT_LEVELS.join(', ')}`, `${at}.level`);
        if (ownEntry(current.units, change.code))
          throw new RuleViolated<AdministrativeUnitRule>('UnitExists', `administrative unit ${change.code} already exists`, `${at}.code`);
        if (change.parent !== undefined) requireUnit(current, change.parent, change.from, `${at}.parent`);
        break;
      case 'renamed':
        requireText(change.name, `${at}.name`);
        requireUnit(current, change.code, change.from, `${at}.code`);
        break;
      case 'merged-into':
        requireUnit(current, change.code, change.from, `${at}.code`);
        requireUnit(current, change.into, change.from, `${at}.into`);
        break;
      case 'split':
        requireUnit(current, change.code, change.from, `${at}.code`);
        if (!Array.isArray(change.into) || change.into.length < 2)
          throw new RuleViolated<AdministrativeUnitRule>('InvalidInput', `${at}.into must name at least two units`, `${at}.into`);
        change.into.forEach((code: string, k) => requireUnit(current, code, change.from, `${at}.into[${k}]`));
        break;
      case 'abolished':
        requireUnit(current, change.code, change.from, `${at}.code`);
        if (change.successor !== undefined) requireUnit(current, change.successor, change.from, `${at}.successor`);
        break;
    }
    const event = { type: EVENT_OF[change.kind], data: change } as AdministrativeUnitEvent;
    events.push(event);
    current = evolve(current, event);
  });
  return events;
}

/** The unit's name on `date`, or undefined when it did not exist then. */
export function nameOn(state: AdministrativeUnits, code: string, date: string): string | undefined {
  const unit = ownEntry(state.units, code);
  if (!unit || date < unit.from || (unit.ended && unit.ended.on <= date)) return undefined;
  let name: string | undefined;
  for (const entry of unit.names) if (entry.from <= date) name = entry.name;
  return name;
}

/**
 * The code of the unit a list names, in force on `date`: by its code, or by the name it bore
 * that day; undefined when no unit in force then answers to it.
 */
export function unitNamedOn(state: AdministrativeUnits, text: string, date: string): string | undefined {
  if (nameOn(state, text, date) !== undefined) return text;
  return Object.keys(state.units).find((code) => nameOn(state, code, date) === text);
}

/**
 * The unit that carries `code` on `date`: itself while it exists, else its successor (followed
 * through later changes). A unit split in several or abolished without successor is carried by
 * its parent, since its people cannot be placed more precisely from the registry alone. Codes the
 * registry does not know (a provincial agency) are their own.
 */
export function unitCarrying(state: AdministrativeUnits, code: string, date: string): string {
  const seen = new Set<string>();
  let current = code;
  for (;;) {
    const unit = ownEntry(state.units, current);
    if (!unit?.ended || unit.ended.on > date || seen.has(current)) return current;
    seen.add(current);
    const next = unit.ended.successors.length === 1 ? unit.ended.successors[0] : unit.parent;
    if (!next) return current;
    current = next;
  }
}
