import type { Pool } from 'pg';

/** Which rows of a list to answer: `limit` rows after skipping `offset`. */
export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/** One page of a list, and how many rows the whole list holds, so that a client can page through it. */
export interface Page<Item> {
  readonly items: Item[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

/**
 * A page of the rows `matching` selects (a SELECT with `params` as $1…), in `order`, with the
 * number of them all. The total is counted in the same statement as the page, over the same
 * snapshot, so that the two always agree; a page past the end holds no row to carry it, and only
 * then is it counted alone.
 */
export async function pageOf<Row extends object>(
  pool: Pool,
  matching: string,
  params: readonly unknown[],
  order: string,
  page: PageRequest,
): Promise<Page<Row>> {
  const { rows } = await pool.query<Row & { total_matched: string }>(
    `SELECT *, count(*) OVER () AS total_matched FROM (${matching}) matched ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, page.limit, page.offset],
  );
  const total =
    rows.length > 0
      ? Number(rows[0].total_matched)
      : page.offset === 0
        ? 0
        : Number((await pool.query<{ count: string }>(`SELECT count(*) FROM (${matching}) matched`, [...params])).rows[0].count);
  const items = rows.map(({ total_matched: _total, ...row }) => row as unknown as Row);
  return { items, total, offset: page.offset, limit: page.limit };
}
