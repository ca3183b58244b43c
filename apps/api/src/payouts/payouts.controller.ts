import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AggregateReader, type CommandContext, SettlePayout } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField } from '../http/fields.js';

class Payment {
  @TextField('Payment reference (bank transfer or voucher number)', 'UNC-2025-0815') reference!: string;
  @DateField('Paid on') paidOn!: string;
}

class Reversal {
  @TextField('Why', 'Paid to the wrong account') reason!: string;
  @DateField('Reversed on') on!: string;
}

@ApiTags('payouts')
@ApiBearerAuth()
@Controller('payouts')
export class PayoutsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
  ) {}

  @Get(':id')
  show(@Param('id') id: string) {
    return this.reader.payout(id);
  }

  @Post(':id/payment')
  @HttpCode(200)
  @Allowed('settlePayouts')
  pay(@Param('id') id: string, @Body() body: Payment, @Ctx() context: CommandContext) {
    return this.commands.execute(new SettlePayout(id, { type: 'PayPayout', data: { ...body } }, context));
  }

  @Post(':id/reversal')
  @HttpCode(200)
  @Allowed('settlePayouts')
  reverse(@Param('id') id: string, @Body() body: Reversal, @Ctx() context: CommandContext) {
    return this.commands.execute(new SettlePayout(id, { type: 'ReversePayout', data: { ...body } }, context));
  }
}
