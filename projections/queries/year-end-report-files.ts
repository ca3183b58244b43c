import ExcelJS from 'exceljs';
import { addRow, csvOf } from './spreadsheets.js';
import { type YearEndReport } from './year-end-report.js';

const GROUPS = ['1', '2', '3', '4', '5', '6'];
const VND_FORMAT = '#,##0 "₫"';

/** The report's rows, one table: the same content in CSV and in the spreadsheet. */
function rows(report: YearEndReport): (string | number)[][] {
  const table: (string | number)[][] = [];
  const groupCells = (values: Record<string, number>) => GROUPS.map((group) => values[group] ?? 0);
  table.push(['Đối tượng trên địa bàn', '', report.beneficiaries.total, ...groupCells(report.beneficiaries.byGroup)]);
  table.push(['Thẻ cấp mới', '', report.cards.newCards.total, ...groupCells(report.cards.newCards.byGroup)]);
  table.push(['Thẻ cấp đổi', '', report.cards.reissued.total, ...groupCells(report.cards.reissued.byGroup)]);
  for (const regime of report.regimes) {
    const pick = (key: 'payouts' | 'units' | 'amount') => GROUPS.map((group) => regime.byGroup[group]?.[key] ?? 0);
    table.push([`${regime.code}. ${regime.heading}`, 'Số lượt', regime.payouts, ...pick('payouts')]);
    if (regime.code === 'b' || regime.code === 'c') table.push([`${regime.code}. ${regime.heading}`, 'Số ngày', regime.units, ...pick('units')]);
    table.push([`${regime.code}. ${regime.heading}`, 'Số tiền (đồng)', regime.amount, ...pick('amount')]);
  }
  table.push(['Tổng kinh phí', 'Số tiền (đồng)', report.totalAmount, '', '', '', '', '', '']);
  const { toRecover, recovered, writtenOff } = report.recoveries;
  table.push(['Thu hồi do điều chỉnh hồi tố', 'Còn phải thu (đồng)', toRecover, '', '', '', '', '', '']);
  table.push(['Thu hồi do điều chỉnh hồi tố', 'Đã thu hồi (đồng)', recovered, '', '', '', '', '', '']);
  table.push(['Thu hồi do điều chỉnh hồi tố', 'Đã xóa nợ (đồng)', writtenOff, '', '', '', '', '', '']);
  table.push([SOURCE, report.position, report.logHash ?? '', '', '', '', '', '', '']);
  return table;
}

/** The last row: which log the figures came from (its position and the hash chain there, see `cli verify`). */
const SOURCE = 'Nhật ký: vị trí, mã băm SHA-256';

const HEADER = ['Nội dung', 'Chỉ tiêu', 'Tổng', ...GROUPS.map((group) => `Đối tượng ${group}`)];

/** The report as CSV, the same rows as the workbook. */
export function yearEndReportCsv(report: YearEndReport): string {
  return csvOf(HEADER, rows(report));
}

/** The report as an Excel workbook: Vietnamese headings, amounts formatted as VND. */
export async function yearEndReportXlsx(report: YearEndReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Health-care support back office';
  const sheet = workbook.addWorksheet(`Báo cáo năm ${report.year}`);
  addRow(sheet, [`Kết quả thực hiện Nghị quyết số 24/2024/NQ-HĐND năm ${report.year}`]).font = { bold: true, size: 14 };
  addRow(sheet, [`Số liệu tại vị trí nhật ký ${report.position}`]);
  addRow(sheet, HEADER).font = { bold: true };
  for (const values of rows(report)) {
    const row = addRow(sheet, values);
    if (values[1] === 'Số tiền (đồng)') row.eachCell((cell, column) => column >= 3 && (cell.numFmt = VND_FORMAT));
  }
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 52 : index === 1 ? 16 : 18));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
