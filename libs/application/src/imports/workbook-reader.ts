import { pipeline, type Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { ImportLimits } from '../ports/index.js';

/** An upload holding more than a configured limit allows: refused whole, nothing recorded. */
export class ImportLimitExceeded extends Error {
  override readonly name = 'ImportLimitExceeded';
  constructor(
    readonly rule: 'TooManyRows' | 'TooManyCells' | 'SheetTooLarge',
    /** The setting that holds the limit. */
    readonly limit: 'IMPORT_MAX_ROWS' | 'IMPORT_MAX_CELLS' | 'IMPORT_MAX_SHEET_BYTES',
    readonly max: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The parts of exceljs's streaming reader that read one part of a workbook each. Its own walk of
 * the archive (unzipper over the local headers) believes whatever sizes they state, never checks
 * how much an entry inflates to, and spools every sheet that comes before the shared strings (where
 * Excel puts them) to a temporary file; so the archive is opened here from its central directory,
 * and exceljs is handed each part once it has passed the size limit.
 */
interface PartReaders {
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseStyles(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<never>;
  _parseWorksheet(part: Readable, sheetNo: string): Generator<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
  readonly workbookRels?: readonly { readonly Id: string; readonly Target: string }[];
  readonly model?: { readonly sheets?: readonly { readonly rId: string }[] };
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
const STYLES = 'xl/styles.xml';
const SHARED_STRINGS = 'xl/sharedStrings.xml';

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} MiB`;

/**
 * The archive's entries of the given names, from its central directory: what each declares is
 * known before anything is inflated. Other entries are never read.
 */
async function entriesNamed(file: Buffer, names: ReadonlySet<string>): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  // Sizes are held to the configured limit as the parts inflate, naming it; yauzl's own check would only say the entry lied.
  const zip = await yauzl.fromBufferPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: false });
  const entries = new Map<string, yauzl.Entry>();
  for await (const entry of zip.eachEntry()) if (names.has(entry.fileName)) entries.set(entry.fileName, entry);
  return { zip, entries };
}

/** One part of the workbook, inflated, refused as soon as its declared or its inflated size passes the limit. */
async function inflated(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: ImportLimits): Promise<Readable> {
  const tooLarge = () =>
    new ImportLimitExceeded(
      'SheetTooLarge',
      'IMPORT_MAX_SHEET_BYTES',
      limits.maxSheetBytes,
      `${entry.fileName} of the workbook holds more than ${mebibytes(limits.maxSheetBytes)}; split the list into smaller files`,
    );
  if (entry.uncompressedSize > limits.maxSheetBytes) throw tooLarge();
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > limits.maxSheetBytes ? tooLarge() : null, chunk);
    },
  });
  // Errors of either stream reach `counted`, the one read; the callback only keeps them from being thrown twice.
  return pipeline(await zip.openReadStreamPromise(entry), counted, () => {});
}

/** Where a relationship's target lies in the archive: relative to `xl/`, or from the root. */
const partPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`);

/**
 * The rows of a workbook's first sheet, streamed: at most `maxRows` rows and `maxCells` cells
 * holding a value, every part read at most `maxSheetBytes` long, or {@link ImportLimitExceeded}.
 * Anything else wrong with the file (not a zip, no sheet, broken XML) is thrown as it comes.
 */
export async function* rowsOfFirstSheet(file: Buffer, limits: ImportLimits): AsyncGenerator<ExcelJS.Row> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(undefined as never, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as PartReaders;
  const parts = await entriesNamed(file, new Set([WORKBOOK, WORKBOOK_RELS, STYLES, SHARED_STRINGS]));
  let sheet: { zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> } | undefined;
  try {
    const part = (name: string) => {
      const entry = parts.entries.get(name);
      if (!entry) throw new Error(`the workbook has no ${name}`);
      return inflated(parts.zip, entry, limits);
    };
    await reader._parseWorkbook(await part(WORKBOOK));
    await reader._parseRels(await part(WORKBOOK_RELS));
    if (parts.entries.has(STYLES)) await reader._parseStyles(await part(STYLES));
    // Cached by the reader as they are read: the generator yields nothing.
    if (parts.entries.has(SHARED_STRINGS)) for (const strings = reader._parseSharedStrings(await part(SHARED_STRINGS)); !(await strings.next()).done;);

    const first = reader.model?.sheets?.[0];
    const target = reader.workbookRels?.find((relationship) => relationship.Id === first?.rId)?.Target;
    if (!target) throw new Error('the workbook names no sheet');
    // A second pass over the central directory: keeping every entry that might be a sheet would let an archive of a million names fill the memory.
    sheet = await entriesNamed(file, new Set([partPath(target)]));
    const entry = sheet.entries.get(partPath(target));
    if (!entry) throw new Error(`the workbook has no ${partPath(target)}`);
    const [worksheet] = reader._parseWorksheet(await inflated(sheet.zip, entry, limits), '1');

    let rows = 0;
    let cells = 0;
    for await (const row of worksheet.value) {
      rows += 1;
      cells += row.actualCellCount;
      if (rows > limits.maxRows)
        throw new ImportLimitExceeded(
          'TooManyRows',
          'IMPORT_MAX_ROWS',
          limits.maxRows,
          `the sheet holds more than ${limits.maxRows.toLocaleString('en')} rows; split the list into smaller files`,
        );
      if (cells > limits.maxCells)
        throw new ImportLimitExceeded(
          'TooManyCells',
          'IMPORT_MAX_CELLS',
          limits.maxCells,
          `the sheet holds more than ${limits.maxCells.toLocaleString('en')} cells; keep only the template's columns, or split the list`,
        );
      yield row;
    }
  } finally {
    parts.zip.close();
    sheet?.zip.close();
  }
}
