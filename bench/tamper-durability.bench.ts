/**
 * What tamper evidence and durable embedded commits cost (docs/security.md): appends through
 * append_events with and without the hash chain, on PostgreSQL 15 (fsync on) and on PGlite; the
 * chain's verification; and PGlite's group commits with and without the WAL synced before the
 * answer, counting the syncs. Writes its section of docs/benchmarks.md.
 *
 *   npm run bench:tamper-durability
 *   BENCH_SCALE=0.1 BENCH_REPORT=/tmp/b.md npm run bench:tamper-durability   # smoke run
 */
import { randomUUID } from 'node:crypto';
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createPool, EmbeddedPostgres, migrate } from '#database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '#event-store';
import { startThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import { createDatabase, durableSettings, machine, packageVersion, ROOT, serverVersion, writeSection } from './server.js';
import { envNumber } from './workload.js';

const log = (message: string): void => console.error(`[bench] ${message}`);
const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);
const integer = (n: number) => n.toLocaleString('en');
const metadata = { actor: 'bench', schemaVersion: 1 };

/** Events per second through append_events: `calls` sequential calls of `size` events each. */
async function appendRate(pool: pg.Pool, calls: number, size: number): Promise<number> {
  const started = performance.now();
  for (let call = 0; call < calls; call++) {
    const events = Array.from({ length: size }, (_, n) => ({
      id: randomUUID(),
      type: 'PayoutScheduled',
      data: { payoutId: `p-${call}-${n}`, amount: 1_000_000, serviceDate: '2025-03-01' },
      metadata,
    }));
    await pool.query('SELECT append_events($1::jsonb)', [JSON.stringify([{ streamId: `s-${randomUUID()}`, expected: 'no_stream', events }])]);
  }
  return rate(calls * size, performance.now() - started);
}

interface ChainFigures {
  readonly single: [unchained: number, chained: number];
  readonly batch: [unchained: number, chained: number];
  readonly verify: number;
}

/** The same appends on a database whose append_events predates the chain (the first migration) and on a current one. */
async function chainCost(label: string, urls: [unchained: string, chained: string], scale: number): Promise<ChainFigures> {
  const [old, current] = urls.map((url) => createPool(url, 2)) as [pg.Pool, pg.Pool];
  try {
    await migrate(old, 'event-store', EVENT_STORE_MIGRATIONS.slice(0, 1));
    const store = await PostgresEventStore.open(current);
    const singles = Math.round(1000 * scale);
    const batches = Math.round(100 * scale);
    log(`${label}: ${singles} appends of 1 event, ${batches} of 500, without and with the chain`);
    const single: [number, number] = [await appendRate(old, singles, 1), await appendRate(current, singles, 1)];
    const batch: [number, number] = [await appendRate(old, batches, 500), await appendRate(current, batches, 500)];
    const started = performance.now();
    const verified = await store.chain.verify();
    if (!verified.intact) throw new Error(`${label}: the chain does not verify: ${verified.reason}`);
    return { single, batch, verify: rate(verified.events, performance.now() - started) };
  } finally {
    await old.end();
    await current.end();
  }
}

interface DurabilityFigures {
  /** events/s: sequential appends of 1 event, 8 concurrent writers of 1 event, sequential appends of 50 */
  readonly sequential: number;
  readonly concurrent: number;
  readonly batches: number;
  readonly syncsPerGroup: number;
}

/** Our store on PGlite through the group commit, counting the syncs PostgreSQL makes. */
async function pgliteCommits(folder: string, durable: boolean, scale: number): Promise<DurabilityFigures> {
  const embedded = await EmbeddedPostgres.start(folder, { durable });
  const pool = createPool(embedded.connectionString, 10);
  const real = fs.fsyncSync;
  let syncs = 0;
  let groups = 0;
  try {
    const store = await PostgresEventStore.open(pool);
    fs.fsyncSync = (fd) => {
      syncs++;
      real(fd);
    };
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      if (String(args[0]).startsWith('SELECT append_events')) groups++;
      return query(...args);
    }) as typeof pool.query;
    const append = (stream: string, count: number) =>
      store.append(
        stream,
        Array.from({ length: count }, (_, n) => ({ type: 'Noted', data: { n }, metadata })),
        { expectedRevision: 'any' },
      );
    const timed = async (events: number, work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return rate(events, performance.now() - started);
    };
    const n = Math.round(1000 * scale);
    const sequential = await timed(n, async () => {
      for (let i = 0; i < n; i++) await append(`seq-${i}`, 1);
    });
    const concurrent = await timed(8 * n, () =>
      Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < n; i++) await append(`w${w}-${i}`, 1);
        }),
      ),
    );
    const calls = Math.round(200 * scale);
    const batches = await timed(50 * calls, async () => {
      for (let i = 0; i < calls; i++) await append(`batch-${i}`, 50);
    });
    await store.close();
    return { sequential, concurrent, batches, syncsPerGroup: groups === 0 ? 0 : syncs / groups };
  } finally {
    fs.fsyncSync = real;
    await pool.end();
    await embedded.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const [load] = loadavg();
  const cores = cpus().length;
  const scale = envNumber('BENCH_SCALE', 1);
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const scratch = mkdtempSync(join(tmpdir(), 'hsb-bench-tamper-'));
  const server = await startThrowawayPostgres({ durable: true });
  try {
    const settings = await durableSettings(server.url);
    const serverChain = await chainCost(
      `PostgreSQL ${server.version.split(' ')[0]}`,
      [await createDatabase(server.url, 'bench_unchained'), await createDatabase(server.url, 'bench_chained')],
      scale,
    );

    const embedded = await Promise.all(['unchained', 'chained'].map((name) => EmbeddedPostgres.start(join(scratch, name), { durable: false })));
    const pgliteVersion = await serverVersion(embedded[0].connectionString);
    let pgliteChain: ChainFigures;
    try {
      pgliteChain = await chainCost('PGlite', [embedded[0].connectionString, embedded[1].connectionString], scale);
    } finally {
      await Promise.all(embedded.map((db) => db.stop()));
    }

    log('PGlite group commits, the WAL not synced, then synced');
    const loose = await pgliteCommits(join(scratch, 'loose'), false, scale);
    const durable = await pgliteCommits(join(scratch, 'durable'), true, scale);

    const { cpu, memory, os, node } = machine();
    const chainRow = (label: string, figures: ChainFigures) =>
      `| ${label} | ${integer(figures.single[0])} → ${integer(figures.single[1])} (${((figures.single[1] / figures.single[0] - 1) * 100).toFixed(0)} %) | ${integer(figures.batch[0])} → ${integer(figures.batch[1])} (${((figures.batch[1] / figures.batch[0] - 1) * 100).toFixed(0)} %) | ${integer(figures.verify)} |`;
    const change = (before: number, after: number) => `${((after / before - 1) * 100).toFixed(0)} %`;
    const markdown = `
# Tamper evidence and durable embedded commits

Measured ${new Date().toISOString()} by \`npm run bench:tamper-durability\` (bench/tamper-durability.bench.ts) in ${((performance.now() - started) / 1000).toFixed(0)} s, BENCH_SCALE=${scale}. Machine: ${cpu}, ${memory}, ${os}, Node.js ${node}. PostgreSQL ${server.version} (${settings}); PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL ${pgliteVersion}).

## The hash chain (see docs/security.md, "Tamper evidence")

\`append_events\` called directly, one stream per call, on a database at the first migration (no chain) and on a current one; events/s, without → with the chain. The verification walks the whole log the appends wrote (\`PostgresHashChain.verify\`, what \`cli verify\` and \`cli check\` run).

| Backend | 1 event per call | 500 events per call | verification, events/s |
|---|---|---|---|
${chainRow(`PostgreSQL ${server.version.split(' ')[0]}, fsync on`, serverChain)}
${chainRow(`PGlite ${pgliteVersion}, WAL not synced`, pgliteChain)}

## PGlite commits synced to disk (see docs/security.md, "Durability")

Our store (group commit) on PGlite, with PGlite's own behaviour (no sync at all) and with the WAL synced before each group commit is answered (the default now); events/s. Syncs per group commit counted by wrapping \`fs.fsyncSync\`, which PostgreSQL inside PGlite now calls.

| Workload | not synced | synced | change |
|---|---|---|---|
| sequential appends, 1 event/call | ${integer(loose.sequential)} | ${integer(durable.sequential)} | ${change(loose.sequential, durable.sequential)} |
| 8 concurrent writers, 1 event/call | ${integer(loose.concurrent)} | ${integer(durable.concurrent)} | ${change(loose.concurrent, durable.concurrent)} |
| sequential appends, 50 events/call | ${integer(loose.batches)} | ${integer(durable.batches)} | ${change(loose.batches, durable.batches)} |
| fsync calls per group commit | ${loose.syncsPerGroup.toFixed(2)} | ${durable.syncsPerGroup.toFixed(2)} | |

Load average when the run started: ${load.toFixed(1)} on ${cores} cores. On a shared machine figures move between runs by tens of percent: compare within one run, and rerun before drawing a conclusion from a difference under a third. A sync costs what the disk under the data folder makes it cost, which the group commit shares among the appends waiting.
`;
    console.log(markdown);
    writeSection(reportPath, 'tamper-durability', markdown);
    log(`report written to ${reportPath}`);
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
