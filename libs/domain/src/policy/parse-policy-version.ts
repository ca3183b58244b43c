import { isCalendarDate } from '../calendar-date.js';
import { MAX_TEXT_LENGTH } from '../rule-violated.js';
import {
  type AgeBand,
  BENEFICIARY_GROUPS,
  type CatalogVersion,
  type CheckKind,
  OFFICIALS_PROGRAMME,
  type PriorityArea,
  REGIME_CODES,
  type RegimeDefinition,
  type RegimeRule,
  type UniversalCheckRules,
} from './policy-version.js';

/** A policy version that does not fit the schema; `problems` names each offending field by its path. */
export class InvalidPolicyVersion extends Error {
  override readonly name = 'InvalidPolicyVersion';
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy version:\n- ${problems.join('\n- ')}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The oldest age a band may name: no one on a register is older. */
const MAX_AGE = 150;

/**
 * Checks untrusted input (a catalog file, an administrator's request) against the policy schema
 * and returns it typed: a version of the officials' regimes (`kind` absent or "regimes"), or of a
 * universal-check programme (`kind` "universal-check"). Every problem is collected, so one pass
 * shows them all.
 */
export function parsePolicyVersion(input: unknown): CatalogVersion {
  const problems: string[] = [];
  const text = (value: unknown, path: string): string => {
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${path} must be a non-empty string`);
    else if (value.length > MAX_TEXT_LENGTH) problems.push(`${path} must be at most ${MAX_TEXT_LENGTH} characters`);
    return typeof value === 'string' ? value : '';
  };
  const vnd = (value: unknown, path: string): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) problems.push(`${path} must be a whole, non-negative number of VND`);
    return value as number;
  };
  const byGroup = (value: unknown, path: string, check: (v: unknown, p: string) => void = vnd): Record<number, number> => {
    if (!isRecord(value) || Object.keys(value).length === 0) {
      problems.push(`${path} must map beneficiary groups (1–6) to amounts`);
      return {};
    }
    const result: Record<number, number> = {};
    for (const [key, amount] of Object.entries(value)) {
      const group = Number(key);
      if (!(BENEFICIARY_GROUPS as readonly number[]).includes(group)) problems.push(`${path}.${key} is not a beneficiary group (1–6)`);
      check(amount, `${path}.${key}`);
      result[group] = amount as number;
    }
    return result;
  };
  /**
   * A rule with two tables by group covers a group only with both: a group in one table and not the
   * other is a gap that would pay it nothing (or without its ceiling), never what was meant.
   */
  const sameGroups = (path: string, tables: Record<string, Record<number, number>>): void => {
    const named = [...new Set(Object.values(tables).flatMap((table) => Object.keys(table)))];
    for (const [name, table] of Object.entries(tables)) {
      for (const group of named.filter((group) => !(group in table)))
        problems.push(`${path}.${name}.${group} is missing: the rule's other table covers group ${group}`);
    }
  };
  const flag = (value: unknown, path: string): boolean => {
    if (typeof value !== 'boolean') problems.push(`${path} must be true or false`);
    return value as boolean;
  };

  const rule = (value: unknown, path: string): RegimeRule => {
    if (!isRecord(value)) {
      problems.push(`${path} must be an object`);
      return value as never;
    }
    switch (value.kind) {
      case 'fixed-per-event':
        return { kind: value.kind, amountByGroup: byGroup(value.amountByGroup, `${path}.amountByGroup`) };
      case 'rate-per-day':
        return {
          kind: value.kind,
          rateByGroup: byGroup(value.rateByGroup, `${path}.rateByGroup`),
          countFirstDay: flag(value.countFirstDay, `${path}.countFirstDay`),
          countLastDay: flag(value.countLastDay, `${path}.countLastDay`),
        };
      case 'actual-cost-up-to-claim-ceiling':
        return { kind: value.kind, ceilingByGroup: byGroup(value.ceilingByGroup, `${path}.ceilingByGroup`) };
      case 'actual-cost-up-to-annual-cap':
        return { kind: value.kind, annualCapByGroup: byGroup(value.annualCapByGroup, `${path}.annualCapByGroup`) };
      case 'share-of-out-of-pocket': {
        const shareBasisPointsByGroup = byGroup(value.shareBasisPointsByGroup, `${path}.shareBasisPointsByGroup`, (v, p) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10000) problems.push(`${p} must be basis points from 0 to 10000`);
        });
        const ceilingByGroup = byGroup(value.ceilingByGroup, `${path}.ceilingByGroup`);
        sameGroups(path, { shareBasisPointsByGroup, ceilingByGroup });
        return { kind: value.kind, shareBasisPointsByGroup, ceilingByGroup };
      }
      case 'limited-per-year': {
        const timesPerYearByGroup = byGroup(value.timesPerYearByGroup, `${path}.timesPerYearByGroup`, (v, p) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) problems.push(`${p} must be a whole number of times, at least 1`);
        });
        const amountByGroup = byGroup(value.amountByGroup, `${path}.amountByGroup`);
        sameGroups(path, { timesPerYearByGroup, amountByGroup });
        return { kind: value.kind, timesPerYearByGroup, amountByGroup, actualCost: flag(value.actualCost, `${path}.actualCost`) };
      }
      case 'staff-allowance': {
        const roles = isRecord(value.amountByRole) ? value.amountByRole : {};
        if (Object.keys(roles).length === 0) problems.push(`${path}.amountByRole must map staff roles to amounts`);
        for (const [role, amount] of Object.entries(roles)) vnd(amount, `${path}.amountByRole.${role}`);
        if (value.per !== 'month' && value.per !== 'session') problems.push(`${path}.per must be "month" or "session"`);
        return { kind: value.kind, amountByRole: roles as Record<string, number>, per: value.per as 'month' | 'session' };
      }
      default:
        problems.push(`${path}.kind ${JSON.stringify(value.kind) ?? '(missing)'} is not a known rule kind`);
        return value as never;
    }
  };

  const date = (value: unknown, path: string): string => {
    if (!isCalendarDate(value)) problems.push(`${path} must be a date YYYY-MM-DD`);
    return value as string;
  };
  const list = (value: unknown, path: string, what: string): unknown[] => {
    if (!Array.isArray(value) || value.length === 0) {
      problems.push(`${path} must list at least one ${what}`);
      return [];
    }
    return value;
  };
  const wholeNumber = (value: unknown, path: string, minimum: number, maximum: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum)
      problems.push(`${path} must be a whole number from ${minimum} to ${maximum}`);
    return value as number;
  };
  /** Ids named once each, checked where they are defined, so the fee table can refer to them. */
  const named = <T extends { id: string }>(items: readonly T[], path: string): T[] => {
    const ids = new Set<string>();
    items.forEach((item, n) => {
      if (ids.has(item.id)) problems.push(`${path}[${n}].id "${item.id}" appears twice`);
      ids.add(item.id);
    });
    return [...items];
  };

  const regimesOf = (value: unknown): RegimeDefinition[] => {
    const regimesInput = Array.isArray(value) ? value : [];
    if (regimesInput.length === 0) problems.push('regimes must list at least one regime');
    const seen = new Set<string>();
    return regimesInput.map((regime: unknown, index): RegimeDefinition => {
      const path = `regimes[${index}]`;
      const r = isRecord(regime) ? regime : {};
      if (!(REGIME_CODES as readonly unknown[]).includes(r.code)) problems.push(`${path}.code must be one of ${REGIME_CODES.join(', ')}`);
      const id = text(r.id, `${path}.id`);
      if (typeof r.id === 'string' && r.id.split('.')[0] !== r.code)
        problems.push(`${path}.id "${r.id}" must start with its code ${JSON.stringify(r.code) ?? '(missing)'}`);
      if (seen.has(id)) problems.push(`${path}.id "${id}" appears twice`);
      seen.add(id);
      return {
        id,
        code: r.code as RegimeDefinition['code'],
        name: text(r.name, `${path}.name`),
        clause: text(r.clause, `${path}.clause`),
        illustrative: flag(r.illustrative, `${path}.illustrative`),
        rule: rule(r.rule, `${path}.rule`),
      };
    });
  };

  const checkOf = (value: unknown, effectiveFrom: unknown): UniversalCheckRules => {
    const path = 'check';
    const c = isRecord(value) ? value : {};
    if (!isRecord(value)) problems.push(`${path} must be an object`);
    const residenceWithin = list(c.residenceWithin, `${path}.residenceWithin`, 'administrative unit').map((unit, n) =>
      text(unit, `${path}.residenceWithin[${n}]`),
    );
    const eligibleFrom = date(c.eligibleFrom, `${path}.eligibleFrom`);
    if (isCalendarDate(eligibleFrom) && isCalendarDate(effectiveFrom) && eligibleFrom < effectiveFrom)
      problems.push(`${path}.eligibleFrom must not be before effectiveFrom`);
    const priorityAreas = (
      Array.isArray(c.priorityAreas) ? c.priorityAreas : c.priorityAreas === undefined ? [] : (problems.push(`${path}.priorityAreas must be a list`), [])
    ).map((area: unknown, n): PriorityArea => {
      const a = isRecord(area) ? area : {};
      const from = date(a.eligibleFrom, `${path}.priorityAreas[${n}].eligibleFrom`);
      if (isCalendarDate(from) && isCalendarDate(effectiveFrom) && from < effectiveFrom)
        problems.push(`${path}.priorityAreas[${n}].eligibleFrom must not be before effectiveFrom`);
      return { unit: text(a.unit, `${path}.priorityAreas[${n}].unit`), eligibleFrom: from };
    });
    const ageBands = named(
      list(c.ageBands, `${path}.ageBands`, 'age band').map((band: unknown, n): AgeBand => {
        const b = isRecord(band) ? band : {};
        const at = `${path}.ageBands[${n}]`;
        const fromAge = wholeNumber(b.fromAge, `${at}.fromAge`, 0, MAX_AGE);
        const toAge = b.toAge === undefined ? undefined : wholeNumber(b.toAge, `${at}.toAge`, 0, MAX_AGE);
        if (typeof toAge === 'number' && typeof fromAge === 'number' && toAge < fromAge) problems.push(`${at}.toAge must not be below fromAge`);
        return { id: text(b.id, `${at}.id`), name: text(b.name, `${at}.name`), fromAge, ...(toAge === undefined ? {} : { toAge }) };
      }),
      `${path}.ageBands`,
    );
    // Bands that overlap would leave an age two fees: which one is paid must never be a guess.
    ageBands.forEach((band, n) =>
      ageBands.slice(n + 1).forEach((other) => {
        if (band.fromAge <= (other.toAge ?? MAX_AGE) && other.fromAge <= (band.toAge ?? MAX_AGE))
          problems.push(`${path}.ageBands "${band.id}" and "${other.id}" overlap`);
      }),
    );
    const checkKinds = named(
      list(c.checkKinds, `${path}.checkKinds`, 'kind of check').map((kind: unknown, n): CheckKind => {
        const k = isRecord(kind) ? kind : {};
        return { id: text(k.id, `${path}.checkKinds[${n}].id`), name: text(k.name, `${path}.checkKinds[${n}].name`) };
      }),
      `${path}.checkKinds`,
    );
    const feeByAgeBand: Record<string, Record<string, number>> = {};
    const fees = isRecord(c.feeByAgeBand) ? c.feeByAgeBand : {};
    if (!isRecord(c.feeByAgeBand)) problems.push(`${path}.feeByAgeBand must map age bands to fees by kind of check`);
    for (const band of ageBands) {
      const byKind = fees[band.id];
      if (!isRecord(byKind) || Object.keys(byKind).length === 0) {
        problems.push(`${path}.feeByAgeBand.${band.id} must map kinds of check to fees: every age band is offered one at least`);
        continue;
      }
      feeByAgeBand[band.id] = {};
      for (const [kind, fee] of Object.entries(byKind)) {
        if (!checkKinds.some((known) => known.id === kind)) problems.push(`${path}.feeByAgeBand.${band.id}.${kind} is not a kind of check of the programme`);
        feeByAgeBand[band.id][kind] = vnd(fee, `${path}.feeByAgeBand.${band.id}.${kind}`);
      }
    }
    for (const band of Object.keys(fees).filter((id) => !ageBands.some((known) => known.id === id)))
      problems.push(`${path}.feeByAgeBand.${band} is not an age band of the programme`);
    return {
      name: text(c.name, `${path}.name`),
      clause: text(c.clause, `${path}.clause`),
      illustrative: flag(c.illustrative, `${path}.illustrative`),
      residenceWithin,
      eligibleFrom,
      priorityAreas,
      timesPerCalendarYear: wholeNumber(c.timesPerCalendarYear, `${path}.timesPerCalendarYear`, 1, 12),
      ageBands,
      checkKinds,
      feeByAgeBand,
    };
  };

  if (!isRecord(input)) throw new InvalidPolicyVersion(['the policy version must be a JSON object']);
  if (input.kind !== undefined && input.kind !== 'regimes' && input.kind !== 'universal-check')
    problems.push(`kind ${JSON.stringify(input.kind)} must be "regimes" (the officials' regimes, the default) or "universal-check"`);
  const universal = input.kind === 'universal-check';
  const programme = input.programme === undefined ? undefined : text(input.programme, 'programme');
  if (universal && programme === undefined) problems.push('programme must name the programme a universal-check version belongs to');
  // One programme, one kind of version: the officials' programme is the regimes', and only theirs.
  if (universal && programme === OFFICIALS_PROGRAMME) problems.push(`programme ${OFFICIALS_PROGRAMME} holds the officials' regimes, not a universal check`);
  if (!universal && programme !== undefined && programme !== OFFICIALS_PROGRAMME)
    problems.push(`programme of a version of regimes must be ${OFFICIALS_PROGRAMME} (or left out)`);

  // The body first, then the dates and the header: the order in which problems were always named.
  const body = universal
    ? { programme: programme!, kind: 'universal-check' as const, check: checkOf(input.check, input.effectiveFrom) }
    : {
        ...(programme === undefined ? {} : { programme }),
        ...(input.kind === undefined ? {} : { kind: 'regimes' as const }),
        regimes: regimesOf(input.regimes),
      };
  if (!isCalendarDate(input.effectiveFrom)) problems.push('effectiveFrom must be a date YYYY-MM-DD');
  if (input.effectiveTo !== undefined) {
    if (!isCalendarDate(input.effectiveTo)) problems.push('effectiveTo must be a date YYYY-MM-DD');
    else if (isCalendarDate(input.effectiveFrom) && input.effectiveTo < input.effectiveFrom) problems.push('effectiveTo must not be before effectiveFrom');
  }
  const header = {
    id: text(input.id, 'id'),
    province: text(input.province, 'province'),
    legalBasis: text(input.legalBasis, 'legalBasis'),
    effectiveFrom: input.effectiveFrom as string,
    ...(input.effectiveTo === undefined ? {} : { effectiveTo: input.effectiveTo as string }),
    ...(input.note === undefined ? {} : { note: text(input.note, 'note') }),
  };
  const version: CatalogVersion = { ...header, ...body };
  if (problems.length > 0) throw new InvalidPolicyVersion(problems);
  return version;
}
