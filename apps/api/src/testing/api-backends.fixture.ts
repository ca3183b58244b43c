import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { UserAccounts } from '#application';
import type { EventStore } from '#event-store';
import { loadConfig, openRuntime, type Runtime } from '#runtime';
import { freshPgliteFolder } from '../../../../test/support/pglite-template.js';
import { createTestDatabase } from '../../../../test/support/test-database.js';
import { createApiApp } from '../app.js';

import { TEST_ADMIN_PASSWORD as ADMIN_PASSWORD } from '../../../../test/support/demo-province-database.js';

export { ADMIN_PASSWORD };

/** The API over each backend it runs on: the embedded default and a real PostgreSQL server. */
export const API_BACKENDS: Array<[string, () => Promise<{ env: NodeJS.ProcessEnv; cleanup: () => Promise<void> }>]> = [
  [
    'embedded PGlite (the default)',
    async () => {
      const { dataDir, cleanup } = freshPgliteFolder('hsb-api-');
      return { env: { PGLITE_DATA_DIR: dataDir }, cleanup };
    },
  ],
  [
    'PostgreSQL server',
    async () => {
      const database = await createTestDatabase();
      // A master key of its own, rather than a key file beside the test run.
      return { env: { DATABASE_URL: database.url, PERSONAL_DATA_KEY: randomBytes(32).toString('base64') }, cleanup: () => database.drop() };
    },
  ],
];

export interface RunningApi {
  readonly runtime: Runtime;
  readonly app: INestApplication;
  readonly base: string;
  close(): Promise<void>;
}

/** `clock`: the time the API takes for now, for tests of time-based rules. */
export async function startApi(
  setup: () => Promise<{ env: NodeJS.ProcessEnv; cleanup: () => Promise<void> }>,
  env: NodeJS.ProcessEnv = {},
  clock?: () => Date,
): Promise<RunningApi> {
  const prepared = await setup();
  const runtime = await openRuntime(loadConfig({ ...prepared.env, POLL_INTERVAL_MS: '20', ADMIN_PASSWORD, LOG_LEVEL: 'warn', ...env }), clock ? { clock } : {});
  let app: INestApplication | undefined;
  try {
    app = await createApiApp(runtime);
    await app.listen(0, '127.0.0.1');
    const running = app;
    return {
      runtime,
      app: running,
      base: `http://127.0.0.1:${(running.getHttpServer().address() as AddressInfo).port}`,
      async close() {
        await running.close();
        await runtime.close();
        await prepared.cleanup();
      },
    };
  } catch (error) {
    await app?.close();
    await runtime.close();
    await prepared.cleanup();
    throw error;
  }
}

export interface Reply<Body = any> {
  readonly status: number;
  readonly body: Body;
}

/** A signed-in HTTP client of the API. */
export function client(base: string, token?: string) {
  const call = async <Body = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<Body>> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return replyOf<Body>(response);
  };
  return {
    get: <Body = any>(path: string) => call<Body>('GET', path),
    /** A body sent exactly as written (malformed, nested past what JSON.stringify can write), or none at all. */
    send: async <Body = any>(method: string, path: string, text?: string, headers: Record<string, string> = {}): Promise<Reply<Body>> =>
      replyOf<Body>(
        await fetch(`${base}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
          ...(text === undefined ? {} : { body: text }),
        }),
      ),
    post: <Body = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<Body>('POST', path, body ?? {}, headers),
    /** A file the API serves (CSV, xlsx), as the raw response. */
    download: (path: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    /** A file sent as the multipart field `file`, as a browser form does. */
    upload: async <Body = any>(path: string, bytes: Uint8Array, filename: string): Promise<Reply<Body>> => {
      const form = new FormData();
      form.append('file', new Blob([bytes]), filename);
      return replyOf<Body>(await fetch(`${base}${path}`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} }));
    },
  };
}

async function replyOf<Body>(response: Response): Promise<Reply<Body>> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function signIn(base: string, username: string, password: string) {
  const reply = await client(base).post<{ accessToken: string }>('/auth/token', { username, password });
  if (reply.status !== 200) throw new Error(`${username} cannot sign in: ${JSON.stringify(reply.body)}`);
  return client(base, reply.body.accessToken);
}

/** What the server's operator does with the CLI (`users confirm`): confirms an administrator drafted by the only other one. */
export function operatorConfirms(api: RunningApi, username: string): Promise<unknown> {
  return api.app.get(UserAccounts).confirmByOperator(username);
}

/**
 * Registers each person with their roles (as the administrator) and signs them in; an
 * administrator among them is confirmed by the operator, there being no second administrator yet.
 */
export async function signInPeople<Key extends string>(
  api: RunningApi,
  people: Record<Key, readonly [string, readonly string[]]>,
): Promise<Record<Key | 'admin', ReturnType<typeof client>>> {
  const { base } = api;
  const admin = await signIn(base, 'admin', ADMIN_PASSWORD);
  const clients = { admin } as Record<Key | 'admin', ReturnType<typeof client>>;
  for (const [key, [username, roles]] of Object.entries(people) as [Key, readonly [string, readonly string[]]][]) {
    const password = `${username}-password-1`;
    const created = await admin.post('/users', { username, fullName: username, roles, password });
    if (created.status !== 201) throw new Error(`cannot register ${username}: ${JSON.stringify(created.body)}`);
    if (roles.includes('administrator')) await operatorConfirms(api, username);
    clients[key] = await signIn(base, username, password);
  }
  return clients;
}

/** A special-drug reimbursement request: two prescribed items adding up to `cost`. */
export const drugs = (cost: number, serviceDate: string, cardNumber: string, beneficiaryId: string) => ({
  beneficiaryId,
  cardNumber,
  serviceDate,
  councilDecisionNumber: `HĐCM-${serviceDate}`,
  items: [
    { name: 'Sorafenib 200mg', quantity: 60, cost: cost - 1000000 },
    { name: 'Thực phẩm bảo vệ sức khỏe', quantity: 2, cost: 1000000 },
  ],
  cost,
});

/** Every event in the log, counted page by page. */
export async function countEvents(store: EventStore): Promise<number> {
  let count = 0;
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) return count;
    count += page.length;
    after = page[page.length - 1].globalPosition;
  }
}

/** The body of a reply with the expected status; anything else fails with what the API said. */
export async function ok<Body = any>(request: Promise<Reply<Body>>, status = 200): Promise<Body> {
  const reply = await request;
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A refused request, or a repeat with nothing new to record: answered as expected, the log exactly as it was. */
export async function leavesLogUnchanged(api: RunningApi, request: Promise<Reply>, status: number, expected: Record<string, unknown> = {}): Promise<Reply> {
  const before = await countEvents(api.runtime.store);
  const reply = await request;
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status, body: expected });
  expect(await countEvents(api.runtime.store)).toBe(before);
  return reply;
}

/** Resolves once the read models have applied everything in the log. */
export async function caughtUp(api: RunningApi): Promise<void> {
  for (let attempt = 0; attempt < 800; attempt++) {
    const health = (await (await fetch(`${api.base}/health`)).json()) as { projections: { lag: string }[] };
    if (health.projections.every((p) => p.lag === '0')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the read models did not catch up');
}
