import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { nationalIdProblem } from '#domain';
import { liveSchemaOf, ProjectionRunner, readModelChecksum } from '#projection-runner';
import { ALL_PROJECTIONS, checkCounts, checkFigures, createReportingViews, healthChecks, periodReport, reportPeriods, talliedCounts } from '#read-models';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { freshPgliteFolder } from '../../../../test/support/pglite-template.js';
import { ActOnResident, RecordHealthCheck } from '../residents/resident-commands.js';
import { openApplication } from '../standalone.js';
import { demoResident, generateResidentsDemo, RESIDENTS_DEMO_CLERK } from './residents-demo.js';

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

    it('keeps tallies that count what counting the checks counts, month by month and quarter by quarter, checks cancelled and recorded again too', async () => {
      const bus = app.get(CommandBus);
      const recorded = await runtime.store.readAll({ eventTypes: ['HealthCheckRecorded'] });
      const of = (n: number) => recorded[n].data as { residentId: string; checkId: string };
      const context = (id: string) => ({ actor: RESIDENTS_DEMO_CLERK, commandId: `tallies-${id}` });
      // Three checks recorded wrongly; two of those people checked again, one in another month and at another facility.
      for (const n of [0, 5, 9])
        await bus.execute(
          new ActOnResident(of(n).residentId, { type: 'CancelHealthCheck', data: { checkId: of(n).checkId, reason: 'Ghi nhầm' } }, context(`cancel-${n}`)),
        );
      const again = { programme: 'universal-health-check', checkKind: 'dinh-ky' };
      await bus.execute(new RecordHealthCheck(of(0).residentId, { ...again, facility: 'Trạm Y tế xã', checkedOn: '2026-10-05' }, context('again-0')));
      await bus.execute(
        new RecordHealthCheck(of(5).residentId, { ...again, facility: 'Bệnh viện Đa khoa tỉnh Lâm Đồng', checkedOn: '2026-08-20' }, context('again-5')),
      );
      // And a second check in a year, where a resident's once-a-year is spent by a check in another month: refused, not counted.
      await expect(
        bus.execute(new RecordHealthCheck(of(1).residentId, { ...again, facility: 'Trạm Y tế xã', checkedOn: '2026-11-02' }, context('second-1'))),
      ).rejects.toThrow();

      const compareAt = async (position: bigint) => {
        for (const [kind, numbers] of [
          ['month', [1, 6, 7, 8, 9, 10, 11, 12]],
          ['quarter', [1, 2, 3, 4]],
        ] as const)
          for (const number of numbers) {
            const periods = reportPeriods(kind, 2026, number);
            const tallied = await talliedCounts(runtime.pool, periods, position);
            expect(tallied).toBeDefined();
            expect(checkFigures(tallied!)).toEqual(checkFigures(await checkCounts(runtime.pool, periods, position)));
          }
      };
      const runner = new ProjectionRunner(runtime.store, runtime.pool, [healthChecks], { log: () => undefined, ...runtime.rebuild });
      await runner.start();
      const head = await runtime.store.readHeadPosition();
      await runner.waitUntil(head);
      await runner.stop();
      // As the runner follows the log, batch by batch:
      await compareAt(head);
      expect(checkFigures(await checkCounts(runtime.pool, reportPeriods('quarter', 2026, 4), head)).total.yearToDate).toMatchObject({ visits: 29, people: 29 });
      // At past positions, the tallies with the checks recorded and cancelled since undone count what counting the checks counts:
      // before any check, among the first, before the cancellations, between them and the checks recorded again, just before the head.
      const positions = (await runtime.store.readAll({ eventTypes: ['HealthCheckRecorded', 'HealthCheckCancelled'] })).map((event) => event.globalPosition);
      const past = [0n, positions[3], positions[positions.length - 6], positions[positions.length - 4], positions[positions.length - 2], head - 1n];
      for (const position of past) await compareAt(position);
      // As a rebuild from position 0 makes them: the database fills every table from the log, row for row as followed.
      const followed = await readModelChecksum(runtime.pool, liveSchemaOf(healthChecks));
      await runner.rebuild(healthChecks);
      expect(await readModelChecksum(runtime.pool, liveSchemaOf(healthChecks))).toBe(followed);
      for (const position of [...past, head]) await compareAt(position);
    }, 120_000);
  });
});
