import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database, the PostgreSQL event store and in-process projections', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      database: { kind: 'embedded', dataDir: 'data/pglite' },
      databasePoolSize: 10,
      eventStore: { kind: 'postgres' },
      projections: 'inline',
      projectionBatchSize: 500,
      pollIntervalMs: 250,
      policyDir: 'policies',
      auth: { adminUsername: 'admin', tokenTtlMinutes: 480 },
    });
  });

  it('refuses a short administrator password or token key', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short', AUTH_TOKEN_SECRET: 'tiny' })).toThrow(
      expect.objectContaining({ problems: ['ADMIN_PASSWORD must be at least 12 characters', 'AUTH_TOKEN_SECRET must be at least 32 characters'] }),
    );
  });

  it('reads the previous token keys of a rotation, each as long as a key, and only beside the current one', () => {
    const key = (name: string) => `${name}-key-of-at-least-thirty-two-characters`;
    expect(loadConfig({ AUTH_TOKEN_SECRET: key('new'), AUTH_TOKEN_PREVIOUS_SECRETS: `${key('old')}, ${key('older')}` }).auth.previousTokenSecrets).toEqual([key('old'), key('older')]);
    expect(() => loadConfig({ AUTH_TOKEN_SECRET: key('new'), AUTH_TOKEN_PREVIOUS_SECRETS: 'short' })).toThrow(expect.objectContaining({ problems: [expect.stringContaining('AUTH_TOKEN_PREVIOUS_SECRETS')] }));
    expect(() => loadConfig({ AUTH_TOKEN_PREVIOUS_SECRETS: key('old') })).toThrow(expect.objectContaining({ problems: ['AUTH_TOKEN_PREVIOUS_SECRETS needs AUTH_TOKEN_SECRET, the key that replaced them'] }));
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

  it('names every problem at once and starts nothing', () => {
    const attempt = (): unknown => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', EVENT_STORE: 'eventstoredb', PROJECTIONS: 'sometimes' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'DATABASE_URL must start with postgres:// or postgresql://',
        'EVENT_STORE=eventstoredb needs EVENTSTORE_URL (e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false)',
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'PROJECTIONS must be one of inline, off, got "sometimes"',
      ]);
    }
  });
});
