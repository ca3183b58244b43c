import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '#runtime';
import { type Actor, requireRole, type Role, ROLES } from '../event-sourcing.js';
import { RuleViolated } from '#domain';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

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
}

const view = (row: UserRow): UserView => ({ username: row.username, fullName: row.full_name, roles: row.roles });

const UNKNOWN_USER_HASH = `scrypt$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Signed access tokens: `base64url(payload).base64url(HMAC-SHA256)`, payload { sub, exp }. */
@Injectable()
export class Users {
  private readonly secret: Buffer;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {
    this.secret = runtime.config.auth.tokenSecret ? Buffer.from(runtime.config.auth.tokenSecret) : randomBytes(32);
  }

  /** The administrator of `ADMIN_USERNAME`, created on first start; returns the password when it was generated. */
  async ensureAdministrator(): Promise<{ username: string; generatedPassword?: string } | undefined> {
    const { adminUsername, adminPassword } = this.runtime.config.auth;
    if (await this.find(adminUsername)) return undefined;
    const password = adminPassword ?? randomBytes(12).toString('base64url');
    await this.insert({ username: adminUsername, fullName: 'Administrator', roles: ['administrator'] }, password, 'system');
    return { username: adminUsername, ...(adminPassword ? {} : { generatedPassword: password }) };
  }

  /** The demo province's people, with one shared password, when they do not exist yet. */
  async ensureUsers(users: readonly { username: string; roles: readonly Role[] }[], password: string): Promise<void> {
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

  async signIn(username: string, password: string): Promise<{ accessToken: string; expiresAt: string; user: UserView } | undefined> {
    const found = await this.find(username);
    // An unknown name costs the same hashing as a wrong password, so timing does not tell which names exist.
    if (!(await passwordMatches(password, found?.password_hash ?? UNKNOWN_USER_HASH)) || !found) return undefined;
    const expiresAt = new Date(Date.now() + this.runtime.config.auth.tokenTtlMinutes * 60_000);
    const payload = Buffer.from(JSON.stringify({ sub: username, exp: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
    return { accessToken: `${payload}.${this.sign(payload)}`, expiresAt: expiresAt.toISOString(), user: view(found) };
  }

  /** The user a token was signed for, if the signature holds, it has not expired and the user still exists. */
  async authenticate(token: string): Promise<UserView | undefined> {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: { sub?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return undefined;
    const found = await this.find(claims.sub);
    return found && view(found);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  private async find(username: string) {
    const { rows } = await this.runtime.pool.query<UserRow>(
      'SELECT username, full_name, roles, password_hash FROM app_users WHERE username = $1',
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
