import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import ExcelJS from 'exceljs';
import { AdministrativeUnits, BENEFICIARY_GROUPS, type BeneficiaryGroup, type Beneficiaries, isCalendarDate, nationalIdProblem, NationalIds } from '#domain';
import { AdministrativeUnitsRegistry } from '../administrative-units/administrative-unit-commands.js';
import { beneficiaryAggregate, beneficiaryStreamId, EnrolBeneficiary, nationalIdStreams } from '../beneficiaries/beneficiary-commands.js';
import { type Actor, EventSourcing, requireRole } from '../event-sourcing.js';
import {
  addRow,
  APPLICATION_CONFIG,
  type ApplicationConfig,
  BENEFICIARY_ID_HEADING,
  ddmmyyyy,
  ERASED_NAME,
  type ImportLimits,
  PERSONAL_DATA,
  type PersonalDataKeyring,
  REGISTER_LIST_COLUMNS,
  unneutralised,
} from '../ports/index.js';
import { replayEach, type ReplayProgress } from '../retroactivity/replay.js';
import { ImportLimitExceeded, rowsOfFirstSheet } from './workbook-reader.js';

type ColumnKey = (typeof REGISTER_LIST_COLUMNS)[number]['key'];

/** One row: an enrolment as the register takes it, its id to be derived from the row. */
export type ImportedPerson = Omit<Extract<Beneficiaries.BeneficiaryCommand, { type: 'EnrolBeneficiary' }>['data'], 'beneficiaryId'>;

/**
 * A row as read: the person it enrols, and the register's id of them when the file is a register
 * export (its last column); or, for a person whose personal data was erased, that id alone.
 */
export type ListedRow = { readonly person: ImportedPerson; readonly beneficiaryId?: string } | { readonly erasedId: string };

/** A problem with one row (the spreadsheet's row number) and one column, said in Vietnamese and in English. */
export interface RowError {
  readonly row: number;
  readonly field: ColumnKey | 'beneficiaryId' | 'file';
  readonly code:
    | 'required'
    | 'date'
    | 'group'
    | 'nationalId'
    | 'duplicateInFile'
    | 'nationalIdTaken'
    | 'unit'
    | 'changed'
    | 'unknownBeneficiary'
    | 'layout'
    | 'formula'
    | 'enrolment';
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
  /** Rows of people already on the register, as the register has them (unchanged): nothing recorded. */
  readonly alreadyImported: number;
  readonly skipped: number;
  readonly errors: readonly RowError[];
}

const heading = (key: ColumnKey) => REGISTER_LIST_COLUMNS.find((column) => column.key === key)!;
const columnOf = (key: ColumnKey) => REGISTER_LIST_COLUMNS.findIndex((column) => column.key === key) + 1;

/** The template with its headings, an example row and instructions, in Vietnamese and English. */
export async function beneficiaryListTemplate(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh sách');
  sheet.columns = REGISTER_LIST_COLUMNS.map((column) => ({ key: column.key, width: Math.max(18, column.vi.length + 4) }));
  addRow(
    sheet,
    REGISTER_LIST_COLUMNS.map((column) => column.vi),
  ).font = { bold: true };
  addRow(
    sheet,
    REGISTER_LIST_COLUMNS.map((column) => column.en),
  ).font = { italic: true };
  addRow(sheet, ['Hoàng Văn An', '12/05/1968', '020068000101', 'Bí thư Huyện ủy', 'Huyện Cao Lộc', 3, '01/01/2025']);
  sheet.getColumn('nationalId').numFmt = '@';
  const help = book.addWorksheet('Hướng dẫn - Instructions');
  help.columns = [{ width: 110 }];
  for (const line of [
    'Điền mỗi người một dòng từ dòng 3 (xóa dòng ví dụ). Ngày ghi dd/mm/yyyy (ví dụ 05/03/2024). Số định danh cá nhân 12 chữ số, khớp năm sinh. Đối tượng là số từ 1 đến 6 theo Nghị quyết 24/2024/NQ-HĐND.',
    'One person per row from row 3 (delete the example row). Dates as dd/mm/yyyy (e.g. 05/03/2024). The national id number has 12 digits and matches the year of birth. The group is a number from 1 to 6 under Resolution 24/2024/NQ-HĐND.',
    'Đơn vị là đơn vị hành chính đã đăng ký, còn hiệu lực vào ngày bắt đầu hưởng (mã hoặc tên của đơn vị vào ngày đó).',
    'The unit is a registered administrative unit in force on the covered-from date (its code, or its name on that date).',
    'Tệp có lỗi sẽ không được nhập, trừ khi chọn "chỉ nhập các dòng hợp lệ". Người đã có trong danh sách đối tượng (theo mã đối tượng hoặc số định danh) không được ghi lại; dòng khác với danh sách bị từ chối: thay đổi chức vụ hoặc đối tượng được ghi riêng. Nhập lại cùng một tệp, hay tệp xuất danh sách, không ghi thêm gì.',
    'A file with errors is not imported unless "import the valid rows only" is chosen. People already on the register (by beneficiary id or national id) are not recorded again; a row that differs from the register is refused: changes of title or group are recorded on their own. Importing the same file again, or the register export, records nothing more.',
  ])
    addRow(help, [line]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A cell as text: an Excel date as dd/mm/yyyy, as a date is typed; a formula gives the value Excel
 * calculated and saved with it. Undefined: a formula saved without that value (written by a
 * program, not by Excel), or an error such as #N/A: nothing to take.
 */
function cellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return ddmmyyyy(value.toISOString().slice(0, 10));
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : String(value);
  if (typeof value !== 'object') return unneutralised(String(value).trim());
  if ('richText' in value)
    return unneutralised(
      value.richText
        .map((part) => part.text)
        .join('')
        .trim(),
    );
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? undefined : cellText(value.result);
  if ('text' in value) return unneutralised(String(value.text).trim());
  return undefined;
}

/** A date written dd/mm/yyyy as YYYY-MM-DD; undefined for any other writing (2024-03-05, 5/3/24) or a day the calendar has not (31/02/2024). */
function isoDate(text: string): string | undefined {
  const written = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const iso = written ? `${written[3]}-${written[2]}-${written[1]}` : undefined;
  return isCalendarDate(iso) ? iso : undefined;
}

/** A column's letter as a spreadsheet shows it (1 → A, 27 → AA). */
const letterOf = (column: number): string => (column > 26 ? letterOf(Math.floor((column - 1) / 26)) : '') + String.fromCharCode(65 + ((column - 1) % 26));

/** Where a problem lies, in each language: the column's heading, the row and the column's letter. */
const place = (headings: { vi: string; en: string }, row: number, column: number) => ({
  vi: `"${headings.vi}" (dòng ${row}, cột ${letterOf(column)})`,
  en: `"${headings.en}" (row ${row}, column ${letterOf(column)})`,
});
const ID_HEADINGS = { vi: BENEFICIARY_ID_HEADING, en: 'Beneficiary id' };
const placeOf = (key: ColumnKey, row: number) => place(heading(key), row, columnOf(key));

const headingsOf = (row: ExcelJS.Row) => REGISTER_LIST_COLUMNS.map((_, n) => cellText(row.getCell(n + 1).value));
const fileError = (vi: string, en: string) => ({
  rows: 0,
  idColumn: undefined,
  people: new Map<number, ListedRow>(),
  errors: [{ row: 0, field: 'file' as const, code: 'layout' as const, vi, en }],
});
const notAWorkbook = () => fileError('Tệp không phải là tệp Excel (.xlsx)', 'The file is not an Excel workbook (.xlsx)');
const noHeadings = () =>
  fileError(
    `Dòng 1 phải là tiêu đề của mẫu: ${REGISTER_LIST_COLUMNS.map((c) => c.vi).join(' | ')}`,
    `Row 1 must hold the template's headings: ${REGISTER_LIST_COLUMNS.map((c) => c.en).join(' | ')}`,
  );

/** The column of the register's id, found by its heading after the template's columns: a register export has it, a filled-in template not. */
function idColumnOf(headings: ExcelJS.Row): number | undefined {
  for (let n = REGISTER_LIST_COLUMNS.length + 1; n <= headings.cellCount; n++) if (cellText(headings.getCell(n).value) === BENEFICIARY_ID_HEADING) return n;
  return undefined;
}

/**
 * Reads and checks every row of a beneficiary list, streamed from its first sheet within `limits`
 * ({@link ImportLimitExceeded} past them); the rows without error.
 */
export async function readBeneficiaryList(
  file: Buffer,
  limits: ImportLimits,
): Promise<{ rows: number; idColumn: number | undefined; people: Map<number, ListedRow>; errors: RowError[] }> {
  const people = new Map<number, ListedRow>();
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  let headed = false;
  let idColumn: number | undefined;
  let rows = 0;
  try {
    for await (const row of rowsOfFirstSheet(file, limits)) {
      const r = row.number;
      if (!headed) {
        const headings = headingsOf(row);
        if (r !== 1 || REGISTER_LIST_COLUMNS.some((column, n) => headings[n] !== column.vi && headings[n] !== column.en)) return noHeadings();
        headed = true;
        idColumn = idColumnOf(row);
        continue;
      }
      if (r === 2 && headingsOf(row).every((text, n) => text === REGISTER_LIST_COLUMNS[n].en)) continue;
      const cells = REGISTER_LIST_COLUMNS.map((column, n) => ({ column, at: place(column, r, n + 1), text: cellText(row.getCell(n + 1).value) }));
      if (cells.every(({ text }) => text === '')) continue;
      rows++;
      const beneficiaryId = idColumn === undefined ? '' : (cellText(row.getCell(idColumn).value) ?? '');
      // An export shows an erased person by this name alone: the row names them by id, and has nothing else to check.
      if (beneficiaryId !== '' && cells[0].text === ERASED_NAME) {
        people.set(r, { erasedId: beneficiaryId });
        continue;
      }
      const rowErrors: RowError[] = [];
      const fail = (field: ColumnKey, code: RowError['code'], vi: string, en: string) => rowErrors.push({ row: r, field, code, vi, en });
      for (const { column, at, text } of cells) {
        if (text === undefined) {
          fail(
            column.key,
            'formula',
            `${at.vi} là công thức chưa có giá trị tính sẵn, hoặc một lỗi: hãy nhập chính giá trị`,
            `${at.en} is a formula saved without its calculated value, or an error: type the value itself`,
          );
        } else if (text === '') fail(column.key, 'required', `Thiếu "${column.vi}"`, `"${column.en}" is missing`);
      }
      const values = Object.fromEntries(cells.map(({ column, text }) => [column.key, text ?? ''])) as Record<ColumnKey, string>;
      const dates = { dateOfBirth: isoDate(values.dateOfBirth), from: isoDate(values.from) };
      for (const key of ['dateOfBirth', 'from'] as const) {
        const { at } = cells.find(({ column }) => column.key === key)!;
        if (values[key] !== '' && !dates[key])
          fail(key, 'date', `${at.vi} phải là ngày dd/mm/yyyy, không phải "${values[key]}"`, `${at.en} must be a date dd/mm/yyyy, not "${values[key]}"`);
      }
      const group = Number(values.group);
      if (values.group !== '' && !(BENEFICIARY_GROUPS as readonly number[]).includes(group)) {
        fail(
          'group',
          'group',
          `Đối tượng phải là số từ 1 đến 6, không phải "${values.group}"`,
          `The group must be a number from 1 to 6, not "${values.group}"`,
        );
      }
      // A number typed into a General cell loses the id's leading zero: the id has 12 digits.
      const typed = row.getCell(columnOf('nationalId')).value;
      const nationalId = typeof typed === 'number' ? String(typed).padStart(12, '0') : values.nationalId.replace(/\s/g, '');
      if (nationalId !== '' && dates.dateOfBirth) {
        const problem = nationalIdProblem(nationalId, dates.dateOfBirth);
        if (problem)
          fail(
            'nationalId',
            'nationalId',
            `Số định danh cá nhân "${nationalId}" không hợp lệ (12 chữ số, khớp năm sinh)`,
            `National id "${nationalId}": ${problem}`,
          );
      }
      const earlier = seen.get(nationalId);
      if (nationalId !== '' && earlier !== undefined)
        fail('nationalId', 'duplicateInFile', `Trùng số định danh với dòng ${earlier}`, `The same national id as row ${earlier}`);
      else if (nationalId !== '') seen.set(nationalId, r);
      if (rowErrors.length > 0) errors.push(...rowErrors);
      else {
        const person = {
          fullName: values.fullName,
          dateOfBirth: dates.dateOfBirth!,
          nationalId,
          title: values.title,
          administrativeUnit: values.administrativeUnit,
          group: group as BeneficiaryGroup,
          from: dates.from!,
        };
        people.set(r, beneficiaryId === '' ? { person } : { person, beneficiaryId });
      }
    }
  } catch (error) {
    if (error instanceof ImportLimitExceeded) throw error;
    return notAWorkbook();
  }
  return headed ? { rows, idColumn, people, errors } : noHeadings();
}

/** The command id of a row's enrolment: the same person's row, in any file, enrols once. */
const commandIdOf = (person: ImportedPerson) =>
  `import-${createHash('sha256')
    .update(JSON.stringify(Object.values(person)))
    .digest('hex')
    .slice(0, 40)}`;

/** The register's columns a row is compared on, as the register holds them and as the export writes them. */
type OnRegister = Record<ColumnKey, string>;

/** What the register holds of a person, in the export's terms: their current title, unit and group, and the day they were enrolled from. */
function onRegister(state: Extract<Beneficiaries.Beneficiary, { status: 'registered' | 'removed' }>, enrolled: Beneficiaries.Enrolment): OnRegister {
  return {
    fullName: enrolled.fullName,
    dateOfBirth: enrolled.dateOfBirth,
    nationalId: enrolled.nationalId,
    title: state.title,
    administrativeUnit: state.administrativeUnit,
    group: String(state.groups[state.groups.length - 1].group),
    from: state.enrolledFrom,
  };
}

/** Personal data: a difference names the column, never what the register holds. */
const PERSONAL: ReadonlySet<ColumnKey> = new Set(['fullName', 'dateOfBirth', 'nationalId']);
const shown = (key: ColumnKey, value: string) => (key === 'dateOfBirth' || key === 'from' ? ddmmyyyy(value) : value);

/**
 * Imports a beneficiary list (the template's .xlsx, or a register export). Every row is checked
 * first; a file with any error imports nothing unless `validRowsOnly`. A row naming a person
 * already on the register (by the export's id column, or by national id) is compared with the
 * register: the same is unchanged and records nothing, a difference is refused (an import enrols,
 * it records no changes). A new person's unit must be a registered unit in force on the day they
 * are covered from. Each enrolment has a command id made from the row's content.
 */
@Injectable()
export class BeneficiaryImports {
  constructor(
    @Inject(EventSourcing) private readonly sourcing: EventSourcing,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(APPLICATION_CONFIG) private readonly config: ApplicationConfig,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataKeyring,
    @Inject(AdministrativeUnitsRegistry) private readonly registry: AdministrativeUnitsRegistry,
  ) {}

  async import(file: Buffer, actor: Actor, options: { validRowsOnly?: boolean; onProgress?: (progress: ReplayProgress) => void } = {}): Promise<ImportReport> {
    requireRole(actor, 'keepRegister', 'importing a beneficiary list');
    const digest = createHash('sha256').update(file).digest('hex');
    const { rows, idColumn, people, errors } = await readBeneficiaryList(file, this.config.imports);
    const units = await this.registry.current();
    const fresh: [number, ImportedPerson, string][] = [];
    let alreadyImported = 0;
    // A few rows at a time: each reads up to three streams, and a register export holds thousands of rows.
    await replayEach(
      'checks',
      [...people],
      async ([row, listed]) => {
        const problems = await this.compared(row, listed, units, idColumn);
        if (problems === 'unchanged') alreadyImported++;
        else if (problems.length > 0) errors.push(...problems);
        else if ('person' in listed) {
          const person = {
            ...listed.person,
            administrativeUnit: AdministrativeUnits.unitNamedOn(units, listed.person.administrativeUnit, listed.person.from)!,
          };
          fresh.push([row, person, commandIdOf(person)]);
        }
      },
      { concurrency: 8, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    fresh.sort(([a], [b]) => a - b);
    errors.sort((a, b) => a.row - b.row);
    const report = { file: digest, rows, alreadyImported, errors };
    if (errors.some((error) => error.code === 'layout') || (errors.length > 0 && !options.validRowsOnly))
      return { ...report, outcome: 'rejected', imported: 0, skipped: rows };
    let imported = 0;
    await replayEach(
      'rows',
      fresh,
      async ([row, person, commandId]) => {
        try {
          await this.commands.execute(new EnrolBeneficiary(person, { actor, commandId }));
          imported++;
        } catch (error) {
          // A clerk enrolled the same person between the check and now.
          errors.push({
            row,
            field: 'nationalId',
            code: 'enrolment',
            vi: `Không ghi được dòng ${row}: ${(error as Error).message}`,
            en: `Row ${row} could not be enrolled: ${(error as Error).message}`,
          });
        }
      },
      { concurrency: 8, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    errors.sort((a, b) => a.row - b.row);
    return { ...report, errors, outcome: 'imported', imported, skipped: rows - imported - alreadyImported };
  }

  /** The beneficiary holding a national id, in either reservation stream. */
  private async holderOf(nationalId: string): Promise<string | undefined> {
    const reservations = nationalIdStreams(this.personalData, nationalId);
    const [keyed, legacy] = await Promise.all([
      this.sourcing.load(reservations.keyed, NationalIds.evolve, NationalIds.initialNationalIdReservation),
      this.sourcing.load(reservations.legacy, NationalIds.evolve, NationalIds.initialNationalIdReservation),
    ]);
    return keyed.state.beneficiaryId ?? legacy.state.beneficiaryId;
  }

  /** A row against the register: unchanged, its problems, or none (a new person to enrol). */
  private async compared(
    row: number,
    listed: ListedRow,
    units: AdministrativeUnits.AdministrativeUnits,
    idColumn: number | undefined,
  ): Promise<'unchanged' | RowError[]> {
    const person = 'person' in listed ? listed.person : undefined;
    const named = 'erasedId' in listed ? listed.erasedId : listed.beneficiaryId;
    const holder = person && (await this.holderOf(person.nationalId));
    if (named !== undefined && holder !== undefined && holder !== named) {
      return [
        {
          row,
          field: 'nationalId',
          code: 'nationalIdTaken',
          vi: `Số định danh ${person!.nationalId} là của một người khác trong danh sách đối tượng`,
          en: `National id ${person!.nationalId} is another person's on the register`,
        },
      ];
    }
    const id = named ?? holder;
    if (id === undefined) {
      if (AdministrativeUnits.unitNamedOn(units, person!.administrativeUnit, person!.from) !== undefined) return [];
      const { vi, en } = placeOf('administrativeUnit', row);
      const on = ddmmyyyy(person!.from);
      return [
        {
          row,
          field: 'administrativeUnit',
          code: 'unit',
          vi: `${vi}: "${person!.administrativeUnit}" không phải là đơn vị hành chính đã đăng ký còn hiệu lực ngày ${on}`,
          en: `${en}: "${person!.administrativeUnit}" is not a registered administrative unit in force on ${on}`,
        },
      ];
    }
    const loaded = await this.sourcing.load(beneficiaryStreamId(id), beneficiaryAggregate.evolve, beneficiaryAggregate.initial);
    const enrolled = loaded.events.find((event) => event.type === 'BeneficiaryEnrolled')?.data as Beneficiaries.Enrolment | undefined;
    if (loaded.state.status === 'unknown' || !enrolled) {
      if (named === undefined)
        return [
          {
            row,
            field: 'nationalId',
            code: 'nationalIdTaken',
            vi: `Số định danh ${person!.nationalId} đã có trong danh sách đối tượng`,
            en: `National id ${person!.nationalId} is already on the register`,
          },
        ];
      const { vi, en } = place(ID_HEADINGS, row, idColumn!);
      return [
        {
          row,
          field: 'beneficiaryId',
          code: 'unknownBeneficiary',
          vi: `${vi}: không có đối tượng "${named}" trong danh sách`,
          en: `${en}: no beneficiary "${named}" on the register`,
        },
      ];
    }
    if (!person) {
      if (loaded.state.erased) return 'unchanged';
      const { vi, en } = placeOf('fullName', row);
      return [
        {
          row,
          field: 'fullName',
          code: 'changed',
          vi: `${vi}: dữ liệu cá nhân của đối tượng "${named}" chưa bị xóa`,
          en: `${en}: the personal data of beneficiary "${named}" was not erased`,
        },
      ];
    }
    const register = onRegister(loaded.state, enrolled);
    const file: OnRegister = { ...person, group: String(person.group) };
    const same = (key: ColumnKey) =>
      file[key] === register[key] || (key === 'administrativeUnit' && AdministrativeUnits.unitNamedOn(units, file[key], person.from) === register[key]);
    const changed = REGISTER_LIST_COLUMNS.filter((column) => !same(column.key));
    if (changed.length === 0) return 'unchanged';
    return changed.map((column) => {
      const { vi, en } = placeOf(column.key, row);
      const values = PERSONAL.has(column.key)
        ? { vi: '', en: '' }
        : {
            vi: `: "${shown(column.key, file[column.key])}" trong tệp, "${shown(column.key, register[column.key])}" trong danh sách`,
            en: `: "${shown(column.key, file[column.key])}" in the file, "${shown(column.key, register[column.key])}" on the register`,
          };
      return {
        row,
        field: column.key,
        code: 'changed',
        vi: `${vi} khác với danh sách đối tượng${values.vi}; nhập danh sách không ghi thay đổi, hãy ghi thay đổi chức vụ hoặc phân loại lại`,
        en: `${en} differs from the register${values.en}; an import records no changes: record a position change or a reclassification`,
      };
    });
  }
}
