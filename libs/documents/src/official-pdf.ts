import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { type DocumentKind, documentNumber, type Issue, type Letterhead, NATIONAL_MOTTO, NATIONAL_NAME } from './letterhead.js';
import { dateInWords } from './vietnamese.js';

const resolve = createRequire(import.meta.url).resolve;

/**
 * DejaVu Serif, from the dejavu-fonts-ttf package (Bitstream Vera licence: free to embed and
 * redistribute): every Vietnamese letter with its stacked diacritics, unlike the 14 standard PDF
 * fonts, which stop at Latin-1. Read once; pdfkit embeds only the glyphs a document uses.
 */
const FACES = {
  regular: 'DejaVuSerif.ttf',
  bold: 'DejaVuSerif-Bold.ttf',
  italic: 'DejaVuSerif-Italic.ttf',
} as const;
type Face = keyof typeof FACES;
let fonts: Record<Face, Buffer> | undefined;
const fontFiles = () =>
  (fonts ??= Object.fromEntries(Object.entries(FACES).map(([face, file]) => [face, readFileSync(resolve(`dejavu-fonts-ttf/ttf/${file}`))])) as Record<
    Face,
    Buffer
  >);

/** A4 with the margins Decree 30/2020/NĐ-CP sets for administrative documents (top 20 mm, bottom 20 mm, left 30 mm, right 15 mm). */
const MM = 72 / 25.4;
const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };

export interface Column {
  readonly header: string;
  /** Share of the text width. */
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

/** A row of a table; `bold` for totals. */
export interface Row {
  readonly cells: readonly string[];
  readonly bold?: boolean;
}

interface Text {
  readonly face?: Face;
  readonly size?: number;
  readonly align?: 'left' | 'right' | 'center' | 'justify';
  readonly indent?: number;
  readonly gap?: number;
}

/**
 * One administrative document being written, top to bottom: the letterhead with the national
 * header, title, text, tables, the signature block. Each document module drives one of these and
 * returns the bytes of `finish()`.
 */
export class OfficialDocument {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  private constructor(
    private readonly letterhead: Letterhead,
    title: string,
    layout: 'portrait' | 'landscape',
  ) {
    this.doc = new PDFDocument({ size: 'A4', layout, margins: MARGINS, lang: 'vi-VN', info: { Title: title, Author: letterhead.issuer }, displayTitle: true });
    for (const [face, bytes] of Object.entries(fontFiles())) this.doc.registerFont(face, bytes);
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  /**
   * A new document under the letterhead: issuer and number on the left, the national header and
   * the place and date on the right. Landscape for a list of many columns.
   */
  static begin(letterhead: Letterhead, kind: DocumentKind, issue: Issue, title: string, layout: 'portrait' | 'landscape' = 'portrait'): OfficialDocument {
    const document = new OfficialDocument(letterhead, title, layout);
    document.header(kind, issue);
    return document;
  }

  private get width(): number {
    return this.doc.page.width - MARGINS.left - MARGINS.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGINS.bottom;
  }

  private header(kind: DocumentKind, issue: Issue): void {
    const doc = this.doc;
    const top = MARGINS.top;
    const leftWidth = this.width * 0.42;
    const rightX = MARGINS.left + leftWidth;
    const rightWidth = this.width - leftWidth;
    const centred = (text: string, x: number, width: number, face: Face, size: number) => {
      doc.font(face).fontSize(size).text(text, x, doc.y, { width, align: 'center' });
    };
    const rule = (x: number, width: number, length: number) => {
      const y = doc.y + 2;
      doc
        .moveTo(x + (width - length) / 2, y)
        .lineTo(x + (width + length) / 2, y)
        .lineWidth(0.6)
        .stroke();
      doc.y = y + 6;
    };

    doc.y = top;
    if (this.letterhead.parentBody) centred(this.letterhead.parentBody, MARGINS.left, leftWidth, 'regular', 11);
    centred(this.letterhead.issuer, MARGINS.left, leftWidth, 'bold', 11);
    rule(MARGINS.left, leftWidth, 60);
    centred(documentNumber(this.letterhead, kind, issue.number), MARGINS.left, leftWidth, 'regular', 11);
    const leftEnd = doc.y;

    doc.y = top;
    centred(NATIONAL_NAME, rightX, rightWidth, 'bold', 10.5);
    centred(NATIONAL_MOTTO, rightX, rightWidth, 'bold', 11.5);
    rule(rightX, rightWidth, doc.font('bold').fontSize(11.5).widthOfString(NATIONAL_MOTTO));
    centred(`${this.letterhead.place}, ${dateInWords(issue.date)}`, rightX, rightWidth, 'italic', 11);

    doc.x = MARGINS.left;
    doc.y = Math.max(leftEnd, doc.y) + 18;
  }

  private room(height: number): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.x = MARGINS.left;
    }
  }

  /** Text across the page. */
  text(text: string, { face = 'regular', size = 12, align = 'justify', indent = 0, gap = 4 }: Text = {}): this {
    const doc = this.doc.font(face).fontSize(size);
    this.room(doc.heightOfString(text, { width: this.width, indent }) > 3 * size ? 3 * size : size * 1.4);
    doc.text(text, MARGINS.left, doc.y, { width: this.width, align, indent, lineGap: 2, paragraphGap: gap });
    return this;
  }

  /** The document's name and what it is about, centred in bold. */
  title(name: string, ...about: string[]): this {
    this.text(name, { face: 'bold', size: 14, align: 'center', gap: 2 });
    for (const line of about) this.text(line, { face: 'bold', size: 12, align: 'center', gap: 2 });
    this.doc.moveDown(0.8);
    return this;
  }

  /** A paragraph of the body, its first line indented. */
  paragraph(text: string): this {
    return this.text(text, { indent: 28 });
  }

  heading(text: string): this {
    return this.text(text, { face: 'bold' });
  }

  /** A note in italics, centred (e.g. when the figures stand). */
  note(text: string): this {
    return this.text(text, { face: 'italic', size: 11, align: 'center' });
  }

  /** A table with ruled cells; the header row is repeated on each page the table runs onto. */
  table(columns: readonly Column[], rows: readonly Row[]): this {
    const doc = this.doc;
    const size = 9.5;
    const pad = 3;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    const widths = columns.map((column) => (column.width / total) * this.width);
    const heightOf = (cells: readonly string[], face: Face) =>
      Math.max(
        ...cells.map((cell, n) =>
          doc
            .font(face)
            .fontSize(size)
            .heightOfString(cell, { width: widths[n] - 2 * pad }),
        ),
      ) +
      2 * pad;
    const draw = (cells: readonly string[], face: Face, align: (n: number) => 'left' | 'right' | 'center') => {
      const height = heightOf(cells, face);
      const y = doc.y;
      let x = MARGINS.left;
      cells.forEach((cell, n) => {
        doc.lineWidth(0.5).rect(x, y, widths[n], height).stroke();
        doc
          .font(face)
          .fontSize(size)
          .text(cell, x + pad, y + pad, { width: widths[n] - 2 * pad, align: align(n) });
        x += widths[n];
      });
      doc.x = MARGINS.left;
      doc.y = y + height;
    };
    const header = columns.map((column) => column.header);
    const drawHeader = () => draw(header, 'bold', () => 'center');
    this.room(heightOf(header, 'bold') + heightOf(rows[0]?.cells ?? header, 'regular'));
    drawHeader();
    for (const row of rows) {
      const face = row.bold ? 'bold' : 'regular';
      if (doc.y + heightOf(row.cells, face) > this.bottom) {
        doc.addPage();
        drawHeader();
      }
      draw(row.cells, face, (n) => columns[n].align ?? 'left');
    }
    doc.moveDown(0.8);
    return this;
  }

  /**
   * The signature block: who receives the document on the left, the signer's title, room to sign
   * and stamp, and the signer's name on the right, kept on one page.
   */
  signature(recipients: readonly string[]): this {
    const doc = this.doc;
    this.room(150);
    const top = doc.y + 6;
    const half = this.width / 2;
    doc.y = top;
    doc
      .font('bold')
      .fontSize(10)
      .text('Nơi nhận:', MARGINS.left, doc.y, { width: half - 10 });
    for (const recipient of recipients)
      doc
        .font('regular')
        .fontSize(9.5)
        .text(`- ${recipient}`, MARGINS.left, doc.y, { width: half - 10 });
    const leftEnd = doc.y;
    doc.y = top;
    const right = MARGINS.left + half;
    doc.font('bold').fontSize(12).text(this.letterhead.signerTitle, right, doc.y, { width: half, align: 'center' });
    doc.font('italic').fontSize(10).text('(Ký, ghi rõ họ tên và đóng dấu)', right, doc.y, { width: half, align: 'center' });
    doc.y += 62;
    if (this.letterhead.signerName) doc.font('bold').fontSize(12).text(this.letterhead.signerName, right, doc.y, { width: half, align: 'center' });
    doc.x = MARGINS.left;
    doc.y = Math.max(leftEnd, doc.y) + 16;
    return this;
  }

  /** Small grey print at the end, for auditors (which log the figures came from), not for the reader of the document. */
  smallPrint(text: string): this {
    this.room(20);
    this.doc.fillColor('#555555').font('regular').fontSize(7).text(text, MARGINS.left, this.doc.y, { width: this.width });
    this.doc.fillColor('black');
    return this;
  }

  finish(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }
}
