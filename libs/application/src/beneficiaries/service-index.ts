import { ServiceIndex } from '#domain';
import type { EventSourcing, Loaded } from '../event-sourcing.js';
import { ABANDONED_AFTER_MS } from './beneficiary-commands.js';

export const serviceIndexAggregate = { evolve: ServiceIndex.evolve, initial: ServiceIndex.initialServiceIndex };

export type LoadedServiceIndex = Loaded<ServiceIndex.ServiceIndex>;

export function loadServiceIndex(sourcing: EventSourcing, beneficiaryId: string): Promise<LoadedServiceIndex> {
  return sourcing.load(ServiceIndex.serviceIndexStreamId(beneficiaryId), serviceIndexAggregate.evolve, serviceIndexAggregate.initial);
}

/**
 * Whether a stay or claim listed in the index but not (yet) in its own stream still counts: it
 * does while its command may still be writing it (another clerk's, in flight), not once that
 * command was evidently interrupted between its two writes.
 */
export function listedInFlight(index: LoadedServiceIndex, id: string, now = Date.now()): boolean {
  const listing = index.events.find((event) => {
    const data = event.data as { admissionId?: string; claimId?: string };
    return data.admissionId === id || data.claimId === id;
  });
  return listing !== undefined && now - listing.recordedAt.getTime() < ABANDONED_AFTER_MS;
}
