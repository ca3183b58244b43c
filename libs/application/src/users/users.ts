import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { migrate } from '#database';
import { RUNTIME, type Runtime } from '#runtime';
import { type Actor, requireRole, type Role, ROLES } from '../event-sourcing.js';
import { RuleViolated } from '#domain';
import { AccessTokens } from './access-tokens.js';
import { SignInThrottle } from './sign-in-throttle.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

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
];

export async function migrateUsers(pool: pg.Pool): Promise<void> {
  await migrate(pool, 'users', USERS_SCHEMA);
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}

export interface UserView extends Actor {
  readonly fullName: string;
}

interface UserRow {
  readonly username: string;
  readonly full_name: string;
  readonly roles: Role[];
  readonly password_hash: string;
  readonly credential_version: number;
}

const view = (row: UserRow): UserView => ({ username: row.username, fullName: row.full_name, roles: row.roles });

const UNKNOWN_USER_HASH = `scrypt$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Signing in (throttled per user name and address), and the user behind an access token. */
@Injectable()
export class Users {
  private readonly tokens: AccessTokens;
  private readonly throttle: SignInThrottle;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {
    const { tokenSecret, previousTokenSecrets, tokenTtlMinutes } = runtime.config.auth;
    this.tokens = new AccessTokens({ ...(tokenSecret ? { secret: tokenSecret } : {}), ...(previousTokenSecrets ? { previousSecrets: previousTokenSecrets } : {}), ttlMinutes: tokenTtlMinutes }, runtime.clock);
    this.throttle = new SignInThrottle(runtime.clock);
  }

  /** The administrator of `ADMIN_USERNAME`, created on first start; returns the password when it was generated. */
  async ensureAdministrator(): Promise<{ username: string; generatedPassword?: string } | undefined> {
    await migrateUsers(this.runtime.pool);
    const { adminUsername, adminPassword } = this.runtime.config.auth;
    if (await this.find(adminUsername)) return undefined;
    const password = adminPassword ?? randomBytes(12).toString('base64url');
    await this.insert({ username: adminUsername, fullName: 'Administrator', roles: ['administrator'] }, password, 'system');
    return { username: adminUsername, ...(adminPassword ? {} : { generatedPassword: password }) };
  }

  /** The demo province's people, with one shared password, when they do not exist yet. */
  async ensureUsers(users: readonly { username: string; roles: readonly Role[] }[], password: string): Promise<void> {
    await migrateUsers(this.runtime.pool);
    for (const user of users) await this.insert({ username: user.username, fullName: user.username, roles: [...user.roles] }, password, 'system');
  }

  async register(user: UserView, password: string, by: Actor): Promise<UserView> {
    requireRole(by, 'manageUsers', 'registering users');
    if (!USERNAME.test(user.username)) throw new RuleViolated('InvalidInput', 'username must be 2–40 lower-case letters, digits, dots, dashes or underscores', 'username');
    if (user.roles.length === 0 || user.roles.some((role) => !ROLES.includes(role))) throw new RuleViolated('InvalidInput', `roles must be some of ${ROLES.join(', ')}`, 'roles');
    if (password.length < 12) throw new RuleViolated('InvalidInput', 'password must be at least 12 characters', 'password');
    if (!(await this.insert(user, password, by.username))) throw new RuleViolated('UsernameTaken', `user ${user.username} already exists`, 'username');
    return user;
  }

  async list(): Promise<UserView[]> {
    const { rows } = await this.runtime.pool.query<UserRow>('SELECT username, full_name, roles, password_hash FROM app_users ORDER BY username');
    return rows.map(view);
  }

  /** A session for the right password; undefined for a wrong one; `SignInThrottled` while the name or the address must wait. */
  async signIn(username: string, password: string, address: string): Promise<{ accessToken: string; expiresAt: string; user: UserView } | undefined> {
    this.throttle.check(username, address);
    const found = await this.find(username);
    // An unknown name costs the same hashing as a wrong password, so timing does not tell which names exist.
    if (!(await passwordMatches(password, found?.password_hash ?? UNKNOWN_USER_HASH)) || !found) {
      this.throttle.failed(username, address);
      return undefined;
    }
    this.throttle.succeeded(username);
    const { accessToken, expiresAt } = await this.tokens.issue({ username, credentialVersion: found.credential_version });
    return { accessToken, expiresAt: expiresAt.toISOString(), user: view(found) };
  }

  /** The user a token was issued to, if it holds, and was issued under their present credentials. */
  async authenticate(token: string): Promise<UserView | undefined> {
    const claims = await this.tokens.verify(token);
    if (!claims) return undefined;
    const found = await this.find(claims.username);
    return found && found.credential_version === claims.credentialVersion ? view(found) : undefined;
  }

  private async find(username: string) {
    const { rows } = await this.runtime.pool.query<UserRow>(
      'SELECT username, full_name, roles, password_hash, credential_version FROM app_users WHERE username = $1',
      [username],
    );
    return rows[0];
  }

  private async insert(user: UserView, password: string, by: string): Promise<boolean> {
    const result = await this.runtime.pool.query(
      'INSERT INTO app_users (username, full_name, roles, password_hash, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING',
      [user.username, user.fullName, user.roles, await hashPassword(password), by],
    );
    return result.rowCount === 1;
  }
}
