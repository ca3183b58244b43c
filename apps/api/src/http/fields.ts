import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_TEXT_LENGTH } from '#domain';

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
    MaxLength(MAX_TEXT_LENGTH),
  );

/** A TOTP code as authenticator apps show it: six digits. */
export const SecondFactorCodeField = (description: string, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ description, example: '492039', pattern: '^\\d{6}$' }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    Matches(/^\d{6}$/, { message: '$property must be the six digits the authenticator shows' }),
  );

/** Far above any budget line of a province, and well inside what amounts are summed in exactly. */
const MAX_VND = 1_000_000_000_000;

export const VndField = (description: string, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({
      description: `${description} (whole VND)`,
      example: 1500000,
      type: 'integer',
      minimum: 0,
      maximum: MAX_VND,
    }),
    ...(optional ? [IsOptional()] : []),
    IsInt({ message: '$property must be a whole number of VND' }),
    Min(0),
    Max(MAX_VND),
  );

/**
 * A whole number in a path or a query, written in decimal digits only: `0x7e9`, `1e3`, ` 2025`
 * or `2025.0` are not read as numbers, whatever JavaScript's Number() would make of them.
 */
export const WholeNumberField = (description: string, minimum: number, maximum: number, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ description, type: 'integer', minimum, maximum }),
    ...(optional ? [IsOptional()] : []),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value)),
    IsInt({ message: '$property must be a whole number in decimal digits' }),
    Min(minimum),
    Max(maximum),
  );

/** The years the province's records can hold. */
export const YearField = (description: string, optional = false) => WholeNumberField(description, 2000, 2100, optional);

/** A position in the log, as reads and reports quote it; no log reaches 18 digits, and PostgreSQL's bigint holds them all. */
export const LogPositionField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, example: '1024', pattern: '^\\d{1,18}$' }),
    IsOptional(),
    Matches(/^\d{1,18}$/, { message: '$property must be a log position (up to 18 digits)' }),
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

  @ApiPropertyOptional({
    description: 'Why it is meant (required when deliberate); kept in the recorded event',
    example: 'Transferred to the central hospital the same day',
  })
  @ValidateIf((body: DeliberateRepeat) => body.deliberate === true)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH)
  deliberateReason?: string;
}

/** The command's facts: the reason kept only when the repeat is marked deliberate. */
export function withDeliberation<Body extends DeliberateRepeat>(body: Body): Omit<Body, 'deliberate' | 'deliberateReason'> & { deliberateReason?: string } {
  const { deliberate, deliberateReason, ...facts } = body;
  return { ...facts, ...(deliberate ? { deliberateReason: deliberateReason! } : {}) };
}

/** A yes-or-no query parameter, written `true` or `false`: anything else is refused rather than taken for one of them. */
export const BooleanField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, type: 'boolean' }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: '$property must be true or false' }),
  );
