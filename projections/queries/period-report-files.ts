import { type Issue, type Letterhead, shortDate } from '#documents';
import { COUNT_FORMAT, officialWorkbook, VND_FORMAT } from './official-workbook.js';
import { type Changes, type Compared, type Figures, PER_DAY_REGIMES, type Period } from './period-report.js';
import type { PeriodReport } from './period-report-reads.js';
import { REGIME_HEADINGS } from './regime-headings.js';
import { csvOf } from './spreadsheets.js';

const ROMAN = ['I', 'II', 'III', 'IV'];
const PERCENT_FORMAT = '[$-42A]#,##0.0"%"';

/** "tháng 01/2025", "quý I/2025": a period as the report names it. */
function periodName(report: PeriodReport, period: Period): string {
  const [year, month] = period.from.split('-');
  return report.kind === 'month' ? `Tháng ${month}/${year}` : `Quý ${ROMAN[(Number(month) - 1) / 3]}/${year}`;
}

const title = (report: PeriodReport, subject: string) =>
  `Tình hình thực hiện ${subject} ${report.kind === 'month' ? `tháng ${String(report.number).padStart(2, '0')}` : `quý ${ROMAN[report.number - 1]}`} năm ${report.year}`;

function header(report: PeriodReport): string[] {
  const { periods } = report;
  const change = ['Tăng/giảm', '%'];
  return [
    'Đơn vị',
    'Chế độ',
    'Chỉ tiêu',
    periodName(report, periods.period),
    periodName(report, periods.previous),
    ...change,
    periodName(report, periods.sameLastYear),
    ...change,
    `Lũy kế đến ${shortDate(periods.yearToDate.to)}`,
    `Cùng kỳ đến ${shortDate(periods.yearToDateLastYear.to)}`,
    ...change,
  ];
}

const MEASURE_LABELS: readonly [keyof Figures, string][] = [
  ['visits', 'Số lượt'],
  ['people', 'Số người'],
  ['days', 'Số ngày'],
  ['amount', 'Số tiền (đồng)'],
];

/** Where a unit's services count: its name, or what stands for none. */
const unitName = (unit: string) => (unit === 'staff' ? 'Cán bộ làm công tác bảo vệ sức khỏe' : unit === '' ? 'Chưa xác định đơn vị' : unit);

/** One row per measure: the period, the period before and the same period a year earlier, since 1 January, each change beside. */
function measureRows(unit: string, label: string, figures: Compared, withDays: boolean): (string | number)[][] {
  const change = (changes: Changes, measure: keyof Figures) => [changes[measure].difference, changes[measure].percent ?? ''];
  return MEASURE_LABELS.filter(([measure]) => withDays || measure !== 'days').map(([measure, name]) => [
    unit,
    label,
    name,
    figures.period[measure],
    figures.previous[measure],
    ...change(figures.vsPrevious, measure),
    figures.sameLastYear[measure],
    ...change(figures.vsSameLastYear, measure),
    figures.yearToDate[measure],
    figures.yearToDateLastYear[measure],
    ...change(figures.yearToDateVsLastYear, measure),
  ]);
}

const CHECKS = 'Khám sức khỏe định kỳ, khám sàng lọc miễn phí (phải trả cơ sở khám)';

/**
 * The universal health checks' rows, after the budget's, where there were any: the province, each
 * unit of residence, then each facility with what it is owed. Apart, since a fee payable is not paid.
 */
function checkRows({ healthChecks }: PeriodReport): (string | number)[][] {
  if (healthChecks.units.length === 0) return [];
  return [
    ...measureRows('Toàn tỉnh', CHECKS, healthChecks.total, false),
    ...healthChecks.units.flatMap((unit) => measureRows(unitName(unit.administrativeUnit), CHECKS, unit.total, false)),
    ...healthChecks.facilities.flatMap((facility) => measureRows(facility.facility, `${CHECKS}: cơ sở khám`, facility.total, false)),
  ];
}

/** The report's rows, one table: the whole province (every regime), then each unit with the regimes it has, then the health checks. */
function rows(report: PeriodReport): (string | number)[][] {
  const regime = (code: string) => `${code}. ${REGIME_HEADINGS[code]}`;
  return [
    ...measureRows('Toàn tỉnh', 'Tổng cộng', report.total, true),
    ...report.regimes.flatMap((line) => measureRows('Toàn tỉnh', regime(line.code), line.figures, PER_DAY_REGIMES.includes(line.code))),
    ...report.units.flatMap((unit) => [
      ...measureRows(unitName(unit.administrativeUnit), 'Tổng cộng', unit.total, true),
      ...unit.regimes.flatMap((line) => measureRows(unitName(unit.administrativeUnit), regime(line.code), line.figures, PER_DAY_REGIMES.includes(line.code))),
    ]),
    ...checkRows(report),
  ];
}

const SOURCE = 'Nhật ký: vị trí, mã băm SHA-256';
const source = (report: PeriodReport) => `Nhật ký: vị trí ${report.position}${report.logHash ? `, mã băm SHA-256 ${report.logHash}` : ''}`;
/** The percentage columns (1-based): each comparison's second column. */
const PERCENT_COLUMNS = [7, 10, 14];

/** The report as CSV, the same rows as the workbook, and the log they came from as the last row. */
export function periodReportCsv(report: PeriodReport): string {
  const head = header(report);
  return csvOf(head, [...rows(report), [SOURCE, report.position, report.logHash ?? '', ...head.slice(3).map(() => '')]]);
}

/** The report as the office's Excel workbook, in Vietnamese, labels beside figures, on one landscape page width. */
export function periodReportXlsx(report: PeriodReport, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  return officialWorkbook(
    {
      sheetName: periodName(report, report.periods.period).replace('/', '-'),
      titles: [title(report, letterhead.reportSubject)],
      asOf: report.asOf,
      header: header(report),
      rows: rows(report),
      labelColumns: 3,
      formatOf: (values, column) => (PERCENT_COLUMNS.includes(column) ? PERCENT_FORMAT : values[2] === 'Số tiền (đồng)' ? VND_FORMAT : COUNT_FORMAT),
      widths: [22, 34, 14, 14, 14, 13, 8, 14, 13, 8, 15, 15, 13, 8],
      source: source(report),
    },
    letterhead,
    issue,
  );
}
