import type pg from 'pg';
import { migrate } from '#database';
import { migrateEventStore } from '#event-store';
import { migrateProjections } from '#projection-runner';
import { PERSONAL_DATA_SCHEMA } from './personal-data/personal-data-keys.js';

/**
 * Users and their roles. Credentials are kept in a table of their own, not in the event log:
 * the log is never edited, and a password hash must be replaceable and erasable. Who did what is
 * in every event's metadata (actor and role).
 */
const USERS_SCHEMA = [
  `CREATE TABLE app_users (
    username text PRIMARY KEY,
    full_name text NOT NULL,
    roles text[] NOT NULL,
    password_hash text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Raised by what must end the tokens already issued (a new password, disabling): a token names the version it was issued under.
  `ALTER TABLE app_users ADD COLUMN credential_version integer NOT NULL DEFAULT 0`,
  // Only an active account signs in: not one awaiting an administrator's confirmation, nor a disabled one.
  `ALTER TABLE app_users ADD COLUMN status text NOT NULL DEFAULT 'active'`,
  // The second factor: in force or not as the account's stream says; its TOTP secret sealed (pending
  // until confirmed), and the last 30-second step a code was accepted in (so that none is used twice;
  // steps since 1970 fit an integer until the year 4000).
  `ALTER TABLE app_users ADD COLUMN second_factor boolean NOT NULL DEFAULT false`,
  `ALTER TABLE app_users ADD COLUMN second_factor_secret text`,
  `ALTER TABLE app_users ADD COLUMN second_factor_last_step integer`,
];

/** Every component's migrations, run by the role that owns the schema. */
export async function migrateSchema(pool: pg.Pool, options: { readonly eventStore: boolean }): Promise<void> {
  if (options.eventStore) await migrateEventStore(pool);
  await migrateProjections(pool);
  await migrate(pool, 'users', USERS_SCHEMA);
  await migrate(pool, 'personal-data', PERSONAL_DATA_SCHEMA);
}

/**
 * What the application's role may do when it is not the owner: append events only through
 * append_events (which runs as the owner and computes the hash chain) and read them; keep the
 * read models, which live in schemas it creates, rebuilds and swaps itself (hence CREATE on the
 * database), and their checkpoints; register users and change them (their passwords must be
 * replaceable). Nothing else: no UPDATE, DELETE or TRUNCATE on the log or its command ids, no
 * ALTER, so no trigger control. Granting is idempotent, so it runs at every start.
 */
export async function grantApplicationRole(owner: pg.Pool, role: string, options: { readonly eventStore: boolean }): Promise<void> {
  const client = await owner.connect();
  try {
    const grantee = client.escapeIdentifier(role);
    const { rows } = await client.query<{ database: string; schema: string }>('SELECT current_database() AS database, current_schema() AS schema');
    await client.query(`GRANT CONNECT, CREATE ON DATABASE ${client.escapeIdentifier(rows[0].database)} TO ${grantee}`);
    await client.query(`GRANT USAGE ON SCHEMA ${client.escapeIdentifier(rows[0].schema)} TO ${grantee}`);
    await client.query(`GRANT SELECT ON schema_migrations TO ${grantee}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON projection_checkpoints TO ${grantee}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE ON app_users TO ${grantee}`);
    // Keys are created and destroyed (set to null), never deleted; reads are recorded, never changed.
    await client.query(`GRANT SELECT, INSERT, UPDATE ON personal_data_keys, personal_data_secrets TO ${grantee}`);
    await client.query(`GRANT SELECT, INSERT ON personal_data_reads TO ${grantee}`);
    await client.query(`GRANT USAGE ON SEQUENCE personal_data_reads_id_seq TO ${grantee}`);
    if (options.eventStore) {
      await client.query(`GRANT SELECT ON events, event_commands, event_log_head TO ${grantee}`);
      await client.query(`GRANT EXECUTE ON FUNCTION append_events(jsonb) TO ${grantee}`);
    }
  } finally {
    client.release();
  }
}
