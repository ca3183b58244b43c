import { createHash, randomUUID } from 'node:crypto';

/**
 * Event ids derived from the command id, so that a retried command produces the very same ids;
 * EventStoreDB relies on that for its own idempotency, and lineage links stay stable.
 */
export function eventIdFor(commandId: string | undefined, streamId: string, index: number): string {
  if (commandId === undefined) return randomUUID();
  const hash = createHash('sha1').update(`${commandId}\u0000${streamId}\u0000${index}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
