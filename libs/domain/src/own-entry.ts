/**
 * The record's own entry under a key that came from a request or a file: `constructor`,
 * `toString` or `__proto__` then name no entry, instead of the members every object inherits.
 */
export function ownEntry<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
