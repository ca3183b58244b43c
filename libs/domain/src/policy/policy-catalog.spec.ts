import { readFileSync } from 'node:fs';
import { deciderSpec } from '../testing/decider.fixture.js';
import { policyInForce } from './entitlement.js';
import { InvalidPolicyVersion, parsePolicyVersion } from './parse-policy-version.js';
import { type PolicyCatalogEvent, decide, evolve, initialPolicyCatalog, isRetroactive, POLICY_CATALOG_STREAM } from './policy-catalog.js';
import { officialsVersions, type PolicyVersion, universalCheckVersions } from './policy-version.js';

const spec = deciderSpec({ decide, evolve, initialState: initialPolicyCatalog });
/** The catalog file as an administrator would submit it: untrusted JSON. */
const catalogFile = (): Record<string, unknown> => JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8'));
const published = (version: unknown): PolicyCatalogEvent => ({ type: 'PolicyVersionPublished', data: { version: version as PolicyVersion } });
const publish = (version: unknown) => ({ type: 'PublishCatalogFile' as const, data: { version } });
const TODAY = '2026-12-01';
const publishToday = (version: unknown) => ({ type: 'PublishPolicyVersion' as const, data: { version, today: TODAY } });
const draft = (version: unknown, by: string) => ({ type: 'DraftPolicyVersion' as const, data: { version, by } });
const confirm = (versionId: string, by: string, version?: unknown) => ({
  type: 'ConfirmPolicyVersion' as const,
  data: { versionId, by, ...(version === undefined ? {} : { version }) },
});
const drafted = (version: unknown, draftedBy: string): PolicyCatalogEvent => ({
  type: 'PolicyVersionDrafted',
  data: { version: version as PolicyVersion, draftedBy },
});
const confirmed = (versionId: string, by: string): PolicyCatalogEvent => ({ type: 'PolicyVersionConfirmed', data: { versionId, by } });
/** A replacement from 2025-07-01: past effect on TODAY. */
const retroactive = () => ({ ...catalogFile(), id: 'lang-son/replacement-2025', effectiveFrom: '2025-07-01' });

describe('policy catalog', () => {
  it('publishes the default catalog file, checked against the schema', () => {
    spec
      .given([])
      .when(publish(catalogFile()))
      .then([published(catalogFile())]);
    expect(POLICY_CATALOG_STREAM).toBe('policy-catalog');
  });

  it('records nothing when the same version is published again, whatever the order of its keys', () => {
    const reordered = Object.fromEntries(Object.entries(catalogFile()).reverse());
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(catalogFile())[0]);
    spec
      .given([published(catalogFile())])
      .when(publish(reordered))
      .then([]);
  });

  it('refuses other content under a published id, since decisions already cite it', () => {
    const changed = catalogFile();
    const regimes = changed.regimes as { id: string; rule: { rateByGroup?: Record<string, number> } }[];
    regimes.find((regime) => regime.id === 'b')!.rule.rateByGroup!['3'] = 200000;
    spec
      .given([published(catalogFile())])
      .when(publish(changed))
      .thenThrows({ rule: 'PolicyVersionIdTaken', field: 'id' });
  });

  it('publishes a replacement under a new id, which then supersedes from its effective date', () => {
    const replacement = { ...catalogFile(), id: 'lang-son/replacement/v1', effectiveFrom: '2026-01-01' };
    spec
      .given([published(catalogFile())])
      .when(publish(replacement))
      .then([published(replacement)]);
    const catalog = [published(catalogFile()), published(replacement)].reduce(evolve, initialPolicyCatalog);
    expect(catalog.versions.map((version) => version.id)).toEqual(['lang-son/nq-24-2024/v2', 'lang-son/replacement/v1']);
    expect(policyInForce(catalog.versions, '2025-12-31')?.id).toBe('lang-son/nq-24-2024/v2');
    expect(policyInForce(catalog.versions, '2026-01-01')?.id).toBe('lang-son/replacement/v1');
  });

  it('refuses a version that does not fit the schema, naming every bad field', () => {
    const broken = { ...catalogFile(), effectiveFrom: '2024-12-32', legalBasis: ' ' };
    spec
      .given([])
      .when(publish(broken))
      .thenThrows({ name: 'InvalidPolicyVersion', problems: ['effectiveFrom must be a date YYYY-MM-DD', 'legalBasis must be a non-empty string'] });
    expect(() => decide(publish(broken), initialPolicyCatalog)).toThrow(InvalidPolicyVersion);
  });

  it('publishes in one step, by one administrator, only a version taking effect after today: it changes nothing already paid', () => {
    const future = { ...catalogFile(), id: 'lang-son/2027', effectiveFrom: '2027-01-01' };
    spec
      .given([published(catalogFile())])
      .when(publishToday(future))
      .then([published(future)]);
    spec
      .given([published(catalogFile())])
      .when(publishToday(retroactive()))
      .thenThrows({ rule: 'RetroactiveVersionNeedsDraft', field: 'effectiveFrom' });
    spec
      .given([published(catalogFile())])
      .when(publishToday({ ...retroactive(), effectiveFrom: TODAY }))
      .thenThrows({ rule: 'RetroactiveVersionNeedsDraft' });
    // Once confirmed and published, the same version again is no news.
    spec
      .given([published(catalogFile()), drafted(retroactive(), 'admin-1'), confirmed(retroactive().id, 'admin-2'), published(retroactive())])
      .when(publishToday(retroactive()))
      .then([]);
    expect(isRetroactive(parsePolicyVersion(retroactive()), TODAY)).toBe(true);
  });

  it('drafts a version with past effect once; the same draft again records nothing, other content under its id is refused', () => {
    spec
      .given([published(catalogFile())])
      .when(draft(retroactive(), 'admin-1'))
      .then([drafted(retroactive(), 'admin-1')]);
    spec
      .given([published(catalogFile()), drafted(retroactive(), 'admin-1')])
      .when(draft(retroactive(), 'admin-2'))
      .then([]);
    spec
      .given([published(catalogFile()), drafted(retroactive(), 'admin-1')])
      .when(draft({ ...retroactive(), effectiveFrom: '2025-08-01' }, 'admin-1'))
      .thenThrows({ rule: 'PolicyVersionIdTaken', field: 'id' });
    spec
      .given([published(catalogFile()), drafted(retroactive(), 'admin-1')])
      .when(publishToday({ ...retroactive(), effectiveFrom: '2027-01-01' }))
      .thenThrows({ rule: 'PolicyVersionIdTaken' });
    spec
      .given([])
      .when(draft({ ...retroactive(), effectiveFrom: '2025-07-32' }, 'admin-1'))
      .thenThrows({ name: 'InvalidPolicyVersion' });
  });

  it('is confirmed, and published with it, by an administrator other than who drafted it, once', () => {
    const given = [published(catalogFile()), drafted(retroactive(), 'admin-1')];
    spec.given(given).when(confirm(retroactive().id, 'admin-1')).thenThrows({ rule: 'ApprovingOwnRequest' });
    spec
      .given(given)
      .when(confirm(retroactive().id, 'admin-2'))
      .then([confirmed(retroactive().id, 'admin-2'), published(retroactive())]);
    spec
      .given([...given, confirmed(retroactive().id, 'admin-2'), published(retroactive())])
      .when(confirm(retroactive().id, 'admin-3'))
      .then([]);
    spec
      .given(given)
      .when(confirm('lang-son/unknown', 'admin-2'))
      .thenThrows({ rule: 'NoSuchPolicyDraft', message: expect.stringContaining('lang-son/unknown') });
    const catalog = [...given, confirmed(retroactive().id, 'admin-2'), published(retroactive())].reduce(evolve, initialPolicyCatalog);
    expect(catalog.drafts[retroactive().id]).toMatchObject({ draftedBy: 'admin-1', confirmedBy: 'admin-2' });
    expect(policyInForce(catalog.versions, '2025-07-01')?.id).toBe(retroactive().id);
  });

  it('confirms only the version drafted, when the confirming administrator says which one they looked at', () => {
    const given = [published(catalogFile()), drafted(retroactive(), 'admin-1')];
    spec
      .given(given)
      .when(confirm(retroactive().id, 'admin-2', retroactive()))
      .then([confirmed(retroactive().id, 'admin-2'), published(retroactive())]);
    spec
      .given(given)
      .when(confirm(retroactive().id, 'admin-2', { ...retroactive(), legalBasis: 'another text' }))
      .thenThrows({ rule: 'PolicyVersionIdTaken', field: 'id' });
  });

  it('only confirms a future version drafted and then published in one step meanwhile', () => {
    const future = { ...catalogFile(), id: 'lang-son/2027', effectiveFrom: '2027-01-01' };
    spec
      .given([drafted(future, 'admin-1'), published(future)])
      .when(confirm(future.id, 'admin-2'))
      .then([confirmed(future.id, 'admin-2')]);
  });

  it("publishes a universal-check programme beside the officials' regimes, each keeping its own version in force", () => {
    const lamDong = JSON.parse(readFileSync('policies/lam-dong/universal-health-check-2026.json', 'utf8'));
    spec
      .given([published(catalogFile())])
      .when(publish(lamDong))
      .then([published(lamDong)]);
    const catalog = [published(catalogFile()), published(lamDong)].reduce(evolve, initialPolicyCatalog);
    expect(policyInForce(officialsVersions(catalog.versions), '2026-07-01')?.id).toBe('lang-son/nq-24-2024/v2');
    expect(policyInForce(universalCheckVersions(catalog.versions, 'universal-health-check'), '2026-07-01')?.id).toBe(lamDong.id);
    // One id, one version, whatever its programme.
    spec
      .given([published(catalogFile())])
      .when(publish({ ...lamDong, id: 'lang-son/nq-24-2024/v2' }))
      .thenThrows({ rule: 'PolicyVersionIdTaken', field: 'id' });
  });
});
