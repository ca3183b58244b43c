import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = 'docs/screenshots';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** A page that remembers every translation the dashboard reported missing. */
export async function dashboardPage(browser: Browser, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport, acceptDownloads: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
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

/** The page is no wider than the window: nothing scrolls sideways but the tables inside their boxes. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}
