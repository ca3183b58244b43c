/**
 * Observability overhead on the command path: APIs as `npm start` runs them, one with metrics
 * and logs on and two with them off (one the control), side by side on a throwaway PostgreSQL server, enrol people,
 * issue their cards and record their admissions over HTTP, round after round; the CPU each spends
 * a command is compared. Prints the figures and writes its section of docs/benchmarks.md.
 *
 *   npm run bench:command-path
 *   BENCH_ROUNDS=2 BENCH_PEOPLE=50 BENCH_REPORT=/tmp/b.md npm run bench:command-path   # smoke run
 *   BENCH_ON="METRICS=on LOG_LEVEL=debug" npm run bench:command-path                    # other settings compared
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  /** CPU time the API process spent per measured command (user and system), ms. */
  readonly cpuMsPerCommand: number;
  /** Each command's latency, ms, as the client saw it. */
  readonly latencies: number[];
  readonly logBytes: number;
  /** Requests the API's histogram counted, when metrics are on: proof that they were. */
  readonly measuredRequests?: number;
}

function variant(name: string, variable: string, fallback: string): Variant {
  return { name, settings: process.env[variable]?.trim() || fallback };
}

const environmentOf = (settings: string): Record<string, string> =>
  Object.fromEntries(settings.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]));

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
  for (
    let attempt = 0;
    (await fetch(`${base}/health/ready`).then(
      (response) => response.status,
      () => 0,
    )) !== 200;
    attempt++
  ) {
    if (child.exitCode !== null || attempt > 1200) throw new Error(`the API did not start (see ${logFile})`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return { base, process: child };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/**
 * CPU seconds a process has used, user and system (`/proc/<pid>/stat`, Linux): what the
 * observability costs the API, which the rest of a shared machine's load hardly moves, unlike
 * its throughput.
 */
function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis, from the state (3rd) on: utime is the 14th, stime the 15th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
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
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
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

interface RunningApi {
  readonly variant: Variant;
  readonly base: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  readonly token: string;
}

async function signedIn(serverUrl: string, folder: string, round: number, which: Variant): Promise<RunningApi> {
  const name = `round_${round}_${which.name.replace(/\W/g, '_')}`;
  const logFile = join(folder, `${name}.log`);
  const api = await startApi(await createDatabase(serverUrl, `bench_command_path_${name}`), which.settings, logFile);
  const signIn = await fetch(`${api.base}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  return { variant: which, ...api, logFile, token: accessToken };
}

async function measure(api: RunningApi, warmUp: number, people: number, clients: number): Promise<Round> {
  const logBefore = statSync(api.logFile).size;
  const cpuBefore = cpuSeconds(api.process.pid!);
  const started = performance.now();
  const latencies = await drive(api.base, api.token, warmUp, people, clients);
  const seconds = (performance.now() - started) / 1000;
  const cpuMsPerCommand = ((cpuSeconds(api.process.pid!) - cpuBefore) * 1000) / latencies.length;
  const logBytes = statSync(api.logFile).size - logBefore;
  const measuredRequests = await requestsMeasured(api.base);
  return {
    variant: api.variant,
    commandsPerSecond: latencies.length / seconds,
    cpuMsPerCommand,
    latencies,
    logBytes,
    ...(measuredRequests === undefined ? {} : { measuredRequests }),
  };
}

/**
 * One round: an API of each setting, side by side, each on a database of its own and driven by
 * its own clients at the same time, so that whatever else the machine runs weighs on both alike.
 */
async function runRound(
  serverUrl: string,
  folder: string,
  round: number,
  variants: readonly Variant[],
  people: number,
  warmUp: number,
  clients: number,
): Promise<Round[]> {
  const apis: RunningApi[] = [];
  try {
    for (const which of variants) apis.push(await signedIn(serverUrl, folder, round, which));
    // Unmeasured: the JIT and the pools warm up.
    await Promise.all(apis.map((api) => drive(api.base, api.token, 0, warmUp, clients)));
    return await Promise.all(apis.map((api) => measure(api, warmUp, people, clients)));
  } finally {
    await Promise.all(apis.map((api) => stop(api.process)));
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const rounds = envNumber('BENCH_ROUNDS', 6);
  const people = envNumber('BENCH_PEOPLE', 300);
  const warmUp = envNumber('BENCH_WARM_UP', 50);
  const clients = envNumber('BENCH_CLIENTS', 4);
  const on = variant('on', 'BENCH_ON', 'METRICS=on LOG_LEVEL=info');
  const off = variant('off', 'BENCH_OFF', 'METRICS=off LOG_LEVEL=silent');
  // The control: "off" against itself shows how far two APIs of one setting fall apart, the noise any difference is read against.
  const control: Variant = { name: 'off, again', settings: off.settings };
  const variants = [on, off, control];
  const folder = mkdtempSync(join(tmpdir(), 'hsb-bench-command-path-'));
  const loadBefore = load();
  const started = performance.now();
  log('starting a throwaway PostgreSQL server (durable)');
  const server = await startThrowawayPostgres({ durable: true });
  const measured: Round[][] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Which starts first turns round, lest the order of starting be what is measured.
      const together = await runRound(server.url, folder, round, [...variants.slice(round % 3), ...variants.slice(0, round % 3)], people, warmUp, clients);
      for (const result of together) {
        log(
          `round ${round + 1}/${rounds}, ${result.variant.name} (${result.variant.settings}): ${integer(result.commandsPerSecond)} commands/s, ${result.cpuMsPerCommand.toFixed(2)} ms of API CPU a command, p50 ${percentile(result.latencies, 50).toFixed(1)} ms, ${integer(result.logBytes)} bytes of logs`,
        );
      }
      measured.push(together);
    }
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const loadAfter = load();
  const results = measured.flat();
  const of = (which: Variant) => results.filter((result) => result.variant === which);
  const figures = (which: Variant, figure: (result: Round) => number) => of(which).map(figure);
  const cpu = (result: Round) => result.cpuMsPerCommand;
  const rate = (result: Round) => result.commandsPerSecond;
  // Compared within each round, whose APIs ran at the same time: the machine's other load, which moves from round to round, cancels out.
  const inRound = (together: Round[], which: Variant) => together.find((result) => result.variant === which)!;
  const cpuOverheadsOf = (which: Variant) => measured.map((together) => (cpu(inRound(together, which)) / cpu(inRound(together, off)) - 1) * 100);
  const cpuOverheads = cpuOverheadsOf(on);
  const noise = cpuOverheadsOf(control);
  const throughputOverheads = measured.map((together) => (1 - rate(inRound(together, on)) / rate(inRound(together, off))) * 100);
  const percent = (values: readonly number[]) => values.map((value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`).join(', ');
  const cpuOverhead = median(cpuOverheads);
  const row = (which: Variant) => {
    const latencies = of(which).flatMap((result) => result.latencies);
    const logBytes = of(which).reduce((sum, result) => sum + result.logBytes, 0);
    return `| ${which.name} | \`${which.settings}\` | ${figures(which, cpu)
      .map((ms) => ms.toFixed(2))
      .join(
        ', ',
      )} | **${median(figures(which, cpu)).toFixed(2)}** | ${figures(which, rate).map(integer).join(', ')} | ${integer(median(figures(which, rate)))} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${(logBytes / latencies.length).toFixed(0)} |`;
  };
  const counted = of(on).map((result) => result.measuredRequests);
  const logged = results.some((result) => result.logBytes > 0);
  const env = machine();
  const report = [
    '# Observability overhead on the command path',
    '',
    `Measured ${new Date().toISOString()} by \`npm run bench:command-path\` (bench/command-path.bench.ts) in ${((performance.now() - started) / 1000).toFixed(0)} s. Regenerate it with the same command, which rewrites this section only.`,
    '',
    `Machine: ${env.cpu}, ${env.memory}, ${env.os}, Node.js ${env.node}; PostgreSQL ${server.version} (durable: fsync on), a throwaway server on the same machine. Load average (1, 5, 15 min) before the run: ${loadBefore}; after: ${loadAfter} (the machine is shared: other work ran meanwhile).`,
    '',
    `Each round starts three APIs side by side as \`npm start\` does (\`dist/apps/api/src/main.js\`, projections inline): one "${on.name}", two "${off.name}" (the second, "${control.name}", is the control: it tells how far two APIs of one setting fall apart), which starts first turning round, each on a database of its own with its logs going to a file. ${clients} clients for each then put ${integer(warmUp)} people through unmeasured and ${integer(people)} measured, the three APIs at the same time, each person enrolled (\`POST /beneficiaries\`), given a card (\`POST /cards\`) and admitted (\`POST /admissions\`): ${integer(people * COMMANDS_PER_PERSON)} commands an API a round, timed from the clients. Running them together, round after round, makes whatever else the shared machine runs weigh on both alike. At the end of each round the benchmark scrapes \`/metrics\` once, as Prometheus would. ${rounds} rounds.`,
    '',
    '| setting | environment | API CPU ms a command, each round | median | commands/s, each round | median | p50 ms | p99 ms | log bytes a command |',
    '|---|---|---|---|---|---|---|---|---|',
    ...variants.map(row),
    '',
    `**Overhead of "${on.name}" over "${off.name}": ${cpuOverhead >= 0 ? '+' : ''}${cpuOverhead.toFixed(1)} % CPU a command in the API process** (median of the rounds' ${percent(cpuOverheads)} %; target ≤ 5 %${cpuOverhead <= 5 ? ': met' : ': **not met**'}); the control, the same setting as "${off.name}", differed from it by ${percent(noise)} % (median ${median(noise).toFixed(1)} %): the noise of this machine. Throughput lower by ${percent(throughputOverheads)} % (median ${median(throughputOverheads).toFixed(1)} %). The target is checked on the CPU the API spends on a command, the cost of measuring and logging itself; the throughput of APIs sharing two cores with the database and other work follows the scheduler as much as their own cost. Rounds with metrics on counted ${counted.map((n) => (n === undefined ? 'none' : integer(n))).join(', ')} requests in \`hsb_http_request_duration_seconds\` (the measured and the warm-up ones, and the sign-in and readiness probes).${logged ? '' : ' Neither setting wrote a log line while the commands were measured: this run measures metrics alone.'}`,
    '',
    'Settings: BENCH_ON and BENCH_OFF (the two environments compared, `NAME=value` separated by spaces; a variable the build does not read yet, such as LOG_LEVEL before structured logs, changes nothing), BENCH_ROUNDS (default 6), BENCH_PEOPLE (measured people a round, default 300), BENCH_WARM_UP (default 50), BENCH_CLIENTS (clients for each API, default 4), BENCH_REPORT (default docs/benchmarks.md).',
  ].join('\n');
  console.log(report);
  writeSection(reportPath, 'command-path', report);
  log(`written to ${reportPath}`);
}

await main();
