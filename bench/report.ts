import type { Latency, SuiteResults, Throughput } from './suite.js';
import type { Workload } from './workload.js';

export interface Environment {
  readonly date: string;
  readonly cpu: string;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  readonly pglite: string;
  readonly emmett: string;
  readonly scale: number;
  readonly pgliteScale: number;
  readonly seconds: number;
}

export interface Results {
  readonly pglite: SuiteResults;
  readonly postgres: SuiteResults;
  readonly emmett: SuiteResults;
}

/** The figures compared with Emmett; every one has the ≥ 1.5× target. */
interface Figure {
  readonly name: string;
  readonly unit: 'events/s' | 'ms';
  readonly pick: (results: SuiteResults) => number;
}

const FIGURES: readonly Figure[] = [
  { name: 'a. sequential appends, 1 event/call', unit: 'events/s', pick: (r) => r.sequential.eventsPerSecond },
  { name: 'a. sequential append latency p50', unit: 'ms', pick: (r) => r.sequential.p50Ms },
  { name: 'a. sequential append latency p99', unit: 'ms', pick: (r) => r.sequential.p99Ms },
  { name: 'b. 8 concurrent writers, 1 event/call', unit: 'events/s', pick: (r) => r.concurrent.eventsPerSecond },
  { name: 'c. appends of 50 events/call', unit: 'events/s', pick: (r) => r.batched.eventsPerSecond },
  { name: 'd. readStream of whole 50-event streams', unit: 'events/s', pick: (r) => r.readStream.eventsPerSecond },
  { name: 'e. global log read in batches', unit: 'events/s', pick: (r) => r.readAll.eventsPerSecond },
  { name: 'f. replay/rebuild into a projection', unit: 'events/s', pick: (r) => r.replay.eventsPerSecond },
];

export const RATIO_TARGET = 1.5;
export const REPLAY_TARGET_EVENTS_PER_SECOND = 100_000;

export const integer = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const times = (n: number): string => `${n.toFixed(2)}×`;
const value = (figure: Figure, n: number): string => (figure.unit === 'ms' ? `${ms(n)} ms` : integer(n));

/**
 * How many times better ours is: throughput ours ÷ Emmett, latency Emmett ÷ ours, so that above
 * 1 always means ours is ahead.
 */
function advantage(figure: Figure, results: Results): number {
  const ours = figure.pick(results.postgres);
  const emmett = figure.pick(results.emmett);
  return figure.unit === 'ms' ? emmett / ours : ours / emmett;
}

/** A markdown table whose columns line up, so that the same text reads well on a terminal. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export interface TargetCheck {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = FIGURES.map((figure) => {
    const ratio = advantage(figure, results);
    return { name: `${figure.name}: ≥ ${RATIO_TARGET}× Emmett`, met: ratio >= RATIO_TARGET, detail: times(ratio) };
  });
  const replay = results.postgres.replay.eventsPerSecond;
  checks.push({
    name: `f. replay ≥ ${integer(REPLAY_TARGET_EVENTS_PER_SECOND)} events/s on PostgreSQL`,
    met: replay >= REPLAY_TARGET_EVENTS_PER_SECOND,
    detail: `${integer(replay)} events/s`,
  });
  for (const suite of [results.pglite, results.postgres]) {
    const { lost, duplicated, again } = suite.replay;
    checks.push({
      name: `f. 0 lost / 0 duplicated, ours on ${suite.label}`,
      met: lost === 0 && duplicated === 0 && again.lost === 0 && again.duplicated === 0,
      detail: `first rebuild ${lost} lost, ${duplicated} duplicated; second rebuild ${again.lost} lost, ${again.duplicated} duplicated`,
    });
  }
  return checks;
}

/** The one table printed to stdout and put first in the report. */
export function summaryTable(results: Results): string {
  const { pglite, postgres, emmett } = results;
  const rows = FIGURES.map((figure) => {
    const ratio = advantage(figure, results);
    return [
      figure.name,
      value(figure, figure.pick(pglite)),
      value(figure, figure.pick(postgres)),
      value(figure, figure.pick(emmett)),
      times(ratio),
      ratio >= RATIO_TARGET ? 'met' : 'NOT met',
    ];
  });
  const counts = (r: SuiteResults): string => `${integer(r.replay.lost)} / ${integer(r.replay.duplicated)}`;
  rows.push(['f. events lost / duplicated by the replay', counts(pglite), counts(postgres), counts(emmett), '', '']);
  const againCounts = (r: SuiteResults): string => `${integer(r.replay.again.lost)} / ${integer(r.replay.again.duplicated)}`;
  rows.push(['f. lost / duplicated, rebuilding it again', againCounts(pglite), againCounts(postgres), againCounts(emmett), '', '']);
  const reads = (r: SuiteResults): string => `${integer(r.readAll.returned)} / ${integer(r.readAll.distinct)} / ${integer(r.readAll.logEvents)}`;
  rows.push(['e. events returned / distinct / in the log', reads(pglite), reads(postgres), reads(emmett), '', '']);
  return table(
    ['Figure (events/s unless ms)', `ours, ${pglite.label}`, `ours, ${postgres.label}`, `Emmett, ${emmett.label}`, 'ours ÷ Emmett', `≥ ${RATIO_TARGET}×`],
    rows,
  );
}

/** How each store is named in the tables: whose store, on which database. */
function storeNames(results: Results): [SuiteResults, string][] {
  return [
    [results.pglite, `ours, ${results.pglite.label}`],
    [results.postgres, `ours, ${results.postgres.label}`],
    [results.emmett, `Emmett, ${results.emmett.label}`],
  ];
}

function workloadTable(results: Results): string {
  const sizes = (w: Workload): string[] => [
    integer(w.sequentialAppends),
    `${w.concurrentWriters} × ${integer(w.concurrentAppends / w.concurrentWriters)}`,
    `${integer(w.batchCalls)} × ${w.eventsPerBatch}`,
    `${w.readStreamPasses} × ${integer(w.batchCalls)} streams`,
    `${w.readAllPasses} × log, batches of ${integer(w.readAllBatchSize)}`,
    `log, batches of ${integer(w.replayBatchSize)}`,
  ];
  return table(
    ['Store', 'a. calls', 'b. writers × calls', 'c. calls × events', 'd. reads', 'e. reads', 'f. replay', 'log size (events)'],
    storeNames(results).map(([r, name]) => [name, ...sizes(r.workload), integer(r.readAll.logEvents)]),
  );
}

function sectionTables(results: Results): string {
  const named = storeNames(results);
  const suites = named.map(([suite]) => suite);
  const who = (index: number): string => named[index][1];
  const ratio = (index: number): string => times(advantage(FIGURES[index], results));
  const seconds = (n: number): string => n.toFixed(2);

  const throughputSection = (title: string, count: string, pick: (r: SuiteResults) => Throughput & Partial<Latency>, comparison: string): string[] => {
    const latency = pick(suites[0]).p50Ms !== undefined;
    return [
      `### ${title}`,
      '',
      table(
        ['Store', count, 's', 'events/s', ...(latency ? ['p50 ms', 'p99 ms'] : [])],
        suites.map((r, i) => {
          const figure = pick(r);
          return [
            who(i),
            integer(figure.events),
            seconds(figure.seconds),
            integer(figure.eventsPerSecond),
            ...(latency ? [ms(figure.p50Ms!), ms(figure.p99Ms!)] : []),
          ];
        }),
      ),
      '',
      `Ours ÷ Emmett on PostgreSQL: ${comparison}.`,
      '',
    ];
  };

  return [
    ...throughputSection(
      'a. Sequential appends, 1 event per call',
      'calls',
      (r) => r.sequential,
      `throughput ${ratio(0)}, p50 latency ${ratio(1)}, p99 latency ${ratio(2)} (latency ratios are Emmett ÷ ours, so above 1 means ours is faster)`,
    ),
    ...throughputSection('b. 8 concurrent writers, 1 event per call, each to its own streams', 'appends', (r) => r.concurrent, ratio(3)),
    ...throughputSection('c. Appends of 50 events per call (one writer, each call a new stream)', 'events', (r) => r.batched, ratio(4)),
    ...throughputSection(
      'd. Reading back whole 50-event streams (one reader; one unmeasured pass, then the measured passes)',
      'events',
      (r) => r.readStream,
      ratio(5),
    ),
    '### e. Reading the whole global log in batches',
    '',
    'Ours: `EventStore.readAll({after, maxCount})`. Emmett: `readMessagesBatch(execute, {after, batchSize})`, the global read its consumers and rebuilds use, resumed from the `currentGlobalPosition` it returns. One unmeasured pass (the one checked for skipped and repeated events), then the measured passes.',
    '',
    table(
      ['Store', 'batch', 'returned by one pass', 'distinct', 'events in log', 'events read (measured)', 's', 'events/s'],
      suites.map((r, i) => [
        who(i),
        integer(r.workload.readAllBatchSize),
        integer(r.readAll.returned),
        integer(r.readAll.distinct),
        integer(r.readAll.logEvents),
        integer(r.readAll.events),
        seconds(r.readAll.seconds),
        integer(r.readAll.eventsPerSecond),
      ]),
    ),
    '',
    `Ours ÷ Emmett on PostgreSQL: ${ratio(6)}.`,
    '',
    '### f. Replay of the whole global log into a projection counting events per stream',
    '',
    'Ours: `ProjectionRunner.rebuild(streamActivity)`, checked with `streamActivityDiscrepancies`. Emmett: `rebuildPostgreSQLProjections` with an equivalent `postgreSQLProjection` (events counted per stream in a table), checked by comparing that table with `emt_messages` stream by stream. Events/s counts the log replayed. Each store then rebuilds the same projection a second time (not timed), as an operator would after changing it, and that result is checked the same way.',
    '',
    table(
      ['Store', 'batch', 'events in log', 'events applied', 's', 'events/s', 'lost', 'duplicated', 'rebuilt again: applied', 'lost', 'duplicated'],
      suites.map((r, i) => [
        who(i),
        integer(r.workload.replayBatchSize),
        integer(r.replay.logEvents),
        integer(r.replay.events),
        seconds(r.replay.seconds),
        integer(r.replay.eventsPerSecond),
        integer(r.replay.lost),
        integer(r.replay.duplicated),
        integer(r.replay.again.applied),
        integer(r.replay.again.lost),
        integer(r.replay.again.duplicated),
      ]),
    ),
    '',
    `Ours ÷ Emmett on PostgreSQL: ${ratio(7)}.`,
  ].join('\n');
}

export function markdownReport(environment: Environment, results: Results, observations: readonly string[]): string {
  const checks = checkTargets(results);
  return [
    '# Event store benchmarks',
    '',
    `Measured ${environment.date} by \`npm run bench\` (bench/event-store.bench.ts) in ${environment.seconds.toFixed(0)} s. Regenerate it with the same command, which rewrites this section only.`,
    '',
    '## Machine',
    '',
    `- CPU: ${environment.cpu}`,
    `- Memory: ${environment.memory}`,
    `- OS: ${environment.os}`,
    `- Node.js: ${environment.node}`,
    `- PostgreSQL server: ${environment.postgres}`,
    `- PGlite: ${environment.pglite}`,
    `- Emmett: ${environment.emmett}`,
    '',
    '## Stores and workload',
    '',
    '- **ours, embedded PGlite**: our PostgreSQL event store (group commit) on PGlite in this process, reached through its socket server (`EmbeddedPostgres`), data in a temporary folder.',
    '- **ours, PostgreSQL**: the same store on a throwaway PostgreSQL cluster started for the run, durable (fsync on, synchronous_commit on, full_page_writes on), database of its own.',
    '- **Emmett, PostgreSQL**: `getPostgreSQLEventStore` on the same server, in a separate database, with its default pooling.',
    '',
    "Each store runs a–f in order, after a warm-up of 50 appends: the reads and the replay go over what the appends wrote. Every append carries the exact expected stream revision/version. Before the reads, each database gets a `VACUUM ANALYZE` (what autovacuum would do). Ours run first and Emmett last (creating Emmett's pool changes the process-wide `pg` type parsers). Both stores use a pool of 10 connections.",
    '',
    `Scale: BENCH_SCALE=${environment.scale}; PGlite runs BENCH_PGLITE_SCALE=${environment.pgliteScale} of that workload.`,
    '',
    workloadTable(results),
    '',
    '## Summary',
    '',
    summaryTable(results),
    '',
    '"ours ÷ Emmett" compares ours with Emmett on the same PostgreSQL server: throughput ours ÷ Emmett, latency Emmett ÷ ours, so above 1 always means ours is ahead. PGlite is shown for reference only.',
    '',
    'Every figure comes from this single run. On a shared 2-core virtual machine, repeated runs differ by 10–20 % on most figures and by more on p99 latency, so a ratio close to 1.5× can fall on either side of the target from one run to the next.',
    '',
    '## Targets',
    '',
    ...checks.map((check) => `- ${check.met ? 'Met' : '**Not met**'}: ${check.name} (${check.detail})`),
    '',
    ...(observations.length > 0 ? ['## Observations', '', ...observations.map((line) => `- ${line}`), ''] : []),
    '## Sections',
    '',
    sectionTables(results),
    '',
    '## How to run',
    '',
    '`npm run bench` (builds, then runs for about a minute on a 2-core machine at the default scale). A quick smoke run: `BENCH_SCALE=0.05 BENCH_REPORT=/tmp/bench.md npm run bench`. Variables: BENCH_SCALE (default 1) scales every workload size, BENCH_PGLITE_SCALE (default 1) is the share of it PGlite runs, BENCH_REPLAY_BATCH (default 5,000, as the projection runner rebuilds) is the replay batch size for both stores, BENCH_REPORT (default docs/benchmarks.md) is where this file goes. Needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin or POSTGRES_BIN).',
    '',
  ].join('\n');
}
