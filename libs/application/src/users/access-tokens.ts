import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** What an access token says: whose it is, and which of their credentials it was issued under. */
export interface TokenClaims {
  readonly username: string;
  /** The account's credential version at sign-in: a password change, reset or disabling raises it, which ends older tokens. */
  readonly credentialVersion: number;
}

const ALGORITHM = 'HS256';

/** A key's id, from the key itself: every process configured with the same keys names them alike, and no setting can drift from its key. */
function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/**
 * Access tokens as standard JWTs (RFC 7519), HMAC-SHA256, through `jose`: compact form only (a
 * fourth segment, `alg: none`, another algorithm or type are refused), `sub`, `iat` and `exp`
 * required, and `aud` naming the province. The header's `kid` picks the key: tokens are signed with the current key and verified
 * with it or with a previous one, so the key can be replaced without signing everybody out.
 */
export class AccessTokens {
  private readonly current: { readonly kid: string; readonly key: Uint8Array };
  private readonly keys: ReadonlyMap<string, Uint8Array>;
  private readonly ttlSeconds: number;
  private readonly audience: string;

  constructor(
    options: { readonly secret?: string; readonly previousSecrets?: readonly string[]; readonly ttlMinutes: number; readonly audience: string },
    private readonly clock: () => Date,
  ) {
    const key = options.secret ? new TextEncoder().encode(options.secret) : new Uint8Array(randomBytes(32));
    this.current = { kid: keyIdOf(key), key };
    const previous = (options.previousSecrets ?? []).map((secret) => new TextEncoder().encode(secret));
    this.keys = new Map([...previous, key].map((each) => [keyIdOf(each), each]));
    this.ttlSeconds = options.ttlMinutes * 60;
    this.audience = options.audience;
  }

  async issue(claims: TokenClaims): Promise<{ accessToken: string; expiresAt: Date }> {
    const issuedAt = Math.floor(this.clock().getTime() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const accessToken = await new SignJWT({ ver: claims.credentialVersion })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: this.current.kid })
      .setSubject(claims.username)
      .setAudience(this.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.current.key);
    return { accessToken, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The claims of a token that holds (signature by a known key, not expired, well formed); otherwise undefined. */
  async verify(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (!key) throw new Error('unknown key id');
          return key;
        },
        { algorithms: [ALGORITHM], typ: 'JWT', requiredClaims: ['sub', 'iat', 'exp'], audience: this.audience, currentDate: this.clock() },
      );
      if (typeof payload.sub !== 'string' || !Number.isSafeInteger(payload.ver)) return undefined;
      return { username: payload.sub, credentialVersion: payload.ver as number };
    } catch {
      return undefined;
    }
  }
}
