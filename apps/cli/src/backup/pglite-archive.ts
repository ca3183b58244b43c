const BLOCK = 512;

/**
 * `tar` (PGlite's uncompressed archive of its data folder) without the entries named `names`
 * (paths from the folder, with a leading slash as PGlite writes them). Each entry is a 512-byte
 * header followed by its data padded to 512 bytes; two zero blocks end the archive.
 */
export function withoutEntries(tar: Uint8Array, names: ReadonlySet<string>): Uint8Array {
  const kept: Uint8Array[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length && !isZeroBlock(tar.subarray(offset, offset + BLOCK))) {
    const header = tar.subarray(offset, offset + BLOCK);
    const end = offset + BLOCK + Math.ceil(entrySize(header) / BLOCK) * BLOCK;
    if (!names.has(entryName(header))) kept.push(tar.subarray(offset, end));
    offset = end;
  }
  kept.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(kept);
}

function isZeroBlock(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0);
}

function field(header: Uint8Array, from: number, length: number): string {
  return Buffer.from(header.subarray(from, from + length))
    .toString('utf8')
    .replace(/\0.*$/s, '');
}

/** ustar keeps a long name's leading folders in a prefix field. */
function entryName(header: Uint8Array): string {
  const prefix = field(header, 345, 155);
  const name = field(header, 0, 100);
  return prefix ? `${prefix}/${name}` : name;
}

function entrySize(header: Uint8Array): number {
  return parseInt(field(header, 124, 12).trim() || '0', 8);
}
