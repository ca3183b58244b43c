import { requireDate, requireText, RuleViolated } from '../rule-violated.js';

/**
 * A health-protection card (thẻ bảo vệ sức khỏe). Each card number is a stream of its own
 * (`cardStreamId`), so the event store's "no stream yet" check makes a number unique across the
 * province in the write model itself: two clerks issuing the same number cannot both succeed.
 * A reissue closes the old card as replaced and opens the new number as a card of its own.
 */
export type ReissueReason = 'lost' | 'damaged' | 'title-change';
const REISSUE_REASONS: readonly ReissueReason[] = ['lost', 'damaged', 'title-change'];

export type CardEvent =
  | {
      readonly type: 'CardIssued';
      readonly data: {
        readonly cardNumber: string;
        readonly beneficiaryId: string;
        readonly validFrom: string;
        readonly validTo: string;
        /** The card this one replaces, when it was issued as a reissue. */
        readonly replaces?: { readonly cardNumber: string; readonly reason: ReissueReason };
      };
    }
  /** The old card closes; the new one is valid from `on` to `newCardValidTo`. */
  | {
      readonly type: 'CardReplaced';
      readonly data: { readonly byCardNumber: string; readonly reason: ReissueReason; readonly on: string; readonly newCardValidTo: string };
    }
  | { readonly type: 'CardRevoked'; readonly data: { readonly reason: string; readonly on: string } };

export type CardCommand =
  | { readonly type: 'IssueCard'; readonly data: Extract<CardEvent, { type: 'CardIssued' }>['data'] }
  /** Decided on the old card; the new card is then issued with `replaces` set. */
  | {
      readonly type: 'ReissueCard';
      readonly data: { readonly newCardNumber: string; readonly reason: ReissueReason; readonly on: string; readonly validTo?: string };
    }
  | { readonly type: 'RevokeCard'; readonly data: { readonly reason: string; readonly on: string } };

export type Card =
  | { readonly status: 'none' }
  | {
      readonly status: 'valid' | 'replaced' | 'revoked';
      readonly cardNumber: string;
      readonly beneficiaryId: string;
      readonly validFrom: string;
      readonly validTo: string;
      readonly closedOn?: string;
    };

export const initialCard: Card = { status: 'none' };

export const CARD_NUMBER = /^[A-Z0-9][A-Z0-9-]{3,19}$/;

export function cardStreamId(cardNumber: string): string {
  return `card-${cardNumber}`;
}

export type CardRule = 'CardNumberTaken' | 'CardNotIssued' | 'CardRevoked' | 'CardAlreadyReplaced' | 'InvalidInput';

/** Whether the card covers `date`: issued, not closed before it, inside its validity. */
export function cardValidOn(card: Card, date: string): boolean {
  if (card.status === 'none' || date < card.validFrom || date > card.validTo) return false;
  return card.closedOn === undefined || date < card.closedOn;
}

/**
 * A card presented for a service (an admission, a claim) must be the beneficiary's own and valid
 * on the service date; otherwise the command is refused under `rule`, naming the card.
 */
export function requirePresentedCard(
  card: Card,
  presented: { readonly cardNumber?: string; readonly beneficiaryId?: string; readonly date: string },
  rule: string,
): void {
  if (card.status === 'none') throw new RuleViolated('UnknownCard', `no card ${presented.cardNumber} was issued`, 'cardNumber');
  if (card.beneficiaryId === presented.beneficiaryId && cardValidOn(card, presented.date)) return;
  throw new RuleViolated(rule, `card ${presented.cardNumber} is not a valid card of beneficiary ${presented.beneficiaryId} on ${presented.date}`, 'cardNumber');
}

export function evolve(state: Card, event: CardEvent): Card {
  switch (event.type) {
    case 'CardIssued':
      return {
        status: 'valid',
        cardNumber: event.data.cardNumber,
        beneficiaryId: event.data.beneficiaryId,
        validFrom: event.data.validFrom,
        validTo: event.data.validTo,
      };
    case 'CardReplaced':
      return state.status === 'none' ? state : { ...state, status: 'replaced', closedOn: event.data.on };
    case 'CardRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked', closedOn: event.data.on };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

function invalid(field: string, message: string): RuleViolated<CardRule> {
  return new RuleViolated<CardRule>('InvalidInput', message, field);
}

export function decide(command: CardCommand, state: Card): CardEvent[] {
  switch (command.type) {
    case 'IssueCard': {
      const data = command.data;
      if (state.status !== 'none') throw new RuleViolated<CardRule>('CardNumberTaken', `card number ${state.cardNumber} is already issued`, 'cardNumber');
      if (!CARD_NUMBER.test(data.cardNumber)) throw invalid('cardNumber', 'card number must be 4–20 capital letters, digits or dashes');
      requireText(data.beneficiaryId, 'beneficiaryId');
      requireDate(data.validFrom, 'validFrom');
      requireDate(data.validTo, 'validTo');
      if (data.validTo < data.validFrom) throw invalid('validTo', 'validTo must not be before validFrom');
      return [{ type: 'CardIssued', data }];
    }
    case 'ReissueCard': {
      if (state.status === 'none') throw new RuleViolated<CardRule>('CardNotIssued', 'no card with this number was issued');
      if (state.status === 'revoked')
        throw new RuleViolated<CardRule>('CardRevoked', `card ${state.cardNumber} was revoked on ${state.closedOn} and cannot be reissued`);
      if (state.status === 'replaced')
        throw new RuleViolated<CardRule>('CardAlreadyReplaced', `card ${state.cardNumber} was already replaced on ${state.closedOn}`);
      const { newCardNumber, reason, on } = command.data;
      if (!REISSUE_REASONS.includes(reason)) throw invalid('reason', `reason must be one of ${REISSUE_REASONS.join(', ')}`);
      if (!CARD_NUMBER.test(newCardNumber) || newCardNumber === state.cardNumber)
        throw invalid('newCardNumber', 'the new card needs a new, well-formed number');
      requireDate(on, 'on');
      const newCardValidTo = command.data.validTo ?? state.validTo;
      requireDate(newCardValidTo, 'validTo');
      if (newCardValidTo < on) throw invalid('validTo', 'the new card must be valid on the day it is issued');
      return [{ type: 'CardReplaced', data: { byCardNumber: newCardNumber, reason, on, newCardValidTo } }];
    }
    case 'RevokeCard': {
      if (state.status === 'none') throw new RuleViolated<CardRule>('CardNotIssued', 'no card with this number was issued');
      if (state.status === 'revoked') return [];
      if (state.status === 'replaced')
        throw new RuleViolated<CardRule>('CardAlreadyReplaced', `card ${state.cardNumber} was replaced on ${state.closedOn}; revoke its replacement instead`);
      requireText(command.data.reason, 'reason');
      requireDate(command.data.on, 'on');
      return [{ type: 'CardRevoked', data: command.data }];
    }
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
