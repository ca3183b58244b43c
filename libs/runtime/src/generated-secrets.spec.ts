import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepGeneratedSecret } from './generated-secrets.js';

describe('keepGeneratedSecret', () => {
  it('writes a generated password where only the account running the system can read it, one line per secret', () => {
    const folder = mkdtempSync(join(tmpdir(), 'hsb-secrets-'));
    try {
      const file = join(folder, 'data', 'generated-passwords.txt');
      expect(keepGeneratedSecret(file, 'administrator admin', 'first-secret-123')).toBe(file);
      keepGeneratedSecret(file, 'demo users', 'second-secret-456');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.replace(/^\S+ /, '')),
      ).toEqual(['administrator admin: first-secret-123', 'demo users: second-secret-456']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
