import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { REGIME_CODES } from '#domain';
import { AnyJson, Count, Day, Group, Position, Text, Vnd } from '../http/views.js';

/** The answers of the read models (registers, balances, budget, payouts, the year-end report), for the OpenAPI document. */

const CountsByGroup = (description: string) =>
  ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: `${description}, by group ("1"–"6", or "unknown")`,
    example: { 1: 4, 3: 12 },
  });

export class RegisterRowBody {
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Text('Full name; null once erased', 'Nông Văn An', { nullable: true }) fullName!: string | null;
  @Day('Date of birth, to tell namesakes apart; null once erased', { nullable: true }) dateOfBirth!: string | null;
  @Text('The national id with all but its first and last three digits hidden; null once erased (the whole number: GET /beneficiaries/{id})', '020******234', {
    nullable: true,
  })
  nationalIdMasked!: string | null;
  @ApiProperty({ description: 'The person’s personal data was erased' }) personalDataErased!: boolean;
  @Text('Title on the date asked', 'Bí thư Huyện ủy') title!: string;
  @Text('Administrative unit on the date asked', 'Huyện Cao Lộc') administrativeUnit!: string;
  @Group('Group on the date asked') group!: number;
  @Day('Enrolled from') enrolledFrom!: string;
  @ApiProperty({ enum: ['registered', 'retired', 'deceased', 'removed'], description: 'On the date asked' }) status!: string;
  @ApiProperty({
    type: [String],
    description:
      'Others on the register who are likely the same person: the same name (diacritics aside) and date of birth, or the same national id; empty: none',
    example: ['9b2e4c1d-…'],
  })
  likelyDuplicateOf!: string[];
}

class CardRowBody {
  @Text('Card number', 'LS-2025-00001') cardNumber!: string;
  @Text('The holder', '3f0c1a2e-…') beneficiaryId!: string;
  @Group('The group at issue', { nullable: true }) groupAtIssue!: number | null;
  @Day('Valid from') validFrom!: string;
  @Day('Valid to') validTo!: string;
  @ApiProperty({ enum: ['valid', 'replaced', 'revoked'] }) status!: string;
  @Day('Replaced or revoked on', { nullable: true }) closedOn!: string | null;
  @Text('The card it replaces', 'LS-2024-00007', { nullable: true }) replaces!: string | null;
  @Text('Why it was reissued', 'lost', { nullable: true }) reissueReason!: string | null;
  @Text('The card that replaced it', 'LS-2025-00002', { nullable: true }) replacedBy!: string | null;
  @Text('Why it was revoked', 'No longer holds a covered title', { nullable: true }) revocationReason!: string | null;
  @Text('The holder’s full name', 'Hoàng Văn Bình', { nullable: true }) fullName!: string | null;
  @Text('The holder’s administrative unit', 'Huyện Cao Lộc') administrativeUnit!: string;
}

export class CardRegisterBody {
  @Position() position!: string;
  @ApiProperty({ type: [CardRowBody] }) cards!: CardRowBody[];
}

class BalanceAsOfBody {
  @Text('Regime id', 'g') regimeId!: string;
  @Vnd('Entitled') entitled!: number;
  @Vnd('Approved') approved!: number;
  @Vnd('Paid') paid!: number;
  @Vnd('Reversed') reversed!: number;
  @Vnd('Adjusted by retroactive changes') adjusted!: number;
  @Vnd('The annual cap; null: none', { nullable: true }) annualCap!: number | null;
  @Vnd('Used of the annual cap') capUsed!: number;
  @Vnd('Left of the annual cap; null: no cap', { nullable: true }) remainingCap!: number | null;
}

class BalanceBody extends BalanceAsOfBody {
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @ApiProperty({ enum: REGIME_CODES }) regimeCode!: string;
  @Vnd('Recoveries still owed') toRecover!: number;
  @Vnd('Recovered') recovered!: number;
  @Vnd('Written off') writtenOff!: number;
}

export class BalancesBody {
  @Position() position!: string;
  @ApiProperty({ type: [BalanceBody], description: 'Per year and regime' }) balances!: BalanceBody[];
}

class AsOfBody {
  @Day('Only services up to this date', { required: false }) validOn?: string;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: 'Only what the log held at this time' }) knownAt?: string;
  @Text('Only what the log held up to this position', '1024', { required: false }) position?: string;
}

export class BalancesAsOfBody {
  @Position() position!: string;
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @ApiProperty({ type: AsOfBody }) asOf!: AsOfBody;
  @ApiProperty({ type: [BalanceAsOfBody] }) balances!: BalanceAsOfBody[];
}

class BudgetLineBody {
  @ApiProperty({ enum: REGIME_CODES }) regimeCode!: string;
  @Group() group!: number;
  @Text('Administrative unit', 'Huyện Cao Lộc') administrativeUnit!: string;
  @Vnd('Committed (approved, not paid)') committed!: number;
  @Vnd('Paid') paid!: number;
}

export class BudgetAsOfBody {
  @Position() position!: string;
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @ApiProperty({ type: AsOfBody }) asOf!: AsOfBody;
  @ApiProperty({ enum: ['then', 'now'] }) geography!: string;
  @ApiProperty({ type: [BudgetLineBody] }) lines!: BudgetLineBody[];
}

class SettlementBody {
  @ApiProperty({ description: 'refund, offset or write-off', example: 'refund' }) kind!: string;
  @Vnd('Amount') amount!: number;
  @Day('On') on!: string;
  @Text('By', 'finance.thu') by!: string;
  @Text('Receipt reference', 'PT-2025-0031', { required: false }) reference?: string;
  @Text('The payout on the other side (offsets)', 'claim-c-7d1c…', { required: false }) payout_id?: string;
  @Text('Why (write-off)', 'Người hưởng đã mất', { required: false }) reason?: string;
}

export class PayoutRowBody {
  @Text('The payout', 'claim-c-7d1c…') payoutId!: string;
  @Text('The payout the stay’s regime or the claim was first paid by', 'claim-c-7d1c…') settles!: string;
  @ApiProperty({ enum: ['claim', 'admission', 'adjustment'] }) sourceKind!: string;
  @Text('The claim, stay or adjustment', 'c-7d1c…') sourceId!: string;
  @Text('The beneficiary; null for staff allowances', '3f0c1a2e-…', { nullable: true }) beneficiaryId!: string | null;
  @Text('Whom it pays', 'Hoàng Văn Bình') payee!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @ApiProperty({ enum: REGIME_CODES }) regimeCode!: string;
  @Group() group!: number;
  @Text('Administrative unit', 'Huyện Cao Lộc') administrativeUnit!: string;
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @Day('Service date') serviceDate!: string;
  @Vnd('Amount; negative for a recovery') amount!: number;
  @Count('Days for per-day regimes, otherwise 1') units!: number;
  @Text('Policy version', 'lang-son/nq-24-2024/v2') policyVersionId!: string;
  @Text('Clause', 'Regulation attached to Resolution 24/2024, regime g', { nullable: true }) clause!: string | null;
  @Vnd('The rate, ceiling or cap applied', { nullable: true }) basis!: number | null;
  @Vnd('Granted beyond the annual cap') overCap!: number;
  @Text('Approved by', 'approver.minh', { nullable: true }) approvedBy!: string | null;
  @ApiProperty({ enum: ['scheduled', 'paid', 'reversed', 'owed', 'recovered', 'written-off'] }) status!: string;
  @Text('Payment reference', 'UNC-2025-0815', { nullable: true }) paidReference!: string | null;
  @Day('Paid on', { nullable: true }) paidOn!: string | null;
  @Day('Reversed on', { nullable: true }) reversedOn!: string | null;
  @Text('Why reversed', 'Paid to the wrong account', { nullable: true }) reversalReason!: string | null;
  @Vnd('A recovery: what came back; a payment: —') recovered!: number;
  @Vnd('A recovery: written off') writtenOff!: number;
  @Vnd('A payment: what offsetting recoveries took out of it') offset!: number;
  @ApiProperty({ type: [SettlementBody] }) settlements!: SettlementBody[];
}

export class PayoutHistoryBody {
  @Position() position!: string;
  @ApiProperty({ type: [PayoutRowBody] }) payouts!: PayoutRowBody[];
}

class LineageStepBody {
  @Text('Log position', '1024') position!: string;
  @Text('What the step is about: claim, admission, payout, policy-version, reorganization', 'claim') subjectKind!: string;
  @Text('Its id', 'c-7d1c…') subjectId!: string;
  @Text('The step', 'ClaimApproved') step!: string;
  @Text('Who', 'approver.minh') actor!: string;
  @ApiProperty({ type: [String], nullable: true }) roles!: string[] | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) recordedAt!: string;
  @AnyJson('What the step recorded', { nullable: true }) details!: Record<string, unknown> | null;
}

class LineageAdjustmentBody {
  @Text('The adjustment', '6f1c…') adjustmentId!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @ApiProperty({ enum: ['policy-version', 'reorganization-plan', 'register-change'] }) causeKind!: string;
  @Text('The cause', 'lang-son/replacement-2025') causeId!: string;
  @Text('The payout it corrects', 'claim-c-7d1c…') correctsPayoutId!: string;
  @Vnd('Before') previousAmount!: number;
  @Group('Group before', { nullable: true }) previousGroup!: number | null;
  @Vnd('After') nextAmount!: number;
  @Group('Group after', { nullable: true }) nextGroup!: number | null;
  @Vnd('Difference') difference!: number;
  @Text('Recorded by', 'admin') recordedBy!: string;
  @Text('Approved by', 'approver.minh', { nullable: true }) approvedBy!: string | null;
}

export class PayoutLineageBody {
  @Position() position!: string;
  @ApiProperty({ type: PayoutRowBody }) payout!: PayoutRowBody;
  @ApiProperty({ type: [LineageAdjustmentBody] }) adjustments!: LineageAdjustmentBody[];
  @ApiProperty({ type: [LineageStepBody], description: 'Every step, in log order' }) lineage!: LineageStepBody[];
}

class ReceivablesBody {
  @Vnd('Still owed') toRecover!: number;
  @Vnd('Come back') recovered!: number;
  @Vnd('Written off') writtenOff!: number;
}

class BudgetAlertBody {
  @ApiProperty({ type: 'integer', description: 'The threshold passed, in percent', example: 80 }) percent!: number;
  @Vnd('Used when it was passed') used!: number;
  @Vnd('Allocated then') allocated!: number;
  @Text('Log position', '1024') position!: string;
}

class BudgetRegimeBody {
  @ApiProperty({ enum: REGIME_CODES }) regimeCode!: string;
  @Vnd('Allocated; null: no allocation recorded', { nullable: true }) allocated!: number | null;
  @Text('Decision allocating it', '2850/QĐ-UBND', { nullable: true }) decisionNumber!: string | null;
  @Vnd('Committed') committed!: number;
  @Vnd('Paid') paid!: number;
  @ApiProperty({ type: ReceivablesBody }) recoveries!: ReceivablesBody;
  @Vnd('Allocated less committed and paid', { nullable: true }) remaining!: number | null;
  @ApiProperty({ type: 'number', nullable: true, description: 'Used, in percent of the allocation', example: 42.5 }) usedPercent!: number | null;
  @ApiProperty({ type: [BudgetAlertBody] }) alerts!: BudgetAlertBody[];
}

export class BudgetBody {
  @Position() position!: string;
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @ApiProperty({ type: [BudgetRegimeBody] }) regimes!: BudgetRegimeBody[];
  @ApiProperty({ type: [BudgetLineBody], description: 'By regime, group and unit' }) spending!: BudgetLineBody[];
}

export class AllocationBody {
  @Vnd('Allocated', { required: false }) allocated?: number;
  @Text('Decision allocating it', '2850/QĐ-UBND', { required: false }) decisionNumber?: string;
}

class RegimeLineBody {
  @Count('Payouts') payouts!: number;
  @Count('Distinct people paid') people!: number;
  @Count('Days for per-day regimes, otherwise payouts') units!: number;
  @Vnd('Amount') amount!: number;
}

@ApiExtraModels(RegimeLineBody)
class ReportRegimeBody extends RegimeLineBody {
  @ApiProperty({ enum: REGIME_CODES }) code!: string;
  @Text('Heading of the report', 'Thuốc đặc trị, biệt dược, thực phẩm bảo vệ sức khỏe') heading!: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(RegimeLineBody) }, description: 'By group' }) byGroup!: Record<
    string,
    RegimeLineBody
  >;
}

class HeadCountBody {
  @Count('Total') total!: number;
  @CountsByGroup('Head count') byGroup!: Record<string, number>;
}

class CardCountsBody {
  @Count('Cards issued') issued!: number;
  @ApiProperty({ type: HeadCountBody }) newCards!: HeadCountBody;
  @ApiProperty({ type: HeadCountBody }) reissued!: HeadCountBody;
}

@ApiExtraModels(ReceivablesBody)
class ReportRecoveriesBody extends ReceivablesBody {
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ReceivablesBody) }, description: 'By regime code' }) byRegime!: Record<
    string,
    ReceivablesBody
  >;
}

/** Where a report stands in the log, which makes it reproducible and provable. */
export class ReportSourceBody {
  @ApiProperty({
    type: 'string',
    pattern: '^\\d+$',
    description: 'The log position the report reflects: the same position gives the same report',
    example: '1024',
  })
  position!: string;
  @Text('The log’s hash chain at position (SHA-256, hex); null without a chain', '9f86d0…', { nullable: true }) logHash!: string | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the log reached position (the time its last event reflected was recorded): the moment the figures stand at; null at position 0',
  })
  asOf!: string | null;
}

export class YearEndReportBody extends ReportSourceBody {
  @ApiProperty({ type: 'integer', example: 2025 }) year!: number;
  @ApiProperty({ type: HeadCountBody }) beneficiaries!: HeadCountBody;
  @ApiProperty({ type: CardCountsBody }) cards!: CardCountsBody;
  @ApiProperty({ type: [ReportRegimeBody] }) regimes!: ReportRegimeBody[];
  @Vnd('Total paid') totalAmount!: number;
  @ApiProperty({ type: ReportRecoveriesBody }) recoveries!: ReportRecoveriesBody;
}

export class PersonalDataReadBody {
  @ApiProperty({ type: 'string', format: 'date-time' }) readAt!: string;
  @Text('Who read', 'clerk.lan') actor!: string;
  @ApiProperty({ type: [String], example: ['clerk'] }) roles!: string[];
  @Text('What was read', 'balances') what!: string;
  @Text('Whose', '3f0c1a2e-…') beneficiaryId!: string;
}

export class AuditEntryBody {
  @ApiProperty({ type: 'string', pattern: '^\\d+$', description: 'The event’s position in the log', example: '1024' }) position!: string;
  @ApiProperty({ type: 'string', format: 'date-time', example: '2025-07-01T08:30:00.000Z' }) recordedAt!: string;
  @Text('Who did it', 'approver.minh') actor!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'The roles they held', example: ['approver'] }) roles!: string[] | null;
  @Text('What was done: the type of the event recorded', 'ClaimApproved') action!: string;
  @Text('The stream it was recorded on', 'claim-7d1c…') streamId!: string;
  @Text('The command id (idempotency key) it was recorded under', '6f1c2d3e-…', { nullable: true }) commandId!: string | null;
  @Text('The beneficiary it concerns; null: none (policy, users, staff allowances)', '3f0c1a2e-…', { nullable: true }) beneficiaryId!: string | null;
}
