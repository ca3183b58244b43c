import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { resolvedUrl } from '#database';
import { consistencyCheck } from '#read-models';
import { startReplicatedPostgres, type ReplicatedPostgres } from '../../../test/support/throwaway-postgres.js';
import { ADMIN_PASSWORD, caughtUp, type client, type RunningApi, signIn, startApi } from './testing/api-backends.fixture.js';

const WRITERS = 6;
/** Successful enrolments each writer makes on the new primary before it stops. */
const AFTER_FAILOVER = 15;
/** The bound on the whole write load, failover included. */
const LOAD_DEADLINE_MS = 60_000;

/**
 * The primary PostgreSQL crashes while clerks enrol people, and its synchronous standby is
 * promoted: the API, given both hosts, finds the new primary by itself, answers 503 (never 500)
 * while there is none, stays up, and every enrolment it acknowledged is on the new primary.
 */
describe('failover to a synchronous standby under writes', () => {
  let cluster: ReplicatedPostgres;
  let api: RunningApi;
  let admin: ReturnType<typeof client>;
  beforeAll(async () => {
    cluster = await startReplicatedPostgres();
    api = await startApi(async () => ({
      env: { DATABASE_URL: cluster.url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') },
      cleanup: async () => undefined,
    }));
    admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
  }, 90_000);
  afterAll(async () => {
    await api?.close();
    await cluster?.stop();
  });

  it('resumes writing on the promoted standby, losing nothing it acknowledged, the read models consistent', async () => {
    let next = 0;
    const enrol = async () => {
      const n = ++next;
      const reply = await admin.post('/beneficiaries', {
        fullName: `Người thứ ${n}`,
        dateOfBirth: '1971-03-08',
        nationalId: `020071${String(n).padStart(6, '0')}`,
        title: 'Chuyên viên',
        administrativeUnit: 'Huyện Văn Quan',
        group: 5,
        from: '2025-01-01',
      });
      return { at: Date.now(), reply };
    };
    const replies: Awaited<ReturnType<typeof enrol>>[] = [];
    // Read by the writers before the kill, so it cannot be a const set at its declaration.
    let killedAt: number | undefined = undefined;
    const deadline = Date.now() + LOAD_DEADLINE_MS;
    const writer = async () => {
      for (let afterFailover = 0; afterFailover < AFTER_FAILOVER;) {
        if (Date.now() > deadline) throw new Error(`no new primary took writes within ${LOAD_DEADLINE_MS} ms`);
        const done = await enrol();
        replies.push(done);
        if (killedAt !== undefined && done.at > killedAt && done.reply.status === 201) afterFailover++;
        // As a client told Retry-After would, if less patiently: the test measures how soon writes resume.
        if (done.reply.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    while (replies.length < 30) await new Promise((resolve) => setTimeout(resolve, 10));
    killedAt = Date.now();
    await cluster.killPrimary();
    await cluster.promoteStandby();
    await Promise.all(writers);

    const unexpected = replies.filter(({ reply }) => reply.status !== 201 && reply.status !== 503);
    expect(unexpected.map(({ reply }) => reply)).toEqual([]);
    for (const { reply } of replies.filter(({ reply }) => reply.status === 503)) expect(reply.body).toMatchObject({ error: 'Service Unavailable' });
    const firstAfter = replies.find(({ at, reply }) => at > killedAt && reply.status === 201)!;
    console.log(
      `failover: writes resumed ${firstAfter.at - killedAt} ms after the primary was killed (promotion included); ${replies.filter(({ reply }) => reply.status === 503).length} requests answered 503 meanwhile`,
    );

    const acknowledged = replies.filter(({ reply }) => reply.status === 201).map(({ reply }) => `beneficiary-${reply.body.beneficiaryId}`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(WRITERS * AFTER_FAILOVER);
    const newPrimary = new pg.Client({ connectionString: cluster.standbyUrl });
    await newPrimary.connect();
    try {
      expect((await newPrimary.query('SELECT pg_is_in_recovery() AS recovery')).rows).toEqual([{ recovery: false }]);
      const { rows } = await newPrimary.query<{ stream_id: string }>("SELECT stream_id FROM events WHERE event_type = 'BeneficiaryEnrolled'");
      const onNewPrimary = new Set(rows.map((row) => row.stream_id));
      expect(acknowledged.filter((stream) => !onNewPrimary.has(stream))).toEqual([]);
      // What the CLI's backup and restore hand to pg_dump and pg_restore: the new primary alone.
      expect(await resolvedUrl(cluster.url)).toContain(`@127.0.0.1:${new URL(cluster.standbyUrl).port}/`);
    } finally {
      await newPrimary.end();
    }

    await caughtUp(api);
    expect(await consistencyCheck(api.runtime.store, api.runtime.pool, 2025)).toMatchObject({ consistent: true });
    expect((await admin.get('/health/ready')).status).toBe(200);
  }, 120_000);
});
