import { createHash } from 'node:crypto';

/**
 * The id of what a command creates, derived from the command id: a client retrying the same
 * command (same command id) addresses the same beneficiary, admission or claim, never a second.
 */
export function idFromCommand(commandId: string, kind: string): string {
  const hex = createHash('sha256').update(`${kind}:${commandId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
