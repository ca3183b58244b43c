import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type pg from 'pg';
import type { NewEvent, StoredEvent } from '#event-store';
import { personalPart, withPersonal } from '#domain';
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
];

/**
 * The master key: `PERSONAL_DATA_KEY` when set, else the key file, generated (mode 0600) on first
 * start. Losing it loses every name on the register: it must be backed up apart from the database.
 */
export function loadMasterKey(config: { readonly key?: string; readonly file: string }, log: (message: string) => void): Buffer {
  if (config.key) return Buffer.from(config.key, 'base64');
  if (!existsSync(config.file)) {
    mkdirSync(dirname(config.file), { recursive: true });
    writeFileSync(config.file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    log(`generated the personal data master key in ${config.file}: back it up apart from the database (without it the names on the register cannot be read), or set PERSONAL_DATA_KEY`);
  }
  const key = Buffer.from(readFileSync(config.file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${config.file} must hold a base64 key of 32 bytes`);
  return key;
}

export class PersonalDataKeys {
  /** Wraps the data keys; derived from the master key, never the master key itself, so each use has a key of its own. */
  private readonly wrappingKey: Buffer;
  /** Keys the hash naming national id reservations. */
  private readonly reservationHashKey: Buffer;

  constructor(
    private readonly pool: pg.Pool,
    masterKey: Buffer,
  ) {
    if (masterKey.length !== 32) throw new Error('the personal data master key must be 32 bytes');
    this.wrappingKey = derivedKey(masterKey, 'personal-data/wrapping');
    this.reservationHashKey = derivedKey(masterKey, 'personal-data/national-id-reservation');
  }

  /**
   * What names a national id's reservation stream: an HMAC of the number, so the stream id (which
   * no erasure can change) does not spell it out, while one number still names one stream.
   */
  reservationKey(nationalId: string): string {
    return createHmac('sha256', this.reservationHashKey).update(nationalId).digest('hex');
  }

  /** `events` with their personal fields sealed under each person's key (created at their first event). */
  async seal(events: readonly NewEvent[]): Promise<NewEvent[]> {
    const parts = events.map((event) => personalPart(event.type, event.data as Record<string, unknown>));
    const subjects = [...new Set(parts.flatMap((part) => (part ? [part.subject] : [])))];
    if (subjects.length === 0) return [...events];
    for (const subject of subjects) {
      const wrapped = encrypt(this.wrappingKey, randomBytes(32), subject);
      await this.pool.query('INSERT INTO personal_data_keys (subject_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING', [subject, wrapped]);
    }
    const keys = await this.keysOf(subjects);
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
    const keys = await this.keysOf(subjects);
    return events.map((event, n) => {
      const part = parts[n];
      if (!part) return event;
      const key = keys.get(part.subject);
      const { sealed, ...rest } = part.rest as { sealed?: string };
      const personal = key === null ? undefined : sealed === undefined ? part.personal : key ? (JSON.parse(decrypt(key, sealed, part.subject).toString()) as Record<string, unknown>) : undefined;
      return { ...event, data: withPersonal(event.type, rest, personal) };
    });
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
   * The data keys of `subjects`: null for a person erased. A person with no row has had no sealed
   * event yet; their plain-text events (from before sealing) are read as they are.
   */
  private async keysOf(subjects: readonly string[]): Promise<Map<string, Buffer | null>> {
    const { rows } = await this.pool.query<{ subject_id: string; wrapped_key: string | null }>('SELECT subject_id, wrapped_key FROM personal_data_keys WHERE subject_id = ANY($1::text[])', [subjects]);
    const keys = new Map<string, Buffer | null>();
    for (const row of rows) keys.set(row.subject_id, row.wrapped_key === null ? null : decrypt(this.wrappingKey, row.wrapped_key, row.subject_id));
    return keys;
  }
}
