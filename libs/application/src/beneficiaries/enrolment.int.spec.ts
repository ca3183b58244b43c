import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { API_BACKENDS } from '../../../../apps/api/src/testing/api-backends.fixture.js';
import type { CommandContext } from '../event-sourcing.js';
import { openApplication } from '../standalone.js';
import { EnrolBeneficiary } from './beneficiary-commands.js';

const clerk = (commandId: string): CommandContext => ({ actor: { username: 'lan', roles: ['clerk'] }, commandId });
const enrolment = (fullName: string) => ({
  fullName,
  dateOfBirth: '1968-05-12',
  nationalId: '020068000777',
  title: 'Bí thư Huyện ủy',
  administrativeUnit: 'Huyện Cao Lộc',
  group: 3 as const,
  from: '2025-01-01',
});

/**
 * An enrolment writes two streams, the national id's reservation and the beneficiary: one write,
 * so that an enrolment the database refuses leaves no reservation behind to block the next one.
 */
describe.each(API_BACKENDS)('enrolment over %s', (_name, setup) => {
  let prepared: Awaited<ReturnType<typeof setup>>;
  let runtime: Runtime;
  let app: INestApplicationContext;
  beforeAll(async () => {
    prepared = await setup();
    runtime = await openRuntime(loadConfig({ ...prepared.env, ADMIN_PASSWORD: 'enrolment-admin-password' }));
    app = await openApplication(runtime);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await runtime.close();
    await prepared.cleanup();
  });

  it('records the reservation and the beneficiary together, or neither', async () => {
    const bus = app.get(CommandBus);
    const head = await runtime.store.readHeadPosition();
    // PostgreSQL stores no NUL character in JSON (in a field that is not sealed): the beneficiary's append fails, and the reservation with it.
    await expect(bus.execute(new EnrolBeneficiary({ ...enrolment('Hoàng Văn An'), title: 'Bí thư\u0000' }, clerk('enrol-nul')))).rejects.toThrow();
    expect(await runtime.store.readHeadPosition()).toBe(head);
    const { beneficiaryId } = await bus.execute(new EnrolBeneficiary(enrolment('Hoàng Văn An'), clerk('enrol-again')));
    const written = await runtime.store.readAll({ after: head });
    expect(written.map((event) => [event.type, event.streamId])).toEqual([
      // Named by a keyed hash of the number, which the stream id does not spell out.
      ['NationalIdReserved', `nationalid-${runtime.personalData.reservationKey('020068000777')}`],
      ['BeneficiaryEnrolled', `beneficiary-${beneficiaryId}`],
    ]);
    expect(written[0].streamId).not.toContain('020068000777');
  });

  it('still refuses a number reserved before reservations were keyed, in a stream named by the number', async () => {
    const legacy = { nationalId: '020068000888', beneficiaryId: 'enrolled-long-ago' };
    await runtime.store.append('nationalid-020068000888', [{ type: 'NationalIdReserved', data: legacy, metadata: { actor: 'clerk', schemaVersion: 1 } }], {
      expectedRevision: 'no_stream',
    });
    await runtime.store.append(
      'beneficiary-enrolled-long-ago',
      [
        {
          type: 'BeneficiaryEnrolled',
          data: { ...enrolment('Old Record'), nationalId: '020068000888', beneficiaryId: 'enrolled-long-ago' },
          metadata: { actor: 'clerk', schemaVersion: 1 },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await expect(
      app.get(CommandBus).execute(new EnrolBeneficiary({ ...enrolment('Someone Else'), nationalId: '020068000888' }, clerk('enrol-legacy'))),
    ).rejects.toMatchObject({ rule: 'NationalIdTaken' });
  });
});
