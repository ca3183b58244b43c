import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/**
 * A PDF read by programs other than the one that wrote it: Poppler's pdftotext for its text, and
 * pdftoppm for its pages as PNG images (Debian's poppler-utils, which .ci/run installs).
 */
function inFolder<T>(bytes: Uint8Array, read: (file: string, folder: string) => T): T {
  const folder = mkdtempSync(join(tmpdir(), 'hsb-pdf-'));
  try {
    const file = join(folder, 'document.pdf');
    writeFileSync(file, bytes);
    return read(file, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The text as pdftotext extracts it, laid out as on the page. */
export function pdfText(bytes: Uint8Array): string {
  return inFolder(bytes, (file) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

export interface RenderedPage {
  readonly width: number;
  readonly height: number;
  /** The share of pixels that are not white: ink on the page. */
  readonly ink: number;
}

/** Each page rendered to a PNG by pdftoppm, decoded here, with how much of it is ink. */
export function pdfPages(bytes: Uint8Array, dpi = 30): RenderedPage[] {
  return inFolder(bytes, (file, folder) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(folder, 'page')]);
    return readdirSync(folder)
      .filter((name) => name.endsWith('.png'))
      .sort()
      .map((name) => inkOf(readFileSync(join(folder, name))));
  });
}

/** Bytes per pixel of the 8-bit PNGs pdftoppm writes, by colour type: grey, RGB. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3 };

/** A PNG as pdftoppm writes it (8-bit grey or RGB, not interlaced) decoded: its size and the share of pixels that are not white. */
function inkOf(png: Buffer): RenderedPage {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      [width, height, channels] = [body.readUInt32BE(0), body.readUInt32BE(4), CHANNELS[body[9]] ?? 0];
      if (body[8] !== 8 || channels === 0 || body[12] !== 0) throw new Error(`unexpected PNG: depth ${body[8]}, colour type ${body[9]}, interlace ${body[12]}`);
    }
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  // Undo each scan line's filter (PNG specification, section 9).
  const bytes = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const left = x >= channels ? bytes[y * stride + x - channels] : 0;
      const up = y > 0 ? bytes[(y - 1) * stride + x] : 0;
      const corner = x >= channels && y > 0 ? bytes[(y - 1) * stride + x - channels] : 0;
      const p = left + up - corner;
      const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
      const paeth = a <= b && a <= c ? left : b <= c ? up : corner;
      bytes[y * stride + x] = (value + [0, left, up, (left + up) >> 1, paeth][filter]) & 0xff;
    }
  }
  let inked = 0;
  for (let pixel = 0; pixel < width * height; pixel++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += bytes[pixel * channels + channel];
    if (sum / channels < 200) inked++;
  }
  return { width, height, ink: inked / (width * height) };
}
