import type { Runtime } from '#runtime';

/** Injection token of the provinces the process serves (see ServedProvinces). */
export const SERVED_PROVINCES = Symbol('ServedProvinces');

/**
 * Every province the process serves, each over its own runtime: filled as their applications
 * open, read by the national level's roll-up. A province's application reads only its own runtime.
 */
export type ServedProvinces = readonly Runtime[];
