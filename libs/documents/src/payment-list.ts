import { type Issue, type Letterhead } from './letterhead.js';
import { OfficialDocument } from './official-pdf.js';
import type { Person } from './people.js';
import { count, dong, dongInWords, shortDate } from './vietnamese.js';

/** One payout paid under the payment reference. */
export interface PaymentLine {
  readonly payoutId: string;
  readonly person: Person;
  readonly regimeCode: string;
  readonly serviceDate: string;
  readonly amount: number;
  /** What offsetting recoveries the same person owed took out of it: the cash paid is the amount less this. */
  readonly offset: number;
  /** A reversed payment stays on the list, marked, and out of the totals. */
  readonly reversed: boolean;
}

/** The payouts one payment (a bank transfer or a voucher) paid: a batch, named by its payment reference. */
export interface PaymentList {
  readonly reference: string;
  readonly paidOn: string;
  readonly lines: readonly PaymentLine[];
}

/** The payment list (danh sách chi trả) of one payment reference, with its totals. */
export function paymentListPdf(list: PaymentList, letterhead: Letterhead, issue: Issue): Promise<Buffer> {
  const counted = list.lines.filter((line) => !line.reversed);
  const amount = counted.reduce((sum, line) => sum + line.amount, 0);
  const offset = counted.reduce((sum, line) => sum + line.offset, 0);
  const document = OfficialDocument.begin(letterhead, 'list', issue, `Danh sách chi trả ${list.reference}`, 'landscape');
  document
    .title('DANH SÁCH CHI TRẢ', 'Chế độ hỗ trợ bảo vệ, chăm sóc sức khỏe cán bộ', `Chứng từ thanh toán số ${list.reference} ngày ${shortDate(list.paidOn)}`)
    .table(
      [
        { header: 'STT', width: 4, align: 'center' },
        { header: 'Họ và tên', width: 15 },
        { header: 'Chức vụ, đơn vị', width: 18 },
        { header: 'Chế độ', width: 6, align: 'center' },
        { header: 'Ngày', width: 10, align: 'center' },
        { header: 'Số tiền (đồng)', width: 12, align: 'right' },
        { header: 'Khấu trừ thu hồi (đồng)', width: 11, align: 'right' },
        { header: 'Thực nhận (đồng)', width: 12, align: 'right' },
      ],
      [
        ...list.lines.map((line, n) => ({
          cells: [
            String(n + 1),
            line.person.name ?? `(mã ${line.person.id})`,
            [line.person.title, line.person.unit].filter(Boolean).join(', '),
            line.regimeCode,
            shortDate(line.serviceDate),
            count(line.amount) + (line.reversed ? ' (đã hủy)' : ''),
            count(line.offset),
            line.reversed ? '0' : count(line.amount - line.offset),
          ],
        })),
        { cells: ['', 'Tổng cộng', `${count(counted.length)} khoản`, '', '', count(amount), count(offset), count(amount - offset)], bold: true },
      ],
    )
    .paragraph(`Tổng số tiền thực chi: ${dong(amount - offset)} (bằng chữ: ${dongInWords(amount - offset)}).`)
    .signature(['Bộ phận tài chính;', `Lưu: VT, chứng từ ${list.reference}.`])
    .smallPrint(`Các khoản chi: ${list.lines.map((line) => line.payoutId).join(', ')}.`);
  return document.finish();
}
