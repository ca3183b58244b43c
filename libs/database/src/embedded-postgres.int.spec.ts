import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { copyPgliteTemplate } from '../../../test/support/pglite-template.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { createPool } from './pool.js';

describe('embedded PGlite', () => {
  let folder: string;
  /** A folder already initialized, as the test run's template holds it: initializing one is the first test's part alone. */
  const initialized = () => {
    const dataDir = join(folder, 'db');
    copyPgliteTemplate(dataDir);
    return dataDir;
  };
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'hsb-embedded-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps concurrent parameterized queries and transactions of pooled connections apart', async () => {
    const embedded = await EmbeddedPostgres.start(join(folder, 'db'));
    const pool = createPool(embedded.connectionString, 8);
    try {
      await pool.query('CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)');
      await pool.query('INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 4) g');
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let n = 0; n < 25; n++) {
            const id = (worker % 4) + 1;
            const echoed = await pool.query<{ id: number; tag: string }>('SELECT $1::int AS id, $2::text AS tag', [id, `w${worker}-${n}`]);
            expect(echoed.rows[0]).toEqual({ id, tag: `w${worker}-${n}` });
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              const { rows } = await client.query<{ balance: string }>('SELECT balance FROM accounts WHERE id = $1', [id]);
              await client.query('UPDATE accounts SET balance = $2 WHERE id = $1', [id, Number(rows[0].balance) + 1]);
              await client.query('COMMIT');
            } finally {
              client.release();
            }
          }
        }),
      );
      const { rows } = await pool.query<{ total: string }>('SELECT sum(balance) AS total FROM accounts');
      expect(Number(rows[0].total)).toBe(200);
    } finally {
      await pool.end();
      await embedded.stop();
    }
  });

  it('survives a restart with its data', async () => {
    const first = await EmbeddedPostgres.start(initialized());
    const before = new pg.Client({ connectionString: first.connectionString });
    await before.connect();
    await before.query(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('190000 VND per day')`);
    await before.end();
    await first.stop();

    const second = await EmbeddedPostgres.start(join(folder, 'db'));
    const after = new pg.Client({ connectionString: second.connectionString });
    await after.connect();
    expect((await after.query('SELECT note FROM kept')).rows).toEqual([{ note: '190000 VND per day' }]);
    await after.end();
    await second.stop();
  });

  it('refuses a folder another live process holds, and takes over the lock of a dead one', async () => {
    const dataDir = initialized();
    const running = await EmbeddedPostgres.start(dataDir);
    await expect(EmbeddedPostgres.start(dataDir)).rejects.toThrow(`is in use by process ${process.pid}`);
    await running.stop();

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dataDir}.lock`, dead.stdout);
    const recovered = await EmbeddedPostgres.start(dataDir);
    await recovered.stop();
  });

  it('refuses the folder of another process with a clear message, and takes it over once that process is killed with SIGKILL', async () => {
    const dataDir = initialized();
    // Another process opens the folder and writes a row, then lives on until killed.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { EmbeddedPostgres } from ${JSON.stringify(resolve('dist/libs/database/src/index.js'))};
         import pg from 'pg';
         const db = await EmbeddedPostgres.start(process.argv[1]);
         const client = new pg.Client({ connectionString: db.connectionString });
         await client.connect();
         await client.query("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before SIGKILL')");
         process.stdout.write('ready');
         setInterval(() => undefined, 1000);`,
        dataDir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolveExit) => holder.once('exit', resolveExit));
    await new Promise<void>((ready, failed) => {
      holder.stdout.once('data', () => ready());
      holder.once('exit', (code) => failed(new Error(`the holding process exited with code ${code}`)));
    });

    await expect(EmbeddedPostgres.start(dataDir)).rejects.toThrow(`the embedded database ${resolve(dataDir)} is in use by process ${holder.pid}`);

    holder.kill('SIGKILL');
    await exited;
    const successor = await EmbeddedPostgres.start(dataDir);
    const client = new pg.Client({ connectionString: successor.connectionString });
    await client.connect();
    expect((await client.query('SELECT note FROM kept')).rows).toEqual([{ note: 'written before SIGKILL' }]);
    await client.end();
    await successor.stop();
  });

  it('takes over a lock naming its own process id when this process does not hold the folder (a container restarted as PID 1)', async () => {
    const dataDir = initialized();
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    const restarted = await EmbeddedPostgres.start(dataDir);
    await expect(EmbeddedPostgres.start(dataDir)).rejects.toThrow(`is in use by process ${process.pid}`);
    await restarted.stop();
  });
});
