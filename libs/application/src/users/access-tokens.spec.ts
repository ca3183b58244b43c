import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { AccessTokens } from './access-tokens.js';

const OLD_KEY = 'an-old-signing-key-of-at-least-32-characters';
const NEW_KEY = 'the-new-signing-key-of-at-least-32-characters';

describe('access tokens', () => {
  let now = new Date('2026-12-01T08:00:00Z');
  const clock = () => now;
  const before = new AccessTokens({ secret: OLD_KEY, ttlMinutes: 60, audience: 'lang-son' }, clock);
  const rotated = new AccessTokens({ secret: NEW_KEY, previousSecrets: [OLD_KEY], ttlMinutes: 60, audience: 'lang-son' }, clock);
  const only = new AccessTokens({ secret: NEW_KEY, ttlMinutes: 60, audience: 'lang-son' }, clock);
  const claims = { username: 'lan', credentialVersion: 2 };

  it('are JWTs naming their key, verified until they expire', async () => {
    const { accessToken, expiresAt } = await before.issue(claims);
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.stringMatching(/^[\w-]{16}$/) });
    expect(expiresAt).toEqual(new Date('2026-12-01T09:00:00Z'));
    expect(await before.verify(accessToken)).toEqual(claims);
    now = new Date('2026-12-01T09:00:01Z');
    expect(await before.verify(accessToken)).toBeUndefined();
    now = new Date('2026-12-01T08:00:00Z');
  });

  it('are verified with a previous key after rotation, and refused once that key is dropped', async () => {
    const { accessToken } = await before.issue(claims);
    expect(await rotated.verify(accessToken)).toEqual(claims);
    expect(await only.verify(accessToken)).toBeUndefined();
    expect(await rotated.verify((await rotated.issue(claims)).accessToken)).toEqual(claims);
    expect(decodeProtectedHeader((await rotated.issue(claims)).accessToken).kid).toBe(decodeProtectedHeader((await only.issue(claims)).accessToken).kid);
  });

  it('refuses a trailing segment, an unsigned token, another algorithm, a foreign key id or a missing claim', async () => {
    const { accessToken } = await before.issue(claims);
    const kid = decodeProtectedHeader(accessToken).kid!;
    const key = new TextEncoder().encode(OLD_KEY);
    const signed = (header: Record<string, string>, payload: Record<string, unknown> = { ver: 2 }, audience = 'lang-son') =>
      new SignJWT(payload)
        .setProtectedHeader({ typ: 'JWT', kid, alg: 'HS256', ...header })
        .setSubject('lan')
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime('1h')
        .sign(key);
    for (const forged of [
      `${accessToken}.junk`,
      new UnsecuredJWT({ ver: 2 }).setSubject('lan').setIssuedAt().setExpirationTime('1h').encode(),
      await signed({ alg: 'HS512' }),
      await signed({ kid: 'someone-elses-key' }),
      await signed({ typ: 'at+jwt' }),
      await signed({}, {}),
      await signed({}, { ver: 2 }, 'lam-dong'),
    ]) {
      expect(await before.verify(forged)).toBeUndefined();
    }
    expect(await before.verify(await signed({}))).toEqual(claims);
  });

  it('are refused by another province signing with the same key', async () => {
    const lamDong = new AccessTokens({ secret: OLD_KEY, ttlMinutes: 60, audience: 'lam-dong' }, clock);
    const { accessToken } = await before.issue(claims);
    expect(await lamDong.verify(accessToken)).toBeUndefined();
    expect(await lamDong.verify((await lamDong.issue(claims)).accessToken)).toEqual(claims);
    expect(await before.verify((await lamDong.issue(claims)).accessToken)).toBeUndefined();
  });
});
