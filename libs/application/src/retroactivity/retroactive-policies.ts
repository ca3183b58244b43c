import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  Admissions,
  type CatalogVersion,
  Claims,
  coverageWithdrawn,
  officialsVersions,
  ownEntry,
  parsePolicyVersion,
  PolicyCatalog,
  policyInForce,
} from '#domain';
import { ActOnAdmission } from '../admissions/admission-commands.js';
import { AdjustClaim } from '../claims/claim-commands.js';
import { beneficiaryStreamId } from '../beneficiaries/beneficiary-commands.js';
import { type Actor, type CommandContext, EventSourcing, NotFound, requireRole } from '../event-sourcing.js';
import { requireIndependentConfirmer } from '../users/user-accounts.js';
import { draftStatusIn, policyCatalog, type PolicyDraftStatus, PolicyVersions } from '../policies/policy-catalog.js';
import { type ClaimRecord, RETROACTIVITY_READS, type RetroactivityReads, type StayRecord } from '../ports/index.js';
import { replayEach, type ReplayProgress } from './replay.js';
import { beneficiaryFrom, loadCapHoldings, previewRecomputation, type RecomputationPreview } from './stay-recomputation.js';

export interface PolicyPreview extends RecomputationPreview {
  readonly versionId: string;
  readonly effectiveFrom: string;
  /** Whether the version is already published (confirming it again recomputes, and finds nothing left to do). */
  readonly published: boolean;
  /** The read models' log position the preview was computed at. */
  readonly position: string;
  /** Regimes and groups the version in force covers and this one no longer does (see `coverageWithdrawn`). */
  readonly coverageWithdrawn: readonly { readonly regimeId: string; readonly groups: readonly number[] }[];
}

export interface RecomputationOutcome {
  readonly staysExamined: number;
  readonly claimsExamined: number;
  /** Adjustments on record for this cause after the run: the same however often it runs. */
  readonly adjustments: number;
}

/**
 * A policy version with past effect: drafted by one administrator, previewed before anything
 * else is recorded, then confirmed by another, which publishes it and recomputes every stay it
 * touches, each recording its own adjustments (or fresh entitlements).
 */
@Injectable()
export class RetroactivePolicies {
  constructor(
    @Inject(RETROACTIVITY_READS) private readonly reads: RetroactivityReads,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
  ) {}

  /** What-if: any version as it would be drafted (checked as drafting checks it), previewed against the catalog. Records nothing. */
  async preview(version: unknown, actor: Actor): Promise<PolicyPreview> {
    requireRole(actor, 'applyRetroactiveChanges', 'previewing a retroactive policy version');
    const catalog = await this.policies.catalog();
    // Refused as drafting would refuse it: the schema, an id taken by other content.
    PolicyCatalog.decide({ type: 'DraftPolicyVersion', data: { version, by: actor.username } }, catalog);
    return this.previewOf(parsePolicyVersion(version), catalog.versions);
  }

  /** The drafted versions no second administrator has confirmed yet: what the administrators have to look at. */
  async pendingDrafts(actor: Actor): Promise<PolicyDraftStatus[]> {
    requireRole(actor, 'applyRetroactiveChanges', 'listing drafted policy versions');
    const catalog = await this.policies.catalog();
    return Object.keys(catalog.drafts)
      .map((versionId) => draftStatusIn(catalog, versionId)!)
      .filter((draft) => draft.status === 'drafted');
  }

  /** The preview of a drafted version, for whoever drafts it and whoever is to confirm it. Records nothing. */
  async previewDraft(versionId: string, actor: Actor): Promise<PolicyPreview & { readonly draft: PolicyDraftStatus }> {
    requireRole(actor, 'applyRetroactiveChanges', 'previewing a drafted policy version');
    const catalog = await this.policies.catalog();
    const draft = ownEntry(catalog.drafts, versionId);
    if (!draft) throw new NotFound(`no drafted policy version ${versionId}`);
    return { ...(await this.previewOf(draft.version, catalog.versions)), draft: draftStatusIn(catalog, versionId)! };
  }

  private async previewOf(candidate: CatalogVersion, publishedVersions: readonly CatalogVersion[]): Promise<PolicyPreview> {
    const published = publishedVersions.some((version) => version.id === candidate.id);
    const versions = officialsVersions(published ? publishedVersions : [...publishedVersions, candidate]);
    const position = await this.reads.position();
    const { stays, claims } = await this.touchedBy(candidate);
    const register = await this.reads.registerEntries([...new Set([...stays, ...claims].map((source) => source.beneficiaryId))]);
    const beneficiaryOf = (id: string) => {
      const entry = register.get(id);
      return entry && beneficiaryFrom(entry);
    };
    const holdings = await loadCapHoldings(this.reads, claims);
    const recomputation = previewRecomputation(
      stays,
      claims,
      beneficiaryOf,
      (date) => policyInForce(versions, date),
      { kind: 'policy-version', id: candidate.id },
      holdings,
    );
    const replaced = policyInForce(
      versions.filter((version) => version.id !== candidate.id),
      candidate.effectiveFrom,
    );
    return {
      versionId: candidate.id,
      effectiveFrom: candidate.effectiveFrom,
      published,
      position,
      coverageWithdrawn: replaced && candidate.kind !== 'universal-check' ? coverageWithdrawn(replaced, candidate) : [],
      ...recomputation,
    };
  }

  /**
   * The stays and approved claims a version's period can alter: none for a version of another
   * programme than the officials' regimes, under which no stay or claim is decided.
   */
  private async touchedBy(version: CatalogVersion): Promise<{ stays: StayRecord[]; claims: ClaimRecord[] }> {
    if (officialsVersions([version]).length === 0) return { stays: [], claims: [] };
    const [stays, claims] = await Promise.all([this.reads.staysDischargedFrom(version.effectiveFrom), this.reads.claimsServedFrom(version.effectiveFrom)]);
    const to = version.effectiveTo;
    return {
      stays: to ? stays.filter((stay) => stay.admittedOn <= to) : stays,
      claims: to ? claims.filter((claim) => String(claim.facts.serviceDate) <= to) : claims,
    };
  }

  /**
   * Confirms the drafted version (by an administrator other than who drafted it), which publishes
   * it, then recomputes every stay it touches; resumable, and a second run records nothing.
   * `version`, when given, is what the confirming administrator looked at: it must be the draft.
   */
  async confirm(
    versionId: string,
    context: CommandContext,
    version?: unknown,
    onProgress?: (progress: ReplayProgress) => void,
  ): Promise<RecomputationOutcome & { versionId: string }> {
    requireRole(context.actor, 'applyRetroactiveChanges', 'confirming a retroactive policy version');
    await this.sourcing.decideOn(
      PolicyCatalog.POLICY_CATALOG_STREAM,
      policyCatalog,
      async (current) => {
        const draft = Object.hasOwn(current.drafts, versionId) ? current.drafts[versionId] : undefined;
        if (draft && draft.confirmedBy === undefined) await requireIndependentConfirmer(this.sourcing, context.actor.username, draft.draftedBy);
        return PolicyCatalog.decide(
          { type: 'ConfirmPolicyVersion', data: { versionId, by: context.actor.username, ...(version === undefined ? {} : { version }) } },
          current,
        );
      },
      context,
    );
    return { versionId, ...(await this.recompute(versionId, context.actor, onProgress)) };
  }

  /** Recomputes every stay a published version touches (the CLI's `replay policy`). */
  async recompute(versionId: string, actor: Actor, onProgress?: (progress: ReplayProgress) => void): Promise<RecomputationOutcome> {
    requireRole(actor, 'applyRetroactiveChanges', 'recomputing stays under a policy version');
    const version = (await this.policies.all()).find((published) => published.id === versionId);
    if (!version) throw new NotFound(`no published policy version ${versionId}`);
    const { stays, claims } = await this.touchedBy(version);
    return recomputeSources(this.commands, this.sourcing, stays, claims, { kind: 'policy-version', id: versionId }, actor, onProgress);
  }
}

/** Recomputes each stay, then each claim, on its own stream under a command id naming the cause and the stay or claim. */
export async function recomputeSources(
  commands: CommandBus,
  sourcing: EventSourcing,
  stays: readonly StayRecord[],
  claims: readonly ClaimRecord[],
  cause: Admissions.AdjustmentCause,
  actor: Actor,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<RecomputationOutcome> {
  let adjustments = 0;
  const count = (recorded: readonly { cause: Admissions.AdjustmentCause }[] | undefined) =>
    (adjustments += (recorded ?? []).filter((adjustment) => adjustment.cause.kind === cause.kind && adjustment.cause.id === cause.id).length);
  const progress = onProgress ? { onProgress } : {};
  // What a recomputation loads: the stay or claim, its beneficiary and the policy catalog.
  const readAhead = <T>(streamOf: (item: T) => string, beneficiaryOf: (item: T) => string) => ({
    sourcing,
    streamsOf: (item: T) => [streamOf(item), beneficiaryStreamId(beneficiaryOf(item)), PolicyCatalog.POLICY_CATALOG_STREAM],
  });
  await replayEach(
    'stays',
    stays,
    async (stay) => {
      const state = await commands.execute(
        new ActOnAdmission(
          stay.admissionId,
          { type: 'RecomputeEntitlements', data: { cause } },
          { actor, commandId: `recompute-${cause.kind}-${cause.id}-${stay.admissionId}` },
        ),
      );
      if (state.status !== 'none') count(state.adjustments);
    },
    {
      ...progress,
      readAhead: readAhead<StayRecord>(
        (stay) => Admissions.admissionStreamId(stay.admissionId),
        (stay) => stay.beneficiaryId,
      ),
    },
  );
  await replayEach(
    'claims',
    claims,
    async (claim) => {
      const state = await commands.execute(
        new AdjustClaim(
          claim.claimId,
          { type: 'RecomputeEntitlements', data: { cause } },
          { actor, commandId: `recompute-${cause.kind}-${cause.id}-${claim.claimId}` },
        ),
      );
      if (state.status !== 'none') count(state.adjustments);
    },
    {
      ...progress,
      readAhead: readAhead<ClaimRecord>(
        (claim) => Claims.claimStreamId(claim.claimId),
        (claim) => claim.beneficiaryId,
      ),
    },
  );
  return { staysExamined: stays.length, claimsExamined: claims.length, adjustments };
}
