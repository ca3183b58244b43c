import ExcelJS from 'exceljs';
import { dateInWords, documentNumber, figuresAsOf, type Issue, type Letterhead, NATIONAL_MOTTO, NATIONAL_NAME } from '#documents';
import { addRow, type Cell } from './spreadsheets.js';

// Vietnamese grouping (1.234.567) whatever the locale of the program that opens the file: [$-42A] is vi-VN.
export const VND_FORMAT = '[$-42A]#,##0 "₫"';
export const COUNT_FORMAT = '[$-42A]#,##0';

/** A report's table and what goes around it in the office's workbook. */
export interface OfficialTable {
  readonly sheetName: string;
  /** The lines under "BÁO CÁO": what the report is of. */
  readonly titles: readonly string[];
  /** When the log reached the report's position (ISO), printed as the moment the figures stand at. */
  readonly asOf: string | null;
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Columns 1 to this hold labels; the figures after them take `formatOf`'s number format. */
  readonly labelColumns: number;
  /** A figure's number format, from its row and column (1-based). */
  readonly formatOf: (row: readonly Cell[], column: number) => string;
  readonly widths: readonly number[];
  /** Which log the figures came from, in small print for auditors. */
  readonly source: string;
}

const THIN = { style: 'thin' } as const;
const BOXED: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * A report as an Excel workbook laid out as the office prints it: the letterhead and national
 * header, the table with its labels beside the figures, on one landscape page width (its heading
 * row repeated on each page down), the moment the figures stand at in words, the signature block,
 * and the log position in small print for auditors.
 */
export async function officialWorkbook(table: OfficialTable, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = letterhead.issuer;
  const sheet = workbook.addWorksheet(table.sheetName, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.6, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
  });
  const last = table.header.length;
  /** One line of text across columns `from`–`to`. */
  const line = (from: number, to: number, text: string, font: Partial<ExcelJS.Font> = {}, row = sheet.rowCount + 1) => {
    const cell = sheet.getCell(row, from);
    if (to > from) sheet.mergeCells(row, from, row, to);
    cell.value = text;
    cell.font = { name: 'Times New Roman', size: 12, ...font };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    return row;
  };

  const first = line(1, 3, letterhead.parentBody ?? letterhead.issuer, { bold: !letterhead.parentBody });
  line(5, last, NATIONAL_NAME, { bold: true }, first);
  const second = line(1, 3, letterhead.parentBody ? letterhead.issuer : documentNumber(letterhead, 'report', issue.number), { bold: !!letterhead.parentBody });
  line(5, last, NATIONAL_MOTTO, { bold: true, underline: true }, second);
  const third = letterhead.parentBody ? line(1, 3, documentNumber(letterhead, 'report', issue.number)) : sheet.rowCount + 1;
  line(5, last, `${letterhead.place}, ${dateInWords(issue.date)}`, { italic: true }, third);
  sheet.addRow([]);
  line(1, last, 'BÁO CÁO', { bold: true, size: 14 });
  for (const title of table.titles) line(1, last, title, { bold: true });
  if (table.asOf) line(1, last, figuresAsOf(new Date(table.asOf)), { italic: true });
  sheet.addRow([]);

  const heading = addRow(sheet, table.header);
  heading.font = { name: 'Times New Roman', bold: true };
  heading.eachCell((cell) => {
    cell.border = BOXED;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  sheet.pageSetup.printTitlesRow = `${heading.number}:${heading.number}`;
  for (const values of table.rows) {
    const row = addRow(sheet, values);
    row.font = { name: 'Times New Roman' };
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.border = BOXED;
      if (column <= table.labelColumns) cell.alignment = { wrapText: true, vertical: 'middle' };
      else cell.numFmt = table.formatOf(values, column);
    });
  }

  sheet.addRow([]);
  const signed = sheet.rowCount + 1;
  line(1, 2, 'Nơi nhận:', { bold: true, italic: true, size: 11 }, signed);
  line(6, last, letterhead.signerTitle, { bold: true }, signed);
  line(1, 2, '- Lưu: VT.', { size: 10 }, signed + 1);
  line(6, last, '(Ký, ghi rõ họ tên và đóng dấu)', { italic: true, size: 11 }, signed + 1);
  sheet.addRows([[], [], []]);
  line(6, last, letterhead.signerName ?? '', { bold: true });
  sheet.addRow([]);
  const small = line(1, last, table.source, { size: 7, color: { argb: 'FF666666' } });
  sheet.getCell(small, 1).alignment = { horizontal: 'left' };

  sheet.columns.forEach((column, index) => (column.width = table.widths[index] ?? 16));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
