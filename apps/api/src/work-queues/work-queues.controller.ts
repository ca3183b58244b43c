import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type CommandContext, PERMISSIONS, type Permission, PersonalDataReads, provinceToday } from '#application';
import { REGIME_CODES } from '#domain';
import {
  APPROVAL_KINDS,
  type ApprovalKind,
  approvalQueue,
  PAYMENT_KINDS,
  type PaymentKind,
  paymentQueue,
  queueCounts,
  readModelPosition,
  RECORD_KINDS,
  type RecordKind,
  recordsQueue,
} from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, WholeNumberField } from '../http/fields.js';
import { PageOf, PageQuery, pageRequested } from '../http/paging.js';
import { Operation, SignedIn } from '../http/responses.js';
import { ApprovalItemBody, PaymentItemBody, QueueCountsBody, RecordItemBody } from './work-queue.views.js';

class QueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REGIME_CODES, description: 'Only this regime (admissions are under a and b)' })
  @IsOptional()
  @IsIn(REGIME_CODES)
  regimeCode?: string;
  @WholeNumberField('Only beneficiaries in this group (Đối tượng) on the service date', 1, 6, true) group?: number;
  @TextField('Only beneficiaries of this administrative unit on the service date', 'Huyện Cao Lộc', true) unit?: string;
  @DateField('Only services on or after this date', true) serviceFrom?: string;
  @DateField('Only services on or before this date', true) serviceTo?: string;
}

class ApprovalQueueQuery extends QueueQuery {
  @ApiPropertyOptional({
    enum: APPROVAL_KINDS,
    description: 'Only claims, admissions, claims proposed over the cap awaiting a second approver, or adjustments awaiting approval',
  })
  @IsOptional()
  @IsIn(APPROVAL_KINDS)
  kind?: ApprovalKind;
}

class PaymentQueueQuery extends QueueQuery {
  @ApiPropertyOptional({ enum: PAYMENT_KINDS, description: 'Only payouts to pay, or only recoveries to collect' })
  @IsOptional()
  @IsIn(PAYMENT_KINDS)
  kind?: PaymentKind;
  @TextField('Only this beneficiary', '3f0c1a2e-…', true) beneficiaryId?: string;
}

class RecordQueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RECORD_KINDS, description: 'Only stays without a discharge, or only people without a valid card' })
  @IsOptional()
  @IsIn(RECORD_KINDS)
  kind?: RecordKind;
  @TextField('Only people of this administrative unit (as it stands now)', 'Xã Cao Lộc', true) unit?: string;
}

const ApprovalQueuePage = PageOf('ApprovalQueuePage', ApprovalItemBody, 'What waits, the earliest service first');
const PaymentQueuePage = PageOf('PaymentQueuePage', PaymentItemBody, 'What waits, the earliest service first');
const RecordQueuePage = PageOf('RecordQueuePage', RecordItemBody, 'What waits, the longest waiting first');

const holds = (context: CommandContext, permission: Permission) => PERMISSIONS[permission].some((role) => context.actor.roles.includes(role));

/**
 * What waits for the signed-in user: decisions for approvers ("Chờ tôi duyệt"), payments and
 * recoveries for finance ("Chờ chi"), discharges and cards for clerks ("Chờ cập nhật hồ sơ").
 */
@ApiTags('work queues')
@SignedIn()
@Controller('work-queues')
export class WorkQueuesController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
  ) {}

  /** Names the people waiting, so the read is recorded for each. */
  @Get('approvals')
  @Operation({
    id: 'listApprovalQueue',
    summary: 'Chờ tôi duyệt: claims, stays and over-cap proposals waiting for the signed-in approver’s decision, paged (the read is recorded)',
    description:
      'Leaves out what the approver recorded, requested or proposed over the cap themselves: another approver decides those (ApprovingOwnRequest, SecondApproverRequired).',
    answer: ApprovalQueuePage,
    errors: ['invalid'],
  })
  @Allowed('decideClaims')
  async approvals(@Query() query: ApprovalQueueQuery, @Ctx() context: CommandContext) {
    const { limit: _limit, offset: _offset, ...filter } = query;
    const page = await approvalQueue(this.runtime.pool, { ...filter, approver: context.actor.username }, pageRequested(query));
    await this.reads.record(
      context.actor,
      'approval-queue',
      page.items.map((item) => item.beneficiaryId),
    );
    return { position: await readModelPosition(this.runtime.pool), ...page };
  }

  /** Names the people to pay, so the read is recorded for each. */
  @Get('payments')
  @Operation({
    id: 'listPaymentQueue',
    summary: 'Chờ chi: approved payouts not yet paid and recoveries still owed, paged (the read is recorded)',
    answer: PaymentQueuePage,
    errors: ['invalid'],
  })
  @Allowed('settlePayouts')
  async payments(@Query() query: PaymentQueueQuery, @Ctx() context: CommandContext) {
    const { limit: _limit, offset: _offset, ...filter } = query;
    const page = await paymentQueue(this.runtime.pool, filter, pageRequested(query));
    await this.reads.record(
      context.actor,
      'payment-queue',
      page.items.map((item) => item.beneficiaryId),
    );
    return { position: await readModelPosition(this.runtime.pool), ...page };
  }

  /** Names the people concerned, so the read is recorded for each. */
  @Get('records')
  @Operation({
    id: 'listRecordsQueue',
    summary: 'Chờ cập nhật hồ sơ: stays recorded without a discharge and people without a valid card, paged (the read is recorded)',
    answer: RecordQueuePage,
    errors: ['invalid'],
  })
  @Allowed('recordStays')
  async records(@Query() query: RecordQueueQuery, @Ctx() context: CommandContext) {
    const { limit: _limit, offset: _offset, ...filter } = query;
    const page = await recordsQueue(this.runtime.pool, { ...filter, today: provinceToday() }, pageRequested(query));
    await this.reads.record(
      context.actor,
      'records-queue',
      page.items.flatMap((item) => (item.beneficiaryId ? [item.beneficiaryId] : [])),
    );
    return { position: await readModelPosition(this.runtime.pool), ...page };
  }

  /** Counts only, no one named: what the dashboard shows beside each queue of the signed-in user's roles. */
  @Get('counts')
  @Operation({
    id: 'countMyWorkQueues',
    summary: 'How much waits in the queues of the signed-in user’s roles (approver, finance, clerk)',
    answer: QueueCountsBody,
    errors: ['invalid'],
  })
  async counts(@Ctx() context: CommandContext) {
    const counts = await queueCounts(this.runtime.pool, {
      ...(holds(context, 'decideClaims') ? { approver: context.actor.username } : {}),
      finance: holds(context, 'settlePayouts'),
      ...(holds(context, 'recordStays') ? { clerkToday: provinceToday() } : {}),
    });
    return { position: await readModelPosition(this.runtime.pool), ...counts };
  }
}
