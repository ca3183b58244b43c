import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ActOnAdmission, AggregateReader, type CommandContext, PersonalDataReads, RecordAdmission } from '#application';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, DeliberateRepeat, TextField, withDeliberation } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { AdmissionBody, AdmissionRecordedBody, AdmissionView } from '../claims/claim.views.js';

class Admission extends DeliberateRepeat {
  @TextField('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @TextField("The health card used: the beneficiary's, valid on the admission date", 'LS-2025-00001') cardNumber!: string;
  @TextField('Hospital', 'Bệnh viện Đa khoa tỉnh Lạng Sơn') facility!: string;
  @DateField('Admitted on (not after today)') admittedOn!: string;
}

class Discharge {
  @DateField('Discharged on (not after today)') dischargedOn!: string;
}

class DateCorrection {
  @DateField('Admitted on (not after today)') admittedOn!: string;
  @DateField('Discharged on (not after today)') dischargedOn!: string;
  @TextField('Why', 'Hospital certificate shows other dates') reason!: string;
}

class Rejection {
  @TextField('Why', 'Not an inpatient stay') reason!: string;
}

@ApiTags('admissions')
@SignedIn()
@Controller('admissions')
export class AdmissionsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  /** Refused when a date is after today (`DateInFuture`), the card is not valid (`CardNotValidOnServiceDate`), or the stay overlaps another (`OverlappingStay`, unless deliberate). */
  @Post()
  @Allowed('recordStays')
  @Operation({
    id: 'recordAdmission',
    summary: 'Record an admission to hospital',
    description: '409 DateInFuture, CardNotValidOnServiceDate, OverlappingStay (unless deliberate).',
    answer: AdmissionRecordedBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  record(@Body() body: Admission, @Ctx() context: CommandContext) {
    return this.commands.execute(new RecordAdmission(withDeliberation(body), context));
  }

  /** A stay in hospital is health data: the read is recorded. */
  @Get(':id')
  @Operation({ id: 'getAdmission', summary: 'One stay and its history (the read is recorded)', answer: AdmissionView, errors: ['invalid', 'missing'] })
  async show(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.reads.recordView(context.actor, 'admission', await this.reader.admission(id), ({ state }) =>
      state.status === 'none' ? undefined : state.beneficiaryId,
    );
  }

  /** Entitles the visit allowance (a) and the meal allowance (b). */
  @Post(':id/discharge')
  @Operation({
    id: 'recordDischarge',
    summary: 'Record the discharge: entitles the visit and meal allowances',
    answer: AdmissionBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('recordStays')
  discharge(@Param('id') id: string, @Body() body: Discharge, @Ctx() context: CommandContext) {
    return this.commands.execute(new ActOnAdmission(id, { type: 'RecordDischarge', data: { ...body } }, context));
  }

  @Post(':id/date-corrections')
  @Operation({
    id: 'correctAdmissionDates',
    summary: 'Correct a stay’s dates, with the reason',
    answer: AdmissionBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('recordStays')
  correct(@Param('id') id: string, @Body() body: DateCorrection, @Ctx() context: CommandContext) {
    return this.commands.execute(new ActOnAdmission(id, { type: 'CorrectAdmissionDates', data: { ...body } }, context));
  }

  /** An approver other than the stay's recorders; schedules one payout per allowance. */
  @Post(':id/approval')
  @Operation({
    id: 'approveAdmissionAllowances',
    summary: 'Approve a stay’s allowances (not by its recorders): schedules their payouts',
    answer: AdmissionBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  approve(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new ActOnAdmission(id, { type: 'ApproveAdmissionAllowances' }, context));
  }

  /** Approves the stay's pending adjustments (not by who recorded them); schedules a payout (or recovery) per adjustment that moves money. */
  @Post(':id/adjustments/approval')
  @Operation({
    id: 'approveAdmissionAdjustments',
    summary: 'Approve a stay’s pending adjustments (not by who recorded them)',
    answer: AdmissionBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  approveAdjustments(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new ActOnAdmission(id, { type: 'ApproveAdjustments' }, context));
  }

  @Post(':id/rejection')
  @Operation({
    id: 'rejectAdmissionAllowances',
    summary: 'Reject a stay’s allowances, with the reason',
    answer: AdmissionBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  reject(@Param('id') id: string, @Body() body: Rejection, @Ctx() context: CommandContext) {
    return this.commands.execute(new ActOnAdmission(id, { type: 'RejectAdmissionAllowances', data: { ...body } }, context));
  }
}
