import { parsePolicyVersion } from './parse-policy-version.js';
import type { PolicyVersion } from './policy-version.js';
import { canonicalJson } from '../canonical-json.js';
import { RuleViolated } from '../rule-violated.js';

/**
 * Every policy version the province has published, in one stream (`POLICY_CATALOG_STREAM`), so
 * that a decision reads all of them in one go and a version id can be taken only once.
 */
export const POLICY_CATALOG_STREAM = 'policy-catalog';

export type PolicyCatalogEvent = { readonly type: 'PolicyVersionPublished'; readonly data: { readonly version: PolicyVersion } };

/** `version` is untrusted input (a catalog file, an administrator's request); the decision checks it. */
export type PolicyCatalogCommand = { readonly type: 'PublishPolicyVersion'; readonly data: { readonly version: unknown } };

export interface PolicyCatalog {
  readonly versions: readonly PolicyVersion[];
}

export const initialPolicyCatalog: PolicyCatalog = { versions: [] };

export type PolicyCatalogRule = 'PolicyVersionIdTaken';

export function evolve(state: PolicyCatalog, event: PolicyCatalogEvent): PolicyCatalog {
  return { versions: [...state.versions, event.data.version] };
}

/**
 * Publishing checks the version against the schema (an `InvalidPolicyVersion` names each bad
 * field). Publishing the same version again changes nothing; another version under a taken id is
 * refused, because decisions already made cite that id.
 */
export function decide(command: PolicyCatalogCommand, state: PolicyCatalog): PolicyCatalogEvent[] {
  const version = parsePolicyVersion(command.data.version);
  const existing = state.versions.find((published) => published.id === version.id);
  if (existing) {
    if (canonicalJson(existing) === canonicalJson(version)) return [];
    throw new RuleViolated<PolicyCatalogRule>('PolicyVersionIdTaken', `policy version ${version.id} is already published with other content; publish a new id`, 'id');
  }
  return [{ type: 'PolicyVersionPublished', data: { version } }];
}
