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

export interface AppConfig {
  readonly port: number;
  /** The address the API listens on: loopback unless told otherwise, so a development machine does not serve its network. */
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly databasePoolSize: number;
  readonly eventStore: EventStoreConfig;
  /** `inline`: the API process keeps the projections up to date; `off`: a worker process does. */
  readonly projections: 'inline' | 'off';
  readonly projectionBatchSize: number;
  readonly pollIntervalMs: number;
  /** Folder of policy catalog files published into the log at start-up. */
  readonly policyDir: string;
  /** Where passwords generated at start-up are written (readable by this account only), never to the log. */
  readonly generatedSecretsFile: string;
  readonly auth: AuthConfig;
  /**
   * The master key sealing personal data (base64, 32 bytes), or the file holding it, generated on
   * first start when absent: in the embedded database's folder, or `data/` beside a server's.
   */
  readonly personalData: { readonly key?: string; readonly file: string };
  readonly imports: ImportLimits;
  /** Folder of PostgreSQL's client programs (pg_dump, pg_restore) for backups; unset: found on PATH or in /usr/lib/postgresql/<version>/bin. */
  readonly postgresBin?: string;
  /** Generate the demo province on start (`DEMO_PROVINCE=1`), once: a new user sees a living system. */
  readonly demo?: { readonly seed: number; readonly password?: string };
}

export interface AuthConfig {
  /** The administrator created on first start, when no user of that name exists yet. */
  readonly adminUsername: string;
  /** Absent: a random password is generated and printed once, when the administrator is created. */
  readonly adminPassword?: string;
  /** Key that signs access tokens; absent: a random key per process (tokens end with the process). */
  readonly tokenSecret?: string;
  /** Keys that signed tokens before `tokenSecret` replaced them: still accepted until those tokens expire. */
  readonly previousTokenSecrets?: readonly string[];
  readonly tokenTtlMinutes: number;
}

/** What one uploaded beneficiary list may hold; a file passing any of them is refused unread. */
export interface ImportLimits {
  /** Rows of the sheet, headings included. */
  readonly maxRows: number;
  /** Cells holding a value. */
  readonly maxCells: number;
  /** Bytes of any part of the workbook read (the sheet, its shared strings, styles), as declared and as inflated. */
  readonly maxSheetBytes: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
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

  const address = (name: string, fallback: string): string => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[A-Za-z0-9.:-]+$/.test(raw)) problems.push(`${name} must be an IP address or a host name, got "${raw}"`);
    return raw;
  };

  const databaseUrl = url('DATABASE_URL', ['postgres', 'postgresql']);
  const ownerUrl = url('DATABASE_OWNER_URL', ['postgres', 'postgresql']);
  if (ownerUrl && !databaseUrl) problems.push('DATABASE_OWNER_URL needs DATABASE_URL (the application role on the same database): the embedded database has one role');
  const eventStoreKind = oneOf('EVENT_STORE', ['postgres', 'eventstoredb'] as const, 'postgres');
  const eventStoreUrl = url('EVENTSTORE_URL', ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover']);
  if (eventStoreKind === 'eventstoredb' && !eventStoreUrl) problems.push('EVENT_STORE=eventstoredb needs EVENTSTORE_URL (e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false)');

  const previousTokenSecrets = (env.AUTH_TOKEN_PREVIOUS_SECRETS ?? '').split(',').map((secret) => secret.trim()).filter((secret) => secret !== '');
  if (previousTokenSecrets.some((secret) => secret.length < 32)) problems.push('AUTH_TOKEN_PREVIOUS_SECRETS must list keys of at least 32 characters, separated by commas');
  if (previousTokenSecrets.length > 0 && !env.AUTH_TOKEN_SECRET) problems.push('AUTH_TOKEN_PREVIOUS_SECRETS needs AUTH_TOKEN_SECRET, the key that replaced them');

  const config: AppConfig = {
    port: integer('PORT', 3000, 0, 65535),
    host: address('HOST', '127.0.0.1'),
    database: databaseUrl ? { kind: 'server', url: databaseUrl, ...(ownerUrl ? { ownerUrl } : {}) } : { kind: 'embedded', dataDir: env.PGLITE_DATA_DIR || 'data/pglite' },
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 500),
    eventStore: eventStoreKind === 'eventstoredb' ? { kind: 'eventstoredb', url: eventStoreUrl ?? '' } : { kind: 'postgres' },
    projections: oneOf('PROJECTIONS', ['inline', 'off'] as const, 'inline'),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 100000),
    pollIntervalMs: integer('POLL_INTERVAL_MS', 250, 10, 60000),
    policyDir: env.POLICY_DIR || 'policies',
    generatedSecretsFile: env.GENERATED_SECRETS_FILE || 'data/generated-passwords.txt',
    auth: {
      adminUsername: env.ADMIN_USERNAME || 'admin',
      ...(env.ADMIN_PASSWORD ? { adminPassword: env.ADMIN_PASSWORD } : {}),
      ...(env.AUTH_TOKEN_SECRET ? { tokenSecret: env.AUTH_TOKEN_SECRET } : {}),
      ...(previousTokenSecrets.length > 0 ? { previousTokenSecrets } : {}),
      tokenTtlMinutes: integer('AUTH_TOKEN_TTL_MINUTES', 480, 1, 10080),
    },
    personalData: {
      ...(env.PERSONAL_DATA_KEY ? { key: env.PERSONAL_DATA_KEY } : {}),
      file: env.PERSONAL_DATA_KEY_FILE || (databaseUrl ? 'data/personal-data.key' : `${env.PGLITE_DATA_DIR || 'data/pglite'}/personal-data.key`),
    },
    imports: {
      maxRows: integer('IMPORT_MAX_ROWS', 10_000, 1, 1_048_576),
      maxCells: integer('IMPORT_MAX_CELLS', 100_000, 1, 100_000_000),
      maxSheetBytes: integer('IMPORT_MAX_SHEET_BYTES', 16 * 1024 * 1024, 1024, 2 ** 31 - 1),
    },
    ...(env.PG_BIN ? { postgresBin: env.PG_BIN } : {}),
    ...(oneOf('DEMO_PROVINCE', ['0', '1', 'true', 'false'] as const, '0').match(/^(1|true)$/)
      ? { demo: { seed: integer('DEMO_SEED', 2025, 0, 2 ** 31 - 1), ...(env.DEMO_PASSWORD ? { password: env.DEMO_PASSWORD } : {}) } }
      : {}),
  };
  if (env.ADMIN_PASSWORD !== undefined && env.ADMIN_PASSWORD !== '' && env.ADMIN_PASSWORD.length < 12) problems.push('ADMIN_PASSWORD must be at least 12 characters');
  if (env.AUTH_TOKEN_SECRET !== undefined && env.AUTH_TOKEN_SECRET !== '' && env.AUTH_TOKEN_SECRET.length < 32) problems.push('AUTH_TOKEN_SECRET must be at least 32 characters');
  if (env.PERSONAL_DATA_KEY && Buffer.from(env.PERSONAL_DATA_KEY, 'base64').length !== 32) problems.push('PERSONAL_DATA_KEY must be 32 bytes in base64 (e.g. openssl rand -base64 32)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
