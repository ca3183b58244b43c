import { parseConnectionTargets, poolOptions } from './connection-targets.js';

describe('multi-host connection strings (libpq form)', () => {
  it('reads each host with its port (5432 when none), IPv6 included, and writes one host back with the rest as given', () => {
    const targets = parseConnectionTargets('postgresql://app:s%40cret@db1,db2:5433,[::1]:6432/health%20support?target_session_attrs=primary&sslmode=disable');
    expect(targets.hosts).toEqual([
      { host: 'db1', port: 5432 },
      { host: 'db2', port: 5433 },
      { host: '::1', port: 6432 },
    ]);
    expect(targets.database).toBe('health support');
    expect(targets.targetSessionAttrs).toBe('primary');
    expect(targets.urlFor(targets.hosts[1])).toBe('postgresql://app:s%40cret@db2:5433/health%20support?target_session_attrs=primary&sslmode=disable');
    expect(targets.urlFor(targets.hosts[2])).toBe('postgresql://app:s%40cret@[::1]:6432/health%20support?target_session_attrs=primary&sslmode=disable');
  });

  it('leaves a single host (or none: the local socket) without attributes to pg as it is', () => {
    expect(poolOptions('postgres://app@db/health')).toEqual({ connectionString: 'postgres://app@db/health' });
    expect(poolOptions('postgres:///health?host=/run/postgresql')).toEqual({ connectionString: 'postgres:///health?host=/run/postgresql' });
    expect(parseConnectionTargets('postgres://app@db/health').targetSessionAttrs).toBe('any');
  });

  it('gives several hosts a client that finds the primary, connecting first to the first host listed', () => {
    const options = poolOptions('postgres://app@db1:5432,db2:5432/health?target_session_attrs=read-write');
    expect(options.connectionString).toBe('postgres://app@db1:5432/health?target_session_attrs=read-write');
    expect(options.Client).toBeDefined();
  });

  it.each([
    ['mysql://db/health', 'is not a postgres:// connection string'],
    ['postgres://app@db1,db2/health', 'lists several hosts: add target_session_attrs=read-write so that connections go to the primary'],
    [
      'postgres://app@db1,db2/health?target_session_attrs=prefer-standby',
      'asks for target_session_attrs=prefer-standby, which the application cannot use: it writes, so use read-write or primary',
    ],
    ['postgres://app@db1,/health?target_session_attrs=read-write', 'names a host (number 2) that is not host or host:port'],
    ['postgres://app@db1:99999/health', 'names a host (number 1) that is not host or host:port'],
  ])('refuses %s', (url, message) => {
    expect(() => parseConnectionTargets(url)).toThrow(message);
  });

  it('names no part of a password that broke the host list', () => {
    expect(() => parseConnectionTargets('postgres://app:Xy7/Qz@db/health')).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/Xy7|Qz/) }));
  });
});
