import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/** Shapes shared by the answers of several controllers, for the OpenAPI document. */

/** An amount of whole VND; negative where the description says so (recoveries, differences). */
export const Vnd = (description: string, options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'integer', description: `${description} (whole VND)`, example: 1500000, ...options });

export const Count = (description: string, options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'integer', minimum: 0, description, example: 3, ...options });

export const Day = (description: string, options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'string', format: 'date', description, example: '2025-07-01', ...options });

export const Text = (description: string, example: string, options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'string', description, example, ...options });

/** A group of the resolution (Đối tượng 1–6). */
export const Group = (description = 'Beneficiary group (Đối tượng)', options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'integer', minimum: 1, maximum: 6, description, example: 3, ...options });

/** The read models' log position an answer was read at (a decimal string: positions pass 2⁵³). */
export const Position = () =>
  applyDecorators(
    ApiProperty({
      type: 'string',
      pattern: '^\\d+$',
      description: 'The log position the read models had reached when read (quote it to read the same again)',
      example: '1024',
    }),
  );

/** A value of any JSON shape: the facts of recorded events, whose shape depends on their type and schema version. */
export const AnyJson = (description: string, options: ApiPropertyOptions = {}) =>
  ApiProperty({ description, type: 'object', additionalProperties: true, ...options } as ApiPropertyOptions);

export class HistoryEntryBody {
  @ApiProperty({ type: 'integer', description: 'Its revision in the stream, from 0', example: 0 }) revision!: number;
  @Text('The event type', 'ClaimRequested') type!: string;
  @AnyJson('The facts recorded, as the event type has them') data!: Record<string, unknown>;
  @Text('Who recorded it', 'clerk.lan') actor!: string;
  @ApiProperty({ type: [String], required: false, description: 'The roles they held', example: ['clerk'] }) roles?: string[];
  @Text('The command id (idempotency key) it was recorded under', '6f1c2d3e-…', { required: false }) commandId?: string;
  @ApiProperty({ type: 'string', format: 'date-time', example: '2025-07-01T08:30:00.000Z' }) recordedAt!: string;
}

/** One aggregate as it reads from its stream: its state now and every fact behind it. */
export function AggregateViewOf(name: string, State: Type<unknown>): Type<unknown> {
  class View {
    @Text('The stream it is read from', 'claim-7d1c…') streamId!: string;
    @ApiProperty({ type: State }) state!: unknown;
    @ApiProperty({ type: [HistoryEntryBody], description: 'Every recorded fact, oldest first' }) history!: HistoryEntryBody[];
  }
  Object.defineProperty(View, 'name', { value: name });
  return View;
}
