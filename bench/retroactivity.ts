import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { type Actor, DraftPolicyVersion, DraftReorganizationPlan, openApplication, ReorganizationPlans, RetroactivePolicies } from '#application';
import type { Runtime } from '#runtime';
import { replacementResolution, twoTierPlan } from '../test/support/retroactive-changes.js';

/** One retroactive change over the demo province: previewed from the read models, then confirmed through the command path. */
export interface RetroactiveRun {
  readonly change: string;
  readonly previewSeconds: number;
  readonly reclassified: number;
  readonly staysExamined: number;
  readonly adjustments: number;
  readonly confirmSeconds: number;
  readonly eventsAppended: number;
  /** The log the change was applied over. */
  readonly logEvents: number;
}

const admin = (username: string): Actor => ({ username, roles: ['administrator'] });

const DEMO_REORGANIZATION = twoTierPlan('bench-two-tier-2025');

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The reorganization, then the replacement resolution, over the province in `runtime` whose read
 * models are up to date (just rebuilt): each previewed, then confirmed. Between the two the read
 * models are brought up to date with what the reorganization recorded, as the runner would.
 */
export async function measureRetroactivity(runtime: Runtime, catchUp: () => Promise<void>, log: (message: string) => void): Promise<RetroactiveRun[]> {
  const app = await openApplication(runtime);
  try {
    const plans = app.get(ReorganizationPlans);
    const policies = app.get(RetroactivePolicies);
    await app.get(CommandBus).execute(new DraftReorganizationPlan(DEMO_REORGANIZATION, { actor: admin('bench-admin-1'), commandId: 'bench-draft-plan' }));
    await plans.approve(DEMO_REORGANIZATION.planId, { actor: admin('bench-admin-2'), commandId: 'bench-confirm-plan' });
    const runs: RetroactiveRun[] = [];
    const progress = (phase: string) => {
      let last = 0;
      return (p: { phase: string; done: number; total: number; perSecond: number }) => {
        if (performance.now() - last < 10_000) return;
        last = performance.now();
        log(`  ${phase}, ${p.phase}: ${p.done}/${p.total}, ${Math.round(p.perSecond)}/s`);
      };
    };

    let head = await runtime.store.readHeadPosition();
    let started = performance.now();
    const planPreview = await plans.preview(DEMO_REORGANIZATION.planId, admin('bench-auditor'));
    const planPreviewSeconds = seconds(started);
    started = performance.now();
    const applied = await plans.apply(DEMO_REORGANIZATION.planId, admin('bench-admin-2'), progress('reorganization'));
    runs.push({
      change: 'reorganization plan (districts → communes)',
      previewSeconds: planPreviewSeconds,
      reclassified: planPreview.reclassified.length,
      staysExamined: applied.staysExamined,
      adjustments: applied.adjustments,
      confirmSeconds: seconds(started),
      eventsAppended: Number((await runtime.store.readHeadPosition()) - head),
      logEvents: Number(head),
    });
    log(`  reorganization: preview ${planPreviewSeconds.toFixed(2)} s, confirm ${runs[0].confirmSeconds.toFixed(1)} s, ${applied.adjustments} adjustments`);

    await catchUp();
    head = await runtime.store.readHeadPosition();
    const version = replacementResolution('bench/replacement-2025');
    started = performance.now();
    await app.get(CommandBus).execute(new DraftPolicyVersion(version, { actor: admin('bench-admin-1'), commandId: 'bench-draft-replacement' }));
    const policyPreview = await policies.previewDraft(version.id, admin('bench-admin-1'));
    const policyPreviewSeconds = seconds(started);
    started = performance.now();
    const confirmed = await policies.confirm(version.id, { actor: admin('bench-admin-2'), commandId: 'bench-replacement' }, undefined, progress('policy'));
    runs.push({
      change: 'retroactive policy version (meals, group-3 visit)',
      previewSeconds: policyPreviewSeconds,
      reclassified: 0,
      staysExamined: policyPreview.staysExamined,
      adjustments: confirmed.adjustments,
      confirmSeconds: seconds(started),
      eventsAppended: Number((await runtime.store.readHeadPosition()) - head),
      logEvents: Number(head),
    });
    log(`  policy: preview ${policyPreviewSeconds.toFixed(2)} s, confirm ${runs[1].confirmSeconds.toFixed(1)} s, ${confirmed.adjustments} adjustments`);
    return runs;
  } finally {
    await app.close();
  }
}
