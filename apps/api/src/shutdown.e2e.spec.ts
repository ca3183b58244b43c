import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, API_BACKENDS, type client, signIn } from './testing/api-backends.fixture.js';
import { expectApiBuilt, killApiProcesses, startApiProcess } from './testing/api-process.fixture.js';

const WRITERS = 4;

/**
 * SIGTERM under a write load, as a container runtime stops the API: it drains the requests in
 * flight, closes its pools and the embedded database, releases the data folder's lock and exits
 * with 0; every command it acknowledged is there after a restart.
 */
describe.each(API_BACKENDS)('stopping the API with SIGTERM under writes, over %s', (_name, setup) => {
  let prepared: Awaited<ReturnType<typeof setup>>;
  let folder: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    expectApiBuilt();
    prepared = await setup();
    folder = mkdtempSync(join(tmpdir(), 'hsb-shutdown-'));
    env = { ...prepared.env, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD, GENERATED_SECRETS_FILE: join(folder, 'secrets.txt'), POLL_INTERVAL_MS: '20' };
  }, 60_000);
  afterAll(async () => {
    killApiProcesses();
    await prepared?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('exits with 0 after draining, releases the embedded lock, and keeps every acknowledged enrolment', async () => {
    const first = startApiProcess(env);
    const admin = await signIn(await first.base, 'admin', ADMIN_PASSWORD);
    let next = 0;
    const acknowledged: string[] = [];
    const refused: number[] = [];
    let stopped = false;
    const writer = async (writerAdmin: ReturnType<typeof client>) => {
      while (!stopped) {
        const n = ++next;
        const reply = await writerAdmin
          .post('/beneficiaries', {
            fullName: `Người thứ ${n}`,
            dateOfBirth: '1968-05-12',
            nationalId: `020068${String(500_000 + n)}`,
            title: 'Chuyên viên',
            administrativeUnit: 'Huyện Cao Lộc',
            group: 5,
            from: '2025-01-01',
          })
          .catch(() => undefined);
        // A refused connection: the server no longer accepts; this writer is done.
        if (!reply) return;
        if (reply.status === 201) acknowledged.push(reply.body.beneficiaryId);
        else refused.push(reply.status);
      }
    };
    const writers = Array.from({ length: WRITERS }, () => writer(admin));
    try {
      while (acknowledged.length < 20) {
        if (refused.length > 0) throw new Error(`enrolments refused before the signal: ${refused.join(', ')}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 10));
      }
      first.child.kill('SIGTERM');
      await first.exited;
    } finally {
      stopped = true;
      await Promise.all(writers);
    }
    const exit = await first.exited;

    expect({ ...exit, output: exit.code === 0 ? '' : first.output() }).toEqual({ code: 0, signal: null, output: '' });
    expect(first.output()).toContain('API stopped');
    expect(refused).toEqual([]);
    if (prepared.env.PGLITE_DATA_DIR) expect(existsSync(`${prepared.env.PGLITE_DATA_DIR}.lock`)).toBe(false);

    const second = startApiProcess(env);
    try {
      const again = await signIn(await second.base, 'admin', ADMIN_PASSWORD);
      for (const beneficiaryId of acknowledged) expect((await again.get(`/beneficiaries/${beneficiaryId}`)).status).toBe(200);
      expect((await again.get('/health/ready')).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  }, 180_000);
});
