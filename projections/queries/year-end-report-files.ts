import { count, dong, figuresAsOf, type Issue, type Letterhead, OfficialDocument, shortDate } from '#documents';
import { COUNT_FORMAT, officialWorkbook, VND_FORMAT } from './official-workbook.js';
import { csvOf } from './spreadsheets.js';
import { type RegimeLine, type YearEndReport } from './year-end-report.js';

const GROUPS = ['1', '2', '3', '4', '5', '6'];
const title = (year: number, subject: string) => `Kết quả thực hiện ${subject} năm ${year}`;

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
  return table;
}

/** Which log the figures came from (its position and the hash chain there, see `cli verify`): for auditors, not for the officer reading the report. */
const SOURCE = 'Nhật ký: vị trí, mã băm SHA-256';
const source = (report: YearEndReport) => `Nhật ký: vị trí ${report.position}${report.logHash ? `, mã băm SHA-256 ${report.logHash}` : ''}`;

const HEADER = ['Nội dung', 'Chỉ tiêu', 'Tổng', ...GROUPS.map((group) => `Đối tượng ${group}`)];

/** The report as CSV, the same rows as the workbook, and the log they came from as the last row. */
export function yearEndReportCsv(report: YearEndReport): string {
  return csvOf(HEADER, [...rows(report), [SOURCE, report.position, report.logHash ?? '', '', '', '', '', '', '']]);
}

/** The report as the office's Excel workbook (see `officialWorkbook`). */
export function yearEndReportXlsx(report: YearEndReport, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  return officialWorkbook(
    {
      sheetName: `Báo cáo năm ${report.year}`,
      titles: [title(report.year, letterhead.reportSubject)],
      asOf: report.asOf,
      header: HEADER,
      rows: rows(report),
      labelColumns: 2,
      formatOf: (values) => (String(values[1]).endsWith('(đồng)') ? VND_FORMAT : COUNT_FORMAT),
      widths: [40, 14],
      source: source(report),
    },
    letterhead,
    issue,
  );
}

const groupName = (group: string) => (group === 'unknown' ? 'Đối tượng khác' : `Đối tượng ${group}`);

/** "Đối tượng 1: 1 thẻ, Đối tượng 3: 13 thẻ": the groups that have any. */
const byGroup = (values: Record<string, number>, unit: string) =>
  Object.entries(values)
    .filter(([, value]) => value !== 0)
    .map(([group, value]) => `${groupName(group)}: ${count(value)} ${unit}`)
    .join(', ');

/** "(Đối tượng 3: 2 lượt, 1.400.000 đồng; …)": a regime's activity and amount per group. */
const regimeByGroup = (lines: Record<string, RegimeLine>, unit: string) =>
  Object.entries(lines)
    .map(([group, line]) => `${groupName(group)}: ${count(unit === 'ngày' ? line.units : line.payouts)} ${unit}, ${dong(line.amount)}`)
    .join('; ');

/**
 * The report as the office's PDF document, in the layout of section II.2 of the province's
 * year-end report: cards, the register by group, then each regime's activity and amount, the total,
 * what retroactive changes left to recover, and the signature block.
 */
export function yearEndReportPdf(report: YearEndReport, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  const { cards, beneficiaries } = report;
  const document = OfficialDocument.begin(letterhead, 'report', issue, `Báo cáo năm ${report.year}`);
  document.title('BÁO CÁO', title(report.year, letterhead.reportSubject));
  if (report.asOf) document.note(figuresAsOf(new Date(report.asOf)));
  document
    .heading('1. Cấp thẻ bảo vệ sức khỏe')
    .paragraph(
      `Trong năm ${report.year}, tổng số thẻ bảo vệ sức khỏe đã cấp là ${count(cards.issued)} thẻ, trong đó: ` +
        `cấp mới: ${count(cards.newCards.total)} thẻ${cards.newCards.total ? ` (${byGroup(cards.newCards.byGroup, 'thẻ')})` : ''}; ` +
        `cấp đổi thẻ: ${count(cards.reissued.total)} thẻ${cards.reissued.total ? ` (${byGroup(cards.reissued.byGroup, 'thẻ')})` : ''}.`,
    )
    .paragraph(
      `Tổng số đối tượng bảo vệ, chăm sóc sức khỏe tại ngày ${shortDate(`${report.year}-12-31`)} là ${count(beneficiaries.total)} người` +
        `${beneficiaries.total ? ` (${byGroup(beneficiaries.byGroup, 'người')})` : ''}.`,
    )
    .heading('2. Tình hình chi trả của từng chế độ và tổng số kinh phí đã chi')
    .paragraph(`Tổng số kinh phí thực hiện các chính sách là ${dong(report.totalAmount)}; cụ thể như sau:`)
    .table(
      [
        { header: 'Chế độ', width: 14 },
        { header: 'Số lượt', width: 3, align: 'right' },
        { header: 'Số người', width: 3, align: 'right' },
        { header: 'Số ngày', width: 3, align: 'right' },
        { header: 'Số tiền (đồng)', width: 5, align: 'right' },
      ],
      [
        ...report.regimes.map((regime) => ({
          cells: [
            `${regime.code}) ${regime.heading}`,
            count(regime.payouts),
            count(regime.people),
            regime.code === 'b' || regime.code === 'c' ? count(regime.units) : '',
            count(regime.amount),
          ],
        })),
        { cells: ['Tổng cộng', '', '', '', count(report.totalAmount)], bold: true },
      ],
    );
  for (const regime of report.regimes) {
    const unit = regime.code === 'b' || regime.code === 'c' ? 'ngày' : 'lượt';
    const activity = unit === 'ngày' ? regime.units : regime.payouts;
    document.paragraph(
      regime.payouts === 0
        ? `${regime.code}) ${regime.heading}: chưa phát sinh chi trả.`
        : `${regime.code}) ${regime.heading}: ${count(activity)} ${unit} cho ${count(regime.people)} người (${regimeByGroup(regime.byGroup, unit)}); ` +
            `tổng số tiền là ${dong(regime.amount)}.`,
    );
  }
  const { toRecover, recovered, writtenOff } = report.recoveries;
  document
    .heading('3. Thu hồi do điều chỉnh hồi tố')
    .paragraph(`Số còn phải thu hồi: ${dong(toRecover)}; số đã thu hồi: ${dong(recovered)}; số đã xóa nợ: ${dong(writtenOff)}.`)
    .signature(['Lưu: VT.'])
    .smallPrint(source(report));
  return document.finish();
}
