import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Beneficiaries, Cards, RuleViolated } from '#domain';
import { namedBeneficiary } from '../beneficiaries/beneficiary-commands.js';
import { type CommandContext, EventSourcing, followUp, NotFound, requireRole } from '../event-sourcing.js';

export const cardAggregate = { evolve: Cards.evolve, initial: Cards.initialCard };

/** The state of the card a service names (the initial state when none is named). */
export async function cardOf(sourcing: EventSourcing, cardNumber: string | undefined): Promise<Cards.Card> {
  return cardNumber ? (await sourcing.load(Cards.cardStreamId(cardNumber), cardAggregate.evolve, cardAggregate.initial)).state : cardAggregate.initial;
}

type Issue = Extract<Cards.CardCommand, { type: 'IssueCard' }>['data'];

/** Cards go to beneficiaries on the register, holding a group on the day the card takes effect. */
async function requireRegistered(sourcing: EventSourcing, beneficiaryId: string, on: string): Promise<void> {
  const state = await namedBeneficiary(sourcing, beneficiaryId);
  if (state.status !== 'registered')
    throw new RuleViolated<Beneficiaries.BeneficiaryRule>('NotEnrolled', `no beneficiary ${beneficiaryId} on the register`, 'beneficiaryId');
  if (Beneficiaries.groupOn(state, on) === undefined)
    throw new RuleViolated('NotABeneficiaryOnDate', `beneficiary ${beneficiaryId} holds no group on ${on}`, 'validFrom');
}

export class IssueCard extends Command<Cards.Card> {
  constructor(
    readonly card: Omit<Issue, 'replaces'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(IssueCard)
export class IssueCardHandler implements ICommandHandler<IssueCard> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ card, context }: IssueCard): Promise<Cards.Card> {
    requireRole(context.actor, 'keepCards', 'issuing a card');
    const issued = await this.sourcing.decideOn(
      Cards.cardStreamId(card.cardNumber),
      cardAggregate,
      async (current) => {
        const events = Cards.decide({ type: 'IssueCard', data: card }, current);
        await requireRegistered(this.sourcing, card.beneficiaryId, card.validFrom);
        return events;
      },
      context,
    );
    return issued.state;
  }
}

export class ReissueCard extends Command<Cards.Card> {
  constructor(
    readonly cardNumber: string,
    readonly reissue: Extract<Cards.CardCommand, { type: 'ReissueCard' }>['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A reissue closes the old card as replaced, then opens the new number. Both are decided before
 * either is written; the old card's stream is written first, on the revision it was decided on, so
 * a revocation racing the reissue wins or loses cleanly. The new card is issued from what the old
 * card's `CardReplaced` says, so whatever command comes next on an interrupted reissue finishes it.
 */
@CommandHandler(ReissueCard)
export class ReissueCardHandler implements ICommandHandler<ReissueCard> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ cardNumber, reissue, context }: ReissueCard): Promise<Cards.Card> {
    requireRole(context.actor, 'keepCards', 'reissuing a card');
    return this.sourcing.retrying(async () => {
      const old = await this.sourcing.load(Cards.cardStreamId(cardNumber), cardAggregate.evolve, cardAggregate.initial, context);
      if (old.state.status === 'none') throw new NotFound(`no card ${cardNumber}`);
      const earlier = [...old.events].reverse().find((event) => event.type === 'CardReplaced');
      if (earlier) {
        const finished = await this.finishReissue(old.state, earlier.data as ReplacedData, context);
        if (old.alreadyHandled) return finished;
      }
      const replaced = Cards.decide({ type: 'ReissueCard', data: reissue }, old.state);
      // The reissue was decided, so the old card exists.
      const oldCard = old.state;
      const fresh = await this.sourcing.load(Cards.cardStreamId(reissue.newCardNumber), cardAggregate.evolve, cardAggregate.initial);
      Cards.decide({ type: 'IssueCard', data: newCardOf(oldCard, replaced[0].data as ReplacedData) }, fresh.state);
      await requireRegistered(this.sourcing, oldCard.beneficiaryId, reissue.on);
      await this.sourcing.append(old, replaced, context);
      return this.finishReissue(oldCard, replaced[0].data as ReplacedData, context);
    });
  }

  /** Issues the card a `CardReplaced` names, unless it is issued already; the new card's state. */
  private async finishReissue(old: Cards.Card, replaced: ReplacedData, context: CommandContext): Promise<Cards.Card> {
    const { state } = await this.sourcing.decideOn(
      Cards.cardStreamId(replaced.byCardNumber),
      cardAggregate,
      (current) =>
        current.status === 'none'
          ? Cards.decide({ type: 'IssueCard', data: newCardOf(old as Exclude<Cards.Card, { status: 'none' }>, replaced) }, current)
          : [],
      followUp(context, 'new-card'),
    );
    return state;
  }
}

type ReplacedData = Extract<Cards.CardEvent, { type: 'CardReplaced' }>['data'];

function newCardOf(old: Exclude<Cards.Card, { status: 'none' }>, data: ReplacedData): Issue {
  return {
    cardNumber: data.byCardNumber,
    beneficiaryId: old.beneficiaryId,
    validFrom: data.on,
    validTo: data.newCardValidTo,
    replaces: { cardNumber: old.cardNumber, reason: data.reason },
  };
}

export class RevokeCard extends Command<Cards.Card> {
  constructor(
    readonly cardNumber: string,
    readonly revocation: Extract<Cards.CardCommand, { type: 'RevokeCard' }>['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RevokeCard)
export class RevokeCardHandler implements ICommandHandler<RevokeCard> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ cardNumber, revocation, context }: RevokeCard): Promise<Cards.Card> {
    requireRole(context.actor, 'keepCards', 'revoking a card');
    const { state } = await this.sourcing.decideOn(
      Cards.cardStreamId(cardNumber),
      cardAggregate,
      (current) => {
        if (current.status === 'none') throw new NotFound(`no card ${cardNumber}`);
        return Cards.decide({ type: 'RevokeCard', data: revocation }, current);
      },
      context,
    );
    return state;
  }
}
