import { Body, Controller, HttpCode, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AggregateReader, type CommandContext, IssueCard, ReissueCard, RevokeCard } from '#application';
import type { Cards } from '#domain';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { CardBody, CardView } from '../claims/claim.views.js';

class Issue {
  @TextField('Card number, unique in the province: 4–20 capital letters, digits or dashes', 'LS-2025-00001') cardNumber!: string;
  @TextField('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @DateField('Valid from') validFrom!: string;
  @DateField('Valid to (inclusive)') validTo!: string;
}

class Reissue {
  @TextField('Number of the new card', 'LS-2025-00002') newCardNumber!: string;
  @ApiProperty({ enum: ['lost', 'damaged', 'title-change'] }) @IsIn(['lost', 'damaged', 'title-change']) reason!: Cards.ReissueReason;
  @DateField('Reissued on; the new card is valid from this day') on!: string;
  @DateField("The new card's last day; the old card's by default", true) validTo?: string;
}

class Revocation {
  @TextField('Why', 'No longer holds a covered title') reason!: string;
  @DateField('Revoked on') on!: string;
}

@ApiTags('cards')
@SignedIn()
@Controller('cards')
export class CardsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
  ) {}

  @Post()
  @Allowed('keepCards')
  @Operation({
    id: 'issueCard',
    summary: 'Issue a health card to a beneficiary',
    description: '409 CardNumberTaken.',
    answer: CardBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  issue(@Body() body: Issue, @Ctx() context: CommandContext) {
    return this.commands.execute(new IssueCard({ ...body }, context));
  }

  @Get(':cardNumber')
  @Operation({ id: 'getCard', summary: 'One card and its history', answer: CardView, errors: ['invalid', 'missing'] })
  show(@Param('cardNumber') cardNumber: string) {
    return this.reader.card(cardNumber);
  }

  @Post(':cardNumber/reissue')
  @Allowed('keepCards')
  @Operation({
    id: 'reissueCard',
    summary: 'Reissue a card (lost, damaged, title change): the new card',
    answer: CardBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  reissue(@Param('cardNumber') cardNumber: string, @Body() body: Reissue, @Ctx() context: CommandContext) {
    return this.commands.execute(new ReissueCard(cardNumber, { ...body }, context));
  }

  @Post(':cardNumber/revocation')
  @Allowed('keepCards')
  @Operation({ id: 'revokeCard', summary: 'Revoke a card, with the reason', answer: CardBody, errors: ['invalid', 'missing', 'conflict'] })
  @HttpCode(200)
  revoke(@Param('cardNumber') cardNumber: string, @Body() body: Revocation, @Ctx() context: CommandContext) {
    return this.commands.execute(new RevokeCard(cardNumber, { ...body }, context));
  }
}
