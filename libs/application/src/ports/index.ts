/**
 * What the application shares with the code around it: the ports it needs (interfaces and their
 * injection tokens), which adapters implement and the composition root provides, and the
 * beneficiary list's format, which the register export (a read model) writes as the import reads it.
 * Adapters may import this folder, and nothing else of the application.
 */
export * from './application-ports.js';
export * from './retroactivity-reads.js';
export * from './beneficiary-list.js';
