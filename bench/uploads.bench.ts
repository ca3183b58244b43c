/**
 * Upload benchmark: the peak memory (RSS) of a process importing a beneficiary list at the
 * configured limits, and hostile ones (a far row, too many rows or cells, zip bombs). Each file is
 * imported by a fresh process, through the import the API and the CLI call, so each peak is that
 * file's alone; on a PostgreSQL server, since the embedded database's own memory, in the same
 * process, would hide the import's. Prints the figures and writes its section of
 * docs/benchmarks.md.
 *
 *   npm run bench:uploads
 *   BENCH_REPORT=/tmp/b.md npm run bench:uploads   # without touching docs/benchmarks.md
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BeneficiaryImports, ImportLimitExceeded, openApplication, REGISTER_LIST_COLUMNS } from '#application';
import { loadConfig, openRuntime } from '#runtime';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/throwaway-postgres.js';
import { bombOf, entryOf, rowXml, SHEET, SHEET_HEAD, SHEET_TAIL, WORKBOOK_PARTS, workbookOf, zipOf } from '../test/support/workbook-files.js';
import { createDatabase, machine, packageVersion, ROOT, writeSection } from './server.js';

const MiB = 1024 * 1024;
const log = (message: string): void => console.error(`[bench] ${message}`);

interface Measurement {
  /** What the import answered: its outcome, or the limit that refused the file. */
  readonly outcome: string;
  readonly seconds: number;
  /** Resident memory once the database and the application are open, before the import. */
  readonly rssBefore: number;
  /** The process's peak resident memory, from its start to the end of the import. */
  readonly peak: number;
}

interface Scenario {
  readonly name: string;
  readonly file?: Buffer;
}

/** The files, at the default limits (IMPORT_MAX_ROWS 10,000, IMPORT_MAX_CELLS 100,000, IMPORT_MAX_SHEET_BYTES 16 MiB). */
function scenarios(): Scenario[] {
  const limits = loadConfig({}).imports;
  const headings = rowXml(
    1,
    REGISTER_LIST_COLUMNS.map((column) => column.vi),
  );
  const person = (n: number) => [`Người Thứ ${n}`, '01/01/1970', `020070${String(n).padStart(6, '0')}`, 'Trưởng phòng', 'Huyện Cao Lộc', '4', '01/01/2025'];
  const people = limits.maxRows - 1;
  // Each refused row costs six errors in the answer: the largest answer a sheet within the limits can ask for.
  const padding = Math.floor((limits.maxSheetBytes * 0.95) / people) - 60;
  const blanks = (times: number) => bombOf(SHEET, { head: `${SHEET_HEAD}${headings}`, middle: ' '.repeat(MiB), times, tail: SHEET_TAIL }, 4096);
  return [
    { name: 'nothing (the process idle, database and application open)' },
    {
      name: `${people.toLocaleString('en')} people, ${limits.maxRows.toLocaleString('en')} rows: every one enrolled`,
      file: workbookOf(headings + Array.from({ length: people }, (_, n) => rowXml(n + 2, person(n))).join('')),
    },
    {
      name: `${people.toLocaleString('en')} rows of a ${padding.toLocaleString('en')}-character name alone, ${(limits.maxSheetBytes / MiB) * 0.95} MiB of sheet: every row refused`,
      file: workbookOf(headings + Array.from({ length: people }, (_, n) => rowXml(n + 2, ['x'.repeat(padding)])).join('')),
    },
    { name: 'one cell at row 3,000,000', file: workbookOf(headings + rowXml(3_000_000, ['Hoàng Văn An'])) },
    {
      name: `${(limits.maxRows + 1).toLocaleString('en')} rows`,
      file: workbookOf(headings + Array.from({ length: limits.maxRows }, (_, n) => rowXml(n + 2, person(n))).join('')),
    },
    {
      name: '7 rows of 16,384 cells',
      file: workbookOf(
        headings +
          Array.from({ length: 7 }, (_, n) =>
            rowXml(
              n + 2,
              Array.from({ length: 16_384 }, () => 'x'),
            ),
          ).join(''),
      ),
    },
    {
      name: 'a sheet declaring 500 MiB',
      file: zipOf([...WORKBOOK_PARTS, { ...entryOf(SHEET, `${SHEET_HEAD}${headings}${SHEET_TAIL}`), declaredSize: 500 * MiB }]),
    },
    { name: 'a zip bomb: 500 MiB declaring 4 KiB', file: zipOf([...WORKBOOK_PARTS, blanks(500)]) },
    { name: 'a zip bomb: 3.4 GiB declaring 4 KiB', file: zipOf([...WORKBOOK_PARTS, blanks(3482)]) },
  ];
}

/** In a child process: opens its database (`DATABASE_URL`, or a fresh embedded one) and the application, imports the file, reports. */
async function measure(path: string | undefined): Promise<Measurement> {
  const folder = mkdtempSync(join(tmpdir(), 'hsb-bench-uploads-'));
  const runtime = await openRuntime(
    loadConfig({ ...process.env, PGLITE_DATA_DIR: join(folder, 'db'), PROJECTIONS: 'off', ADMIN_PASSWORD: 'bench-admin-password' }),
  );
  const app = await openApplication(runtime);
  try {
    const file = path ? readFileSync(path) : undefined;
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const outcome = file
      ? await app
          .get(BeneficiaryImports)
          .import(file, { username: 'bench-clerk', roles: ['clerk'] })
          .then(
            (report) => `${report.outcome}: ${report.imported.toLocaleString('en')} enrolled, ${report.errors.length.toLocaleString('en')} row errors`,
            (error: unknown) => {
              if (error instanceof ImportLimitExceeded) return `422 ${error.rule}`;
              throw error;
            },
          )
      : '—';
    return { outcome, seconds: (performance.now() - started) / 1000, rssBefore, peak: process.resourceUsage().maxRSS * 1024 };
  } finally {
    await app.close();
    await runtime.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

function inChild(path: string | undefined, databaseUrl: string | undefined): Promise<Measurement> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl ?? '' };
    const child = fork(fileURLToPath(import.meta.url), ['--measure', ...(path ? [path] : [])], { cwd: ROOT, env });
    let result: Measurement | undefined;
    child.on('message', (message) => (result = message as Measurement));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolvePromise(result) : reject(new Error(`the measuring process exited with ${code}`))));
  });
}

const mib = (bytes: number) => (bytes / MiB).toLocaleString('en', { maximumFractionDigits: 0 });
const size = (bytes: number) =>
  bytes < MiB
    ? `${(bytes / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} KiB`
    : `${(bytes / MiB).toLocaleString('en', { maximumFractionDigits: 1 })} MiB`;

async function main(): Promise<void> {
  const reportPath = resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/benchmarks.md');
  const folder = mkdtempSync(join(tmpdir(), 'hsb-bench-upload-files-'));
  const started = performance.now();
  const rows: string[] = [];
  let server: ThrowawayPostgres | undefined;
  let idle = 0;
  let worst = 0;
  try {
    log('the embedded database alone, for comparison');
    const embedded = await inChild(undefined, undefined);
    log('starting a throwaway PostgreSQL server');
    server = await startThrowawayPostgres({ durable: false });
    for (const [n, scenario] of scenarios().entries()) {
      const path = scenario.file ? join(folder, `${n}.xlsx`) : undefined;
      if (path) writeFileSync(path, scenario.file!);
      log(`${scenario.name}…`);
      const result = await inChild(path, await createDatabase(server.url, `bench_uploads_${n}`));
      log(`  ${result.outcome} in ${result.seconds.toFixed(2)} s, peak RSS ${mib(result.peak)} MiB`);
      if (!scenario.file) idle = result.peak;
      worst = Math.max(worst, result.peak);
      rows.push(
        `| ${scenario.name} | ${scenario.file ? size(scenario.file.length) : '—'} | ${result.outcome} | ${result.seconds.toFixed(2)} | ${mib(result.rssBefore)} | ${mib(result.peak)} |`,
      );
    }
    const env = machine();
    const report = [
      '# Upload benchmark',
      '',
      `Measured ${new Date().toISOString()} by \`npm run bench:uploads\` (bench/uploads.bench.ts) in ${((performance.now() - started) / 1000).toFixed(0)} s. Regenerate it with the same command, which rewrites this section only.`,
      '',
      `Machine: ${env.cpu}, ${env.memory}, ${env.os}, Node.js ${env.node}; PostgreSQL ${server.version}; exceljs ${packageVersion('exceljs')}, yauzl ${packageVersion('yauzl')}.`,
      '',
      'Each file is imported by a fresh process with the default limits, through `BeneficiaryImports.import`, which `POST /beneficiaries/imports` and `cli import` call, on a PostgreSQL server of its own (the embedded database lives in the process: its memory would hide the import\'s). The files are written by the benchmark. "RSS before": once the database and the application are open. "Peak": the process\'s largest resident memory from its start to the end of the import (`maxRSS`).',
      '',
      '| file | size | answer | seconds | RSS before (MiB) | peak RSS (MiB) |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `Bound: no file took the process above ${mib(worst)} MiB, ${mib(worst - idle)} MiB over its idle peak of ${mib(idle)} MiB. On the embedded database (PGlite ${packageVersion('@electric-sql/pglite')}, in the process) the idle process alone peaks at ${mib(embedded.peak)} MiB. Before the streamed reader (issue 14), the sheet with one cell at row 3,000,000 ran the process out of memory, a 500 MiB bomb was accepted after 12 s and a 3.4 MiB one took 4 GB.`,
    ].join('\n');
    console.log(report);
    writeSection(reportPath, 'uploads', report);
    log(`written to ${reportPath}`);
  } finally {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3]).then(
    (result) => process.send!(result, () => process.disconnect()),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
} else {
  await main();
}
