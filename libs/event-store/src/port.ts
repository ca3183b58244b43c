/**
 * The event log's contract, the port the application writes through: the EventStore interface
 * with its types and errors, and how event ids derive from command ids. The rest of this library
 * is its adapters.
 */
export * from './event-store.js';
export { eventIdFor } from './event-ids.js';
