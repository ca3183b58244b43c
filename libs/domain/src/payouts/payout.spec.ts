import { deciderSpec } from '../testing/decider.fixture.js';
import { type PayoutCommand, type PayoutEvent, decide, evolve, initialPayout, payoutIdFor, payoutStreamId } from './payout.js';

const spec = deciderSpec({ decide, evolve, initialState: initialPayout });

type Scheduled = Extract<PayoutEvent, { type: 'PayoutScheduled' }>['data'];
const schedule: Scheduled = {
  payoutId: 'claim-cl-g',
  source: { kind: 'claim', id: 'cl-g' },
  regimeId: 'g',
  regimeCode: 'g',
  beneficiaryId: 'b-004',
  payee: 'b-004',
  group: 4,
  amount: 12000000,
  serviceDate: '2025-04-10',
  policyVersionId: 'lang-son/nq-24-2024/v2',
};
const scheduled: PayoutEvent = { type: 'PayoutScheduled', data: schedule };
const pay: { reference: string; paidOn: string; by: string; offsets?: { recoveryPayoutId: string; amount: number }[] } = {
  reference: 'UNC-2025-0412',
  paidOn: '2025-04-20',
  by: 'finance-1',
};
const paid: PayoutEvent = { type: 'PayoutPaid', data: pay };
const reversal = { reason: 'paid to the wrong account', on: '2025-04-25', by: 'finance-2' };
const reversed: PayoutEvent = { type: 'PayoutReversed', data: reversal };
const command = {
  schedule: (data: Scheduled = schedule): PayoutCommand => ({ type: 'SchedulePayout', data }),
  pay: (data: Partial<typeof pay> = {}): PayoutCommand => ({ type: 'PayPayout', data: { ...pay, ...data } }),
  reverse: (data: Partial<typeof reversal> = {}): PayoutCommand => ({ type: 'ReversePayout', data: { ...reversal, ...data } }),
};

describe('payout identity', () => {
  it('derives one payout per claim, and one per admission and regime, the meals of a year before the discharge year apart', () => {
    expect(payoutIdFor({ kind: 'claim', id: 'cl-g' }, 'g')).toBe('claim-cl-g');
    expect(payoutIdFor({ kind: 'admission', id: 'adm-1' }, 'a')).toBe('admission-adm-1-a');
    expect(payoutIdFor({ kind: 'admission', id: 'adm-1' }, 'b')).toBe('admission-adm-1-b');
    expect(payoutIdFor({ kind: 'admission', id: 'adm-1' }, 'b', 2025)).toBe('admission-adm-1-b-2025');
    expect(payoutStreamId('claim-cl-g')).toBe('payout-claim-cl-g');
  });
});

describe('payout decisions', () => {
  it('schedules an approved amount once; scheduling it again records nothing, another amount is refused', () => {
    spec.given([]).when(command.schedule()).then([scheduled]);
    spec.given([scheduled]).when(command.schedule()).then([]);
    spec
      .given([scheduled])
      .when(command.schedule({ ...schedule, amount: 5000000 }))
      .thenThrows({ rule: 'AlreadyScheduled', message: 'payout claim-cl-g is already scheduled for 12000000 VND' });
  });

  it('schedules only a positive whole number of VND', () => {
    for (const amount of [0, -1, 1500.5, Number.MAX_SAFE_INTEGER + 1]) {
      spec
        .given([])
        .when(command.schedule({ ...schedule, amount }))
        .thenThrows({ rule: 'InvalidInput', field: 'amount' });
    }
  });

  it('pays a scheduled payout once; the same reference again records nothing, another is refused', () => {
    spec.given([scheduled]).when(command.pay()).then([paid]);
    spec.given([scheduled, paid]).when(command.pay()).then([]);
    spec
      .given([scheduled, paid])
      .when(command.pay({ reference: 'UNC-2025-0999' }))
      .thenThrows({ rule: 'AlreadyPaid' });
  });

  it('refuses a payment dated before the service it pays for', () => {
    spec
      .given([scheduled])
      .when(command.pay({ paidOn: '2025-04-09' }))
      .thenThrows({ rule: 'PaidBeforeService', field: 'paidOn' });
    spec
      .given([scheduled])
      .when(command.pay({ paidOn: '2025-04-10' }))
      .then([{ type: 'PayoutPaid', data: { ...pay, paidOn: '2025-04-10' } }]);
  });

  it('names the field of a malformed payment or reversal', () => {
    spec
      .given([scheduled])
      .when(command.pay({ by: ' ' }))
      .thenThrows({ rule: 'InvalidInput', field: 'by' });
    spec
      .given([scheduled])
      .when(command.pay({ reference: '' }))
      .thenThrows({ rule: 'InvalidInput', field: 'reference' });
    spec
      .given([scheduled])
      .when(command.pay({ paidOn: '2025-04-31' }))
      .thenThrows({ rule: 'InvalidInput', field: 'paidOn' });
    spec
      .given([scheduled])
      .when(command.reverse({ reason: ' ' }))
      .thenThrows({ rule: 'InvalidInput', field: 'reason' });
    spec
      .given([scheduled])
      .when(command.reverse({ on: '25/04/2025' }))
      .thenThrows({ rule: 'InvalidInput', field: 'on' });
  });

  it('reverses a payout, paid or not, and then neither pays nor reverses it again', () => {
    spec.given([scheduled]).when(command.reverse()).then([reversed]);
    spec.given([scheduled, paid]).when(command.reverse()).then([reversed]);
    spec.given([scheduled, paid, reversed]).when(command.pay()).thenThrows({ rule: 'Reversed', message: 'payout claim-cl-g was reversed on 2025-04-25' });
    spec.given([scheduled, reversed]).when(command.reverse()).thenThrows({ rule: 'Reversed' });
  });

  it('refuses to pay or reverse a payout never scheduled', () => {
    spec.given([]).when(command.pay()).thenThrows({ rule: 'NotScheduled' });
    spec.given([]).when(command.reverse()).thenThrows({ rule: 'NotScheduled' });
  });
});

describe('recoveries as receivables', () => {
  const recovery: Scheduled = { ...schedule, payoutId: 'adjustment-adj-1', source: { kind: 'adjustment', id: 'adj-1' }, amount: -400000 };
  const owed: PayoutEvent = { type: 'PayoutScheduled', data: recovery };
  const refund = { reference: 'PT-2025-0031', receivedOn: '2025-10-02', amount: 150000, by: 'finance-1' };
  const refunded: PayoutEvent = { type: 'RecoveryRefunded', data: refund };
  const offset = { againstPayoutId: 'claim-cl-h', amount: 100000, on: '2025-10-20', by: 'finance-1' };
  const writeOff = { reason: 'Người hưởng đã mất, không còn tài sản', on: '2025-12-15', by: 'approver-1' };

  it('is owed from the start, and is never paid', () => {
    spec.given([]).when(command.schedule(recovery)).then([owed]);
    expect(evolve(initialPayout, owed)).toMatchObject({ status: 'owed', receivable: { owed: 400000, recovered: 0, writtenOff: 0 } });
    spec.given([owed]).when(command.pay()).thenThrows({ rule: 'RecoveryIsNotPaid' });
  });

  it('is recovered by refund receipts and offsets, in parts, never past what is owed', () => {
    spec.given([owed]).when({ type: 'RecordRefund', data: refund }).then([refunded]);
    spec
      .given([owed, refunded])
      .when({ type: 'OffsetRecovery', data: offset })
      .then([{ type: 'RecoveryOffset', data: offset }]);
    spec
      .given([owed, refunded])
      .when({ type: 'RecordRefund', data: { ...refund, amount: 250001 } })
      .thenThrows({ rule: 'MoreThanOwed', field: 'amount' });
    const rest: PayoutEvent = { type: 'RecoveryRefunded', data: { ...refund, amount: 250000 } };
    expect([owed, refunded, rest].reduce(evolve, initialPayout)).toMatchObject({
      status: 'recovered',
      receivable: { owed: 0, recovered: 400000, writtenOff: 0 },
    });
    spec.given([owed, refunded, rest]).when({ type: 'RecordRefund', data: refund }).thenThrows({ rule: 'NothingOwed' });
    spec
      .given([owed])
      .when({ type: 'RecordRefund', data: { ...refund, amount: 0 } })
      .thenThrows({ rule: 'InvalidInput', field: 'amount' });
  });

  it('has what is still owed written off with a reason, after which nothing more is collected', () => {
    const writtenOff: PayoutEvent = { type: 'RecoveryWrittenOff', data: { ...writeOff, amount: 250000 } };
    spec.given([owed, refunded]).when({ type: 'WriteOffRecovery', data: writeOff }).then([writtenOff]);
    expect([owed, refunded, writtenOff].reduce(evolve, initialPayout)).toMatchObject({
      status: 'written-off',
      receivable: { owed: 0, recovered: 150000, writtenOff: 250000 },
    });
    spec.given([owed, refunded, writtenOff]).when({ type: 'OffsetRecovery', data: offset }).thenThrows({ rule: 'NothingOwed' });
    spec
      .given([owed])
      .when({ type: 'WriteOffRecovery', data: { ...writeOff, reason: ' ' } })
      .thenThrows({ rule: 'InvalidInput', field: 'reason' });
  });

  it('is reversed only while nothing of it was collected', () => {
    spec.given([owed]).when(command.reverse()).then([reversed]);
    spec.given([owed, refunded]).when(command.reverse()).thenThrows({ rule: 'AlreadyCollected' });
  });

  it('is no payout to collect when the payout pays money out', () => {
    spec.given([scheduled]).when({ type: 'RecordRefund', data: refund }).thenThrows({ rule: 'NotARecovery' });
    spec.given([scheduled]).when({ type: 'WriteOffRecovery', data: writeOff }).thenThrows({ rule: 'NotARecovery' });
  });

  it('takes offsets out of a payment, never more than the payment', () => {
    const offsets = [{ recoveryPayoutId: 'adjustment-adj-1', amount: 400000 }];
    spec
      .given([scheduled])
      .when(command.pay({ offsets }))
      .then([{ type: 'PayoutPaid', data: { ...pay, offsets } }]);
    spec
      .given([scheduled])
      .when(command.pay({ offsets: [{ recoveryPayoutId: 'adjustment-adj-1', amount: 12000001 }] }))
      .thenThrows({ rule: 'OffsetsExceedPayment', field: 'offsets' });
  });

  it('counts a recovery paid before receivables existed as recovered in full', () => {
    expect([owed, { type: 'PayoutPaid', data: pay } as PayoutEvent].reduce(evolve, initialPayout)).toMatchObject({
      status: 'recovered',
      receivable: { owed: 0, recovered: 400000 },
    });
  });
});
