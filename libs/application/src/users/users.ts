import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '#runtime';
import type { Actor } from '../event-sourcing.js';
import { AccessTokens } from './access-tokens.js';
import { type CredentialRow, Credentials, passwordMatches, UNKNOWN_USER_HASH } from './credentials.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface UserView extends Actor {
  readonly fullName: string;
}

export interface Session {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly user: UserView;
}

const view = (row: CredentialRow): UserView => ({ username: row.username, fullName: row.full_name, roles: row.roles });

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Signing in (throttled per user name and address), and the user behind an access token. */
@Injectable()
export class Users {
  readonly credentials: Credentials;
  private readonly tokens: AccessTokens;
  private readonly throttle: SignInThrottle;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    const { tokenSecret, previousTokenSecrets, tokenTtlMinutes } = runtime.config.auth;
    this.credentials = new Credentials(runtime.pool);
    this.tokens = new AccessTokens({ ...(tokenSecret ? { secret: tokenSecret } : {}), ...(previousTokenSecrets ? { previousSecrets: previousTokenSecrets } : {}), ttlMinutes: tokenTtlMinutes }, runtime.clock);
    this.throttle = new SignInThrottle(runtime.clock);
  }

  /** A session for the right password of an active account; undefined otherwise; `SignInThrottled` while the name or the address must wait. */
  async signIn(username: string, password: string, address: string): Promise<Session | undefined> {
    const found = await this.checkPassword(username, password, address);
    return found && this.session(found);
  }

  /**
   * The account, when `password` is its password and it may sign in. Every check of a password
   * goes through here, so each one is throttled alike (signing in, or confirming one's own
   * password to change it).
   */
  async checkPassword(username: string, password: string, address: string): Promise<CredentialRow | undefined> {
    this.throttle.check(username, address);
    const found = await this.credentials.find(username);
    // An unknown name costs the same hashing as a wrong password, so timing does not tell which names exist.
    if (!(await passwordMatches(password, found?.password_hash ?? UNKNOWN_USER_HASH)) || found?.status !== 'active') {
      this.throttle.failed(username, address);
      return undefined;
    }
    this.throttle.succeeded(username);
    return found;
  }

  /** A new session for an account as its row stands (after its own change of password, say). */
  async session(row: CredentialRow): Promise<Session> {
    const { accessToken, expiresAt } = await this.tokens.issue({ username: row.username, credentialVersion: row.credential_version });
    return { accessToken, expiresAt: expiresAt.toISOString(), user: view(row) };
  }

  /** The user a token was issued to, if it holds, their account is active, and it was issued under their present credentials. */
  async authenticate(token: string): Promise<UserView | undefined> {
    const claims = await this.tokens.verify(token);
    if (!claims) return undefined;
    const found = await this.credentials.find(claims.username);
    return found?.status === 'active' && found.credential_version === claims.credentialVersion ? view(found) : undefined;
  }

  async list(): Promise<(UserView & { status: string })[]> {
    return (await this.credentials.all()).map((row) => ({ ...view(row), status: row.status }));
  }
}
