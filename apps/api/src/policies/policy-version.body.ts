import { ApiExtraModels, ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';
import { BENEFICIARY_GROUPS, OFFICIALS_PROGRAMME, REGIME_CODES } from '#domain';
import { Day, Text } from '../http/views.js';

/**
 * A policy version as the catalog files of policies/ hold it and as it is published, drafted and
 * previewed. The domain's parser (parsePolicyVersion) checks it and names every field that does
 * not fit; this is its shape for clients.
 */

/** Whole VND (or basis points, times) per beneficiary group: a group absent from the table is not covered. */
const byGroup = (description: string, maximum?: number, example: Record<number, number> = { 1: 1500000, 2: 1000000, 3: 700000 }): ApiPropertyOptions => ({
  type: 'object',
  description,
  properties: Object.fromEntries(BENEFICIARY_GROUPS.map((group) => [String(group), { type: 'integer', minimum: 0, ...(maximum === undefined ? {} : { maximum }) }])),
  additionalProperties: false,
  example,
});

const Kind = (kind: string, description: string) => ApiProperty({ enum: [kind], description });

export class FixedPerEventRule {
  @Kind('fixed-per-event', 'A fixed amount each time the event happens') kind!: 'fixed-per-event';
  @ApiProperty(byGroup('The amount per group')) amountByGroup!: Record<string, number>;
}

export class RatePerDayRule {
  @Kind('rate-per-day', 'A rate per calendar day of a stay') kind!: 'rate-per-day';
  @ApiProperty(byGroup('The rate per day, per group')) rateByGroup!: Record<string, number>;
  @ApiProperty({ description: 'Whether the first day counts' }) countFirstDay!: boolean;
  @ApiProperty({ description: 'Whether the last day counts' }) countLastDay!: boolean;
}

export class ActualCostUpToClaimCeilingRule {
  @Kind('actual-cost-up-to-claim-ceiling', 'The actual cost, up to a ceiling per claim') kind!: 'actual-cost-up-to-claim-ceiling';
  @ApiProperty(byGroup('The ceiling per claim, per group')) ceilingByGroup!: Record<string, number>;
}

export class ActualCostUpToAnnualCapRule {
  @Kind('actual-cost-up-to-annual-cap', 'The actual cost, up to what is left of an annual cap per beneficiary') kind!: 'actual-cost-up-to-annual-cap';
  @ApiProperty(byGroup('The annual cap per group')) annualCapByGroup!: Record<string, number>;
}

export class ShareOfOutOfPocketRule {
  @Kind('share-of-out-of-pocket', 'A share of the out-of-pocket cost, with a ceiling per claim') kind!: 'share-of-out-of-pocket';
  @ApiProperty(byGroup('The share in basis points (10,000 = all of it), per group', 10_000, { 1: 5000, 2: 5000 })) shareBasisPointsByGroup!: Record<string, number>;
  @ApiProperty(byGroup('The ceiling per claim, per group')) ceilingByGroup!: Record<string, number>;
}

export class LimitedPerYearRule {
  @Kind('limited-per-year', 'At most so many times a year') kind!: 'limited-per-year';
  @ApiProperty(byGroup('How many times a year, per group', undefined, { 1: 1, 2: 1 })) timesPerYearByGroup!: Record<string, number>;
  @ApiProperty(byGroup('The amount each time (or the ceiling, with actualCost), per group')) amountByGroup!: Record<string, number>;
  @ApiProperty({ description: 'The actual cost up to the amount, instead of the amount' }) actualCost!: boolean;
}

export class StaffAllowanceRule {
  @Kind('staff-allowance', 'Paid to staff doing cadre health work, by role') kind!: 'staff-allowance';
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'The amount per staff role (whole VND)', example: { doctor: 2000000, nurse: 1500000 } }) amountByRole!: Record<string, number>;
  @ApiProperty({ enum: ['month', 'session'] }) per!: 'month' | 'session';
}

const RULES = [FixedPerEventRule, RatePerDayRule, ActualCostUpToClaimCeilingRule, ActualCostUpToAnnualCapRule, ShareOfOutOfPocketRule, LimitedPerYearRule, StaffAllowanceRule];
const KINDS = ['fixed-per-event', 'rate-per-day', 'actual-cost-up-to-claim-ceiling', 'actual-cost-up-to-annual-cap', 'share-of-out-of-pocket', 'limited-per-year', 'staff-allowance'];

@ApiExtraModels(...RULES)
export class RegimeDefinitionBody {
  @Text('Unique in the version: the letter, and after a dot the variant', 'đ.home') id!: string;
  @ApiProperty({ enum: REGIME_CODES, description: 'The report’s letter' }) code!: string;
  @Text('Name of the regime', 'Hỗ trợ tiền ăn khi điều trị nội trú') name!: string;
  @Text('Article and clause of the legal text the rule comes from', 'Regulation attached to Resolution 24/2024, regime b') clause!: string;
  @ApiProperty({ description: 'True where the figures are illustrative, not the resolution’s own table' }) illustrative!: boolean;
  @ApiProperty({
    oneOf: RULES.map((rule) => ({ $ref: getSchemaPath(rule) })),
    discriminator: { propertyName: 'kind', mapping: Object.fromEntries(KINDS.map((kind, n) => [kind, getSchemaPath(RULES[n])])) },
    description: 'How the amount is computed',
  })
  rule!: object;
}

class AgeBandBody {
  @Text('Unique in the version', '40-59') id!: string;
  @Text('Name of the band', 'Người từ 40 đến 59 tuổi') name!: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 150, description: 'Youngest age in whole years on the day of the check', example: 40 }) fromAge!: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 150, description: 'Oldest age, included; absent: and older', example: 59 }) toAge?: number;
}

class CheckKindBody {
  @Text('Unique in the version', 'sang-loc') id!: string;
  @Text('Name of the kind of check', 'Khám sàng lọc bệnh không lây nhiễm') name!: string;
}

class PriorityAreaBody {
  @Text('An administrative unit, with every unit under it', 'Xã Đam Rông 1') unit!: string;
  @Day('Its residents are eligible from this day') eligibleFrom!: string;
}

class UniversalCheckBody {
  @Text('Name of the programme', 'Khám sức khỏe định kỳ hoặc khám sàng lọc miễn phí cho người dân') name!: string;
  @Text('The passage of the legal text, cited with every check paid', 'Chương trình hành động thực hiện Nghị quyết số 72-NQ/TW, mục II.2.1') clause!: string;
  @ApiProperty({ description: 'True where the fees are illustrative, not the province’s own tariff' }) illustrative!: boolean;
  @ApiProperty({ type: [String], minItems: 1, description: 'Administrative units (with every unit under them) whose residents are covered', example: ['Tỉnh Lâm Đồng'] })
  residenceWithin!: string[];
  @Day('Residents outside every priority area are eligible from this day') eligibleFrom!: string;
  @ApiProperty({ type: [PriorityAreaBody], description: 'Areas eligible earlier than the rest' }) priorityAreas!: PriorityAreaBody[];
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12, description: 'Checks paid per resident per calendar year', example: 1 }) timesPerCalendarYear!: number;
  @ApiProperty({ type: [AgeBandBody], minItems: 1, description: 'Disjoint; an age in no band is not covered' }) ageBands!: AgeBandBody[];
  @ApiProperty({ type: [CheckKindBody], minItems: 1 }) checkKinds!: CheckKindBody[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    description: 'Whole VND paid to the facility per check, by age band then kind of check; a kind a band lacks is not offered to it',
    example: { '40-59': { 'dinh-ky': 300000, 'sang-loc': 450000 } },
  })
  feeByAgeBand!: Record<string, Record<string, number>>;
}

/**
 * A version of the officials' regimes (`regimes`; `kind` and `programme` may be left out) or of a
 * universal-check programme (`kind` "universal-check", `programme`, `check`).
 */
export class PolicyVersionBody {
  @Text('Unique id; slashes allowed (URL-encode it in paths)', 'lang-son/nq-24-2024/v2') id!: string;
  @ApiPropertyOptional({
    description: `The programme (policy line) the version belongs to; each has its own version in force. Absent: ${OFFICIALS_PROGRAMME}, the officials' regimes`,
    example: 'universal-health-check',
  })
  programme?: string;
  @ApiPropertyOptional({ enum: ['regimes', 'universal-check'], description: 'Absent: regimes' }) kind?: string;
  @Text('Province', 'Lạng Sơn') province!: string;
  @Text('The legal text', 'Resolution 24/2024/NQ-HĐND') legalBasis!: string;
  @Day('First day in force') effectiveFrom!: string;
  @Day('Last day in force, inclusive; absent while open-ended', { required: false }) effectiveTo?: string;
  @ApiPropertyOptional({ description: 'What the publisher wants readers to know', example: 'Figures marked illustrative are derived from the 2025 year-end report' }) note?: string;
  @ApiPropertyOptional({ type: [RegimeDefinitionBody], minItems: 1, description: 'The regimes of a version of the officials’ regimes' }) regimes?: RegimeDefinitionBody[];
  @ApiPropertyOptional({ type: UniversalCheckBody, description: 'The rules of a universal-check version' }) check?: UniversalCheckBody;
}

export class PublishedVersionBody {
  @Text('The version', 'lang-son/nq-24-2024/v3') versionId!: string;
  @ApiProperty({ description: 'False when the same version was published already: nothing recorded again' }) published!: boolean;
}
