import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { AdministrativeUnits } from '#domain';
import { Count, Day, Group, Position, Text, Vnd } from '../http/views.js';

/** What retroactive changes preview and record, and the bodies of units and plans, for the OpenAPI document. */

class AmountAndGroupBody {
  @Vnd('Amount') amount!: number;
  @Group('The group it counts under') group!: number;
}

export class StayChangeBody {
  @Text('The stay', 'a-3f0c…') admissionId!: string;
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @ApiProperty({ enum: ['a', 'b'], description: 'Visit (a) or meal (b) allowance' }) regimeId!: string;
  @ApiProperty({ enum: ['adjustment', 'entitlement'], description: 'An adjustment of an approved stay, or the entitlement of one not yet approved' })
  kind!: string;
  @Day('Service date') serviceDate!: string;
  @ApiProperty({ type: AmountAndGroupBody }) previous!: AmountAndGroupBody;
  @ApiProperty({ type: AmountAndGroupBody }) next!: AmountAndGroupBody;
  @Vnd('next less previous; negative: a recovery') difference!: number;
}

export class ClaimChangeBody {
  @Text('The claim', 'c-7d1c…') claimId!: string;
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @Day('Service date') serviceDate!: string;
  @ApiProperty({ type: AmountAndGroupBody }) previous!: AmountAndGroupBody;
  @ApiProperty({ type: AmountAndGroupBody }) next!: AmountAndGroupBody;
  @Vnd('next less previous; negative: a recovery') difference!: number;
}

class CapChangeBody {
  @Vnd('The cap weighed against until now') previous!: number;
  @Vnd('The cap that applies now (0: no longer covered)') next!: number;
}

export class CapFlagPreviewBody {
  @Text('The claim', 'c-7d1c…') claimId!: string;
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Text('Regime id', 'g') regimeId!: string;
  @Day('Service date') serviceDate!: string;
  @Vnd('What the claim stands at') amount!: number;
  @ApiProperty({ type: CapChangeBody }) cap!: CapChangeBody;
  @Vnd('What the lower cap puts beyond it') excess!: number;
}

class RegimeTotalsBody {
  @Count('Changes') changes!: number;
  @Vnd('Net difference') difference!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Net difference per group (whole VND)', example: { 3: -190000 } })
  byGroup!: Record<string, number>;
}

@ApiExtraModels(RegimeTotalsBody)
class ChangeTotalsBody {
  @Count('Changes') changes!: number;
  @Vnd('Net difference') difference!: number;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(RegimeTotalsBody) }, description: 'Per regime id' }) byRegime!: Record<
    string,
    RegimeTotalsBody
  >;
}

export class RecomputationPreviewBody {
  @Count('Stays examined') staysExamined!: number;
  @ApiProperty({ type: [StayChangeBody], description: 'Every stay whose allowances would change' }) changes!: StayChangeBody[];
  @Count('Claims examined') claimsExamined!: number;
  @ApiProperty({ type: [ClaimChangeBody], description: 'Every approved claim whose worth would change' }) claimChanges!: ClaimChangeBody[];
  @ApiProperty({ type: [CapFlagPreviewBody], description: 'Special-drug claims it would leave over a lowered annual cap, for the council; they move no money' })
  capFlags!: CapFlagPreviewBody[];
  @ApiProperty({ type: ChangeTotalsBody }) totals!: ChangeTotalsBody;
}

class WithdrawnCoverageBody {
  @Text('Regime id', 'b') regimeId!: string;
  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 1, maximum: 6 }, example: [6] }) groups!: number[];
}

export class PolicyPreviewBody extends RecomputationPreviewBody {
  @Text('The version previewed', 'lang-son/replacement-2025') versionId!: string;
  @Day('First day in force') effectiveFrom!: string;
  @ApiProperty({ description: 'Already published (confirming again finds nothing left to do)' }) published!: boolean;
  @Position() position!: string;
  @ApiProperty({ type: [WithdrawnCoverageBody], description: 'Regimes and groups the version in force covers and this one no longer does' })
  coverageWithdrawn!: WithdrawnCoverageBody[];
}

export class PolicyDraftStatusBody {
  @Text('The version', 'lang-son/replacement-2025') versionId!: string;
  @Day('First day in force') effectiveFrom!: string;
  @ApiProperty({ enum: ['drafted', 'confirmed', 'published'], description: '`published` without a draft: the same version was published already' })
  status!: string;
  @Text('Who drafted it', 'admin', { required: false }) draftedBy?: string;
  @Text('Who confirmed it', 'admin2', { required: false }) confirmedBy?: string;
}

export class DraftedPolicyPreviewBody extends PolicyPreviewBody {
  @ApiProperty({ type: PolicyDraftStatusBody }) draft!: PolicyDraftStatusBody;
}

export class RecomputationOutcomeBody {
  @Count('Stays examined') staysExamined!: number;
  @Count('Claims examined') claimsExamined!: number;
  @Count('Adjustments on record for this cause after the run: the same however often it runs') adjustments!: number;
}

export class PolicyConfirmationBody extends RecomputationOutcomeBody {
  @Text('The version published', 'lang-son/replacement-2025') versionId!: string;
}

export class CoverageEndPreviewBody extends RecomputationPreviewBody {
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Day('Coverage ends on') on!: string;
  @Position() position!: string;
}

class PositionHeldBody {
  @Text('Title', 'Phó Chủ tịch UBND huyện') title!: string;
  @Text('Administrative unit', 'Huyện Cao Lộc') administrativeUnit!: string;
}

class HeldBeforeBody extends PositionHeldBody {
  @Group() group!: number;
}

class HeldAfterBody extends PositionHeldBody {
  @Group('The group from the effective date; null: no longer covered', { nullable: true }) group!: number | null;
}

export class ReclassificationBody {
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @Text('Full name', 'Hoàng Văn Bình') fullName!: string;
  @ApiProperty({ type: HeldBeforeBody, description: 'The day before the plan' }) before!: HeldBeforeBody;
  @ApiProperty({ type: HeldAfterBody, description: 'From the effective date' }) after!: HeldAfterBody;
}

export class ReorganizationPreviewBody extends RecomputationPreviewBody {
  @Text('The plan', 'merge-2025-07') planId!: string;
  @ApiProperty({ enum: ['drafted', 'confirmed', 'applied'] }) status!: string;
  @Day('Takes effect on') effectiveFrom!: string;
  @Position() position!: string;
  @ApiProperty({ type: [ReclassificationBody] }) reclassified!: ReclassificationBody[];
}

export class ReorganizationOutcomeBody {
  @Text('The plan', 'merge-2025-07') planId!: string;
  @Count('Beneficiaries reclassified') beneficiaries!: number;
  @Count('Stays examined') staysExamined!: number;
  @Count('Claims examined') claimsExamined!: number;
  @Count('Adjustments on record for the plan') adjustments!: number;
}

class TitleBecomesBody {
  @Text('The new title', 'Phó Chủ tịch UBND tỉnh') title!: string;
  @Group('The group from the effective date (the same to keep it); null: the new title is not covered', { nullable: true }) group!: number | null;
}

class TitleMappingBody {
  @Text('Matches who held exactly this title the day before the plan', 'Phó Chủ tịch UBND huyện') title!: string;
  @Group('…and only those in this group then', { required: false }) group?: number;
  @ApiProperty({ type: TitleBecomesBody }) becomes!: TitleBecomesBody;
}

export class ReorganizationPlanBody {
  @Text('Plan id', 'merge-2025-07') planId!: string;
  @Text('Title', 'Sắp xếp đơn vị hành chính 2025') title!: string;
  @Text('Decision number', '1234/QĐ-UBND') decisionNumber!: string;
  @Day('Takes effect on') effectiveFrom!: string;
  @ApiProperty({ type: [TitleMappingBody] }) titles!: TitleMappingBody[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Old unit → the unit its people belong to from the effective date; units not listed stay',
    example: { 'Huyện Cao Lộc': 'Xã Cao Lộc' },
  })
  units!: Record<string, string>;
}

export class ReorganizationBody {
  @ApiProperty({ enum: ['drafted', 'confirmed', 'applied'] }) status!: string;
  @ApiProperty({ type: ReorganizationPlanBody }) plan!: ReorganizationPlanBody;
  @Text('Who drafted it', 'admin') draftedBy!: string;
  @Text('Who confirmed it', 'admin2', { required: false }) confirmedBy?: string;
}

export class UnitChangeBody {
  @ApiProperty({ enum: ['created', 'renamed', 'merged-into', 'split', 'abolished'] }) kind!: string;
  @Text('Unit code', '06001') code!: string;
  @Day('Takes effect on') from!: string;
  @Text('Name (created, renamed)', 'Xã Cao Lộc', { required: false }) name?: string;
  @ApiPropertyOptional({ enum: AdministrativeUnits.UNIT_LEVELS, description: 'Level (created)' }) level?: string;
  @Text('Parent unit code (created)', '06', { required: false }) parent?: string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'The unit it merges into (merged-into), or the units it splits into (split)',
    example: '06002',
  })
  into?: string | string[];
  @Text('The unit carrying it on (abolished)', '06002', { required: false }) successor?: string;
}

export class UnitChangesBody {
  @ApiProperty({ type: [UnitChangeBody] }) changes!: UnitChangeBody[];
}

export class UnitChangesRecordedBody {
  @Count('Changes recorded now (a change recorded before counts 0)') recorded!: number;
}

class UnitNameBody {
  @Text('Name', 'Huyện Cao Lộc') name!: string;
  @Day('In use from') from!: string;
}

class UnitEndBody {
  @Day('Ended on') on!: string;
  @ApiProperty({ enum: ['merged-into', 'split', 'abolished'] }) how!: string;
  @ApiProperty({ type: [String], description: 'The units carrying it on' }) successors!: string[];
}

export class AdministrativeUnitBody {
  @Text('Unit code', '06001') code!: string;
  @ApiProperty({ enum: AdministrativeUnits.UNIT_LEVELS }) level!: string;
  @Text('Parent unit code', '06', { required: false }) parent?: string;
  @Day('Exists from') from!: string;
  @ApiProperty({ type: [UnitNameBody], description: 'Names by the date they took effect' }) names!: UnitNameBody[];
  @ApiPropertyOptional({ type: UnitEndBody }) ended?: UnitEndBody;
}
