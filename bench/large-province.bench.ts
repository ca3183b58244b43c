/**
 * A province of millions beside a small one, on one PostgreSQL server, a database each: Lâm Đồng's
 * residents, each registered and given one universal health check through the command path, and
 * Lạng Sơn's officials (the demo province-year). Then Lâm Đồng's read models are rebuilt while
 * Lạng Sơn's are read, the reports and lookups are timed under concurrent readers, and a
 * retroactive reorganization is confirmed in Lạng Sơn. Prints the figures and writes its section
 * of docs/benchmarks.md.
 *
 *   npm run bench:large-province                       # 3,800,000 residents: hours on a 2-core machine
 *   BENCH_RESIDENTS=20000 BENCH_QUERY_SECONDS=2 BENCH_REPORT=/tmp/b.md npm run bench:large-province   # smoke run
 *   BENCH_DATA_DIR=../lam-dong-cluster npm run bench:large-province   # keeps the cluster: a later run resumes or reuses the load
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { generateDemoProvince, generateResidentsDemo, openApplication, residentStreamId } from '#application';
import { ProjectionRunner } from '#projection-runner';
import {
  ALL_PROJECTIONS,
  balancesOf,
  createReportingViews,
  healthChecks,
  payments,
  periodReport,
  periodReportAt,
  readModelPosition,
  yearEndReport,
} from '#read-models';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import { type QueryLatency, underLoad } from './latency.js';
import { integer } from './report.js';
import { measureRetroactivity, type RetroactiveRun } from './retroactivity.js';
import { admin, createDatabase, databaseUrl, durableSettings, machine, ROOT, writeSection } from './server.js';
import { envNumber } from './workload.js';

const log = (message: string): void => console.error(`[bench] ${message}`);
const since = (started: number) => (performance.now() - started) / 1000;
const MiB = (bytes: number) => bytes / 1024 ** 2;

const LAM_DONG_POLICIES = resolve(ROOT, 'policies', 'lam-dong');
const PROGRAMME = 'universal-health-check';
const CHECK_YEAR = 2026;
/** Residents written per call of the generator: a progress line, and a slice an interrupted run would redo. */
const SLICE = 50_000;

interface Load {
  readonly residents: number;
  readonly commands: number;
  readonly events: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

interface Rebuild {
  readonly projection: string;
  readonly events: number;
  readonly seconds: number;
}

/** The process's resident set, sampled while `work` runs: its largest value in MiB. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1000);
  try {
    const result = await work();
    return { result, peakMiB: MiB(Math.max(peak, process.memoryUsage().rss)) };
  } finally {
    clearInterval(timer);
  }
}

function communesOf(folder: string): string[] {
  const file = JSON.parse(readFileSync(resolve(folder, 'administrative-units', 'administrative-units-2025.json'), 'utf8')) as {
    changes: { kind: string; code: string; level?: string }[];
  };
  return file.changes.filter((change) => change.kind === 'created' && change.level === 'commune').map((change) => change.code);
}

/** How far the load has come, kept beside a kept cluster (BENCH_DATA_DIR) after every slice. */
interface LoadProgress {
  readonly loaded: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/**
 * Registers and checks the residents slice by slice. With a progress file, a run carries on where
 * the last one stopped (the slice it was in is run again: its commands record nothing twice) and
 * the time of every run is added up.
 */
async function loadResidents(runtime: Runtime, residents: number, concurrency: number, progressFile: string | undefined): Promise<Load> {
  let progress: LoadProgress =
    progressFile && existsSync(progressFile) ? (JSON.parse(readFileSync(progressFile, 'utf8')) as LoadProgress) : { loaded: 0, seconds: 0, peakRssMiB: 0 };
  if (progress.loaded > 0) log(`  ${integer(progress.loaded)} residents loaded by an earlier run in ${progress.seconds.toFixed(0)} s`);
  const app = await openApplication(runtime);
  try {
    const bus = app.get(CommandBus);
    const communes = communesOf(LAM_DONG_POLICIES);
    for (let from = progress.loaded; from < residents; from += SLICE) {
      const count = Math.min(SLICE, residents - from);
      const started = performance.now();
      const { peakMiB } = await peakMemory(() =>
        generateResidentsDemo(bus, { seed: 2026, communes, programme: PROGRAMME, from, count, year: CHECK_YEAR, concurrency }),
      );
      progress = { loaded: from + count, seconds: progress.seconds + since(started), peakRssMiB: Math.max(progress.peakRssMiB, peakMiB) };
      if (progressFile) writeFileSync(progressFile, JSON.stringify(progress));
      log(`  ${integer(progress.loaded)} of ${integer(residents)} residents, ${integer((progress.loaded * 2) / progress.seconds)} commands/s`);
    }
  } finally {
    await app.close();
  }
  const events = Number(await runtime.store.readHeadPosition());
  return { residents, commands: residents * 2, events, seconds: progress.seconds, peakRssMiB: progress.peakRssMiB };
}

function runnerOf(runtime: Runtime): ProjectionRunner {
  return new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { dependents: createReportingViews, ...runtime.rebuild });
}

/** Each projection rebuilt alone, then all of them in one read of the log, as `cli rebuild` does. */
async function rebuildAll(runtime: Runtime): Promise<{ each: Rebuild[]; together: Rebuild; peakRssMiB: number }> {
  const runner = runnerOf(runtime);
  await runner.prepare();
  const { result, peakMiB } = await peakMemory(async () => {
    const each: Rebuild[] = [];
    for (const projection of ALL_PROJECTIONS) {
      let events = 0;
      const started = performance.now();
      await runner.rebuild(projection, (progress) => (events = progress.events));
      each.push({ projection: projection.name, events, seconds: since(started) });
      log(`  rebuilt ${projection.name}: ${integer(events)} events in ${since(started).toFixed(1)} s`);
    }
    const started = performance.now();
    await runner.rebuild(ALL_PROJECTIONS);
    const together = { projection: 'all at once', events: Number(await runtime.store.readHeadPosition()), seconds: since(started) };
    log(`  rebuilt all at once: ${integer(together.events)} log events in ${together.seconds.toFixed(1)} s`);
    return { each, together };
  });
  return { ...result, peakRssMiB: peakMiB };
}

async function catchUp(runtime: Runtime): Promise<void> {
  const runner = runnerOf(runtime);
  await runner.start();
  await runner.waitUntil(await runtime.store.readHeadPosition(), undefined, 3_600_000);
  await runner.stop();
}

async function beneficiaryIds(runtime: Runtime): Promise<string[]> {
  const { rows } = await runtime.pool.query<{ beneficiary_id: string }>('SELECT DISTINCT beneficiary_id FROM rm_payments.balances ORDER BY beneficiary_id');
  return rows.map((row) => row.beneficiary_id);
}

async function residentIds(runtime: Runtime, count: number): Promise<string[]> {
  const { rows } = await runtime.pool.query<{ resident_id: string }>(
    `SELECT data->>'residentId' AS resident_id FROM events WHERE event_type = 'ResidentRegistered' ORDER BY global_position LIMIT $1`,
    [count],
  );
  return rows.map((row) => row.resident_id);
}

async function databaseMiB(runtime: Runtime): Promise<number> {
  const { rows } = await runtime.pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  return MiB(Number(rows[0].bytes));
}

interface Results {
  readonly residents: number;
  readonly officialsScale: number;
  readonly load: Load;
  readonly officials: { readonly commands: number; readonly events: number; readonly seconds: number };
  readonly rebuild: { readonly each: Rebuild[]; readonly together: Rebuild; readonly peakRssMiB: number };
  readonly quiet: QueryLatency;
  readonly duringRebuild: QueryLatency;
  readonly queries: readonly (QueryLatency & { readonly province: string })[];
  readonly retroactive: readonly RetroactiveRun[];
  readonly sizes: { readonly lamDong: number; readonly langSon: number };
}

/** A database of the server, created unless a kept cluster has it already. */
async function databaseOf(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return databaseUrl(serverUrl, name);
}

async function measure(
  serverUrl: string,
  residents: number,
  officialsScale: number,
  readers: number,
  seconds: number,
  concurrency: number,
  progressFile: string | undefined,
): Promise<Results> {
  const common = { PROJECTIONS: 'off', DATABASE_POOL_SIZE: String(readers), ADMIN_PASSWORD: 'bench-admin-password', LOG_LEVEL: 'warn' };
  // Lạng Sơn's reorganization is confirmed below, so its database is made afresh by every run; Lâm Đồng's load may be kept.
  await admin(serverUrl, 'DROP DATABASE IF EXISTS bench_lang_son');
  const langSon = await openRuntime(
    loadConfig({ ...common, DATABASE_URL: await createDatabase(serverUrl, 'bench_lang_son'), POLICY_DIR: resolve(ROOT, 'policies'), PROVINCE_ID: 'lang-son' }),
  );
  const lamDong = await openRuntime(
    loadConfig({
      ...common,
      DATABASE_URL: await databaseOf(serverUrl, 'bench_lam_dong'),
      POLICY_DIR: LAM_DONG_POLICIES,
      PROVINCE_ID: 'lam-dong',
      PROVINCE_NAME: 'Lâm Đồng',
    }),
  );
  try {
    log(`Lạng Sơn: the demo province-year × ${officialsScale} through the command path`);
    const app = await openApplication(langSon);
    let started = performance.now();
    const { commands } = await generateDemoProvince(app.get(CommandBus), { seed: 2025, scale: officialsScale }).finally(() => app.close());
    const officials = { commands, events: Number(await langSon.store.readHeadPosition()), seconds: since(started) };
    await catchUp(langSon);
    const officialsIds = await beneficiaryIds(langSon);
    const balance = (n: number) => balancesOf(langSon.pool, officialsIds[(n * 7919) % officialsIds.length], 2025);

    log(`Lâm Đồng: ${integer(residents)} residents, each registered and checked, ${concurrency} in progress at once`);
    const load = await loadResidents(lamDong, residents, concurrency, progressFile);
    log(
      `  ${integer(load.commands)} commands, ${integer(load.events)} events in ${load.seconds.toFixed(0)} s: ${integer(load.commands / load.seconds)} commands/s`,
    );
    await lamDong.pool.query('VACUUM ANALYZE');
    await admin(serverUrl, 'CHECKPOINT');

    log(`Lạng Sơn: balance lookups by ${readers} readers, quiet, then while Lâm Đồng rebuilds`);
    const quiet = await underLoad('Lạng Sơn balance lookup, Lâm Đồng idle', readers, seconds, balance);
    let rebuilding: Promise<Awaited<ReturnType<typeof rebuildAll>>> | undefined;
    const duringRebuild = await underLoad(
      'Lạng Sơn balance lookup while Lâm Đồng rebuilds every read model',
      readers,
      (rebuilding = rebuildAll(lamDong)),
      balance,
    );
    const rebuild = await rebuilding;

    log(`queries, ${readers} readers, ${seconds} s each`);
    const ids = await residentIds(lamDong, 100_000);
    const applied = BigInt(await readModelPosition(lamDong.pool, [payments, healthChecks], lamDong.store));
    // A report pinned earlier in the day: the checks recorded since are undone from the tallies.
    const pastReport = async (back: bigint) => ({
      province: 'Lâm Đồng',
      ...(await underLoad(
        `monthly report, July ${CHECK_YEAR}, at a position ${integer(Number(back))} events back, built afresh every time`,
        readers,
        seconds,
        () => periodReportAt(lamDong.pool, lamDong.store, 'month', CHECK_YEAR, 7, applied - back),
      )),
    });
    const queries = [
      {
        province: 'Lâm Đồng',
        ...(await underLoad(`monthly report, July ${CHECK_YEAR}`, readers, seconds, () => periodReport(lamDong.pool, lamDong.store, 'month', CHECK_YEAR, 7))),
      },
      {
        province: 'Lâm Đồng',
        ...(await underLoad(`monthly report, July ${CHECK_YEAR}, built afresh every time (as the first at a new position)`, readers, seconds, async () =>
          periodReportAt(
            lamDong.pool,
            lamDong.store,
            'month',
            CHECK_YEAR,
            7,
            BigInt(await readModelPosition(lamDong.pool, [payments, healthChecks], lamDong.store)),
          ),
        )),
      },
      await pastReport(1_000n),
      await pastReport(10_000n),
      {
        province: 'Lâm Đồng',
        ...(await underLoad(`quarterly report, Q3 ${CHECK_YEAR}`, readers, seconds, () => periodReport(lamDong.pool, lamDong.store, 'quarter', CHECK_YEAR, 3))),
      },
      {
        province: 'Lâm Đồng',
        ...(await underLoad('one resident’s record (their stream)', readers, seconds, (n) =>
          lamDong.store.readStream(residentStreamId(ids[(n * 7919) % ids.length])),
        )),
      },
      { province: 'Lạng Sơn', ...(await underLoad('balance lookup (one beneficiary, one year)', readers, seconds, balance)) },
      { province: 'Lạng Sơn', ...(await underLoad('year-end report 2025 (JSON)', readers, seconds, () => yearEndReport(langSon.pool, 2025))) },
    ];
    for (const q of queries) log(`  ${q.province}, ${q.name}: p50 ${q.p50.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms`);

    log('Lạng Sơn: retroactive reorganization and policy version');
    started = performance.now();
    const retroactive = await measureRetroactivity(langSon, () => catchUp(langSon), log);
    return {
      residents,
      officialsScale,
      load,
      officials,
      rebuild,
      quiet,
      duringRebuild,
      queries,
      retroactive,
      sizes: { lamDong: await databaseMiB(lamDong), langSon: await databaseMiB(langSon) },
    };
  } finally {
    await Promise.all([langSon.close(), lamDong.close()]);
  }
}

const ms = (n: number) => n.toFixed(2);

function markdown(date: string, seconds: number, serverText: string, settings: string, concurrency: number, r: Results): string {
  const env = machine();
  const rebuildRate = r.rebuild.together.events / r.rebuild.together.seconds;
  const commandRate = r.load.commands / r.load.seconds;
  const query = (name: string) => r.queries.find((q) => q.name.startsWith(name))!;
  const monthly = query('monthly report');
  const afresh = query(`monthly report, July ${CHECK_YEAR}, built afresh`);
  const yearEnd = query('year-end report');
  const past = r.queries.filter((q) => q.name.includes('events back'));
  const balance = query('balance lookup');
  const plan = r.retroactive[0];
  const met = (ok: boolean) => (ok ? 'Met' : '**Not met**');
  return [
    '# A province of millions beside a small one',
    '',
    `Measured ${date} by \`BENCH_RESIDENTS=${r.residents} npm run bench:large-province\` (bench/large-province.bench.ts) in ${seconds.toFixed(0)} s. Regenerate it with the same command, which rewrites this section only.`,
    '',
    `Machine: ${env.cpu}, ${env.memory}, ${env.os}, Node.js ${env.node}. PostgreSQL ${serverText}, a throwaway durable cluster (${settings}), on the same machine.`,
    '',
    `Workload: in Lâm Đồng's database (catalog policies/lam-dong), ${integer(r.residents)} residents, each registered (\`RegisterResident\`: identity sealed under a key of their own) and then given one check in the second half of ${CHECK_YEAR} (\`RecordHealthCheck\`: decided under the universal-check version on the residence of that day), ${concurrency} residents in progress at once, through the command bus in one process (no HTTP), projections off while loading. Beside it, in Lạng Sơn's database, the demo province-year × ${r.officialsScale} (officials' regimes). Both databases on one server.`,
    '',
    '| province | commands | events written | seconds | commands/s | peak memory of the process (MiB) | database (MiB) |',
    '|---|---|---|---|---|---|---|',
    `| Lâm Đồng (residents) | ${integer(r.load.commands)} | ${integer(r.load.events)} | ${r.load.seconds.toFixed(0)} | **${integer(commandRate)}** | ${integer(r.load.peakRssMiB)} | ${integer(r.sizes.lamDong)} |`,
    `| Lạng Sơn (officials, × ${r.officialsScale}) | ${integer(r.officials.commands)} | ${integer(r.officials.events)} | ${r.officials.seconds.toFixed(0)} | ${integer(r.officials.commands / r.officials.seconds)} | | ${integer(r.sizes.langSon)} |`,
    '',
    `Lâm Đồng's read models rebuilt from position 0 (peak memory of the process ${integer(r.rebuild.peakRssMiB)} MiB):`,
    '',
    '| projection | events applied | seconds | events/s |',
    '|---|---|---|---|',
    ...r.rebuild.each.map(
      (x) => `| ${x.projection} (alone) | ${integer(x.events)} | ${x.seconds.toFixed(1)} | ${x.seconds > 0 ? integer(x.events / x.seconds) : '–'} |`,
    ),
    `| **all at once** (every event of the log) | ${integer(r.rebuild.together.events)} | ${r.rebuild.together.seconds.toFixed(1)} | **${integer(rebuildRate)}** |`,
    '',
    `One province's rebuild and another's reads: Lạng Sơn's balance lookups by ${r.quiet.readers} readers, while Lâm Đồng is idle and while it rebuilds every read model:`,
    '',
    '| Lạng Sơn balance lookup | queries | p50 (ms) | p99 (ms) | queries/s |',
    '|---|---|---|---|---|',
    ...[r.quiet, r.duringRebuild].map((q) => `| ${q.name} | ${integer(q.queries)} | ${ms(q.p50)} | ${ms(q.p99)} | ${integer(q.perSecond)} |`),
    '',
    '| province | query | readers | queries | p50 (ms) | p99 (ms) | queries/s |',
    '|---|---|---|---|---|---|---|',
    ...r.queries.map((q) => `| ${q.province} | ${q.name} | ${q.readers} | ${integer(q.queries)} | ${ms(q.p50)} | ${ms(q.p99)} | ${integer(q.perSecond)} |`),
    '',
    'Retroactive changes in Lạng Sơn, previewed, then confirmed through the command path:',
    '',
    '| change | log events | reclassified | adjustments | preview (s) | confirm (s) | events appended |',
    '|---|---|---|---|---|---|---|',
    ...r.retroactive.map(
      (x) =>
        `| ${x.change} | ${integer(x.logEvents)} | ${integer(x.reclassified)} | ${integer(x.adjustments)} | ${x.previewSeconds.toFixed(2)} | ${x.confirmSeconds.toFixed(1)} | ${integer(x.eventsAppended)} |`,
    ),
    '',
    '## Targets (issue 18, item 5)',
    '',
    `- ${met(r.load.events + r.officials.events >= 10_000_000)}: ten million events: ${integer(r.load.events + r.officials.events)} in the two logs`,
    `- ${met(commandRate >= 2000)}: command path ≥ 2,000 commands/s: ${integer(commandRate)}`,
    `- ${met(rebuildRate >= 100_000)}: rebuild ≥ 100,000 events/s: ${integer(rebuildRate)}`,
    `- ${met(monthly.p99 < 50)}: monthly report p99 < 50 ms: ${ms(monthly.p99)} ms (built afresh every time: ${ms(afresh.p99)} ms, ${met(afresh.p99 < 50)}); year-end report p99 < 50 ms: ${ms(yearEnd.p99)} ms (${met(yearEnd.p99 < 50)})`,
    ...past.map((q) => `- ${met(q.p99 < 1000)}: a report at a past position p99 < 1 s: ${q.name}: ${ms(q.p99)} ms`),
    `- balance p99 under ${balance.readers} readers: ${ms(balance.p99)} ms; while the large province rebuilds: ${ms(r.duringRebuild.p99)} ms`,
    ...(plan ? [`- the reorganization plan over Lạng Sơn: preview ${plan.previewSeconds.toFixed(2)} s, confirm ${plan.confirmSeconds.toFixed(1)} s`] : []),
    '',
    'Settings: BENCH_RESIDENTS (default 3,800,000), BENCH_OFFICIALS_SCALE (default 1), BENCH_CONCURRENCY (residents in progress at once, default 256), BENCH_READERS (default 20), BENCH_QUERY_SECONDS (default 10), BENCH_REPORT (default docs/benchmarks.md), BENCH_DATA_DIR (a folder to keep the cluster in: a later run resumes an interrupted load or measures the loaded province again). Needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin or POSTGRES_BIN).',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const residents = Math.round(envNumber('BENCH_RESIDENTS', 3_800_000));
  const officialsScale = Math.round(envNumber('BENCH_OFFICIALS_SCALE', 1));
  const concurrency = Math.round(envNumber('BENCH_CONCURRENCY', 256));
  const readers = Math.round(envNumber('BENCH_READERS', 20));
  const querySeconds = envNumber('BENCH_QUERY_SECONDS', 10);
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const keptIn = process.env.BENCH_DATA_DIR ? resolve(process.env.BENCH_DATA_DIR) : undefined;
  let server: ThrowawayPostgres | undefined;
  let stopping: Promise<void> | undefined;
  // Once, whether the run ends or is interrupted: the two may overlap.
  const stop = () => (stopping ??= server?.stop() ?? Promise.resolve());
  // Interrupted, the server is stopped all the same: a kept cluster can then be started by the next run.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`${signal}: stopping the PostgreSQL server`);
      void stop().finally(() => process.exit(130));
    });
  try {
    log(keptIn ? `starting the PostgreSQL server kept in ${keptIn} (durable: fsync on)` : 'starting a throwaway PostgreSQL server (durable: fsync on)');
    server = await startThrowawayPostgres({ durable: true, ...(keptIn ? { keptIn } : {}) });
    const settings = await durableSettings(server.url);
    const progressFile = keptIn && resolve(keptIn, `lam-dong-${residents}-residents.json`);
    const results = await measure(server.url, residents, officialsScale, readers, querySeconds, concurrency, progressFile);
    const report = markdown(new Date().toISOString(), since(started), server.version, settings, concurrency, results);
    console.log(`\n${report}\n`);
    writeSection(reportPath, 'large-province', report);
    log(`report written to ${reportPath}`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
