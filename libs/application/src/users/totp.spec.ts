import { Secret, TOTP } from 'otpauth';
import { acceptedStep, newTotpSecret, totpUri } from './totp.js';

describe('TOTP codes', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-12-01T08:00:10Z');
  const step = Math.floor(now.getTime() / 30_000);
  /** The code an authenticator app shows `seconds` from now. */
  const codeAt = (seconds: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now.getTime() + seconds * 1000 });

  it('takes the code of this step, and of the steps either side (a drifting phone), never two steps away', () => {
    expect(acceptedStep(secret, codeAt(0), now, null)).toBe(step);
    expect(acceptedStep(secret, codeAt(-30), now, null)).toBe(step - 1);
    expect(acceptedStep(secret, codeAt(30), now, null)).toBe(step + 1);
    expect(acceptedStep(secret, codeAt(-60), now, null)).toBeUndefined();
    expect(acceptedStep(secret, codeAt(60), now, null)).toBeUndefined();
  });

  it('takes no code of the step last used or an earlier one: a code is good once', () => {
    expect(acceptedStep(secret, codeAt(0), now, step)).toBeUndefined();
    expect(acceptedStep(secret, codeAt(-30), now, step)).toBeUndefined();
    expect(acceptedStep(secret, codeAt(30), now, step)).toBe(step + 1);
  });

  it('takes nothing but six digits, nor another secret’s code', () => {
    const code = codeAt(0);
    expect(acceptedStep(secret, ` ${code}`, now, null)).toBeUndefined();
    expect(acceptedStep(secret, `${code}0`, now, null)).toBeUndefined();
    expect(acceptedStep(newTotpSecret(), code, now, null)).toBeUndefined();
  });

  it('writes the URI authenticator apps read, with the secret and the account', () => {
    const uri = new URL(totpUri(secret, 'cuong'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(decodeURIComponent(uri.pathname)).toContain('cuong');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({ issuer: 'Health Support Back Office', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});
