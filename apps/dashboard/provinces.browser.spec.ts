import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig, openRuntime, provinceConfigs, type Runtime } from '#runtime';
import { copyPgliteTemplateFor } from '../../test/support/pglite-template.js';
import { serveProvinces, type ServedProvincesApi } from '../api/src/provinces.js';
import { ADMIN_PASSWORD } from '../api/src/testing/api-backends.fixture.js';
import { accessibilityProblems, DESKTOP, dashboardPage, horizontalOverflow, launchChromium, leaksInVietnamese, photograph } from './browser.fixture.js';

/**
 * A province served beside the process's own has its dashboard at /provinces/{id}/dashboard/,
 * talking to its own API: Lâm Đồng's administrator signs in there, sees the province named, and
 * its catalog (the universal health check only, no officials' regimes) on the policy screen.
 */
describe('a province’s dashboard at /provinces/{id}/dashboard/', () => {
  let folder: string;
  let own: Runtime;
  let served: ServedProvincesApi;
  let base: string;
  let browser: Browser;
  let page: Page;
  let missing: string[];
  let errors: string[];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hsb-province-dashboard-'));
    const config = loadConfig({
      PGLITE_DATA_DIR: join(folder, 'pglite'),
      GENERATED_SECRETS_FILE: join(folder, 'generated-passwords.txt'),
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    });
    const others = provinceConfigs(config, JSON.stringify([{ id: 'lam-dong', name: 'Lâm Đồng', adminPassword: ADMIN_PASSWORD }]));
    copyPgliteTemplateFor([config, ...others]);
    own = await openRuntime(config);
    served = await serveProvinces(own, others);
    await new Promise<void>((listening) => served.server.listen(0, '127.0.0.1', listening));
    base = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    ({ page, missing, errors } = await dashboardPage(browser, DESKTOP));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    // Keep-alive connections of the test's fetches would hold the server, and the worker, open.
    served?.server.closeAllConnections();
    await new Promise((closed) => (served ? served.server.close(closed) : closed(undefined)));
    await served?.close();
    await own?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('signs Lâm Đồng’s administrator in to Lâm Đồng’s own API, and says which province it is', async () => {
    await page.goto(`${base}/provinces/lam-dong/dashboard/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('#sign-in button');
    await page.locator('#view[data-ready]').waitFor();
    expect(await page.locator('#who').innerText()).toContain('Lâm Đồng');
    await page.goto(`${base}/provinces/lam-dong/dashboard/#/policies`);
    await page.locator('#view', { hasText: 'Tỉnh chưa ban hành phiên bản chính sách chế độ nào cho cán bộ.' }).waitFor();
    await page.goto(`${base}/provinces/lam-dong/dashboard/#/units`);
    await page.locator('#units-table').waitFor();
    // Lâm Đồng's geography, from its own catalog folder; none of Lạng Sơn's.
    const units = await page.locator('#units-table').innerText();
    expect(units).toContain('Tỉnh Lâm Đồng');
    expect(units).not.toContain('Lạng Sơn');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await leaksInVietnamese(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(missing).toEqual([]);
    expect(errors).toEqual([]);
    await photograph(page, `province-units-${DESKTOP.width}`);
    // Lạng Sơn's dashboard at / keeps a session of its own: Lâm Đồng's is not offered to it, and is still there after.
    await page.goto(`${base}/dashboard/`);
    await page.locator('#sign-in').waitFor();
    await page.goto(`${base}/provinces/lam-dong/dashboard/`);
    await page.locator('#view[data-ready]').waitFor();
    expect(await page.locator('#who').innerText()).toContain('Lâm Đồng');
  }, 60_000);
});
