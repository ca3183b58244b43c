import { deciderSpec } from '../testing/decider.fixture.js';
import { type CardEvent, cardStreamId, cardValidOn, decide, evolve, initialCard } from './card.js';

const spec = deciderSpec({ decide, evolve, initialState: initialCard });
const issue = { cardNumber: 'LS-000123', beneficiaryId: 'b-001', validFrom: '2025-01-01', validTo: '2029-12-31' };
const issued: CardEvent = { type: 'CardIssued', data: issue };

describe('card decisions', () => {
  it('issues a card under a number of its own stream', () => {
    spec.given([]).when({ type: 'IssueCard', data: issue }).then([issued]);
    expect(cardStreamId('LS-000123')).toBe('card-LS-000123');
  });

  it('refuses a number already issued, a malformed number and an inverted validity, naming the field', () => {
    spec.given([issued]).when({ type: 'IssueCard', data: issue }).thenThrows({ rule: 'CardNumberTaken', field: 'cardNumber' });
    spec
      .given([])
      .when({ type: 'IssueCard', data: { ...issue, cardNumber: 'ls 1' } })
      .thenThrows({ rule: 'InvalidInput', field: 'cardNumber' });
    spec
      .given([])
      .when({ type: 'IssueCard', data: { ...issue, validTo: '2024-12-31' } })
      .thenThrows({ field: 'validTo', message: 'validTo must not be before validFrom' });
  });

  it('reissues a lost card once, and never a revoked one', () => {
    const replaced: CardEvent = { type: 'CardReplaced', data: { byCardNumber: 'LS-000900', reason: 'lost', on: '2025-05-02', newCardValidTo: issue.validTo } };
    spec
      .given([issued])
      .when({ type: 'ReissueCard', data: { newCardNumber: 'LS-000900', reason: 'lost', on: '2025-05-02' } })
      .then([replaced]);
    spec
      .given([issued, replaced])
      .when({ type: 'ReissueCard', data: { newCardNumber: 'LS-000901', reason: 'damaged', on: '2025-06-01' } })
      .thenThrows({ rule: 'CardAlreadyReplaced' });
    const revoked: CardEvent = { type: 'CardRevoked', data: { reason: 'left office', on: '2025-03-01' } };
    spec
      .given([issued, revoked])
      .when({ type: 'ReissueCard', data: { newCardNumber: 'LS-000902', reason: 'title-change', on: '2025-04-01' } })
      .thenThrows({ rule: 'CardRevoked' });
    spec
      .given([issued])
      .when({ type: 'ReissueCard', data: { newCardNumber: 'LS-000903', reason: 'stolen' as never, on: '2025-04-01' } })
      .thenThrows({ field: 'reason' });
  });

  it('revokes once; revoking again records nothing', () => {
    const revoked: CardEvent = { type: 'CardRevoked', data: { reason: 'left office', on: '2025-03-01' } };
    spec.given([issued]).when({ type: 'RevokeCard', data: revoked.data }).then([revoked]);
    spec.given([issued, revoked]).when({ type: 'RevokeCard', data: revoked.data }).then([]);
    spec.given([]).when({ type: 'RevokeCard', data: revoked.data }).thenThrows({ rule: 'CardNotIssued' });
  });

  it('does not revoke a card already replaced, which would reopen its validity until the revocation', () => {
    const replaced: CardEvent = { type: 'CardReplaced', data: { byCardNumber: 'LS-000900', reason: 'lost', on: '2025-03-01', newCardValidTo: issue.validTo } };
    spec
      .given([issued, replaced])
      .when({ type: 'RevokeCard', data: { reason: 'left office', on: '2025-06-01' } })
      .thenThrows({ rule: 'CardAlreadyReplaced' });
  });
});

describe('card validity on a date', () => {
  it('covers its validity period up to the day before it was closed', () => {
    const card = [issued, { type: 'CardRevoked', data: { reason: 'left office', on: '2025-03-01' } } as CardEvent].reduce(evolve, initialCard);
    expect(cardValidOn(card, '2024-12-31')).toBe(false);
    expect(cardValidOn(card, '2025-01-01')).toBe(true);
    expect(cardValidOn(card, '2025-02-28')).toBe(true);
    expect(cardValidOn(card, '2025-03-01')).toBe(false);
    expect(cardValidOn(initialCard, '2025-02-01')).toBe(false);
  });
});
