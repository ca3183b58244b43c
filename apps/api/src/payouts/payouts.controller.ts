import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { AggregateReader, CollectRecovery, type CommandContext, PersonalDataReads, SettlePayout } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, VndField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { PayoutBody, PayoutView } from '../claims/claim.views.js';

class Payment {
  @TextField('Payment reference (bank transfer or voucher number)', 'UNC-2025-0815') reference!: string;
  @DateField('Paid on') paidOn!: string;

  @ApiPropertyOptional({
    description: 'Recoveries the same person owes, taken out of this payment as far as it goes, in this order (their payout ids)',
    type: [String],
    example: ['adjustment-6f1c…'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  offsets?: string[];
}

class Refund {
  @TextField('Receipt reference (cash receipt or bank credit)', 'PT-2025-0031') reference!: string;
  @DateField('Received on') receivedOn!: string;
  @VndField('Amount received; the whole rest owed when absent', true) amount?: number;
}

class WriteOff {
  @TextField('Why what is still owed is given up', 'Người hưởng đã mất, không để lại tài sản') reason!: string;
}

class Reversal {
  @TextField('Why', 'Paid to the wrong account') reason!: string;
  @DateField('Reversed on') on!: string;
}

@ApiTags('payouts')
@SignedIn()
@Controller('payouts')
export class PayoutsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  /** What was paid to whom, for which care: the read is recorded. */
  @Get(':id')
  @Operation({ id: 'getPayout', summary: 'One payout and its history (the read is recorded)', answer: PayoutView, errors: ['invalid', 'missing'] })
  async show(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.reads.recordView(context.actor, 'payout', await this.reader.payout(id), ({ state }) =>
      state.status === 'none' ? undefined : state.scheduled.beneficiaryId,
    );
  }

  @Post(':id/payment')
  @Operation({
    id: 'payPayout',
    summary: 'Record a payout as paid, offsetting recoveries the same person owes',
    answer: PayoutBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('settlePayouts')
  pay(@Param('id') id: string, @Body() body: Payment, @Ctx() context: CommandContext) {
    return this.commands.execute(new SettlePayout(id, { type: 'PayPayout', data: { ...body } }, context));
  }

  /** A refund receipt for a recovery: what the person paid back. */
  @Post(':id/refund')
  @Operation({ id: 'recordRefund', summary: 'Record what a person paid back of a recovery', answer: PayoutBody, errors: ['invalid', 'missing', 'conflict'] })
  @HttpCode(200)
  @Allowed('settlePayouts')
  refund(@Param('id') id: string, @Body() body: Refund, @Ctx() context: CommandContext) {
    return this.commands.execute(new CollectRecovery(id, { type: 'RecordRefund', data: { ...body } }, context));
  }

  /** What a recovery still owes, given up by an approver with a reason. */
  @Post(':id/write-off')
  @Operation({
    id: 'writeOffRecovery',
    summary: 'Give up what a recovery still owes, with the reason',
    answer: PayoutBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('writeOffRecoveries')
  writeOff(@Param('id') id: string, @Body() body: WriteOff, @Ctx() context: CommandContext) {
    return this.commands.execute(new CollectRecovery(id, { type: 'WriteOffRecovery', data: { ...body } }, context));
  }

  @Post(':id/reversal')
  @Operation({ id: 'reversePayout', summary: 'Reverse a payment, with the reason', answer: PayoutBody, errors: ['invalid', 'missing', 'conflict'] })
  @HttpCode(200)
  @Allowed('settlePayouts')
  reverse(@Param('id') id: string, @Body() body: Reversal, @Ctx() context: CommandContext) {
    return this.commands.execute(new SettlePayout(id, { type: 'ReversePayout', data: { ...body } }, context));
  }
}
