import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database, the PostgreSQL event store and in-process projections', () => {
    expect(loadConfig({})).toEqual({
      province: { id: 'lang-son', name: 'Lạng Sơn' },
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'embedded', dataDir: 'data/pglite' },
      databasePoolSize: 10,
      eventStore: { kind: 'postgres' },
      projections: 'inline',
      projectionBatchSize: 500,
      projectionMaxRetryDelayMs: 60_000,
      pollIntervalMs: 250,
      shutdownGraceMs: 5_000,
      workerPort: 3001,
      metrics: { enabled: true },
      policyDir: 'policies',
      logLevel: 'info',
      generatedSecretsFile: 'data/generated-passwords.txt',
      auth: { adminUsername: 'admin', tokenTtlMinutes: 480, audience: 'lang-son' },
      imports: { maxRows: 10_000, maxCells: 100_000, maxSheetBytes: 16 * 1024 * 1024 },
      personalData: { file: 'data/pglite/personal-data.key' },
      letterhead: {
        issuer: 'SỞ Y TẾ TỈNH LẠNG SƠN',
        issuerCode: 'SYT',
        place: 'Lạng Sơn',
        signerTitle: 'GIÁM ĐỐC',
        reportSubject: 'Nghị quyết số 24/2024/NQ-HĐND',
      },
    });
  });

  it('reads who issues and signs the documents, and refuses what cannot be printed on a letterhead', () => {
    expect(
      loadConfig({
        DOCUMENT_PARENT_BODY: 'UBND TỈNH CAO BẰNG',
        DOCUMENT_ISSUER: 'SỞ Y TẾ',
        DOCUMENT_ISSUER_CODE: 'SYT',
        DOCUMENT_PLACE: 'Cao Bằng',
        DOCUMENT_SIGNER_TITLE: 'KT. GIÁM ĐỐC',
        DOCUMENT_SIGNER_NAME: 'Nông Văn Hải',
        DOCUMENT_REPORT_SUBJECT: 'Nghị quyết số 12/2025/NQ-HĐND',
      }).letterhead,
    ).toEqual({
      parentBody: 'UBND TỈNH CAO BẰNG',
      issuer: 'SỞ Y TẾ',
      issuerCode: 'SYT',
      place: 'Cao Bằng',
      signerTitle: 'KT. GIÁM ĐỐC',
      signerName: 'Nông Văn Hải',
      reportSubject: 'Nghị quyết số 12/2025/NQ-HĐND',
    });
    expect(() => loadConfig({ DOCUMENT_ISSUER_CODE: 'S/YT', DOCUMENT_ISSUER: 'SỞ Y TẾ\nTỈNH' })).toThrow(
      expect.objectContaining({
        problems: [
          'DOCUMENT_ISSUER must be one line of at most 120 characters, got "SỞ Y TẾ\nTỈNH"',
          'DOCUMENT_ISSUER_CODE must be at most 20 letters, digits, dots or dashes, got "S/YT"',
        ],
      }),
    );
  });

  it('reads the limits of an uploaded list, and refuses one that is not a whole number in range', () => {
    expect(loadConfig({ PGLITE_DATA_DIR: 'var/db' }).personalData).toEqual({ file: 'var/db/personal-data.key' });
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', PERSONAL_DATA_KEY: key }).personalData).toEqual({ key, file: 'data/personal-data.key' });
    expect(() => loadConfig({ PERSONAL_DATA_KEY: 'c2hvcnQ=' })).toThrow('PERSONAL_DATA_KEY must be 32 bytes in base64');
    expect(loadConfig({ IMPORT_MAX_ROWS: '500', IMPORT_MAX_CELLS: '4000', IMPORT_MAX_SHEET_BYTES: '1048576' }).imports).toEqual({
      maxRows: 500,
      maxCells: 4000,
      maxSheetBytes: 1048576,
    });
    expect(() => loadConfig({ IMPORT_MAX_ROWS: '0', IMPORT_MAX_SHEET_BYTES: '16M' })).toThrow(
      expect.objectContaining({
        problems: [
          'IMPORT_MAX_ROWS must be a whole number from 1 to 1048576, got "0"',
          'IMPORT_MAX_SHEET_BYTES must be a whole number from 1024 to 2147483647, got "16M"',
        ],
      }),
    );
  });

  it('believes no proxy about the client address unless TRUST_PROXY names them, and never every proxy', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      expect.objectContaining({ problems: [expect.stringContaining('TRUST_PROXY must be a number of proxies')] }),
    );
    expect(() => loadConfig({ TRUST_PROXY: '50' })).toThrow(
      expect.objectContaining({ problems: ['TRUST_PROXY must be a whole number from 1 to 10, got "50"'] }),
    );
  });

  it('takes previous personal data master keys only as 32-byte keys', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ PERSONAL_DATA_PREVIOUS_KEYS: `${key},${key}` }).personalData.previousKeys).toEqual([key, key]);
    expect(() => loadConfig({ PERSONAL_DATA_PREVIOUS_KEYS: 'c2hvcnQ=' })).toThrow(
      expect.objectContaining({ problems: ['PERSONAL_DATA_PREVIOUS_KEYS must list keys of 32 bytes in base64, separated by commas'] }),
    );
  });

  it('listens on loopback unless HOST says otherwise, as the Docker image does for its container network', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(() => loadConfig({ HOST: 'every interface' })).toThrow(
      expect.objectContaining({ problems: ['HOST must be an IP address or a host name, got "every interface"'] }),
    );
    expect(readFileSync('docker/Dockerfile', 'utf8')).toMatch(/^ENV HOST=0\.0\.0\.0$/m);
  });

  it('refuses a short administrator password or token key', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short', AUTH_TOKEN_SECRET: 'tiny' })).toThrow(
      expect.objectContaining({ problems: ['ADMIN_PASSWORD must be at least 12 characters', 'AUTH_TOKEN_SECRET must be at least 32 characters'] }),
    );
  });

  it('measures by default, serves metrics to a scraper holding a token of at least 32 characters, and turns off with METRICS=off', () => {
    const token = 'a-metrics-token-of-at-least-32-characters';
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ enabled: true, token });
    expect(loadConfig({ METRICS: 'off' }).metrics).toEqual({ enabled: false });
    expect(() => loadConfig({ METRICS: 'no', METRICS_TOKEN: 'guessable' })).toThrow(
      expect.objectContaining({
        problems: ['METRICS must be one of on, off, got "no"', 'METRICS_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32)'],
      }),
    );
  });

  it('reads the previous token keys of a rotation, each as long as a key, and only beside the current one', () => {
    const key = (name: string) => `${name}-key-of-at-least-thirty-two-characters`;
    expect(loadConfig({ AUTH_TOKEN_SECRET: key('new'), AUTH_TOKEN_PREVIOUS_SECRETS: `${key('old')}, ${key('older')}` }).auth.previousTokenSecrets).toEqual([
      key('old'),
      key('older'),
    ]);
    expect(() => loadConfig({ AUTH_TOKEN_SECRET: key('new'), AUTH_TOKEN_PREVIOUS_SECRETS: 'short' })).toThrow(
      expect.objectContaining({ problems: [expect.stringContaining('AUTH_TOKEN_PREVIOUS_SECRETS')] }),
    );
    expect(() => loadConfig({ AUTH_TOKEN_PREVIOUS_SECRETS: key('old') })).toThrow(
      expect.objectContaining({ problems: ['AUTH_TOKEN_PREVIOUS_SECRETS needs AUTH_TOKEN_SECRET, the key that replaced them'] }),
    );
  });

  it('reads a PostgreSQL server, an EventStoreDB cluster and a worker set-up', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://app:secret@db:5432/health',
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: 'esdb://es1:2113,es2:2113,es3:2113?tls=false',
      PROJECTIONS: 'off',
    });
    expect(config.database).toEqual({ kind: 'server', url: 'postgres://app:secret@db:5432/health' });
    expect(config.eventStore).toEqual({ kind: 'eventstoredb', url: 'esdb://es1:2113,es2:2113,es3:2113?tls=false' });
    expect(config.projections).toBe('off');
    expect(config.port).toBe(8080);
  });

  it('reads an owner role for migrations beside the application role, on a server only', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/health', DATABASE_OWNER_URL: 'postgres://owner@db/health' }).database).toEqual({
      kind: 'server',
      url: 'postgres://app@db/health',
      ownerUrl: 'postgres://owner@db/health',
    });
    expect(() => loadConfig({ DATABASE_OWNER_URL: 'postgres://owner@db/health' })).toThrow(
      expect.objectContaining({ problems: [expect.stringContaining('DATABASE_OWNER_URL needs DATABASE_URL')] }),
    );
  });

  it('reads several PostgreSQL hosts for failover, and refuses a list that could land on a standby', () => {
    const url = 'postgres://app@db1:5432,db2:5433/health?target_session_attrs=read-write';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'server', url });
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://app@db1,db2/health', DATABASE_OWNER_URL: 'postgres://owner@db1/health?target_session_attrs=standby' }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'DATABASE_URL lists several hosts: add target_session_attrs=read-write so that connections go to the primary',
          'DATABASE_OWNER_URL asks for target_session_attrs=standby, which the application cannot use: it writes, so use read-write or primary',
        ],
      }),
    );
  });

  describe('secrets from files (<NAME>_FILE), as Docker secrets are mounted', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, content: string): string => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };

    it('reads each secret from its file, without the newline the file ends with', () => {
      const tokenKey = 'a-token-key-of-at-least-thirty-two-characters';
      const config = loadConfig({
        DATABASE_URL_FILE: file('database_url', 'postgres://app:s3cret@db:5432/health\n'),
        DATABASE_OWNER_URL_FILE: file('database_owner_url', 'postgres://owner:0wner@db:5432/health\r\n'),
        ADMIN_PASSWORD_FILE: file('admin_password', ' twelve chars or more '),
        AUTH_TOKEN_SECRET_FILE: file('auth_token_secret', `${tokenKey}\n`),
      });
      expect(config.database).toEqual({ kind: 'server', url: 'postgres://app:s3cret@db:5432/health', ownerUrl: 'postgres://owner:0wner@db:5432/health' });
      expect(config.auth.adminPassword).toBe(' twelve chars or more ');
      expect(config.auth.tokenSecret).toBe(tokenKey);
    });

    it('checks a secret read from a file as it checks one set directly', () => {
      expect(() => loadConfig({ AUTH_TOKEN_SECRET_FILE: file('short_key', 'tiny\n') })).toThrow(
        expect.objectContaining({ problems: ['AUTH_TOKEN_SECRET must be at least 32 characters'] }),
      );
    });

    it('refuses a secret set both directly and from a file, a file that cannot be read, and an empty one, naming no secret', () => {
      const attempt = (): unknown =>
        loadConfig({
          ADMIN_PASSWORD: 'twelve chars or more',
          ADMIN_PASSWORD_FILE: file('admin_password_too', 'another password'),
          AUTH_TOKEN_SECRET_FILE: join(dir, 'absent'),
          DATABASE_URL_FILE: file('empty_url', '\n'),
        });
      expect(attempt).toThrow(
        expect.objectContaining({
          problems: [
            `DATABASE_URL_FILE names an empty file: ${join(dir, 'empty_url')}`,
            'ADMIN_PASSWORD and ADMIN_PASSWORD_FILE are both set: set one',
            `AUTH_TOKEN_SECRET_FILE names a file that cannot be read (ENOENT): ${join(dir, 'absent')}`,
          ],
        }),
      );
      expect(attempt).toThrow(expect.not.objectContaining({ message: expect.stringMatching(/another password|twelve chars/) }));
    });

    it('keeps PERSONAL_DATA_KEY_FILE as the key file beside PERSONAL_DATA_KEY, so a key kept in a file can be rotated', () => {
      const key = Buffer.alloc(32, 7).toString('base64');
      expect(loadConfig({ PERSONAL_DATA_KEY: key, PERSONAL_DATA_KEY_FILE: '/run/secrets/personal_data_key' }).personalData).toEqual({
        key,
        file: '/run/secrets/personal_data_key',
      });
    });
  });

  it('names every problem at once and starts nothing', () => {
    const attempt = (): unknown =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', EVENT_STORE: 'eventstoredb', PROJECTIONS: 'sometimes', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'DATABASE_URL must start with postgres:// or postgresql://',
        'EVENT_STORE=eventstoredb needs EVENTSTORE_URL (e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false)',
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'PROJECTIONS must be one of inline, off, got "sometimes"',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      ]);
    }
  });
});
