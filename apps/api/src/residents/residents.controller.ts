import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ActOnResident, AggregateReader, type CommandContext, PersonalDataReads, RecordHealthCheck, RegisterResident } from '#application';
import type { Residents } from '#domain';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { AggregateViewOf, Count, Day, Text, Vnd } from '../http/views.js';

class Registration {
  @TextField('Full name', 'K’Bria Ha Mai') fullName!: string;
  @DateField('Date of birth') dateOfBirth!: string;
  @TextField('National id number (12 digits); one resident per number', '068181001234') nationalId!: string;
  @TextField('The administrative unit they live in: a unit of the registry on `from`', 'Xã Đam Rông 1') residenceUnit!: string;
  @DateField('Living there from') from!: string;
}

class ResidenceChange {
  @TextField('The administrative unit they live in from `from`', 'Phường Xuân Hương - Đà Lạt') residenceUnit!: string;
  @DateField('Living there from (not after today)') from!: string;
}

class HealthCheck {
  @TextField('The programme whose version in force on the date pays the check', 'universal-health-check') programme!: string;
  @TextField('The facility that performed the check, and is paid for it', 'Trạm Y tế xã Đam Rông 1') facility!: string;
  @DateField('Checked on (not after today)') checkedOn!: string;
  @TextField('The kind of check, by its id in the version in force', 'sang-loc') checkKind!: string;
}

class ResidentChangeReason {
  @TextField('Why', 'Recorded for the wrong person') reason!: string;
}

class CancelledCheckBody {
  @Text('Why it was cancelled', 'Recorded for the wrong person') reason!: string;
  @Text('Who cancelled it', 'lan') by!: string;
}

class ResidentRegisteredBody {
  @Text('The resident; the same for the same national id number', '3f0c1a2e-…') residentId!: string;
}

class HealthCheckRecordedBody {
  @Text('The check', '9a4e…') checkId!: string;
  @Text('The resident', '3f0c1a2e-…') residentId!: string;
  @Text('The facility, paid for the check', 'Trạm Y tế xã Đam Rông 1') facility!: string;
  @Day('Checked on') checkedOn!: string;
  @Text('The kind of check', 'sang-loc') checkKind!: string;
  @Text('The age band the resident was in on the day', '40-59') ageBand!: string;
  @Text('The unit the check counts under: where the resident lived on the day (after any merger)', 'Xã Đam Rông 1') administrativeUnit!: string;
  @Vnd('Payable to the facility') amount!: number;
  @Text('The programme', 'universal-health-check') programme!: string;
  @Text('The policy version in force on the day', 'lam-dong/kham-suc-khoe-toan-dan/2026') policyVersionId!: string;
  @Text('The passage of the legal text it rests on', 'Chương trình hành động thực hiện Nghị quyết số 72-NQ/TW, mục II.2.1') clause!: string;
  @Text('Who recorded it', 'lan') recordedBy!: string;
}

class ResidenceBody {
  @Text('Unit', 'Xã Đam Rông 1') unit!: string;
  @Day('From') from!: string;
}

class RecordedCheckBody {
  @Text('The check', '9a4e…') checkId!: string;
  @Day('Checked on') checkedOn!: string;
  @Text('The kind of check', 'sang-loc') checkKind!: string;
  @Text('The facility', 'Trạm Y tế xã Đam Rông 1') facility!: string;
  @Vnd('Payable to the facility') amount!: number;
  @Text('The policy version', 'lam-dong/kham-suc-khoe-toan-dan/2026') policyVersionId!: string;
  @ApiProperty({ type: CancelledCheckBody, required: false, description: 'Present when the check was cancelled: it is neither paid nor counted' })
  cancelled?: CancelledCheckBody;
}

/** A resident's record after a change: where they lived from when, and their checks; nothing personal. */
class ResidentBody {
  @ApiProperty({ enum: ['registered'] }) status!: string;
  @Text('The resident', '3f0c1a2e-…') residentId!: string;
  @ApiProperty({ type: [ResidenceBody] }) residences!: ResidenceBody[];
  @ApiProperty({ type: [RecordedCheckBody] }) checks!: RecordedCheckBody[];
  @Count('Checks that stand') standing!: number;
  @ApiProperty({ required: false, description: 'The person’s name, national id and date of birth were erased' }) erased?: boolean;
}

class ResidentStateBody {
  @ApiProperty({ enum: ['registered'] }) status!: string;
  @Text('The resident', '3f0c1a2e-…') residentId!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Personal data: null once erased' }) dateOfBirth!: string | null;
  @ApiProperty({ type: [ResidenceBody] }) residences!: ResidenceBody[];
  @ApiProperty({ type: [RecordedCheckBody] }) checks!: RecordedCheckBody[];
  @ApiProperty({ required: false, description: 'The person’s name, national id and date of birth were erased' }) erased?: boolean;
}

const ResidentView = AggregateViewOf('ResidentView', ResidentStateBody);

/** The record as a change answers it: the date of birth is personal and stays out of it (a read of it is recorded, see GET). */
function afterChange(state: Residents.Resident) {
  if (state.status === 'unknown') return state;
  const { dateOfBirth: _dateOfBirth, ...rest } = state;
  return { ...rest, standing: rest.checks.filter((check) => !check.cancelled).length };
}

/**
 * Residents of a province running a universal health check, and their checks: registered and
 * moved by the clerks keeping the register, checks recorded (and cancelled when recorded wrongly)
 * by clerks as the facilities report them.
 */
@ApiTags('residents and health checks')
@SignedIn()
@Controller('residents')
export class ResidentsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  @Post()
  @Allowed('keepRegister')
  @Operation({
    id: 'registerResident',
    summary: 'Register a resident: personal data sealed as beneficiaries’ is, where they live from when',
    description: '404 for a residence unit the registry does not hold on `from`; 409 AlreadyRegistered for a national id number already registered.',
    answer: ResidentRegisteredBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  register(@Body() body: Registration, @Ctx() context: CommandContext) {
    return this.commands.execute(new RegisterResident({ ...body }, context));
  }

  /** The record and its history, names and all: the read is recorded (see GET /audit/personal-data-reads). */
  @Get(':id')
  @Operation({
    id: 'getResident',
    summary: 'One resident’s record, checks and history (the read is recorded)',
    answer: ResidentView,
    errors: ['invalid', 'missing'],
  })
  async show(@Param('id') id: string, @Ctx() context: CommandContext) {
    const view = await this.reader.resident(id);
    await this.reads.record(context.actor, 'resident', id);
    return view;
  }

  @Post(':id/residence-changes')
  @Allowed('keepRegister')
  @HttpCode(200)
  @Operation({
    id: 'changeResidence',
    summary: 'Record that a resident lives elsewhere from a date',
    answer: ResidentBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  async move(@Param('id') id: string, @Body() body: ResidenceChange, @Ctx() context: CommandContext) {
    return afterChange(await this.commands.execute(new ActOnResident(id, { type: 'ChangeResidence', data: { ...body } }, context)));
  }

  @Post(':id/health-checks')
  @Allowed('recordHealthChecks')
  @Operation({
    id: 'recordHealthCheck',
    summary: 'Record a check or screening: the fee payable to the facility under the programme’s version in force on its date',
    description:
      '409 NoPolicyInForce, UnknownCheckKind, ResidenceOutOfScope, NotYetEligible (a priority area’s or everyone’s start), AgeNotCovered, CheckKindNotOffered, YearlyLimitReached, DateInFuture, BeforeRegistration, PersonalDataErased, each naming the field that decided it. Refused, nothing is recorded.',
    answer: HealthCheckRecordedBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  record(@Param('id') id: string, @Body() body: HealthCheck, @Ctx() context: CommandContext) {
    return this.commands.execute(new RecordHealthCheck(id, { ...body }, context));
  }

  @Post(':id/health-checks/:checkId/cancellation')
  @Allowed('recordHealthChecks')
  @HttpCode(200)
  @Operation({
    id: 'cancelHealthCheck',
    summary: 'Cancel a check recorded wrongly, with the reason: it is no longer payable nor counted against the year',
    answer: ResidentBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  async cancel(@Param('id') id: string, @Param('checkId') checkId: string, @Body() body: ResidentChangeReason, @Ctx() context: CommandContext) {
    return afterChange(await this.commands.execute(new ActOnResident(id, { type: 'CancelHealthCheck', data: { checkId, reason: body.reason } }, context)));
  }

  /** As for beneficiaries: the key is destroyed; the checks stay, as accounting records must. */
  @Post(':id/erasure')
  @Allowed('erasePersonalData')
  @HttpCode(200)
  @Operation({
    id: 'eraseResidentPersonalData',
    summary: 'Erase a resident’s name, national id and date of birth',
    answer: ResidentBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  async erase(@Param('id') id: string, @Body() body: ResidentChangeReason, @Ctx() context: CommandContext) {
    return afterChange(await this.commands.execute(new ActOnResident(id, { type: 'EraseResidentPersonalData', data: { reason: body.reason } }, context)));
  }
}
