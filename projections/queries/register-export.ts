import type { Pool } from 'pg';
import { BENEFICIARY_ID_HEADING, ddmmyyyy, ERASED_NAME, REGISTER_LIST_COLUMNS } from '#application/ports';
import { liveSchemaOf } from '#projection-runner';
import { registers } from '../registers/registers.projection.js';
import { type Cell, csvOf, xlsxOf } from './spreadsheets.js';

const R = liveSchemaOf(registers);

const HEADER = [...REGISTER_LIST_COLUMNS.map((column) => column.vi), 'Trạng thái', BENEFICIARY_ID_HEADING];

/** The whole beneficiary register as it stands, in the import template's column order (then status and id). */
async function registerRows(pool: Pool): Promise<Cell[][]> {
  const { rows } = await pool.query<{
    full_name: string | null;
    date_of_birth: string | null;
    national_id: string | null;
    title: string;
    administrative_unit: string;
    current_group: number;
    enrolled_from: string;
    status: string;
    beneficiary_id: string;
  }>(
    `SELECT full_name, date_of_birth, national_id, title, administrative_unit, current_group, enrolled_from, status, beneficiary_id FROM ${R}.beneficiaries ORDER BY administrative_unit, full_name, beneficiary_id`,
  );
  return rows.map((row) => [
    row.full_name ?? ERASED_NAME,
    row.date_of_birth === null ? null : ddmmyyyy(row.date_of_birth),
    row.national_id,
    row.title,
    row.administrative_unit,
    row.current_group,
    ddmmyyyy(row.enrolled_from),
    row.status,
    row.beneficiary_id,
  ]);
}

export async function registerExport(pool: Pool, format: 'csv' | 'xlsx'): Promise<{ rows: number; body: string | Buffer }> {
  const rows = await registerRows(pool);
  return {
    rows: rows.length,
    body: format === 'csv' ? csvOf(HEADER, rows) : await xlsxOf('Danh sách đối tượng', HEADER, rows, [28, 12, 18, 30, 24, 10, 14, 12, 38]),
  };
}
