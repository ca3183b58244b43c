import { type BeneficiaryGroup, BENEFICIARY_GROUPS } from '../policy/policy-version.js';
import { canonicalJson } from '../canonical-json.js';
import { ownEntry } from '../own-entry.js';
import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * A reorganization plan: from its effective date, beneficiaries holding an old title (in an old
 * unit) hold a new title in a new unit, and a group the plan states, which is how it records a
 * transitional rule (keep group 3 for a former district secretary, or change it). A plan is
 * drafted, previewed, then confirmed by someone else; applying it reclassifies each beneficiary
 * it matches and recomputes their stays, and is recorded as applied when every one is done.
 */
export interface TitleMapping {
  /** Matches who held exactly this title the day before the plan takes effect… */
  readonly title: string;
  /** …and, when given, only those in this group then. */
  readonly group?: BeneficiaryGroup;
  readonly becomes: {
    readonly title: string;
    /**
     * The group from the effective date: the same as before to keep it (a transitional rule),
     * another to change it, or null when the new title is not covered: its holders leave the
     * register on the effective date, and what was paid for their services since is recovered.
     */
    readonly group: BeneficiaryGroup | null;
  };
}

export interface ReorganizationPlan {
  readonly planId: string;
  readonly title: string;
  readonly decisionNumber: string;
  readonly effectiveFrom: string;
  readonly titles: readonly TitleMapping[];
  /** Old unit → the unit its people belong to from the effective date; units not listed stay. */
  readonly units: Readonly<Record<string, string>>;
}

export type ReorganizationEvent =
  | { readonly type: 'ReorganizationPlanDrafted'; readonly data: ReorganizationPlan & { readonly draftedBy: string } }
  | { readonly type: 'ReorganizationPlanConfirmed'; readonly data: { readonly by: string } }
  | { readonly type: 'ReorganizationPlanApplied'; readonly data: { readonly beneficiaries: number; readonly stays: number; readonly claims: number } };

export type ReorganizationCommand =
  | { readonly type: 'DraftReorganizationPlan'; readonly data: { readonly plan: ReorganizationPlan; readonly by: string } }
  | { readonly type: 'ConfirmReorganizationPlan'; readonly data: { readonly by: string } }
  | { readonly type: 'RecordPlanApplied'; readonly data: { readonly beneficiaries: number; readonly stays: number; readonly claims: number } };

export type Reorganization =
  | { readonly status: 'none' }
  | { readonly status: 'drafted' | 'confirmed' | 'applied'; readonly plan: ReorganizationPlan; readonly draftedBy: string; readonly confirmedBy?: string };

export const initialReorganization: Reorganization = { status: 'none' };

export type ReorganizationRule = 'PlanExists' | 'NoSuchPlan' | 'NotConfirmed' | 'ApprovingOwnRequest' | 'InvalidInput';

export function reorganizationStreamId(planId: string): string {
  return `reorganization-${planId}`;
}

export function evolve(state: Reorganization, event: ReorganizationEvent): Reorganization {
  switch (event.type) {
    case 'ReorganizationPlanDrafted': {
      const { draftedBy, ...plan } = event.data;
      return { status: 'drafted', plan, draftedBy };
    }
    case 'ReorganizationPlanConfirmed':
      return state.status === 'none' ? state : { ...state, status: 'confirmed', confirmedBy: event.data.by };
    case 'ReorganizationPlanApplied':
      return state.status === 'none' ? state : { ...state, status: 'applied' };
  }
}

const invalid = (message: string, field: string) => new RuleViolated<ReorganizationRule>('InvalidInput', message, field);

function requireGroup(value: unknown, field: string): void {
  if (!(BENEFICIARY_GROUPS as readonly unknown[]).includes(value))
    throw invalid(`${field} must be a beneficiary group from 1 to 6${field.endsWith('becomes.group') ? ', or null when the title is not covered' : ''}`, field);
}

function checkPlan(plan: ReorganizationPlan): void {
  for (const field of ['planId', 'title', 'decisionNumber'] as const) requireText(plan[field], field);
  requireDate(plan.effectiveFrom, 'effectiveFrom');
  if (!Array.isArray(plan.titles) || plan.titles.length === 0) throw invalid('titles must map at least one old title', 'titles');
  const seen = new Set<string>();
  plan.titles.forEach((mapping: TitleMapping, n) => {
    const at = `titles[${n}]`;
    requireText(mapping?.title, `${at}.title`);
    if (mapping.group !== undefined) requireGroup(mapping.group, `${at}.group`);
    requireText(mapping.becomes?.title, `${at}.becomes.title`);
    if (mapping.becomes?.group !== null) requireGroup(mapping.becomes?.group, `${at}.becomes.group`);
    const key = `${mapping.title}/${mapping.group ?? '*'}`;
    if (seen.has(key)) throw invalid(`${at} maps the same title and group as an earlier mapping`, `${at}.title`);
    seen.add(key);
  });
  if (typeof plan.units !== 'object' || plan.units === null) throw invalid('units must map old units to new ones', 'units');
  for (const [from, to] of Object.entries(plan.units)) {
    requireText(from, 'units');
    requireText(to, `units.${from}`);
  }
}

export function decide(command: ReorganizationCommand, state: Reorganization): ReorganizationEvent[] {
  if (command.type === 'DraftReorganizationPlan') {
    const { plan, by } = command.data;
    checkPlan(plan);
    const { planId, title, decisionNumber, effectiveFrom, titles, units } = plan;
    if (state.status !== 'none') {
      if (canonicalJson(state.plan) === canonicalJson({ planId, title, decisionNumber, effectiveFrom, titles, units })) return [];
      throw new RuleViolated<ReorganizationRule>('PlanExists', `reorganization plan ${plan.planId} is already drafted; draft another id`, 'planId');
    }
    return [{ type: 'ReorganizationPlanDrafted', data: { planId, title, decisionNumber, effectiveFrom, titles, units, draftedBy: by } }];
  }
  if (state.status === 'none') throw new RuleViolated<ReorganizationRule>('NoSuchPlan', 'no such reorganization plan');
  switch (command.type) {
    case 'ConfirmReorganizationPlan':
      requireText(command.data.by, 'by');
      if (state.status !== 'drafted') return [];
      if (command.data.by === state.draftedBy)
        throw new RuleViolated<ReorganizationRule>('ApprovingOwnRequest', `${command.data.by} drafted this plan and cannot also confirm it`);
      return [{ type: 'ReorganizationPlanConfirmed', data: { by: command.data.by } }];
    case 'RecordPlanApplied':
      if (state.status === 'drafted') throw new RuleViolated<ReorganizationRule>('NotConfirmed', `plan ${state.plan.planId} is not confirmed`);
      return state.status === 'applied' ? [] : [{ type: 'ReorganizationPlanApplied', data: command.data }];
  }
}

/** Who a beneficiary becomes under the plan, given what they held the day before it takes effect; undefined when no rule matches. */
export function reclassificationUnder(
  plan: ReorganizationPlan,
  before: { readonly title: string; readonly administrativeUnit: string; readonly group: BeneficiaryGroup },
): { readonly title: string; readonly administrativeUnit: string; readonly group: BeneficiaryGroup | null } | undefined {
  const mapping =
    plan.titles.find((m) => m.title === before.title && m.group === before.group) ?? plan.titles.find((m) => m.title === before.title && m.group === undefined);
  if (!mapping) return undefined;
  return {
    title: mapping.becomes.title,
    administrativeUnit: ownEntry(plan.units, before.administrativeUnit) ?? before.administrativeUnit,
    group: mapping.becomes.group,
  };
}
