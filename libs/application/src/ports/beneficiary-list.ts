import type ExcelJS from 'exceljs';

/**
 * The beneficiary list's columns, in order: as units fill in the import template, headed in
 * Vietnamese with the English below, and as the register is exported (a read model), so an
 * export imports back.
 */
export const REGISTER_LIST_COLUMNS = [
  { key: 'fullName', vi: 'Họ và tên', en: 'Full name' },
  { key: 'dateOfBirth', vi: 'Ngày sinh (dd/mm/yyyy)', en: 'Date of birth' },
  { key: 'nationalId', vi: 'Số định danh cá nhân (CCCD)', en: 'National id number' },
  { key: 'title', vi: 'Chức vụ', en: 'Title' },
  { key: 'administrativeUnit', vi: 'Đơn vị', en: 'Administrative unit' },
  { key: 'group', vi: 'Đối tượng (1–6)', en: 'Beneficiary group (1–6)' },
  { key: 'from', vi: 'Hưởng từ ngày (dd/mm/yyyy)', en: 'Covered from' },
] as const;

/** The heading of the export's last column: an exported row names its person by it when imported back. */
export const BENEFICIARY_ID_HEADING = 'Mã đối tượng';

/** What the name cell says of a person whose personal data was erased (their national id and date of birth are left empty). */
export const ERASED_NAME = '(đã xóa dữ liệu cá nhân / personal data erased)';

/** A calendar date (YYYY-MM-DD) as the register's files write it. */
export const ddmmyyyy = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

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

/** Adds a row of cells to a sheet, every text cell {@link neutralised}. */
export const addRow = (sheet: ExcelJS.Worksheet, cells: readonly Cell[]): ExcelJS.Row => sheet.addRow(cells.map(neutralised));
