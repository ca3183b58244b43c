import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { addRow, type Cell, neutralised } from '#application/ports';

// Cells are neutralised as the beneficiary import reads them back: the rule is the application's.
export { addRow, type Cell, unneutralised } from '#application/ports';

/** CSV (UTF-8 with a byte-order mark, so Excel reads the Vietnamese headings right). */
export function csvOf(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  // Naming the record delimiter turns off csv-stringify's quoting of a lone \r or \n, which a spreadsheet would read as a new row.
  return stringify(
    [header, ...rows].map((row) => row.map(neutralised)),
    { bom: true, record_delimiter: '\r\n', quote_record_delimiter: true },
  );
}

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
