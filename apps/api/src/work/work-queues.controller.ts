import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type CommandContext, PersonalDataReads } from '#application';
import { REGIME_CODES } from '#domain';
import { approvalQueue, auditTrail } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, WholeNumberField } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { AnyJson, Count } from '../http/views.js';

class Page {
  @WholeNumberField('At most this many items (50 by default)', 1, 500, true) limit?: number;
  @WholeNumberField('Items skipped before the first one answered', 0, 1_000_000_000, true) offset?: number;
}

class ApprovalQuery extends Page {
  @ApiPropertyOptional({ enum: ['admission', 'claim'] }) @IsOptional() @IsIn(['admission', 'claim']) kind?: 'admission' | 'claim';
  @ApiPropertyOptional({ enum: REGIME_CODES }) @IsOptional() @IsIn(REGIME_CODES) regimeCode?: string;
  @WholeNumberField('Beneficiary group (Đối tượng) on the service date', 1, 6, true) group?: number;
}

class TrailQuery extends Page {
  @TextField('Only what this user did', 'approver.minh', true) actor?: string;
  @TextField('Only this step (event type)', 'PayoutPaid', true) step?: string;
  @TextField('Only what concerns this beneficiary', '3f0c1a2e-…', true) beneficiaryId?: string;
  @DateField('Recorded on or after this day (Vietnam time)', true) from?: string;
  @DateField('Recorded on or before this day (Vietnam time)', true) to?: string;
}

class PageBody {
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) items!: unknown[];
  @Count('Items matching, on every page') total!: number;
  @Count('Items skipped') offset!: number;
  @Count('Page size') limit!: number;
}

class ApprovalQueueBody extends PageBody {
  @AnyJson('Stays (kind admission: visit and meals entitled, with policy version, clause, rate, days) and claims (kind claim: facts)') declare items: unknown[];
}

class AuditTrailBody extends PageBody {
  @AnyJson('Steps: position, subjectKind, subjectId, step, actor, recordedAt, beneficiaryId, details') declare items: unknown[];
}

/** What waits for whom: the approver's queue; and what was done, by whom, for auditors. */
@ApiTags('work queues')
@SignedIn()
@Controller()
export class WorkQueuesController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  /** Stays and claims awaiting a decision that the caller took no part in recording: theirs to approve. */
  @Get('approvals/queue')
  @Operation({ id: 'approvalQueue', summary: 'Stays and claims awaiting my approval, with their computation', answer: ApprovalQueueBody, errors: ['invalid'] })
  @Allowed('decideClaims')
  async approvals(@Query() query: ApprovalQuery, @Ctx() context: CommandContext) {
    const page = await approvalQueue(this.runtime.pool, context.actor.username, query);
    await this.reads.record(
      context.actor,
      'approval-queue',
      page.items.map((item) => item.beneficiaryId).filter((id): id is string => id !== null),
    );
    return page;
  }

  @Get('audit/trail')
  @Operation({ id: 'auditTrail', summary: 'Who did what to stays, claims and payouts, when; latest first', answer: AuditTrailBody, errors: ['invalid'] })
  @Allowed('readAuditTrail')
  trail(@Query() query: TrailQuery) {
    return auditTrail(this.runtime.pool, query);
  }
}
