import { constants, crc32, deflateRawSync } from 'node:zlib';

/** One file of a zip archive: its name, its deflated bytes, and what its headers declare. */
export interface ZipEntry {
  readonly name: string;
  readonly deflated: Buffer;
  readonly declaredSize: number;
  readonly crc: number;
}

export function entryOf(name: string, text: string): ZipEntry {
  const data = Buffer.from(text);
  return { name, deflated: deflateRawSync(data), declaredSize: data.length, crc: crc32(data) };
}

/**
 * An entry that inflates to `head`, `middle` `times` over, then `tail`, built without holding
 * what it inflates to: each part is deflated on its own and ends on a byte boundary
 * (`Z_SYNC_FLUSH`), so one compressed `middle` repeated is a valid stream. It declares
 * `declaredSize` and no checksum: what a zip bomb sends.
 */
export function bombOf(name: string, parts: { head: string; middle: string; times: number; tail: string }, declaredSize: number): ZipEntry {
  const flushed = (text: string) => deflateRawSync(Buffer.from(text), { finishFlush: constants.Z_SYNC_FLUSH });
  const middle = flushed(parts.middle);
  const deflated = Buffer.concat([flushed(parts.head), ...Array.from({ length: parts.times }, () => middle), deflateRawSync(Buffer.from(parts.tail))]);
  return { name, deflated, declaredSize, crc: 0 };
}

/** A zip archive whose local headers and central directory state each entry's declared size. */
export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflated
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.deflated.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.deflated);
    directory.push(central, name);
    offset += local.length + name.length + entry.deflated.length;
  }
  const size = directory.reduce((total, part) => total + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a one-sheet workbook around its sheet, as Excel names them. */
export const WORKBOOK_PARTS: readonly ZipEntry[] = [
  entryOf(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  ),
  entryOf(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ),
  entryOf(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ),
  entryOf(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  ),
];

export const SHEET = 'xl/worksheets/sheet1.xml';
export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`;
export const SHEET_TAIL = '</sheetData></worksheet>';

/** A column's letters: 1 → A, 27 → AA, 16384 → XFD. */
function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A row of text cells from column A, written as Excel writes text it does not share. */
export function rowXml(row: number, values: readonly string[]): string {
  const cells = values.map((value, n) => `<c r="${columnName(n + 1)}${row}" t="inlineStr"><is><t>${value}</t></is></c>`).join('');
  return `<row r="${row}">${cells}</row>`;
}

/** A one-sheet workbook holding `rows` (sheet XML), written directly as zip entries. */
export const workbookOf = (rows: string): Buffer => zipOf([...WORKBOOK_PARTS, entryOf(SHEET, `${SHEET_HEAD}${rows}${SHEET_TAIL}`)]);
