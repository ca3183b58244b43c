import { ApiExtraModels, ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';
import { BENEFICIARY_GROUPS, REGIME_CODES } from '#domain';
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

export class PolicyVersionBody {
  @Text('Unique id; slashes allowed (URL-encode it in paths)', 'lang-son/nq-24-2024/v2') id!: string;
  @Text('Province', 'Lạng Sơn') province!: string;
  @Text('The legal text', 'Resolution 24/2024/NQ-HĐND') legalBasis!: string;
  @Day('First day in force') effectiveFrom!: string;
  @Day('Last day in force, inclusive; absent while open-ended', { required: false }) effectiveTo?: string;
  @ApiPropertyOptional({ description: 'What the publisher wants readers to know', example: 'Figures marked illustrative are derived from the 2025 year-end report' }) note?: string;
  @ApiProperty({ type: [RegimeDefinitionBody], minItems: 1 }) regimes!: RegimeDefinitionBody[];
}

export class PublishedVersionBody {
  @Text('The version', 'lang-son/nq-24-2024/v3') versionId!: string;
  @ApiProperty({ description: 'False when the same version was published already: nothing recorded again' }) published!: boolean;
}
