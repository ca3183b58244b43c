/**
 * Who issues the office's documents and who signs them: configuration (see the README's
 * DOCUMENT_* variables), so that another province or office prints its own name without a change
 * of code.
 */
export interface Letterhead {
  /** The body the issuer belongs to, printed above it (e.g. "UBND TỈNH LẠNG SƠN"); none by default. */
  readonly parentBody?: string;
  /** The issuing body, upper case as printed: "SỞ Y TẾ TỈNH LẠNG SƠN". */
  readonly issuer: string;
  /** The issuer's abbreviation in document numbers: "SYT" in "15/QĐ-SYT". */
  readonly issuerCode: string;
  /** The place in the place-and-date line: "Lạng Sơn, ngày … tháng … năm …". */
  readonly place: string;
  /** The signer's title, upper case as printed: "GIÁM ĐỐC". */
  readonly signerTitle: string;
  /** The signer's name under the signature; blank for a hand-written one when absent. */
  readonly signerName?: string;
  /**
   * What the province's reports account for, named in their titles after "Tình hình thực hiện"
   * and "Kết quả thực hiện": its resolution ("Nghị quyết số 24/2024/NQ-HĐND") or programmes.
   */
  readonly reportSubject: string;
}

export const DEFAULT_LETTERHEAD: Letterhead = {
  issuer: 'SỞ Y TẾ TỈNH LẠNG SƠN',
  issuerCode: 'SYT',
  place: 'Lạng Sơn',
  signerTitle: 'GIÁM ĐỐC',
  reportSubject: 'Nghị quyết số 24/2024/NQ-HĐND',
};

/** The national header every administrative document carries (Decree 30/2020/NĐ-CP). */
export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';

/** The kinds of document the office issues, as their numbers abbreviate them. */
export const DOCUMENT_KINDS = { report: 'BC', decision: 'QĐ', notice: 'TB', list: 'DS' } as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

/**
 * What one issued document says of itself: its number in the issuer's register (left blank, to be
 * filled in by hand when the register gives it, as the reference report is) and its date.
 */
export interface Issue {
  readonly number?: string;
  /** YYYY-MM-DD. */
  readonly date: string;
}

/** "Số: 15/QĐ-SYT", or "Số:      /QĐ-SYT" with the number left to write in. */
export function documentNumber(letterhead: Letterhead, kind: DocumentKind, number: string | undefined): string {
  return `Số: ${number ?? '\u00a0'.repeat(10)}/${DOCUMENT_KINDS[kind]}-${letterhead.issuerCode}`;
}
