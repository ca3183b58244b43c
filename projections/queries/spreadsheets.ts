import ExcelJS from 'exceljs';

export type Cell = string | number | null;

function csvCell(value: Cell): string {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV (UTF-8 with a byte-order mark, so Excel reads the Vietnamese headings right). */
export function csvOf(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One sheet with a bold heading row; `widths` per column. */
export async function xlsxOf(sheetName: string, header: readonly string[], rows: readonly (readonly Cell[])[], widths: readonly number[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Health-care support back office';
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...header]).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  sheet.columns.forEach((column, index) => (column.width = widths[index] ?? 16));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
