import type { ClientBase } from 'pg';
import { ident } from './projection.js';

/**
 * The rows of one read-model table that a batch touches, held in memory while the batch is
 * applied: loaded in one query, changed event by event, written back in one upsert. A batch of
 * thousands of events costs a handful of round trips, which is what makes rebuilds fast.
 * Rows are plain objects whose property names are the table's column names.
 */
export class RowCache<Row extends Record<string, unknown>> {
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<string>();

  private readonly table: string;
  private readonly keyColumns: readonly (keyof Row & string)[];
  /** bigint columns, which pg returns as strings: read back as numbers (VND sums stay far below 2^53). */
  private readonly numericColumns: readonly (keyof Row & string)[];

  constructor(
    private readonly sql: ClientBase,
    schema: string,
    table: string,
    columns: { readonly key: readonly (keyof Row & string)[]; readonly numeric?: readonly (keyof Row & string)[] },
  ) {
    this.table = `${ident(schema)}.${ident(table)}`;
    this.keyColumns = columns.key;
    this.numericColumns = columns.numeric ?? [];
  }

  private keyOf(row: Partial<Row>): string {
    return JSON.stringify(this.keyColumns.map((column) => row[column] ?? null));
  }

  /** Loads the stored rows with these keys (each key: the key columns' values). */
  async load(keys: readonly Partial<Row>[]): Promise<void> {
    const wanted = keys.filter((key) => !this.rows.has(this.keyOf(key)));
    if (wanted.length === 0) return;
    const match = this.keyColumns.map((column) => `t.${ident(column)} = k.${ident(column)}`).join(" AND ");
    const { rows } = await this.sql.query<Row>(
      `SELECT t.* FROM ${this.table} t JOIN jsonb_populate_recordset(null::${this.table}, $1::jsonb) k ON ${match}`,
      [JSON.stringify(wanted)],
    );
    this.keep(rows);
  }

  /**
   * Loads every stored row matching `condition` (SQL over the table's columns, with `params`):
   * afterwards a key absent from the cache is known to be absent from the table too.
   */
  async loadWhere(condition: string, params: readonly unknown[]): Promise<void> {
    const { rows } = await this.sql.query<Row>(`SELECT * FROM ${this.table} WHERE ${condition}`, [...params]);
    this.keep(rows.filter((row) => !this.rows.has(this.keyOf(row))));
  }

  private keep(rows: readonly Row[]): void {
    for (const row of rows) {
      for (const column of this.numericColumns) if (row[column] !== null) (row as Record<string, unknown>)[column] = Number(row[column]);
      this.rows.set(this.keyOf(row), row);
    }
  }

  get(key: Partial<Row>): Row | undefined {
    return this.rows.get(this.keyOf(key));
  }

  put(row: Row): Row {
    const key = this.keyOf(row);
    this.rows.set(key, row);
    this.dirty.add(key);
    return row;
  }

  /** Changes a row that exists (loaded or put earlier in the batch); unknown keys are ignored. */
  update(key: Partial<Row>, change: (row: Row) => Partial<Row>): Row | undefined {
    const row = this.get(key);
    return row && this.put({ ...row, ...change(row) });
  }

  /** Writes every changed row back in one statement. */
  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const changed = [...this.dirty].map((key) => this.rows.get(key)!);
    const columns = Object.keys(changed[0]!);
    const updates = columns.filter((column) => !this.keyColumns.includes(column)).map((column) => `${ident(column)} = EXCLUDED.${ident(column)}`);
    await this.sql.query(
      `INSERT INTO ${this.table} (${columns.map(ident).join(', ')})
         SELECT ${columns.map(ident).join(', ')} FROM jsonb_populate_recordset(null::${this.table}, $1::jsonb)
       ON CONFLICT (${this.keyColumns.map(ident).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
      [JSON.stringify(changed)],
    );
    this.dirty.clear();
  }
}

/** Appends rows to a table in one statement (histories, lineage: rows never changed afterwards). */
export async function insertRows(sql: ClientBase, schema: string, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const qualified = `${ident(schema)}.${ident(table)}`;
  const columns = Object.keys(rows[0]!).map(ident).join(', ');
  await sql.query(`INSERT INTO ${qualified} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(null::${qualified}, $1::jsonb)`, [JSON.stringify(rows)]);
}
