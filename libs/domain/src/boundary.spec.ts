import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The domain stays plain TypeScript: decisions and rules must not reach for frameworks or storage. */
describe('domain boundary', () => {
  it('imports nothing outside the domain, in its production code', () => {
    const root = 'libs/domain/src';
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.fixture.ts'));
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)]
        .map((match) => match[1]!)
        .filter((specifier) => !specifier.startsWith('.'))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
