import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  AdjustClaim,
  AggregateReader,
  ApproveClaims,
  type ClaimDecision,
  type CommandContext,
  DecideClaim,
  PersonalDataReads,
  RequestClaim,
} from '#application';
import { MAX_TEXT_LENGTH } from '#domain';
import { councilFlagList, councilFlags, readModelPosition } from '#read-models';
import { RUNTIME, type Runtime } from '#runtime';
import { Allowed, Ctx } from '../http/authentication.js';
import { MAX_ID_LENGTH } from '../http/input-limits.js';
import { DateField, DeliberateRepeat, TextField, VndField, withDeliberation } from '../http/fields.js';
import { Operation, SignedIn } from '../http/responses.js';
import { BatchOutcomeBody, ClaimBody, ClaimRequestedBody, ClaimView, CouncilFlagsBody } from './claim.views.js';

class Staff {
  @TextField('Staff member', 'BS. Lê Thị Hoa') name!: string;
  @TextField("Role in the policy's table", 'doctor') role!: string;
}

/** The documents' reference numbers a request rests on, kept in the recorded request. */
const DocumentsField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'Reference numbers of the documents (invoices, discharge papers, receipts)',
      type: [String],
      example: ['HĐ 0001234', 'GRV-2025-118'],
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(MAX_TEXT_LENGTH, { each: true }),
  );

class Claim extends DeliberateRepeat {
  @TextField('Regime id in the policy version', 'h.fixed') regimeId!: string;
  @DateField('Service date (first day of a stay; not after today)') serviceDate!: string;
  @TextField('The beneficiary (all regimes but staff allowances)', '3f0c1a2e-…', true) beneficiaryId?: string;
  @TextField('The card presented', 'LS-2025-00001', true) cardNumber?: string;
  @DateField('Last day of a stay paid per day (convalescence; not after today)', true) until?: string;
  @VndField('Actual cost', true) cost?: number;
  @VndField('Paid out of pocket after health insurance (hospital-fee support)', true) outOfPocket?: number;
  @ApiPropertyOptional({ type: Staff }) @IsOptional() @ValidateNested() @Type(() => Staff) staff?: Staff;
  @ApiPropertyOptional({ description: 'Months or sessions (staff allowances)', example: 3 }) @IsOptional() @IsInt() @Min(1) quantity?: number;
  @DocumentsField() documents?: string[];
}

class PrescribedItem {
  @TextField('Drug or health product', 'Sorafenib 200mg') name!: string;
  @ApiProperty({ example: 60 }) @IsInt() @Min(1) quantity!: number;
  @VndField('Cost of the item') cost!: number;
}

class DrugReimbursement extends DeliberateRepeat {
  @TextField('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @TextField('The card presented', 'LS-2025-00001') cardNumber!: string;
  @DateField('Date of the prescription or purchase (not after today)') serviceDate!: string;
  @TextField("Number of the Professional Council's decision", '15/QĐ-HĐCM') councilDecisionNumber!: string;
  @ApiProperty({ type: [PrescribedItem] }) @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => PrescribedItem) items!: PrescribedItem[];
  @VndField('Total cost: the sum of the items') cost!: number;
  @DocumentsField() documents?: string[];
}

/** The special-drug regime's id in the policy catalog. */
const SPECIAL_DRUGS = 'g';

class Reason {
  @TextField('Why', 'Prescribed by the council for a life-threatening condition') reason!: string;
}

const FLAG_STATUSES = ['pending', 'kept', 'reduced'];

class FlagQuery {
  @ApiPropertyOptional({ enum: FLAG_STATUSES, description: 'Only flags awaiting the council, or decided one way' })
  @IsOptional()
  @IsIn(FLAG_STATUSES)
  status?: string;
}

class ClaimList {
  @ApiProperty({ description: 'Reviewed claims to approve, each as its own decision', type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(MAX_ID_LENGTH, { each: true })
  claimIds!: string[];
}

@ApiTags('claims')
@SignedIn()
@Controller()
export class ClaimsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AggregateReader) private readonly reader: AggregateReader,
    @Inject(PersonalDataReads) private readonly reads: PersonalDataReads,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /**
   * A claim under regimes c, d, đ, e, g, h, i or k; a and b come from admissions. Refused when a
   * date is after today (`DateInFuture`) or it repeats a recorded claim's beneficiary, regime,
   * service date and amount (`DuplicateClaim`, unless deliberate).
   */
  @Post('claims')
  @Operation({
    id: 'requestClaim',
    summary: 'Request a claim under regimes c, d, đ, e, g, h, i or k',
    description: '409 DateInFuture, DuplicateClaim (unless deliberate), and the rules of the regime.',
    answer: ClaimRequestedBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('requestClaims')
  request(@Body() body: Claim, @Ctx() context: CommandContext) {
    return this.commands.execute(new RequestClaim({ ...withDeliberation(body), ...(body.staff ? { staff: { ...body.staff } } : {}) }, context));
  }

  /** RequestDrugReimbursement: special drugs (g) on the Professional Council's decision; refused as claims are. */
  @Post('drug-reimbursements')
  @Operation({
    id: 'requestDrugReimbursement',
    summary: 'Request a special-drug reimbursement (g) on the Professional Council’s decision',
    answer: ClaimRequestedBody,
    created: true,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @Allowed('requestClaims')
  requestDrugs(@Body() body: DrugReimbursement, @Ctx() context: CommandContext) {
    const { items, ...rest } = withDeliberation(body);
    return this.commands.execute(new RequestClaim({ ...rest, regimeId: SPECIAL_DRUGS, items: items.map((item) => ({ ...item })) }, context));
  }

  /** What a person was treated with and paid: the read is recorded. */
  @Get('claims/:id')
  @Operation({ id: 'getClaim', summary: 'One claim and its history (the read is recorded)', answer: ClaimView, errors: ['invalid', 'missing'] })
  async show(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.reads.recordView(context.actor, 'claim', await this.reader.claim(id), ({ state }) =>
      state.status === 'none' ? undefined : state.facts.beneficiaryId,
    );
  }

  /** Approve a reviewed list in one action: the outcome of each claim. */
  @Post('claims/approvals')
  @Operation({ id: 'approveClaims', summary: 'Approve a reviewed list of claims, each as its own decision', answer: [BatchOutcomeBody], errors: ['invalid'] })
  @HttpCode(200)
  @Allowed('decideClaims')
  approveList(@Body() body: ClaimList, @Ctx() context: CommandContext) {
    return this.commands.execute(new ApproveClaims(body.claimIds, context));
  }

  @Post('claims/:id/approval')
  @Operation({
    id: 'approveClaim',
    summary: 'Approve a claim (not by who requested it): schedules its payout',
    answer: ClaimBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  approve(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.decide(id, { type: 'ApproveClaim' }, context);
  }

  /** Approve what is left of the annual cap. */
  @Post('claims/:id/partial-approval')
  @Operation({ id: 'approveClaimPartly', summary: 'Approve what is left of the annual cap', answer: ClaimBody, errors: ['invalid', 'missing', 'conflict'] })
  @HttpCode(200)
  @Allowed('decideClaims')
  approvePart(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.decide(id, { type: 'PartlyApproveClaim' }, context);
  }

  /** ApproveOverCap, first approver: proposes the exception with its reason. */
  @Post('claims/:id/over-cap-proposal')
  @Operation({
    id: 'proposeOverCapApproval',
    summary: 'Propose approving a claim over the annual cap (first approver)',
    answer: ClaimBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  proposeOverCap(@Param('id') id: string, @Body() body: Reason, @Ctx() context: CommandContext) {
    return this.decide(id, { type: 'ProposeOverCapApproval', data: { reason: body.reason } }, context);
  }

  /** ApproveOverCap, second approver: grants the whole amount. */
  @Post('claims/:id/over-cap-confirmation')
  @Operation({
    id: 'confirmOverCapApproval',
    summary: 'Confirm the approval over the annual cap (second approver)',
    answer: ClaimBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  confirmOverCap(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.decide(id, { type: 'ConfirmOverCapApproval' }, context);
  }

  /** Approves the claim's pending adjustments (not by who recorded them); schedules a payout (or recovery) per adjustment that moves money. */
  @Post('claims/:id/adjustments/approval')
  @Operation({
    id: 'approveClaimAdjustments',
    summary: 'Approve a claim’s pending adjustments (not by who recorded them)',
    answer: ClaimBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideClaims')
  approveAdjustments(@Param('id') id: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new AdjustClaim(id, { type: 'ApproveAdjustments' }, context));
  }

  /**
   * Special-drug claims that a retroactive change (a reclassification, a policy version) left
   * over a lowered annual cap: nothing is recovered until the council decides on each.
   */
  @Get('council/flags')
  @Operation({
    id: 'listCouncilFlags',
    summary: 'Special-drug claims left over a lowered annual cap, for the council',
    answer: CouncilFlagsBody,
    errors: ['invalid'],
  })
  async flags(@Query() query: FlagQuery, @Ctx() context: CommandContext) {
    const flags = await councilFlagList(this.runtime.pool, query);
    await this.reads.record(
      context.actor,
      'council-flags',
      flags.map((flag) => flag.beneficiaryId),
    );
    return { position: await readModelPosition(this.runtime.pool, [councilFlags]), flags };
  }

  /** The council lets the approved amount stand over the lowered cap, with its reason (e.g. a right acquired under the old classification). */
  @Post('claims/:id/cap-flags/:flagId/keeping')
  @Operation({
    id: 'keepClaimOverLoweredCap',
    summary: 'The council lets the approved amount stand over the lowered cap',
    answer: ClaimBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideOverLoweredCap')
  keepOverLoweredCap(@Param('id') id: string, @Param('flagId') flagId: string, @Body() body: Reason, @Ctx() context: CommandContext) {
    return this.commands.execute(new AdjustClaim(id, { type: 'KeepClaimOverLoweredCap', data: { flagId, reason: body.reason } }, context));
  }

  /** The council reduces the claim to the lowered cap: an adjustment recovering the excess, for an approver to approve (`adjustments/approval`). */
  @Post('claims/:id/cap-flags/:flagId/reduction')
  @Operation({
    id: 'reduceClaimToLoweredCap',
    summary: 'The council reduces the claim to the lowered cap: an adjustment recovers the excess',
    answer: ClaimBody,
    errors: ['invalid', 'missing', 'conflict'],
  })
  @HttpCode(200)
  @Allowed('decideOverLoweredCap')
  reduceToLoweredCap(@Param('id') id: string, @Param('flagId') flagId: string, @Body() body: Reason, @Ctx() context: CommandContext) {
    return this.commands.execute(new AdjustClaim(id, { type: 'ReduceClaimToLoweredCap', data: { flagId, reason: body.reason } }, context));
  }

  @Post('claims/:id/rejection')
  @Operation({ id: 'rejectClaim', summary: 'Reject a claim, with the reason', answer: ClaimBody, errors: ['invalid', 'missing', 'conflict'] })
  @HttpCode(200)
  @Allowed('decideClaims')
  reject(@Param('id') id: string, @Body() body: Reason, @Ctx() context: CommandContext) {
    return this.decide(id, { type: 'RejectClaim', data: { reason: body.reason } }, context);
  }

  private decide(id: string, decision: ClaimDecision, context: CommandContext) {
    return this.commands.execute(new DecideClaim(id, decision, context));
  }
}
