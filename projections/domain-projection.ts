import type { DomainEvent, DomainEventOf, DomainEventType } from '#domain';
import type { StoredEvent } from '#event-store';
import type { Projection, ProjectionTables } from '#projection-runner';

/** An event of the log as its domain type has it: switching on `type` tells `data`'s shape. */
export type LoggedEvent<Event extends DomainEvent = DomainEvent> = Event extends DomainEvent ? StoredEvent<Event['type'], Event['data']> : never;

/** The logged events of these types. */
export type LoggedEventOf<Type extends DomainEventType> = LoggedEvent<DomainEventOf<Type>>;

/** A projection that consumes domain events of the types it names, and reads them typed. */
export interface DomainProjection<Type extends DomainEventType> extends Omit<Projection, 'eventTypes' | 'apply'> {
  readonly eventTypes: readonly Type[];
  apply(tables: ProjectionTables, events: readonly LoggedEventOf<Type>[]): Promise<void>;
}

/**
 * Events read from the log of these types only: read through the upcasters into today's schema,
 * which is what the domain's types describe. This is the one place where the log's untyped events
 * are taken for domain events.
 */
export function loggedEvents<Type extends DomainEventType>(events: readonly StoredEvent[], _types: readonly Type[]): readonly LoggedEventOf<Type>[] {
  return events as readonly LoggedEventOf<Type>[];
}

/** The projection as the runner takes it, which delivers only the events of `eventTypes`. */
export function domainProjection<Type extends DomainEventType>(projection: DomainProjection<Type>): Projection {
  return { ...projection, apply: (tables, events) => projection.apply(tables, loggedEvents(events, projection.eventTypes)) };
}
