import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
// @ts-expect-error: the dashboard's words are a plain ES module served to browsers, without types.
import { LANGUAGES } from './public/i18n.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = 'docs/screenshots';

/** A day `days` before today in Vietnam (UTC+7), as the date inputs take it and the API writes it. */
export const daysAgo = (days: number) => new Date(Date.now() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** A browser page on the dashboard, with every translation it reported missing and every script error it threw. */
export interface DashboardPage {
  readonly page: Page;
  readonly missing: string[];
  readonly errors: string[];
}

/** A page (a browser context of its own: its own session and language) that remembers every translation the dashboard reported missing. */
export async function dashboardPage(browser: Browser, viewport: { width: number; height: number }): Promise<DashboardPage> {
  // Reduced motion turns off Bootstrap's colour transitions: axe, reading a button mid-fade after the
  // pointer left it, would find colours that are on no screen at rest (seen on a loaded machine).
  const page = await browser.newPage({ viewport, acceptDownloads: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', reducedMotion: 'reduce' });
  const missing: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('missing translation')) missing.push(message.text());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, missing, errors };
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's serious and critical violations on the page as it stands (WCAG 2 A and AA). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's CSP does not govern; the page's own scripts still may not eval.
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<AxeResult>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })",
  );
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** The codes and English an untranslated Vietnamese screen would show: statuses, events, rules, keys, regime ids. */
const LEAKS = [
  /\b(registered|retired|deceased|removed|valid|replaced|revoked|scheduled|paid|reversed|owed|recovered|written-off|requested|approved|rejected|admitted|discharged|active|disabled|awaiting-confirmation)\b/,
  /\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/,
  /\b(?:nav|invalid)\.[a-zA-Z]+\b/,
  /\b[a-kđ]\.(?:fixed|actual-cost|home|out-of-province|monthly|check-session)\b/,
  // Roles, but not as part of a user name (demo.clerk).
  /(?<![\w.-])(?:clerk|approver|finance|auditor|administrator|council-member)(?![\w.-])/,
  /\d{4,}(?:,\d)? %/,
  /\b\d{1,3}(?:\d{3})+ ₫/,
  // The English citation of the first catalog versions, which Vietnamese screens word as the resolution does.
  /\b(?:Regulation|Resolution|regime)\b/,
  // A value the screen failed to format.
  /\b(?:null|undefined|NaN)\b|\[object \w+\]/,
];

/** What on the page, as the reader sees it, is a code or English rather than Vietnamese. */
export async function leaksInVietnamese(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return LEAKS.flatMap((pattern) => {
    const found = new RegExp(pattern.source, 'g');
    return [...text.matchAll(found)].map((match) => match[0]);
  });
}

type Words = { texts: Record<string, string>; codes: Record<string, Record<string, string>> };
const { vi, en } = LANGUAGES as { vi: Words; en: Words };

/**
 * The dashboard's own Vietnamese phrases (of two words or more, so that a place name such as
 * "Tỉnh Lạng Sơn" in the data is not taken for the level "Tỉnh"), each piece between placeholders,
 * wherever English says something else: one of them on an English screen is a text left untranslated.
 */
const VIETNAMESE_PHRASES = [
  ...Object.entries(vi.texts).filter(([key, text]) => en.texts[key] !== text),
  ...Object.entries(vi.codes).flatMap(([kind, codes]) => Object.entries(codes).filter(([code, text]) => en.codes[kind]?.[code] !== text)),
]
  .flatMap(([, text]) => text.split(/\{\w+\}/))
  .map((piece) => piece.replace(/^[\s(,.:;–—-]+|[\s),.:;–—-]+$/g, ''))
  .filter((piece) => /\s/.test(piece) && /[^\p{ASCII}]/u.test(piece));

/** Numbers written the Vietnamese way: 1.520.000 ₫, 93,1 %. */
const VIETNAMESE_NUMBERS = [/\b\d{1,3}(?:\.\d{3})+ ₫/g, /\b\d+,\d+ %/g];

/** What on an English page is the dashboard's Vietnamese (or its way of writing numbers) rather than English. */
export async function leaksInEnglish(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return [...VIETNAMESE_PHRASES.filter((phrase) => text.includes(phrase)), ...VIETNAMESE_NUMBERS.flatMap((pattern) => text.match(pattern) ?? [])];
}

/** The page is no wider than the window: nothing scrolls sideways but the tables inside their boxes. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * Every screen: no serious or critical axe finding, nothing untranslated (in the page's language),
 * no missing translation or script error, no sideways scroll (on a phone also at 360 px), and a
 * picture named after the screen, its language when not Vietnamese, and the window's width.
 */
export async function checkScreen({ page, missing, errors }: DashboardPage, screen: string): Promise<void> {
  await page.locator('#view[data-ready]').waitFor();
  const english = (await page.getAttribute('html', 'lang')) === 'en';
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await (english ? leaksInEnglish(page) : leaksInVietnamese(page))).toEqual([]);
  expect(missing).toEqual([]);
  expect(errors).toEqual([]);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  const viewport = page.viewportSize() ?? DESKTOP;
  if (viewport.width === PHONE.width) {
    await page.setViewportSize({ width: 360, height: PHONE.height });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize(PHONE);
  }
  await photograph(page, `${screen}${english ? '-en' : ''}-${viewport.width}`);
}

/**
 * The README's picture `name` of the page as it stands. A run on a developer's machine refreshes
 * them; a CI run's clone is thrown away with its pictures, so CI takes none (each is a second or so
 * of a loaded machine).
 */
export async function photograph(page: Page, name: string, fullPage = true): Promise<void> {
  if (process.env.CI) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });
}

/** On a phone, unfolds the menu behind its toggler (once it has finished folding, if it was). */
export async function openMenu(page: Page): Promise<void> {
  if (!(await page.isVisible('#menu-toggle'))) return;
  await page.locator('#navigation:not(.collapsing)').waitFor({ state: 'attached' });
  if ((await page.locator('#navigation.show').count()) === 0) await page.click('#menu-toggle');
  await page.locator('#navigation.show').waitFor();
}

/** Opens a menu entry as a person would: the toggler first on a phone, the drop-down when the entry is in one. */
export async function menu(page: Page, entry: string, dropdown?: string): Promise<void> {
  await openMenu(page);
  if (dropdown) await page.click(`#menu [data-nav="${dropdown}"]`);
  await page.click(`#menu [data-nav="${entry}"]`);
  await page.locator(`#view[data-ready^="#/${entry}"]`).waitFor();
}

/** Signs in through the sign-in form (signing out first if someone is), having chosen the language when one is given. */
export async function signIn(page: Page, base: string, username: string, password: string, language?: 'vi' | 'en'): Promise<void> {
  await page.goto(`${base}/dashboard/`);
  await page.locator('#sign-in, #view[data-ready]').waitFor();
  if (!(await page.isVisible('#sign-in'))) {
    await openMenu(page);
    await page.click('#sign-out');
  }
  if (language) await page.click(`[data-language=${language}]`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('#sign-in button');
  await page.locator('#view[data-ready]').waitFor();
}

/** What the read models or the payout workflow record a moment after a command: the screen is read again until it shows. */
export async function reloadUntil(page: Page, selector: string): Promise<void> {
  for (let attempt = 0; attempt < 40 && !(await page.isVisible(selector)); attempt++) {
    await page.waitForTimeout(250);
    await page.reload();
    await page.locator('#view[data-ready]').waitFor();
  }
  if (!(await page.isVisible(selector))) throw new Error(`${selector} never showed; the screen says: ${await page.locator('#view').innerText()}`);
}

/** Answers the confirmation dialog, having read what it says will be recorded; returns what it said. */
export async function confirm(page: Page, expected: RegExp): Promise<string> {
  const dialog = page.locator('dialog.confirm-dialog');
  await dialog.waitFor();
  const said = await dialog.innerText();
  expect(said).toMatch(expected);
  await page.click('[data-testid=confirm-yes]');
  await dialog.waitFor({ state: 'detached' });
  return said;
}
