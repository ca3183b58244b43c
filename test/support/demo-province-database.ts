import pg from 'pg';
import { CommandBus } from '@nestjs/cqrs';
import { generateDemoProvince, openApplication } from '#application';
import { ProjectionRunner } from '#projection-runner';
import { ALL_PROJECTIONS, createReportingViews } from '#read-models';
import { loadConfig, openRuntime } from '#runtime';
import { createTestDatabase, type TestDatabase, testServerUrl } from './test-database.js';

/** The first administrator's password in every test world (the e2e fixture signs in with it). */
export const TEST_ADMIN_PASSWORD = 'e2e-admin-password';

/**
 * A database holding the demo province (seed 2025, scale 1), its read models caught up. Several
 * test files need it and generating it takes a minute or more, so the first one builds it once
 * per test run as a template and every caller gets a copy of its own (`CREATE DATABASE … TEMPLATE`,
 * about a second). The template's name carries the run, so a server kept between runs never
 * serves a province built by older code.
 */
export async function demoProvinceDatabase(): Promise<TestDatabase> {
  const template = `hsb_test_demo_${process.env.TEST_RUN_ID ?? 'adhoc'}`;
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    // Jest may run test files in parallel: one builds, the others wait for it.
    await admin.query("SELECT pg_advisory_lock(hashtext('hsb-demo-template'))");
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (rows.length === 0) await buildDemoProvince(template);
  } finally {
    await admin.end();
  }
  const url = new URL(testServerUrl());
  url.pathname = `/${template}`;
  return createTestDatabase({ url: url.toString(), drop: async () => undefined });
}

async function buildDemoProvince(name: string): Promise<void> {
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  const building = await createTestDatabase();
  const runtime = await openRuntime(loadConfig({ DATABASE_URL: building.url, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD }));
  try {
    const app = await openApplication(runtime);
    try {
      await generateDemoProvince(app.get(CommandBus), { seed: 2025, scale: 1 });
    } finally {
      await app.close();
    }
    const runner = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { log: () => undefined, dependents: createReportingViews });
    await runner.start();
    await runner.waitUntil(await runtime.store.readHeadPosition(), undefined, 300_000);
    await runner.stop();
  } finally {
    await runtime.close();
  }
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${new URL(building.url).pathname.slice(1)} RENAME TO ${name}`);
  } finally {
    await admin.end();
  }
}
