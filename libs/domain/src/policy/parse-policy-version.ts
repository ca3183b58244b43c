import { isCalendarDate } from '../calendar-date.js';
import { MAX_TEXT_LENGTH } from '../rule-violated.js';
import { BENEFICIARY_GROUPS, type PolicyVersion, REGIME_CODES, type RegimeDefinition, type RegimeRule } from './policy-version.js';

/** A policy version that does not fit the schema; `problems` names each offending field by its path. */
export class InvalidPolicyVersion extends Error {
  override readonly name = 'InvalidPolicyVersion';
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy version:\n- ${problems.join('\n- ')}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks untrusted input (a catalog file, an administrator's request) against the policy schema
 * and returns it typed. Every problem is collected, so one pass shows them all.
 */
export function parsePolicyVersion(input: unknown): PolicyVersion {
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

  if (!isRecord(input)) throw new InvalidPolicyVersion(['the policy version must be a JSON object']);
  const regimesInput = Array.isArray(input.regimes) ? input.regimes : [];
  if (regimesInput.length === 0) problems.push('regimes must list at least one regime');
  const seen = new Set<string>();
  const regimes = regimesInput.map((regime: unknown, index): RegimeDefinition => {
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

  if (!isCalendarDate(input.effectiveFrom)) problems.push('effectiveFrom must be a date YYYY-MM-DD');
  if (input.effectiveTo !== undefined) {
    if (!isCalendarDate(input.effectiveTo)) problems.push('effectiveTo must be a date YYYY-MM-DD');
    else if (isCalendarDate(input.effectiveFrom) && input.effectiveTo < input.effectiveFrom) problems.push('effectiveTo must not be before effectiveFrom');
  }
  const version: PolicyVersion = {
    id: text(input.id, 'id'),
    province: text(input.province, 'province'),
    legalBasis: text(input.legalBasis, 'legalBasis'),
    effectiveFrom: input.effectiveFrom as string,
    ...(input.effectiveTo === undefined ? {} : { effectiveTo: input.effectiveTo as string }),
    ...(input.note === undefined ? {} : { note: text(input.note, 'note') }),
    regimes,
  };
  if (problems.length > 0) throw new InvalidPolicyVersion(problems);
  return version;
}
