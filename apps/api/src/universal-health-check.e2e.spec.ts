import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { API_BACKENDS, caughtUp, client, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

const lamDongPolicy = () => JSON.parse(readFileSync('policies/lam-dong/universal-health-check-2026.json', 'utf8'));
const lamDongUnits = () => JSON.parse(readFileSync('policies/lam-dong/administrative-units/administrative-units-2025.json', 'utf8'));
const PROGRAMME = 'universal-health-check';

const BVDK = 'Bệnh viện Đa khoa tỉnh Lâm Đồng';
const PHU_QUY = 'Trung tâm Y tế đặc khu Phú Quý';
const BAO_LOC = 'Trung tâm Y tế khu vực Bảo Lộc';
const DAM_RONG = 'Trạm Y tế xã Đam Rông 1';

/**
 * Lâm Đồng's universal health check, published beside Lạng Sơn's officials' regimes (which stay
 * in force for the officials), and a month of checks: July 2026, with June before it. Priority
 * areas (Xã Đam Rông 1, Đặc khu Phú Quý) are eligible from 1 January, everyone else from 1 July.
 * The fees are the illustrative ones of the policy file:
 *
 * | resident            | lives in (on the day)       | born       | band  | check                         | outcome                                   |
 * |---------------------|-----------------------------|------------|-------|-------------------------------|-------------------------------------------|
 * | Ka Hiền             | Xã Đam Rông 1 (priority)    | 1980-05-10 | 40-59 | 12/06 sàng lọc, Đam Rông 1    | 450,000 (June)                            |
 * |                     |                             |            |       | 20/07 định kỳ, BVĐK           | refused: YearlyLimitReached               |
 * | Nguyễn Văn Bình     | Phường Xuân Hương - Đà Lạt  | 1958-03-01 | 60+   | 20/06 định kỳ, BVĐK           | refused: NotYetEligible (not priority)    |
 * |                     |                             |            |       | 03/07 định kỳ, BVĐK           | 350,000                                   |
 * | Trần Thị Cúc        | Phường Xuân Hương - Đà Lạt  | 1995-09-15 | 18-39 | 08/07 sàng lọc, BVĐK          | 320,000                                   |
 * | Lê Minh Đức         | Đặc khu Phú Quý (priority)  | 2012-11-02 | 6-17  | 15/07 sàng lọc, Phú Quý       | refused: CheckKindNotOffered              |
 * |                     |                             |            |       | 15/07 định kỳ, Phú Quý        | 120,000                                   |
 * | Phạm Gia Bảo        | Phường Bảo Lộc 1            | 2022-04-01 | —     | 10/07 định kỳ, Bảo Lộc        | refused: AgeNotCovered (4 years old)      |
 * | Hoàng Văn Phúc      | Huyện Cao Lộc (Lạng Sơn)    | 1975-06-06 | 40-59 | 09/07 định kỳ, BVĐK           | refused: ResidenceOutOfScope              |
 * | Đỗ Thị Giang        | Phường Lâm Viên - Đà Lạt    | 1970-01-20 | 40-59 | 22/07 định kỳ, BVĐK           | 300,000, cancelled: recorded wrongly      |
 * |                     |                             |            |       | 23/07 sàng lọc, BVĐK          | 450,000                                   |
 * | Võ Văn Hải          | Xã Đam Rông 1, from 01/05   | 2000-02-10 | 18-39 | 05/06 định kỳ, Bảo Lộc        | refused: NotYetEligible (lives in Bảo Lộc)|
 * |                     | Phường Bảo Lộc 1            |            |       | 02/07 định kỳ, Bảo Lộc        | 250,000                                   |
 *
 * So July: 5 checks of 5 people, 350,000 + 320,000 + 120,000 + 450,000 + 250,000 = 1,490,000
 * payable; June: 1 check, 450,000; since 1 January: 6 checks, 6 people, 1,940,000.
 */
const REPORT_SUBJECT = 'chương trình khám sức khỏe định kỳ, khám sàng lọc miễn phí cho người dân';

describe.each(API_BACKENDS)('a universal health check as a second kind of policy, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'secondAdmin' | 'clerk' | 'auditor', ReturnType<typeof client>>;
  const ids: Record<string, string> = {};
  const checks: Record<string, string> = {};

  const register = async (key: string, fullName: string, dateOfBirth: string, nationalId: string, residenceUnit: string, from = '2025-07-01') => {
    ids[key] = (await ok(as.clerk.post('/residents', { fullName, dateOfBirth, nationalId, residenceUnit, from }), 201)).residentId;
  };
  const check = (key: string, checkedOn: string, checkKind: string, facility: string, headers?: Record<string, string>) =>
    as.clerk.post(`/residents/${ids[key]}/health-checks`, { programme: PROGRAMME, facility, checkedOn, checkKind }, headers);
  const recorded = async (key: string, checkedOn: string, checkKind: string, facility: string) => {
    const body = await ok(check(key, checkedOn, checkKind, facility), 201);
    checks[`${key} ${checkedOn}`] = body.checkId;
    return body;
  };
  const refused = (key: string, checkedOn: string, checkKind: string, facility: string, rule: string, field: string) =>
    leavesLogUnchanged(api, check(key, checkedOn, checkKind, facility), 409, { rule, fields: [expect.objectContaining({ field })] });

  beforeAll(async () => {
    // Lâm Đồng's office: its own letterhead and what its reports account for.
    api = await startApi(setup, { DOCUMENT_ISSUER: 'SỞ Y TẾ TỈNH LÂM ĐỒNG', DOCUMENT_PLACE: 'Lâm Đồng', DOCUMENT_REPORT_SUBJECT: REPORT_SUBJECT });
    as = await signInPeople(api, { secondAdmin: ['quan', ['administrator']], clerk: ['lan', ['clerk']], auditor: ['kiem', ['auditor']] });
    // Neither is recorded at start-up (they are not the default province's): published here, as an office would.
    await ok(as.admin.post('/administrative-units/changes', { changes: lamDongUnits().changes }), 201);
    const version = lamDongPolicy();
    await ok(as.admin.post('/policy-versions/drafts', version), 201);
    await ok(as.secondAdmin.post(`/policy-versions/drafts/${encodeURIComponent(version.id)}/confirmation`));

    await register('hien', 'Ka Hiền', '1980-05-10', '068180000001', 'Xã Đam Rông 1');
    await register('binh', 'Nguyễn Văn Bình', '1958-03-01', '068058000002', 'Phường Xuân Hương - Đà Lạt');
    await register('cuc', 'Trần Thị Cúc', '1995-09-15', '068195000003', 'Phường Xuân Hương - Đà Lạt');
    await register('duc', 'Lê Minh Đức', '2012-11-02', '068212000004', 'Đặc khu Phú Quý');
    await register('bao', 'Phạm Gia Bảo', '2022-04-01', '068222000005', 'Phường Bảo Lộc 1', '2025-07-01');
    await register('phuc', 'Hoàng Văn Phúc', '1975-06-06', '020075000006', 'Huyện Cao Lộc', '2024-01-01');
    await register('giang', 'Đỗ Thị Giang', '1970-01-20', '068170000007', 'Phường Lâm Viên - Đà Lạt');
    await register('hai', 'Võ Văn Hải', '2000-02-10', '068200000008', 'Xã Đam Rông 1');
    await ok(as.clerk.post(`/residents/${ids.hai}/residence-changes`, { residenceUnit: 'Phường Bảo Lộc 1', from: '2026-05-01' }));

    await recorded('hien', '2026-06-12', 'sang-loc', DAM_RONG);
    await refused('binh', '2026-06-20', 'dinh-ky', BVDK, 'NotYetEligible', 'checkedOn');
    await refused('hai', '2026-06-05', 'dinh-ky', BAO_LOC, 'NotYetEligible', 'checkedOn');
    await recorded('hai', '2026-07-02', 'dinh-ky', BAO_LOC);
    await recorded('binh', '2026-07-03', 'dinh-ky', BVDK);
    await recorded('cuc', '2026-07-08', 'sang-loc', BVDK);
    await refused('phuc', '2026-07-09', 'dinh-ky', BVDK, 'ResidenceOutOfScope', 'residentId');
    await refused('bao', '2026-07-10', 'dinh-ky', BAO_LOC, 'AgeNotCovered', 'checkedOn');
    await refused('duc', '2026-07-15', 'sang-loc', PHU_QUY, 'CheckKindNotOffered', 'checkKind');
    await recorded('duc', '2026-07-15', 'dinh-ky', PHU_QUY);
    await refused('hien', '2026-07-20', 'dinh-ky', BVDK, 'YearlyLimitReached', 'checkedOn');
    await recorded('giang', '2026-07-22', 'dinh-ky', BVDK);
    await ok(
      as.clerk.post(`/residents/${ids.giang}/health-checks/${checks['giang 2026-07-22']}/cancellation`, {
        reason: 'Ghi nhầm: khám sàng lọc, không phải định kỳ',
      }),
    );
    await recorded('giang', '2026-07-23', 'sang-loc', BVDK);
    await caughtUp(api);
  }, 180_000);
  afterAll(() => api.close());

  it('keeps the officials’ regimes in force beside the programme, and recomputes none of their stays or claims for it', async () => {
    const versions = await ok(as.auditor.get('/policy-versions'));
    expect(versions.map((version: { id: string; programme?: string }) => [version.id, version.programme ?? null])).toEqual([
      ['lang-son/nq-24-2024/v2', null],
      ['lam-dong/kham-suc-khoe-toan-dan/2026', PROGRAMME],
    ]);
    expect(await ok(as.admin.post('/policy-versions/preview', lamDongPolicy()))).toMatchObject({
      published: true,
      coverageWithdrawn: [],
      staysExamined: 0,
      claimsExamined: 0,
      changes: [],
    });
  });

  // In August, outside the month the next test counts.
  it('records a check with the fee, age band, unit, version and clause it rests on; the same Command-Id again records nothing new', async () => {
    await register('nga', 'Y Thị Nga', '1988-10-30', '068188000010', 'Phường Lâm Viên - Đà Lạt');
    const headers = { 'Command-Id': 'nga-2026-08-05-check' };
    const first = await ok(check('nga', '2026-08-05', 'dinh-ky', BVDK, headers), 201);
    expect(first).toEqual({
      checkId: expect.any(String),
      residentId: ids.nga,
      facility: BVDK,
      checkedOn: '2026-08-05',
      checkKind: 'dinh-ky',
      ageBand: '18-39',
      administrativeUnit: 'Phường Lâm Viên - Đà Lạt',
      amount: 250_000,
      programme: PROGRAMME,
      policyVersionId: 'lam-dong/kham-suc-khoe-toan-dan/2026',
      clause: lamDongPolicy().check.clause,
      recordedBy: 'lan',
    });
    await leavesLogUnchanged(api, check('nga', '2026-08-05', 'dinh-ky', BVDK, headers), 201, first);
    await leavesLogUnchanged(api, check('nga', '2026-08-06', 'dinh-ky', BVDK), 409, { rule: 'YearlyLimitReached' });
  });

  it('counts July to the đồng and the head, by unit and by facility, against June, and at its position after a later cancellation', async () => {
    const report = await ok(as.auditor.get('/reports/monthly/2026/7'));
    const figures = (visits: number, people: number, amount: number) => ({ visits, people, days: 0, amount });
    const NONE = figures(0, 0, 0);
    // The officials' budget has nothing in Lâm Đồng's month: checks payable are not money paid.
    expect(report.total.period).toEqual(NONE);
    expect(report.healthChecks.total).toMatchObject({
      period: figures(5, 5, 1_490_000),
      previous: figures(1, 1, 450_000),
      sameLastYear: NONE,
      yearToDate: figures(6, 6, 1_940_000),
      yearToDateLastYear: NONE,
      vsPrevious: { visits: { difference: 4, percent: 400 }, people: { difference: 4, percent: 400 }, amount: { difference: 1_040_000, percent: 231.1 } },
    });
    /** unit → [July: checks, people, VND], [June: checks, people, VND] */
    const byUnit = {
      'Xã Đam Rông 1': [figures(0, 0, 0), figures(1, 1, 450_000)],
      'Phường Xuân Hương - Đà Lạt': [figures(2, 2, 670_000), NONE],
      'Đặc khu Phú Quý': [figures(1, 1, 120_000), NONE],
      'Phường Lâm Viên - Đà Lạt': [figures(1, 1, 450_000), NONE],
      'Phường Bảo Lộc 1': [figures(1, 1, 250_000), NONE],
    };
    const units = report.healthChecks.units as { administrativeUnit: string; total: { period: unknown; previous: unknown } }[];
    expect(Object.fromEntries(units.map((unit) => [unit.administrativeUnit, [unit.total.period, unit.total.previous]]))).toEqual(byUnit);
    /** facility → July: checks, people, VND payable */
    const byFacility = {
      [BVDK]: figures(3, 3, 1_120_000),
      [PHU_QUY]: figures(1, 1, 120_000),
      [BAO_LOC]: figures(1, 1, 250_000),
      [DAM_RONG]: figures(0, 0, 0),
    };
    const facilities = report.healthChecks.facilities as { facility: string; total: { period: unknown } }[];
    expect(Object.fromEntries(facilities.map((facility) => [facility.facility, facility.total.period]))).toEqual(byFacility);

    // Cúc's check cancelled after the report was read: July loses it; at the report's position it does not.
    await ok(as.clerk.post(`/residents/${ids.cuc}/health-checks/${checks['cuc 2026-07-08']}/cancellation`, { reason: 'Không đến khám' }));
    await caughtUp(api);
    const now = await ok(as.auditor.get('/reports/monthly/2026/7'));
    expect(BigInt(now.position)).toBeGreaterThan(BigInt(report.position));
    expect(now.healthChecks.total.period).toEqual(figures(4, 4, 1_170_000));
    expect(await ok(as.auditor.get(`/reports/monthly/2026/7?position=${report.position}`))).toEqual(report);
  }, 60_000);

  it('writes the checks into the month’s CSV and workbook, with the JSON’s figures', async () => {
    const report = await ok(as.auditor.get('/reports/monthly/2026/7'));
    const label = 'Khám sức khỏe định kỳ, khám sàng lọc miễn phí (phải trả cơ sở khám)';
    const csv = await as.auditor.download(`/reports/monthly/2026/7?format=csv&position=${report.position}`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    const table = await new ExcelJS.Workbook().csv.read(Readable.from([bytes.subarray(3).toString('utf8')]));
    const records = table.getRows(1, table.rowCount)!.map((line) => (line.values as unknown[]).slice(1));
    const row = (unit: string, measure: string, what = label) => records.find((line) => line[0] === unit && line[1] === what && line[2] === measure)!;
    expect(row('Toàn tỉnh', 'Số tiền (đồng)').slice(3, 5)).toEqual([1_170_000, 450_000]);
    expect(row('Phường Xuân Hương - Đà Lạt', 'Số lượt')[3]).toBe(1);
    expect(row(BVDK, 'Số tiền (đồng)', `${label}: cơ sở khám`)[3]).toBe(800_000);

    const xlsx = await as.auditor.download(`/reports/monthly/2026/7?format=xlsx&position=${report.position}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const rows = workbook.worksheets[0].getRows(1, workbook.worksheets[0].rowCount)!;
    const texts = rows.flatMap((line) => (line.values as unknown[]).filter((value): value is string => typeof value === 'string'));
    expect(texts).toEqual(expect.arrayContaining(['SỞ Y TẾ TỈNH LÂM ĐỒNG', `Tình hình thực hiện ${REPORT_SUBJECT} tháng 07 năm 2026`]));
    expect(texts.some((text) => text.includes('24/2024'))).toBe(false);
    const amount = rows.find((line) => line.getCell(1).value === 'Toàn tỉnh' && line.getCell(2).value === label && line.getCell(3).value === 'Số tiền (đồng)')!;
    expect([4, 5, 11].map((column) => amount.getCell(column).value)).toEqual([1_170_000, 450_000, 1_620_000]);
  });

  it('refuses bad input naming the field, unknown residents and units, a second registration of one person, and records nothing', async () => {
    const invalid = (request: ReturnType<typeof check>, field: string) =>
      leavesLogUnchanged(api, request, 400, { statusCode: 400, fields: [expect.objectContaining({ field })] });
    const registration = { fullName: 'Y Thị Lan', dateOfBirth: '1990-01-01', nationalId: '068190000009', residenceUnit: 'Xã Đam Rông 1', from: '2025-07-01' };
    await invalid(check('cuc', '2026-02-30', 'dinh-ky', BVDK), 'checkedOn');
    await invalid(as.clerk.post(`/residents/${ids.cuc}/health-checks`, { facility: BVDK, checkedOn: '2026-07-08', checkKind: 'dinh-ky' }), 'programme');
    await invalid(as.clerk.post('/residents', { ...registration, from: undefined }), 'from');
    await invalid(as.clerk.post('/residents', { ...registration, nationalId: '068180000009' }), 'nationalId');
    await leavesLogUnchanged(api, as.clerk.post('/residents', { ...registration, residenceUnit: 'Xã Không Có' }), 404, {
      fields: [expect.objectContaining({ field: 'residenceUnit' })],
    });
    await leavesLogUnchanged(
      api,
      as.clerk.post('/residents', { ...registration, fullName: 'Ka Hiền', dateOfBirth: '1980-05-10', nationalId: '068180000001' }),
      409,
      {
        rule: 'AlreadyRegistered',
      },
    );
    const july = { programme: PROGRAMME, facility: BVDK, checkedOn: '2026-07-09', checkKind: 'dinh-ky' };
    await leavesLogUnchanged(api, as.clerk.post('/residents/nobody/health-checks', july), 404);
    await leavesLogUnchanged(api, as.clerk.post(`/residents/${ids.cuc}/health-checks`, { ...july, programme: 'another-programme' }), 409, {
      rule: 'NoPolicyInForce',
    });
    await leavesLogUnchanged(api, as.clerk.post(`/residents/${ids.cuc}/health-checks`, { ...july, checkKind: 'xet-nghiem' }), 409, {
      rule: 'UnknownCheckKind',
    });
    await leavesLogUnchanged(api, as.auditor.post(`/residents/${ids.cuc}/health-checks`, july), 403);
  });

  it('keeps a resident’s identity sealed under their own key: erased, it reads as nothing, their checks stay, and no further check can be aged', async () => {
    const shown = await ok(as.clerk.get(`/residents/${ids.binh}`));
    expect(shown.state).toMatchObject({
      residentId: ids.binh,
      dateOfBirth: '1958-03-01',
      residences: [{ unit: 'Phường Xuân Hương - Đà Lạt', from: '2025-07-01' }],
    });
    expect(shown.state.checks).toEqual([expect.objectContaining({ checkedOn: '2026-07-03', amount: 350_000, facility: BVDK })]);
    expect(shown.history[0]).toMatchObject({ type: 'ResidentRegistered', actor: 'lan', data: { fullName: 'Nguyễn Văn Bình' } });
    expect(await ok(as.auditor.get(`/audit/personal-data-reads?beneficiaryId=${ids.binh}`))).toEqual([
      expect.objectContaining({ actor: 'lan', what: 'resident' }),
    ]);
    const stream = async () => (await api.runtime.store.readStream(`resident-${ids.binh}`)).map((event) => [event.type, event.data] as const);
    expect((await stream())[0]).toEqual([
      'ResidentRegistered',
      expect.objectContaining({ fullName: 'Nguyễn Văn Bình', dateOfBirth: '1958-03-01', nationalId: '068058000002' }),
    ]);
    await leavesLogUnchanged(api, as.clerk.post(`/residents/${ids.binh}/erasure`, { reason: 'Yêu cầu của người dân' }), 403);
    const erased = await ok(as.admin.post(`/residents/${ids.binh}/erasure`, { reason: 'Yêu cầu của người dân' }));
    expect(erased).toMatchObject({ residentId: ids.binh, erased: true, standing: 1 });
    expect(erased).not.toHaveProperty('dateOfBirth');
    const after = await stream();
    expect(after[0]).toEqual([
      'ResidentRegistered',
      expect.objectContaining({ fullName: null, dateOfBirth: null, nationalId: null, residenceUnit: 'Phường Xuân Hương - Đà Lạt' }),
    ]);
    expect(after.filter(([type]) => type === 'HealthCheckRecorded')).toHaveLength(1);
    await leavesLogUnchanged(api, check('binh', '2026-08-03', 'dinh-ky', BVDK), 409, { rule: 'PersonalDataErased' });
  });
});
