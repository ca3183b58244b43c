import ExcelJS from 'exceljs';
import { API_BACKENDS, caughtUp, client, countEvents, leavesLogUnchanged as leavesLogUnchangedIn, ok, type Reply, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

type Row = [string, string | Date, string | number, string, string, number | string, string];

describe.each(API_BACKENDS)('importing beneficiary lists from Excel, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'auditor', ReturnType<typeof client>>;
  let template: Buffer;
  const leavesLogUnchanged = (request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}) => leavesLogUnchangedIn(api, request, status, expected);

  /** The downloaded template with its example row replaced by `rows`. */
  async function listOf(rows: readonly Row[]): Promise<Uint8Array> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
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
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Họ và tên', 'Ngày sinh (dd/mm/yyyy)', 'Số định danh cá nhân (CCCD)', 'Chức vụ', 'Đơn vị', 'Đối tượng (1–6)', 'Hưởng từ ngày (dd/mm/yyyy)']);
    expect(sheet.getRow(2).getCell(1).value).toBe('Full name');
    expect(book.worksheets.map((s) => s.name)).toEqual(['Danh sách', 'Hướng dẫn - Instructions']);
  });

  it('imports a valid list once: importing it again records nothing', async () => {
    const list = await listOf([
      ['Hoàng Văn An', '12/05/1968', '020068000101', 'Bí thư Huyện ủy', 'Huyện Cao Lộc', 3, '01/01/2025'],
      // A date cell, and an id typed as a number that lost its leading zero.
      ['Lương Thị Bình', new Date(Date.UTC(1970, 2, 3)), 20170000202, 'Chủ tịch UBND huyện', 'Huyện Lộc Bình', 4, '01/01/2025'],
      ['Nông Văn Cường', '09/09/1975', '020075000303', 'Trưởng phòng cấp huyện', 'Huyện Văn Quan', '5', '2025-01-01'],
    ]);
    await leavesLogUnchanged(as.auditor.upload('/beneficiaries/imports', list, 'ds.xlsx'), 403);
    expect(await ok(as.clerk.upload('/beneficiaries/imports', list, 'danh-sach.xlsx'))).toMatchObject({ outcome: 'imported', rows: 3, imported: 3, alreadyImported: 0, errors: [] });
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports', list, 'danh-sach.xlsx'), 200, { outcome: 'imported', imported: 0, alreadyImported: 3, errors: [] });
    await caughtUp(api);
    const register = await ok(as.auditor.get('/beneficiaries?name=Lương'));
    expect(register.beneficiaries).toEqual([expect.objectContaining({ fullName: 'Lương Thị Bình', nationalId: '020170000202', group: 4, administrativeUnit: 'Huyện Lộc Bình' })]);
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
      [8, 'nationalId', 'nationalIdTaken'],
    ]);
    expect(rejected.body.errors[1]).toMatchObject({ vi: 'Đối tượng phải là số từ 1 đến 6, không phải "7"', en: 'The group must be a number from 1 to 6, not "7"' });
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
    await leavesLogUnchanged(as.clerk.upload('/beneficiaries/imports?validRowsOnly=maybe', await listOf([]), 'x.xlsx'), 400, { fields: [expect.objectContaining({ field: 'validRowsOnly' })] });
  });
});
