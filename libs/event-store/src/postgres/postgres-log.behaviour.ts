import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from '#database';
import type { StoredEvent } from '../event-store.js';
import type { PostgresEventStore } from './postgres-event-store.js';

/** PostgreSQL-specific guarantees of the log, beyond the adapter contract. */
export function describePostgresLog(backend: string, current: () => { store: PostgresEventStore; pool: pg.Pool }): void {
  describe(`PostgreSQL log — ${backend}`, () => {
    it('never lets a subscriber skip an event whose transaction commits after a later append', async () => {
      const { store, pool } = current();
      const head = await store.readHeadPosition();
      const type = `LateCommit-${randomUUID()}`;
      const delivered: StoredEvent[] = [];
      const subscription = store.subscribeToAll({ after: head, eventTypes: [type] });
      const consuming = (async () => {
        for await (const message of subscription) if (message.kind === 'events') delivered.push(...message.events);
      })();

      // Writer A takes the next position inside a transaction that stays open.
      const writerA = await pool.connect();
      await writerA.query('BEGIN');
      await writerA.query('SELECT append_events($1::jsonb)', [
        JSON.stringify([
          {
            streamId: `late-a-${randomUUID()}`,
            expected: 'any',
            events: [{ id: randomUUID(), type, data: { writer: 'A' }, metadata: { actor: 'test', schemaVersion: 1 } }],
          },
        ]),
      ]);
      // Writer B appends meanwhile and the subscriber keeps polling; only then does A commit.
      const writerB = store.append(`late-b-${randomUUID()}`, [{ type, data: { writer: 'B' }, metadata: { actor: 'test', schemaVersion: 1 } }], {
        expectedRevision: 'any',
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await writerA.query('COMMIT');
      writerA.release();
      await writerB;

      const deadline = Date.now() + 10000;
      while (delivered.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await subscription.close();
      await consuming;
      expect(delivered.map((e) => (e.data as { writer: string }).writer)).toEqual(['A', 'B']);
      expect(delivered[0].globalPosition < delivered[1].globalPosition).toBe(true);
    });

    it('fails only the append PostgreSQL refuses, not the others written in the same group commit', async () => {
      const { store } = current();
      const streams = [0, 1, 2, 3].map((n) => `neighbour-${n}-${randomUUID()}`);
      const outcomes = await Promise.allSettled(
        streams.map((stream, n) =>
          store.append(
            stream,
            [{ type: 'Noted', data: { text: n === 2 ? 'nul \u0000 inside' : `fine ${n}` }, metadata: { actor: 'test', schemaVersion: 1 } }],
            { expectedRevision: 'no_stream' },
          ),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((await store.readStream(streams[2])).length).toBe(0);
      expect((await store.readStream(streams[3])).map((e) => e.data)).toEqual([{ text: 'fine 3' }]);
    });

    it('verifies its hash chain, and names the first position whose event was edited behind the append function', async () => {
      const { store, pool } = current();
      const stream = `forged-${randomUUID()}`;
      const metadata = { actor: 'test', schemaVersion: 1 };
      await store.append(
        stream,
        [
          { type: 'PayoutScheduled', data: { amount: 1000000 }, metadata },
          { type: 'PayoutPaid', data: {}, metadata },
        ],
        { expectedRevision: 'no_stream' },
      );
      await store.appendToStreams([
        { streamId: `${stream}-next`, events: [{ type: 'Noted', data: {}, metadata }], options: { expectedRevision: 'no_stream' } },
      ]);
      const head = await store.readHeadPosition();
      const clean = await store.chain.verify();
      expect(clean).toEqual({ intact: true, events: Number(head), head: { position: head, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      expect(await store.chain.linkAt(head)).toEqual(clean.intact && clean.head);

      // What a role owning the table can do: switch the immutability trigger off and edit an amount.
      const [scheduled] = await store.readStream(stream);
      const forge = (amount: number) =>
        inTransaction(pool, async (client) => {
          await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete');
          await client.query(`UPDATE events SET data = jsonb_build_object('amount', $2::int) WHERE global_position = $1`, [scheduled.globalPosition, amount]);
          await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete');
        });
      await forge(9000000);
      try {
        expect(await store.chain.verify()).toEqual({ intact: false, position: scheduled.globalPosition, reason: expect.stringContaining('does not match') });
      } finally {
        await forge(1000000);
      }
      expect(await store.chain.verify()).toEqual(clean);
    });

    it('refuses to update, delete or truncate stored events', async () => {
      const { store, pool } = current();
      const stream = `immutable-${randomUUID()}`;
      await store.append(stream, [{ type: 'Kept', data: { amount: 1 }, metadata: { actor: 'test', schemaVersion: 1 } }], { expectedRevision: 'no_stream' });
      await expect(pool.query(`UPDATE events SET data = '{"amount": 2}' WHERE stream_id = $1`, [stream])).rejects.toThrow(/events are immutable/);
      await expect(pool.query('DELETE FROM events WHERE stream_id = $1', [stream])).rejects.toThrow(/events are immutable/);
      await expect(pool.query('TRUNCATE events')).rejects.toThrow(/events are immutable/);
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ amount: 1 }]);
    });
  });
}
