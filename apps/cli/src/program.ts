import { readFile, writeFile } from 'node:fs/promises';
import { CommandBus } from '@nestjs/cqrs';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  BeneficiaryImports,
  beneficiaryListTemplate,
  generateDemoProvince,
  openApplication,
  type ReplayProgress,
  ReorganizationPlans,
  RetroactivePolicies,
  todayInVietnam,
  UserAccounts,
} from '#application';
import { formatAddress, parseConnectionTargets } from '#database';
import { ProjectionRunner, type RebuildProgress } from '#projection-runner';
import {
  ALL_PROJECTIONS,
  consistencyCheck,
  type ConsistencyRow,
  registerExport,
  yearEndReport,
  yearEndReportAt,
  yearEndReportCsv,
  yearEndReportPdf,
  yearEndReportXlsx,
} from '#read-models';
import type { ChainLink } from '#event-store';
import { type AppConfig, loadConfig, openRuntime, type Runtime } from '#runtime';
import { backup, readModelChecksums, restore } from './backup/backup.js';
import { type Progress, progressOn } from './progress.js';

/**
 * The administrator's CLI. Its answer (JSON, a report, a checksum) is all it writes on stdout, so
 * `health-office report 2025 > report.json` holds the report alone; progress and every message go
 * to stderr. A usage error exits with code 2, a failed job with 1.
 */

const KNOWN_PROJECTIONS = ALL_PROJECTIONS.map((p) => p.name).join(', ');

function projectionName(name: string, previous: readonly string[] = []): string[] {
  if (!ALL_PROJECTIONS.some((p) => p.name === name)) throw new InvalidArgumentError(`unknown projection ${name}; known: ${KNOWN_PROJECTIONS}`);
  return [...previous, name];
}

const selectProjections = (names: readonly string[]): typeof ALL_PROJECTIONS =>
  names.length === 0 ? ALL_PROJECTIONS : ALL_PROJECTIONS.filter((p) => names.includes(p.name));

const wholeNumber = (max: number) => (raw: string) => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > max) throw new InvalidArgumentError(`needs a whole number from 0 to ${max}`);
  return value;
};

function year(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 2000 || value > 2100) throw new InvalidArgumentError('give the year, e.g. 2025');
  return value;
}

function logPosition(raw: string): bigint {
  if (!/^\d{1,30}$/.test(raw)) throw new InvalidArgumentError('a log position is a whole number');
  return BigInt(raw);
}

function chainLink(raw: string): ChainLink {
  const head = /^(\d{1,30}):([0-9a-f]{64})$/.exec(raw);
  if (!head) throw new InvalidArgumentError('give <position>:<hash> as a report quotes it (position and logHash)');
  return { position: BigInt(head[1]), hash: head[2] };
}

function registerFile(out: string): string {
  if (!out.endsWith('.csv') && !out.endsWith('.xlsx')) throw new InvalidArgumentError('the register is written to a .csv or an .xlsx file');
  return out;
}

/** Opens the runtime for one job and closes it after. Its log lines go to stderr, beside the CLI's messages. */
async function withRuntime(job: (runtime: Runtime) => Promise<void> | void): Promise<void> {
  const runtime = await openRuntime(loadConfig(), { logTo: process.stderr });
  try {
    await job(runtime);
  } finally {
    await runtime.close();
  }
}

/** Shows `progress` until `job` ends, then ends its bars, so that what follows starts on a new line. */
async function showingProgress<T>(job: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = progressOn();
  try {
    return await job(progress);
  } finally {
    progress.stop();
  }
}

const count = (n: number | bigint) => n.toLocaleString('en');

function rebuildDetails(progress: RebuildProgress, startedAt: number): string {
  const done = progress.head > 0n ? Number((progress.position * 1000n) / progress.head) / 10 : 100;
  const elapsed = (Date.now() - startedAt) / 1000;
  const eta = done > 0 ? (elapsed * (100 - done)) / done : 0;
  return `${count(progress.events)} events, ${count(Math.round(progress.eventsPerSecond))} events/s, ${done.toFixed(1)}%, ETA ${eta.toFixed(1)} s`;
}

async function rebuild(runtime: Runtime, names: readonly string[]): Promise<void> {
  const projections = selectProjections(names);
  await showingProgress(async (progress) => {
    const runner = new ProjectionRunner(runtime.store, runtime.pool, projections, { log: (message) => progress.log(message), ...runtime.rebuild });
    await runner.prepare();
    const startedAt = Date.now();
    await runner.rebuild(projections, (p) => progress.update(p.projection, Number(p.position), Number(p.head), rebuildDetails(p, startedAt)));
  });
}

async function checksum(runtime: Runtime, names: readonly string[]): Promise<void> {
  for (const [name, digest] of await readModelChecksums(runtime.pool, selectProjections(names))) {
    console.log(`${name} ${digest ?? '(not built yet: start the API or the worker, or rebuild it)'}`);
  }
}

async function demo(runtime: Runtime, { scale, seed }: { scale: number; seed: number }): Promise<void> {
  const app = await openApplication(runtime);
  try {
    const startedAt = Date.now();
    const { commands } = await showingProgress((progress) =>
      generateDemoProvince(app.get(CommandBus), {
        seed,
        scale,
        onProgress: (done, total, phase) => {
          const elapsed = (Date.now() - startedAt) / 1000;
          progress.update(
            phase,
            done,
            total,
            `${count(done)}/${count(total)} steps, ${Math.round(done / elapsed)} steps/s, ETA ${((elapsed * (total - done)) / done).toFixed(0)} s`,
          );
        },
      }),
    );
    process.stderr.write(`demo province × ${scale}: ${count(commands)} steps in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  } finally {
    await app.close();
  }
}

interface ReportOptions {
  readonly format: 'json' | 'csv' | 'xlsx' | 'pdf';
  readonly out?: string;
  readonly at?: bigint;
}

async function report(runtime: Runtime, year: number, { format, out, at }: ReportOptions): Promise<void> {
  const built =
    at === undefined ? await yearEndReport(runtime.pool, year, { store: runtime.store }) : await yearEndReportAt(runtime.store, runtime.pool, year, at);
  const issue = { date: todayInVietnam(runtime.clock()) };
  const body =
    format === 'json'
      ? `${JSON.stringify(built, null, 2)}\n`
      : format === 'csv'
        ? yearEndReportCsv(built)
        : await (format === 'xlsx' ? yearEndReportXlsx : yearEndReportPdf)(built, runtime.config.letterhead, issue);
  if (out) {
    await writeFile(out, body);
    process.stderr.write(`year-end report ${year} (log position ${built.position}) written to ${out}\n`);
  } else process.stdout.write(body);
}

const altered = (broken: { position: bigint; reason: string }) => `log altered at position ${broken.position}: ${broken.reason}`;

async function verify(runtime: Runtime, head: ChainLink | undefined): Promise<void> {
  const chain = runtime.store.chain;
  if (!chain) {
    console.error(`${runtime.store.name} keeps no hash chain: it protects its log itself (see docs/security.md)`);
    process.exitCode = 2;
    return;
  }
  const result = await showingProgress((progress) =>
    chain.verify((position, last) => progress.update('verifying', Number(position), Number(last), `${count(position)}/${count(last)}`)),
  );
  if (!result.intact) {
    console.error(altered(result));
    process.exitCode = 1;
    return;
  }
  if (head) {
    const link = await chain.linkAt(head.position);
    if (link?.hash !== head.hash) {
      console.error(
        link
          ? `position ${head.position} has hash ${link.hash}, not ${head.hash}: this is not the log the report came from, or it was rewritten since`
          : `the log has no position ${head.position}`,
      );
      process.exitCode = 1;
      return;
    }
  }
  console.log(
    `log intact: ${count(result.events)} events${result.head ? `, head ${result.head.position}:${result.head.hash}` : ''}${head ? `; it holds ${head.position}:${head.hash}` : ''}`,
  );
}

async function check(runtime: Runtime, year: number): Promise<void> {
  const result = await consistencyCheck(runtime.store, runtime.pool, year);
  if (result.chain && !result.chain.intact) console.error(altered(result.chain));
  const show = (row: ConsistencyRow) =>
    `${row.regimeCode.padEnd(3)} ${row.group === -1 ? 'all' : String(row.group).padStart(3)}  log ${count(row.log)}  budget ${count(row.budget)}${row.report === undefined ? '' : `  report ${count(row.report)}`}${row.balances === undefined ? '' : `  balances ${count(row.balances)}`}`;
  if (result.consistent) {
    console.log(
      `${result.year}: consistent (${result.chain ? 'log hash chain intact; ' : ''}${result.rows.length} rows: log = balances = budget view = year-end report)`,
    );
    return;
  }
  if (result.differences.length > 0) console.error(`${result.year}: ${result.differences.length} rows differ:\n${result.differences.map(show).join('\n')}`);
  process.exitCode = 1;
}

/** The administrator a batch run acts as: recorded as the actor of everything it writes. */
const CLI_ACTOR = { username: process.env.CLI_USER || 'cli-administrator', roles: ['administrator'] } as const;

async function replay(runtime: Runtime, kind: 'reorganization' | 'policy', id: string): Promise<void> {
  const app = await openApplication(runtime);
  try {
    const startedAt = Date.now();
    const outcome = await showingProgress((progress) => {
      const onProgress = (p: ReplayProgress) =>
        progress.update(p.phase, p.done, p.total, `${count(p.done)}/${count(p.total)}, ${Math.round(p.perSecond)}/s, ETA ${p.etaSeconds.toFixed(0)} s`);
      return kind === 'reorganization'
        ? app.get(ReorganizationPlans).apply(id, CLI_ACTOR, onProgress)
        : app.get(RetroactivePolicies).recompute(id, CLI_ACTOR, onProgress);
    });
    console.log(JSON.stringify({ ...outcome, seconds: (Date.now() - startedAt) / 1000 }));
  } finally {
    await app.close();
  }
}

type UserAction = 'confirm' | 'reset-password' | 'disable-second-factor';

/** The operator's part in the accounts: recorded as `operator`, the person with the server in hand. */
async function users(runtime: Runtime, action: UserAction, username: string): Promise<void> {
  const app = await openApplication(runtime);
  try {
    const accounts = app.get(UserAccounts);
    // The new password goes to the operator's terminal only, never to a log.
    if (action === 'reset-password') console.log(JSON.stringify({ username, password: await accounts.resetPasswordByOperator(username) }));
    else if (action === 'disable-second-factor') console.log(JSON.stringify(await accounts.disableSecondFactorByOperator(username)));
    else console.log(JSON.stringify(await accounts.confirmByOperator(username)));
  } finally {
    await app.close();
  }
}

async function personalDataRewrap(runtime: Runtime): Promise<void> {
  const outcome = await runtime.personalData.rewrap();
  console.log(JSON.stringify(outcome));
  const leftUnderPrevious = Object.entries(outcome.wrappedUnder).filter(([id]) => id !== outcome.currentMasterKeyId);
  process.stderr.write(
    leftUnderPrevious.length === 0
      ? `${outcome.rewrapped} keys re-wrapped; every key is wrapped under the current master key ${outcome.currentMasterKeyId}: the previous master keys can be dropped\n`
      : `${outcome.rewrapped} keys re-wrapped; still under previous master keys: ${leftUnderPrevious.map(([id, keys]) => `${id} (${keys})`).join(', ')}\n`,
  );
}

async function importList(runtime: Runtime, file: string, validRowsOnly: boolean): Promise<void> {
  const bytes = await readFile(file);
  const app = await openApplication(runtime);
  try {
    const report = await showingProgress((progress) =>
      app.get(BeneficiaryImports).import(bytes, CLI_ACTOR, {
        validRowsOnly,
        onProgress: (p) => progress.update('importing', p.done, p.total, `${p.done}/${p.total}, ETA ${p.etaSeconds.toFixed(0)} s`),
      }),
    );
    for (const error of report.errors) console.error(`dòng/row ${error.row} ${error.field}: ${error.vi} / ${error.en}`);
    console.log(
      JSON.stringify({
        outcome: report.outcome,
        rows: report.rows,
        imported: report.imported,
        alreadyImported: report.alreadyImported,
        skipped: report.skipped,
        errors: report.errors.length,
      }),
    );
    if (report.outcome === 'rejected') {
      console.error(`${file}: nothing imported, ${report.errors.length} errors; fix them, or import the valid rows with --valid-rows-only`);
      process.exitCode = 1;
    }
  } finally {
    await app.close();
  }
}

async function template(out: string): Promise<void> {
  await writeFile(out, await beneficiaryListTemplate());
  process.stderr.write(`template written to ${out}\n`);
}

async function exportRegister(runtime: Runtime, out: string): Promise<void> {
  const { rows, body } = await registerExport(runtime.pool, out.endsWith('.xlsx') ? 'xlsx' : 'csv');
  await writeFile(out, body);
  process.stderr.write(`${count(rows)} beneficiaries written to ${out}\n`);
}

function where(config: AppConfig): string {
  if (config.database.kind === 'embedded') return `the embedded database in ${config.database.dataDir}`;
  const { hosts, database } = parseConnectionTargets(config.database.url);
  return `PostgreSQL database ${database} on ${hosts.map(formatAddress).join(',')}`;
}

async function backupDatabase(file: string): Promise<void> {
  const config = loadConfig();
  const manifest = await backup(config, file);
  console.log(`backed up ${where(config)} (PostgreSQL ${manifest.postgresVersion}) to ${file}, manifest ${file}.manifest.json`);
  const head = !manifest.log
    ? '(the log is not in this database)'
    : manifest.log.position === '0'
      ? '0 (empty log)'
      : `${manifest.log.position}:${manifest.log.hash}`;
  console.log(`log head ${head}; read models ${Object.keys(manifest.readModels).join(', ') || '(none built)'}`);
  if (manifest.masterKeyId)
    console.log(
      `the personal data master key (id ${manifest.masterKeyId}) is not in the backup: keep ${config.personalData.key ? 'PERSONAL_DATA_KEY' : config.personalData.file} apart; a restore needs it`,
    );
}

interface RestoreOptions {
  readonly into?: string;
  readonly keyFile?: string;
  readonly force?: boolean;
}

/** The configuration with `--into` as its database: a URL names a server's database, anything else an embedded folder. */
function restoreTarget(into: string | undefined): AppConfig {
  if (into === undefined) return loadConfig();
  const server = /^postgres(ql)?:\/\//.test(into);
  return loadConfig({ ...process.env, DATABASE_URL: server ? into : undefined, DATABASE_OWNER_URL: undefined, ...(server ? {} : { PGLITE_DATA_DIR: into }) });
}

async function restoreDatabase(file: string, { into, keyFile, force }: RestoreOptions): Promise<void> {
  const config = restoreTarget(into);
  const { manifest, events, head, problems } = await restore(config, file, { force: force ?? false, ...(keyFile ? { keyFile } : {}) });
  if (problems.length > 0) {
    console.error(`restored ${file} into ${where(config)}, but it is not the state backed up:\n${problems.join('\n')}`);
    process.exitCode = 1;
    return;
  }
  const log = manifest.log
    ? `log intact, ${count(events)} events, head ${head ? `${head.position}:${head.hash}` : '0 (empty log)'} as backed up`
    : 'the log is not in this database';
  console.log(
    `restored ${file} (backed up ${manifest.createdAt}) into ${where(config)}: ${log}; read models ${Object.keys(manifest.readModels).join(', ') || '(none built)'} as backed up`,
  );
}

function program(): Command {
  const cli = new Command('health-office')
    .description('Admin jobs of the health support back office: replay, reports, imports, backups and accounts.')
    .addHelpText(
      'after',
      `\nProjections: ${KNOWN_PROJECTIONS}\nConfiguration comes from the same environment variables as the API (DATABASE_URL, EVENT_STORE, …).\nThe answer goes to stdout, progress and messages to stderr; a usage error exits with code 2.`,
    )
    // Inherited by every command below: its usage errors throw instead of exiting, so that they all exit with code 2.
    .exitOverride()
    .allowExcessArguments(false)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) });

  cli
    .command('rebuild')
    .description('replay the whole log into fresh tables and swap them in (all projections by default); the live tables keep serving until the swap')
    .addArgument(new Argument('[projection...]', 'projections to rebuild').argParser(projectionName))
    .action((names: string[] = []) => withRuntime((runtime) => rebuild(runtime, names)));

  cli
    .command('checksum')
    .description('print a digest of each read model; equal digests mean identical read models')
    .addArgument(new Argument('[projection...]', 'projections to digest').argParser(projectionName))
    .action((names: string[] = []) => withRuntime((runtime) => checksum(runtime, names)));

  cli
    .command('demo')
    .description("write the demo province-year (Lạng Sơn 2025's figures) through the command path; resumable: run it again after an interruption")
    .addOption(new Option('--scale <n>', 'copies of the province').argParser(wholeNumber(2 ** 31 - 1)).default(1))
    .addOption(new Option('--seed <s>', 'seed of the generated people').argParser(wholeNumber(2 ** 31 - 1)).default(2025))
    .action((options: { scale: number; seed: number }) => withRuntime((runtime) => demo(runtime, options)));

  cli
    .command('report')
    .description('the year-end report from the read models (JSON on stdout by default)')
    .addArgument(new Argument('<year>', 'the year, e.g. 2025').argParser(year))
    .addOption(new Option('--format <format>', 'what to write').choices(['json', 'csv', 'xlsx', 'pdf']).default('json'))
    .option('--out <file>', 'write it to a file instead of stdout (needed for xlsx and pdf)')
    .addOption(new Option('--at <position>', 'exactly as it was at the log position an earlier report quotes').argParser(logPosition))
    .action(function (this: Command, reportYear: number, options: ReportOptions) {
      if ((options.format === 'xlsx' || options.format === 'pdf') && !options.out)
        this.error(`error: an ${options.format} report needs --out <file>`, { exitCode: 2 });
      return withRuntime((runtime) => report(runtime, reportYear, options));
    });

  cli
    .command('check')
    .description(
      "consistency check: the log's hash chain intact, and payouts in the log = beneficiaries' balances = budget view, per regime and group; exit code 1 and the differing rows when they disagree",
    )
    .addArgument(new Argument('<year>', 'the year, e.g. 2025').argParser(year))
    .action((checkedYear: number) => withRuntime((runtime) => check(runtime, checkedYear)));

  cli
    .command('migrate')
    .description(
      "bring the schema up to date (as DATABASE_OWNER_URL's role when set, which then grants DATABASE_URL's role what the application needs) and exit",
    )
    // Opening the runtime migrates: a deployment runs this once with the owner's URL, then starts the API and workers without it.
    .action(() => withRuntime(() => console.log('schema up to date')));

  cli
    .command('verify')
    .description("walk the log's hash chain (PostgreSQL store): exit code 1 naming the first position that does not match")
    .addOption(new Option('--head <position:hash>', 'the log must still hold the head a report quoted').argParser(chainLink))
    .action(({ head }: { head?: ChainLink }) => withRuntime((runtime) => verify(runtime, head)));

  // They open the database themselves: a backup changes nothing in it (opening the runtime migrates), a restore's target is empty.
  cli
    .command('backup')
    .description(
      "back the database up (a server: pg_dump's custom format; the embedded database: its folder, archived while the API is stopped), with <file>.manifest.json recording the log head and the read models' checksums; never the master key",
    )
    .argument('<file>', 'the backup to write')
    .action((file: string) => backupDatabase(file));

  cli
    .command('restore')
    .description(
      'restore a backup into the configured database, or --into another, then verify the hash chain and compare the log head and read models with the manifest (exit code 1 if they differ)',
    )
    .argument('<file>', 'the backup to restore')
    .option('--into <postgres-url|folder>', 'restore there instead of the configured database')
    .option('--key-file <file>', 'the personal data master key the backup needs')
    .option('--force', 'replace everything in a database that is not empty')
    .action((file: string, options: RestoreOptions) => restoreDatabase(file, options));

  const replayCommand = cli
    .command('replay')
    .description('recompute stays after a change, as adjustments; resumable: run it again after an interruption, nothing is recorded twice');
  replayCommand
    .command('reorganization')
    .description('apply a confirmed reorganization plan: reclassify everyone it matches, then recompute their stays from its effective date')
    .argument('<planId>', 'the confirmed plan')
    .action((planId: string) => withRuntime((runtime) => replay(runtime, 'reorganization', planId)));
  replayCommand
    .command('policy')
    .description('recompute every stay a published policy version touches')
    .argument('<versionId>', 'the published policy version')
    .action((versionId: string) => withRuntime((runtime) => replay(runtime, 'policy', versionId)));

  cli
    .command('import')
    .description(
      "import a beneficiary list (the template's layout): every row is checked; a file with errors imports nothing (exit code 1, the errors in Vietnamese and English); importing the same file again records nothing",
    )
    .argument('<file.xlsx>', 'the list')
    .option('--valid-rows-only', 'import the valid rows of a list with errors')
    .action((file: string, { validRowsOnly }: { validRowsOnly?: boolean }) => withRuntime((runtime) => importList(runtime, file, validRowsOnly ?? false)));

  cli
    .command('template')
    .description('write the beneficiary list template, in Vietnamese and English')
    .requiredOption('--out <file.xlsx>', 'where to write it')
    .action(({ out }: { out: string }) => template(out));

  cli
    .command('export')
    .description('export a read model to a file')
    .command('register')
    .description("the beneficiary register as it stands (the template's columns, then status and id)")
    .addOption(new Option('--out <file>', 'a .csv or .xlsx file').argParser(registerFile).makeOptionMandatory())
    .action(({ out }: { out: string }) => withRuntime((runtime) => exportRegister(runtime, out)));

  const usersCommand = cli.command('users').description("the operator's part in the accounts, recorded as `operator`");
  const userActions: Record<UserAction, string> = {
    confirm: "confirm an administrator's account (or a grant of the role) drafted by an administrator, while there is no second one to confirm it",
    'reset-password': "give an account a new generated password, printed once on stdout (an administrator's is reset only this way); their tokens end",
    'disable-second-factor': "turn off an account's second factor (a lost authenticator, with no other administrator to do it)",
  };
  for (const [action, description] of Object.entries(userActions) as [UserAction, string][]) {
    usersCommand
      .command(action)
      .description(description)
      .argument('<username>', 'the account')
      .action((username: string) => withRuntime((runtime) => users(runtime, action, username)));
  }

  cli
    .command('personal-data')
    .description('personal data master key maintenance')
    .command('rewrap')
    .description(
      "after a rotation of the master key: wrap every person's key held under a previous key (PERSONAL_DATA_PREVIOUS_KEYS) under the current one; prints how many keys each master key then wraps (drop a previous key once it wraps none)",
    )
    .action(() => withRuntime(personalDataRewrap));

  return cli;
}

/** Runs the CLI on `argv` (as `process.argv` holds it): exits 2 on a usage error, 1 on a failed job. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error: unknown) {
    // Help asked for exits 0; commander has already written its usage errors (and help for a missing command) to stderr.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
