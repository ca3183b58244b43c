import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase } from '../../test/support/test-database.js';
import { ADMIN_PASSWORD, client, ok, operatorConfirms, type RunningApi, signIn as apiSignIn, startApi } from '../api/src/testing/api-backends.fixture.js';
import {
  checkScreen,
  confirm,
  type DashboardPage,
  DESKTOP,
  dashboardPage,
  daysAgo,
  launchChromium,
  leaksInEnglish,
  menu,
  PHONE,
  reloadUntil,
  photograph,
  signIn,
} from './browser.fixture.js';

/** The same day as the screens write it: dd/mm/yyyy. */
const shown = (date: string) => date.split('-').reverse().join('/');

const password = (username: string) => `${username}-mat-khau`;
const people = { clerk: 'lan.vanthu', approver: 'minh.lanhdao', approver2: 'hai.lanhdao', finance: 'hoa.ketoan', admin2: 'quan.quantri' };
const roles = { clerk: ['clerk'], approver: ['approver'], approver2: ['approver'], finance: ['finance'], admin2: ['administrator'] };
type Role = keyof typeof people | 'admin';

/**
 * Every form of the work screens driven in a browser, at desktop width, each outcome read back on
 * the screen (and, where the screen cannot say it all, from the API): cards, a person's changes,
 * stays and claims, the approvers' decisions, finance's payments, reversals and refunds, user
 * accounts, administrative units and policy versions. Every command's dialog is read before it is
 * answered, and the API's refusals (a 409's rule, a 400's field) are read beside their fields.
 * Then each screen a form lives on is checked and photographed on a phone, and every screen in
 * English. One API, one browser and one page per role for the whole file: it must stay quick.
 */
describe('every form of the work screens', () => {
  let api: RunningApi;
  let launched: Promise<Browser>;
  let browser: Browser;
  const tabs = {} as Record<Role, DashboardPage>;
  const as = (role: Role) => tabs[role].page;
  let clerkApi: ReturnType<typeof client>;
  let approverApi: ReturnType<typeof client>;
  /** The people on the register, enrolled through the API: the forms under test are the ones on their pages. */
  const ids = {} as Record<'an' | 'binh' | 'cuc' | 'dung', string>;
  const cards = { an: 'LS-AN-0001', anAgain: 'LS-AN-0002', cuc: 'LS-CUC-0001', dung: 'LS-DUNG-0001' };

  const open = async (page: Page, hash: string) => {
    await page.goto(`${api.base}/dashboard/${hash}`);
    await page
      .locator(`#view[data-ready="${hash}"]`)
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        throw new Error(`${hash} did not open; the screen says: ${await page.locator('#view').innerText()}`);
      });
  };
  /** Unfolds the action whose form has this id, unless it is open. */
  const unfold = async (page: Page, form: string) => {
    if (!(await page.isVisible(`#${form}`))) await page.click(`details:has(#${form}) > summary`);
    return page.locator(`#${form}`);
  };
  /** Submits a form and answers its dialog, having read it; then waits for the form to say it recorded. */
  const record = async (page: Page, form: string, dialog: RegExp) => {
    await page.click(`#${form} button[type=submit]`);
    await confirm(page, dialog);
    await page.locator(`#${form} [data-testid=command-done]`).waitFor();
  };
  /** Screens the story reaches that the phone's check opens again: the stay corrected, the payout reversed. */
  const reached = { stay: '', reversed: '' };
  const names = { an: 'Hoàng Văn An', binh: 'Lương Thị Bình', cuc: 'Vi Thị Cúc', dung: 'Chu Văn Dũng' };
  const person = (key: keyof typeof ids) => `#/beneficiaries/${encodeURIComponent(ids[key])}`;

  beforeAll(async () => {
    // Chromium starts while the API does.
    launched = launchChromium();
    api = await startApi(async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }, cleanup: () => database.drop() };
    });
    const admin = await apiSignIn(api.base, 'admin', ADMIN_PASSWORD);
    for (const [key, username] of Object.entries(people) as [keyof typeof people, string][]) {
      await ok(admin.post('/users', { username, fullName: username, roles: roles[key], password: password(username) }), 201);
      if (key === 'admin2') await operatorConfirms(api, username);
    }
    clerkApi = await apiSignIn(api.base, people.clerk, password(people.clerk));
    approverApi = await apiSignIn(api.base, people.approver, password(people.approver));
    const enrol = async (fullName: string, nationalId: string, dateOfBirth: string, title: string, group: number) =>
      (
        await ok<{ beneficiaryId: string }>(
          clerkApi.post('/beneficiaries', { fullName, dateOfBirth, nationalId, title, administrativeUnit: 'Sở Y tế', group, from: daysAgo(200) }),
          201,
        )
      ).beneficiaryId;
    ids.an = await enrol(names.an, '020062000101', '1962-03-04', 'Nguyên Bí thư Tỉnh ủy', 1);
    ids.binh = await enrol(names.binh, '020165000202', '1965-07-08', 'Giám đốc Sở', 3);
    ids.cuc = await enrol(names.cuc, '020170000303', '1970-01-15', 'Phó Giám đốc Sở', 3);
    ids.dung = await enrol(names.dung, '020058000404', '1958-11-20', 'Nguyên Chủ tịch UBND huyện', 2);
    for (const [key, cardNumber] of [
      ['cuc', cards.cuc],
      ['dung', cards.dung],
    ] as const)
      await ok(clerkApi.post('/cards', { cardNumber, beneficiaryId: ids[key], validFrom: daysAgo(200), validTo: daysAgo(-2000) }), 201);
    browser = await launched;
    // Each role's page signed in at once: the file's time is mostly waiting.
    await Promise.all(
      ([['admin', 'admin'], ...Object.entries(people)] as [Role, string][]).map(async ([role, username]) => {
        tabs[role] = await dashboardPage(browser, DESKTOP);
        await signIn(tabs[role].page, api.base, username, username === 'admin' ? ADMIN_PASSWORD : password(username));
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await launched?.then(
      (started) => started.close(),
      () => undefined,
    );
    await api?.close();
  });

  it('an administrator creates a user, changes their roles, resets their password (which they then sign in with) and disables them', async () => {
    const page = as('admin');
    await menu(page, 'users', 'admin');
    const form = await unfold(page, 'new-user-form');
    await form.locator('[name=username]').fill(people.clerk);
    await form.locator('[name=fullName]').fill('Nông Thị Thu');
    await form.getByLabel('Cán bộ nghiệp vụ', { exact: true }).check();
    await form.locator('[name=password]').fill(password('thu'));
    await form.locator('button[type=submit]').click();
    await confirm(page, new RegExp(`${people.clerk}[\\s\\S]*Nông Thị Thu[\\s\\S]*Cán bộ nghiệp vụ`));
    // A name already taken: the API's rule, said in words.
    await form.locator('.alert-danger').waitFor();
    expect(await form.locator('.alert-danger').innerText()).toMatch(/đã có/);
    await form.locator('[name=username]').fill('thu.vanthu');
    await form.locator('[name=fullName]').fill('Nông Thị Thu');
    await form.getByLabel('Cán bộ nghiệp vụ', { exact: true }).check();
    await form.locator('[name=password]').fill(password('thu'));
    await form.locator('button[type=submit]').click();
    await confirm(page, /thu\.vanthu/);
    const row = page.locator('[data-user="thu.vanthu"]');
    await row.waitFor();

    await row.locator('button').click();
    const rolesForm = await unfold(page, 'roles-form');
    await rolesForm.getByLabel('Cán bộ nghiệp vụ', { exact: true }).uncheck();
    await rolesForm.getByLabel('Thanh tra, kiểm toán', { exact: true }).check();
    await rolesForm.locator('button[type=submit]').click();
    await confirm(page, /Đổi vai trò: Nông Thị Thu \(thu\.vanthu\)[\s\S]*Thanh tra, kiểm toán/);
    await page.locator('[data-user="thu.vanthu"]', { hasText: 'Thanh tra, kiểm toán' }).waitFor();
    expect(await row.innerText()).not.toContain('Cán bộ nghiệp vụ');

    await row.locator('button').click();
    const passwordForm = await unfold(page, 'password-form');
    await passwordForm.locator('[name=password]').fill('mat-khau-moi-2026');
    await passwordForm.locator('button[type=submit]').click();
    await confirm(page, /Đặt lại mật khẩu: Nông Thị Thu \(thu\.vanthu\)/);
    await passwordForm.locator('[data-testid=command-done]').waitFor();
    await checkScreen(tabs.admin, 'user-actions');

    // They sign in with the new password, as an auditor now: the audit trail is their first screen.
    const thu = await dashboardPage(browser, DESKTOP);
    await signIn(thu.page, api.base, 'thu.vanthu', 'mat-khau-moi-2026');
    await thu.page.locator('#view[data-ready="#/audit"]').waitFor();
    await thu.page.context().close();

    await row.locator('button').click();
    const disableForm = await unfold(page, 'disable-form');
    await disableForm.locator('[name=reason]').fill('Chuyển công tác');
    await disableForm.locator('button[type=submit]').click();
    await confirm(page, /Khóa tài khoản: Nông Thị Thu \(thu\.vanthu\)[\s\S]*Chuyển công tác/);
    await page.locator('[data-user="thu.vanthu"] [data-status=disabled]').waitFor();
    // Disabled, the same password no longer opens the dashboard.
    const again = await dashboardPage(browser, DESKTOP);
    await again.page.goto(`${api.base}/dashboard/`);
    await again.page.fill('input[name=username]', 'thu.vanthu');
    await again.page.fill('input[name=password]', 'mat-khau-moi-2026');
    await again.page.click('#sign-in button');
    await again.page.locator('#sign-in [role=alert]', { hasText: 'Sai tên đăng nhập hoặc mật khẩu' }).waitFor();
    await again.page.context().close();
  }, 60_000);

  it('an administrator creates, renames, merges, splits and abolishes administrative units', async () => {
    const page = as('admin');
    await menu(page, 'units', 'admin');
    const on = daysAgo(30);
    const create = async (code: string, level: string, parent: string) => {
      const form = await unfold(page, 'create-unit-form');
      await form.locator('[name=code]').fill(code);
      await form.locator('[name=name]').fill(code);
      await form.locator('[name=level]').selectOption({ label: level });
      await form.locator('[name=parent]').selectOption({ label: parent });
      await form.locator('[name=from]').fill(on);
      return form;
    };
    // A unit that is already there: the API's rule, beside the field it is about.
    const refused = await create('Tỉnh Lạng Sơn', 'Tỉnh', 'Tỉnh Lạng Sơn');
    await refused.locator('button[type=submit]').click();
    await confirm(page, /Tỉnh Lạng Sơn/);
    await refused.locator('.invalid-feedback', { hasText: 'Đơn vị này đã có.' }).waitFor();
    expect(await refused.locator('[name=code]').getAttribute('aria-invalid')).toBe('true');
    for (const code of ['Xã Hoàng Đồng', 'Xã Tân Liên', 'Xã Mai Pha', 'Phường Đông Kinh', 'Phường Tam Thanh']) {
      await create(code, 'Xã', 'Tỉnh Lạng Sơn');
      await record(page, 'create-unit-form', new RegExp(`${code}[\\s\\S]*Xã[\\s\\S]*${shown(on)}`));
    }
    await page.locator('[data-unit="Phường Tam Thanh"]').waitFor();

    const rename = await unfold(page, 'rename-unit-form');
    await rename.locator('[name=code]').selectOption('Xã Mai Pha');
    await rename.locator('[name=name]').fill('Phường Mai Pha');
    await rename.locator('[name=from]').fill(daysAgo(20));
    await record(page, 'rename-unit-form', /Xã Mai Pha[\s\S]*Phường Mai Pha/);
    await page.locator('[data-unit="Xã Mai Pha"]', { hasText: 'Phường Mai Pha' }).waitFor();

    const merge = await unfold(page, 'merge-unit-form');
    await merge.locator('[name=code]').selectOption('Xã Tân Liên');
    await merge.locator('[name=into]').selectOption('Xã Hoàng Đồng');
    await merge.locator('[name=from]').fill(daysAgo(10));
    await record(page, 'merge-unit-form', /Xã Tân Liên[\s\S]*Xã Hoàng Đồng/);
    await page.locator('[data-unit="Xã Tân Liên"]', { hasText: `${shown(daysAgo(10))}` }).waitFor();
    expect(await page.locator('[data-unit="Xã Tân Liên"]').innerText()).toContain('Sáp nhập vào Xã Hoàng Đồng');

    const split = await unfold(page, 'split-unit-form');
    await split.locator('[name=code]').selectOption('Phường Mai Pha');
    await split.getByLabel('Phường Đông Kinh', { exact: true }).check();
    await split.locator('[name=from]').fill(daysAgo(5));
    await split.locator('button[type=submit]').click();
    // One unit is no split: said here, nothing sent.
    await split.locator('.invalid-feedback', { hasText: 'Chọn ít nhất hai' }).waitFor();
    await split.getByLabel('Phường Tam Thanh', { exact: true }).check();
    await record(page, 'split-unit-form', /Phường Mai Pha[\s\S]*Phường Đông Kinh, Phường Tam Thanh/);
    await page.locator('[data-unit="Xã Mai Pha"]', { hasText: 'Chia thành Phường Đông Kinh, Phường Tam Thanh' }).waitFor();

    const abolish = await unfold(page, 'abolish-unit-form');
    await abolish.locator('[name=code]').selectOption('Phường Tam Thanh');
    await abolish.locator('[name=successor]').selectOption('Phường Đông Kinh');
    await abolish.locator('[name=from]').fill(daysAgo(1));
    await record(page, 'abolish-unit-form', /Phường Tam Thanh[\s\S]*Phường Đông Kinh/);
    await page.locator('[data-unit="Phường Tam Thanh"]', { hasText: 'Giải thể, kế thừa bởi Phường Đông Kinh' }).waitFor();
    await checkScreen(tabs.admin, 'units-changed');
  }, 60_000);

  it('a clerk issues a card (a number already issued is refused beside it), reissues one and revokes another', async () => {
    const page = as('clerk');
    await open(page, person('an'));
    const issue = await unfold(page, 'issue-card-form');
    await issue.locator('[name=cardNumber]').fill(cards.cuc);
    await issue.locator('[name=validFrom]').fill(daysAgo(200));
    await issue.locator('[name=validTo]').fill(daysAgo(-2000));
    await issue.locator('button[type=submit]').click();
    await confirm(page, new RegExp(cards.cuc));
    await issue.locator('.invalid-feedback', { hasText: 'đã được cấp' }).waitFor();
    await issue.locator('[name=cardNumber]').fill(cards.an);
    await issue.locator('[name=validFrom]').fill(daysAgo(200));
    await issue.locator('[name=validTo]').fill(daysAgo(-2000));
    await record(page, 'issue-card-form', new RegExp(`Cấp thẻ: Hoàng Văn An[\\s\\S]*${cards.an}[\\s\\S]*${shown(daysAgo(200))}`));
    await page.locator('#person-cards', { hasText: cards.an }).waitFor();

    await menu(page, 'cards');
    await page.click(`[data-card="${cards.an}"]`);
    const reissue = await unfold(page, 'reissue-form');
    await reissue.locator('[name=newCardNumber]').fill(cards.anAgain);
    await reissue.locator('[name=reason]').selectOption('lost');
    await reissue.locator('[name=on]').fill(daysAgo(100));
    await record(page, 'reissue-form', new RegExp(`${cards.anAgain}[\\s\\S]*Mất thẻ`));
    await reloadUntil(page, `#cards-table tr:has-text("${cards.anAgain}")`);
    expect(await page.locator('#cards-table tr', { hasText: cards.an }).first().innerText()).toContain('Đã cấp lại');

    await page.click(`[data-card="${cards.dung}"]`);
    const revoke = await unfold(page, 'revoke-form');
    await revoke.locator('[name=on]').fill(daysAgo(3));
    await revoke.locator('[name=reason]').fill('Không còn thuộc diện');
    await record(page, 'revoke-form', new RegExp(`${cards.dung}[\\s\\S]*Không còn thuộc diện`));
    await reloadUntil(page, `#cards-table tr:has-text("${cards.dung}") [data-status=revoked]`);
    await checkScreen(tabs.clerk, 'cards-changed');
  }, 60_000);

  it('a clerk changes a person’s title and unit, reclassifies them, records their retirement; removes another from the register; records a death', async () => {
    const page = as('clerk');
    await open(page, person('binh'));
    const position = await unfold(page, 'position-form');
    await position.locator('[name=title]').fill('Phó Chủ tịch UBND tỉnh');
    await position.locator('[name=administrativeUnit]').fill('UBND tỉnh Lạng Sơn');
    await position.locator('[name=from]').fill(daysAgo(60));
    await record(page, 'position-form', /Lương Thị Bình[\s\S]*Phó Chủ tịch UBND tỉnh[\s\S]*UBND tỉnh Lạng Sơn/);
    await page.locator('#view p', { hasText: 'Phó Chủ tịch UBND tỉnh — UBND tỉnh Lạng Sơn' }).waitFor();

    const reclassify = await unfold(page, 'reclassify-form');
    await reclassify.locator('[name=group]').selectOption('2');
    await reclassify.locator('[name=from]').fill(daysAgo(60));
    await reclassify.locator('[name=reason]').fill('Giữ chức vụ mới');
    await reclassify.locator('[name=decisionNumber]').fill('125/QĐ-UBND');
    await record(page, 'reclassify-form', /Lương Thị Bình[\s\S]*Đối tượng 2[\s\S]*125\/QĐ-UBND/);
    await page.locator('table tr', { hasText: 'Giữ chức vụ mới' }).waitFor();
    expect(await page.locator('table tr', { hasText: 'Giữ chức vụ mới' }).innerText()).toContain('Đối tượng 2');

    const retire = await unfold(page, 'retirement-form');
    await retire.locator('[name=on]').fill(daysAgo(2));
    await page.click('#retirement-form button[type=submit]');
    await confirm(page, new RegExp(`Lương Thị Bình[\\s\\S]*${shown(daysAgo(2))}`));
    // Retired, the person stays on the register, entitled as before: only the retirement is no longer offered.
    await page.locator('[data-status=retired]').waitFor();
    await page.locator('#retirement-form').waitFor({ state: 'detached' });
    await page.locator('[data-action=request-claim]').waitFor();

    await open(page, person('dung'));
    const death = await unfold(page, 'death-form');
    await death.locator('[name=on]').fill(daysAgo(1));
    await page.click('#death-form button[type=submit]');
    // The dialog says what the recomputation from that day would recover: nothing was paid.
    await confirm(page, new RegExp(`Chu Văn Dũng[\\s\\S]*${shown(daysAgo(1))}[\\s\\S]*0 đợt điều trị và 0 yêu cầu; thu hồi 0 ₫\\.`));
    await page.locator('[data-status=deceased]').waitFor();
    await checkScreen(tabs.clerk, 'beneficiary-deceased');
  }, 60_000);

  it('a clerk corrects a stay’s dates and requests support with the documents’ reference numbers', async () => {
    const page = as('clerk');
    const { admissionId } = await ok<{ admissionId: string }>(
      clerkApi.post('/admissions', { beneficiaryId: ids.an, cardNumber: cards.anAgain, facility: 'Bệnh viện Đa khoa tỉnh Lạng Sơn', admittedOn: daysAgo(12) }),
      201,
    );
    await ok(clerkApi.post(`/admissions/${admissionId}/discharge`, { dischargedOn: daysAgo(8) }));
    reached.stay = `#/admissions/${encodeURIComponent(admissionId)}`;
    await open(page, reached.stay);
    await page.locator('#stay-entitlements', { hasText: '950.000 ₫' }).waitFor();
    const correct = await unfold(page, 'correct-dates-form');
    await correct.locator('[name=admittedOn]').fill(daysAgo(14));
    await correct.locator('[name=reason]').fill('Giấy ra viện ghi ngày vào viện sớm hơn');
    await record(page, 'correct-dates-form', new RegExp(`${shown(daysAgo(14))}[\\s\\S]*${shown(daysAgo(8))}[\\s\\S]*Giấy ra viện`));
    // Seven days of meals at 190.000 ₫ rather than five.
    await page.locator('#stay-entitlements', { hasText: '1.330.000 ₫' }).waitFor();
    await checkScreen(tabs.clerk, 'stay-corrected');

    const claim = async (key: keyof typeof ids, regime: string, facts: Record<string, string>, documents: string) => {
      await open(page, person(key));
      await unfold(page, 'claim-regime');
      await page.selectOption('#claim-regime', regime);
      const form = page.locator('#claim-form');
      await form.locator('[name=serviceDate]').fill(daysAgo(4));
      for (const [name, value] of Object.entries(facts)) await form.locator(`[name=${name}]`).fill(value);
      await form.locator('[name=documents]').fill(documents);
      await page.click('#claim-form button[type=submit]');
      await confirm(page, new RegExp(`Đề nghị hỗ trợ: [^\\n]+ — ${names[key]}[\\s\\S]*${documents.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      await form.locator('[data-testid=command-done]', { hasText: 'Đã ghi nhận đề nghị.' }).waitFor();
    };
    const drugs = { councilDecisionNumber: 'HĐCM-15/2026', drugName: 'Sorafenib 200mg', quantity: '60' };
    await claim('an', 'g', { ...drugs, cost: '120.000.000' }, 'ĐT-0412/BVĐK, HĐ-0098');
    await claim('an', 'g', { ...drugs, cost: '30.000.000' }, 'ĐT-0413/BVĐK');
    await claim('an', 'd', { outOfPocket: '4.000.000' }, 'BL-2231');
    await claim('an', 'i', { cost: '1.500.000' }, 'HĐ-KSK-77');
    await claim('cuc', 'h.fixed', {}, 'GKS-0015');
    await checkScreen(tabs.clerk, 'claim-requested');
  }, 60_000);

  it('approvers approve in part, reject, propose an approval over the cap that a second approver confirms, and approve a reviewed selection at once', async () => {
    const page = as('approver');
    await menu(page, 'approvals');
    const item = (text: string) => page.locator('#approval-queue .queue-item[data-kind=claim]', { hasText: text });
    await reloadUntil(page, '#approval-queue .queue-item[data-kind=claim] >> nth=4');
    // What the clerk attached: the documents' reference numbers, for the approver to check.
    expect(await item('120.000.000 ₫').innerText()).toContain('ĐT-0412/BVĐK, HĐ-0098');
    await checkScreen(tabs.approver, 'approvals-claims');

    const partial = await item('120.000.000 ₫').getAttribute('data-item');
    await item('120.000.000 ₫').getByRole('button', { name: 'Duyệt phần còn trong trần' }).click();
    await confirm(page, /Hoàng Văn An[\s\S]*Thuốc đặc trị/);
    await page.locator(`[data-item="${partial}"]`).waitFor({ state: 'detached' });

    const overCap = await item('30.000.000 ₫').getAttribute('data-item');
    const proposal = await unfold(page, `over-cap-proposal-${overCap}`);
    await proposal.locator('[name=reason]').fill('Điều trị ung thư gan, Hội đồng chuyên môn chỉ định tiếp');
    await page.click(`#over-cap-proposal-${overCap} button[type=submit]`);
    await confirm(page, /Đề xuất duyệt vượt trần[\s\S]*Hoàng Văn An[\s\S]*Điều trị ung thư gan/);
    // Proposed, it waits for another approver: it leaves its proposer's queue.
    await page.locator(`[data-item="${overCap}"]`).waitFor({ state: 'detached' });

    const rejected = await item('4.000.000 ₫').getAttribute('data-item');
    const rejection = await unfold(page, `rejection-${rejected}`);
    await rejection.locator('[name=reason]').fill('Chi phí đã được bảo hiểm y tế chi trả');
    await page.click(`#rejection-${rejected} button[type=submit]`);
    await confirm(page, /Từ chối[\s\S]*Hoàng Văn An[\s\S]*Hỗ trợ viện phí[\s\S]*bảo hiểm y tế/);
    await page.locator(`[data-item="${rejected}"]`).waitFor({ state: 'detached' });

    for (const text of ['1.500.000 ₫', 'Vi Thị Cúc']) await item(text).locator('input[type=checkbox]').check();
    await page.click('#approve-selected');
    await confirm(
      page,
      /Đã chọn 2[\s\S]*Hoàng Văn An\s+Khám sức khỏe phục vụ đại hội Đảng · [\d/]+ · 1\.500\.000 ₫[\s\S]*Vi Thị Cúc\s+Khám sức khỏe định kỳ, đối tượng 3–4/,
    );
    await page.locator('#view .alert-success', { hasText: 'Đã duyệt 2; không duyệt được 0.' }).waitFor();

    // The proposal waits for another approver; its proposer may not confirm it.
    const second = as('approver2');
    await menu(second, 'approvals');
    await reloadUntil(second, `.queue-item[data-kind=over-cap-confirmation][data-item="${overCap}"]`);
    const confirmation = second.locator(`.queue-item[data-kind=over-cap-confirmation][data-item="${overCap}"]`);
    expect(await confirmation.innerText()).toContain(`${people.approver}: Điều trị ung thư gan`);
    await checkScreen(tabs.approver2, 'approvals-over-cap');
    await confirmation.locator('[data-approve]').click();
    await confirm(second, /Hoàng Văn An/);
    await confirmation.waitFor({ state: 'detached' });

    // The payouts as the API holds them: the cap's remainder, the whole of the exception, nothing for the rejected claim.
    // The confirmed exception's payout is scheduled by the workflow a moment after the confirmation.
    await open(page, person('an'));
    await reloadUntil(page, '#payouts-table tr:has-text("100.000.000 ₫")');
    await reloadUntil(page, '#payouts-table tr:has-text("30.000.000 ₫")');
    const { payouts } = await ok<{ payouts: { payoutId: string; amount: number }[] }>(approverApi.get(`/payouts?beneficiaryId=${ids.an}`));
    const amounts = Object.fromEntries(payouts.map((payout) => [payout.payoutId, payout.amount]));
    expect(amounts[`claim-${partial}`]).toBe(100_000_000);
    expect(amounts[`claim-${overCap}`]).toBe(30_000_000);
    expect(amounts[`claim-${rejected}`]).toBeUndefined();
    expect(Object.values(amounts).sort((a, b) => a - b)).toEqual([1_500_000, 30_000_000, 100_000_000]);
  }, 60_000);

  it('finance pays one payout, reverses another, and records the refund of a recovery', async () => {
    const page = as('finance');
    await menu(page, 'finance');
    const row = (text: string) => page.locator('#finance-queue tbody tr', { hasText: text });
    await reloadUntil(page, '#finance-queue tbody tr >> nth=3');
    await checkScreen(tabs.finance, 'finance-queue');
    const pay = async (text: string, reference: string) => {
      await row(text).locator('input[type=checkbox]').check();
      await page.fill('#pay-form [name=reference]', reference);
      await page.click('#pay-form button[type=submit]');
      await confirm(page, new RegExp(`${reference}[\\s\\S]*Đã chọn 1`));
      await page.locator('[data-testid=batch-paid]', { hasText: 'Đã chi 1 khoản' }).waitFor();
      await row(text).waitFor({ state: 'detached' });
    };
    await pay('Vi Thị Cúc', 'UNC-0901');
    const lineage = await row('1.500.000 ₫').locator('a').getAttribute('href');
    await pay('1.500.000 ₫', 'UNC-0902');

    reached.reversed = lineage!;
    await open(page, lineage!);
    const reverse = await unfold(page, 'reverse-form');
    await reverse.locator('[name=reason]').fill('Ngân hàng trả lại: sai số tài khoản');
    await page.click('#reverse-form button[type=submit]');
    await confirm(page, /Hủy chi[\s\S]*Khám sức khỏe phục vụ đại hội Đảng[\s\S]*1\.500\.000 ₫[\s\S]*sai số tài khoản/);
    await page.locator('#lineage li[data-step=PayoutReversed]').waitFor();
    await page.locator('#reverse-form').waitFor({ state: 'detached' });
    expect(await page.locator('#lineage li[data-step=PayoutReversed]').innerText()).toContain('sai số tài khoản');
    await checkScreen(tabs.finance, 'payout-reversed');

    // The clerk removes Cúc from the day before her check-up: the dialog says what will be recovered.
    const clerk = as('clerk');
    await open(clerk, person('cuc'));
    const removal = await unfold(clerk, 'removal-form');
    await removal.locator('[name=on]').fill(daysAgo(5));
    await removal.locator('[name=reason]').fill('Chuyển công tác ngoài tỉnh');
    await clerk.click('#removal-form button[type=submit]');
    await confirm(clerk, /Đưa ra khỏi danh sách: Vi Thị Cúc[\s\S]*0 đợt điều trị và 1 yêu cầu; thu hồi 3\.000\.000 ₫\./);
    await clerk.locator('[data-status=removed]').waitFor();
    // What the removal recovers waits for an approver, who approves it from the queue.
    const approver = as('approver');
    await open(approver, '#/approvals');
    await reloadUntil(approver, '.queue-item[data-kind=adjustment]');
    const adjustment = approver.locator('.queue-item[data-kind=adjustment]');
    expect(await adjustment.innerText()).toMatch(
      /Vi Thị Cúc[\s\S]*-3\.000\.000 ₫[\s\S]*Thay đổi danh sách\s+Đối tượng 3 → Đối tượng 3\s+3\.000\.000 ₫\s+0 ₫\s+-3\.000\.000 ₫/,
    );
    await checkScreen(tabs.approver, 'approvals-adjustment');
    await adjustment.locator('[data-approve]').click();
    await confirm(approver, /Điều chỉnh[\s\S]*Vi Thị Cúc[\s\S]*Khám sức khỏe định kỳ, đối tượng 3–4[\s\S]*-3\.000\.000 ₫/);
    await adjustment.waitFor({ state: 'detached' });

    await page.goto(`${api.base}/dashboard/#/finance`);
    await reloadUntil(page, '#collect-table tbody tr');
    expect(await page.locator('#collect-table tbody tr').innerText()).toContain('3.000.000 ₫');
    const refund = await unfold(page, (await page.locator('#collect-table form').getAttribute('id'))!);
    await refund.locator('[name=reference]').fill('PT-0031');
    await refund.locator('[name=amount]').fill('3.000.000');
    await refund.locator('button[type=submit]').click();
    await confirm(page, /Vi Thị Cúc · Khám sức khỏe định kỳ, đối tượng 3–4 · Còn phải thu 3\.000\.000 ₫[\s\S]*PT-0031[\s\S]*3\.000\.000 ₫/);
    await page.locator('#view', { hasText: 'Không còn khoản nào phải thu.' }).waitFor();
    await menu(page, 'recoveries', 'reports');
    await page.locator('#recovery-totals tr', { hasText: '3.000.000 ₫' }).waitFor();
    await checkScreen(tabs.finance, 'recoveries-refunded');
  }, 60_000);

  it('one administrator drafts a version that adds a regime and leaves one out, and another confirms it', async () => {
    const page = as('admin');
    const versionId = 'lang-son/nq-24-2024/v3';
    await menu(page, 'policies', 'admin');
    await page.fill('#policy-id', versionId);
    await page.fill('#policy-effective-from', daysAgo(1));
    await page.click('[data-regime=c] > summary');
    await page.check('#c-remove');
    await page.click('#policy-add-regime');
    const regime = page.locator('[data-new-regime]');
    await regime.locator('[name=id]').fill('h.council');
    await regime.locator('[name=code]').selectOption('i');
    await regime.locator('[name=name]').fill('Khám sức khỏe cho thành viên Hội đồng (health checks for council members)');
    await regime.locator('[name=clause]').fill('Quy định kèm theo Nghị quyết 24/2024, điểm h');
    await regime.locator('[name=kind]').selectOption('actual-cost-up-to-claim-ceiling');
    for (const group of ['1', '2']) await regime.locator(`[name$="|ceilingByGroup|${group}"]`).fill('5.000.000');
    const diff = page.locator('#policy-diff-table');
    await diff.locator('tr', { hasText: 'Thêm vào phiên bản: Theo chi phí thực tế, tối đa mỗi lần' }).waitFor();
    expect(await diff.innerText()).toMatch(/Điều dưỡng, phục hồi sức khỏe[^\n]*\tĐang áp dụng\tBỏ khỏi phiên bản/);
    expect(await diff.innerText()).toMatch(/h\.council\) — Mức tối đa mỗi lần — Đối tượng 1\tkhông hưởng\t5\.000\.000 ₫/);
    await page.click('#policy-draft');
    await confirm(page, /Bỏ khỏi phiên bản[\s\S]*Thêm vào phiên bản/);
    // The id does not start with the letter chosen: the API's 400, beside the id.
    await regime.locator('.invalid-feedback', { hasText: 'Mã chế độ phải bắt đầu bằng chữ cái của chế độ' }).waitFor();
    await checkScreen(tabs.admin, 'policy-regimes');
    await regime.locator('[name=code]').selectOption('h');
    await page.click('#policy-draft');
    await confirm(page, /h\.council/);
    await page.locator('[data-testid=policy-summary]').waitFor();

    const second = as('admin2');
    await menu(second, 'policies', 'admin');
    await second.click(`[data-confirm="${versionId}"]`);
    await confirm(second, new RegExp(versionId));
    await second.locator('[data-testid=policy-done]').waitFor({ timeout: 60_000 });
    const versions = await ok<{ id: string; regimes: { id: string }[] }[]>(approverApi.get('/policy-versions'));
    const v3 = versions.find((version) => version.id === versionId)!;
    expect(v3.regimes.map((one) => one.id)).toContain('h.council');
    expect(v3.regimes.map((one) => one.id)).not.toContain('c');
  }, 90_000);

  it('the screens the forms live on, on a phone', async () => {
    const screens: [Role, string, string][] = [
      ['admin', '#/users', 'user-actions'],
      ['admin', '#/units', 'units-changed'],
      ['admin', '#/policies', 'policy-regimes'],
      ['clerk', person('an'), 'claim-requested'],
      ['clerk', '#/cards', 'cards-changed'],
      ['clerk', reached.stay, 'stay-corrected'],
      ['finance', reached.reversed, 'payout-reversed'],
      ['approver', '#/approvals', 'approvals-claims'],
      ['finance', '#/finance', 'finance-queue'],
    ];
    for (const [role, hash, name] of screens) {
      await as(role).setViewportSize(PHONE);
      await open(as(role), hash);
      await checkScreen(tabs[role], name);
    }
  }, 60_000);

  it('every screen in English, signed in with the English language chosen', async () => {
    const screens: Record<'admin' | 'clerk' | 'approver' | 'finance', string[]> = {
      admin: [
        '#/budget',
        '#/users',
        '#/policies',
        '#/reorganizations',
        '#/units',
        '#/audit',
        '#/payouts',
        '#/recoveries',
        '#/report',
        '#/beneficiaries',
        '#/cards',
      ],
      clerk: [person('an'), '#/beneficiaries/new', '#/records'],
      approver: ['#/approvals'],
      finance: ['#/finance'],
    };
    // Named as the Vietnamese screenshots of the same screens, but for the budget, which the demo province's spec photographs in English.
    const names: Record<string, string> = {
      '#/budget': 'budget-this-year',
      '#/beneficiaries/new': 'enrol',
      '#/report': 'year-end-report',
      '#/beneficiaries': 'register',
    };
    for (const [role, hashes] of Object.entries(screens) as [keyof typeof screens, string[]][]) {
      const page = as(role);
      await page.setViewportSize(DESKTOP);
      const username = role === 'admin' ? 'admin' : people[role];
      await signIn(page, api.base, username, username === 'admin' ? ADMIN_PASSWORD : password(username), 'en');
      for (const hash of hashes) {
        await open(page, hash);
        await checkScreen(tabs[role], names[hash] ?? (hash === person('an') ? 'beneficiary-clerk' : hash.slice(2)));
      }
    }
    // Signed out, the sign-in form stays in the language chosen.
    await as('admin').click('#sign-out');
    await as('admin').locator('#sign-in', { hasText: 'Sign in' }).waitFor();
    expect(await leaksInEnglish(as('admin'))).toEqual([]);
    await photograph(as('admin'), `sign-in-en-${DESKTOP.width}`, false);
  }, 90_000);
});
