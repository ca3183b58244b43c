import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { liveSchemaOf, ProjectionRunner, readModelChecksum } from '#projection-runner';
import { ALL_PROJECTIONS, consistencyCheck, createReportingViews, payments, REPORTING_VIEWS, yearEndReport } from '#read-models';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { demoProvinceDatabase } from '../../../../test/support/demo-province-database.js';
import type { TestDatabase } from '../../../../test/support/test-database.js';
import { openApplication } from '../standalone.js';
import { DEMO_FIGURES } from './demo-province.js';

const million = (amount: number) => amount * 1_000_000;

/**
 * The demo province through the real command path on a real PostgreSQL server, then the read
 * models built from its log: the year-end report must reproduce the province's 2025 figures.
 */
describe('the demo province and its year-end report', () => {
  let database: TestDatabase;
  let runtime: Runtime;
  let app: INestApplicationContext;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await demoProvinceDatabase();
    runtime = await openRuntime(loadConfig({ DATABASE_URL: database.url }));
    app = await openApplication(runtime);
    runner = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { log: () => undefined, dependents: createReportingViews });
    await runner.start();
    await runner.waitUntil(await runtime.store.readHeadPosition());
  }, 240_000);
  afterAll(async () => {
    await runner.stop();
    await app.close();
    await runtime.close();
    await database.drop();
  });

  it('reproduces the brief: register, cards, visits, meal days and every regime’s amount by group', async () => {
    const report = await yearEndReport(runtime.pool, 2025);
    expect(report.beneficiaries).toEqual({ total: 4347, byGroup: { 1: 14, 2: 56, 3: 262, 4: 1024, 5: 165, 6: 2826 } });
    expect(report.cards.newCards).toEqual({ total: 512, byGroup: DEMO_FIGURES.newCardsByGroup });
    expect(report.cards.reissued.total).toBe(40);
    expect(report.cards.issued).toBe(552);
    const regime = (code: string) => report.regimes.find((r) => r.code === code)!;
    const amountsByGroup = (code: string) => Object.fromEntries(Object.entries(regime(code).byGroup).map(([group, line]) => [group, line.amount]));
    expect(regime('a')).toMatchObject({ payouts: 106, amount: 74_500_000 });
    expect(Object.fromEntries(Object.entries(regime('a').byGroup).map(([group, line]) => [group, line.payouts]))).toEqual(DEMO_FIGURES.visitsByGroup);
    expect(regime('b')).toMatchObject({ units: 26_994, amount: 5_128_860_000 });
    expect(regime('c')).toMatchObject({ people: 193, units: 193 * 9, amount: 816_390_000 });
    expect(regime('d')).toMatchObject({ people: 20, amount: 5_820_000 });
    expect(regime('đ')).toMatchObject({ people: 19, amount: million(4.6) + million(255) });
    expect(regime('e')).toMatchObject({ people: 6, amount: million(115) });
    expect(amountsByGroup('e')).toEqual({ 2: million(40), 4: million(60), 5: million(15) });
    expect(regime('g').amount).toBe(1_004_388_000);
    expect(amountsByGroup('g')).toEqual({ 1: 281_042_000, 2: 133_082_000, 3: 290_126_000, 4: 300_138_000 });
    expect(amountsByGroup('h')).toEqual({ 1: million(38) + million(20.8), 2: million(363.9), 3: million(198), 4: million(512) });
    expect(regime('h').byGroup[1]).toMatchObject({ payouts: 22, people: 12 });
    expect(regime('i').amount).toBe(million(328.8) + million(110));
  });

  it('agrees with itself: payouts in the log = balances = budget view; over-cap exceptions are on the record', async () => {
    const check = await consistencyCheck(runtime.store, runtime.pool, 2025);
    expect(check.differences).toEqual([]);
    expect(check.rows.length).toBeGreaterThan(20);
    const { rows } = await runtime.pool.query(
      `SELECT count(*)::int AS n, sum(over_cap)::bigint AS over FROM ${liveSchemaOf(payments)}.payouts WHERE over_cap > 0`,
    );
    expect(rows[0]).toEqual({ n: 2, over: '40000000' });
  });

  it('rebuilds every read model twice, one by one and all in one read of the log, into the tables it built live', async () => {
    const checksums = async () => Promise.all(ALL_PROJECTIONS.map((p) => readModelChecksum(runtime.pool, liveSchemaOf(p))));
    const live = await checksums();
    await runner.stop();
    const rebuilder = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, {
      log: () => undefined,
      dependents: createReportingViews,
      ...runtime.rebuild,
    });
    for (const projection of ALL_PROJECTIONS) await rebuilder.rebuild(projection);
    const first = await checksums();
    await rebuilder.rebuild(ALL_PROJECTIONS);
    expect(await checksums()).toEqual(first);
    expect(first).toEqual(live);
    await runner.start();
    // The reporting views follow the swapped-in tables.
    for (const view of REPORTING_VIEWS) await runtime.pool.query(`SELECT * FROM reporting.${view} LIMIT 1`);
    const { rows } = await runtime.pool.query(
      `SELECT sum(amount)::bigint AS amount, sum(units)::int AS days FROM reporting.year_end_by_regime_and_group WHERE year = 2025 AND regime_code = 'b'`,
    );
    expect(rows[0]).toEqual({ amount: '5128860000', days: 26994 });
  }, 120_000);

  it('catches a corrupted row of the budget view, and the CLI exits 1 naming it', async () => {
    const table = `${liveSchemaOf(payments)}.budget_spending`;
    const oneRow = `year = 2025 AND regime_code = 'e' AND group_number = 4`;
    await runtime.pool.query(
      `UPDATE ${table} SET paid = paid + 1 WHERE ${oneRow} AND administrative_unit = (SELECT min(administrative_unit) FROM ${table} WHERE ${oneRow})`,
    );
    const check = await consistencyCheck(runtime.store, runtime.pool, 2025);
    expect(check.differences).toEqual([
      { regimeCode: 'e', group: 4, log: million(60), budget: million(60) + 1, report: million(60) },
      { regimeCode: 'e', group: -1, log: million(115), budget: million(115) + 1, balances: million(115) },
    ]);
    const cli = spawnSync(process.execPath, [resolve('dist/apps/cli/src/main.js'), 'check', '2025'], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('2 rows differ');
    expect(cli.stderr).toMatch(/e +4 {2}log 60,000,000 {2}budget 60,000,001 {2}report 60,000,000/);
    await runtime.pool.query(
      `UPDATE ${table} SET paid = paid - 1 WHERE ${oneRow} AND administrative_unit = (SELECT min(administrative_unit) FROM ${table} WHERE ${oneRow})`,
    );
  });

  it('catches a corrupted line of the year-end report’s tallies', async () => {
    const table = `${liveSchemaOf(payments)}.paid_by_group`;
    await runtime.pool.query(`UPDATE ${table} SET amount = amount - 5 WHERE year = 2025 AND regime_code = 'h' AND group_number = 2`);
    const check = await consistencyCheck(runtime.store, runtime.pool, 2025);
    expect(check.differences).toEqual([{ regimeCode: 'h', group: 2, log: million(363.9), budget: million(363.9), report: million(363.9) - 5 }]);
  });
});
