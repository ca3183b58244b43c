/** Quotes an SQL identifier; schema names are computed, so never interpolate them raw. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
