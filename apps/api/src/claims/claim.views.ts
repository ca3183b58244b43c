import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AggregateViewOf, Count, Day, Group, Position, Text, Vnd } from '../http/views.js';

/** The answers about claims, stays, cards and payouts (their states as recorded), for the OpenAPI document. */

export class ClaimRequestedBody {
  @Text('The new claim’s id', 'c-7d1c…') claimId!: string;
}

export class AdmissionRecordedBody {
  @Text('The new stay’s id', 'a-3f0c…') admissionId!: string;
}

class StaffBody {
  @Text('Staff member', 'BS. Lê Thị Hoa') name!: string;
  @Text('Role', 'doctor') role!: string;
}

class PrescribedItemBody {
  @Text('Drug or health product', 'Sorafenib 200mg') name!: string;
  @Count('Quantity') quantity!: number;
  @Vnd('Cost') cost!: number;
}

class ClaimFactsBody {
  @Text('The claim', 'c-7d1c…') claimId!: string;
  @Text('Regime id in the policy version', 'h.fixed') regimeId!: string;
  @Day('Service date') serviceDate!: string;
  @Text('The beneficiary (absent for staff allowances)', '3f0c1a2e-…', { required: false }) beneficiaryId?: string;
  @Text('The card presented', 'LS-2025-00001', { required: false }) cardNumber?: string;
  @Day('Last day of a stay paid per day', { required: false }) until?: string;
  @Vnd('Actual cost', { required: false }) cost?: number;
  @Vnd('Paid out of pocket after health insurance', { required: false }) outOfPocket?: number;
  @Text('The Professional Council’s decision (special drugs)', '15/QĐ-HĐCM', { required: false }) councilDecisionNumber?: string;
  @ApiPropertyOptional({ type: [PrescribedItemBody] }) items?: PrescribedItemBody[];
  @ApiPropertyOptional({ type: StaffBody }) staff?: StaffBody;
  @Count('Months or sessions (staff allowances)', { required: false }) quantity?: number;
  @ApiPropertyOptional({ type: [String], description: 'Reference numbers of the documents the request rests on' }) documents?: string[];
  @Text('Who requested it', 'clerk.lan') requestedBy!: string;
  @Text('Why it was recorded although it repeats a recorded claim', 'Second prescription the same day', { required: false }) deliberateReason?: string;
}

export class DailySegmentBody {
  @Day('From') from!: string;
  @Day('To') to!: string;
  @Count('Days counted') days!: number;
  @Group() group!: number;
  @Vnd('Rate per day') rate!: number;
  @Vnd('Amount') amount!: number;
  @Text('Policy version', 'lang-son/nq-24-2024/v2') policyVersionId!: string;
  @Text('Clause', 'Regulation attached to Resolution 24/2024, regime b') clause!: string;
}

class YearlyLimitBody {
  @Vnd('Annual cap', { required: false }) cap?: number;
  @Count('Times a year', { required: false }) timesPerYear?: number;
}

class ClaimApprovalBody {
  @Vnd('Approved amount') amount!: number;
  @ApiProperty({ type: [String], description: 'One approver, or two for an amount over the annual cap' }) approvedBy!: string[];
  @Text('Policy version applied', 'lang-son/nq-24-2024/v2') policyVersionId!: string;
  @Text('Clause applied', 'Regulation attached to Resolution 24/2024, regime g') clause!: string;
  @Vnd('The rate, ceiling or cap the amount was computed with') basis!: number;
  @Group('The group it counts under', { required: false }) group?: number;
  @ApiProperty({ description: 'Less than asked: only this much was left of the annual cap' }) partial!: boolean;
  @Vnd('The part beyond the annual cap, granted as an exception') overCap!: number;
  @Text('Why the exception', 'Life-threatening condition', { required: false }) overCapReason?: string;
  @ApiPropertyOptional({ type: YearlyLimitBody }) limit?: YearlyLimitBody;
  @ApiPropertyOptional({ type: [DailySegmentBody] }) segments?: DailySegmentBody[];
}

class ProposalBody {
  @Text('The first approver', 'approver.minh') by!: string;
  @Text('Why', 'Life-threatening condition') reason!: string;
}

export class AdjustmentCauseBody {
  @ApiProperty({ enum: ['policy-version', 'reorganization-plan', 'register-change'] }) kind!: string;
  @Text('The version, plan or register change', 'lang-son/replacement-2025') id!: string;
}

class CorrectsBody {
  @Text('The regime corrected', 'g') regimeId!: string;
  @Text('The payout it corrects', 'claim-c-7d1c…') payoutId!: string;
  @Text('The claim (claims)', 'c-7d1c…', { required: false }) claimId?: string;
  @Text('The stay (stays)', 'a-3f0c…', { required: false }) admissionId?: string;
}

class FigureBody {
  @Vnd('Amount') amount!: number;
  @Group('The group it counts under', { required: false }) group?: number;
  @Text('Policy version', 'lang-son/nq-24-2024/v2') policyVersionId!: string;
  @Text('Clause (after)', 'Regulation attached to Resolution 24/2024, regime g', { required: false }) clause?: string;
  @Vnd('The rate or ceiling applied (after)', { required: false }) basis?: number;
  @Count('Days (meals, after)', { required: false }) days?: number;
  @ApiPropertyOptional({ type: [DailySegmentBody] }) segments?: DailySegmentBody[];
}

export class AdjustmentBody {
  @Text('The adjustment', '6f1c…') adjustmentId!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @ApiProperty({ type: AdjustmentCauseBody }) cause!: AdjustmentCauseBody;
  @ApiProperty({ type: CorrectsBody }) corrects!: CorrectsBody;
  @Day('Service date') serviceDate!: string;
  @ApiProperty({ type: FigureBody }) previous!: FigureBody;
  @ApiProperty({ type: FigureBody }) next!: FigureBody;
  @Vnd('next less previous; negative: a recovery') difference!: number;
  @Text('Who recorded it', 'admin') recordedBy!: string;
  @Text('Who approved it', 'approver.minh', { required: false }) approvedBy?: string;
}

class LoweredCapsBody {
  @Vnd('The cap before') previous!: number;
  @Vnd('The cap now (0: no longer covered)') next!: number;
}

class CouncilDecisionBody {
  @ApiProperty({ enum: ['kept', 'reduced'] }) outcome!: string;
  @Text('Why', 'Right acquired under the old classification') reason!: string;
  @Text('Council member', 'council.hai') by!: string;
}

class CapFlagBody {
  @Text('The flag', 'f-1a2b…') flagId!: string;
  @ApiProperty({ type: AdjustmentCauseBody }) cause!: AdjustmentCauseBody;
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @Day('Service date') serviceDate!: string;
  @Vnd('What the claim stood at when flagged') amount!: number;
  @ApiProperty({ type: LoweredCapsBody }) cap!: LoweredCapsBody;
  @Vnd('What the lower cap puts beyond it') excess!: number;
  @Text('Policy version of the new cap', 'lang-son/replacement-2025') policyVersionId!: string;
  @Text('Clause of the new cap', 'Regulation attached to Resolution 24/2024, regime g') clause!: string;
  @Text('Who recorded it', 'admin') recordedBy!: string;
  @ApiPropertyOptional({ type: CouncilDecisionBody }) decision?: CouncilDecisionBody;
}

export class ClaimBody {
  @ApiProperty({ enum: ['requested', 'approved', 'rejected'] }) status!: string;
  @ApiProperty({ type: ClaimFactsBody }) facts!: ClaimFactsBody;
  @ApiPropertyOptional({ type: ProposalBody, description: 'An approval over the annual cap proposed by a first approver' }) overCapProposal?: ProposalBody;
  @ApiPropertyOptional({ type: ClaimApprovalBody }) approval?: ClaimApprovalBody;
  @ApiPropertyOptional({ type: [AdjustmentBody] }) adjustments?: AdjustmentBody[];
  @ApiPropertyOptional({ type: [CapFlagBody], description: 'Flags of a lowered annual cap, for the council' }) capFlags?: CapFlagBody[];
}

export const ClaimView = AggregateViewOf('ClaimView', ClaimBody);

export class BatchOutcomeBody {
  @Text('The claim', 'c-7d1c…') claimId!: string;
  @ApiProperty({ enum: ['approved', 'refused'] }) outcome!: string;
  @Text('The rule that refused it', 'ApprovingOwnRequest', { required: false }) rule?: string;
  @Text('Why it was refused', 'the requester may not approve', { required: false }) message?: string;
}

class FlagCauseBody {
  @Text('Kind', 'policy-version') kind!: string;
  @Text('Id', 'lang-son/replacement-2025') id!: string;
}

class CouncilFlagBody {
  @Text('The flag', 'f-1a2b…') flagId!: string;
  @Text('The claim', 'c-7d1c…') claimId!: string;
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @Day('Service date') serviceDate!: string;
  @ApiProperty({ type: FlagCauseBody }) cause!: FlagCauseBody;
  @Vnd('What the claim stood at') amount!: number;
  @ApiProperty({ type: LoweredCapsBody }) cap!: LoweredCapsBody;
  @Vnd('What the lower cap puts beyond it') excess!: number;
  @Text('Policy version of the new cap', 'lang-son/replacement-2025') policyVersionId!: string;
  @Text('Who flagged it', 'admin') flaggedBy!: string;
  @ApiProperty({ enum: ['pending', 'kept', 'reduced'] }) status!: string;
  @Text('Council member who decided', 'council.hai', { nullable: true }) decidedBy!: string | null;
  @Text('The council’s reason', 'Right acquired under the old classification', { nullable: true }) reason!: string | null;
  @Text('The adjustment recovering the excess (reduced)', '6f1c…', { nullable: true }) adjustmentId!: string | null;
}

export class CouncilFlagsBody {
  @Position() position!: string;
  @ApiProperty({ type: [CouncilFlagBody] }) flags!: CouncilFlagBody[];
}

class VisitAllowanceBody {
  @Day('Service date') serviceDate!: string;
  @Group() group!: number;
  @Vnd('Amount') amount!: number;
  @Text('Policy version', 'lang-son/nq-24-2024/v2') policyVersionId!: string;
  @Text('Clause', 'Regulation attached to Resolution 24/2024, regime a') clause!: string;
}

class MealAllowanceBody {
  @Vnd('Amount') amount!: number;
  @Count('Days counted') days!: number;
  @ApiProperty({ type: [DailySegmentBody] }) segments!: DailySegmentBody[];
  @ApiPropertyOptional({ enum: [true], description: 'Counted and paid per calendar year' }) byYear?: boolean;
}

class ApprovedAllowancesBody {
  @ApiPropertyOptional({ type: VisitAllowanceBody }) visit?: VisitAllowanceBody;
  @ApiPropertyOptional({ type: MealAllowanceBody }) meals?: MealAllowanceBody;
}

export class AdmissionBody {
  @ApiProperty({ enum: ['admitted', 'discharged', 'approved', 'rejected'] }) status!: string;
  @Text('The stay', 'a-3f0c…') admissionId!: string;
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Day('Admitted on') admittedOn!: string;
  @Day('Discharged on', { required: false }) dischargedOn?: string;
  @ApiProperty({ type: [String], description: 'Who recorded its facts: none of them may approve' }) recordedBy!: string[];
  @ApiPropertyOptional({ description: 'Recorded although it overlaps another stay' }) deliberate?: boolean;
  @ApiPropertyOptional({ type: VisitAllowanceBody, description: 'Visit allowance (a) entitled now' }) visit?: VisitAllowanceBody;
  @ApiPropertyOptional({ type: MealAllowanceBody, description: 'Meal allowance (b) entitled now' }) meals?: MealAllowanceBody;
  @ApiProperty({ type: [AdjustmentBody] }) adjustments!: AdjustmentBody[];
  @ApiPropertyOptional({ type: ApprovedAllowancesBody, description: 'The allowances as approved' }) approved?: ApprovedAllowancesBody;
}

export const AdmissionView = AggregateViewOf('AdmissionView', AdmissionBody);

export class CardBody {
  @ApiProperty({ enum: ['valid', 'replaced', 'revoked'] }) status!: string;
  @Text('Card number', 'LS-2025-00001') cardNumber!: string;
  @Text('The holder', '3f0c1a2e-…') beneficiaryId!: string;
  @Day('Valid from') validFrom!: string;
  @Day('Valid to (inclusive)') validTo!: string;
  @Day('Replaced or revoked on', { required: false }) closedOn?: string;
}

export const CardView = AggregateViewOf('CardView', CardBody);

class PayoutSourceBody {
  @ApiProperty({ enum: ['claim', 'admission', 'adjustment'] }) kind!: string;
  @Text('The claim, stay or adjustment', 'c-7d1c…') id!: string;
}

class ScheduledBody {
  @Text('The payout', 'claim-c-7d1c…') payoutId!: string;
  @ApiProperty({ type: PayoutSourceBody }) source!: PayoutSourceBody;
  @Text('Regime id', 'g') regimeId!: string;
  @Text('Regime code', 'g') regimeCode!: string;
  @Text('The beneficiary (absent for staff allowances)', '3f0c1a2e-…', { required: false }) beneficiaryId?: string;
  @Text('Whom it pays', 'Hoàng Văn Bình') payee!: string;
  @Group('The group it counts under', { required: false }) group?: number;
  @Vnd('Amount; negative for a recovery') amount!: number;
  @Day('Service date') serviceDate!: string;
  @Text('Policy version', 'lang-son/nq-24-2024/v2') policyVersionId!: string;
  @Text('The annual ledger reserved on', 'annual-cap-…', { required: false }) annualLedgerStreamId?: string;
}

class OffsetBody {
  @Text('The recovery settled', 'adjustment-6f1c…') recoveryPayoutId!: string;
  @Vnd('Amount taken out of the payment') amount!: number;
}

class PaidBody {
  @Text('Payment reference', 'UNC-2025-0815') reference!: string;
  @Day('Paid on') paidOn!: string;
  @ApiProperty({ type: [OffsetBody] }) offsets!: OffsetBody[];
}

class ReceivableBody {
  @Vnd('Still owed') owed!: number;
  @Vnd('Came back') recovered!: number;
  @Vnd('Written off') writtenOff!: number;
}

export class PayoutBody {
  @ApiProperty({ enum: ['scheduled', 'paid', 'reversed', 'owed', 'recovered', 'written-off'] }) status!: string;
  @ApiProperty({ type: ScheduledBody }) scheduled!: ScheduledBody;
  @ApiPropertyOptional({ type: PaidBody }) paid?: PaidBody;
  @Day('Reversed on', { required: false }) reversedOn?: string;
  @ApiPropertyOptional({ type: ReceivableBody, description: 'A recovery’s account' }) receivable?: ReceivableBody;
}

export const PayoutView = AggregateViewOf('PayoutView', PayoutBody);
