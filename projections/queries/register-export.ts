import type { Pool } from 'pg';
import { liveSchemaOf } from '#projections';
import { registers } from '../registers/registers.projection.js';
import { type Cell, csvOf, xlsxOf } from './spreadsheets.js';

const R = liveSchemaOf(registers);

/**
 * The beneficiary list's columns, in order: as units fill in the import template, headed in
 * Vietnamese with the English below, and as the register is exported, so an export imports back.
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

const HEADER = [...REGISTER_LIST_COLUMNS.map((column) => column.vi), 'Trạng thái', BENEFICIARY_ID_HEADING];

/** A calendar date (YYYY-MM-DD) as the register's files write it. */
export const ddmmyyyy = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** What the name cell says of a person whose personal data was erased (their national id and date of birth are left empty). */
export const ERASED_NAME = '(đã xóa dữ liệu cá nhân / personal data erased)';

/** The whole beneficiary register as it stands, in the import template's column order (then status and id). */
async function registerRows(pool: Pool): Promise<Cell[][]> {
  const { rows } = await pool.query<{ full_name: string | null; date_of_birth: string | null; national_id: string | null; title: string; administrative_unit: string; current_group: number; enrolled_from: string; status: string; beneficiary_id: string }>(
    `SELECT full_name, date_of_birth, national_id, title, administrative_unit, current_group, enrolled_from, status, beneficiary_id FROM ${R}.beneficiaries ORDER BY administrative_unit, full_name, beneficiary_id`,
  );
  return rows.map((row) => [row.full_name ?? ERASED_NAME, row.date_of_birth === null ? null : ddmmyyyy(row.date_of_birth), row.national_id, row.title, row.administrative_unit, row.current_group, ddmmyyyy(row.enrolled_from), row.status, row.beneficiary_id]);
}

export async function registerExport(pool: Pool, format: 'csv' | 'xlsx'): Promise<{ rows: number; body: string | Buffer }> {
  const rows = await registerRows(pool);
  return { rows: rows.length, body: format === 'csv' ? csvOf(HEADER, rows) : await xlsxOf('Danh sách đối tượng', HEADER, rows, [28, 12, 18, 30, 24, 10, 14, 12, 38]) };
}
