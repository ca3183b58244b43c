import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type pg from 'pg';
import { createPool, inTransaction } from '#database';
import { PostgresEventStore } from '#event-store';
import { ProjectionRunner } from '#projection-runner';
import { ALL_PROJECTIONS, createReportingViews } from '#read-models';
import { freshPgliteFolder, withEmbeddedPool } from '../../../test/support/pglite-template.js';
import { createTestDatabase } from '../../../test/support/test-database.js';

const cliMain = resolve('dist/apps/cli/src/main.js');

/** A backend the CLI can open, and a way for the test to work on it in between (PGlite: only while no CLI holds it). */
interface Backend {
  readonly env: NodeJS.ProcessEnv;
  withPool<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

const BACKENDS: Record<'server' | 'pglite', () => Promise<Backend>> = {
  server: async () => {
    const database = await createTestDatabase();
    const pool = createPool(database.url, 4);
    return {
      env: { DATABASE_URL: database.url },
      withPool: (work) => work(pool),
      cleanup: async () => {
        await pool.end();
        await database.drop();
      },
    };
  },
  pglite: async () => {
    const { dataDir, cleanup } = freshPgliteFolder('hsb-verify-');
    return {
      env: { PGLITE_DATA_DIR: dataDir },
      withPool: (work) => withEmbeddedPool(dataDir, work),
      cleanup,
    };
  },
};

/** The CLI on `backend`, with a log of five events (the fourth a payout of 1,000,000 VND) and the read models' tables. */
function useCliOn(open: () => Promise<Backend>) {
  const context = { backend: undefined as unknown as Backend, payout: 0n };
  beforeAll(async () => {
    if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run the tests with \`npm test\`, which builds first`);
    context.backend = await open();
    context.payout = await context.backend.withPool(async (pool) => {
      const store = await PostgresEventStore.open(pool);
      const metadata = { actor: 'test', schemaVersion: 1 };
      for (let s = 0; s < 3; s++) await store.append(`noted-${s}`, [{ type: 'Noted', data: { s }, metadata }], { expectedRevision: 'no_stream' });
      const scheduled = {
        payoutId: 'payout-1',
        source: { kind: 'claim', id: 'claim-1' },
        beneficiaryId: 'b-1',
        regimeCode: 'g',
        group: 3,
        serviceDate: '2025-03-01',
        amount: 1_000_000,
      };
      const { position } = await store.append('payout-1', [{ type: 'PayoutScheduled', data: scheduled, metadata }], { expectedRevision: 'no_stream' });
      await store.append('noted-3', [{ type: 'Noted', data: {}, metadata }], { expectedRevision: 'no_stream' });
      // The read models' tables, which `check` and `report` read.
      await new ProjectionRunner(store, pool, ALL_PROJECTIONS, { dependents: createReportingViews }).prepare();
      await store.close();
      return position;
    });
  });
  afterAll(async () => context.backend?.cleanup());

  const cli = (...args: string[]): SpawnSyncReturns<string> => {
    const env = { ...process.env, ...context.backend.env };
    if (!context.backend.env.DATABASE_URL) delete env.DATABASE_URL;
    return spawnSync(process.execPath, [cliMain, ...args], { env, encoding: 'utf8' });
  };
  /** What a role owning the events table can do: the immutability trigger off, the payout's amount changed. */
  const forge = (amount: number) =>
    context.backend.withPool((pool) =>
      inTransaction(pool, async (client) => {
        await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete');
        await client.query(`UPDATE events SET data = jsonb_set(data, '{amount}', to_jsonb($2::bigint)) WHERE global_position = $1`, [
          context.payout.toString(),
          amount,
        ]);
        await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete');
      }),
    );
  /** Runs `checks` on the log with the payout forged, then puts the amount back. */
  const whileForged = async (checks: () => void) => {
    await forge(9_000_000);
    try {
      checks();
    } finally {
      await forge(1_000_000);
    }
  };
  return { cli, whileForged, payout: () => context.payout };
}

/** On both backends: a clean log verifies; an edited payout amount is named by position. */
function verifiesCleanAndNamesForged({ cli, whileForged, payout }: ReturnType<typeof useCliOn>) {
  it('verifies a clean log, and names the position of an edited payout amount', async () => {
    const clean = cli('verify');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/log intact: 5 events, head 5:[0-9a-f]{64}/);
    await whileForged(() => {
      const forged = cli('verify');
      expect(forged.status).toBe(1);
      expect(forged.stderr).toContain(`log altered at position ${payout()}: the event at position ${payout()} does not match its hash`);
    });
  });
}

describe('cli verify — embedded PGlite', () => {
  verifiesCleanAndNamesForged(useCliOn(BACKENDS.pglite));
});

// The rest does not depend on the backend: on the server only, where the CLI starts faster.
describe('cli verify, report and check — PostgreSQL server', () => {
  const cliOn = useCliOn(BACKENDS.server);
  const { cli, whileForged, payout } = cliOn;
  verifiesCleanAndNamesForged(cliOn);

  it("quotes the log head in the year-end report, which verify --head then finds, and refuses another log's head", () => {
    const report = JSON.parse(cli('report', '2025').stdout);
    expect(report.logHash).toMatch(/^[0-9a-f]{64}$/);
    expect(cli('verify', '--head', `${report.position}:${report.logHash}`).status).toBe(0);
    const otherLog = cli('verify', '--head', `${report.position}:${'0'.repeat(64)}`);
    expect(otherLog.status).toBe(1);
    expect(otherLog.stderr).toContain(`position ${report.position} has hash ${report.logHash}, not ${'0'.repeat(64)}`);
  });

  it('fails the consistency check of an altered log, naming the position', async () => {
    await whileForged(() => {
      const checked = cli('check', '2025');
      expect(checked.status).toBe(1);
      expect(checked.stderr).toContain(`log altered at position ${payout()}`);
    });
  });
});
