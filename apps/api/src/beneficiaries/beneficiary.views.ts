import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AggregateViewOf, Day, Group, Text, Vnd } from '../http/views.js';
import { RecomputationOutcomeBody } from '../retroactivity/retroactivity.views.js';

/** The answers about beneficiaries, for the OpenAPI document. */

export class EnrolledBody {
  @Text('The new beneficiary’s id', '3f0c1a2e-…') beneficiaryId!: string;
}

class GroupPeriodBody {
  @Group() group!: number;
  @Day('Held from') from!: string;
}

export class BeneficiaryBody {
  @ApiProperty({ enum: ['registered', 'removed'] }) status!: string;
  @Text('The beneficiary', '3f0c1a2e-…') id!: string;
  @Day('Enrolled from') enrolledFrom!: string;
  @ApiProperty({ type: [GroupPeriodBody], description: 'The groups held, by valid date' }) groups!: GroupPeriodBody[];
  @Text('Title or position now', 'Bí thư Huyện ủy') title!: string;
  @Text('Administrative unit now', 'Huyện Cao Lộc') administrativeUnit!: string;
  @Day('Retired on', { required: false }) retiredOn?: string;
  @Day('Died on', { required: false }) diedOn?: string;
  @Day('Removed from the register on', { required: false }) removedOn?: string;
  @ApiPropertyOptional({ enum: [true], description: 'The person’s personal data was erased' }) erased?: boolean;
}

export const BeneficiaryView = AggregateViewOf('BeneficiaryView', BeneficiaryBody);

export class GroupOnBody {
  @Day('The date asked about') on!: string;
  @Group('The group held then; null: none', { nullable: true }) group!: number | null;
}

class AnnualCapLedgerBody {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Reserved and not yet paid, by request (whole VND)' })
  reserved!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Paid, by request (whole VND)' }) consumed!: Record<string, number>;
  @Vnd('Reserved plus consumed: what counts against the cap') used!: number;
}

export const AnnualLedgerView = AggregateViewOf('AnnualLedgerView', AnnualCapLedgerBody);

export class ErasedBody {
  @Text('The beneficiary', '3f0c1a2e-…') beneficiaryId!: string;
  @ApiProperty({ enum: [true] }) personalDataErased!: boolean;
}

export class CoverageEndBody extends RecomputationOutcomeBody {
  @ApiProperty({ type: BeneficiaryBody }) beneficiary!: BeneficiaryBody;
}
