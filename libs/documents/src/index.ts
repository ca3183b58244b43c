export { type ApprovalDecision, approvalDecisionPdf } from './approval-decision.js';
export { DEFAULT_LETTERHEAD, type DocumentKind, documentNumber, type Issue, type Letterhead, NATIONAL_MOTTO, NATIONAL_NAME } from './letterhead.js';
export { type Column, OfficialDocument, type Row } from './official-pdf.js';
export { type PaymentLine, type PaymentList, paymentListPdf } from './payment-list.js';
export type { Person } from './people.js';
export { type RecoveryNotice, recoveryNoticePdf } from './recovery-notice.js';
export { count, dateInWords, dong, dongInWords, figuresAsOf, shortDate, timeAndDate } from './vietnamese.js';
