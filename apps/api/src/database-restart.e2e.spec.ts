import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../test/support/throwaway-postgres.js';
import { ADMIN_PASSWORD, type client, type RunningApi, signIn, startApi } from './testing/api-backends.fixture.js';

const WRITERS = 6;

/**
 * The database server restarts (as after a crash: connections cut, no checkpoint) while clerks
 * enrol people: the API stays up, answers 503 with Retry-After while the server is gone, never
 * 500, reconnects by itself, and every enrolment it acknowledged is in the log.
 */
describe('a PostgreSQL restart under writes', () => {
  let server: ThrowawayPostgres;
  let api: RunningApi;
  let admin: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startThrowawayPostgres({ durable: true });
    api = await startApi(async () => ({ env: { DATABASE_URL: server.url }, cleanup: async () => undefined }));
    admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  it('leaves the API up, answering 503 while the database is gone, and loses nothing it acknowledged', async () => {
    let next = 0;
    const enrol = async () => {
      const n = ++next;
      const reply = await admin.post('/beneficiaries', {
        fullName: `Người thứ ${n}`,
        dateOfBirth: '1968-05-12',
        nationalId: `020068${String(n).padStart(6, '0')}`,
        title: 'Chuyên viên',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 5,
        from: '2025-01-01',
      });
      return { n, reply };
    };
    const replies: Awaited<ReturnType<typeof enrol>>[] = [];
    let restarted = false;
    const writer = async () => {
      // Each writer goes on until the server has been back for a while, so writes land before, during and after.
      for (let afterRestart = 0; afterRestart < 15;) {
        const done = await enrol();
        replies.push(done);
        if (restarted) afterRestart++;
        if (done.reply.status === 503) expect(done.reply.body).toMatchObject({ error: 'Service Unavailable' });
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    while (replies.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    await server.restart();
    restarted = true;
    await Promise.all(writers);

    const statuses = new Set(replies.map(({ reply }) => reply.status));
    expect([...statuses].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    const acknowledged = replies.filter(({ reply }) => reply.status === 201);
    expect(acknowledged.length).toBeGreaterThan(WRITERS * 15);
    for (const { reply } of acknowledged) {
      const stream = await api.runtime.store.readStream(`beneficiary-${reply.body.beneficiaryId}`);
      expect(stream.map((event) => event.type)).toEqual(['BeneficiaryEnrolled']);
    }
    expect((await admin.get('/health')).status).toBe(200);
  }, 120_000);
});
