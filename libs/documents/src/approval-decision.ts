import { vietnameseCitation } from '#domain';
import { type Issue, type Letterhead } from './letterhead.js';
import { OfficialDocument } from './official-pdf.js';
import { described, type Person } from './people.js';
import { dong, dongInWords, shortDate } from './vietnamese.js';

/** What a claim's approval decided, and about whom: the content of its decision (Quyết định phê duyệt). */
export interface ApprovalDecision {
  readonly claimId: string;
  readonly person: Person;
  /** The regime's letter and heading as the year-end report names it: "g", "Thuốc đặc trị, …". */
  readonly regime: { readonly code: string; readonly heading: string };
  readonly serviceDate: string;
  readonly until?: string;
  /** What was asked: the actual cost, or what was paid out of pocket. */
  readonly cost?: number;
  readonly outOfPocket?: number;
  readonly councilDecisionNumber?: string;
  readonly items?: readonly { readonly name: string; readonly quantity: number; readonly cost: number }[];
  readonly amount: number;
  /** The rate, ceiling or cap the amount was computed with. */
  readonly basis: number;
  readonly partial: boolean;
  readonly overCap: number;
  readonly overCapReason?: string;
  readonly policyVersionId: string;
  readonly clause: string;
  readonly approvedBy: readonly string[];
  /** When the approval was recorded (ISO time). */
  readonly approvedAt: string;
}

/** The decision approving a claim's payment, as the office issues it. */
export function approvalDecisionPdf(decision: ApprovalDecision, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  const document = OfficialDocument.begin(letterhead, 'decision', issue, `Quyết định phê duyệt hồ sơ ${decision.claimId}`);
  document
    .title('QUYẾT ĐỊNH', `Về việc phê duyệt chi trả chế độ ${decision.regime.code}) ${decision.regime.heading}`)
    .text(`${letterhead.signerTitle} ${letterhead.issuer}`, { face: 'bold', align: 'center', gap: 10 })
    .paragraph(`Căn cứ ${vietnameseCitation(decision.clause)} (phiên bản chính sách ${decision.policyVersionId});`);
  if (decision.councilDecisionNumber)
    document.paragraph(`Căn cứ Quyết định số ${decision.councilDecisionNumber} của Hội đồng chuyên môn bảo vệ, chăm sóc sức khỏe cán bộ;`);
  document
    .paragraph(`Xét hồ sơ đề nghị chi trả mã ${decision.claimId} và ý kiến phê duyệt ngày ${shortDate(decision.approvedAt.slice(0, 10))}.`)
    .text('QUYẾT ĐỊNH:', { face: 'bold', align: 'center', gap: 8 })
    .paragraph(`Điều 1. Phê duyệt chi trả chế độ ${decision.regime.code}) ${decision.regime.heading} cho ${described(decision.person)}, như sau:`);
  const asked = decision.cost ?? decision.outOfPocket;
  const served = decision.until ? `từ ${shortDate(decision.serviceDate)} đến ${shortDate(decision.until)}` : shortDate(decision.serviceDate);
  document.table(
    [
      { header: 'Nội dung', width: 5 },
      { header: 'Giá trị', width: 6, align: 'right' },
    ],
    [
      { cells: ['Ngày sử dụng dịch vụ', served] },
      ...(asked === undefined
        ? []
        : [{ cells: [decision.cost === undefined ? 'Chi phí tự chi trả sau bảo hiểm y tế' : 'Chi phí thực tế đề nghị', dong(asked)] }]),
      ...(decision.items ?? []).map((item) => ({ cells: [`${item.name} (${item.quantity})`, dong(item.cost)] })),
      { cells: ['Mức, trần hoặc hạn mức áp dụng', dong(decision.basis)] },
      ...(decision.overCap > 0 ? [{ cells: ['Trong đó vượt hạn mức năm', dong(decision.overCap)] }] : []),
      { cells: ['Số tiền được phê duyệt', dong(decision.amount)], bold: true },
    ],
  );
  document.paragraph(`Bằng chữ: ${dongInWords(decision.amount)}.`);
  if (decision.partial) document.paragraph('Phê duyệt một phần: số tiền bằng phần còn lại của hạn mức năm.');
  if (decision.overCap > 0) document.paragraph(`Phần vượt hạn mức năm được phê duyệt ngoại lệ, lý do: ${decision.overCapReason ?? ''}.`);
  document
    .paragraph('Điều 2. Bộ phận tài chính chi trả số tiền tại Điều 1 cho người được hưởng theo quy định.')
    .paragraph('Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Bộ phận tài chính và người có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.')
    .signature(['Như Điều 3;', `Lưu: VT, hồ sơ ${decision.claimId}.`])
    .smallPrint(`Hồ sơ ${decision.claimId}; phê duyệt bởi ${decision.approvedBy.join(', ')} lúc ${decision.approvedAt}.`);
  return document.finish();
}
