/**
 * Observability overhead on the command path: the API, as `npm start` runs it, enrols people,
 * issues their cards and records their admissions over HTTP, with metrics and logs on, then off,
 * in alternating rounds on a throwaway PostgreSQL server. Prints the figures and writes its
 * section of docs/benchmarks.md.
 *
 *   npm run bench:command-path
 *   BENCH_ROUNDS=2 BENCH_PEOPLE=50 BENCH_REPORT=/tmp/b.md npm run bench:command-path   # smoke run
 *   BENCH_ON="METRICS=on LOG_LEVEL=debug" npm run bench:command-path                    # other settings compared
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, startThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import { integer } from './report.js';
import { createDatabase, machine, ROOT, writeSection } from './server.js';
import { envNumber } from './workload.js';

const log = (message: string): void => console.error(`[bench] ${message}`);

const ADMIN_PASSWORD = 'bench-admin-password';
const METRICS_TOKEN = randomBytes(24).toString('hex');
const COMMANDS_PER_PERSON = 3;

interface Variant {
  readonly name: string;
  /** The settings it runs the API with, as written in BENCH_ON / BENCH_OFF: `NAME=value NAME=value`. */
  readonly settings: string;
}

interface Round {
  readonly variant: Variant;
  readonly commandsPerSecond: number;
  /** Each command's latency, ms, as the client saw it. */
  readonly latencies: number[];
  readonly logBytes: number;
  /** Requests the API's histogram counted, when metrics are on: proof that they were. */
  readonly measuredRequests?: number;
}

function variant(name: string, variable: string, fallback: string): Variant {
  return { name, settings: process.env[variable]?.trim() || fallback };
}

const environmentOf = (settings: string): Record<string, string> => Object.fromEntries(settings.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]));

/** The API as `npm start` runs it, its standard output and error (the logs) going to `logFile`. */
async function startApi(databaseUrl: string, settings: string, logFile: string): Promise<{ base: string; process: ChildProcess }> {
  const port = await freePort();
  const output = openSync(logFile, 'w');
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps/api/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
      ADMIN_PASSWORD,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_TOKEN,
      ...environmentOf(settings),
    },
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; (await fetch(`${base}/health/ready`).then((response) => response.status, () => 0)) !== 200; attempt++) {
    if (child.exitCode !== null || attempt > 1200) throw new Error(`the API did not start (see ${logFile})`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return { base, process: child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** Person `n` through the command path: enrolled, a card issued, an admission recorded; each command's latency. */
async function person(base: string, token: string, n: number): Promise<number[]> {
  const latencies: number[] = [];
  const post = async (path: string, body: unknown): Promise<Record<string, string>> => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const answer = (await response.json()) as Record<string, string>;
    latencies.push(performance.now() - started);
    if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  };
  // Each round has a database of its own: the same numbers again are new people there.
  const id = `${n}`.padStart(6, '0');
  const { beneficiaryId } = await post('/beneficiaries', {
    fullName: `Người Thứ ${id}`,
    dateOfBirth: '1968-05-12',
    nationalId: `020068${id}`,
    title: 'Bí thư Huyện ủy',
    administrativeUnit: 'Huyện Cao Lộc',
    group: 3,
    from: '2025-01-01',
  });
  const cardNumber = `LS-BENCH-${id}`;
  await post('/cards', { cardNumber, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' });
  await post('/admissions', { beneficiaryId, cardNumber, facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-03-10' });
  return latencies;
}

/** `people` people, from `clients` clients at once, numbered from `first`. */
async function drive(base: string, token: string, first: number, people: number, clients: number): Promise<number[]> {
  let next = first;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < first + people) latencies.push(...(await person(base, token, next++)));
    }),
  );
  return latencies;
}

async function requestsMeasured(base: string): Promise<number | undefined> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (response.status === 404) return undefined;
  const text = await response.text();
  return [...text.matchAll(/^hsb_http_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function runRound(serverUrl: string, folder: string, round: number, which: Variant, people: number, warmUp: number, clients: number): Promise<Round> {
  const logFile = join(folder, `round-${round}.log`);
  const api = await startApi(await createDatabase(serverUrl, `bench_command_path_${round}`), which.settings, logFile);
  try {
    const signIn = await fetch(`${api.base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    // Unmeasured: the JIT and the pools warm up.
    await drive(api.base, accessToken, 0, warmUp, clients);
    const logBefore = statSync(logFile).size;
    const started = performance.now();
    const latencies = await drive(api.base, accessToken, warmUp, people, clients);
    const seconds = (performance.now() - started) / 1000;
    const logBytes = statSync(logFile).size - logBefore;
    const measuredRequests = await requestsMeasured(api.base);
    return { variant: which, commandsPerSecond: latencies.length / seconds, latencies, logBytes, ...(measuredRequests === undefined ? {} : { measuredRequests }) };
  } finally {
    await stop(api.process);
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const load = (): string => loadavg().map((n) => n.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const rounds = envNumber('BENCH_ROUNDS', 6);
  const people = envNumber('BENCH_PEOPLE', 300);
  const warmUp = envNumber('BENCH_WARM_UP', 50);
  const clients = envNumber('BENCH_CLIENTS', 4);
  const on = variant('on', 'BENCH_ON', 'METRICS=on LOG_LEVEL=info');
  const off = variant('off', 'BENCH_OFF', 'METRICS=off LOG_LEVEL=silent');
  // ABBA: on, off, off, on, …, so that a drift of the machine over the run weighs on both alike.
  const order = Array.from({ length: 2 * rounds }, (_, n) => ((n + 1) >> 1) % 2 === 0 ? on : off);
  const folder = mkdtempSync(join(tmpdir(), 'hsb-bench-command-path-'));
  const loadBefore = load();
  const started = performance.now();
  log('starting a throwaway PostgreSQL server (durable)');
  const server = await startThrowawayPostgres({ durable: true });
  const results: Round[] = [];
  try {
    for (const [round, which] of order.entries()) {
      const result = await runRound(server.url, folder, round, which, people, warmUp, clients);
      log(`round ${round + 1}/${order.length}, ${which.name} (${which.settings}): ${integer(result.commandsPerSecond)} commands/s, p50 ${percentile(result.latencies, 50).toFixed(1)} ms, ${integer(result.logBytes)} bytes of logs`);
      results.push(result);
    }
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const loadAfter = load();
  const of = (which: Variant) => results.filter((result) => result.variant === which);
  const rate = (which: Variant) => median(of(which).map((result) => result.commandsPerSecond));
  const overhead = ((rate(off) - rate(on)) / rate(off)) * 100;
  const row = (which: Variant) => {
    const latencies = of(which).flatMap((result) => result.latencies);
    const logBytes = of(which).reduce((sum, result) => sum + result.logBytes, 0);
    return `| ${which.name} | \`${which.settings}\` | ${of(which).map((result) => integer(result.commandsPerSecond)).join(', ')} | ${integer(rate(which))} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${(logBytes / latencies.length).toFixed(0)} |`;
  };
  const counted = of(on).map((result) => result.measuredRequests);
  const env = machine();
  const report = [
    '# Observability overhead on the command path',
    '',
    `Measured ${new Date().toISOString()} by \`npm run bench:command-path\` (bench/command-path.bench.ts) in ${((performance.now() - started) / 1000).toFixed(0)} s. Regenerate it with the same command, which rewrites this section only.`,
    '',
    `Machine: ${env.cpu}, ${env.memory}, ${env.os}, Node.js ${env.node}; PostgreSQL ${server.version} (durable: fsync on), a throwaway server on the same machine. Load average (1, 5, 15 min) before the run: ${loadBefore}; after: ${loadAfter} (the machine is shared: other work ran meanwhile).`,
    '',
    `Each round starts the API as \`npm start\` does (\`dist/apps/api/src/main.js\`, projections inline) on a database of its own, with its logs going to a file; ${clients} clients then put ${integer(warmUp)} people through unmeasured and ${integer(people)} measured, each enrolled (\`POST /beneficiaries\`), given a card (\`POST /cards\`) and admitted (\`POST /admissions\`): ${integer(people * COMMANDS_PER_PERSON)} commands a round, timed from the clients. ${rounds} rounds of each setting, alternating (on, off, off, on, …). At the end of each round with metrics on, the benchmark scrapes \`/metrics\` once, as Prometheus would.`,
    '',
    '| setting | environment | commands/s, each round | median commands/s | p50 ms | p99 ms | log bytes per command |',
    '|---|---|---|---|---|---|---|',
    row(on),
    row(off),
    '',
    `**Overhead of "${on.name}" over "${off.name}": ${overhead.toFixed(1)} %** of the median throughput (target ≤ 5 %${overhead <= 5 ? ': met' : ': **not met**'}). Rounds with metrics on counted ${counted.map((n) => (n === undefined ? 'none' : integer(n))).join(', ')} requests in \`hsb_http_request_duration_seconds\` (the measured and the warm-up ones, and the sign-in and readiness probes).`,
    '',
    'Settings: BENCH_ON and BENCH_OFF (the two environments compared, `NAME=value` separated by spaces; a variable the build does not read yet, such as LOG_LEVEL before structured logs, changes nothing), BENCH_ROUNDS (rounds of each, default 6), BENCH_PEOPLE (measured people a round, default 300), BENCH_WARM_UP (default 50), BENCH_CLIENTS (default 4), BENCH_REPORT (default docs/benchmarks.md).',
  ].join('\n');
  console.log(report);
  writeSection(reportPath, 'command-path', report);
  log(`written to ${reportPath}`);
}

await main();
