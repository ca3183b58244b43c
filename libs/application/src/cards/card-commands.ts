import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Beneficiaries, Cards, RuleViolated } from '#domain';
import { beneficiaryAggregate, beneficiaryStreamId } from '../beneficiaries/beneficiary-commands.js';
import { type CommandContext, EventSourcing, requireRole } from '../event-sourcing.js';

export const cardAggregate = { evolve: Cards.evolve, initial: Cards.initialCard };

type Issue = Extract<Cards.CardCommand, { type: 'IssueCard' }>['data'];

/** Cards go to beneficiaries on the register. */
async function requireRegistered(sourcing: EventSourcing, beneficiaryId: string): Promise<void> {
  const { state } = await sourcing.load(beneficiaryStreamId(beneficiaryId), beneficiaryAggregate.evolve, beneficiaryAggregate.initial);
  if (state.status !== 'registered') throw new RuleViolated<Beneficiaries.BeneficiaryRule>('NotEnrolled', `no beneficiary ${beneficiaryId} on the register`, 'beneficiaryId');
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
        await requireRegistered(this.sourcing, card.beneficiaryId);
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
    readonly reissue: Extract<Cards.CardCommand, { type: 'ReissueCard' }>['data'] & { readonly validTo?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A reissue opens the new number (refused if taken) and closes the old card as replaced; the
 * new card is valid from the reissue date until the old card's end unless told otherwise.
 */
@CommandHandler(ReissueCard)
export class ReissueCardHandler implements ICommandHandler<ReissueCard> {
  constructor(@Inject(EventSourcing) private readonly sourcing: EventSourcing) {}

  async execute({ cardNumber, reissue, context }: ReissueCard): Promise<Cards.Card> {
    requireRole(context.actor, 'keepCards', 'reissuing a card');
    return this.sourcing.retrying(async () => {
      const old = await this.sourcing.load(Cards.cardStreamId(cardNumber), cardAggregate.evolve, cardAggregate.initial, context);
      const fresh = await this.sourcing.load(Cards.cardStreamId(reissue.newCardNumber), cardAggregate.evolve, cardAggregate.initial, context);
      if (old.alreadyHandled) return fresh.state;
      const { validTo, ...command } = reissue;
      const replaced = Cards.decide({ type: 'ReissueCard', data: command }, old.state);
      // The reissue was decided, so the old card exists.
      const oldCard = old.state as Exclude<Cards.Card, { status: 'none' }>;
      const issued = fresh.alreadyHandled
        ? []
        : Cards.decide(
            {
              type: 'IssueCard',
              data: {
                cardNumber: reissue.newCardNumber,
                beneficiaryId: oldCard.beneficiaryId,
                validFrom: reissue.on,
                validTo: validTo ?? oldCard.validTo,
                replaces: { cardNumber, reason: reissue.reason },
              },
            },
            fresh.state,
          );
      await this.sourcing.append(fresh, issued, context);
      await this.sourcing.append(old, replaced, context);
      return issued.reduce(cardAggregate.evolve, fresh.state);
    });
  }
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
    const { state } = await this.sourcing.decideOn(Cards.cardStreamId(cardNumber), cardAggregate, (current) => Cards.decide({ type: 'RevokeCard', data: revocation }, current), context);
    return state;
  }
}
