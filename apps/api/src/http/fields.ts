import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';

/** Composite field decorators: validation and the OpenAPI description in one place. */
export const DateField = (description: string, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ description, example: '2025-07-01', format: 'date' }),
    ...(optional ? [IsOptional()] : []),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' }),
  );

export const TextField = (description: string, example: string, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ description, example }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    IsNotEmpty(),
    MaxLength(500),
  );

export const VndField = (description: string, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ description: `${description} (whole VND)`, example: 1500000, type: 'integer' }),
    ...(optional ? [IsOptional()] : []),
    IsInt({ message: '$property must be a whole number of VND' }),
    Min(0),
  );

/**
 * A stay overlapping another of the beneficiary's, or a claim repeating one already recorded, is
 * refused (`OverlappingStay`, `DuplicateClaim`) unless the clerk marks it deliberate and says why.
 */
export class DeliberateRepeat {
  @ApiPropertyOptional({ description: 'Record it although it overlaps or repeats one already recorded; needs deliberateReason', example: true })
  @IsOptional()
  @IsBoolean()
  deliberate?: boolean;

  @ApiPropertyOptional({ description: 'Why it is meant (required when deliberate); kept in the recorded event', example: 'Transferred to the central hospital the same day' })
  @ValidateIf((body: DeliberateRepeat) => body.deliberate === true)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  deliberateReason?: string;
}

/** The command's facts: the reason kept only when the repeat is marked deliberate. */
export function withDeliberation<Body extends DeliberateRepeat>(body: Body): Omit<Body, 'deliberate' | 'deliberateReason'> & { deliberateReason?: string } {
  const { deliberate, deliberateReason, ...facts } = body;
  return { ...facts, ...(deliberate ? { deliberateReason: deliberateReason! } : {}) };
}
