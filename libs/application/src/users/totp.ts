import { Secret, TOTP } from 'otpauth';

/**
 * Time-based one-time codes (RFC 6238) as every authenticator app reads them: HMAC-SHA1, six
 * digits, 30-second steps, through `otpauth`.
 */
const ISSUER = 'Health Support Back Office';

/** Steps either side of now whose code is still taken: a phone's clock drifts. */
const DRIFT_STEPS = 1;

const totpOf = (secret: string, username = '') =>
  new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/** A new secret in base32, as authenticator apps take it typed in: 160 random bits (RFC 4226's recommended length). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app reads (usually from a QR code). */
export function totpUri(secret: string, username: string): string {
  return totpOf(secret, username).toString();
}

/**
 * The time step `code` was made for, when it is the code of a step within the drift of `now`
 * and later than the last step a code was taken in; undefined otherwise. Remembering the step
 * taken, and taking no code of that step or an earlier one again, makes each code good once.
 */
export function acceptedStep(secret: string, code: string, now: Date, lastUsedStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: DRIFT_STEPS });
  if (delta === null) return undefined;
  const step = totp.counter({ timestamp: now.getTime() }) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? undefined : step;
}
