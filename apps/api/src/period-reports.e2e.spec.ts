import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { API_BACKENDS, caughtUp, client, drugs, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

const ZERO = { visits: 0, people: 0, days: 0, amount: 0 };

/**
 * A small month recorded through the API, January 2025, with December 2024 before it (the policy
 * took effect on 10 December 2024, so the same month a year earlier holds nothing):
 *
 * - Bình (group 4, Huyện Văn Lãng): a health check on 20/12/2024, 2,000,000; a stay from 06/01 to
 *   09/01/2025, visit allowance 700,000 and meals 4 days × 190,000 = 760,000; all paid.
 * - An (group 3, Huyện Cao Lộc): a health check on 20/01/2025, 3,000,000, paid; special drugs on
 *   25/01/2025, 5,000,000, approved, paid only after the first report is read; special drugs on
 *   10/02/2025, 2,000,000, paid (the quarter's, not January's).
 */
describe.each(API_BACKENDS)('monthly and quarterly reports, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'council' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;
  let lateDrugs = '';

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      council: ['minh', ['council-member']],
      approver: ['hoa', ['approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
    });
    const enrol = async (fullName: string, nationalId: string, title: string, administrativeUnit: string, group: number, cardNumber: string) => {
      const { beneficiaryId } = await ok(
        as.clerk.post('/beneficiaries', { fullName, dateOfBirth: '1968-05-12', nationalId, title, administrativeUnit, group, from: '2024-12-10' }),
        201,
      );
      await ok(as.clerk.post('/cards', { cardNumber, beneficiaryId, validFrom: '2024-12-10', validTo: '2029-12-31' }), 201);
      return beneficiaryId as string;
    };
    const an = await enrol('Nông Văn An', '020068001111', 'Bí thư Huyện ủy', 'Huyện Cao Lộc', 3, 'LS-2024-00001');
    const binh = await enrol('Hoàng Văn Bình', '020068002222', 'Chủ tịch UBND huyện', 'Huyện Văn Lãng', 4, 'LS-2024-00002');
    const pay = (payoutId: string, paidOn: string) => ok(as.finance.post(`/payouts/${payoutId}/payment`, { reference: `UNC-${paidOn}`, paidOn }));
    const check = async (beneficiaryId: string, cardNumber: string, serviceDate: string) => {
      const { claimId } = await ok(as.clerk.post('/claims', { regimeId: 'h.fixed', beneficiaryId, cardNumber, serviceDate }), 201);
      await ok(as.approver.post(`/claims/${claimId}/approval`));
      return claimId as string;
    };
    const drugsApproved = async (cost: number, serviceDate: string) => {
      const { claimId } = await ok(as.council.post('/drug-reimbursements', drugs(cost, serviceDate, 'LS-2024-00001', an)), 201);
      await ok(as.approver.post(`/claims/${claimId}/approval`));
      return claimId as string;
    };

    await pay(`claim-${await check(binh, 'LS-2024-00002', '2024-12-20')}`, '2024-12-28');
    const { admissionId } = await ok(
      as.clerk.post('/admissions', { beneficiaryId: binh, cardNumber: 'LS-2024-00002', facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: '2025-01-06' }),
      201,
    );
    await ok(as.clerk.post(`/admissions/${admissionId}/discharge`, { dischargedOn: '2025-01-09' }));
    await ok(as.approver.post(`/admissions/${admissionId}/approval`));
    await pay(`admission-${admissionId}-a`, '2025-01-15');
    await pay(`admission-${admissionId}-b`, '2025-01-15');
    await pay(`claim-${await check(an, 'LS-2024-00001', '2025-01-20')}`, '2025-02-03');
    lateDrugs = await drugsApproved(5_000_000, '2025-01-25');
    await pay(`claim-${await drugsApproved(2_000_000, '2025-02-10')}`, '2025-02-20');
    await caughtUp(api);
  }, 180_000);
  afterAll(() => api.close());

  it('counts January against December across New Year, to the đồng and the head, by unit; and at its position after a later payment', async () => {
    const report = await ok(as.auditor.get('/reports/monthly/2025/1'));
    expect(report).toMatchObject({ kind: 'month', year: 2025, number: 1, position: expect.stringMatching(/^\d+$/) });
    expect(report.asOf).not.toBeNull();
    expect(report.periods).toEqual({
      period: { from: '2025-01-01', to: '2025-01-31' },
      previous: { from: '2024-12-01', to: '2024-12-31' },
      sameLastYear: { from: '2024-01-01', to: '2024-01-31' },
      yearToDate: { from: '2025-01-01', to: '2025-01-31' },
      yearToDateLastYear: { from: '2024-01-01', to: '2024-01-31' },
    });
    // The stay's visit and meals and An's check; the drugs approved but not paid count nowhere yet.
    expect(report.total).toMatchObject({
      period: { visits: 3, people: 2, days: 4, amount: 4_460_000 },
      previous: { visits: 1, people: 1, days: 0, amount: 2_000_000 },
      sameLastYear: ZERO,
      yearToDate: { visits: 3, people: 2, days: 4, amount: 4_460_000 },
      yearToDateLastYear: ZERO,
      vsPrevious: {
        visits: { difference: 2, percent: 200 },
        people: { difference: 1, percent: 100 },
        days: { difference: 4, percent: null },
        amount: { difference: 2_460_000, percent: 123 },
      },
      vsSameLastYear: { amount: { difference: 4_460_000, percent: null } },
    });
    const regime = (code: string) => report.regimes.find((line: { code: string }) => line.code === code).figures;
    expect(regime('a').period).toEqual({ visits: 1, people: 1, days: 0, amount: 700_000 });
    expect(regime('b').period).toEqual({ visits: 1, people: 1, days: 4, amount: 760_000 });
    expect(regime('h').period).toEqual({ visits: 1, people: 1, days: 0, amount: 3_000_000 });
    expect(regime('h').vsPrevious.amount).toEqual({ difference: 1_000_000, percent: 50 });
    expect(regime('g').period).toEqual(ZERO);
    expect(
      report.units.map((unit: { administrativeUnit: string; total: { period: unknown; previous: unknown }; regimes: { code: string }[] }) => [
        unit.administrativeUnit,
        unit.total.period,
        unit.total.previous,
        unit.regimes.map((line) => line.code),
      ]),
    ).toEqual([
      ['Huyện Cao Lộc', { visits: 1, people: 1, days: 0, amount: 3_000_000 }, ZERO, ['h']],
      ['Huyện Văn Lãng', { visits: 2, people: 1, days: 4, amount: 1_460_000 }, { visits: 1, people: 1, days: 0, amount: 2_000_000 }, ['a', 'b', 'h']],
    ]);

    // Paid after the report was read, the January drugs join January; at the report's position they do not.
    await ok(as.finance.post(`/payouts/claim-${lateDrugs}/payment`, { reference: 'UNC-2025-0301', paidOn: '2025-03-01' }));
    await caughtUp(api);
    const now = await ok(as.auditor.get('/reports/monthly/2025/1'));
    expect(BigInt(now.position)).toBeGreaterThan(BigInt(report.position));
    expect(now.total.period).toEqual({ visits: 4, people: 2, days: 4, amount: 9_460_000 });
    expect(await ok(as.auditor.get(`/reports/monthly/2025/1?position=${report.position}`))).toEqual(report);
  }, 60_000);

  it('accumulates the first quarter against the fourth quarter of the year before', async () => {
    const report = await ok(as.auditor.get('/reports/quarterly/2025/1'));
    expect(report).toMatchObject({ kind: 'quarter', year: 2025, number: 1, periods: { previous: { from: '2024-10-01', to: '2024-12-31' } } });
    expect(report.total.period).toEqual({ visits: 5, people: 2, days: 4, amount: 11_460_000 });
    expect(report.total.previous).toEqual({ visits: 1, people: 1, days: 0, amount: 2_000_000 });
    expect(report.total.yearToDate).toEqual(report.total.period);
    expect(report.total.vsPrevious.amount).toEqual({ difference: 9_460_000, percent: 473 });
  });

  // The January drugs are paid by now (the first test).
  it('writes the month as the office’s workbook, in Vietnamese with labels beside figures on one landscape page width, and as CSV, with the JSON’s figures', async () => {
    const report = await ok(as.auditor.get('/reports/monthly/2025/1'));
    const xlsx = await as.auditor.download(`/reports/monthly/2025/1?format=xlsx&position=${report.position}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="bao-cao-thang-01-2025.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 });
    const rows = sheet.getRows(1, sheet.rowCount)!;
    const texts = rows.flatMap((row) => (row.values as unknown[]).filter((value): value is string => typeof value === 'string'));
    expect(texts).toEqual(expect.arrayContaining(['BÁO CÁO', 'Tình hình thực hiện Nghị quyết số 24/2024/NQ-HĐND tháng 01 năm 2025']));
    expect(texts.some((text) => text.startsWith(`Nhật ký: vị trí ${report.position}, mã băm SHA-256 ${report.logHash}`))).toBe(true);
    const heading = rows.find((row) => row.getCell(1).value === 'Đơn vị')!;
    expect([4, 5, 8, 11, 12].map((column) => heading.getCell(column).value)).toEqual([
      'Tháng 01/2025',
      'Tháng 12/2024',
      'Tháng 01/2024',
      'Lũy kế đến 31/01/2025',
      'Cùng kỳ đến 31/01/2024',
    ]);
    const row = (unit: string, regime: string, measure: string) =>
      rows.find((line) => line.getCell(1).value === unit && line.getCell(2).value === regime && line.getCell(3).value === measure)!;
    const amount = row('Toàn tỉnh', 'Tổng cộng', 'Số tiền (đồng)');
    expect([4, 5, 6, 7, 8, 11].map((column) => amount.getCell(column).value)).toEqual([9_460_000, 2_000_000, 7_460_000, 373, 0, 9_460_000]);
    expect(amount.getCell(4).numFmt).toContain('₫');
    expect(amount.getCell(7).numFmt).toContain('%');
    expect(row('Huyện Văn Lãng', 'b. Hỗ trợ tiền ăn khi điều trị nội trú', 'Số ngày').getCell(4).value).toBe(4);
    expect(row('Huyện Cao Lộc', 'Tổng cộng', 'Số người').getCell(4).value).toBe(1);

    const csv = await as.auditor.download(`/reports/monthly/2025/1?format=csv&position=${report.position}`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark, so that Excel reads the Vietnamese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = new ExcelJS.Workbook();
    const table = await parsed.csv.read(Readable.from([bytes.subarray(3).toString('utf8')]));
    const records = table.getRows(1, table.rowCount)!.map((line) => (line.values as unknown[]).slice(1));
    expect(records[0].slice(0, 4)).toEqual(['Đơn vị', 'Chế độ', 'Chỉ tiêu', 'Tháng 01/2025']);
    expect(records.find((line) => line[0] === 'Toàn tỉnh' && line[1] === 'Tổng cộng' && line[2] === 'Số lượt')!.slice(3, 7)).toEqual([4, 1, 3, 300]);
    expect(records.find((line) => line[0] === 'Huyện Văn Lãng' && line[1] === 'Tổng cộng' && line[2] === 'Số tiền (đồng)')![3]).toBe(1_460_000);
    expect(records.at(-1)!.slice(0, 2)).toEqual(['Nhật ký: vị trí, mã băm SHA-256', Number(report.position)]);
  });

  it('refuses a month, quarter, year, format or position that is not one, naming the field, and lets nobody unsigned read', async () => {
    const refused = async (path: string, field: string) =>
      leavesLogUnchanged(api, as.auditor.get(path), 400, { statusCode: 400, fields: [expect.objectContaining({ field })] });
    await refused('/reports/monthly/2025/13', 'month');
    await refused('/reports/monthly/2025/0', 'month');
    await refused('/reports/monthly/1999/1', 'year');
    await refused('/reports/monthly/2025/x', 'month');
    await refused('/reports/quarterly/2025/5', 'quarter');
    await refused('/reports/quarterly/2025/1.5', 'quarter');
    await refused('/reports/monthly/2025/1?format=pdf', 'format');
    await refused('/reports/quarterly/2025/1?position=-1', 'position');
    expect((await fetch(`${api.base}/reports/monthly/2025/1`)).status).toBe(401);
  });
});
