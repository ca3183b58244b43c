import pg from 'pg';

/**
 * A connection pool whose idle connections may be cut (server restart, failover, an
 * administrator terminating sessions) without taking the process down: `pg` emits such losses
 * as 'error' events, which crash Node when nobody listens. The pool replaces the connection.
 */
export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', (error) => console.warn(`an idle PostgreSQL connection was lost: ${error.message}`));
  return pool;
}
