import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { nationalIdProblem } from '#domain';
import { ProjectionRunner } from '#projection-runner';
import { ALL_PROJECTIONS, createReportingViews, periodReport } from '#read-models';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { freshPgliteFolder } from '../../../../test/support/pglite-template.js';
import { openApplication } from '../standalone.js';
import { demoResident, generateResidentsDemo } from './residents-demo.js';

const COMMUNES = ['Phường Xuân Hương - Đà Lạt', 'Phường Bảo Lộc 1', 'Xã Đam Rông 1'];

describe('the residents demo', () => {
  it('gives every index a person of its own, with a valid identity number, old enough for a check in the year', () => {
    const people = Array.from({ length: 20_000 }, (_, n) => demoResident(n, 2026, COMMUNES));
    expect(new Set(people.map((person) => person.nationalId)).size).toBe(people.length);
    expect(people.map((person) => nationalIdProblem(person.nationalId, person.dateOfBirth)).filter(Boolean)).toEqual([]);
    expect(Math.max(...people.map((person) => Number(person.dateOfBirth.slice(0, 4))))).toBe(2018);
    expect(new Set(people.map((person) => person.residenceUnit))).toEqual(new Set(COMMUNES));
  });

  describe('through the command path, on the embedded database', () => {
    let cleanup: () => Promise<void>;
    let runtime: Runtime;
    let app: INestApplicationContext;
    const slice = { seed: 7, communes: COMMUNES, programme: 'universal-health-check', year: 2026, concurrency: 8 } as const;

    beforeAll(async () => {
      const folder = freshPgliteFolder('hsb-residents-demo-');
      cleanup = folder.cleanup;
      runtime = await openRuntime(loadConfig({ PGLITE_DATA_DIR: folder.dataDir, POLICY_DIR: 'policies/lam-dong', PROJECTIONS: 'off', LOG_LEVEL: 'warn' }));
      app = await openApplication(runtime);
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await runtime?.close();
      await cleanup?.();
    });

    it('registers and checks each resident of a slice once, records nothing again when the slice is run again, and the monthly reports count them', async () => {
      const before = await runtime.store.readHeadPosition();
      await generateResidentsDemo(app.get(CommandBus), { ...slice, from: 0, count: 20 });
      await generateResidentsDemo(app.get(CommandBus), { ...slice, from: 20, count: 10 });
      const head = await runtime.store.readHeadPosition();
      expect(head - before).toBe(60n);

      await generateResidentsDemo(app.get(CommandBus), { ...slice, from: 10, count: 20 });
      expect(await runtime.store.readHeadPosition()).toBe(head);

      const runner = new ProjectionRunner(runtime.store, runtime.pool, ALL_PROJECTIONS, { log: () => undefined, dependents: createReportingViews });
      await runner.start();
      await runner.waitUntil(head);
      await runner.stop();
      const { yearToDate } = (await periodReport(runtime.pool, runtime.store, 'month', 2026, 11)).healthChecks.total;
      expect(yearToDate).toMatchObject({ visits: 30, people: 30 });
      expect(yearToDate.amount).toBeGreaterThanOrEqual(30 * 120_000);
    }, 120_000);
  });
});
