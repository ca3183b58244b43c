import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { createTestDatabase, onTestServer, type TestDatabase } from '../../../test/support/test-database.js';
import { caughtUp, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/**
 * Least privilege on a PostgreSQL server: migrations run as the role owning the schema
 * (DATABASE_OWNER_URL), the API as a role that may append events only through append_events and
 * read them. Logged in as that role, every way of rewriting history is refused.
 */
describe('API as a least-privilege database role — PostgreSQL server', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `hsb_test_owner_${suffix}`;
  const application = `hsb_test_app_${suffix}`;
  let database: TestDatabase;
  let api: RunningApi;
  let asApplication: pg.Client;
  const as = (role: string) => {
    const url = new URL(database.url);
    url.username = role;
    return url.toString();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await onTestServer(`CREATE ROLE ${owner} LOGIN; CREATE ROLE ${application} LOGIN`);
    await onTestServer(`ALTER DATABASE ${new URL(database.url).pathname.slice(1)} OWNER TO ${owner}`);
    api = await startApi(async () => ({ env: { DATABASE_URL: as(application), DATABASE_OWNER_URL: as(owner) }, cleanup: async () => undefined }));
    asApplication = new pg.Client({ connectionString: as(application) });
    await asApplication.connect();
  });
  afterAll(async () => {
    await asApplication?.end();
    await api?.close();
    await database?.drop();
    await onTestServer(`DROP ROLE IF EXISTS ${application}; DROP ROLE IF EXISTS ${owner}`);
  });

  it('serves commands and reads as that role', async () => {
    const people = await signInPeople(api, { clerk: ['lan', ['clerk']], auditor: ['kiem', ['auditor']], finance: ['cuong', ['finance']] });
    const enrolment = {
      fullName: 'Hoàng Văn Bình',
      dateOfBirth: '1968-05-12',
      nationalId: '020068001234',
      title: 'Phó Bí thư Huyện ủy',
      administrativeUnit: 'Huyện Cao Lộc',
      group: 3,
      from: '2025-01-01',
    };
    const { beneficiaryId } = await ok(people.clerk.post('/beneficiaries', enrolment), 201);
    await caughtUp(api);
    expect(await ok(people.auditor.get(`/beneficiaries/${beneficiaryId}/group?on=2025-07-01`))).toEqual({ on: '2025-07-01', group: 3 });
    // A second factor's sealed secret and last step used are kept in app_users by the same role.
    const { secret } = await ok(people.finance.post('/auth/second-factor'), 201);
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    expect(await ok(people.finance.post('/auth/second-factor/confirmation', { code }))).toMatchObject({ secondFactor: true });
    expect((await asApplication.query('SELECT current_user AS role')).rows[0].role).toBe(application);
  });

  it.each([
    ['switch the immutability trigger off', 'ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete'],
    ['drop the trigger', 'DROP TRIGGER events_no_update_or_delete ON events'],
    ['edit an event', `UPDATE events SET data = '{}' WHERE global_position = 1`],
    ['delete an event', 'DELETE FROM events WHERE global_position = 1'],
    ['truncate the log', 'TRUNCATE events'],
    [
      'insert an event beside append_events',
      `INSERT INTO events SELECT global_position + 1000000, gen_random_uuid(), stream_id, stream_revision + 1000000, event_type, data, metadata, recorded_at, hash FROM events WHERE global_position = 1`,
    ],
    ['edit the command ids', 'UPDATE event_commands SET last_position = 0'],
    ['clear the command ids', 'DELETE FROM event_commands'],
    ['truncate the command ids', 'TRUNCATE event_commands'],
    ['move the log head', 'UPDATE event_log_head SET last_position = 0'],
    ['replace the append function', `CREATE OR REPLACE FUNCTION append_events(requests jsonb) RETURNS jsonb LANGUAGE sql AS 'SELECT requests'`],
    ['alter the users table', 'ALTER TABLE app_users ADD COLUMN note text'],
    ['delete users', 'DELETE FROM app_users'],
    ['forget a migration', 'DELETE FROM schema_migrations'],
  ])('refuses to %s', async (_what, sql) => {
    await expect(asApplication.query(sql)).rejects.toThrow(/permission denied|must be owner/);
  });
});
