import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { type CommandContext, PersonalDataReads } from '#application';
import { auditEntries, auditTrail, readModelPosition } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, WholeNumberField } from '../http/fields.js';
import { PageOf, PageQuery, pageRequested } from '../http/paging.js';
import { Operation, SignedIn } from '../http/responses.js';
import { AuditEntryBody, PersonalDataReadBody } from '../reports/report.views.js';

class ReadsQuery {
  @TextField('Only reads of this beneficiary', 'b-1a2b3c', true) beneficiaryId?: string;
  @WholeNumberField('At most this many reads, latest first (100 by default)', 1, 1000, true) limit?: number;
}

class TrailQuery extends PageQuery {
  @TextField('Only what this user did', 'approver.minh', true) actor?: string;
  @ApiPropertyOptional({ description: 'Only this action: the type of the event it recorded', example: 'ClaimApproved', pattern: '^[A-Z][A-Za-z]{0,99}$' })
  @IsOptional()
  @Matches(/^[A-Z][A-Za-z]{0,99}$/, { message: 'action must be an event type, e.g. ClaimApproved' })
  action?: string;
  @TextField('Only what concerns this beneficiary (their record, stays, claims, payouts)', '3f0c1a2e-…', true) beneficiaryId?: string;
  @DateField('Only what was recorded on or after this day (in Vietnam)', true) from?: string;
  @DateField('Only what was recorded on or before this day (in Vietnam)', true) to?: string;
}

const AuditTrailPage = PageOf('AuditTrailPage', AuditEntryBody, 'What was done, the latest first');

@ApiTags('audit')
@SignedIn()
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /** Who did what and when, from the log; the facts themselves are read one aggregate at a time (GET /claims/{id}…). */
  @Get('trail')
  @Operation({
    id: 'listAuditTrail',
    summary: 'The audit trail: every recorded action with its user, roles, time and command id; by user, action, beneficiary and days, paged',
    answer: AuditTrailPage,
    errors: ['invalid'],
  })
  @Allowed('readAuditTrail')
  async trail(@Query() query: TrailQuery) {
    const { limit: _limit, offset: _offset, ...filter } = query;
    const page = await auditEntries(this.runtime.pool, filter, pageRequested(query));
    return { position: await readModelPosition(this.runtime.pool, [auditTrail]), ...page };
  }

  /** Who read whose personal data, when, and what. */
  @Get('personal-data-reads')
  @Operation({
    id: 'listPersonalDataReads',
    summary: 'Who read whose personal data, when, and what; latest first',
    answer: [PersonalDataReadBody],
    errors: ['invalid'],
  })
  @Allowed('readPersonalDataReads')
  personalDataReads(@Query() query: ReadsQuery, @Ctx() context: CommandContext) {
    return this.reads.list(context.actor, { ...(query.beneficiaryId ? { beneficiaryId: query.beneficiaryId } : {}), limit: query.limit ?? 100 });
  }
}
