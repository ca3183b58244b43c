import { type ProjectionTables, RowCache } from '#projection-runner';
import { journalOf, type PaymentEvent } from './events.js';
import { type PaymentTables, paymentTables } from './schema.js';

type Appended = { table: string; row: Record<string, unknown> };

/**
 * The payments tables held in memory as a rebuild holds them (nothing to load: a row not there is
 * a new row), and the history rows appended: for the parts of the projection, given events → rows.
 */
export function inMemoryPayments(): { tables: PaymentTables; appended: Appended[]; journalAt: (position: bigint) => ReturnType<typeof journalOf> } {
  const appended: Appended[] = [];
  const caches = new Map<string, RowCache<Record<string, unknown>>>();
  const memory: ProjectionTables = {
    inMemory: true,
    table<Row extends Record<string, unknown>>(name: string, shape: ConstructorParameters<typeof RowCache<Row>>[1]): RowCache<Row> {
      if (!caches.has(name)) caches.set(name, new RowCache<Row>(name, shape) as unknown as RowCache<Record<string, unknown>>);
      return caches.get(name) as unknown as RowCache<Row>;
    },
    append: (table, row) => appended.push({ table, row }),
    writes: () => true,
  };
  return {
    tables: paymentTables(memory),
    appended,
    journalAt: (position) => journalOf({ globalPosition: position, recordedAt: new Date(Date.UTC(2025, 0, 1)) }, (table, row) => appended.push({ table, row })),
  };
}

let position = 0n;
/** An event of the payments' types as the log delivers it, at the next position. */
export function logged<Type extends PaymentEvent['type']>(streamId: string, type: Type, data: Extract<PaymentEvent, { type: Type }>['data']): PaymentEvent {
  position += 1n;
  return {
    eventId: `e-${position}`,
    streamId,
    streamRevision: 0,
    globalPosition: position,
    type,
    data,
    metadata: { actor: 'clerk-1', roles: ['clerk'], schemaVersion: 1 },
    recordedAt: new Date(Date.UTC(2025, 0, 1)),
  } as PaymentEvent;
}
