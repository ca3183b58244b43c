import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { pdfPages, pdfText } from '../../../test/support/pdf-files.js';
import { API_BACKENDS, caughtUp, client, drugs, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/** LibreOffice, when installed (Debian's libreoffice-calc): how the xlsx report prints, as a second program lays it out. */
const LIBREOFFICE = spawnSync('soffice', ['--version']).status === 0;

function libreOfficePdf(workbook: Uint8Array): Buffer {
  const folder = mkdtempSync(join(tmpdir(), 'hsb-libreoffice-'));
  try {
    writeFileSync(join(folder, 'report.xlsx'), workbook);
    const run = spawnSync(
      'soffice',
      ['--headless', `-env:UserInstallation=file://${folder}/profile`, '--convert-to', 'pdf', '--outdir', folder, join(folder, 'report.xlsx')],
      {
        timeout: 120_000,
      },
    );
    if (run.status !== 0) throw new Error(`LibreOffice could not print the workbook: ${run.stderr.toString()}`);
    return readFileSync(join(folder, 'report.pdf'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const NATIONAL_HEADER = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'];
const ISSUER = 'SỞ Y TẾ TỈNH LẠNG SƠN';

/** Figures as the documents print them: 1.234.567. */
const dotted = (value: number) => value.toLocaleString('de-DE');

/** Whitespace as pdftotext lays out a page (columns, wrapped lines) made single spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe.each(API_BACKENDS)('official documents as PDF, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'council' | 'approver' | 'finance' | 'auditor', ReturnType<typeof client>>;
  const story = { drugsClaim: '', checkClaim: '', pendingClaim: '', recovery: '', binh: '' };

  /** A PDF answer: its headers, and the document as bytes. */
  const pdf = async (path: string) => {
    const response = await as.auditor.download(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    return { disposition: response.headers.get('content-disposition'), bytes: new Uint8Array(await response.arrayBuffer()) };
  };

  /** Every page renders with ink on it, and is as tall and wide as A4 in the layout expected. */
  const rendersOnA4 = (bytes: Uint8Array, layout: 'portrait' | 'landscape') => {
    const pages = pdfPages(bytes);
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      expect(page.ink).toBeGreaterThan(0.005);
      expect(layout === 'portrait' ? page.height > page.width : page.width > page.height).toBe(true);
    }
    return pages;
  };

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, {
      clerk: ['lan', ['clerk']],
      council: ['minh', ['council-member']],
      approver: ['hoa', ['approver']],
      finance: ['thu', ['finance']],
      auditor: ['kiem', ['auditor']],
    });
    const enrol = async (fullName: string, nationalId: string, title: string, group: number, cardNumber: string) => {
      const { beneficiaryId } = await ok(
        as.clerk.post('/beneficiaries', {
          fullName,
          dateOfBirth: '1968-05-12',
          nationalId,
          title,
          administrativeUnit: 'Huyện Cao Lộc',
          group,
          from: '2025-01-01',
        }),
        201,
      );
      await ok(as.clerk.post('/cards', { cardNumber, beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
      return beneficiaryId as string;
    };
    story.binh = await enrol('Hoàng Văn Bình', '020068001234', 'Bí thư Huyện ủy', 3, 'LS-2025-00001');
    const mai = await enrol('Nông Thị Mai', '020168004321', 'Chủ tịch UBND huyện', 4, 'LS-2025-00002');

    // Two claims paid by one transfer, UNC-2025-0815: a batch.
    story.drugsClaim = (await ok(as.council.post('/drug-reimbursements', drugs(30_000_000, '2025-03-10', 'LS-2025-00001', story.binh)), 201)).claimId;
    await ok(as.approver.post(`/claims/${story.drugsClaim}/approval`));
    story.checkClaim = (
      await ok(as.clerk.post('/claims', { regimeId: 'h.fixed', beneficiaryId: mai, cardNumber: 'LS-2025-00002', serviceDate: '2025-04-02' }), 201)
    ).claimId;
    await ok(as.approver.post(`/claims/${story.checkClaim}/approval`));
    for (const claim of [story.drugsClaim, story.checkClaim])
      await ok(as.finance.post(`/payouts/claim-${claim}/payment`, { reference: 'UNC-2025-0815', paidOn: '2025-08-20' }));

    // A health check paid after the date Bình left the register, learnt later: recovered, partly refunded.
    const lateCheck = (
      await ok(as.clerk.post('/claims', { regimeId: 'h.fixed', beneficiaryId: story.binh, cardNumber: 'LS-2025-00001', serviceDate: '2025-09-05' }), 201)
    ).claimId;
    await ok(as.approver.post(`/claims/${lateCheck}/approval`));
    await ok(as.finance.post(`/payouts/claim-${lateCheck}/payment`, { reference: 'UNC-2025-0920', paidOn: '2025-09-20' }));
    await caughtUp(api);
    await ok(as.clerk.post(`/beneficiaries/${story.binh}/removal`, { on: '2025-09-01', reason: 'Chuyển công tác ngoài tỉnh' }));
    const { adjustments } = await ok(as.approver.post(`/claims/${lateCheck}/adjustments/approval`));
    story.recovery = `adjustment-${adjustments[0].adjustmentId}`;
    await ok(as.finance.post(`/payouts/${story.recovery}/refund`, { reference: 'PT-2025-0031', receivedOn: '2025-12-01', amount: 1_000_000 }));

    story.pendingClaim = (
      await ok(as.clerk.post('/claims', { regimeId: 'e', beneficiaryId: mai, cardNumber: 'LS-2025-00002', serviceDate: '2025-10-02' }), 201)
    ).claimId;
    await caughtUp(api);
  }, 180_000);
  afterAll(() => api.close());

  it('writes the year-end report as a document with the national header, its number, and the JSON report’s figures to the đồng at the same log position', async () => {
    const report = await ok(as.auditor.get('/reports/year-end/2025'));
    const { disposition, bytes } = await pdf(`/reports/year-end/2025?format=pdf&number=42&date=2025-12-31`);
    expect(disposition).toBe('attachment; filename="bao-cao-nam-2025.pdf"');
    const text = flat(pdfText(bytes));
    for (const line of [...NATIONAL_HEADER, ISSUER, 'Số: 42/BC-SYT', 'Lạng Sơn, ngày 31 tháng 12 năm 2025', 'BÁO CÁO', 'GIÁM ĐỐC'])
      expect(text).toContain(line);
    expect(text).toMatch(/Số liệu tính đến \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/);
    expect(text).toContain(`Tổng số kinh phí thực hiện các chính sách là ${dotted(report.totalAmount)} đồng`);
    for (const regime of report.regimes.filter((r: { payouts: number }) => r.payouts > 0))
      expect(text).toContain(`${regime.code}) ${regime.heading}: ${regime.payouts} lượt cho ${regime.people} người`);
    expect(text).toContain(`${dotted(report.regimes.find((r: { code: string }) => r.code === 'g').amount)} đồng`);
    expect(text).toContain(`Số còn phải thu hồi: ${dotted(report.recoveries.toRecover)} đồng; số đã thu hồi: ${dotted(report.recoveries.recovered)} đồng`);
    expect(text).toContain(`Nhật ký: vị trí ${report.position}`);
    rendersOnA4(bytes, 'portrait');

    // At a past position, the document is the report as it was then.
    const then = await pdf(`/reports/year-end/2025?format=pdf&position=${report.position}`);
    expect(flat(pdfText(then.bytes))).toContain(`Nhật ký: vị trí ${report.position}`);
  }, 60_000);

  it('writes the xlsx report for print: one landscape page width, letterhead, the time the figures stand at, a signature block, the log position in small print', async () => {
    const report = await ok(as.auditor.get('/reports/year-end/2025'));
    const response = await as.auditor.download('/reports/year-end/2025?format=xlsx&number=42&date=2025-12-31');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 });
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    const texts = cells.map((cell) => cell.text);
    for (const line of [...NATIONAL_HEADER, ISSUER, 'Số: 42/BC-SYT', 'Lạng Sơn, ngày 31 tháng 12 năm 2025', 'BÁO CÁO', 'GIÁM ĐỐC'])
      expect(texts).toContain(line);
    expect(texts.some((text) => /^Số liệu tính đến \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}$/.test(text))).toBe(true);
    expect(texts.some((text) => text.includes('vị trí nhật ký'))).toBe(false);
    const source = cells.find((cell) => cell.text.startsWith('Nhật ký: vị trí'))!;
    expect(source.text).toContain(report.position);
    expect(source.font.size).toBeLessThanOrEqual(8);
    const total = sheet.getRows(1, sheet.rowCount)!.find((row) => row.getCell(1).text === 'Tổng kinh phí')!;
    expect(total.getCell(3).value).toBe(report.totalAmount);
  }, 60_000);

  (LIBREOFFICE ? it : it.skip)(
    'prints the xlsx report in LibreOffice on landscape pages one wide, each label on the line of its figures',
    async () => {
      const report = await ok(as.auditor.get('/reports/year-end/2025'));
      const workbook = new Uint8Array(await (await as.auditor.download('/reports/year-end/2025?format=xlsx')).arrayBuffer());
      const printed = libreOfficePdf(workbook);
      rendersOnA4(printed, 'landscape');
      const lines = pdfText(printed).split('\n');
      expect(lines.find((line) => line.includes('Tổng kinh phí'))).toContain(dotted(report.totalAmount));
      expect(lines.find((line) => line.startsWith('g. ') && line.includes('Số tiền (đồng)'))).toContain(
        dotted(report.regimes.find((r: { code: string }) => r.code === 'g').amount),
      );
      expect(lines.join('\n')).toContain(NATIONAL_HEADER[0]);
    },
    180_000,
  );

  it('writes a payment reference’s list: every payout it paid, by name, to the đồng, with the total', async () => {
    const { disposition, bytes } = await pdf('/payment-lists/UNC-2025-0815?number=7&date=2025-08-20');
    expect(disposition).toBe('attachment; filename="danh-sach-chi-tra-UNC-2025-0815.pdf"');
    const text = flat(pdfText(bytes));
    for (const line of [...NATIONAL_HEADER, ISSUER, 'Số: 7/DS-SYT', 'DANH SÁCH CHI TRẢ', 'UNC-2025-0815 ngày 20/08/2025', 'Hoàng Văn Bình', 'Nông Thị Mai'])
      expect(text).toContain(line);
    expect(text).toContain('30.000.000');
    expect(text).toContain('2.000.000');
    expect(text).toContain('Tổng số tiền thực chi: 32.000.000 đồng (bằng chữ: Ba mươi hai triệu đồng)');
    expect(text).not.toContain('UNC-2025-0920');
    rendersOnA4(bytes, 'landscape');
  }, 60_000);

  it('writes a claim’s approval decision: whom, which regime, the amount in figures and words', async () => {
    const { disposition, bytes } = await pdf(`/claims/${story.drugsClaim}/approval-decision?number=15&date=2025-03-12`);
    expect(disposition).toBe(`attachment; filename="quyet-dinh-phe-duyet-${story.drugsClaim}.pdf"`);
    const text = flat(pdfText(bytes));
    for (const line of [
      ...NATIONAL_HEADER,
      ISSUER,
      'Số: 15/QĐ-SYT',
      'Lạng Sơn, ngày 12 tháng 03 năm 2025',
      'QUYẾT ĐỊNH',
      'Hoàng Văn Bình, Bí thư Huyện ủy, Huyện Cao Lộc (Đối tượng 3)',
      'Thuốc đặc trị, biệt dược, thực phẩm bảo vệ sức khỏe',
      'Căn cứ Chế độ g) Quy định kèm theo Nghị quyết số 24/2024',
      'Số tiền được phê duyệt 30.000.000 đồng',
      'Bằng chữ: Ba mươi triệu đồng',
      'GIÁM ĐỐC',
    ])
      expect(text).toContain(line);
    expect(text).not.toMatch(/Regulation|Resolution/);
    rendersOnA4(bytes, 'portrait');
  }, 60_000);

  it('writes a recovery’s notice: what is recovered and why, what came back and what is still owed', async () => {
    const { disposition, bytes } = await pdf(`/payouts/${story.recovery}/recovery-notice?number=3`);
    expect(disposition).toBe(`attachment; filename="thong-bao-thu-hoi-${story.recovery}.pdf"`);
    const text = flat(pdfText(bytes));
    for (const line of [
      ...NATIONAL_HEADER,
      ISSUER,
      'Số: 3/TB-SYT',
      'THÔNG BÁO',
      'Kính gửi: Ông/Bà Hoàng Văn Bình',
      'số tiền phải thu hồi là 3.000.000 đồng (bằng chữ: Ba triệu đồng)',
      '3.000.000 đồng 1.000.000 đồng 0 đồng 2.000.000 đồng',
      'nộp lại số tiền còn phải nộp 2.000.000 đồng',
    ])
      expect(text).toContain(line);
    rendersOnA4(bytes, 'portrait');
  }, 60_000);

  it('answers 404 for an unknown id, 409 for a claim not approved or a payout that is no recovery, 400 for a bad number, and records nothing', async () => {
    await leavesLogUnchanged(api, as.auditor.get('/claims/no-such-claim-7f3a/approval-decision'), 404, {
      message: expect.stringContaining('no-such-claim-7f3a'),
    });
    await leavesLogUnchanged(api, as.auditor.get('/payouts/no-such-payout-7f3a/recovery-notice'), 404, {
      message: expect.stringContaining('no-such-payout-7f3a'),
    });
    await leavesLogUnchanged(api, as.auditor.get('/payment-lists/UNC-NONE-7F3A'), 404, { message: expect.stringContaining('UNC-NONE-7F3A') });
    await leavesLogUnchanged(api, as.auditor.get('/reports/year-end/1999?format=pdf'), 400, { fields: [expect.objectContaining({ field: 'year' })] });
    await leavesLogUnchanged(api, as.auditor.get(`/claims/${story.pendingClaim}/approval-decision`), 409, { rule: 'ClaimNotApproved' });
    await leavesLogUnchanged(api, as.auditor.get(`/payouts/claim-${story.drugsClaim}/recovery-notice`), 409, { rule: 'NotARecovery' });
    await leavesLogUnchanged(api, as.auditor.get(`/claims/${story.drugsClaim}/approval-decision?number=15%2FQĐ`), 400, {
      fields: [expect.objectContaining({ field: 'number' })],
    });
    expect((await client(api.base).download(`/claims/${story.drugsClaim}/approval-decision`)).status).toBe(401);
  }, 60_000);
});
