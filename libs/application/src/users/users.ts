import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../event-sourcing.js';
import { APPLICATION_CONFIG, type ApplicationConfig, CLOCK, type Clock, SECOND_FACTOR_SECRETS, type SecretSealing, SQL, type Sql } from '../ports/index.js';
import { AccessTokens } from './access-tokens.js';
import { type CredentialRow, Credentials, passwordMatches, UNKNOWN_USER_HASH } from './credentials.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { acceptedStep } from './totp.js';

export interface UserView extends Actor {
  readonly fullName: string;
}

export interface Session {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly user: UserView;
}

/**
 * Why a sign-in got no session: `WrongPassword` (or an unknown name, or an account that cannot
 * sign in: one answer for all), `SecondFactorRequired` (the password is right, the account's
 * second factor asks for a code), `WrongSecondFactorCode` (not the code now, or one used already).
 */
export type SignInRefusal = 'WrongPassword' | 'SecondFactorRequired' | 'WrongSecondFactorCode';

const view = (row: CredentialRow): UserView => ({ username: row.username, fullName: row.full_name, roles: row.roles });

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/**
 * Signing in (throttled per user name and address, the second factor's code as well as the
 * password), and the user behind an access token.
 */
@Injectable()
export class Users {
  readonly credentials: Credentials;
  private readonly tokens: AccessTokens;
  private readonly throttle: SignInThrottle;

  constructor(
    @Inject(APPLICATION_CONFIG) config: ApplicationConfig,
    @Inject(SQL) sql: Sql,
    @Inject(SECOND_FACTOR_SECRETS) private readonly secondFactorSecrets: SecretSealing,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const { tokenSecret, previousTokenSecrets, tokenTtlMinutes, audience } = config.auth;
    this.credentials = new Credentials(sql);
    this.tokens = new AccessTokens(
      {
        ...(tokenSecret ? { secret: tokenSecret } : {}),
        ...(previousTokenSecrets ? { previousSecrets: previousTokenSecrets } : {}),
        ttlMinutes: tokenTtlMinutes,
        audience,
      },
      clock,
    );
    this.throttle = new SignInThrottle(clock);
  }

  /**
   * A session for the right password of an active account, and the code of its second factor
   * when it has one; `SignInThrottled` while the name or the address must wait.
   */
  async signIn(username: string, password: string, code: string | undefined, address: string): Promise<Session | { refused: SignInRefusal }> {
    const found = await this.passwordHolder(username, password, address);
    if (!found) return { refused: 'WrongPassword' };
    if (found.second_factor) {
      // Asking for the code is no failure, nor a success that would clear the name's failures.
      if (code === undefined) return { refused: 'SecondFactorRequired' };
      if (!(await this.codeTaken(username, code))) {
        this.throttle.failed(username, address);
        return { refused: 'WrongSecondFactorCode' };
      }
    }
    this.throttle.succeeded(username);
    return this.session(found);
  }

  /** The account, when `password` is its password and it may sign in (to confirm one's own password before changing it). */
  async checkPassword(username: string, password: string, address: string): Promise<CredentialRow | undefined> {
    const found = await this.passwordHolder(username, password, address);
    if (found) this.throttle.succeeded(username);
    return found;
  }

  /**
   * Whether `code` is the code now of the account's authenticator (in force, or awaiting
   * confirmation), never taken before; throttled and counted as a sign-in, so that a stolen
   * session cannot guess its way past the second factor.
   */
  async checkCode(username: string, code: string, address: string): Promise<boolean> {
    this.throttle.check(username, address);
    const taken = await this.codeTaken(username, code);
    if (taken) this.throttle.succeeded(username);
    else this.throttle.failed(username, address);
    return taken;
  }

  /**
   * The account when `password` is its password and it may sign in; a failure counted otherwise.
   * Every check of a password goes through here, so each one is throttled alike.
   */
  private async passwordHolder(username: string, password: string, address: string): Promise<CredentialRow | undefined> {
    this.throttle.check(username, address);
    const found = await this.credentials.find(username);
    // An unknown name costs the same hashing as a wrong password, so timing does not tell which names exist.
    if (!(await passwordMatches(password, found?.password_hash ?? UNKNOWN_USER_HASH)) || found?.status !== 'active') {
      this.throttle.failed(username, address);
      return undefined;
    }
    return found;
  }

  /** Takes `code` when it is good now for the account's authenticator, remembering its time step so that it is good once. */
  private async codeTaken(username: string, code: string): Promise<boolean> {
    const secret = await this.credentials.secondFactorSecret(username);
    if (!secret) return false;
    const step = acceptedStep(this.secondFactorSecrets.open(secret.sealed, username), code, this.clock(), secret.lastStep);
    return step !== undefined && (await this.credentials.takeStep(username, step));
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
