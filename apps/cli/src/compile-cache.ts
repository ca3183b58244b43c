import module from 'node:module';

/**
 * Turns on Node's on-disk cache of compiled code (Node 22.1 and later; in the system's temporary
 * folder, or NODE_COMPILE_CACHE). Where the folder cannot be written the process runs as before.
 */
export function enableCompiledCodeCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
