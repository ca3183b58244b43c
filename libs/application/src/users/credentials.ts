import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { UserAccounts } from '#domain';
import type { Role } from '../event-sourcing.js';
import type { Sql } from '../ports/index.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/**
 * The password hashes, and what signing in and every request need of an account (roles, status,
 * credential version) without reading its stream. Kept out of the log: the log is never edited,
 * and a password hash must be replaceable and erasable. The account's facts are its stream
 * (`user-<username>`); each command writes them there first, then this row from the state they
 * lead to, so a retry of the same command repairs a row a crash left behind.
 */

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** A hash no password matches, checked for unknown names so that timing does not tell which names exist. */
export const UNKNOWN_USER_HASH = `scrypt$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}

export interface CredentialRow {
  readonly username: string;
  readonly full_name: string;
  readonly roles: Role[];
  readonly status: 'awaiting-confirmation' | 'active' | 'disabled';
  readonly password_hash: string;
  readonly credential_version: number;
  readonly created_by: string;
  /** Signing in asks for a TOTP code besides the password. */
  readonly second_factor: boolean;
}

/** An account's authenticator: its secret, sealed for the account, and the last time step a code was taken in. */
export interface SecondFactorSecret {
  readonly sealed: string;
  readonly lastStep: number | null;
}

const COLUMNS = 'username, full_name, roles, status, password_hash, credential_version, created_by, second_factor';

export class Credentials {
  constructor(private readonly pool: Sql) {}

  async find(username: string): Promise<CredentialRow | undefined> {
    return (await this.pool.query<CredentialRow>(`SELECT ${COLUMNS} FROM app_users WHERE username = $1`, [username])).rows[0];
  }

  async all(): Promise<CredentialRow[]> {
    return (await this.pool.query<CredentialRow>(`SELECT ${COLUMNS} FROM app_users ORDER BY username`)).rows;
  }

  /**
   * The row of an account as its state now says, with a new password hash when one was set. A
   * second factor turned off takes its secret along: enrolling again makes a new one.
   */
  async save(account: Exclude<UserAccounts.UserAccount, { status: 'none' }>, passwordHash?: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO app_users (username, full_name, roles, status, credential_version, created_by, password_hash, second_factor) VALUES ($1, $2, $3, $4, $5, $6, $7, $9)
       ON CONFLICT (username) DO UPDATE SET full_name = $2, roles = $3, status = $4, credential_version = $5, password_hash = coalesce($8, app_users.password_hash), second_factor = $9,
         second_factor_secret = CASE WHEN app_users.second_factor AND NOT $9 THEN NULL ELSE app_users.second_factor_secret END,
         second_factor_last_step = CASE WHEN app_users.second_factor AND NOT $9 THEN NULL ELSE app_users.second_factor_last_step END`,
      [
        account.username,
        account.fullName,
        account.roles,
        account.status,
        account.credentialVersion,
        account.createdBy,
        passwordHash ?? UNKNOWN_USER_HASH,
        passwordHash ?? null,
        account.secondFactor,
      ],
    );
  }

  /**
   * Keeps `sealed` as the account's new authenticator, awaiting confirmation (in place of one
   * awaiting already); false, and nothing kept, when a second factor is in force.
   */
  async keepPendingSecondFactor(username: string, sealed: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE app_users SET second_factor_secret = $2, second_factor_last_step = NULL WHERE username = $1 AND NOT second_factor',
      [username, sealed],
    );
    return rowCount === 1;
  }

  /** The account's authenticator, in force or awaiting confirmation. */
  async secondFactorSecret(username: string): Promise<SecondFactorSecret | undefined> {
    const { rows } = await this.pool.query<{ sealed: string; last_step: number | null }>(
      'SELECT second_factor_secret AS sealed, second_factor_last_step AS last_step FROM app_users WHERE username = $1 AND second_factor_secret IS NOT NULL',
      [username],
    );
    return rows[0] && { sealed: rows[0].sealed, lastStep: rows[0].last_step };
  }

  /**
   * Records `step` as the last one a code was taken in; false when a code of that step or a later
   * one was taken meanwhile (two requests racing with one code: only one gets it).
   */
  async takeStep(username: string, step: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE app_users SET second_factor_last_step = $2 WHERE username = $1 AND (second_factor_last_step IS NULL OR second_factor_last_step < $2)',
      [username, step],
    );
    return rowCount === 1;
  }
}
