import type { ClientBase } from 'pg';
import { ident } from './sql-identifiers.js';

/** How a read-model table's rows are found: the primary key and, optionally, one lookup column. */
export interface TableShape<Row> {
  readonly key: readonly (keyof Row & string)[];
  /** bigint columns, which pg returns as strings: read back as numbers (VND sums stay far below 2^53). */
  readonly numeric?: readonly (keyof Row & string)[];
  /** A column whose rows are loaded and read together (`loadBy`, `rowsBy`), e.g. a beneficiary's periods. */
  readonly index?: keyof Row & string;
}

/**
 * The rows of one read-model table that a projection works on, held in memory: loaded in one
 * query, changed event by event, written back in one statement. Rows are plain objects whose
 * property names are the table's column names.
 *
 * With a `source`, the cache holds what a batch touches and reads the stored rows it is asked to
 * load. Without one it is authoritative: it started from an empty table and has seen every row,
 * so loading is a no-op; this is how a rebuild keeps its read models in memory.
 */
export class RowCache<Row extends Record<string, unknown>> {
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<string>();
  /** Keys by their index column's value: most values have a few rows, and a list is much cheaper than a set. */
  private readonly byIndex = new Map<string, string[]>();
  private readonly indexLoaded = new Set<string>();

  constructor(
    readonly table: string,
    readonly shape: TableShape<Row>,
    private readonly source?: ClientBase,
  ) {}

  private keyOf(row: Partial<Row>): string {
    const key = this.shape.key;
    return key.length === 1 ? String(row[key[0]]) : key.map((column) => String(row[column] ?? '')).join('\u0000');
  }

  /** Loads the stored rows with these keys (each key: the key columns' values). */
  async load(keys: readonly Partial<Row>[]): Promise<void> {
    if (!this.source) return;
    const wanted = keys.filter((key) => !this.rows.has(this.keyOf(key)));
    if (wanted.length === 0) return;
    const match = this.shape.key.map((column) => `t.${ident(column)} = k.${ident(column)}`).join(' AND ');
    const { rows } = await this.source.query<Row>(
      `SELECT t.* FROM ${this.table} t JOIN jsonb_populate_recordset(null::${this.table}, $1::jsonb) k ON ${match}`,
      [JSON.stringify(wanted)],
    );
    this.keep(rows);
  }

  /**
   * Loads every stored row whose index column holds one of `values`: afterwards a row absent
   * from `rowsBy(value)` is absent from the table too.
   */
  async loadBy(values: Iterable<string | number>): Promise<void> {
    const column = this.requireIndex();
    const wanted = [...values].map(String).filter((value) => !this.indexLoaded.has(value));
    wanted.forEach((value) => this.indexLoaded.add(value));
    if (!this.source || wanted.length === 0) return;
    const { rows } = await this.source.query<Row>(`SELECT * FROM ${this.table} WHERE ${ident(column)}::text = ANY($1::text[])`, [wanted]);
    this.keep(rows.filter((row) => !this.rows.has(this.keyOf(row))));
  }

  private requireIndex(): keyof Row & string {
    if (!this.shape.index) throw new Error(`${this.table} has no index column`);
    return this.shape.index;
  }

  private keep(rows: readonly Row[]): void {
    for (const row of rows) {
      for (const column of this.shape.numeric ?? []) if (row[column] !== null) (row as Record<string, unknown>)[column] = Number(row[column]);
      this.remember(this.keyOf(row), row);
    }
  }

  private remember(key: string, row: Row): void {
    const previous = this.rows.get(key);
    if (previous === row) return;
    this.rows.set(key, row);
    if (!this.shape.index) return;
    const value = String(row[this.shape.index]);
    const keys = this.byIndex.get(value);
    // Rows are never removed, so a key seen for the first time is in no list yet.
    if (!keys) this.byIndex.set(value, [key]);
    else if (previous === undefined || !keys.includes(key)) keys.push(key);
  }

  get(key: Partial<Row>): Row | undefined {
    return this.rows.get(this.keyOf(key));
  }

  /** The rows whose index column holds `value` (loaded with `loadBy`, or put since). */
  rowsBy(value: string | number): Row[] {
    this.requireIndex();
    return this.byIndex.get(String(value))?.map((key) => this.rows.get(key)!) ?? [];
  }

  /** Sets a row; a row got from the cache and changed in place must be put back too. */
  put(row: Row): Row {
    const key = this.keyOf(row);
    this.remember(key, row);
    // An authoritative cache writes every row at the end: nothing to track.
    if (this.source) this.dirty.add(key);
    return row;
  }

  /** Changes a row that exists (loaded or put earlier), in place; unknown keys are ignored. */
  update(key: Partial<Row>, change: (row: Row) => Partial<Row>): Row | undefined {
    const row = this.get(key);
    return row && this.put(Object.assign(row, change(row)));
  }

  /** The rows put since the last call, which forgets them. */
  takeChanged(): Row[] {
    const changed = [...this.dirty].map((key) => this.rows.get(key)!);
    this.dirty.clear();
    return changed;
  }

  /** Every row the cache holds. */
  all(): IterableIterator<Row> {
    return this.rows.values();
  }
}

/**
 * What a projection's `apply` writes through: keyed tables as {@link RowCache}s and history tables
 * (rows never changed afterwards) appended to. The runner decides where the rows go: while
 * following the log, to the database at the end of each batch; while rebuilding, to memory until
 * the rebuilt schema is written in bulk.
 */
export interface ProjectionTables {
  /**
   * Every row is in memory already (a rebuild from position 0): loading fetches nothing, so a
   * projection may skip working out what to load.
   */
  readonly inMemory: boolean;
  table<Row extends Record<string, unknown>>(name: string, shape: TableShape<Row>): RowCache<Row>;
  append(name: string, row: Record<string, unknown>): void;
  /** Whether what goes into a table is written: not while the database fills it from the log (a rebuild). */
  writes(name: string): boolean;
}

/** Writes rows into an existing table: `insertRows` anywhere, `copyRows` (faster) on a PostgreSQL server. */
export type BulkWriter = (sql: ClientBase, table: string, rows: readonly Record<string, unknown>[]) => Promise<void>;

const columnsOf = (rows: readonly Record<string, unknown>[]): string[] => Object.keys(rows[0]);
/** Rows as JSON for `jsonb_populate_recordset`: bigints (log positions) as their digits. */
export const rowsJson = (rows: readonly Record<string, unknown>[]): string =>
  JSON.stringify(rows, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

/** Inserts rows in one statement per few thousand rows, decoded from JSON by the database. */
export const insertRows: BulkWriter = async (sql, table, rows) => {
  if (rows.length === 0) return;
  const columns = columnsOf(rows).map(ident).join(', ');
  for (let from = 0; from < rows.length; from += 5000) {
    await sql.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)`, [
      rowsJson(rows.slice(from, from + 5000)),
    ]);
  }
};

abstract class TablesBase implements ProjectionTables {
  protected readonly caches = new Map<string, RowCache<Record<string, unknown>>>();
  protected readonly appended = new Map<string, Record<string, unknown>[]>();

  constructor(
    protected readonly schema: string,
    private readonly source?: ClientBase,
  ) {}

  get inMemory(): boolean {
    return this.source === undefined;
  }

  table<Row extends Record<string, unknown>>(name: string, shape: TableShape<Row>): RowCache<Row> {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new RowCache<Record<string, unknown>>(this.qualified(name), shape as TableShape<Record<string, unknown>>, this.source);
      this.caches.set(name, cache);
    }
    return cache as unknown as RowCache<Row>;
  }

  writes(_name: string): boolean {
    return true;
  }

  append(name: string, row: Record<string, unknown>): void {
    const list = this.appended.get(name);
    if (list) list.push(row);
    else this.appended.set(name, [row]);
  }

  protected qualified(name: string): string {
    return `${ident(this.schema)}.${ident(name)}`;
  }

  /** The rows appended since the last call, which forgets them. */
  takeHistory(): ReadonlyMap<string, readonly Record<string, unknown>[]> {
    const history = new Map(this.appended);
    this.appended.clear();
    return history;
  }

  protected async writeHistoryWith(write: BulkWriter, sql: ClientBase, history: ReadonlyMap<string, readonly Record<string, unknown>[]>): Promise<void> {
    for (const [name, rows] of history) await write(sql, this.qualified(name), rows);
  }
}

/** One batch while following the log: rows loaded from and upserted back to the live tables. */
export class BatchTables extends TablesBase {
  constructor(
    private readonly sql: ClientBase,
    schema: string,
  ) {
    super(schema, sql);
  }

  async flush(): Promise<void> {
    for (const cache of this.caches.values()) {
      const changed = cache.takeChanged();
      if (changed.length === 0) continue;
      const columns = columnsOf(changed);
      const keys = cache.shape.key;
      const updates = columns.filter((column) => !keys.includes(column)).map((column) => `${ident(column)} = EXCLUDED.${ident(column)}`);
      await this.sql.query(
        `INSERT INTO ${cache.table} (${columns.map(ident).join(', ')})
           SELECT ${columns.map(ident).join(', ')} FROM jsonb_populate_recordset(null::${cache.table}, $1::jsonb)
         ON CONFLICT (${keys.map(ident).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
        [rowsJson(changed)],
      );
    }
    await this.writeHistoryWith(insertRows, this.sql, this.takeHistory());
  }
}

/**
 * A rebuild from position 0 into empty tables: every keyed row stays in memory for the whole
 * rebuild, so no event costs a read, and each row is written once, at the end. History rows are
 * written batch by batch, so memory holds the current state, not the log.
 */
export class RebuildTables extends TablesBase {
  /** @param filledElsewhere tables the database fills from the log itself: what `apply` puts there is dropped. */
  constructor(
    schema: string,
    private readonly write: BulkWriter,
    private readonly filledElsewhere: ReadonlySet<string> = new Set(),
  ) {
    super(schema);
  }

  override writes(name: string): boolean {
    return !this.filledElsewhere.has(name);
  }

  override append(name: string, row: Record<string, unknown>): void {
    if (this.writes(name)) super.append(name, row);
  }

  async writeHistory(sql: ClientBase, history: ReadonlyMap<string, readonly Record<string, unknown>[]>): Promise<void> {
    await this.writeHistoryWith(this.write, sql, history);
  }

  /** Writes what is left of the history, then every keyed row. */
  async writeAll(sql: ClientBase): Promise<void> {
    await this.writeHistory(sql, this.takeHistory());
    for (const [name, cache] of this.caches) if (!this.filledElsewhere.has(name)) await this.write(sql, cache.table, [...cache.all()]);
  }
}
