import { parsePolicyVersion } from './parse-policy-version.js';
import type { CatalogVersion } from './policy-version.js';
import { canonicalJson } from '../canonical-json.js';
import { ownEntry } from '../own-entry.js';
import { RuleViolated } from '../rule-violated.js';

/**
 * Every policy version the province has published, and every one drafted for publication, in one
 * stream (`POLICY_CATALOG_STREAM`), so that a decision reads all of them in one go, a version id
 * can be taken only once, and confirming a draft publishes it in the same append. Versions of
 * every programme share it (the officials' regimes, a universal check): each programme has its
 * own version in force (see `officialsVersions`, `universalCheckVersions`).
 */
export const POLICY_CATALOG_STREAM = 'policy-catalog';

export type PolicyCatalogEvent =
  | { readonly type: 'PolicyVersionPublished'; readonly data: { readonly version: CatalogVersion } }
  | { readonly type: 'PolicyVersionDrafted'; readonly data: { readonly version: CatalogVersion; readonly draftedBy: string } }
  | { readonly type: 'PolicyVersionConfirmed'; readonly data: { readonly versionId: string; readonly by: string } };

/**
 * `version` is untrusted input (a catalog file, an administrator's request); the decision checks it.
 *
 * - `PublishPolicyVersion` is one administrator's single step, for a version taking effect after
 *   `today`: it changes nothing already paid. A version with past effect is refused: it is drafted
 *   by one administrator and confirmed by another (`DraftPolicyVersion`, `ConfirmPolicyVersion`).
 * - `PublishCatalogFile` publishes the catalog files shipped with the system, whatever their dates.
 * - `ConfirmPolicyVersion` may carry the version the confirming administrator looked at: it must be
 *   the one drafted.
 */
export type PolicyCatalogCommand =
  | { readonly type: 'PublishPolicyVersion'; readonly data: { readonly version: unknown; readonly today: string } }
  | { readonly type: 'PublishCatalogFile'; readonly data: { readonly version: unknown } }
  | { readonly type: 'DraftPolicyVersion'; readonly data: { readonly version: unknown; readonly by: string } }
  | { readonly type: 'ConfirmPolicyVersion'; readonly data: { readonly versionId: string; readonly by: string; readonly version?: unknown } };

export interface PolicyDraft {
  readonly version: CatalogVersion;
  readonly draftedBy: string;
  readonly confirmedBy?: string;
}

export interface PolicyCatalog {
  readonly versions: readonly CatalogVersion[];
  readonly drafts: Readonly<Record<string, PolicyDraft>>;
}

export const initialPolicyCatalog: PolicyCatalog = { versions: [], drafts: {} };

export type PolicyCatalogRule = 'PolicyVersionIdTaken' | 'RetroactiveVersionNeedsDraft' | 'NoSuchPolicyDraft' | 'ApprovingOwnRequest';

export function evolve(state: PolicyCatalog, event: PolicyCatalogEvent): PolicyCatalog {
  switch (event.type) {
    case 'PolicyVersionPublished':
      return { ...state, versions: [...state.versions, event.data.version] };
    case 'PolicyVersionDrafted':
      return { ...state, drafts: { ...state.drafts, [event.data.version.id]: { version: event.data.version, draftedBy: event.data.draftedBy } } };
    case 'PolicyVersionConfirmed': {
      const draft = ownEntry(state.drafts, event.data.versionId);
      return draft ? { ...state, drafts: { ...state.drafts, [event.data.versionId]: { ...draft, confirmedBy: event.data.by } } } : state;
    }
  }
}

/** A version takes effect in the past when it starts on or before today: stays of today may already be paid. */
export function isRetroactive(version: CatalogVersion, today: string): boolean {
  return version.effectiveFrom <= today;
}

/** Refuses other content under an id already published or drafted, since decisions and drafts already cite it. */
function requireIdFree(state: PolicyCatalog, version: CatalogVersion): void {
  const existing = state.versions.find((published) => published.id === version.id) ?? ownEntry(state.drafts, version.id)?.version;
  if (existing && canonicalJson(existing) !== canonicalJson(version)) {
    throw new RuleViolated<PolicyCatalogRule>(
      'PolicyVersionIdTaken',
      `policy version ${version.id} is already published or drafted with other content; use a new id`,
      'id',
    );
  }
}

function isPublished(state: PolicyCatalog, versionId: string): boolean {
  return state.versions.some((published) => published.id === versionId);
}

const published = (version: CatalogVersion): PolicyCatalogEvent => ({ type: 'PolicyVersionPublished', data: { version } });

/**
 * Every version is checked against the schema (an `InvalidPolicyVersion` names each bad field).
 * Publishing or drafting the same version again changes nothing; confirming a draft publishes it,
 * once, and only someone other than who drafted it may.
 */
export function decide(command: PolicyCatalogCommand, state: PolicyCatalog): PolicyCatalogEvent[] {
  switch (command.type) {
    case 'PublishCatalogFile': {
      const version = parsePolicyVersion(command.data.version);
      requireIdFree(state, version);
      return isPublished(state, version.id) ? [] : [published(version)];
    }
    case 'PublishPolicyVersion': {
      const version = parsePolicyVersion(command.data.version);
      requireIdFree(state, version);
      if (isPublished(state, version.id)) return [];
      if (isRetroactive(version, command.data.today)) {
        throw new RuleViolated<PolicyCatalogRule>(
          'RetroactiveVersionNeedsDraft',
          `policy version ${version.id} takes effect on ${version.effectiveFrom}, not after today (${command.data.today}): draft it for another administrator to confirm`,
          'effectiveFrom',
        );
      }
      return [published(version)];
    }
    case 'DraftPolicyVersion': {
      const version = parsePolicyVersion(command.data.version);
      requireIdFree(state, version);
      return isPublished(state, version.id) || ownEntry(state.drafts, version.id)
        ? []
        : [{ type: 'PolicyVersionDrafted', data: { version, draftedBy: command.data.by } }];
    }
    case 'ConfirmPolicyVersion': {
      const { versionId, by } = command.data;
      const draft = ownEntry(state.drafts, versionId);
      if (!draft) throw new RuleViolated<PolicyCatalogRule>('NoSuchPolicyDraft', `no drafted policy version ${versionId}`, 'id');
      if (command.data.version !== undefined && canonicalJson(parsePolicyVersion(command.data.version)) !== canonicalJson(draft.version)) {
        throw new RuleViolated<PolicyCatalogRule>(
          'PolicyVersionIdTaken',
          `policy version ${versionId} was drafted with other content; confirm the draft as it is, or draft a new id`,
          'id',
        );
      }
      if (draft.confirmedBy !== undefined) return [];
      if (by === draft.draftedBy)
        throw new RuleViolated<PolicyCatalogRule>('ApprovingOwnRequest', `${by} drafted policy version ${versionId} and cannot also confirm it`);
      // A future version drafted, then published in one step meanwhile, is only confirmed.
      return [{ type: 'PolicyVersionConfirmed', data: { versionId, by } }, ...(isPublished(state, versionId) ? [] : [published(draft.version)])];
    }
  }
}
