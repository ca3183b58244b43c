import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import ExcelJS from 'exceljs';
import { BENEFICIARY_GROUPS, type BeneficiaryGroup, type Beneficiaries, isCalendarDate, nationalIdProblem, NationalIds } from '#domain';
import { beneficiaryAggregate, beneficiaryStreamId, EnrolBeneficiary, nationalIdStreams } from '../beneficiaries/beneficiary-commands.js';
import { type Actor, EventSourcing, requireRole } from '../event-sourcing.js';
import { idFromCommand } from '../ids.js';
import { addRow, APPLICATION_CONFIG, type ApplicationConfig, type ImportLimits, PERSONAL_DATA, type PersonalDataKeyring, REGISTER_LIST_COLUMNS, unneutralised } from '../ports/index.js';
import { replayEach, type ReplayProgress } from '../retroactivity/replay.js';
import { ImportLimitExceeded, rowsOfFirstSheet } from './workbook-reader.js';

type ColumnKey = (typeof REGISTER_LIST_COLUMNS)[number]['key'];

/** One row: an enrolment as the register takes it, its id to be derived from the row. */
export type ImportedPerson = Omit<Extract<Beneficiaries.BeneficiaryCommand, { type: 'EnrolBeneficiary' }>['data'], 'beneficiaryId'>;

/** A problem with one row (the spreadsheet's row number) and one column, said in Vietnamese and in English. */
export interface RowError {
  readonly row: number;
  readonly field: ColumnKey | 'file';
  readonly code: 'required' | 'date' | 'group' | 'nationalId' | 'duplicateInFile' | 'nationalIdTaken' | 'layout' | 'formula' | 'enrolment';
  readonly vi: string;
  readonly en: string;
}

export interface ImportReport {
  /** SHA-256 of the file: the same file gives the same digest. */
  readonly file: string;
  readonly rows: number;
  /** `rejected`: the file has errors and nothing was imported; otherwise what was done. */
  readonly outcome: 'imported' | 'rejected';
  readonly imported: number;
  /** Rows enrolled by an earlier import of the same row: nothing recorded again. */
  readonly alreadyImported: number;
  readonly skipped: number;
  readonly errors: readonly RowError[];
}

const heading = (key: ColumnKey) => REGISTER_LIST_COLUMNS.find((column) => column.key === key)!;

/** The template with its headings, an example row and instructions, in Vietnamese and English. */
export async function beneficiaryListTemplate(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh sách');
  sheet.columns = REGISTER_LIST_COLUMNS.map((column) => ({ key: column.key, width: Math.max(18, column.vi.length + 4) }));
  addRow(sheet, REGISTER_LIST_COLUMNS.map((column) => column.vi)).font = { bold: true };
  addRow(sheet, REGISTER_LIST_COLUMNS.map((column) => column.en)).font = { italic: true };
  addRow(sheet, ['Hoàng Văn An', '12/05/1968', '020068000101', 'Bí thư Huyện ủy', 'Huyện Cao Lộc', 3, '01/01/2025']);
  sheet.getColumn('nationalId').numFmt = '@';
  const help = book.addWorksheet('Hướng dẫn - Instructions');
  help.columns = [{ width: 110 }];
  for (const line of [
    'Điền mỗi người một dòng từ dòng 3 (xóa dòng ví dụ). Ngày ghi dd/mm/yyyy. Số định danh cá nhân 12 chữ số, khớp năm sinh. Đối tượng là số từ 1 đến 6 theo Nghị quyết 24/2024/NQ-HĐND.',
    'One person per row from row 3 (delete the example row). Dates as dd/mm/yyyy. The national id number has 12 digits and matches the year of birth. The group is a number from 1 to 6 under Resolution 24/2024/NQ-HĐND.',
    'Tệp có lỗi sẽ không được nhập, trừ khi chọn "chỉ nhập các dòng hợp lệ". Nhập lại cùng một tệp không ghi thêm gì.',
    'A file with errors is not imported unless "import the valid rows only" is chosen. Importing the same file again records nothing more.',
  ]) addRow(help, [line]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A cell as text: dates (Excel dates or dd/mm/yyyy text) become YYYY-MM-DD, a formula gives the
 * value Excel calculated and saved with it. Undefined: a formula saved without that value (written
 * by a program, not by Excel), or an error such as #N/A: nothing to take.
 */
function cellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : String(value);
  if (typeof value !== 'object') return unneutralised(String(value).trim());
  if ('richText' in value) return unneutralised(value.richText.map((part) => part.text).join('').trim());
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? undefined : cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return unneutralised(String(value.text).trim());
  return undefined;
}

function isoDate(text: string): string | undefined {
  const vietnamese = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = vietnamese ? `${vietnamese[3]}-${vietnamese[2]!.padStart(2, '0')}-${vietnamese[1]!.padStart(2, '0')}` : text;
  return isCalendarDate(iso) ? iso : undefined;
}

const headingsOf = (row: ExcelJS.Row) => REGISTER_LIST_COLUMNS.map((_, n) => cellText(row.getCell(n + 1).value));
const fileError = (vi: string, en: string) => ({ rows: 0, people: new Map<number, ImportedPerson>(), errors: [{ row: 0, field: 'file' as const, code: 'layout' as const, vi, en }] });
const notAWorkbook = () => fileError('Tệp không phải là tệp Excel (.xlsx)', 'The file is not an Excel workbook (.xlsx)');
const noHeadings = () => fileError(`Dòng 1 phải là tiêu đề của mẫu: ${REGISTER_LIST_COLUMNS.map((c) => c.vi).join(' | ')}`, `Row 1 must hold the template's headings: ${REGISTER_LIST_COLUMNS.map((c) => c.en).join(' | ')}`);

/**
 * Reads and checks every row of a beneficiary list, streamed from its first sheet within `limits`
 * ({@link ImportLimitExceeded} past them); the people of the rows without error.
 */
export async function readBeneficiaryList(file: Buffer, limits: ImportLimits): Promise<{ rows: number; people: Map<number, ImportedPerson>; errors: RowError[] }> {
  const people = new Map<number, ImportedPerson>();
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  let headed = false;
  let rows = 0;
  try {
    for await (const row of rowsOfFirstSheet(file, limits)) {
      const r = row.number;
      if (!headed) {
        const headings = headingsOf(row);
        if (r !== 1 || REGISTER_LIST_COLUMNS.some((column, n) => headings[n] !== column.vi && headings[n] !== column.en)) return noHeadings();
        headed = true;
        continue;
      }
      if (r === 2 && headingsOf(row).every((text, n) => text === REGISTER_LIST_COLUMNS[n]!.en)) continue;
      const cells = REGISTER_LIST_COLUMNS.map((column, n) => ({ column, letter: String.fromCharCode(65 + n), text: cellText(row.getCell(n + 1).value) }));
      if (cells.every(({ text }) => text === '')) continue;
      rows++;
      const rowErrors: RowError[] = [];
      const fail = (field: ColumnKey, code: RowError['code'], vi: string, en: string) => rowErrors.push({ row: r, field, code, vi, en });
      for (const { column, letter, text } of cells) {
        if (text === undefined) {
          fail(column.key, 'formula', `"${column.vi}" (dòng ${r}, cột ${letter}) là công thức chưa có giá trị tính sẵn, hoặc một lỗi: hãy nhập chính giá trị`, `"${column.en}" (row ${r}, column ${letter}) is a formula saved without its calculated value, or an error: type the value itself`);
        } else if (text === '') fail(column.key, 'required', `Thiếu "${column.vi}"`, `"${column.en}" is missing`);
      }
      const values = Object.fromEntries(cells.map(({ column, text }) => [column.key, text ?? ''])) as Record<ColumnKey, string>;
      const dates = { dateOfBirth: isoDate(values.dateOfBirth), from: isoDate(values.from) };
      for (const key of ['dateOfBirth', 'from'] as const) {
        if (values[key] !== '' && !dates[key]) fail(key, 'date', `"${heading(key).vi}" phải là ngày dd/mm/yyyy, không phải "${values[key]}"`, `"${heading(key).en}" must be a date dd/mm/yyyy, not "${values[key]}"`);
      }
      const group = Number(values.group);
      if (values.group !== '' && !(BENEFICIARY_GROUPS as readonly number[]).includes(group)) {
        fail('group', 'group', `Đối tượng phải là số từ 1 đến 6, không phải "${values.group}"`, `The group must be a number from 1 to 6, not "${values.group}"`);
      }
      // A number typed into a General cell loses the id's leading zero: the id has 12 digits.
      const typed = row.getCell(REGISTER_LIST_COLUMNS.findIndex((column) => column.key === 'nationalId') + 1).value;
      const nationalId = typeof typed === 'number' ? String(typed).padStart(12, '0') : values.nationalId.replace(/\s/g, '');
      if (nationalId !== '' && dates.dateOfBirth) {
        const problem = nationalIdProblem(nationalId, dates.dateOfBirth);
        if (problem) fail('nationalId', 'nationalId', `Số định danh cá nhân "${nationalId}" không hợp lệ (12 chữ số, khớp năm sinh)`, `National id "${nationalId}": ${problem}`);
      }
      const earlier = seen.get(nationalId);
      if (nationalId !== '' && earlier !== undefined) fail('nationalId', 'duplicateInFile', `Trùng số định danh với dòng ${earlier}`, `The same national id as row ${earlier}`);
      else if (nationalId !== '') seen.set(nationalId, r);
      if (rowErrors.length > 0) errors.push(...rowErrors);
      else people.set(r, { fullName: values.fullName, dateOfBirth: dates.dateOfBirth!, nationalId, title: values.title, administrativeUnit: values.administrativeUnit, group: group as BeneficiaryGroup, from: dates.from! });
    }
  } catch (error) {
    if (error instanceof ImportLimitExceeded) throw error;
    return notAWorkbook();
  }
  return headed ? { rows, people, errors } : noHeadings();
}

/** The command id of a row's enrolment: the same person's row, in any file, enrols once. */
const commandIdOf = (person: ImportedPerson) => `import-${createHash('sha256').update(JSON.stringify(Object.values(person))).digest('hex').slice(0, 40)}`;

/**
 * Imports a beneficiary list (the template's .xlsx). Every row is checked first; a file with any
 * error imports nothing unless `validRowsOnly`, and each row's enrolment has a command id made
 * from its content, so importing the same file again records nothing more.
 */
@Injectable()
export class BeneficiaryImports {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(APPLICATION_CONFIG) private readonly config: ApplicationConfig,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataKeyring,
  ) {}

  async import(file: Buffer, actor: Actor, options: { validRowsOnly?: boolean; onProgress?: (progress: ReplayProgress) => void } = {}): Promise<ImportReport> {
    requireRole(actor, 'keepRegister', 'importing a beneficiary list');
    const digest = createHash('sha256').update(file).digest('hex');
    const { rows, people, errors } = await readBeneficiaryList(file, this.config.imports);
    const fresh: [number, ImportedPerson, string][] = [];
    let alreadyImported = 0;
    for (const [row, person] of people) {
      const commandId = commandIdOf(person);
      const beneficiaryId = idFromCommand(commandId, 'beneficiary');
      const reservations = nationalIdStreams(this.personalData, person.nationalId);
      const [keyed, legacy, enrolled] = await Promise.all([
        this.sourcing.load(reservations.keyed, NationalIds.evolve, NationalIds.initialNationalIdReservation),
        this.sourcing.load(reservations.legacy, NationalIds.evolve, NationalIds.initialNationalIdReservation),
        this.sourcing.load(beneficiaryStreamId(beneficiaryId), beneficiaryAggregate.evolve, beneficiaryAggregate.initial),
      ]);
      if (enrolled.state.status !== 'unknown') alreadyImported++;
      else if (keyed.state.beneficiaryId !== undefined || legacy.state.beneficiaryId !== undefined) {
        errors.push({ row, field: 'nationalId', code: 'nationalIdTaken', vi: `Số định danh ${person.nationalId} đã có trong danh sách đối tượng`, en: `National id ${person.nationalId} is already on the register` });
      } else fresh.push([row, person, commandId]);
    }
    errors.sort((a, b) => a.row - b.row);
    const report = { file: digest, rows, alreadyImported, errors };
    if (errors.some((error) => error.code === 'layout') || (errors.length > 0 && !options.validRowsOnly)) return { ...report, outcome: 'rejected', imported: 0, skipped: rows };
    const valid = fresh.filter(([row]) => !errors.some((error) => error.row === row));
    let imported = 0;
    await replayEach(
      'rows',
      valid,
      async ([row, person, commandId]) => {
        try {
          await this.commands.execute(new EnrolBeneficiary(person, { actor, commandId }));
          imported++;
        } catch (error) {
          // A clerk enrolled the same person between the check and now.
          errors.push({ row, field: 'nationalId', code: 'enrolment', vi: `Không ghi được dòng ${row}: ${(error as Error).message}`, en: `Row ${row} could not be enrolled: ${(error as Error).message}` });
        }
      },
      { concurrency: 8, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    errors.sort((a, b) => a.row - b.row);
    return { ...report, errors, outcome: 'imported', imported, skipped: rows - imported - alreadyImported };
  }
}
