import { appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Keeps a password the system generated where only the account running it can read it, instead
 * of in the log (logs are shipped, kept and read by others). Returns the file, for the log line
 * that says where to look.
 */
export function keepGeneratedSecret(file: string, label: string, secret: string): string {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${new Date().toISOString()} ${label}: ${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
