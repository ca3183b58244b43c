/**
 * Event store benchmark: our store on embedded PGlite, our store on a real PostgreSQL server, and
 * Emmett's PostgreSQL event store on the same server (a database of its own), through the same
 * workload (see workload.ts and suite.ts). Prints a summary table and writes docs/benchmarks.md.
 *
 *   npm run bench                                   # full run
 *   BENCH_SCALE=0.05 BENCH_REPORT=/tmp/b.md npm run bench   # smoke run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmbeddedPostgres } from '#database';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import type { BenchTarget } from './bench-target.js';
import { openEmmettStore } from './emmett-target.js';
import { openOurStore } from './our-store-target.js';
import { admin, createDatabase, durableSettings, machine, packageVersion, ROOT, serverVersion, writeSection } from './server.js';
import { checkTargets, type Environment, integer, markdownReport, type Results, summaryTable } from './report.js';
import { runSuite, type SuiteResults } from './suite.js';
import { DEFAULT_REPLAY_BATCH, envNumber, type Workload, workloadFor } from './workload.js';

const log = (message: string): void => console.error(`[bench] ${message}`);

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
      `Emmett's rebuild left its projection wrong: ${integer(emmett.replay.lost)} events lost and ${integer(emmett.replay.duplicated)} duplicated out of ${integer(emmett.replay.logEvents)}. ` +
        `Its global read returns events in (transaction_id, global_position) order, and ${integer(emmett.outOfReadOrder)} of its events come, in that order, after an event with a higher global position ` +
        '(only the concurrent appends of b can do that: a transaction takes its id before its global positions, so two concurrent appends can take them in opposite orders). ' +
        'Its processor skips every event at or below its checkpoint (`wasMessageHandled`), and the batch puller resumes after the position of the last event returned, so such events are never applied.',
    );
  }
  if (emmett.replay.again.lost > 0 || emmett.replay.again.duplicated > 0) {
    notes.push(
      `Rebuilding Emmett's projection a second time (rebuildPostgreSQLProjections again, same projection) handed ${integer(emmett.replay.again.applied)} events to it and left ${integer(emmett.replay.again.lost)} lost, ${integer(emmett.replay.again.duplicated)} duplicated: ` +
        'the rebuild truncates the projection but keeps the processor checkpoint the first rebuild stored in `emt_processors`, and resumes from there.',
    );
  }
  for (const suite of [results.pglite, results.postgres, results.emmett]) {
    const { returned: events, distinct, logEvents } = suite.readAll;
    if (distinct !== logEvents || events !== distinct) {
      const store = suite === emmett ? `Emmett's global read (readMessagesBatch resumed from \`currentGlobalPosition\`)` : `Our global read on ${suite.label}`;
      notes.push(
        `${store} returned ${integer(events)} events, ${integer(distinct)} of them distinct, of the ${integer(logEvents)} in the log: ` +
          `${integer(logEvents - distinct)} never returned, ${integer(events - distinct)} returned more than once.`,
      );
    }
  }
  notes.push(
    "Emmett 0.42.0 (read in node_modules): its projector calls the projection's `handle` once per event and stores the checkpoint after every event (two statements per event inside each batch transaction), so a batch-aware projection gains nothing; " +
      `the rebuild here pulls with \`pullingFrequencyInMs: 0\` (the default 50 ms pause between batches would cap it at ${integer(emmett.workload.replayBatchSize / 0.05)} events/s with batches of ${integer(emmett.workload.replayBatchSize)}). ` +
      '`emt_messages` has no index on `global_position`, so every global read scans and sorts the table.',
  );
  return notes;
}

async function main(): Promise<void> {
  const started = performance.now();
  const scale = envNumber('BENCH_SCALE', 1);
  // PGlite runs every query on this process's JavaScript thread; should it ever get too slow for
  // the full workload, BENCH_PGLITE_SCALE gives it a share of it.
  const pgliteScale = envNumber('BENCH_PGLITE_SCALE', 1);
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  // The replay batch size changes the replay rate a lot; the default is what production runs.
  const replayBatch = Math.round(envNumber('BENCH_REPLAY_BATCH', DEFAULT_REPLAY_BATCH));
  const serverWorkload = workloadFor(scale, replayBatch);
  const pgliteWorkload = workloadFor(scale * pgliteScale, replayBatch);

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
    const serverSettings = await durableSettings(server.url);
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
    const environment: Environment = {
      date: new Date().toISOString(),
      ...machine(),
      postgres: `${server.version}, a throwaway cluster from the machine's binaries (${serverSettings})`,
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

    writeSection(reportPath, 'event-store', markdownReport(environment, results, observations));
    log(`report written to ${reportPath} (${environment.seconds.toFixed(0)} s)`);
  } finally {
    if (server) {
      log('stopping the PostgreSQL server');
      await server.stop();
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
