import { readFileSync } from 'node:fs';
import type { AuthConfig, ImportLimits } from '#application/ports';
import { parseConnectionTargets } from '#database';
import { DEFAULT_LETTERHEAD, type Letterhead } from '#documents';
import { LOG_LEVELS, type LogLevel } from './logging.js';

/**
 * Configuration, read from the environment once at start-up and validated as a whole: every
 * problem is reported together, and nothing starts with a half-valid configuration.
 */
export type DatabaseConfig =
  /** PGlite persisted in `dataDir`: the default, nothing to install. */
  | { readonly kind: 'embedded'; readonly dataDir: string }
  /**
   * `ownerUrl`: the role that owns the schema and runs migrations, when it is not the application's
   * own (least privilege: the application then may append events and read, nothing more).
   */
  | { readonly kind: 'server'; readonly url: string; readonly ownerUrl?: string };

export type EventStoreConfig = { readonly kind: 'postgres' } | { readonly kind: 'eventstoredb'; readonly url: string };

/** The province a runtime serves: its id names it in URLs (/provinces/{id}/…) and in its users' tokens. */
export interface ProvinceIdentity {
  readonly id: string;
  readonly name: string;
}

export interface AppConfig {
  readonly province: ProvinceIdentity;
  /**
   * The other provinces this process serves, each with a database of its own (PROVINCES_FILE,
   * see provinceConfigs); unset: this province only.
   */
  readonly provincesFile?: string;
  /** This runtime serves the national roll-up of every province's reports to its auditors (a `national` entry of PROVINCES_FILE). */
  readonly nationalRollUp?: boolean;
  readonly port: number;
  /** The address the API listens on: loopback unless told otherwise, so a development machine does not serve its network. */
  readonly host: string;
  /**
   * Which proxies in front of the API are believed about the client's address (X-Forwarded-For),
   * in Express's terms: a number of hops, or addresses, subnets and the names loopback, linklocal,
   * uniquelocal. Unset: none, the connection's address is the client's.
   */
  readonly trustProxy?: number | readonly string[];
  readonly database: DatabaseConfig;
  readonly databasePoolSize: number;
  readonly eventStore: EventStoreConfig;
  /** `inline`: the API process keeps the projections up to date; `off`: a worker process does. */
  readonly projections: 'inline' | 'off';
  readonly projectionBatchSize: number;
  /** Longest pause between retries of a projection failing on an event (the pause doubles from 1 s). */
  readonly projectionMaxRetryDelayMs: number;
  readonly pollIntervalMs: number;
  /** How long a stopping process lets requests in flight finish before it closes their connections. */
  readonly shutdownGraceMs: number;
  /** Where the projection worker answers its health probes (and metrics). */
  readonly workerPort: number;
  /** The BI tool's database role, granted reading the reporting views whenever they are (re)created. */
  readonly reportingRole?: string;
  readonly metrics: MetricsConfig;
  /** Folder of policy catalog files published into the log at start-up. */
  readonly policyDir: string;
  /** The least severe log lines written (`LOG_LEVEL`): JSON on stdout, see docs/operations.md. */
  readonly logLevel: LogLevel;
  /** Where passwords generated at start-up are written (readable by this account only), never to the log. */
  readonly generatedSecretsFile: string;
  readonly auth: AuthConfig;
  /**
   * The master key sealing personal data (base64, 32 bytes), or the file holding it, generated on
   * first start when absent: in the embedded database's folder, or `data/` beside a server's.
   */
  readonly personalData: { readonly key?: string; readonly file: string; readonly previousKeys?: readonly string[] };
  readonly imports: ImportLimits;
  /** Who issues and signs the office's documents (PDF decisions, notices, lists, the year-end report): the DOCUMENT_* variables. */
  readonly letterhead: Letterhead;
  /** Folder of PostgreSQL's client programs (pg_dump, pg_restore) for backups; unset: found on PATH or in /usr/lib/postgresql/<version>/bin. */
  readonly postgresBin?: string;
  /** Generate the demo province on start (`DEMO_PROVINCE=1`), once: a new user sees a living system. */
  readonly demo?: { readonly seed: number; readonly password?: string };
}

/** Prometheus metrics at `/metrics`, for the API and the worker alike. */
export interface MetricsConfig {
  /** Off: nothing is measured and `/metrics` answers 404 (the overhead benchmark's baseline). */
  readonly enabled: boolean;
  /**
   * The bearer token a scraper sends. Unset: only signed-in users whose role may read metrics
   * (the API's administrators and auditors) get them; the worker, which has no users, serves none.
   */
  readonly token?: string;
}

/** A province's id, as URLs and tokens carry it. */
export const PROVINCE_ID = /^[a-z][a-z0-9-]{1,39}$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

/**
 * The variables holding a secret, each of which may instead name a file holding it (`<NAME>_FILE`),
 * as Docker and Kubernetes secrets are mounted: the value then never shows in the process's
 * environment or in `docker inspect`. PERSONAL_DATA_KEY is not among them: its `PERSONAL_DATA_KEY_FILE`
 * was already the file holding the key (generated when absent), and setting both is how a key kept in
 * that file is rotated (docs/security.md).
 */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_OWNER_URL',
  'EVENTSTORE_URL',
  'ADMIN_PASSWORD',
  'AUTH_TOKEN_SECRET',
  'AUTH_TOKEN_PREVIOUS_SECRETS',
  'PERSONAL_DATA_PREVIOUS_KEYS',
  'DEMO_PASSWORD',
  'METRICS_TOKEN',
] as const;

/** `env` with each secret read from its `<NAME>_FILE`; a file's content is never named in a problem. */
function withSecretFiles(env: NodeJS.ProcessEnv, problems: string[]): NodeJS.ProcessEnv {
  const resolved: NodeJS.ProcessEnv = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    // Two sources would leave a reader of the deployment guessing which one is in force.
    if (env[name]) {
      problems.push(`${name} and ${name}_FILE are both set: set one`);
      continue;
    }
    let value: string;
    try {
      // Files written by `echo` or an editor end with a newline that is no part of the secret.
      value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${name}_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${file}`);
      continue;
    }
    // Empty would mean "unset", and an unset DATABASE_URL quietly means the embedded database.
    if (value === '') problems.push(`${name}_FILE names an empty file: ${file}`);
    else resolved[name] = value;
  }
  return resolved;
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const env = withSecretFiles(environment, problems);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };
  // Checked by scheme only: EventStoreDB cluster URLs list several hosts, which URL() rejects.
  const url = (name: string, schemes: readonly string[]): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    const scheme = /^([a-z+]+):\/\/\S+$/.exec(raw)?.[1];
    if (!scheme || !schemes.includes(scheme)) problems.push(`${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);
    return raw;
  };

  // libpq's form, several hosts included (failover: see docs/failover.md), which URL() rejects too.
  const postgresUrl = (name: string): string | undefined => {
    const known = problems.length;
    const raw = url(name, ['postgres', 'postgresql']);
    if (!raw || problems.length > known) return raw;
    try {
      parseConnectionTargets(raw);
    } catch (error) {
      problems.push(`${name} ${(error as Error).message}`);
    }
    return raw;
  };

  const address = (name: string, fallback: string): string => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[A-Za-z0-9.:-]+$/.test(raw)) problems.push(`${name} must be an IP address or a host name, got "${raw}"`);
    return raw;
  };

  const databaseUrl = postgresUrl('DATABASE_URL');
  const ownerUrl = postgresUrl('DATABASE_OWNER_URL');
  if (ownerUrl && !databaseUrl)
    problems.push('DATABASE_OWNER_URL needs DATABASE_URL (the application role on the same database): the embedded database has one role');
  const eventStoreKind = oneOf('EVENT_STORE', ['postgres', 'eventstoredb'] as const, 'postgres');
  const eventStoreUrl = url('EVENTSTORE_URL', ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover']);
  if (eventStoreKind === 'eventstoredb' && !eventStoreUrl)
    problems.push('EVENT_STORE=eventstoredb needs EVENTSTORE_URL (e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false)');

  const previousTokenSecrets = (env.AUTH_TOKEN_PREVIOUS_SECRETS ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
  if (previousTokenSecrets.some((secret) => secret.length < 32))
    problems.push('AUTH_TOKEN_PREVIOUS_SECRETS must list keys of at least 32 characters, separated by commas');
  if (previousTokenSecrets.length > 0 && !env.AUTH_TOKEN_SECRET)
    problems.push('AUTH_TOKEN_PREVIOUS_SECRETS needs AUTH_TOKEN_SECRET, the key that replaced them');

  const previousPersonalDataKeys = (env.PERSONAL_DATA_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (previousPersonalDataKeys.some((key) => Buffer.from(key, 'base64').length !== 32))
    problems.push('PERSONAL_DATA_PREVIOUS_KEYS must list keys of 32 bytes in base64, separated by commas');

  const proxies = ((): number | readonly string[] | undefined => {
    const raw = (env.TRUST_PROXY ?? '').trim();
    if (raw === '') return undefined;
    if (/^\d+$/.test(raw)) return integer('TRUST_PROXY', 0, 1, 10);
    const entries = raw.split(',').map((entry) => entry.trim());
    // "true" would believe any X-Forwarded-For a client makes up, and with it any address it likes to sign in from.
    if (entries.some((entry) => !/^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)$/.test(entry))) {
      problems.push(
        `TRUST_PROXY must be a number of proxies (1 to 10) or proxy addresses and subnets separated by commas (or loopback, linklocal, uniquelocal), got "${raw}"`,
      );
    }
    return entries;
  })();

  // Printed on official documents: one line each, short enough for a letterhead.
  const oneLine = { pattern: /^[^\n\r\t]{1,120}$/u, says: 'one line of at most 120 characters' };
  const printed = (name: string, fallback?: string, rule = oneLine): string | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!rule.pattern.test(raw)) problems.push(`${name} must be ${rule.says}, got "${raw}"`);
    return raw;
  };
  const parentBody = printed('DOCUMENT_PARENT_BODY');
  const signerName = printed('DOCUMENT_SIGNER_NAME');
  const letterhead: Letterhead = {
    ...(parentBody ? { parentBody } : {}),
    issuer: printed('DOCUMENT_ISSUER', DEFAULT_LETTERHEAD.issuer)!,
    issuerCode: printed('DOCUMENT_ISSUER_CODE', DEFAULT_LETTERHEAD.issuerCode, {
      pattern: /^[\p{L}\d.-]{1,20}$/u,
      says: 'at most 20 letters, digits, dots or dashes',
    })!,
    place: printed('DOCUMENT_PLACE', DEFAULT_LETTERHEAD.place)!,
    signerTitle: printed('DOCUMENT_SIGNER_TITLE', DEFAULT_LETTERHEAD.signerTitle)!,
    reportSubject: printed('DOCUMENT_REPORT_SUBJECT', DEFAULT_LETTERHEAD.reportSubject)!,
    ...(signerName ? { signerName } : {}),
  };

  const reportingRole = env.REPORTING_ROLE?.trim();
  if (reportingRole && !/^[a-z_][a-z0-9_]{0,62}$/.test(reportingRole))
    problems.push(`REPORTING_ROLE must be a PostgreSQL role name (lower-case letters, digits, underscores), got "${reportingRole}"`);

  const provinceId = env.PROVINCE_ID || 'lang-son';
  if (!PROVINCE_ID.test(provinceId)) problems.push(`PROVINCE_ID must be lower-case letters, digits and dashes, starting with a letter, got "${provinceId}"`);

  const config: AppConfig = {
    province: { id: provinceId, name: env.PROVINCE_NAME || 'Lạng Sơn' },
    ...(env.PROVINCES_FILE ? { provincesFile: env.PROVINCES_FILE } : {}),
    port: integer('PORT', 3000, 0, 65535),
    host: address('HOST', '127.0.0.1'),
    ...(proxies !== undefined ? { trustProxy: proxies } : {}),
    database: databaseUrl
      ? { kind: 'server', url: databaseUrl, ...(ownerUrl ? { ownerUrl } : {}) }
      : { kind: 'embedded', dataDir: env.PGLITE_DATA_DIR || 'data/pglite' },
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 500),
    eventStore: eventStoreKind === 'eventstoredb' ? { kind: 'eventstoredb', url: eventStoreUrl ?? '' } : { kind: 'postgres' },
    projections: oneOf('PROJECTIONS', ['inline', 'off'] as const, 'inline'),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 100000),
    projectionMaxRetryDelayMs: integer('PROJECTION_MAX_RETRY_DELAY_MS', 60_000, 10, 3_600_000),
    pollIntervalMs: integer('POLL_INTERVAL_MS', 250, 10, 60000),
    // Under the 10 s a container runtime waits after SIGTERM before it kills.
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 5_000, 0, 120_000),
    workerPort: integer('WORKER_PORT', 3001, 0, 65535),
    ...(reportingRole ? { reportingRole } : {}),
    metrics: { enabled: oneOf('METRICS', ['on', 'off'] as const, 'on') === 'on', ...(env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {}) },
    policyDir: env.POLICY_DIR || 'policies',
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    generatedSecretsFile: env.GENERATED_SECRETS_FILE || 'data/generated-passwords.txt',
    auth: {
      adminUsername: env.ADMIN_USERNAME || 'admin',
      ...(env.ADMIN_PASSWORD ? { adminPassword: env.ADMIN_PASSWORD } : {}),
      ...(env.AUTH_TOKEN_SECRET ? { tokenSecret: env.AUTH_TOKEN_SECRET } : {}),
      ...(previousTokenSecrets.length > 0 ? { previousTokenSecrets } : {}),
      tokenTtlMinutes: integer('AUTH_TOKEN_TTL_MINUTES', 480, 1, 10080),
      audience: provinceId,
    },
    personalData: {
      ...(env.PERSONAL_DATA_KEY ? { key: env.PERSONAL_DATA_KEY } : {}),
      file: env.PERSONAL_DATA_KEY_FILE || (databaseUrl ? 'data/personal-data.key' : `${env.PGLITE_DATA_DIR || 'data/pglite'}/personal-data.key`),
      ...(previousPersonalDataKeys.length > 0 ? { previousKeys: previousPersonalDataKeys } : {}),
    },
    imports: {
      maxRows: integer('IMPORT_MAX_ROWS', 10_000, 1, 1_048_576),
      maxCells: integer('IMPORT_MAX_CELLS', 100_000, 1, 100_000_000),
      maxSheetBytes: integer('IMPORT_MAX_SHEET_BYTES', 16 * 1024 * 1024, 1024, 2 ** 31 - 1),
    },
    letterhead,
    ...(env.PG_BIN ? { postgresBin: env.PG_BIN } : {}),
    ...(oneOf('DEMO_PROVINCE', ['0', '1', 'true', 'false'] as const, '0').match(/^(1|true)$/)
      ? { demo: { seed: integer('DEMO_SEED', 2025, 0, 2 ** 31 - 1), ...(env.DEMO_PASSWORD ? { password: env.DEMO_PASSWORD } : {}) } }
      : {}),
  };
  if (env.ADMIN_PASSWORD !== undefined && env.ADMIN_PASSWORD !== '' && env.ADMIN_PASSWORD.length < 12)
    problems.push('ADMIN_PASSWORD must be at least 12 characters');
  if (env.AUTH_TOKEN_SECRET !== undefined && env.AUTH_TOKEN_SECRET !== '' && env.AUTH_TOKEN_SECRET.length < 32)
    problems.push('AUTH_TOKEN_SECRET must be at least 32 characters');
  if (env.METRICS_TOKEN !== undefined && env.METRICS_TOKEN !== '' && env.METRICS_TOKEN.length < 32)
    problems.push('METRICS_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32)');
  if (env.PERSONAL_DATA_KEY && Buffer.from(env.PERSONAL_DATA_KEY, 'base64').length !== 32)
    problems.push('PERSONAL_DATA_KEY must be 32 bytes in base64 (e.g. openssl rand -base64 32)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
