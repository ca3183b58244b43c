import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { demoProvinceDatabase } from '../../test/support/demo-province-database.js';
import { ADMIN_PASSWORD, caughtUp, client, ok, operatorConfirms, type RunningApi, signIn, startApi } from '../api/src/testing/api-backends.fixture.js';
import {
  accessibilityProblems,
  confirm,
  DESKTOP,
  dashboardPage,
  horizontalOverflow,
  launchChromium,
  leaksInVietnamese,
  PHONE,
  photograph,
  signIn as signInToDashboard,
} from './browser.fixture.js';
const count = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const vnd = (amount: number) => `${amount < 0 ? '-' : ''}${String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;

/** The dashboard in headless Chromium over the demo province on PostgreSQL, screen by screen. */
describe('the dashboard in a browser', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let admin: ReturnType<typeof client>;
  let missing: string[];

  /**
   * Each screen passes axe-core, shows no code or English in Vietnamese, fits the window, and is
   * photographed; then the same on a phone (390 px, and no sideways scroll at 360 px), unless
   * another spec photographs it there.
   */
  const shot = async (name: string, fullPage = true, phone = true) => {
    for (const viewport of phone ? [DESKTOP, PHONE] : [DESKTOP]) {
      await page.setViewportSize(viewport);
      // The layout moves under the pointer when the width changes: keep it off the controls, whose hover colours are not what is checked.
      await page.mouse.move(viewport.width - 1, viewport.height - 1);
      expect(await accessibilityProblems(page)).toEqual([]);
      if ((await page.getAttribute('html', 'lang')) === 'vi') expect(await leaksInVietnamese(page)).toEqual([]);
      expect(missing).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      if (viewport === PHONE) {
        await page.setViewportSize({ width: 360, height: PHONE.height });
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await page.setViewportSize(PHONE);
      }
      await photograph(page, `${name}-${viewport.width}`, fullPage);
    }
    await page.setViewportSize(DESKTOP);
  };
  /** Opens a screen and waits for it, not for the screen before it, which may have the same table (this year's budget). */
  const open = async (hash: string, ready: string) => {
    await page.goto(`${api.base}/dashboard/${hash}`);
    await page.waitForSelector(`#view[data-ready="${hash}"] ${ready}`);
  };
  const signInAs = (username: string, password: string) => signInToDashboard(page, api.base, username, password);

  beforeAll(async () => {
    api = await startApi(async () => {
      const database = await demoProvinceDatabase();
      return { env: { DATABASE_URL: database.url }, cleanup: () => database.drop() };
    });
    await caughtUp(api);
    admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
    await ok(admin.post('/users', { username: 'quan', fullName: 'Quân', roles: ['administrator'], password: 'quan-password-1' }), 201);
    await operatorConfirms(api, 'quan');
    browser = await launchChromium();
    ({ page, missing } = await dashboardPage(browser, DESKTOP));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs in and shows the annual budget with the API’s figures, formatted as VND, in Vietnamese or English', async () => {
    await page.goto(`${api.base}/dashboard/`);
    await page.waitForSelector('#sign-in');
    await shot('sign-in', true, false);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong');
    await page.click('#sign-in button');
    await page.waitForSelector('text=Sai tên đăng nhập hoặc mật khẩu');
    await signInAs('admin', ADMIN_PASSWORD);
    await open('#/budget/2025', '#budget-table');
    const budget = await ok(admin.get('/budget/2025'));
    expect(budget.regimes.length).toBeGreaterThan(5);
    for (const regime of budget.regimes) {
      expect(await page.textContent(`[data-testid=paid-${regime.regimeCode}]`)).toBe(vnd(regime.paid));
      expect(await page.textContent(`[data-testid=committed-${regime.regimeCode}]`)).toBe(vnd(regime.committed));
    }
    // The demo province's meal allowances: 26,994 days at 190,000 VND.
    expect(await page.textContent('[data-testid=paid-b]')).toBe('5.128.860.000 ₫');
    expect(await page.isVisible('#budget-table canvas, .chart-box canvas')).toBe(true);
    await shot('budget');
    await page.click('[data-language=en]');
    await page.waitForSelector('text=Annual budget by regime 2025');
    await shot('budget-en');
    await page.click('[data-language=vi]');
    await page.waitForSelector('text=Ngân sách năm theo chế độ 2025');
  });

  it('downloads the import template from the register, and reports a bad list’s rows without importing it', async () => {
    await open('#/beneficiaries', '#import-file');
    const [template] = await Promise.all([page.waitForEvent('download'), page.click('text=Tải mẫu')]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await template.path());
    book.worksheets[0].getRow(3).getCell(6).value = 8;
    const bad = `${await template.path()}-bad.xlsx`;
    await book.xlsx.writeFile(bad);
    await page.setInputFiles('#import-file', bad);
    await page.click('#import-send');
    await confirm(page, /\.xlsx/);
    await page.waitForSelector('[data-testid=import-summary]');
    expect(await page.textContent('[data-testid=import-summary]')).toContain('Tệp có lỗi, chưa nhập dòng nào: 0 / 1');
    expect(await page.textContent('#import-result table')).toContain('Đối tượng phải là số từ 1 đến 6, không phải "8"');
    await shot('import-errors');
  });

  it('opens a beneficiary, the card register, and a payout’s lineage drawn as a timeline', async () => {
    await open('#/beneficiaries', 'table a');
    await page.click('table a');
    await page.waitForSelector('text=Đối tượng theo thời gian');
    await shot('beneficiary');
    await open('#/cards', '#cards-table');
    await page.fill('input[name=number]', 'LS001-3');
    await page.click('form button');
    // A locator rather than a string of script: the dashboard's CSP forbids evaluating strings as code.
    await page
      .locator('#cards-table tbody tr td:first-child')
      .filter({ hasNotText: /^LS001-3/ })
      .first()
      .waitFor({ state: 'detached' });
    await shot('cards');
    await open('#/payouts/year/2025', '#payouts-table');
    const first = await page.getAttribute('#payouts-table a', 'href');
    await page.click('#payouts-table a');
    await page.waitForSelector('#lineage li');
    const steps = await page.$$eval('#lineage li', (items) => items.map((item) => item.getAttribute('data-step')));
    const lineage = await ok(admin.get(`/payouts/${first!.replace('#/payouts/', '')}/lineage`));
    expect(steps).toEqual(lineage.lineage.map((step: { step: string }) => step.step));
    expect(steps).toContain('PayoutPaid');
    await shot('payout-lineage-demo');
  });

  it('downloads the year-end report as xlsx, which reads back with the report’s figures', async () => {
    await open('#/report/2025', '#report-table');
    expect(await page.textContent('[data-testid=report-b]')).toBe('5.128.860.000 ₫');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-xlsx]')]);
    expect(download.suggestedFilename()).toBe('bao-cao-nam-2025.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const values: unknown[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value))));
    expect(values).toContain(5_128_860_000);
    await shot('year-end-report');
  });

  it('previews a reorganization plan as one administrator and confirms it as another', async () => {
    await open('#/reorganizations', '#plan-form');
    await page.fill('#plan-id', 'lang-son-2025-07');
    await page.fill('#plan-title', 'Chính quyền địa phương hai cấp');
    await page.fill('#plan-decision', '759/QĐ-TTg');
    await page.fill('#plan-effective-from', '2025-07-01');
    const titles = [
      ['Bí thư Huyện ủy', 'Bí thư Đảng ủy xã', '3'],
      ['Chủ tịch UBND huyện', 'Chủ tịch UBND xã', '5'],
      ['Trưởng phòng cấp huyện', 'Trưởng phòng cấp xã', '6'],
    ];
    for (const [index, [old, next, group]] of titles.entries()) {
      if (index > 0) await page.click('#plan-add-row');
      const row = page.locator('#plan-titles tr').nth(index);
      await row.locator('[name=oldTitle]').fill(old);
      await row.locator('[name=newTitle]').fill(next);
      await row.locator('[name=newGroup]').selectOption(group);
    }
    await page.click('#plan-draft');
    await confirm(page, /lang-son-2025-07[\s\S]*Bí thư Đảng ủy xã/);
    await page.waitForSelector('[data-testid=plan-summary]');
    const preview = await ok(admin.get('/reorganizations/lang-son-2025-07/preview'));
    expect(await page.textContent('[data-testid=plan-summary]')).toContain(count(preview.reclassified.length));
    expect(preview.reclassified.length).toBeGreaterThan(100);
    await shot('reorganization-preview', false, false);
    // Whoever drafted the plan may not confirm it.
    await page.click('[data-confirm="lang-son-2025-07"]');
    await confirm(page, /lang-son-2025-07/);
    await page.waitForSelector('#plan-confirm-result .alert-danger');
    expect(await page.textContent('#plan-confirm-result')).toContain('Người lập không được tự duyệt');

    await signInAs('quan', 'quan-password-1');
    await open('#/reorganizations', '#plan-form');
    await page.click('[data-confirm="lang-son-2025-07"]');
    await confirm(page, /lang-son-2025-07/);
    await page.waitForSelector('[data-testid=plan-done]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=plan-done]')).toContain(count(preview.reclassified.length));
    await shot('reorganization-confirmed', true, false);
  }, 120_000);

  it('lists the recoveries still owed once an approver approved what the plan recovers', async () => {
    await ok(admin.post('/users', { username: 'hoa', fullName: 'Hoa', roles: ['approver'], password: 'hoa-password-1' }), 201);
    const approver = await signIn(api.base, 'hoa', 'hoa-password-1');
    const { rows } = await api.runtime.pool.query<{ source_id: string }>(
      "SELECT DISTINCT source_id FROM reporting.adjustments WHERE source_kind = 'admission' AND difference < 0 AND approved_by IS NULL ORDER BY source_id LIMIT 3",
    );
    expect(rows).toHaveLength(3);
    for (const { source_id } of rows) await ok(approver.post(`/admissions/${source_id}/adjustments/approval`));
    await caughtUp(api);
    const owed = await ok(admin.get('/payouts?year=2025&status=owed&limit=100'));
    expect(owed.payouts.length).toBeGreaterThanOrEqual(3);
    await open('#/recoveries/2025', '#owed-table');
    expect(await page.locator('#owed-table tbody tr').count()).toBe(owed.payouts.length);
    const [first] = owed.payouts;
    expect(await page.textContent(`[data-testid="owed-${first.payoutId}"]`)).toBe(vnd(-first.amount));
    const budget = await ok(admin.get('/budget/2025'));
    const stays = budget.regimes.find((regime: { regimeCode: string }) => regime.regimeCode === first.regimeCode);
    expect(await page.textContent(`[data-testid=to-recover-${first.regimeCode}]`)).toBe(vnd(stays.recoveries.toRecover));
    await shot('recoveries');
  }, 120_000);

  it('drafts a policy version with past effect as one administrator and confirms it as another', async () => {
    const id = 'lang-son/nq-24-2024/december-check';
    await signInAs('admin', ADMIN_PASSWORD);
    await open('#/policies', '#policy-form');
    // The form starts from the version in force; from December only, to keep the recomputation short.
    await page.fill('#policy-id', id);
    await page.fill('#policy-effective-from', '2025-12-01');
    await page.click('#policy-draft');
    await confirm(page, new RegExp(`${id}[\\s\\S]*01/12/2025`));
    await page.waitForSelector('[data-testid=policy-summary]');
    expect(await page.textContent('[data-testid=policy-summary]')).toContain('admin');
    // Whoever drafted the version may not confirm it.
    await page.click(`[data-confirm="${id}"]`);
    await confirm(page, new RegExp(id));
    await page.waitForSelector('#policy-confirm-result .alert-danger');
    expect(await page.textContent('#policy-confirm-result')).toContain('Người lập không được tự duyệt');
    expect((await admin.get(`/policy-versions/${encodeURIComponent(id)}`)).status).toBe(404);

    await signInAs('quan', 'quan-password-1');
    await open('#/policies', '#policy-form');
    await page.click(`[data-preview="${id}"]`);
    await page.waitForSelector('#policy-confirm-result [data-testid=policy-summary]');
    await page.click(`[data-confirm="${id}"]`);
    await confirm(page, new RegExp(id));
    await page.waitForSelector('[data-testid=policy-done]', { timeout: 60_000 });
    expect(await ok(admin.get(`/policy-versions/${encodeURIComponent(id)}`))).toMatchObject({ id, effectiveFrom: '2025-12-01' });
  }, 120_000);
});
