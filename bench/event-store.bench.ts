/**
 * Event store benchmark: our store on embedded PGlite, our store on a real PostgreSQL server, and
 * Emmett's PostgreSQL event store on the same server (a database of its own), through the same
 * workload (see workload.ts and suite.ts). Prints a summary table and writes docs/benchmarks.md.
 *
 *   npm run bench                                   # full run
 *   BENCH_SCALE=0.05 BENCH_REPORT=/tmp/b.md npm run bench   # smoke run
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedPostgres } from '#database';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import type { BenchTarget } from './bench-target.js';
import { openEmmettStore } from './emmett-target.js';
import { openOurStore } from './our-store-target.js';
import { checkTargets, type Environment, markdownReport, type Results, summaryTable } from './report.js';
import { runSuite, type SuiteResults } from './suite.js';
import { envNumber, type Workload, workloadFor } from './workload.js';

/** The repository root: this file runs from dist/bench/. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const log = (message: string): void => console.error(`[bench] ${message}`);

function packageVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

async function serverVersion(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

/** Runs `sql` as the server's superuser on its default database (CREATE DATABASE, CHECKPOINT). */
async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Opens a target, runs the suite on it, and closes it whatever happens. */
async function measure(open: () => Promise<BenchTarget>, workload: Workload): Promise<SuiteResults> {
  const target = await open();
  try {
    return await runSuite(target, workload, log);
  } finally {
    await target.close();
  }
}

/** What the figures alone do not say but a reader must know; derived from the results. */
function observationsOf(results: Results): string[] {
  const notes: string[] = [];
  const { emmett } = results;
  if (emmett.replay.lost > 0 || emmett.replay.duplicated > 0) {
    notes.push(
      `Emmett's rebuild left its projection wrong: ${emmett.replay.lost} events lost and ${emmett.replay.duplicated} duplicated out of ${emmett.replay.logEvents}. Its global read orders by (transaction_id, global_position) but resumes after the last global position it saw, and its processor skips any event whose position is not above its checkpoint; when concurrent appends take global positions out of transaction order (workload b), events are skipped.`,
    );
  }
  if (emmett.readAll.events !== emmett.readAll.logEvents) {
    notes.push(`Emmett's global read (readMessagesBatch, resuming from \`currentGlobalPosition\`) returned ${emmett.readAll.events} events of the ${emmett.readAll.logEvents} in its table.`);
  }
  for (const suite of [results.pglite, results.postgres]) {
    if (suite.readAll.events !== suite.readAll.logEvents) {
      notes.push(`Our global read on ${suite.label} returned ${suite.readAll.events} events of the ${suite.readAll.logEvents} in the log.`);
    }
  }
  notes.push(
    'Emmett 0.42.0 (read in node_modules): its projector calls the projection\'s `handle` once per event and stores the checkpoint after every event (two statements per event inside each batch transaction), so a batch-aware projection gains nothing; the rebuild pulls with `pullingFrequencyInMs: 0` here (the default 50 ms pause between batches would cap it at 10,000 events/s with batches of 500). `emt_messages` has no index on `global_position`, so every global read scans and sorts the table.',
  );
  return notes;
}

async function main(): Promise<void> {
  const started = performance.now();
  const scale = envNumber('BENCH_SCALE', 1);
  // PGlite executes every query on this process's single JavaScript thread; a quarter of the
  // workload keeps the run short and is plenty for a per-event rate.
  const pgliteScale = envNumber('BENCH_PGLITE_SCALE', 0.25);
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const serverWorkload = workloadFor(scale);
  const pgliteWorkload = workloadFor(scale * pgliteScale);

  const scratch = mkdtempSync(join(tmpdir(), 'hsb-bench-'));
  let server: ThrowawayPostgres | undefined;
  try {
    log('ours on embedded PGlite');
    const embedded = await EmbeddedPostgres.start(join(scratch, 'pglite'));
    let pglite: SuiteResults;
    let pgliteServerVersion: string;
    try {
      pgliteServerVersion = await serverVersion(embedded.connectionString);
      pglite = await measure(() => openOurStore('embedded PGlite', embedded.connectionString), pgliteWorkload);
    } finally {
      await embedded.stop();
    }

    log('starting a throwaway PostgreSQL server (durable: fsync on)');
    server = await startThrowawayPostgres({ durable: true });
    const serverLabel = `PostgreSQL ${server.version.split(' ')[0]}`;
    const oursUrl = await createDatabase(server.url, 'bench_ours');
    const emmettUrl = await createDatabase(server.url, 'bench_emmett');

    // A checkpoint before each store, so that neither pays for flushing the other's writes.
    log(`ours on ${serverLabel}`);
    await admin(server.url, 'CHECKPOINT');
    const postgres = await measure(() => openOurStore(serverLabel, oursUrl), serverWorkload);

    // Emmett last: see the note in emmett-target.ts about the process-wide pg type parsers.
    log(`Emmett on ${serverLabel}`);
    await admin(server.url, 'CHECKPOINT');
    const emmett = await measure(() => openEmmettStore(serverLabel, emmettUrl), serverWorkload);

    const results: Results = { pglite, postgres, emmett };
    const cores = cpus();
    const environment: Environment = {
      date: new Date().toISOString(),
      cpu: `${cores[0]?.model.trim() ?? 'unknown'} × ${cores.length}`,
      memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
      os: `${osType()} ${release()}`,
      node: process.version,
      postgres: `${server.version} (throwaway cluster from the machine's binaries; fsync on, shared_buffers 256MB)`,
      pglite: `@electric-sql/pglite ${packageVersion('@electric-sql/pglite')} (PostgreSQL ${pgliteServerVersion}), @electric-sql/pglite-socket ${packageVersion('@electric-sql/pglite-socket')}`,
      emmett: `@event-driven-io/emmett-postgresql ${packageVersion('@event-driven-io/emmett-postgresql')}, @event-driven-io/emmett ${packageVersion('@event-driven-io/emmett')}`,
      scale,
      pgliteScale,
      seconds: (performance.now() - started) / 1000,
    };

    const observations = observationsOf(results);
    console.log('');
    console.log(summaryTable(results));
    console.log('');
    for (const check of checkTargets(results)) console.log(`${check.met ? 'MET    ' : 'NOT MET'}  ${check.name} (${check.detail})`);
    for (const note of observations) console.log(`\nNote: ${note}`);

    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, markdownReport(environment, results, observations));
    log(`report written to ${reportPath} (${environment.seconds.toFixed(0)} s)`);
  } finally {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
