import { parsePolicyVersion } from '../policy/parse-policy-version.js';
import type { PolicyVersion } from '../policy/policy-version.js';

/** A version of the officials' regimes, parsed as the catalog parses it: what specs of stays and claims decide under. */
export function regimesVersion(input: unknown): PolicyVersion {
  const version = parsePolicyVersion(input);
  if (version.kind === 'universal-check') throw new Error(`${version.id} is a universal-check version, not one of regimes`);
  return version;
}
