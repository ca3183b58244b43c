import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

/**
 * How text starts that a spreadsheet runs as a formula (= + - @), or that it runs once a user
 * edits the cell or it is saved again as CSV (a tab or a carriage return before one): OWASP's list
 * for CSV injection.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as every file the system writes holds it: text that could run as a formula gets a single
 * quote before it, so it is shown as written and never run. Numbers stay numbers (a negative
 * amount is a number, not text).
 */
export const neutralised = (cell: Cell): Cell => (typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell);

/** Text read back from a file the system wrote, as it was before {@link neutralised}: an exported register imports unchanged. */
export const unneutralised = (text: string): string => (text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text);

/** CSV (UTF-8 with a byte-order mark, so Excel reads the Vietnamese headings right). */
export function csvOf(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  // Naming the record delimiter turns off csv-stringify's quoting of a lone \r or \n, which a spreadsheet would read as a new row.
  return stringify([header, ...rows].map((row) => row.map(neutralised)), { bom: true, record_delimiter: '\r\n', quote_record_delimiter: true });
}

/** Adds a row of cells to a sheet, every text cell {@link neutralised}. */
export const addRow = (sheet: ExcelJS.Worksheet, cells: readonly Cell[]): ExcelJS.Row => sheet.addRow(cells.map(neutralised));

/** One sheet with a bold heading row; `widths` per column. */
export async function xlsxOf(sheetName: string, header: readonly string[], rows: readonly (readonly Cell[])[], widths: readonly number[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Health-care support back office';
  const sheet = workbook.addWorksheet(sheetName);
  addRow(sheet, header).font = { bold: true };
  for (const row of rows) addRow(sheet, row);
  sheet.columns.forEach((column, index) => (column.width = widths[index] ?? 16));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
