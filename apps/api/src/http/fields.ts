import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

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
