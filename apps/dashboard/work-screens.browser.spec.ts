import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../../test/support/pdf-files.js';
import { createTestDatabase } from '../../test/support/test-database.js';
import { ADMIN_PASSWORD, operatorConfirms, type RunningApi, startApi } from '../api/src/testing/api-backends.fixture.js';
import {
  checkScreen,
  confirm,
  type DashboardPage,
  DESKTOP,
  dashboardPage,
  daysAgo,
  launchChromium,
  menu,
  openMenu,
  PHONE,
  reloadUntil,
  photograph,
  signIn,
} from './browser.fixture.js';

/**
 * One whole story through the work screens only, on a desktop and on a phone: users created, a
 * clerk enrols someone and records a stay, an approver approves it from the queue, finance pays
 * it in a batch, one administrator drafts a policy version in the form and another confirms it,
 * downloads the batch's payment list, and an auditor finds the payment in the audit trail. Every screen is checked by axe-core, for
 * words left untranslated, for sideways overflow (also at 360 px on the phone), and photographed.
 */
describe.each([
  ['desktop', DESKTOP, 'd'],
  ['phone', PHONE, 'p'],
] as const)('the work screens on a %s', (_name, viewport, tag) => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  let tab: DashboardPage;
  const people = {
    clerk: `lan.vanthu${tag}`,
    approver: `minh.lanhdao${tag}`,
    finance: `hoa.ketoan${tag}`,
    auditor: `tuan.thanhtra${tag}`,
    admin2: `quan.quantri${tag}`,
  };
  const password = (username: string) => `${username}-mat-khau`;
  const nationalId = tag === 'd' ? '020068001111' : '020068002222';
  const cardNumber = `LS-${tag.toUpperCase()}-0001`;

  /** Signs in through the form, as the user the story created (with the password it gave them). */
  const signInAs = (username: string, secret = password(username)) => signIn(page, api.base, username, secret);

  beforeAll(async () => {
    api = await startApi(async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }, cleanup: () => database.drop() };
    });
    browser = await launchChromium();
    tab = await dashboardPage(browser, viewport);
    ({ page } = tab);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('an administrator creates the office’s users in the users screen', async () => {
    await page.goto(`${api.base}/dashboard/`);
    await page.locator('#sign-in').waitFor();
    await photograph(page, `sign-in-${viewport.width}`, false);
    await signInAs('admin', ADMIN_PASSWORD);
    await menu(page, 'users', 'admin');
    const roles = { clerk: 'Cán bộ nghiệp vụ', approver: 'Lãnh đạo duyệt', finance: 'Kế toán', auditor: 'Thanh tra, kiểm toán', admin2: 'Quản trị viên' };
    for (const [key, username] of Object.entries(people) as [keyof typeof people, string][]) {
      const form = page.locator('#new-user-form');
      if (!(await form.isVisible())) await page.click('[data-action=new-user] > summary');
      await form.locator('[name=username]').fill(username);
      await form.locator('[name=fullName]').fill(username);
      await form.getByLabel(roles[key], { exact: true }).check();
      await form.locator('[name=password]').fill(key === 'clerk' ? 'short' : password(username));
      await form.locator('button[type=submit]').click();
      if (key === 'clerk') {
        // Checked here as the API checks it, said beside the field, nothing sent.
        await form.locator('.invalid-feedback', { hasText: 'Mật khẩu phải có ít nhất 12 ký tự' }).waitFor();
        await form.locator('[name=password]').fill(password(username));
        await form.locator('button[type=submit]').click();
      }
      await confirm(page, new RegExp(username));
      await page.locator(`[data-user="${username}"]`).waitFor();
    }
    await operatorConfirms(api, people.admin2);
    await checkScreen(tab, 'users');
    await menu(page, 'reorganizations', 'admin');
    await checkScreen(tab, 'reorganizations');
    await menu(page, 'units', 'admin');
    await checkScreen(tab, 'units');
  }, 120_000);

  it('a clerk enrols a beneficiary, issues a card and records a stay', async () => {
    await signInAs(people.clerk);
    await menu(page, 'beneficiaries');
    await checkScreen(tab, 'register');
    await page.click('#enrol-link');
    await page.locator('#enrol-form').waitFor();
    const form = page.locator('#enrol-form');
    await form.locator('[name=fullName]').fill('Nông Văn An');
    await form.locator('[name=dateOfBirth]').fill('1968-05-02');
    await form.locator('[name=nationalId]').fill('02006800');
    await form.locator('[name=title]').fill('Phó Chủ tịch UBND tỉnh');
    await form.locator('[name=administrativeUnit]').fill('UBND tỉnh Lạng Sơn');
    await form.locator('[name=group]').selectOption('2');
    await form.locator('[name=from]').fill('2024-12-10');
    await form.locator('button[type=submit]').click();
    await form.locator('.invalid-feedback', { hasText: 'Số định danh phải gồm đúng 12 chữ số' }).waitFor();
    await checkScreen(tab, 'enrol-errors');
    await form.locator('[name=nationalId]').fill(nationalId);
    await form.locator('button[type=submit]').click();
    await confirm(page, /Nông Văn An[\s\S]*Đối tượng 2[\s\S]*10\/12\/2024/);
    await page.locator('#person-actions').waitFor();

    // Without a card yet, the person waits in the clerk's queue, counted beside its menu entry; the queue leads back to them.
    await menu(page, 'records');
    const waiting = page.locator('#records-queue tr[data-kind=card-missing]', { hasText: 'Nông Văn An' });
    await reloadUntil(page, '#records-queue tr[data-kind=card-missing]');
    expect(await waiting.innerText()).toMatch(/Chưa có thẻ còn hạn[\s\S]*10\/12\/2024/);
    await checkScreen(tab, 'records');
    await openMenu(page);
    await page.locator('#menu [data-waiting="records"]:not([hidden])', { hasText: /^1$/ }).waitFor();
    await waiting.getByRole('link', { name: 'Cấp thẻ' }).click();
    await page.locator('#person-actions').waitFor();

    await page.click('[data-action=issue-card] > summary');
    const card = page.locator('#issue-card-form');
    await card.locator('[name=cardNumber]').fill(cardNumber);
    await card.locator('[name=validFrom]').fill('2025-01-01');
    await card.locator('[name=validTo]').fill('2030-12-31');
    await card.locator('button[type=submit]').click();
    await confirm(page, new RegExp(cardNumber));
    await page.locator('#person-cards', { hasText: cardNumber }).waitFor();
    await checkScreen(tab, 'beneficiary-clerk');

    await page.click('[data-action=record-admission] > summary');
    const admission = page.locator('#admission-form');
    await admission.locator('[name=facility]').fill('Bệnh viện Đa khoa tỉnh Lạng Sơn');
    await admission.locator('[name=admittedOn]').fill(daysAgo(10));
    await admission.locator('button[type=submit]').click();
    await confirm(page, /Bệnh viện Đa khoa tỉnh Lạng Sơn/);
    await page.locator('#discharge-form').waitFor();
    await page.locator('#discharge-form [name=dischargedOn]').fill(daysAgo(3));
    await page.click('#discharge-form button[type=submit]');
    await confirm(page, /Ngày ra viện/);
    await page.locator('#stay-entitlements').waitFor();
    // Eight calendar days of meals at the catalog's 190,000 VND, written as the office writes money.
    expect(await page.locator('#stay-entitlements').innerText()).toContain('1.520.000 ₫');
    await checkScreen(tab, 'stay');

    // The same person again. A national id whose birth year is not the date of birth's: the API's 400, beside the field.
    await page.goto(`${api.base}/dashboard/#/beneficiaries/new`);
    await page.locator('#enrol-form').waitFor();
    const again = {
      fullName: 'Nông Văn An',
      dateOfBirth: '1968-05-02',
      nationalId: '020070001111',
      title: 'Chuyên viên',
      administrativeUnit: 'Sở Y tế',
      from: '2025-01-01',
    };
    for (const [name, value] of Object.entries(again)) await page.locator(`#enrol-form [name=${name}]`).fill(value);
    await page.locator('#enrol-form [name=group]').selectOption('6');
    await page.click('#enrol-form button[type=submit]');
    await confirm(page, /Chuyên viên/);
    await page.locator('#enrol-form .invalid-feedback', { hasText: 'Số định danh không khớp với năm sinh' }).waitFor();
    expect(await page.getAttribute('#enrol-form [name=nationalId]', 'aria-invalid')).toBe('true');
    // Then the id already on the register: the API's rule, in words, in an alert.
    await page.locator('#enrol-form [name=nationalId]').fill(nationalId);
    await page.click('#enrol-form button[type=submit]');
    await confirm(page, /Chuyên viên/);
    await page.locator('#enrol-form .alert-danger', { hasText: 'Số định danh này đã có trong danh sách.' }).waitFor();
    await checkScreen(tab, 'enrol-refused');
  }, 120_000);

  it('an approver approves the stay from the queue that waits for them', async () => {
    await signInAs(people.approver);
    await reloadUntil(page, '#approval-queue .queue-item');
    await openMenu(page);
    expect(await page.locator('[data-waiting=approvals]').innerText()).toBe('1');
    if (await page.isVisible('#menu-toggle')) await page.click('#menu-toggle');
    await page.locator('#navigation:not(.collapsing)').waitFor({ state: 'attached' });
    const item = page.locator('#approval-queue .queue-item').first();
    expect(await item.innerText()).toMatch(/lang-son\/nq-24-2024\/v2[\s\S]*190\.000 ₫[\s\S]*1\.520\.000 ₫/);
    await checkScreen(tab, 'approvals');
    await item.locator('[data-approve]').click();
    await confirm(page, /Đợt điều trị/);
    await page.locator('[data-testid=queue-empty]').waitFor();
  }, 60_000);

  it('finance pays the approved payouts as a batch under one payment reference and downloads its payment list', async () => {
    await signInAs(people.finance);
    // This year's budget: the visit allowances' used up by the stay, the meals' past 80 %; every screen says so.
    await menu(page, 'budget', 'reports');
    for (const [code, amount] of [
      ['a', '1.000.000'],
      ['b', '1.800.000'],
    ]) {
      if (!(await page.isVisible('#allocation-form'))) await page.click('[data-action=allocate] > summary');
      await page.selectOption('#allocation-form [name=regimeCode]', code);
      await page.fill('#allocation-form [name=amount]', amount);
      await page.fill('#allocation-form [name=decisionNumber]', '2850/QĐ-UBND');
      await page.click('#allocation-form button[type=submit]');
      await confirm(page, new RegExp(`${amount} ₫`));
      await page.locator(`[data-testid=allocated-${code}]`, { hasText: `${amount} ₫` }).waitFor();
    }
    await page.locator('[data-testid=budget-notice-a-100]', { hasText: 'đã dùng hết dự toán' }).waitFor();
    await page.locator('[data-testid=budget-notice-b-80]', { hasText: '84,4 %' }).waitFor();
    await checkScreen(tab, 'budget-notices');
    await menu(page, 'finance');
    await reloadUntil(page, '#finance-queue tbody tr:nth-child(2)');
    await checkScreen(tab, 'finance');
    await page.check('#select-all-payouts');
    await page.fill('#pay-form [name=reference]', `UNC-${tag}-0815`);
    await page.click('#pay-form button[type=submit]');
    await confirm(page, new RegExp(`UNC-${tag}-0815[\\s\\S]*Đã chọn 2`));
    await page.locator('[data-testid=batch-paid]', { hasText: 'Đã chi 2 khoản' }).waitFor();
    await page.locator('[data-testid=queue-empty]').waitFor();
    await checkScreen(tab, 'finance-paid');
    // The batch's payment list, as the API writes it: both payouts under the reference.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=payment-list]')]);
    expect(download.suggestedFilename()).toBe(`danh-sach-chi-tra-UNC-${tag}-0815.pdf`);
    const text = pdfText(readFileSync(await download.path()));
    expect(text).toContain(`UNC-${tag}-0815`);
    expect(text).toContain('Nông Văn An');
  }, 60_000);

  it('one administrator drafts a policy version in the form and another confirms it', async () => {
    const versionId = `lang-son/nq-24-2024/thu-${tag}`;
    await signInAs('admin', ADMIN_PASSWORD);
    await menu(page, 'policies', 'admin');
    await page.fill('#policy-id', versionId);
    await page.fill('#policy-effective-from', daysAgo(20));
    await page.click('[data-regime=b] > summary');
    await page.fill('[name="b|rateByGroup|2"]', '200.000');
    await page.locator('#policy-diff-table', { hasText: '200.000 ₫' }).waitFor();
    await checkScreen(tab, 'policy-form');
    await page.click('#policy-draft');
    await confirm(page, /190\.000 ₫ → 200\.000 ₫/);
    await page.locator('[data-testid=policy-summary]').waitFor();
    // Whoever drafted the version may not confirm it.
    await page.click(`[data-confirm="${versionId}"]`);
    await confirm(page, new RegExp(versionId));
    await page.locator('#policy-confirm-result .alert-danger', { hasText: 'Người lập không được tự duyệt' }).waitFor();

    await signInAs(people.admin2);
    await menu(page, 'policies', 'admin');
    await page.click(`[data-preview="${versionId}"]`);
    await page.locator('#policy-confirm-result [data-testid=policy-summary]').waitFor();
    await checkScreen(tab, 'policy-drafts');
    await page.click(`[data-confirm="${versionId}"]`);
    await confirm(page, new RegExp(versionId));
    await page.locator('[data-testid=policy-done]').waitFor({ timeout: 60_000 });
  }, 120_000);

  it('an auditor finds the payment in the audit trail and follows it to its lineage', async () => {
    await signInAs(people.auditor);
    await page.locator('#audit-table').waitFor();
    await page.fill('input[name=actor]', people.finance);
    await page.selectOption('select[name=action]', 'PayoutPaid');
    await page.click('#audit-filter');
    await page.locator('#audit-table tbody tr:not([data-action=PayoutPaid])').first().waitFor({ state: 'detached' });
    expect(await page.locator('#audit-table tbody tr').count()).toBe(2);
    await checkScreen(tab, 'audit');
    await page.locator('#audit-table tbody tr a').first().click();
    await page.locator('#lineage li[data-step=PayoutPaid]').waitFor();
    expect(await page.locator('#lineage').innerText()).toContain(`UNC-${tag}-0815`);
    await checkScreen(tab, 'payout-lineage');
  }, 60_000);
});
