import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { SECRET_VARIABLES } from '../libs/runtime/src/config.js';

/**
 * The deployment files, read as the tools read them: no Docker engine runs where the tests run,
 * so what an image or the cluster would do is checked from what they are told.
 */

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** The Dockerfile's instructions per stage, continuation lines joined and comments dropped. */
function dockerfileStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') stages.push([]);
    stages.at(-1)?.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  networks?: string[] | Record<string, unknown>;
  ports?: string[];
}
interface Compose {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  networks: Record<string, { internal?: boolean }>;
}

const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const stages = dockerfileStages(dockerfile);
const final = stages.at(-1)!;
// Compose reads `<<:` merge keys (go-yaml), which js-yaml's default schema leaves as plain keys.
const compose = load(readFileSync('docker/compose.yml', 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as Compose;
const services = Object.entries(compose.services);
const eventStoreNodes = services.filter(([, service]) => /kurrent|eventstore/.test(service.image ?? ''));
const networksOf = (service: Service): string[] => (Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {}));

describe('the Docker image', () => {
  it('runs on a Node LTS line of 22 or later, as a dependency requires (file-type: node >=22)', () => {
    const bases = stages.map((stage) => stage[0].args);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) {
      const major = Number(/^node:(\d+)-/.exec(base)?.[1]);
      expect({ base, lts: major >= 22 && major % 2 === 0 }).toEqual({ base, lts: true });
    }
    const fileType = JSON.parse(readFileSync('node_modules/file-type/package.json', 'utf8')) as { engines: { node: string } };
    expect(fileType.engines.node).toBe('>=22');
  });

  it('holds every folder the API serves the dashboard from, at the path app.ts resolves it', () => {
    const served = [...readFileSync('apps/api/src/app.ts', 'utf8').matchAll(/resolve\(ROOT, '([^']+)'\)/g)].map((match) => match[1]);
    expect(served).toEqual(expect.arrayContaining(['apps/dashboard/public', 'node_modules/bootstrap/dist', 'node_modules/chart.js/dist']));
    // dist/apps/api/src/app.js resolves ROOT four folders up: the WORKDIR.
    expect(final.filter((i) => i.op === 'WORKDIR').map((i) => i.args)).toEqual(['/app']);
    const copied = final.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/).at(-1)!.replace(/^\.\//, ''));
    for (const path of served)
      expect({ path, copied: copied.some((destination) => path === destination || path.startsWith(`${destination}/`)) }).toEqual({ path, copied: true });
    // The image's node_modules is pruned of development packages.
    const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    for (const path of served.filter((p) => p.startsWith('node_modules/'))) expect(Object.keys(dependencies)).toContain(path.split('/')[1]);
  });

  it('checks its own health by asking the API with Node, the slim image having no curl', () => {
    const checks = final.filter((i) => i.op === 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const command = JSON.parse(checks[0].args.replace(/^(--\S+\s+)*CMD\s+/, '')) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain("'/health/ready'");
    expect(final.some((i) => i.op === 'USER' && i.args === 'node')).toBe(true);
  });

  it('is built without the secrets folder', () => {
    expect(readFileSync('.dockerignore', 'utf8').split('\n')).toContain('docker/secrets');
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('docker/secrets/');
  });
});

describe('docker/compose.yml', () => {
  it('starts a service only once what it depends on is healthy (or, for the migration, done)', () => {
    const healthy = (name: string): boolean => {
      const service = compose.services[name];
      if (service.healthcheck?.disable) return false;
      // A service built from docker/Dockerfile has the image's HEALTHCHECK.
      return (service.healthcheck?.test?.length ?? 0) > 0 || service.build !== undefined;
    };
    const dependencies = services.flatMap(([name, service]) => {
      expect({ name, listed: Array.isArray(service.depends_on) }).toEqual({ name, listed: false });
      return Object.entries(service.depends_on ?? {}).map(([on, { condition }]) => ({ name, on, condition }));
    });
    expect(dependencies.length).toBeGreaterThan(0);
    for (const { name, on, condition } of dependencies) {
      if (condition === 'service_completed_successfully')
        expect({ name, on, oneShot: compose.services[on].command?.at(-1) === 'migrate' }).toEqual({ name, on, oneShot: true });
      else expect({ name, on, condition, healthy: healthy(on) }).toEqual({ name, on, condition: 'service_healthy', healthy: true });
    }
    expect(dependencies.map((d) => d.on)).toEqual(expect.arrayContaining(['postgres', 'kurrentdb1', 'kurrentdb2', 'kurrentdb3', 'migrate']));
  });

  it('runs KurrentDB from its LTS image at a pinned version', () => {
    const images = eventStoreNodes.map(([, service]) => service.image);
    expect(images).toHaveLength(3);
    for (const image of images) expect(image).toMatch(/^docker\.kurrent\.io\/kurrent-lts\/kurrentdb:\d+\.\d+\.\d+$/);
  });

  it('keeps KurrentDB without TLS only on an internal network, its nodes publishing no port', () => {
    expect(eventStoreNodes).toHaveLength(3);
    for (const [name, service] of eventStoreNodes) {
      // EventStoreDB's prefix is still read by KurrentDB.
      if (service.environment?.KURRENTDB_INSECURE !== 'true' && service.environment?.EVENTSTORE_INSECURE !== 'true') continue;
      expect({ name, ports: service.ports ?? [] }).toEqual({ name, ports: [] });
      for (const network of networksOf(service))
        expect({ name, network, internal: compose.networks[network]?.internal }).toEqual({ name, network, internal: true });
    }
  });

  it('gives every secret as a mounted file, never as a variable', () => {
    const secretNames = [...SECRET_VARIABLES, 'PERSONAL_DATA_KEY', 'POSTGRES_PASSWORD', 'APP_DATABASE_PASSWORD'];
    for (const [name, service] of services) {
      const environment = service.environment ?? {};
      for (const [variable, value] of Object.entries(environment)) {
        expect({ name, variable, interpolated: /\$\{/.test(String(value)) }).toEqual({ name, variable, interpolated: false });
        if (variable.endsWith('_FILE')) {
          const secret = /^\/run\/secrets\/(\w+)$/.exec(value)?.[1];
          expect({ name, variable, mounted: secret !== undefined && (service.secrets ?? []).includes(secret) }).toEqual({ name, variable, mounted: true });
        }
      }
      for (const variable of secretNames) {
        // EVENTSTORE_URL names no credential while KurrentDB runs without authentication.
        if (variable === 'EVENTSTORE_URL' && !/@/.test(environment[variable] ?? '')) continue;
        expect({ name, variable, set: variable in environment }).toEqual({ name, variable, set: false });
      }
    }
    for (const [secret, { file }] of Object.entries(compose.secrets)) expect({ secret, file }).toEqual({ secret, file: `./secrets/${secret}` });
    for (const required of ['DATABASE_URL_FILE', 'PERSONAL_DATA_KEY_FILE', 'ADMIN_PASSWORD_FILE', 'AUTH_TOKEN_SECRET_FILE'])
      expect(compose.services.api.environment).toHaveProperty(required);
    // Every process opening the runtime opens the personal data keys, so each needs the one master key.
    for (const name of ['api', 'worker', 'migrate']) expect(compose.services[name].environment?.PERSONAL_DATA_KEY_FILE).toBe('/run/secrets/personal_data_key');
  });

  it('has its secrets written by docker/make-secrets.sh, consistently and never replaced', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets');
    try {
      execFileSync('sh', ['docker/make-secrets.sh', dir], { stdio: 'pipe' });
      expect(readdirSync(dir).sort()).toEqual(Object.keys(compose.secrets).sort());
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const read = (name: string): string => readFileSync(join(dir, name), 'utf8').replace(/\n$/, '');
      expect(read('database_url')).toBe(`postgres://health_support_app:${read('app_database_password')}@postgres:5432/health_support`);
      expect(read('database_owner_url')).toBe(`postgres://health_support:${read('postgres_password')}@postgres:5432/health_support`);
      expect(Buffer.from(read('personal_data_key'), 'base64')).toHaveLength(32);
      expect(read('auth_token_secret').length).toBeGreaterThanOrEqual(32);
      expect(read('admin_password').length).toBeGreaterThanOrEqual(12);
      const before = Object.fromEntries(readdirSync(dir).map((name) => [name, read(name)]));
      rmSync(join(dir, 'database_url'));
      execFileSync('sh', ['docker/make-secrets.sh', dir], { stdio: 'pipe' });
      expect(Object.fromEntries(readdirSync(dir).map((name) => [name, read(name)]))).toEqual(before);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });

  it('is described in the README: every secret and every variable the services are given', () => {
    const readme = readFileSync('README.md', 'utf8');
    const production = readme.slice(readme.indexOf('## Running in production'), readme.indexOf('\n## ', readme.indexOf('## Running in production') + 1));
    const named = [...Object.keys(compose.secrets), ...new Set(services.flatMap(([, service]) => Object.keys(service.environment ?? {})))];
    for (const name of named) expect({ name, described: production.includes(`\`${name}\``) }).toEqual({ name, described: true });
  });
});

describe('tracing', () => {
  it('is preloaded wherever the API or the worker starts (the image, compose, npm), so OTEL variables alone turn it on', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    const starts = {
      image: JSON.parse(final.find((i) => i.op === 'CMD')!.args) as string[],
      worker: compose.services.worker.command!,
      'npm start': scripts.start.split(' '),
      'npm run start:worker': scripts['start:worker'].split(' '),
    };
    for (const [name, command] of Object.entries(starts))
      expect({ name, preload: command.slice(0, 3) }).toEqual({ name, preload: ['node', '--import', './dist/libs/runtime/src/tracing.js'] });
  });
});
