import { readFileSync } from 'node:fs';
import { deciderSpec } from '../testing/decider.fixture.js';
import { policyInForce } from './entitlement.js';
import { InvalidPolicyVersion } from './parse-policy-version.js';
import { type PolicyCatalogEvent, decide, evolve, initialPolicyCatalog, POLICY_CATALOG_STREAM } from './policy-catalog.js';
import type { PolicyVersion } from './policy-version.js';

const spec = deciderSpec({ decide, evolve, initialState: initialPolicyCatalog });
/** The catalog file as an administrator would submit it: untrusted JSON. */
const catalogFile = (): Record<string, unknown> => JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));
const published = (version: unknown): PolicyCatalogEvent => ({ type: 'PolicyVersionPublished', data: { version: version as PolicyVersion } });
const publish = (version: unknown) => ({ type: 'PublishPolicyVersion' as const, data: { version } });

describe('policy catalog', () => {
  it('publishes the default catalog file, checked against the schema', () => {
    spec.given([]).when(publish(catalogFile())).then([published(catalogFile())]);
    expect(POLICY_CATALOG_STREAM).toBe('policy-catalog');
  });

  it('records nothing when the same version is published again, whatever the order of its keys', () => {
    const reordered = Object.fromEntries(Object.entries(catalogFile()).reverse());
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(catalogFile())[0]);
    spec.given([published(catalogFile())]).when(publish(reordered)).then([]);
  });

  it('refuses other content under a published id, since decisions already cite it', () => {
    const changed = catalogFile();
    const regimes = changed.regimes as { id: string; rule: { rateByGroup?: Record<string, number> } }[];
    regimes.find((regime) => regime.id === 'b')!.rule.rateByGroup!['3'] = 200000;
    spec.given([published(catalogFile())]).when(publish(changed)).thenThrows({ rule: 'PolicyVersionIdTaken', field: 'id' });
  });

  it('publishes a replacement under a new id, which then supersedes from its effective date', () => {
    const replacement = { ...catalogFile(), id: 'lang-son/replacement/v1', effectiveFrom: '2026-01-01' };
    spec.given([published(catalogFile())]).when(publish(replacement)).then([published(replacement)]);
    const catalog = [published(catalogFile()), published(replacement)].reduce(evolve, initialPolicyCatalog);
    expect(catalog.versions.map((version) => version.id)).toEqual(['lang-son/nq-24-2024/v2', 'lang-son/replacement/v1']);
    expect(policyInForce(catalog.versions, '2025-12-31')?.id).toBe('lang-son/nq-24-2024/v2');
    expect(policyInForce(catalog.versions, '2026-01-01')?.id).toBe('lang-son/replacement/v1');
  });

  it('refuses a version that does not fit the schema, naming every bad field', () => {
    const broken = { ...catalogFile(), effectiveFrom: '2024-12-32', legalBasis: ' ' };
    spec.given([]).when(publish(broken)).thenThrows({ name: 'InvalidPolicyVersion', problems: ['effectiveFrom must be a date YYYY-MM-DD', 'legalBasis must be a non-empty string'] });
    expect(() => decide(publish(broken), initialPolicyCatalog)).toThrow(InvalidPolicyVersion);
  });
});
