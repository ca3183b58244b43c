import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { type Actor, DraftReorganizationPlan, openApplication, ReorganizationPlans, type ReorganizationPreview } from '#application';
import type { EventStore } from '#event-store';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { demoProvinceDatabase } from '../../../test/support/demo-province-database.js';
import { twoTierPlan } from '../../../test/support/retroactive-changes.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

const cliMain = resolve('dist/apps/cli/src/main.js');
const administrator = (username: string): Actor => ({ username, roles: ['administrator'] });

const plan = twoTierPlan('demo-two-tier-2025');

/** What the replay recorded: every reclassification and every adjustment it caused, in a comparable order. */
async function recorded(store: EventStore): Promise<{ reclassified: string[]; adjustments: string[]; events: number }> {
  const reclassified: string[] = [];
  const adjustments: string[] = [];
  let events = 0;
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.length === 0) break;
    for (const event of page) {
      events++;
      const data = event.data as Record<string, any>;
      if (event.type === 'BeneficiaryReclassified' && data.planId === plan.planId) reclassified.push(`${event.streamId} ${data.group} ${data.from}`);
      if (event.type === 'AdjustmentEntitled' && data.cause.id === plan.planId) {
        adjustments.push(
          `${data.corrects.admissionId ?? data.corrects.claimId} ${data.corrects.regimeId} ${data.previous.group}→${data.next.group ?? data.previous.group} ${data.difference}`,
        );
      }
    }
    after = page[page.length - 1].globalPosition;
  }
  return { reclassified: reclassified.sort(), adjustments: adjustments.sort(), events };
}

async function withRuntime<T>(database: TestDatabase, use: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(loadConfig({ DATABASE_URL: database.url, ADMIN_PASSWORD: 'crash-test-admin' }));
  try {
    return await use(runtime);
  } finally {
    await runtime.close();
  }
}

/** A `replay reorganization` run killed with SIGKILL as soon as it reports progress part-way. */
function killedPartWay(database: TestDatabase): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cliMain, 'replay', 'reorganization', plan.planId], { env: { ...process.env, DATABASE_URL: database.url } });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const progress = [...output.matchAll(/(\d[\d,]*)\/(\d[\d,]*),/g)].pop();
      if (progress && progress[1] !== progress[2]) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => resolvePromise({ signal, output }));
  });
}

describe('replaying a reorganization over the demo province', () => {
  let interrupted: TestDatabase;
  let uninterrupted: TestDatabase;
  let preview: ReorganizationPreview;

  beforeAll(async () => {
    interrupted = await demoProvinceDatabase();
    await withRuntime(interrupted, async (runtime) => {
      const app = await openApplication(runtime);
      try {
        await app.get(CommandBus).execute(new DraftReorganizationPlan(plan, { actor: administrator('admin-1'), commandId: 'draft-demo-plan' }));
        await app.get(ReorganizationPlans).approve(plan.planId, { actor: administrator('admin-2'), commandId: 'confirm-demo-plan' });
        preview = await app.get(ReorganizationPlans).preview(plan.planId, administrator('auditor-admin'));
      } finally {
        await app.close();
      }
    });
    // The same province and confirmed plan, for a run nobody interrupts.
    uninterrupted = await createTestDatabase(interrupted);
  }, 240_000);
  afterAll(async () => {
    await interrupted?.drop();
    await uninterrupted?.drop();
  });

  it('records after a crash and a restart exactly what an uninterrupted run records, as previewed, and nothing more when run again', async () => {
    expect(preview.reclassified.length).toBeGreaterThan(100);
    expect(preview.changes.length).toBeGreaterThan(10);

    const straight = spawnSync(process.execPath, [cliMain, 'replay', 'reorganization', plan.planId], {
      env: { ...process.env, DATABASE_URL: uninterrupted.url },
      encoding: 'utf8',
    });
    expect(straight.status).toBe(0);
    const expected = await withRuntime(uninterrupted, (runtime) => recorded(runtime.store));

    const crash = await killedPartWay(interrupted);
    expect(crash.signal).toBe('SIGKILL');
    const partial = await withRuntime(interrupted, (runtime) => recorded(runtime.store));
    expect(partial.reclassified.length + partial.adjustments.length).toBeLessThan(expected.reclassified.length + expected.adjustments.length);

    const restart = spawnSync(process.execPath, [cliMain, 'replay', 'reorganization', plan.planId], {
      env: { ...process.env, DATABASE_URL: interrupted.url },
      encoding: 'utf8',
    });
    expect(restart.status).toBe(0);
    const resumed = await withRuntime(interrupted, (runtime) => recorded(runtime.store));
    expect(resumed.reclassified).toEqual(expected.reclassified);
    expect(resumed.adjustments).toEqual(expected.adjustments);
    expect(resumed.events).toBe(expected.events);
    expect(JSON.parse(restart.stdout.trim().split('\n').pop()!)).toMatchObject({
      planId: plan.planId,
      beneficiaries: preview.reclassified.length,
      adjustments: preview.changes.length + preview.claimChanges.length,
    });

    // The preview computed before anything was recorded foresaw every adjustment, to the VND.
    const foreseen = [
      ...preview.changes.map((change) => `${change.admissionId} ${change.regimeId} ${change.previous.group}→${change.next.group} ${change.difference}`),
      ...preview.claimChanges.map((change) => `${change.claimId} ${change.regimeId} ${change.previous.group}→${change.next.group} ${change.difference}`),
    ].sort();
    expect(expected.adjustments).toEqual(foreseen);

    const again = spawnSync(process.execPath, [cliMain, 'replay', 'reorganization', plan.planId], {
      env: { ...process.env, DATABASE_URL: interrupted.url },
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
    expect((await withRuntime(interrupted, (runtime) => recorded(runtime.store))).events).toBe(resumed.events);
  }, 240_000);
});
