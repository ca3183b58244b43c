/**
 * Read-model benchmark: the demo province written through the command path, every projection
 * rebuilt from the log, and the read side queried by concurrent readers. Prints the figures and
 * writes its section of docs/benchmarks.md.
 *
 *   npm run bench:read-models        # the demo province on PGlite, × 1 and × 10 on PostgreSQL
 *   BENCH_DEMO_SCALES=1 BENCH_QUERY_SECONDS=2 BENCH_REPORT=/tmp/b.md npm run bench:read-models   # smoke run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { generateDemoProvince, openApplication } from '#application';
import { ProjectionRunner } from '#projection-runner';
import { ALL_PROJECTIONS, balancesOf, createReportingViews, yearEndReport, yearEndReportAt } from '#read-models';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { regeneratedReport } from '../test/support/regenerated-report.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import { type QueryLatency, underLoad } from './latency.js';
import { integer } from './report.js';
import { measureRetroactivity, type RetroactiveRun } from './retroactivity.js';
import { admin, createDatabase, durableSettings, machine, packageVersion, ROOT, writeSection } from './server.js';
import { envNumber } from './workload.js';

const log = (message: string): void => console.error(`[bench] ${message}`);

interface Generation {
  readonly steps: number;
  readonly events: number;
  readonly seconds: number;
}

interface Rebuild {
  readonly projection: string;
  readonly events: number;
  readonly seconds: number;
}

interface BackendResults {
  readonly label: string;
  readonly scale: number;
  readonly generation: Generation;
  readonly rebuilds: { readonly each: readonly Rebuild[]; readonly together: Rebuild };
  readonly queries: readonly QueryLatency[];
  readonly retroactive: readonly RetroactiveRun[];
}

async function generate(runtime: Runtime, scale: number): Promise<Generation> {
  const app = await openApplication(runtime);
  try {
    const before = await runtime.store.readHeadPosition();
    const started = performance.now();
    let lastLog = 0;
    const { commands } = await generateDemoProvince(app.get(CommandBus), {
      seed: 2025,
      scale,
      onProgress: (done, total, phase) => {
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        log(`  demo × ${scale}: ${Math.floor((done * 100) / total)}% (${phase})`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    return { steps: commands, events: Number((await runtime.store.readHeadPosition()) - before), seconds };
  } finally {
    await app.close();
  }
}

/**
 * Every projection rebuilt from position 0 into fresh tables and swapped in: one after another
 * (each projection's own rate), then all together in one read of the log (as `npm run cli --
 * rebuild` does): the wall time of the whole rebuild over the log.
 */
async function rebuildAll(runtime: Runtime): Promise<{ each: Rebuild[]; together: Rebuild }> {
  const runner = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { dependents: createReportingViews, ...runtime.rebuild });
  await runner.prepare();
  const each: Rebuild[] = [];
  for (const projection of ALL_PROJECTIONS) {
    let events = 0;
    const started = performance.now();
    await runner.rebuild(projection, (progress) => (events = progress.events));
    each.push({ projection: projection.name, events, seconds: (performance.now() - started) / 1000 });
    log(`  rebuilt ${projection.name}: ${integer(events)} events, ${integer(events / each[each.length - 1].seconds)} events/s`);
  }
  // The full rebuild is the figure the target is about: the median of three runs, since one run swings by ±10 %.
  const runs: number[] = [];
  const events = Number(await runtime.store.readHeadPosition());
  for (let run = 0; run < TOGETHER_RUNS; run++) {
    const started = performance.now();
    await runner.rebuild(ALL_PROJECTIONS);
    runs.push((performance.now() - started) / 1000);
    log(`  rebuilt all at once: ${integer(events)} log events in ${runs[run].toFixed(1)} s, ${integer(events / runs[run])} events/s`);
  }
  const together = { projection: 'all, at once', events, seconds: [...runs].sort((a, b) => a - b)[Math.floor(TOGETHER_RUNS / 2)] };
  return { each, together };
}

const TOGETHER_RUNS = 3;

async function measureQueries(runtime: Runtime, readers: number, seconds: number): Promise<QueryLatency[]> {
  const { rows } = await runtime.pool.query<{ beneficiary_id: string }>(
    'SELECT beneficiary_id FROM rm_payments.balances GROUP BY beneficiary_id ORDER BY beneficiary_id',
  );
  const ids = rows.map((row) => row.beneficiary_id);
  await runtime.pool.query('VACUUM ANALYZE');
  const balance = await underLoad('balance lookup (one beneficiary, one year)', readers, seconds, (n) =>
    balancesOf(runtime.pool, ids[(n * 7919) % ids.length], 2025),
  );
  const report = await underLoad('year-end report 2025 (JSON)', readers, seconds, () => yearEndReport(runtime.pool, 2025));
  // The report at a past position (as an auditor asks for one a report quoted): a quarter, half, three quarters of the way through the log, and its head.
  const head = await runtime.store.readHeadPosition();
  const past: QueryLatency[] = [];
  for (const quarter of [1n, 2n, 3n, 4n]) {
    const position = (head * quarter) / 4n;
    past.push(
      await underLoad(`year-end report 2025 at position ${integer(Number(position))} (${quarter * 25n} % of the log)`, readers, seconds, () =>
        yearEndReportAt(runtime.store, runtime.pool, 2025, position),
      ),
    );
  }
  // The way it was served before the versions: the read models rebuilt from the log up to the position, once.
  const started = performance.now();
  await regeneratedReport(runtime.store, runtime.pool, runtime.rebuild, 2025, head / 2n);
  const rebuilt = (performance.now() - started) / 1000;
  const once = { readers: 1, queries: 1, p50: rebuilt * 1000, p99: rebuilt * 1000, perSecond: 1 / rebuilt };
  return [balance, report, ...past, { name: `year-end report 2025 at position ${integer(Number(head / 2n))}, read models rebuilt up to it (before)`, ...once }];
}

async function measureBackend(label: string, env: NodeJS.ProcessEnv, scale: number, readers: number, querySeconds: number): Promise<BackendResults> {
  // The pool serves the concurrent readers as a production API process would.
  const runtime = await openRuntime(loadConfig({ ...env, PROJECTIONS: 'off', DATABASE_POOL_SIZE: String(readers), ADMIN_PASSWORD: 'bench-admin-password' }));
  try {
    log(`${label}: demo province × ${scale} through the command path`);
    const generation = await generate(runtime, scale);
    log(`  ${integer(generation.steps)} steps, ${integer(generation.events)} events in ${generation.seconds.toFixed(0)} s`);
    log(`${label}: rebuilding every projection`);
    const rebuilds = await rebuildAll(runtime);
    log(`${label}: ${readers} concurrent readers, ${querySeconds} s per query`);
    const queries = await measureQueries(runtime, readers, querySeconds);
    for (const q of queries) log(`  ${q.name}: p50 ${q.p50.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms, ${integer(q.perSecond)}/s`);
    log(`${label}: retroactive changes (preview, confirm)`);
    const catchUp = async () => {
      const runner = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { dependents: createReportingViews, ...runtime.rebuild });
      await runner.start();
      await runner.waitUntil(await runtime.store.readHeadPosition(), undefined, 3_600_000);
      await runner.stop();
    };
    const retroactive = await measureRetroactivity(runtime, catchUp, log);
    return { label, scale, generation, rebuilds, queries, retroactive };
  } finally {
    await runtime.close();
  }
}

function markdown(title: string, date: string, seconds: number, serverSettings: string, serverVersionText: string, results: readonly BackendResults[]): string {
  const env = machine();
  const servers = results.filter((r) => r.label.startsWith('PostgreSQL'));
  const largest = servers[servers.length - 1];
  return [
    `# ${title}`,
    '',
    `Measured ${date} by \`npm run bench:read-models\` (bench/read-models.bench.ts) in ${seconds.toFixed(0)} s. Regenerate it with the same command, which rewrites this section only.`,
    '',
    `Machine: ${env.cpu}, ${env.memory}, ${env.os}, Node.js ${env.node}. PostgreSQL ${serverVersionText}, a throwaway durable cluster (${serverSettings}); PGlite ${packageVersion('@electric-sql/pglite')}.`,
    '',
    'Workload: the demo province-year (Lạng Sơn 2025: 4,347 beneficiaries, 552 cards, 1,837 stays, 837 claims, every amount approved and paid) written through the command path, `× scale` copies of it. Then every projection is rebuilt from position 0 into fresh tables and swapped in (batches of 5,000 events), and the read side is queried by concurrent readers, each query a full round trip through the pool.',
    '',
    '| backend | scale | commands (steps) | events written | write rate (steps/s) |',
    '|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.scale} | ${integer(r.generation.steps)} | ${integer(r.generation.events)} | ${integer(r.generation.steps / r.generation.seconds)} |`,
    ),
    '',
    '| backend | scale | projection | events | seconds | events/s |',
    '|---|---|---|---|---|---|',
    ...results.flatMap((r) => [
      ...r.rebuilds.each.map(
        (x) =>
          `| ${r.label} | ${r.scale} | ${x.projection} (alone) | ${integer(x.events)} applied | ${x.seconds.toFixed(1)} | ${integer(x.events / x.seconds)} |`,
      ),
      `| ${r.label} | ${r.scale} | **all three at once** (median of ${TOGETHER_RUNS}) | ${integer(r.rebuilds.together.events)} in the log | ${r.rebuilds.together.seconds.toFixed(1)} | **${integer(r.rebuilds.together.events / r.rebuilds.together.seconds)}** |`,
    ]),
    '',
    '| backend | scale | query | readers | queries | p50 (ms) | p99 (ms) | queries/s |',
    '|---|---|---|---|---|---|---|---|',
    ...results.flatMap((r) =>
      r.queries.map(
        (q) =>
          `| ${r.label} | ${r.scale} | ${q.name} | ${q.readers} | ${integer(q.queries)} | ${q.p50.toFixed(2)} | ${q.p99.toFixed(2)} | ${integer(q.perSecond)} |`,
      ),
    ),
    '',
    'Retroactive changes, each previewed from the read models (nothing recorded), then confirmed through the command path (64 commands in flight, one stream append per beneficiary, stay or claim):',
    '',
    '| backend | scale | change | log events | reclassified | stays examined | adjustments | preview (s) | confirm (s) | events appended | appended/s | log events/s (confirm) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.flatMap((r) =>
      r.retroactive.map(
        (x) =>
          `| ${r.label} | ${r.scale} | ${x.change} | ${integer(x.logEvents)} | ${integer(x.reclassified)} | ${integer(x.staysExamined)} | ${integer(x.adjustments)} | ${x.previewSeconds.toFixed(2)} | ${x.confirmSeconds.toFixed(1)} | ${integer(x.eventsAppended)} | ${integer(x.eventsAppended / x.confirmSeconds)} | ${integer(x.logEvents / x.confirmSeconds)} |`,
      ),
    ),
    '',
    '## Targets',
    '',
    ...servers.flatMap((server) => {
      const rate = server.rebuilds.together.events / server.rebuilds.together.seconds;
      const balance = server.queries[0];
      const past = server.queries.filter((q) => q.name.includes(' at position ') && q.readers > 1);
      const worst = past.reduce((slowest, q) => (q.p99 > slowest.p99 ? q : slowest), past[0]);
      return [
        `- ${rate >= 50_000 ? 'Met' : '**Not met**'}: full rebuild ≥ 50,000 events/s on PostgreSQL, scale ${server.scale}: ${integer(rate)} log events/s (${integer(server.rebuilds.together.events)} events)`,
        `- ${balance.p99 < 10 ? 'Met' : '**Not met**'}: balance lookup p99 < 10 ms under ${balance.readers} readers, scale ${server.scale}: ${balance.p99.toFixed(2)} ms`,
        `- ${worst.p99 < 1000 ? 'Met' : '**Not met**'}: the year-end report at a past position p99 < 1 s under ${worst.readers} readers, scale ${server.scale}: at most ${worst.p99.toFixed(2)} ms (${past.length} positions)`,
        ...server.retroactive
          .slice(0, 1)
          .flatMap((plan) =>
            server.scale === 1
              ? [
                  `- ${plan.previewSeconds < 2 && plan.confirmSeconds < 2 ? 'Met' : '**Not met**'}: the reorganization over the demo province in under 2 s: preview ${plan.previewSeconds.toFixed(2)} s, confirm ${plan.confirmSeconds.toFixed(1)} s`,
                ]
              : [
                  `- ${plan.logEvents / plan.confirmSeconds >= 50_000 ? 'Met' : '**Not met**'}: the reorganization at scale ${server.scale} at ≥ 50,000 events/s: ${integer(plan.logEvents / plan.confirmSeconds)} log events/s over the confirmation (${integer(plan.eventsAppended / plan.confirmSeconds)} appended/s); preview ${plan.previewSeconds.toFixed(1)} s`,
                ],
          ),
      ];
    }),
    '',
    '"Alone": one projection rebuilt by itself, counting the events of the types it consumes (each read model reads only those from the log). "All three at once": the three rebuilt together from one read of the log, as `npm run cli -- rebuild` does, counting every event in the log over the wall time; the median of three rebuilds, run one after another. A rebuild keeps each read model in memory and writes it once at the end (COPY on a server, keys and indexes built after the load), writes history rows batch by batch, and, the log being the PostgreSQL event store in the same database, has the database fill the tables that follow from the log by plain SQL (the stream activity entirely, the payout lineage, the period tables) while it applies the rest. Largest scale run: ' +
      (largest ? `× ${largest.scale}, ${integer(largest.generation.events)} events` : 'none') +
      '.',
    '',
    'Variables: BENCH_DEMO_SCALES (default "1,10") the copies of the province on PostgreSQL, one database each, BENCH_PGLITE_DEMO_SCALE (default 1, 0 to skip) on PGlite, BENCH_READERS (default 20), BENCH_QUERY_SECONDS (default 10), BENCH_REPORT (default docs/benchmarks.md), BENCH_SECTION (default read-models: the section of that file to write) and BENCH_TITLE (its heading). Needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin or POSTGRES_BIN).',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const scales = (process.env.BENCH_DEMO_SCALES ?? '1,10').split(',').map((text) => {
    const scale = Number(text);
    if (!Number.isInteger(scale) || scale < 1) throw new Error(`BENCH_DEMO_SCALES must list whole numbers ≥ 1, got "${text}"`);
    return scale;
  });
  // 0 skips PGlite, for runs about the server's figures only.
  const pgliteScale = process.env.BENCH_PGLITE_DEMO_SCALE === '0' ? 0 : Math.round(envNumber('BENCH_PGLITE_DEMO_SCALE', 1));
  const readers = Math.round(envNumber('BENCH_READERS', 20));
  const querySeconds = envNumber('BENCH_QUERY_SECONDS', 10);
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  // Another section keeps a run at other scales beside the last full run instead of replacing it.
  const section = process.env.BENCH_SECTION ?? 'read-models';
  if (!/^[a-z0-9-]+$/.test(section)) throw new Error(`BENCH_SECTION must be lower-case letters, digits and dashes, got "${section}"`);
  const scratch = mkdtempSync(join(tmpdir(), 'hsb-bench-'));
  let server: ThrowawayPostgres | undefined;
  try {
    const results: BackendResults[] = [];
    if (pgliteScale > 0)
      results.push(
        await measureBackend(
          'embedded PGlite',
          { PGLITE_DATA_DIR: join(scratch, 'pglite'), POLICY_DIR: resolve(ROOT, 'policies') },
          pgliteScale,
          readers,
          querySeconds,
        ),
      );
    log('starting a throwaway PostgreSQL server (durable: fsync on)');
    server = await startThrowawayPostgres({ durable: true });
    const settings = await durableSettings(server.url);
    for (const scale of scales) {
      const url = await createDatabase(server.url, `bench_read_models_${scale}`);
      await admin(server.url, 'CHECKPOINT');
      results.push(
        await measureBackend(
          `PostgreSQL ${server.version.split(' ')[0]}`,
          { DATABASE_URL: url, POLICY_DIR: resolve(ROOT, 'policies') },
          scale,
          readers,
          querySeconds,
        ),
      );
    }
    const report = markdown(
      process.env.BENCH_TITLE ?? 'Read-model benchmarks',
      new Date().toISOString(),
      (performance.now() - started) / 1000,
      settings,
      server.version,
      results,
    );
    console.log(`\n${report}\n`);
    writeSection(reportPath, section, report);
    log(`report written to ${reportPath}`);
  } finally {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
