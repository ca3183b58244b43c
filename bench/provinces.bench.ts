/**
 * What a province costs the process serving it: the API as `npm start` runs it with PROVINCES_FILE
 * listing 0, then more provinces, each over its own database (a PGlite folder each on the embedded
 * default; a database each on a throwaway PostgreSQL server). For each count: the time to
 * `/health/ready` of the last province, the process's resident memory once idle, and reads of one
 * province's register while every province is served. Prints the figures and writes its section
 * of docs/benchmarks.md.
 *
 *   npm run bench:provinces
 *   BENCH_PROVINCE_COUNTS=0,2 BENCH_REPORT=/tmp/b.md npm run bench:provinces   # smoke run
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, startThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import { percentile } from './latency.js';
import { createDatabase, machine, packageVersion, ROOT, writeSection } from './server.js';

const log = (message: string): void => console.error(`[bench] ${message}`);
const PASSWORD = 'bench-province-admin-password';

interface Served {
  readonly provinces: number;
  readonly readySeconds: number;
  readonly rssMiB: number;
  readonly readP50Ms: number;
  readonly readP99Ms: number;
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.status === 200,
    () => false,
  );
}

/** Resident memory of a process, from /proc (Linux). */
function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** The CLI as an operator runs it, over one province's database; the seconds it took. */
async function cli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  await promisify(execFile)(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return (performance.now() - start) / 1000;
}

interface Move {
  readonly events: string;
  readonly backupSeconds: number;
  readonly restoreSeconds: number;
  readonly backupMiB: number;
}

/**
 * Moving a province to another database as docs/national-deployment.md says: the demo
 * province-year written into its database, then `cli backup` and `cli restore --into` a new one,
 * which proves the log and read models against the manifest.
 */
async function moveProvince(serverUrl: string): Promise<Move> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-move-'));
  try {
    const [from, to] = await Promise.all(['from', 'to'].map((name) => createDatabase(serverUrl, `bench_move_${name}_${Date.now()}`)));
    const env = {
      DATABASE_URL: from,
      PERSONAL_DATA_KEY_FILE: join(folder, 'personal-data.key'),
      GENERATED_SECRETS_FILE: join(folder, 'generated-passwords.txt'),
    };
    await cli(['demo'], env);
    const dump = join(folder, 'province.dump');
    const backupSeconds = await cli(['backup', dump], env);
    const restoreSeconds = await cli(['restore', dump, '--into', to, '--key-file', env.PERSONAL_DATA_KEY_FILE], env);
    const manifest = JSON.parse(readFileSync(`${dump}.manifest.json`, 'utf8')) as { log?: { position?: string } };
    return { events: manifest.log?.position ?? '?', backupSeconds, restoreSeconds, backupMiB: statSync(dump).size / 1024 ** 2 };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function serve(count: number, serverUrl: string | undefined): Promise<Served> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-provinces-'));
  const ids = Array.from({ length: count }, (_, n) => `tinh-${n + 1}`);
  const databases = serverUrl ? await Promise.all(['own', ...ids].map((id) => createDatabase(serverUrl, `bench_${id.replace('-', '_')}_${Date.now()}`))) : [];
  const provincesFile = join(folder, 'provinces.json');
  writeFileSync(
    provincesFile,
    JSON.stringify(
      ids.map((id, n) => ({
        id,
        name: `Tỉnh ${n + 1}`,
        policyDir: 'policies',
        adminPassword: PASSWORD,
        ...(serverUrl ? { databaseUrl: databases[n + 1] } : {}),
      })),
    ),
  );
  const port = await freePort();
  const logFile = join(folder, 'api.log');
  const output = openSync(logFile, 'w');
  const began = performance.now();
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_PASSWORD: PASSWORD,
      GENERATED_SECRETS_FILE: join(folder, 'generated-passwords.txt'),
      LOG_LEVEL: 'warn',
      ...(serverUrl ? { DATABASE_URL: databases[0], PERSONAL_DATA_KEY_FILE: join(folder, 'personal-data.key') } : { PGLITE_DATA_DIR: join(folder, 'pglite') }),
      ...(count > 0 ? { PROVINCES_FILE: provincesFile } : {}),
    },
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  const base = `http://127.0.0.1:${port}`;
  try {
    const last = count > 0 ? `${base}/provinces/${ids[count - 1]}/health/ready` : `${base}/health/ready`;
    while (!(await answers(last))) {
      if (child.exitCode !== null) throw new Error(`the API stopped while starting (see ${logFile})`);
      await new Promise((wait) => setTimeout(wait, 25));
    }
    const readySeconds = (performance.now() - began) / 1000;
    await new Promise((wait) => setTimeout(wait, 3000));
    const rss = rssMiB(child.pid!);
    const target = count > 0 ? `${base}/provinces/${ids[0]}` : base;
    const token = (
      (await (
        await fetch(`${target}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: PASSWORD }),
        })
      ).json()) as { accessToken: string }
    ).accessToken;
    const timings: number[] = [];
    for (let n = 0; n < 200; n++) {
      const start = performance.now();
      const response = await fetch(`${target}/beneficiaries?limit=50`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`register read answered ${response.status}`);
      timings.push(performance.now() - start);
    }
    timings.sort((a, b) => a - b);
    return { provinces: count, readySeconds, rssMiB: rss, readP50Ms: percentile(timings, 50), readP99Ms: percentile(timings, 99) };
  } finally {
    await stop(child);
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const counts = (process.env.BENCH_PROVINCE_COUNTS ?? '0,3,6').split(',').map(Number);
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const began = Date.now();
  const loadBefore = loadavg();
  const embedded: Served[] = [];
  for (const count of counts) {
    embedded.push(await serve(count, undefined));
    log(`embedded, ${count} more provinces: ${JSON.stringify(embedded.at(-1))}`);
  }
  const server = await startThrowawayPostgres({ durable: true });
  const onServer: Served[] = [];
  let move: Move;
  try {
    for (const count of counts) {
      onServer.push(await serve(count, server.url));
      log(`PostgreSQL ${server.version}, ${count} more provinces: ${JSON.stringify(onServer.at(-1))}`);
    }
    move = await moveProvince(server.url);
    log(`moving a province: ${JSON.stringify(move)}`);
  } finally {
    await server.stop();
  }
  const host = machine();
  const rows = (results: readonly Served[], backend: string) =>
    results
      .map(
        (result) =>
          `| ${backend} | ${result.provinces + 1} | ${result.readySeconds.toFixed(1)} | ${result.rssMiB.toFixed(0)} | ${result.readP50Ms.toFixed(1)} | ${result.readP99Ms.toFixed(1)} |`,
      )
      .join('\n');
  const perProvince = (results: readonly Served[]) => {
    const [first, last] = [results[0], results.at(-1)!];
    return last.provinces === first.provinces ? 'n/a' : ((last.rssMiB - first.rssMiB) / (last.provinces - first.provinces)).toFixed(0);
  };
  const report = `# Provinces in one process

Measured ${new Date().toISOString()} by \`npm run bench:provinces\` (bench/provinces.bench.ts) in ${Math.round((Date.now() - began) / 1000)} s. Regenerate it with the same command, which rewrites this section only.

Machine: ${host.cpu}, ${host.memory}, ${host.os}, Node.js ${host.node}; PGlite ${packageVersion('@electric-sql/pglite')}; PostgreSQL ${server.version} on the same machine, durable commits. Load average (1, 5, 15 min) before the run: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}.

The API as \`npm start\` runs it, with PROVINCES_FILE listing the other provinces, each over a database of its own (a PGlite folder each, or a database each on the server), each with its own runtime: pool, projection runner, reactors. Ready: from spawning the process until the last province answers \`/health/ready\` (every database migrated, every catalog published). Memory: the process's resident set 3 s after. Reads: 200 sequential \`GET /beneficiaries?limit=50\` of one province while all are served.

| database | provinces served | ready (s) | resident memory (MiB) | register read p50 (ms) | p99 (ms) |
|---|---|---|---|---|---|
${rows(embedded, 'embedded PGlite')}
${rows(onServer, 'PostgreSQL')}

Each further province costs about **${perProvince(embedded)} MiB** on the embedded database (a PGlite instance in the process each) and **${perProvince(onServer)} MiB** on a server (a pool and the projection runner). The embedded default is for one province or a few on a desk; a provincial or national deployment puts the provinces' databases on PostgreSQL, where a province costs little more than its connections (DATABASE_POOL_SIZE each).

## Moving a province

The demo province-year (Lạng Sơn 2025) written by \`cli demo\` into one province's database on the server above (${move.events} events in its log), then moved as docs/national-deployment.md says: \`cli backup\` (pg_dump with its manifest) took **${move.backupSeconds.toFixed(1)} s** for ${move.backupMiB.toFixed(1)} MiB, and \`cli restore --into\` a new database, which then walks the hash chain and compares the read models with the manifest, **${move.restoreSeconds.toFixed(1)} s**. Both include starting the CLI (Node.js, the schema check).

Settings: BENCH_PROVINCE_COUNTS (default 0,3,6: provinces besides the process's own), BENCH_REPORT (default docs/benchmarks.md).
`;
  console.log(report);
  writeSection(reportPath, 'provinces', report);
  log(`written to ${reportPath}`);
}

await main();
