import pg from 'pg';

/**
 * libpq's multi-host connection strings (`postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write`),
 * which `pg` does not take: it connects to one host and has no `target_session_attrs`. Here each
 * new pooled connection goes to the host libpq would pick, so that after a failover (the standby
 * promoted) connections find the new primary with no proxy in between. Only the attributes a
 * process that writes can use are taken: `read-write` and `primary` (libpq's semantics), `any`.
 */
export type TargetSessionAttrs = 'any' | 'read-write' | 'primary';

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

export interface ConnectionTargets {
  readonly hosts: readonly ServerAddress[];
  readonly database: string;
  readonly targetSessionAttrs: TargetSessionAttrs;
  /** The connection string naming `address` alone, as `pg` (and libpq's programs) take it. */
  urlFor(address: ServerAddress): string;
}

const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/;
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;
const ACCEPTED_ATTRS: readonly string[] = ['any', 'read-write', 'primary'];

/** The hosts and session attributes of a connection string; throws, naming no password, when they make no sense. */
export function parseConnectionTargets(url: string): ConnectionTargets {
  const parts = URL_PARTS.exec(url);
  if (!parts) throw new Error('is not a postgres:// connection string');
  const [, scheme, userinfo = '', hostList = '', path = '', query = ''] = parts;
  const attrs = new URLSearchParams(query.slice(1)).get('target_session_attrs') ?? 'any';
  if (!ACCEPTED_ATTRS.includes(attrs)) {
    throw new Error(`asks for target_session_attrs=${attrs}, which the application cannot use: it writes, so use read-write or primary`);
  }
  // No host: libpq's default (a local socket), which `pg` resolves itself; there is nothing to choose from.
  if (hostList === '' && attrs === 'any') return { hosts: [], database: decodeURIComponent(path.slice(1)), targetSessionAttrs: 'any', urlFor: () => url };
  const hosts = hostList.split(',').map(parseHost);
  // With several hosts and `any`, a connection could land on a standby and every write fail there.
  if (hosts.length > 1 && attrs === 'any') throw new Error('lists several hosts: add target_session_attrs=read-write so that connections go to the primary');
  return {
    hosts,
    database: decodeURIComponent(path.slice(1)),
    targetSessionAttrs: attrs as TargetSessionAttrs,
    urlFor: (address) => `${scheme}${userinfo}${formatAddress(address)}${path}${query}`,
  };
}

/** Not echoed when wrong: a password with an unescaped `/` or `@` ends up in this part. */
function parseHost(entry: string, index: number): ServerAddress {
  const match = HOST_PORT.exec(entry);
  const port = Number(match?.[2] ?? 5432);
  if (!match || port < 1 || port > 65535)
    throw new Error(`names a host (number ${index + 1}) that is not host or host:port, or a password with an unescaped / or @`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

export function formatAddress({ host, port }: ServerAddress): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `pg.Pool` options reaching the server `connectionString` asks for: `pg`'s own when it names one host and no attributes. */
export function poolOptions(connectionString: string): { connectionString: string; Client?: typeof pg.Client } {
  const targets = parseConnectionTargets(connectionString);
  if (leftToPg(targets)) return { connectionString };
  return { connectionString: targets.urlFor(targets.hosts[0]), Client: targetedClient(new HostResolver(targets)) };
}

/** The connection string of the one host that now accepts the sessions `connectionString` asks for (for libpq's programs and one-off clients). */
export async function resolvedUrl(connectionString: string): Promise<string> {
  const targets = parseConnectionTargets(connectionString);
  if (leftToPg(targets)) return connectionString;
  return targets.urlFor(await new HostResolver(targets).current());
}

/** One host or none, any session: `pg` connects as it always has. */
function leftToPg(targets: ConnectionTargets): boolean {
  return targets.hosts.length <= 1 && targets.targetSessionAttrs === 'any';
}

/** How long a host that does not answer may hold up the search for the primary (libpq waits for ever by default). */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Remembers the host that accepted the session until a connection to it fails; the next
 * connection then tries the hosts again in order, as libpq does on every connection. One search
 * at a time, shared by the connections waiting for it.
 */
class HostResolver {
  private known: ServerAddress | undefined;
  private searching: Promise<ServerAddress> | undefined;

  constructor(readonly targets: ConnectionTargets) {}

  current(): Promise<ServerAddress> {
    if (this.known) return Promise.resolve(this.known);
    this.searching ??= this.search().finally(() => (this.searching = undefined));
    return this.searching;
  }

  forget(address: ServerAddress): void {
    if (this.known === address) this.known = undefined;
  }

  private async search(): Promise<ServerAddress> {
    const refusals: string[] = [];
    for (const address of this.targets.hosts) {
      const probe = new pg.Client({ connectionString: this.targets.urlFor(address), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        const refusal = await refusalOf(probe, this.targets.targetSessionAttrs);
        if (!refusal) return (this.known = address);
        refusals.push(`${formatAddress(address)} ${refusal}`);
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        refusals.push(`${formatAddress(address)} ${code ?? message}`);
      } finally {
        await probe.end().catch(() => undefined);
      }
    }
    throw unavailable(`no PostgreSQL server accepts ${this.targets.targetSessionAttrs} sessions (${refusals.join('; ')})`);
  }
}

/** Why the server behind `client` does not give the session asked for, or undefined when it does: libpq's checks. */
async function refusalOf(client: pg.ClientBase, attrs: TargetSessionAttrs): Promise<string | undefined> {
  if (attrs === 'any') return undefined;
  const { rows } = await client.query<{ recovery: boolean; read_only: string }>(
    "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only",
  );
  if (rows[0].recovery) return 'is a standby';
  if (attrs === 'read-write' && rows[0].read_only === 'on') return 'is read-only';
  return undefined;
}

/** SQLSTATE 08001 (unable to establish connection): a request failing on it is answered 503, to be tried again. */
function unavailable(message: string): Error {
  return Object.assign(new Error(message), { code: '08001' });
}

/**
 * A `pg.Client` connecting to the host the resolver names, checked once connected (a server
 * remembered as the primary may have come back as a standby): a connection failing either way
 * makes the resolver search again.
 */
function targetedClient(resolver: HostResolver): typeof pg.Client {
  return class TargetedClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
    override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
      const connected = this.connectToTarget();
      if (!callback) return connected;
      // pg's two callback shapes, told apart by the first argument as pg itself does.
      const answer = callback as (err: Error | null, c?: pg.Client) => void;
      connected.then(
        (client) => answer(null, client),
        (error: Error) => answer(error),
      );
    }

    private async connectToTarget(): Promise<pg.Client> {
      const address = await resolver.current();
      this.host = address.host;
      this.port = address.port;
      // A connection lost later (the server stopped) sends the next one searching.
      this.on('error', () => resolver.forget(address));
      try {
        await super.connect();
        const refusal = await refusalOf(this, resolver.targets.targetSessionAttrs);
        if (refusal) {
          await this.end().catch(() => undefined);
          throw unavailable(`${formatAddress(address)} ${refusal}`);
        }
        return this;
      } catch (error) {
        resolver.forget(address);
        throw error;
      }
    }
  };
}
