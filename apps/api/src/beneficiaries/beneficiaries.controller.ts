import { applyDecorators, Body, Controller, HttpCode, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches } from 'class-validator';
import { AggregateReader, type CommandContext, CoverageEnds, EnrolBeneficiary, ErasePersonalData, PersonalDataReads, UpdateBeneficiary } from '#application';
import { type BeneficiaryGroup, BENEFICIARY_GROUPS, Beneficiaries } from '#domain';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, YearField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { CoverageEndPreviewBody } from '../retroactivity/retroactivity.views.js';
import { AnnualLedgerView, BeneficiaryBody, BeneficiaryView, CoverageEndBody, EnrolledBody, ErasedBody, GroupOnBody } from './beneficiary.views.js';

const GroupField = () =>
  applyDecorators(ApiProperty({ description: 'Beneficiary group (Đối tượng) 1–6', enum: BENEFICIARY_GROUPS }), IsInt(), IsIn(BENEFICIARY_GROUPS));

class Enrolment {
  @TextField('Full name', 'Hoàng Văn Bình') fullName!: string;
  @DateField('Date of birth') dateOfBirth!: string;
  @ApiProperty({ description: '12-digit citizen identity number; unique in the province', example: '020068001234' })
  @Matches(/^\d{12}$/, { message: 'nationalId must be 12 digits' })
  nationalId!: string;
  @TextField('Title or position', 'Bí thư Huyện ủy') title!: string;
  @TextField('Administrative unit', 'Huyện Cao Lộc') administrativeUnit!: string;
  @GroupField() group!: BeneficiaryGroup;
  @DateField('In the group from') from!: string;
}

class PositionChange {
  @TextField('New title or position', 'Phó Chủ tịch UBND tỉnh') title!: string;
  @TextField('Administrative unit', 'UBND tỉnh Lạng Sơn') administrativeUnit!: string;
  @DateField('Holds it from') from!: string;
}

class Reclassification {
  @GroupField() group!: BeneficiaryGroup;
  @DateField('Effective from') from!: string;
  @TextField('Why', 'Appointed to a title of group 2') reason!: string;
  @TextField('Number of the decision', '123/QĐ-UBND') decisionNumber!: string;
}

class DatedFact {
  @DateField('On') on!: string;
}

class Removal {
  @DateField('On') on!: string;
  @TextField('Why', 'Moved out of the province') reason!: string;
}

class Erasure {
  @TextField('Why (the request, or the legal ground)', 'Request of 2026-03-02 under the Personal Data Protection Law') reason!: string;
}

class LedgerPath {
  @ApiProperty({ description: 'The beneficiary' }) @IsString() id!: string;
  @ApiProperty({ description: 'Regime id in the policy version', example: 'g' }) @IsString() regimeId!: string;
  @YearField('The year') year!: number;
}

@ApiTags('beneficiaries')
@SignedIn()
@Controller('beneficiaries')
export class BeneficiariesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(CoverageEnds) private readonly coverageEnds: CoverageEnds,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  @Post()
  @Allowed('keepRegister')
  @Operation({
    id: 'enrolBeneficiary',
    summary: 'Enrol a beneficiary in the register',
    description: '409 NationalIdTaken: the national id is on the register already.',
    answer: EnrolledBody,
    created: true,
    errors: ['invalid', 'conflict'],
  })
  enrol(@Body() body: Enrolment, @Ctx() context: CommandContext) {
    return this.commands.execute(new EnrolBeneficiary(body, context));
  }

  /** One person's record and its history; the read is recorded (see GET /audit/personal-data-reads). */
  @Get(':id')
  @Operation({
    id: 'getBeneficiary',
    summary: 'One beneficiary’s record and its history (the read is recorded)',
    answer: BeneficiaryView,
    errors: ['invalid', 'missing'],
  })
  async show(@Param('id') id: string, @Ctx() context: CommandContext) {
    const view = await this.reader.beneficiary(id);
    await this.reads.record(context.actor, 'beneficiary', id);
    return view;
  }

  /** The group held on a date (valid time), as every entitlement uses it. */
  @Get(':id/group')
  @Operation({ id: 'getBeneficiaryGroupOn', summary: 'The group a beneficiary held on a date', answer: GroupOnBody, errors: ['invalid', 'missing'] })
  async groupOn(@Param('id') id: string, @Query() query: DatedFact, @Ctx() context: CommandContext) {
    const { state } = await this.reader.beneficiary(id);
    await this.reads.record(context.actor, 'group', id);
    return { on: query.on, group: Beneficiaries.groupOn(state, query.on) ?? null };
  }

  /** What the beneficiary has used of one regime in one year (annual cap, yearly limit): their health care, so the read is recorded. */
  @Get(':id/annual-ledgers/:regimeId/:year')
  @Operation({
    id: 'getAnnualLedger',
    summary: 'What a beneficiary has used of one regime in one year',
    answer: AnnualLedgerView,
    errors: ['invalid', 'missing'],
  })
  async annualLedger(@Param() { id, regimeId, year }: LedgerPath, @Ctx() context: CommandContext) {
    const ledger = await this.reader.annualLedger(id, regimeId, year);
    await this.reads.record(context.actor, 'annual-ledger', id);
    return ledger;
  }

  /**
   * Erases the person's name, national id and date of birth (their key is destroyed): the register
   * shows them as erased; their stays, claims and payouts stay, as accounting records must.
   */
  @Post(':id/erasure')
  @Operation({
    id: 'erasePersonalData',
    summary: 'Erase a beneficiary’s name, national id and date of birth',
    answer: ErasedBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('erasePersonalData')
  @HttpCode(200)
  async erase(@Param('id') id: string, @Body() body: Erasure, @Ctx() context: CommandContext) {
    await this.commands.execute(new ErasePersonalData(id, body.reason, context));
    return { beneficiaryId: id, personalDataErased: true };
  }

  @Post(':id/position-changes')
  @Operation({
    id: 'changeBeneficiaryPosition',
    summary: 'Record a new title or unit from a date',
    answer: BeneficiaryBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('keepRegister')
  @HttpCode(200)
  changePosition(@Param('id') id: string, @Body() body: PositionChange, @Ctx() context: CommandContext) {
    return this.commands.execute(new UpdateBeneficiary(id, { type: 'ChangePosition', data: { ...body } }, context));
  }

  @Post(':id/reclassifications')
  @Operation({
    id: 'reclassifyBeneficiary',
    summary: 'Move a beneficiary to another group from a date, by a decision',
    answer: BeneficiaryBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('keepRegister')
  @HttpCode(200)
  reclassify(@Param('id') id: string, @Body() body: Reclassification, @Ctx() context: CommandContext) {
    return this.commands.execute(new UpdateBeneficiary(id, { type: 'ReclassifyBeneficiary', data: { ...body } }, context));
  }

  @Post(':id/retirement')
  @Operation({ id: 'recordRetirement', summary: 'Record a beneficiary’s retirement', answer: BeneficiaryBody, errors: ['invalid', 'missing', 'conflict'] })
  @Allowed('keepRegister')
  @HttpCode(200)
  retire(@Param('id') id: string, @Body() body: DatedFact, @Ctx() context: CommandContext) {
    return this.commands.execute(new UpdateBeneficiary(id, { type: 'RecordRetirement', data: { on: body.on } }, context));
  }

  /**
   * Records a death, however late it is learnt: stays and claims served after that day are
   * recomputed, and each records its recovery for an approver (`adjustments` counts them).
   */
  @Post(':id/death')
  @Operation({
    id: 'recordDeath',
    summary: 'Record a death; what was paid for services after it is recomputed',
    answer: CoverageEndBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('keepRegister')
  @HttpCode(200)
  decease(@Param('id') id: string, @Body() body: DatedFact, @Ctx() context: CommandContext) {
    return this.coverageEnds.record(id, { type: 'RecordDeath', data: { on: body.on } }, context);
  }

  /** What recording the death would recover; records nothing. */
  @Post(':id/death/preview')
  @Operation({
    id: 'previewDeath',
    summary: 'What recording the death would recover (records nothing)',
    answer: CoverageEndPreviewBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('keepRegister')
  @HttpCode(200)
  previewDeath(@Param('id') id: string, @Body() body: DatedFact, @Ctx() context: CommandContext) {
    return this.coverageEnds.preview(id, { type: 'RecordDeath', data: { on: body.on } }, context.actor);
  }

  /** Removes from the register from a date, possibly past: what was paid for services from then is recomputed, as for a death. */
  @Post(':id/removal')
  @Operation({
    id: 'removeFromRegister',
    summary: 'Remove a beneficiary from the register from a date; later services are recomputed',
    answer: CoverageEndBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('keepRegister')
  @HttpCode(200)
  remove(@Param('id') id: string, @Body() body: Removal, @Ctx() context: CommandContext) {
    return this.coverageEnds.record(id, { type: 'RemoveFromRegister', data: { on: body.on, reason: body.reason } }, context);
  }

  /** What the removal would recover; records nothing. */
  @Post(':id/removal/preview')
  @Operation({
    id: 'previewRemoval',
    summary: 'What the removal would recover (records nothing)',
    answer: CoverageEndPreviewBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('keepRegister')
  @HttpCode(200)
  previewRemoval(@Param('id') id: string, @Body() body: Removal, @Ctx() context: CommandContext) {
    return this.coverageEnds.preview(id, { type: 'RemoveFromRegister', data: { on: body.on, reason: body.reason } }, context.actor);
  }
}
