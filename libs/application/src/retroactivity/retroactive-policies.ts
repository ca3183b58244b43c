import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type Admissions, parsePolicyVersion, PolicyCatalog, type PolicyVersion, policyInForce } from '#domain';
import { readModelPosition, registerEntries, type StayRecord, staysDischargedFrom } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { ActOnAdmission } from '../admissions/admission-commands.js';
import { type Actor, NotFound, requireRole } from '../event-sourcing.js';
import { PolicyVersions, PublishPolicyVersion } from '../policies/policy-catalog.js';
import { replayEach, type ReplayProgress } from './replay.js';
import { beneficiaryFrom, type ChangeTotals, previewStayChanges, type StayChange, totalsOf } from './stay-recomputation.js';

export interface PolicyPreview {
  readonly versionId: string;
  readonly effectiveFrom: string;
  /** Whether the version is already in the catalog (confirming it again recomputes, and finds nothing left to do). */
  readonly published: boolean;
  /** The read models' log position the preview was computed at. */
  readonly position: string;
  readonly staysExamined: number;
  readonly changes: readonly StayChange[];
  readonly totals: ChangeTotals;
}

export interface RecomputationOutcome {
  readonly staysExamined: number;
  /** Adjustments on record for this cause after the run: the same however often it runs. */
  readonly adjustments: number;
}

/** Stays a change from `from` (until `to`, when it ends) can alter. */
const staysWithin = (stays: readonly StayRecord[], to: string | undefined) => (to ? stays.filter((stay) => stay.admittedOn <= to) : stays);

/**
 * A policy version with past effect: previewed before anything is recorded, then published and
 * every stay it touches recomputed, each recording its own adjustments (or fresh entitlements).
 */
@Injectable()
export class RetroactivePolicies {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(PolicyVersions) private readonly policies: PolicyVersions,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  /** The version as it would be published, checked as publishing checks it, and the catalog with it. */
  private async withCandidate(version: unknown): Promise<{ candidate: PolicyVersion; versions: readonly PolicyVersion[]; published: boolean }> {
    const published = await this.policies.all();
    const appended = PolicyCatalog.decide({ type: 'PublishPolicyVersion', data: { version } }, { versions: published });
    const candidate = appended[0]?.data.version ?? parsePolicyVersion(version);
    return { candidate, versions: appended.length > 0 ? [...published, candidate] : published, published: appended.length === 0 };
  }

  async preview(version: unknown, actor: Actor): Promise<PolicyPreview> {
    requireRole(actor, 'applyRetroactiveChanges', 'previewing a retroactive policy version');
    const { candidate, versions, published } = await this.withCandidate(version);
    const position = await readModelPosition(this.runtime.pool);
    const stays = staysWithin(await staysDischargedFrom(this.runtime.pool, candidate.effectiveFrom), candidate.effectiveTo);
    const register = await registerEntries(this.runtime.pool, [...new Set(stays.map((stay) => stay.beneficiaryId))]);
    const changes = previewStayChanges(
      stays,
      (id) => {
        const entry = register.get(id);
        return entry && beneficiaryFrom(entry);
      },
      (date) => policyInForce(versions, date),
      { kind: 'policy-version', id: candidate.id },
    );
    return { versionId: candidate.id, effectiveFrom: candidate.effectiveFrom, published, position, staysExamined: stays.length, changes, totals: totalsOf(changes) };
  }

  /** Publishes the version (again: no effect) and recomputes every stay it touches; resumable, and a second run records nothing. */
  async confirm(version: unknown, actor: Actor, commandId: string, onProgress?: (progress: ReplayProgress) => void): Promise<RecomputationOutcome & { versionId: string }> {
    requireRole(actor, 'applyRetroactiveChanges', 'confirming a retroactive policy version');
    const { versionId } = await this.commands.execute(new PublishPolicyVersion(version, { actor, commandId }));
    return { versionId, ...(await this.recompute(versionId, actor, onProgress)) };
  }

  /** Recomputes every stay a published version touches (the CLI's `replay policy`). */
  async recompute(versionId: string, actor: Actor, onProgress?: (progress: ReplayProgress) => void): Promise<RecomputationOutcome> {
    requireRole(actor, 'applyRetroactiveChanges', 'recomputing stays under a policy version');
    const version = (await this.policies.all()).find((published) => published.id === versionId);
    if (!version) throw new NotFound(`no published policy version ${versionId}`);
    const stays = staysWithin(await staysDischargedFrom(this.runtime.pool, version.effectiveFrom), version.effectiveTo);
    return recomputeStays(this.commands, stays, { kind: 'policy-version', id: versionId }, actor, onProgress);
  }
}

/** Recomputes each stay on its own stream under a command id naming the cause and the stay. */
export async function recomputeStays(
  commands: CommandBus,
  stays: readonly StayRecord[],
  cause: Admissions.AdjustmentCause,
  actor: Actor,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<RecomputationOutcome> {
  let adjustments = 0;
  await replayEach(
    'stays',
    stays,
    async (stay) => {
      const state = await commands.execute(
        new ActOnAdmission(stay.admissionId, { type: 'RecomputeEntitlements', data: { cause } }, { actor, commandId: `recompute-${cause.kind}-${cause.id}-${stay.admissionId}` }),
      );
      if (state.status !== 'none') adjustments += state.adjustments.filter((adjustment) => adjustment.cause.kind === cause.kind && adjustment.cause.id === cause.id).length;
    },
    { ...(onProgress ? { onProgress } : {}) },
  );
  return { staysExamined: stays.length, adjustments };
}
