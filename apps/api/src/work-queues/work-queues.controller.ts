import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type CommandContext, PERMISSIONS, type Permission, PersonalDataReads } from '#application';
import { REGIME_CODES } from '#domain';
import { APPROVAL_KINDS, type ApprovalKind, approvalQueue, PAYMENT_KINDS, type PaymentKind, paymentQueue, queueCounts, readModelPosition } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed, Ctx } from '../http/authentication.js';
import { DateField, TextField, WholeNumberField } from '../http/fields.js';
import { PageOf, PageQuery, pageRequested } from '../http/paging.js';
import { Operation, SignedIn } from '../http/responses.js';
import { ApprovalItemBody, PaymentItemBody, QueueCountsBody } from './work-queue.views.js';

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
  @ApiPropertyOptional({ enum: APPROVAL_KINDS, description: 'Only claims, admissions, or claims proposed over the cap awaiting a second approver' })
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

const ApprovalQueuePage = PageOf('ApprovalQueuePage', ApprovalItemBody, 'What waits, the earliest service first');
const PaymentQueuePage = PageOf('PaymentQueuePage', PaymentItemBody, 'What waits, the earliest service first');

const holds = (context: CommandContext, permission: Permission) => PERMISSIONS[permission].some((role) => context.actor.roles.includes(role));

/** What waits for the signed-in user: decisions for approvers ("Chờ tôi duyệt"), payments and recoveries for finance ("Chờ chi"). */
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

  /** Counts only, no one named: what the dashboard shows beside each queue of the signed-in user's roles. */
  @Get('counts')
  @Operation({
    id: 'countMyWorkQueues',
    summary: 'How much waits in the queues of the signed-in user’s roles (approver, finance)',
    answer: QueueCountsBody,
    errors: ['invalid'],
  })
  async counts(@Ctx() context: CommandContext) {
    const counts = await queueCounts(this.runtime.pool, {
      ...(holds(context, 'decideClaims') ? { approver: context.actor.username } : {}),
      finance: holds(context, 'settlePayouts'),
    });
    return { position: await readModelPosition(this.runtime.pool), ...counts };
  }
}
