import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type pg from 'pg';
import type { NewEvent, StoredEvent } from '#event-store';
import { personalPart, withPersonal } from '#domain';
import { Batched } from '../batched.js';
import { decrypt, derivedKey, encrypt } from '../sealing.js';

/**
 * The one place where personal data is sealed and opened (crypto-shredding). Each person has a
 * data key of their own (AES-256-GCM), kept in `personal_data_keys` outside the log, wrapped by a
 * key derived from the master key (`PERSONAL_DATA_KEY`). The log holds only sealed personal
 * fields; erasing a person destroys their data key, after which their events read with those
 * fields null. Events written before sealing hold plain text, which the log keeps (it is never
 * edited): they read as erased once the person is, so the read models forget them too.
 */
export const PERSONAL_DATA_SCHEMA = [
  `CREATE TABLE personal_data_keys (
    subject_id text PRIMARY KEY,
    wrapped_key text,
    erased_at timestamptz
  )`,
  // Who read which person's data, when and through what: kept beside the keys, not in the log (see PersonalDataReads).
  `CREATE TABLE personal_data_reads (
    id bigserial PRIMARY KEY,
    read_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    roles text[] NOT NULL,
    what text NOT NULL,
    beneficiary_id text NOT NULL
  )`,
  `CREATE INDEX personal_data_reads_by_person ON personal_data_reads (beneficiary_id, id)`,
  // Which master key wraps each data key, so the master key can be rotated: null for keys wrapped before rotation existed (tagged at start-up).
  `ALTER TABLE personal_data_keys ADD COLUMN master_key_id text`,
  // Keys of the system's own, wrapped like the data keys: the national id reservation hash key must outlive a master key's rotation.
  `CREATE TABLE personal_data_secrets (
    name text PRIMARY KEY,
    wrapped_key text NOT NULL,
    master_key_id text NOT NULL
  )`,
];

/** The master keys one process holds: the current one wraps new keys; previous ones still unwrap keys not yet re-wrapped. */
export interface MasterKeys {
  readonly current: Buffer;
  readonly previous: readonly Buffer[];
}

/**
 * The master key: `PERSONAL_DATA_KEY` when set, else the key file, generated (mode 0600) on first
 * start, and the keys it replaced (`PERSONAL_DATA_PREVIOUS_KEYS`). Losing the master key loses
 * every name on the register: it must be backed up apart from the database.
 */
export function loadMasterKeys(config: MasterKeyConfig & { readonly previousKeys?: readonly string[] }, log: (message: string) => void): MasterKeys {
  return { current: loadCurrentMasterKey(config, log), previous: (config.previousKeys ?? []).map((key) => Buffer.from(key, 'base64')) };
}

function loadCurrentMasterKey(config: MasterKeyConfig, log: (message: string) => void): Buffer {
  if (!config.key && !existsSync(config.file)) {
    mkdirSync(dirname(config.file), { recursive: true });
    writeFileSync(config.file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    log(
      `generated the personal data master key in ${config.file}: back it up apart from the database (without it the names on the register cannot be read), or set PERSONAL_DATA_KEY`,
    );
  }
  return readMasterKey(config)!;
}

export interface MasterKeyConfig {
  readonly key?: string;
  readonly file: string;
}

/** The master key the configuration names, or undefined when it names a file that does not exist: never generated here. */
export function readMasterKey(config: MasterKeyConfig): Buffer | undefined {
  if (config.key) return Buffer.from(config.key, 'base64');
  if (!existsSync(config.file)) return undefined;
  const key = Buffer.from(readFileSync(config.file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${config.file} must hold a base64 key of 32 bytes`);
  return key;
}

/**
 * Names a master key without revealing it (a key of its own derived from it, shortened): wrapped
 * keys say which master key wraps them, and a backup records which key its personal data needs.
 */
export function masterKeyId(master: Buffer): string {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'personal-data/master-key-id', 8)).toString('hex');
}

/**
 * Whether `master` alone opens every key the database holds (a backup's check, which writes
 * nothing): undefined when none is held yet; false when some are still wrapped under another
 * master key (a rotation not yet followed by `personal-data rewrap`) or it is the wrong key.
 */
export async function opensEveryStoredKey(sql: pg.ClientBase | pg.Pool, master: Buffer): Promise<boolean | undefined> {
  const key = masterKey(master);
  const ids = Object.keys(await keysByMasterKey(sql));
  if (ids.length === 0) return undefined;
  if (ids.some((id) => id !== key.id && id !== 'null')) return false;
  const { rows } = await sql.query<{ subject_id: string; wrapped_key: string }>(
    'SELECT subject_id, wrapped_key FROM personal_data_keys WHERE wrapped_key IS NOT NULL LIMIT 1',
  );
  return rows[0] === undefined || unwraps(key, rows[0].wrapped_key, rows[0].subject_id);
}

/** A master key as the tables know it: by an id derived from it, never stored with it. */
interface MasterKey {
  readonly id: string;
  readonly master: Buffer;
  /** Wraps the data keys; derived from the master key, never the master key itself, so each use has a key of its own. */
  readonly wrapping: Buffer;
}

function masterKey(master: Buffer): MasterKey {
  if (master.length !== 32) throw new Error('a personal data master key must be 32 bytes');
  return {
    id: masterKeyId(master),
    master,
    wrapping: derivedKey(master, 'personal-data/wrapping'),
  };
}

const RESERVATION_HASH_KEY = 'national-id-reservation';
const SECOND_FACTOR_KEY = 'second-factor';

/** What `PersonalDataKeys.rewrap` did, and what it leaves for the previous master keys (none once it has run). */
export interface RewrapOutcome {
  readonly rewrapped: number;
  readonly wrappedUnder: Readonly<Record<string, number>>;
  readonly currentMasterKeyId: string;
}

export class PersonalDataKeys {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly current: MasterKey,
    private readonly masters: ReadonlyMap<string, MasterKey>,
    /** Keys the hash naming national id reservations. */
    private readonly reservationHashKey: Buffer,
    /** Seals the accounts' second-factor (TOTP) secrets: a system key, so a rotation of the master key keeps them. */
    readonly secondFactorKey: Buffer,
  ) {}

  /**
   * Opens the keys under the current master key and the previous ones. Refuses to start when a key
   * is wrapped under a master key this process was not given: it could not read those people, and
   * would seal nothing wrong, but every read of them would fail.
   */
  static async open(pool: pg.Pool, keys: MasterKeys): Promise<PersonalDataKeys> {
    const current = masterKey(keys.current);
    const masters = new Map([current, ...keys.previous.map(masterKey)].map((key) => [key.id, key]));
    await tagKeysWrappedBeforeRotation(pool, masters);
    const unknown = Object.entries(await keysByMasterKey(pool)).filter(([id]) => !masters.has(id));
    if (unknown.length > 0) {
      throw new Error(
        `${unknown.map(([id, keys]) => `${keys} personal data keys are wrapped under master key ${id}`).join('; ')}, which this process was not given (its master key is ${current.id}): set it in PERSONAL_DATA_PREVIOUS_KEYS until \`cli personal-data rewrap\` has run`,
      );
    }
    return new PersonalDataKeys(
      pool,
      current,
      masters,
      await reservationHashKey(pool, current, masters),
      await systemKey(pool, SECOND_FACTOR_KEY, current, masters, () => Promise.resolve(randomBytes(32))),
    );
  }

  /**
   * Wraps every key held under a previous master key under the current one, a batch at a time; run
   * after a rotation, before the previous keys are dropped. Idempotent, and safe beside a running
   * API: a key erased meanwhile stays erased.
   */
  async rewrap(batchSize = 500): Promise<RewrapOutcome> {
    let rewrapped = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ subject_id: string; wrapped_key: string; master_key_id: string }>(
        'SELECT subject_id, wrapped_key, master_key_id FROM personal_data_keys WHERE wrapped_key IS NOT NULL AND master_key_id <> $1 LIMIT $2',
        [this.current.id, batchSize],
      );
      for (const row of rows) {
        const key = decrypt(this.masterNamed(row.master_key_id).wrapping, row.wrapped_key, row.subject_id);
        const updated = await this.pool.query('UPDATE personal_data_keys SET wrapped_key = $1, master_key_id = $2 WHERE subject_id = $3 AND wrapped_key = $4', [
          encrypt(this.current.wrapping, key, row.subject_id),
          this.current.id,
          row.subject_id,
          row.wrapped_key,
        ]);
        rewrapped += updated.rowCount ?? 0;
      }
      if (rows.length < batchSize) break;
    }
    const secrets = await this.pool.query<{ name: string; wrapped_key: string; master_key_id: string }>(
      'SELECT name, wrapped_key, master_key_id FROM personal_data_secrets WHERE master_key_id <> $1',
      [this.current.id],
    );
    for (const secret of secrets.rows) {
      const key = decrypt(this.masterNamed(secret.master_key_id).wrapping, secret.wrapped_key, secretOwner(secret.name));
      const updated = await this.pool.query('UPDATE personal_data_secrets SET wrapped_key = $1, master_key_id = $2 WHERE name = $3 AND wrapped_key = $4', [
        encrypt(this.current.wrapping, key, secretOwner(secret.name)),
        this.current.id,
        secret.name,
        secret.wrapped_key,
      ]);
      rewrapped += updated.rowCount ?? 0;
    }
    return { rewrapped, currentMasterKeyId: this.current.id, wrappedUnder: await keysByMasterKey(this.pool) };
  }

  /**
   * What names a national id's reservation stream: an HMAC of the number, so the stream id (which
   * no erasure can change) does not spell it out, while one number still names one stream.
   */
  reservationKey(nationalId: string): string {
    return createHmac('sha256', this.reservationHashKey).update(nationalId).digest('hex');
  }

  private masterNamed(id: string): MasterKey {
    const master = this.masters.get(id);
    if (!master) throw new Error(`a personal data key is wrapped under master key ${id}, which this process was not given`);
    return master;
  }

  /** `events` with their personal fields sealed under each person's key (created at their first event). */
  async seal(events: readonly NewEvent[]): Promise<NewEvent[]> {
    const parts = events.map((event) => personalPart(event.type, event.data as Record<string, unknown>));
    const subjects = [...new Set(parts.flatMap((part) => (part ? [part.subject] : [])))];
    if (subjects.length === 0) return [...events];
    await this.keyCreation.submit(subjects);
    const keys = await this.keyLookups.submit(subjects);
    return events.map((event, n) => {
      const part = parts[n];
      if (!part) return event;
      const key = keys.get(part.subject);
      if (key == null) throw new Error(`the personal data of ${part.subject} was erased: nothing personal can be recorded of them`);
      return { ...event, data: { ...part.rest, sealed: encrypt(key, Buffer.from(JSON.stringify(part.personal)), part.subject) } };
    });
  }

  /**
   * `events` as their writers gave them: personal fields opened, or null for a person erased (or
   * whose key is gone). Plain-text fields of events written before sealing are read as they are,
   * unless the person was erased.
   */
  async open(events: readonly StoredEvent[]): Promise<StoredEvent[]> {
    const parts = events.map((event) => personalPart(event.type, event.data as Record<string, unknown>));
    const subjects = [...new Set(parts.flatMap((part) => (part ? [part.subject] : [])))];
    if (subjects.length === 0) return [...events];
    const keys = await this.keyLookups.submit(subjects);
    return events.map((event, n) => {
      const part = parts[n];
      if (!part) return event;
      const key = keys.get(part.subject);
      const { sealed, ...rest } = part.rest as { sealed?: string };
      const personal =
        key === null
          ? undefined
          : sealed === undefined
            ? part.personal
            : key
              ? (JSON.parse(decrypt(key, sealed, part.subject).toString()) as Record<string, unknown>)
              : undefined;
      return { ...event, data: withPersonal(event.type, rest, personal) };
    });
  }

  /**
   * Whether the master key opens the data keys stored in the database: undefined when none is
   * stored yet. A wrong key would otherwise be found only at the first read of a person.
   */
  async opensStoredKeys(): Promise<boolean | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string }>('SELECT subject_id FROM personal_data_keys WHERE wrapped_key IS NOT NULL LIMIT 1');
    if (rows.length === 0) return undefined;
    try {
      await this.keysOf([rows[0].subject_id]);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Destroys the person's data key, and remembers that they were erased (so plain-text events of
   * theirs from before sealing read as erased too). Idempotent: a retried erasure changes nothing.
   */
  async erase(subject: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO personal_data_keys (subject_id, wrapped_key, erased_at) VALUES ($1, NULL, now())
       ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, erased_at = coalesce(personal_data_keys.erased_at, now())`,
      [subject],
    );
  }

  /**
   * A data key for each person not sealed before; the people of the seals waiting meanwhile get
   * theirs in the same insertion, one commit for a batch of enrolments.
   */
  private readonly keyCreation = new Batched<readonly string[], void>(async (requests) => {
    const subjects = [...new Set(requests.flat())];
    await this.pool.query(
      `INSERT INTO personal_data_keys (subject_id, wrapped_key, master_key_id)
       SELECT subject_id, wrapped_key, $3 FROM unnest($1::text[], $2::text[]) AS created(subject_id, wrapped_key)
       ON CONFLICT (subject_id) DO NOTHING`,
      [subjects, subjects.map((subject) => encrypt(this.current.wrapping, randomBytes(32), subject)), this.current.id],
    );
    return requests.map(() => undefined);
  });

  /** The keys asked for while a look-up is on its way are looked up together. */
  private readonly keyLookups = new Batched<readonly string[], ReadonlyMap<string, Buffer | null>>(async (requests) => {
    const keys = await this.keysOf([...new Set(requests.flat())]);
    return requests.map(() => keys);
  });

  /**
   * The data keys of `subjects`: null for a person erased. A person with no row has had no sealed
   * event yet; their plain-text events (from before sealing) are read as they are.
   */
  private async keysOf(subjects: readonly string[]): Promise<Map<string, Buffer | null>> {
    const { rows } = await this.pool.query<{ subject_id: string; wrapped_key: string | null; master_key_id: string | null }>(
      'SELECT subject_id, wrapped_key, master_key_id FROM personal_data_keys WHERE subject_id = ANY($1::text[])',
      [subjects],
    );
    const keys = new Map<string, Buffer | null>();
    for (const row of rows)
      keys.set(
        row.subject_id,
        row.wrapped_key === null ? null : decrypt(this.masterNamed(row.master_key_id ?? this.current.id).wrapping, row.wrapped_key, row.subject_id),
      );
    return keys;
  }
}

/** How many keys (data keys not erased, and the system's own) each master key wraps, by its id. */
async function keysByMasterKey(pool: pg.ClientBase | pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ master_key_id: string; keys: string }>(
    `SELECT master_key_id, count(*) AS keys FROM (
       SELECT master_key_id FROM personal_data_keys WHERE wrapped_key IS NOT NULL
       UNION ALL SELECT master_key_id FROM personal_data_secrets) wrapped
     GROUP BY master_key_id ORDER BY master_key_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.master_key_id, Number(row.keys)]));
}

/** The additional data a system key is sealed with: never a beneficiary's id, so neither can stand for the other. */
function secretOwner(name: string): string {
  return `secret:${name}`;
}

/**
 * Keys wrapped before master keys had ids were all wrapped under the one master key of that time:
 * finds which of the given keys it is and names it on them, once.
 */
async function tagKeysWrappedBeforeRotation(pool: pg.Pool, masters: ReadonlyMap<string, MasterKey>): Promise<void> {
  const { rows } = await pool.query<{ subject_id: string; wrapped_key: string }>(
    'SELECT subject_id, wrapped_key FROM personal_data_keys WHERE master_key_id IS NULL AND wrapped_key IS NOT NULL LIMIT 1',
  );
  const sample = rows[0];
  if (!sample) return;
  const master = [...masters.values()].find((candidate) => unwraps(candidate, sample.wrapped_key, sample.subject_id));
  if (!master)
    throw new Error(
      'the personal data keys were wrapped under a master key this process was not given: set PERSONAL_DATA_KEY (or PERSONAL_DATA_PREVIOUS_KEYS) to the key they were made with',
    );
  await pool.query('UPDATE personal_data_keys SET master_key_id = $1 WHERE master_key_id IS NULL AND wrapped_key IS NOT NULL', [master.id]);
}

function unwraps(master: MasterKey, wrapped: string, owner: string): boolean {
  try {
    decrypt(master.wrapping, wrapped, owner);
    return true;
  } catch {
    return false;
  }
}

/**
 * A key of the system's own, made once (by `initial`) and kept wrapped like the data keys, so that
 * rotating the master key changes none of them.
 */
async function systemKey(
  pool: pg.Pool,
  name: string,
  current: MasterKey,
  masters: ReadonlyMap<string, MasterKey>,
  initial: () => Promise<Buffer>,
): Promise<Buffer> {
  const owner = secretOwner(name);
  const stored = async () =>
    (await pool.query<{ wrapped_key: string; master_key_id: string }>('SELECT wrapped_key, master_key_id FROM personal_data_secrets WHERE name = $1', [name]))
      .rows[0];
  let row = await stored();
  if (!row) {
    await pool.query('INSERT INTO personal_data_secrets (name, wrapped_key, master_key_id) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      name,
      encrypt(current.wrapping, await initial(), owner),
      current.id,
    ]);
    row = await stored();
  }
  const master = masters.get(row.master_key_id);
  if (!master) throw new Error(`the system key ${name} is wrapped under master key ${row.master_key_id}, which this process was not given`);
  return decrypt(master.wrapping, row.wrapped_key, owner);
}

/**
 * The key of the reservation hash. A log from before it was kept derived it from the master key of
 * that time — the one its data keys are wrapped under — so it is derived from that key once more.
 */
function reservationHashKey(pool: pg.Pool, current: MasterKey, masters: ReadonlyMap<string, MasterKey>): Promise<Buffer> {
  return systemKey(pool, RESERVATION_HASH_KEY, current, masters, async () => {
    const { rows } = await pool.query<{ master_key_id: string }>('SELECT master_key_id FROM personal_data_keys WHERE master_key_id IS NOT NULL LIMIT 1');
    return derivedKey((masters.get(rows[0]?.master_key_id ?? current.id) ?? current).master, 'personal-data/national-id-reservation');
  });
}
