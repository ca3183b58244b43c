import { readFile, writeFile } from 'node:fs/promises';
import { CommandBus } from '@nestjs/cqrs';
import { BeneficiaryImports, beneficiaryListTemplate, generateDemoProvince, openApplication, ReorganizationPlans, type ReplayProgress, RetroactivePolicies, UserAccounts } from '#application';
import { formatAddress, parseConnectionTargets } from '#database';
import { ProjectionRunner, type RebuildProgress } from '#projections';
import { ALL_PROJECTIONS, consistencyCheck, type ConsistencyRow, registerExport, yearEndReport, yearEndReportAt, yearEndReportCsv, yearEndReportXlsx } from '#read-models';
import type { ChainLink } from '#event-store';
import { type AppConfig, loadConfig, openRuntime, type Runtime } from '#runtime';
import { backup, readModelChecksums, restore } from './backup/backup.js';

const USAGE = `Usage: npm run cli -- <command> [arguments]

Commands:
  rebuild [projection ...]   replay the whole log into fresh tables and swap them in (all projections by default);
                             the live tables keep serving until the swap
  checksum [projection ...]  print a digest of each read model; equal digests mean identical read models
  demo [--scale N] [--seed S]
                             write the demo province-year (Lạng Sơn 2025's figures) through the command path,
                             N copies of it (default 1); resumable: run it again after an interruption
  report <year> [--format json|csv|xlsx] [--out file] [--at position]
                             the year-end report from the read models (JSON on stdout by default); --at: exactly
                             as it was at the log position an earlier report quotes
  check <year>               consistency check: the log's hash chain intact, and payouts in the log = beneficiaries'
                             balances = budget view, per regime and group; exit code 1 and the differing rows when
                             they disagree
  migrate                    bring the schema up to date (as DATABASE_OWNER_URL's role when set, which then grants
                             DATABASE_URL's role what the application needs) and exit
  verify [--head <position>:<hash>]
                             walk the log's hash chain (PostgreSQL store): exit code 1 naming the first position
                             that does not match; --head: the log must still hold the head a report quoted
  backup <file>              back the database up to <file> (a server: pg_dump's custom format; the embedded
                             database: its folder, archived while the API is stopped), with <file>.manifest.json
                             recording the log head and the read models' checksums; never the master key
  restore <file> [--into <postgres-url|folder>] [--key-file <file>] [--force]
                             restore a backup into the configured database, or --into another; it must be empty
                             unless --force (which replaces everything in it); then verify the hash chain and
                             compare the log head and read models with the manifest (exit code 1 if they differ)
  replay reorganization <planId>
                             apply a confirmed reorganization plan: reclassify everyone it matches, then
                             recompute their stays from its effective date (adjustments); resumable: run it
                             again after an interruption, nothing is recorded twice
  replay policy <versionId>  recompute every stay a published policy version touches (adjustments); resumable
  import <file.xlsx> [--valid-rows-only]
                             import a beneficiary list (the template's layout): every row is checked; a file with
                             errors imports nothing (exit code 1, the errors in Vietnamese and English) unless
                             --valid-rows-only; importing the same file again records nothing
  template --out <file.xlsx> the beneficiary list template, in Vietnamese and English
  export register --out <file.csv|file.xlsx>
                             the beneficiary register as it stands (the template's columns, then status and id)
  users confirm <username>   as the operator of the server: confirm an administrator's account (or a grant of the
                             role) drafted by an administrator, while there is no second one to confirm it
  users reset-password <username>
                             as the operator: give an account a new generated password, printed once on stdout
                             (an administrator's is reset only this way); their tokens end
  users disable-second-factor <username>
                             as the operator: turn off an account's second factor (a lost authenticator, with no
                             other administrator to do it)
  personal-data rewrap       after a rotation of the personal data master key: wrap every person's key held
                             under a previous key (PERSONAL_DATA_PREVIOUS_KEYS) under the current one; prints
                             how many keys each master key then wraps (drop a previous key once it wraps none)
  --help                     this text

Projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}
Configuration comes from the same environment variables as the API (DATABASE_URL, EVENT_STORE, …).`;

class UsageError extends Error {}

function selectProjections(names: readonly string[]): typeof ALL_PROJECTIONS {
  const unknown = names.filter((name) => !ALL_PROJECTIONS.some((p) => p.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown projection ${unknown.join(', ')}; known: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
  return names.length === 0 ? ALL_PROJECTIONS : ALL_PROJECTIONS.filter((p) => names.includes(p.name));
}

function progressLine(progress: RebuildProgress, startedAt: number): string {
  const done = progress.head > 0n ? Number((progress.position * 1000n) / progress.head) / 10 : 100;
  const elapsed = (Date.now() - startedAt) / 1000;
  const eta = done > 0 ? (elapsed * (100 - done)) / done : 0;
  return `${progress.projection}: ${progress.events.toLocaleString('en')} events, ${Math.round(progress.eventsPerSecond).toLocaleString('en')} events/s, ${done.toFixed(1)}%, ETA ${eta.toFixed(1)} s`;
}

async function rebuild(runtime: Runtime, names: readonly string[]): Promise<void> {
  const projections = selectProjections(names);
  const runner = new ProjectionRunner(runtime.store, runtime.pool, projections, {
    log: (message) => process.stderr.write(`${message}\n`),
    ...runtime.rebuild,
  });
  await runner.prepare();
  const startedAt = Date.now();
  await runner.rebuild(projections, (progress) => process.stderr.write(`\r${progressLine(progress, startedAt)}`));
  process.stderr.write('\n');
}

async function checksum(runtime: Runtime, names: readonly string[]): Promise<void> {
  for (const [name, digest] of await readModelChecksums(runtime.pool, selectProjections(names))) {
    console.log(`${name} ${digest ?? '(not built yet: start the API or the worker, or rebuild it)'}`);
  }
}

/** `--name value` options of a command: each a whole number in range; anything else is a usage error. */
function integerOptions(args: readonly string[], defaults: Record<string, number>, max = 1_000_000): Record<string, number> {
  const values = { ...defaults };
  for (let n = 0; n < args.length; n += 2) {
    const name = args[n]!.replace(/^--/, '');
    const raw = args[n + 1];
    if (!args[n]!.startsWith('--') || !(name in defaults)) throw new UsageError(`unknown option ${args[n]}`);
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < 0 || value > max) throw new UsageError(`${args[n]} needs a whole number from 0 to ${max}`);
    values[name] = value;
  }
  return values;
}

async function demo(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { scale, seed } = integerOptions(args, { scale: 1, seed: 2025 }, 2 ** 31 - 1);
  const app = await openApplication(runtime);
  try {
    const startedAt = Date.now();
    let shown = 0;
    const { commands } = await generateDemoProvince(app.get(CommandBus), {
      seed: seed!,
      scale: scale!,
      onProgress: (done, total, phase) => {
        if (Date.now() - shown < 500 && done < total) return;
        shown = Date.now();
        const elapsed = (Date.now() - startedAt) / 1000;
        process.stderr.write(`\r${progressBar(done, total)} ${phase}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} steps, ${Math.round(done / elapsed)} steps/s, ETA ${((elapsed * (total - done)) / done).toFixed(0)} s   `);
      },
    });
    process.stderr.write(`\ndemo province × ${scale}: ${commands.toLocaleString('en')} steps in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  } finally {
    await app.close();
  }
}

function progressBar(done: number, total: number): string {
  const filled = Math.round((done / total) * 30);
  return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${Math.floor((done * 100) / total)}%`;
}

function yearArgument(args: readonly string[]): number {
  const year = Number(args[0]);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('give the year, e.g. 2025');
  return year;
}

function reportOptions(args: readonly string[]): { year: number; format: 'json' | 'csv' | 'xlsx'; out?: string; at?: bigint } {
  const year = yearArgument(args);
  let format: 'json' | 'csv' | 'xlsx' = 'json';
  let out: string | undefined;
  let at: bigint | undefined;
  for (let n = 1; n < args.length; n += 2) {
    const value = args[n + 1];
    if (args[n] === '--format' && (value === 'json' || value === 'csv' || value === 'xlsx')) format = value;
    else if (args[n] === '--out' && value) out = value;
    else if (args[n] === '--at' && value && /^\d{1,30}$/.test(value)) at = BigInt(value);
    else throw new UsageError(`${args[n]} ${value ?? ''}: expected --format json|csv|xlsx, --out <file> or --at <log position>`);
  }
  if (format === 'xlsx' && !out) throw new UsageError('an xlsx report needs --out <file>');
  return { year, format, ...(out ? { out } : {}), ...(at !== undefined ? { at } : {}) };
}

async function report(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { year, format, out, at } = reportOptions(args);
  const built = at === undefined ? await yearEndReport(runtime.pool, year, { store: runtime.store }) : await yearEndReportAt(runtime.store, runtime.pool, runtime.rebuild, year, at);
  const body = format === 'json' ? `${JSON.stringify(built, null, 2)}\n` : format === 'csv' ? yearEndReportCsv(built) : await yearEndReportXlsx(built);
  if (out) {
    await writeFile(out, body);
    process.stderr.write(`year-end report ${year} (log position ${built.position}) written to ${out}\n`);
  } else process.stdout.write(body);
}

function verifyOptions(args: readonly string[]): { head?: ChainLink } {
  if (args.length === 0) return {};
  const head = args[0] === '--head' && args.length === 2 ? /^(\d{1,30}):([0-9a-f]{64})$/.exec(args[1]!) : null;
  if (!head) throw new UsageError('verify takes nothing, or --head <position>:<hash> as a report quotes it (position and logHash)');
  return { head: { position: BigInt(head[1]!), hash: head[2]! } };
}

const noArguments = (command: string) => (args: readonly string[]) => {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments`);
};

const altered = (broken: { position: bigint; reason: string }) => `log altered at position ${broken.position}: ${broken.reason}`;

async function verify(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { head } = verifyOptions(args);
  const chain = runtime.store.chain;
  if (!chain) {
    console.error(`${runtime.store.name} keeps no hash chain: it protects its log itself (see docs/security.md)`);
    process.exitCode = 2;
    return;
  }
  const result = await chain.verify((position, last) => process.stderr.write(`\rverifying: ${progressBar(Number(position), Number(last))} ${position.toLocaleString('en')}/${last.toLocaleString('en')}${position === last ? '\n' : ''}`));
  if (!result.intact) {
    console.error(altered(result));
    process.exitCode = 1;
    return;
  }
  if (head) {
    const link = await chain.linkAt(head.position);
    if (link?.hash !== head.hash) {
      console.error(link ? `position ${head.position} has hash ${link.hash}, not ${head.hash}: this is not the log the report came from, or it was rewritten since` : `the log has no position ${head.position}`);
      process.exitCode = 1;
      return;
    }
  }
  console.log(`log intact: ${result.events.toLocaleString('en')} events${result.head ? `, head ${result.head.position}:${result.head.hash}` : ''}${head ? `; it holds ${head.position}:${head.hash}` : ''}`);
}

async function check(runtime: Runtime, args: readonly string[]): Promise<void> {
  const result = await consistencyCheck(runtime.store, runtime.pool, yearArgument(args));
  if (result.chain && !result.chain.intact) console.error(altered(result.chain));
  const show = (row: ConsistencyRow) =>
    `${row.regimeCode.padEnd(3)} ${row.group === -1 ? 'all' : String(row.group).padStart(3)}  log ${row.log.toLocaleString('en')}  budget ${row.budget.toLocaleString('en')}${row.report === undefined ? '' : `  report ${row.report.toLocaleString('en')}`}${row.balances === undefined ? '' : `  balances ${row.balances.toLocaleString('en')}`}`;
  if (result.consistent) {
    console.log(`${result.year}: consistent (${result.chain ? 'log hash chain intact; ' : ''}${result.rows.length} rows: log = balances = budget view = year-end report)`);
    return;
  }
  if (result.differences.length > 0) console.error(`${result.year}: ${result.differences.length} rows differ:\n${result.differences.map(show).join('\n')}`);
  process.exitCode = 1;
}

function replayArguments(args: readonly string[]): { kind: 'reorganization' | 'policy'; id: string } {
  const [kind, id, ...rest] = args;
  if ((kind !== 'reorganization' && kind !== 'policy') || !id || rest.length > 0) throw new UsageError('give what to replay: reorganization <planId> or policy <versionId>');
  return { kind, id };
}

/** The administrator a batch run acts as: recorded as the actor of everything it writes. */
const CLI_ACTOR = { username: process.env.CLI_USER || 'cli-administrator', roles: ['administrator'] } as const;

async function replay(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { kind, id } = replayArguments(args);
  const app = await openApplication(runtime);
  try {
    const startedAt = Date.now();
    const onProgress = (p: ReplayProgress) =>
      process.stderr.write(`\r${p.phase}: ${progressBar(p.done, p.total)} ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')}, ${Math.round(p.perSecond)}/s, ETA ${p.etaSeconds.toFixed(0)} s${p.done === p.total ? '\n' : ''}`);
    const outcome = kind === 'reorganization' ? await app.get(ReorganizationPlans).apply(id, CLI_ACTOR, onProgress) : await app.get(RetroactivePolicies).recompute(id, CLI_ACTOR, onProgress);
    console.log(JSON.stringify({ ...outcome, seconds: (Date.now() - startedAt) / 1000 }));
  } finally {
    await app.close();
  }
}

const USER_ACTIONS = ['confirm', 'reset-password', 'disable-second-factor'] as const;

function usersArguments(args: readonly string[]): { action: (typeof USER_ACTIONS)[number]; username: string } {
  const [action, username, ...rest] = args;
  if (!USER_ACTIONS.some((known) => known === action) || !username || rest.length > 0) throw new UsageError(`give a user action: ${USER_ACTIONS.map((known) => `${known} <username>`).join(', ')}`);
  return { action: action as (typeof USER_ACTIONS)[number], username };
}

/** The operator's part in the accounts: recorded as `operator`, the person with the server in hand. */
async function users(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { action, username } = usersArguments(args);
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

function personalDataArguments(args: readonly string[]): void {
  if (args.length !== 1 || args[0] !== 'rewrap') throw new UsageError('give a personal data action: rewrap');
}

async function personalData(runtime: Runtime): Promise<void> {
  const outcome = await runtime.personalData.rewrap();
  console.log(JSON.stringify(outcome));
  const leftUnderPrevious = Object.entries(outcome.wrappedUnder).filter(([id]) => id !== outcome.currentMasterKeyId);
  process.stderr.write(
    leftUnderPrevious.length === 0
      ? `${outcome.rewrapped} keys re-wrapped; every key is wrapped under the current master key ${outcome.currentMasterKeyId}: the previous master keys can be dropped\n`
      : `${outcome.rewrapped} keys re-wrapped; still under previous master keys: ${leftUnderPrevious.map(([id, keys]) => `${id} (${keys})`).join(', ')}\n`,
  );
}

function importArguments(args: readonly string[]): { file: string; validRowsOnly: boolean } {
  const [file, ...rest] = args;
  if (!file || file.startsWith('--') || rest.some((arg) => arg !== '--valid-rows-only')) throw new UsageError('give the .xlsx to import, optionally followed by --valid-rows-only');
  return { file, validRowsOnly: rest.includes('--valid-rows-only') };
}

async function importList(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { file, validRowsOnly } = importArguments(args);
  const bytes = await readFile(file);
  const app = await openApplication(runtime);
  try {
    const report = await app.get(BeneficiaryImports).import(bytes, CLI_ACTOR, {
      validRowsOnly,
      onProgress: (p) => process.stderr.write(`\rimporting: ${progressBar(p.done, p.total)} ${p.done}/${p.total}, ETA ${p.etaSeconds.toFixed(0)} s${p.done === p.total ? '\n' : ''}`),
    });
    for (const error of report.errors) console.error(`dòng/row ${error.row} ${error.field}: ${error.vi} / ${error.en}`);
    console.log(JSON.stringify({ outcome: report.outcome, rows: report.rows, imported: report.imported, alreadyImported: report.alreadyImported, skipped: report.skipped, errors: report.errors.length }));
    if (report.outcome === 'rejected') {
      console.error(`${file}: nothing imported, ${report.errors.length} errors; fix them, or import the valid rows with --valid-rows-only`);
      process.exitCode = 1;
    }
  } finally {
    await app.close();
  }
}

function templateArguments(args: readonly string[]): string {
  if (args[0] !== '--out' || !args[1] || args.length > 2) throw new UsageError('give where to write the template: --out <file.xlsx>');
  return args[1];
}

async function template(args: readonly string[]): Promise<void> {
  const out = templateArguments(args);
  await writeFile(out, await beneficiaryListTemplate());
  process.stderr.write(`template written to ${out}\n`);
}

function exportArguments(args: readonly string[]): { out: string; format: 'csv' | 'xlsx' } {
  const [what, flag, out, ...rest] = args;
  const format = out?.endsWith('.xlsx') ? 'xlsx' : out?.endsWith('.csv') ? 'csv' : undefined;
  if (what !== 'register' || flag !== '--out' || !out || !format || rest.length > 0) throw new UsageError('give what to export and where: register --out <file.csv|file.xlsx>');
  return { out, format };
}

async function exportRegister(runtime: Runtime, args: readonly string[]): Promise<void> {
  const { out, format } = exportArguments(args);
  const { rows, body } = await registerExport(runtime.pool, format);
  await writeFile(out, body);
  process.stderr.write(`${rows.toLocaleString('en')} beneficiaries written to ${out}\n`);
}

function backupArguments(args: readonly string[]): string {
  if (args.length !== 1 || args[0]!.startsWith('--')) throw new UsageError('give the file to write the backup to: backup <file>');
  return args[0]!;
}

function where(config: AppConfig): string {
  if (config.database.kind === 'embedded') return `the embedded database in ${config.database.dataDir}`;
  const { hosts, database } = parseConnectionTargets(config.database.url);
  return `PostgreSQL database ${database} on ${hosts.map(formatAddress).join(',')}`;
}

async function backupDatabase(args: readonly string[]): Promise<void> {
  const file = backupArguments(args);
  const config = loadConfig();
  const manifest = await backup(config, file);
  console.log(`backed up ${where(config)} (PostgreSQL ${manifest.postgresVersion}) to ${file}, manifest ${file}.manifest.json`);
  const head = !manifest.log ? '(the log is not in this database)' : manifest.log.position === '0' ? '0 (empty log)' : `${manifest.log.position}:${manifest.log.hash}`;
  console.log(`log head ${head}; read models ${Object.keys(manifest.readModels).join(', ') || '(none built)'}`);
  if (manifest.masterKeyId) console.log(`the personal data master key (id ${manifest.masterKeyId}) is not in the backup: keep ${config.personalData.key ? 'PERSONAL_DATA_KEY' : config.personalData.file} apart; a restore needs it`);
}

interface RestoreArguments {
  readonly file: string;
  readonly into?: string;
  readonly keyFile?: string;
  readonly force: boolean;
}

function restoreArguments(args: readonly string[]): RestoreArguments {
  const [file, ...rest] = args;
  if (!file || file.startsWith('--')) throw new UsageError('give the backup file to restore: restore <file> [--into <postgres-url|folder>] [--key-file <file>] [--force]');
  const options: { into?: string; keyFile?: string; force: boolean } = { force: false };
  for (let n = 0; n < rest.length; n++) {
    const value = rest[n + 1];
    if (rest[n] === '--force') options.force = true;
    else if (rest[n] === '--into' && value) options.into = rest[++n];
    else if (rest[n] === '--key-file' && value) options.keyFile = rest[++n];
    else throw new UsageError(`${rest[n]}: restore takes --into <postgres-url|folder>, --key-file <file> and --force`);
  }
  return { file, ...options };
}

/** The configuration with `--into` as its database: a URL names a server's database, anything else an embedded folder. */
function restoreTarget(into: string | undefined): AppConfig {
  if (into === undefined) return loadConfig();
  const server = /^postgres(ql)?:\/\//.test(into);
  return loadConfig({ ...process.env, DATABASE_URL: server ? into : undefined, DATABASE_OWNER_URL: undefined, ...(server ? {} : { PGLITE_DATA_DIR: into }) });
}

async function restoreDatabase(args: readonly string[]): Promise<void> {
  const { file, into, keyFile, force } = restoreArguments(args);
  const config = restoreTarget(into);
  const { manifest, events, head, problems } = await restore(config, file, { force, ...(keyFile ? { keyFile } : {}) });
  if (problems.length > 0) {
    console.error(`restored ${file} into ${where(config)}, but it is not the state backed up:\n${problems.join('\n')}`);
    process.exitCode = 1;
    return;
  }
  const log = manifest.log ? `log intact, ${events.toLocaleString('en')} events, head ${head ? `${head.position}:${head.hash}` : '0 (empty log)'} as backed up` : 'the log is not in this database';
  console.log(`restored ${file} (backed up ${manifest.createdAt}) into ${where(config)}: ${log}; read models ${Object.keys(manifest.readModels).join(', ') || '(none built)'} as backed up`);
}

const COMMANDS: Record<string, { check: (args: readonly string[]) => unknown; run: (runtime: Runtime, args: readonly string[]) => Promise<void>; offline?: true }> = {
  rebuild: { check: selectProjections, run: rebuild },
  checksum: { check: selectProjections, run: checksum },
  demo: { check: (args) => integerOptions(args, { scale: 1, seed: 2025 }, 2 ** 31 - 1), run: demo },
  report: { check: reportOptions, run: report },
  check: { check: yearArgument, run: check },
  verify: { check: verifyOptions, run: verify },
  // Opening the runtime migrates: a deployment runs this once with the owner's URL, then starts the API and workers without it.
  migrate: { check: noArguments('migrate'), run: async () => console.log('schema up to date') },
  replay: { check: replayArguments, run: replay },
  import: { check: importArguments, run: importList },
  export: { check: exportArguments, run: exportRegister },
  users: { check: usersArguments, run: users },
  'personal-data': { check: personalDataArguments, run: personalData },
  template: { check: templateArguments, run: (_runtime, args) => template(args), offline: true },
  // They open the database themselves: a backup changes nothing in it (opening the runtime migrates), a restore's target is empty.
  backup: { check: backupArguments, run: (_runtime, args) => backupDatabase(args), offline: true },
  restore: { check: restoreArguments, run: (_runtime, args) => restoreDatabase(args), offline: true },
};

async function main(args: readonly string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
    console.log(USAGE);
    if (command === undefined) process.exitCode = 2;
    return;
  }
  const chosen = COMMANDS[command];
  if (!chosen) throw new UsageError(`unknown command "${command}"`);
  chosen.check(rest);
  if (chosen.offline) return chosen.run(undefined as never, rest);
  // Its answers and their messages for the operator are the CLI's stdout and stderr; the runtime's log lines go to stderr.
  const runtime = await openRuntime(loadConfig(), { logTo: process.stderr });
  try {
    await chosen.run(runtime, rest);
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
