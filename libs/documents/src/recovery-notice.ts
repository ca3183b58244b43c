import { type Issue, type Letterhead } from './letterhead.js';
import { OfficialDocument } from './official-pdf.js';
import { described, type Person } from './people.js';
import { dong, dongInWords, shortDate } from './vietnamese.js';

/** What a recovery asks back, why, and how much of it is settled: the content of its notice (thông báo thu hồi). */
export interface RecoveryNotice {
  readonly payoutId: string;
  readonly person: Person;
  readonly regime: { readonly code: string; readonly heading: string };
  readonly serviceDate: string;
  /** The retroactive change that made the amount paid too much. */
  readonly cause: { readonly kind: string; readonly id: string };
  /** What was paid before, and what the person is entitled to now. */
  readonly previousAmount: number;
  readonly nextAmount: number;
  /** What is to be recovered (positive), come back so far, given up, and still owed. */
  readonly amount: number;
  readonly recovered: number;
  readonly writtenOff: number;
  readonly owed: number;
}

const CAUSES: Readonly<Record<string, (id: string) => string>> = {
  'policy-version': (id) => `chính sách ${id} được áp dụng hồi tố`,
  'reorganization-plan': (id) => `phương án sắp xếp tổ chức, phân loại lại đối tượng ${id}`,
  'register-change': () => 'thay đổi trong sổ đăng ký đối tượng (thôi hưởng hoặc từ trần) có hiệu lực từ trước',
};

/** The notice asking a person to pay back what a retroactive change made too much. */
export function recoveryNoticePdf(notice: RecoveryNotice, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  const cause = CAUSES[notice.cause.kind]?.(notice.cause.id) ?? `${notice.cause.kind} ${notice.cause.id}`;
  const document = OfficialDocument.begin(letterhead, 'notice', issue, `Thông báo thu hồi ${notice.payoutId}`);
  document
    .title('THÔNG BÁO', 'Về việc thu hồi khoản kinh phí đã chi trả vượt mức được hưởng')
    .text(`Kính gửi: ${described(notice.person)}.`, { align: 'center', gap: 10 })
    .paragraph(
      `Căn cứ ${cause}, khoản chi trả chế độ ${notice.regime.code}) ${notice.regime.heading} cho dịch vụ ngày ${shortDate(notice.serviceDate)} ` +
        `được tính lại: số đã chi trả ${dong(notice.previousAmount)}, số được hưởng theo quy định ${dong(notice.nextAmount)}.`,
    )
    .paragraph(`${letterhead.issuer} thông báo số tiền phải thu hồi là ${dong(notice.amount)} (bằng chữ: ${dongInWords(notice.amount)}), cụ thể:`)
    .table(
      [
        { header: 'Số phải thu hồi', width: 1, align: 'right' },
        { header: 'Đã thu hồi', width: 1, align: 'right' },
        { header: 'Đã xóa nợ', width: 1, align: 'right' },
        { header: 'Còn phải nộp', width: 1, align: 'right' },
      ],
      [{ cells: [dong(notice.amount), dong(notice.recovered), dong(notice.writtenOff), dong(notice.owed)], bold: true }],
    )
    .paragraph(
      notice.owed > 0
        ? `Đề nghị Ông/Bà nộp lại số tiền còn phải nộp ${dong(notice.owed)} cho ${letterhead.issuer}; ` +
            'số tiền chưa nộp sẽ được khấu trừ vào khoản chi trả tiếp theo cho Ông/Bà theo quy định.'
        : 'Khoản thu hồi này đã được tất toán; Ông/Bà không phải nộp thêm.',
    )
    .paragraph('Trân trọng thông báo./.')
    .signature([`${notice.person.name ?? notice.person.id};`, `Lưu: VT, khoản ${notice.payoutId}.`])
    .smallPrint(`Khoản thu hồi ${notice.payoutId}; nguyên nhân: ${notice.cause.kind} ${notice.cause.id}.`);
  return document.finish();
}
