import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database of its own for one test file on the test PostgreSQL server. The server comes from
 * TEST_DATABASE_URL (set by jest's global set-up, or by the developer); names always say "test",
 * and a URL whose database name does not is refused, so tests can never touch real data.
 */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Runs `sql` on the test server as its administrator: roles, which belong to the whole server, are made and dropped this way. */
export async function onTestServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts a throwaway PostgreSQL');
  return url;
}

/** A fresh database; with `copyOf`, a copy of that test database (which nobody may be connected to). */
export async function createTestDatabase(copyOf?: TestDatabase): Promise<TestDatabase> {
  const server = new URL(testServerUrl());
  const name = `hsb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${copyOf ? ` TEMPLATE ${new URL(copyOf.url).pathname.slice(1)}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) throw new Error(`refusing to run tests against database "${name}": its name must say it is a test database`);
}
