import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type pg from 'pg';
import { createPool } from '#database';
import { PostgresEventStore } from '#event-store';
import { liveSchemaOf, ProjectionRunner, readModelChecksum } from '#projection-runner';
import { registers, streamActivity, streamActivityDiscrepancies } from '#read-models';
import { applicationEventStore, PersonalDataKeys } from '#runtime';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

const cliMain = resolve('dist/apps/cli/src/main.js');
/** The summary a command prints last (start-up messages may come before it). */
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

describe('administrator CLI', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const personalDataKey = randomBytes(32);
  const cli = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(process.execPath, [cliMain, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, PERSONAL_DATA_KEY: personalDataKey.toString('base64') },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run the tests with \`npm test\`, which builds first`);
    database = await createTestDatabase();
    pool = createPool(database.url, 4);
    const store = await PostgresEventStore.open(pool);
    for (let s = 0; s < 30; s++) {
      await store.append(
        `cli-${s}`,
        Array.from({ length: 20 }, (_, n) => ({ type: 'Noted', data: { n }, metadata: { actor: 'test', schemaVersion: 1 } })),
        { expectedRevision: 'no_stream' },
      );
    }
    const runner = new ProjectionRunner(store, pool, [streamActivity]);
    await runner.start();
    await runner.waitUntil(await store.readHeadPosition());
    await runner.stop();
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('rebuilds a projection with progress output and leaves an identical read model', async () => {
    const before = await readModelChecksum(pool, liveSchemaOf(streamActivity));
    const result = cli('rebuild', 'stream_activity');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^stream_activity: 600 events, [\d,]+ events\/s, 100\.0%, ETA 0\.0 s$/m);
    // Not a terminal: plain lines, and the runner's last message on a line of its own.
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toMatch(/^stream_activity rebuilt up to position 600 in [\d.]+ s$/m);
    expect(await readModelChecksum(pool, liveSchemaOf(streamActivity))).toBe(before);
    expect(await streamActivityDiscrepancies(pool)).toEqual({ lost: 0, duplicated: 0 });

    const printed = cli('checksum', 'stream_activity');
    expect(printed.status).toBe(0);
    expect(printed.stdout.trim()).toBe(`stream_activity ${before}`);
  });

  it('refuses an unknown projection or command with a message and exit code 2', () => {
    const unknownProjection = cli('rebuild', 'balances_v9');
    expect(unknownProjection.status).toBe(2);
    expect(unknownProjection.stderr).toContain('unknown projection balances_v9; known: stream_activity');
    const unknownCommand = cli('replicate');
    expect(unknownCommand.status).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'replicate'");
    const incompleteReplay = cli('replay', 'reorganization');
    expect(incompleteReplay.status).toBe(2);
    expect(incompleteReplay.stderr).toContain("missing required argument 'planId'");
    const nothing = cli();
    expect(nothing.status).toBe(2);
    expect(nothing.stdout).toBe('');
    expect(nothing.stderr).toContain('Usage: health-office [options] [command]');
    expect(cli('--help').stdout).toContain('Usage: health-office [options] [command]');
  });

  it('refuses an unknown option with exit code 2, a message on stderr and nothing on stdout', () => {
    const refused = cli('report', '2025', '--fromat', 'csv');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("error: unknown option '--fromat'");
    expect(refused.stdout).toBe('');
    const badValue = cli('demo', '--scale', 'many');
    expect(badValue.status).toBe(2);
    expect(badValue.stderr).toContain("option '--scale <n>' argument 'many' is invalid. needs a whole number");
  });

  it('shows the help of the command asked about, on stdout with exit code 0', () => {
    const rebuild = cli('rebuild', '--help');
    expect(rebuild.status).toBe(0);
    expect(rebuild.stdout).toContain('Usage: health-office rebuild [options] [projection...]');
    expect(rebuild.stdout).not.toContain('checksum');
    const report = cli('report', '--help');
    expect(report.stdout).toContain('--format <format>');
    expect(report.stdout).toContain('--at <position>');
    expect(cli('users', 'reset-password', '--help').stdout).toContain('Usage: health-office users reset-password [options] <username>');
  });

  it('lets the operator reset an administrator’s password, printed once on stdout and recorded as the operator’s', async () => {
    const reset = cli('users', 'reset-password', 'admin');
    expect(reset.status).toBe(0);
    const { password } = lastLine(reset.stdout);
    expect(password).toMatch(/^[\w-]{16}$/);
    expect(reset.stderr).not.toContain(password);
    const { rows } = await pool.query<{ event_type: string; actor: string }>(
      "SELECT event_type, metadata->>'actor' AS actor FROM events WHERE stream_id = 'user-admin' ORDER BY stream_revision",
    );
    expect(rows.map((row) => [row.event_type, row.actor])).toEqual([
      ['UserRegistered', 'system'],
      ['PasswordReset', 'operator'],
    ]);
    // Nothing to turn off: the administrator has no second factor.
    expect(lastLine(cli('users', 'disable-second-factor', 'admin').stdout)).toMatchObject({ username: 'admin', secondFactor: false });
    expect(cli('users', 'promote', 'admin').stderr).toContain("unknown command 'promote'");
  });

  // Eight processes of the CLI, each opening the database: minutes on a loaded machine.
  it('writes the import template, imports it once, and refuses a bad list with exit code 1 and nothing recorded', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hsb-cli-'));
    try {
      const templateFile = join(folder, 'mau.xlsx');
      expect(cli('template', '--out', templateFile).status).toBe(0);
      // The template's example row is a valid person.
      const first = cli('import', templateFile);
      expect(first.status).toBe(0);
      expect(lastLine(first.stdout)).toMatchObject({ outcome: 'imported', rows: 1, imported: 1 });
      const events = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
      const recorded = await events();
      expect(lastLine(cli('import', templateFile).stdout)).toMatchObject({ imported: 0, alreadyImported: 1 });

      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(templateFile);
      book.worksheets[0].getRow(3).getCell(6).value = 9;
      const bad = join(folder, 'loi.xlsx');
      await book.xlsx.writeFile(bad);
      const refused = cli('import', bad);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('dòng/row 3 group: Đối tượng phải là số từ 1 đến 6, không phải "9" / The group must be a number from 1 to 6, not "9"');
      expect(refused.stderr).toContain('nothing imported');
      expect(await events()).toBe(recorded);
      expect(cli('import').status).toBe(2);

      // The register, once its read model has caught up (reading the log as the CLI does, personal fields opened), exported in the template's columns.
      const store = applicationEventStore(await PostgresEventStore.open(pool), await PersonalDataKeys.open(pool, { current: personalDataKey, previous: [] }));
      const runner = new ProjectionRunner(store, pool, [registers]);
      await runner.start();
      await runner.waitUntil(await store.readHeadPosition());
      await runner.stop();
      const exported = join(folder, 'register.xlsx');
      expect(cli('export', 'register', '--out', exported).status).toBe(0);
      const register = new ExcelJS.Workbook();
      await register.xlsx.readFile(exported);
      expect(register.worksheets[0].getRow(2).getCell(3).value).toBe('020068000101');
      expect(cli('export', 'register', '--out', join(folder, 'register.txt')).status).toBe(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 180_000);
  it('runs as the package’s bin: the report on stdout is JSON and nothing else', () => {
    expect(cli('rebuild').status).toBe(0);
    const run = spawnSync('npx', ['--no-install', 'health-office', 'report', '2025'], {
      env: { ...process.env, DATABASE_URL: database.url, PERSONAL_DATA_KEY: personalDataKey.toString('base64') },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`exit code ${run.status}:\n${run.stderr}`);
    expect(JSON.parse(run.stdout)).toMatchObject({ year: 2025 });
  });

  it('rotates the personal data master key: rewrap moves the imported people under the new key, which alone then reads them', () => {
    const newKey = randomBytes(32).toString('base64');
    const withKeys =
      (current: string, previous?: string) =>
      (...args: string[]) =>
        spawnSync(process.execPath, [cliMain, ...args], {
          env: { ...process.env, DATABASE_URL: database.url, PERSONAL_DATA_KEY: current, ...(previous ? { PERSONAL_DATA_PREVIOUS_KEYS: previous } : {}) },
          encoding: 'utf8',
        });
    const folder = mkdtempSync(join(tmpdir(), 'hsb-rotation-'));
    try {
      const refused = withKeys(newKey)('export', 'register', '--out', join(folder, 'refused.csv'));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('PERSONAL_DATA_PREVIOUS_KEYS');

      const rewrapped = withKeys(newKey, personalDataKey.toString('base64'))('personal-data', 'rewrap');
      expect(rewrapped.status).toBe(0);
      const outcome = lastLine(rewrapped.stdout);
      expect(outcome.rewrapped).toBeGreaterThan(0);
      expect(Object.keys(outcome.wrappedUnder)).toEqual([outcome.currentMasterKeyId]);
      expect(rewrapped.stderr).toContain('the previous master keys can be dropped');

      const exported = withKeys(newKey)('export', 'register', '--out', join(folder, 'register.csv'));
      expect(exported.status).toBe(0);
      expect(readFileSync(join(folder, 'register.csv'), 'utf8')).toContain('020068000101');
      expect(withKeys(newKey)('personal-data', 'rotate').status).toBe(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
