import pg from 'pg';
import { poolOptions } from './connection-targets.js';

/**
 * A connection pool whose connections may be cut (server restart, failover, an administrator
 * terminating sessions) without taking the process down: `pg` emits such losses as 'error'
 * events, which crash Node when nobody listens. The pool replaces the connection, on the new
 * primary when the connection string lists several hosts (see connection-targets.ts).
 */
export function createPool(connectionString: string, max: number, warn?: (message: string) => void): pg.Pool {
  return survivingLostConnections(new pg.Pool({ ...poolOptions(connectionString), max }), warn);
}

/**
 * Listens for lost connections on the pool (idle ones) and on every connection it opens, which
 * also loses its listener while checked out: the query in flight fails with the connection, and
 * only the request that ran it (see `isDatabaseUnavailable`). A process with a logger passes its `warn`.
 */
export function survivingLostConnections(pool: pg.Pool, warn: (message: string) => void = console.warn): pg.Pool {
  pool.on('error', (error) => warn(`an idle PostgreSQL connection was lost: ${error.message}`));
  pool.on('connect', (client) => client.on('error', (error) => warn(`a PostgreSQL connection in use was lost: ${error.message}`)));
  return pool;
}

/** SQLSTATE classes and codes meaning "the server cannot be reached or is going away", not "this request is wrong". */
const UNAVAILABLE_STATES = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_SOCKETS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Whether `error` says the database is out of reach for now, so that the request may be tried again shortly. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Not `instanceof Error`: a socket's error may come from another realm (a test runner's, say).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_SOCKETS.has(code))) return true;
  return typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|Client was closed/i.test(message);
}
