import type pg from 'pg';
import { DataSource } from 'typeorm';
import { createPool, inTransaction } from '#database';
import type { StoredEvent } from '#event-store';
import { BatchTables, ident, liveSchemaOf, type Projection } from '#projection-runner';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities.js';

export interface FactSpec {
  readonly streamId: string;
  readonly type: string;
  readonly data: unknown;
  readonly actor?: string;
}

/**
 * One projection's tables in a database of their own (under the live schema name, so the read
 * queries work on them), fed batch by batch with events written as the domain writes them.
 */
export async function projectionHarness(projection: Projection) {
  const database: TestDatabase = await createTestDatabase();
  const pool: pg.Pool = createPool(database.url, 2);
  const schema = liveSchemaOf(projection);
  await inTransaction(pool, async (client) => {
    await client.query(`CREATE SCHEMA ${ident(schema)}`);
    await projection.createTables(client, schema);
  });
  const readModels = await new DataSource({
    type: 'postgres',
    url: database.url,
    entities: READ_MODEL_ENTITIES,
    synchronize: false,
    extra: { max: 2 },
  }).initialize();
  let position = 0n;
  const revisions = new Map<string, number>();
  return {
    pool,
    readModels,
    schema,
    /** Applies the facts as one batch, as the runner would, in log order. */
    async apply(facts: readonly FactSpec[]): Promise<void> {
      const events: StoredEvent[] = facts.map((fact) => {
        const revision = (revisions.get(fact.streamId) ?? -1) + 1;
        revisions.set(fact.streamId, revision);
        position += 1n;
        return {
          eventId: `e-${position}`,
          streamId: fact.streamId,
          streamRevision: revision,
          globalPosition: position,
          type: fact.type,
          data: fact.data,
          metadata: { actor: fact.actor ?? 'clerk-1', roles: ['clerk'], schemaVersion: 1 },
          recordedAt: new Date(Date.UTC(2025, 0, 1) + Number(position) * 1000),
        };
      });
      const consumed = projection.eventTypes ? events.filter((event) => projection.eventTypes!.includes(event.type)) : events;
      await inTransaction(pool, async (client) => {
        const tables = new BatchTables(client, schema);
        await projection.apply(tables, consumed);
        await tables.flush();
      });
    },
    async rows<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
      return (await pool.query(sql.replaceAll('$schema', ident(schema)), params)).rows as Row[];
    },
    async close(): Promise<void> {
      await readModels.destroy();
      await pool.end();
      await database.drop();
    },
  };
}
