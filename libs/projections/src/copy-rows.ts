import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ident } from './projection.js';
import type { BulkWriter } from './row-cache.js';

/** A value in COPY's text format: `\N` for null, objects as JSON, the format's specials escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'object' ? (value instanceof Date ? value.toISOString() : JSON.stringify(value)) : String(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : text;
}

/**
 * Streams rows into a table with `COPY … FROM STDIN`, the fastest way PostgreSQL takes rows in.
 * A PostgreSQL server only: the embedded database's wire protocol has no COPY sub-protocol.
 */
export const copyRows: BulkWriter = async (sql, table, rows) => {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  function* lines(): Generator<string> {
    for (let from = 0; from < rows.length; from += 2000) {
      let chunk = '';
      for (const row of rows.slice(from, from + 2000)) chunk += columns.map((column) => copyText(row[column])).join('\t') + '\n';
      yield chunk;
    }
  }
  await pipeline(Readable.from(lines()), sql.query(copyFrom(`COPY ${table} (${columns.map(ident).join(', ')}) FROM STDIN`)));
};
