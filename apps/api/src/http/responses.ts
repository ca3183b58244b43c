import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { ContentObject, SchemaObject } from '@nestjs/swagger';

/**
 * The error bodies the API answers with (see errors.ts) and the decorators that describe an
 * operation's answers in the OpenAPI document, so that a generated client knows each shape.
 */

export class FieldProblemBody {
  @ApiProperty({ description: 'The offending field, by its path in the request (or `body`, `file`, a header name)', example: 'dateOfBirth' }) field!: string;
  @ApiProperty({ description: 'What is wrong with it', example: 'dateOfBirth must be a date YYYY-MM-DD' }) message!: string;
}

export class ErrorBody {
  @ApiProperty({ description: 'The HTTP status again', example: 404 }) statusCode!: number;
  @ApiPropertyOptional({ description: 'The status text', example: 'Not Found' }) error?: string;
  @ApiProperty({ description: 'What went wrong, for a person to read', example: 'no claim 7d1c…' }) message!: string;
}

export class InvalidRequestBody extends ErrorBody {
  @ApiProperty({ example: 400 }) declare statusCode: number;
  @ApiPropertyOptional({ type: [FieldProblemBody], description: 'Every offending field of the request' }) fields?: FieldProblemBody[];
}

export class BodyRefusedBody extends ErrorBody {
  @ApiProperty({ example: 413 }) declare statusCode: number;
  @ApiProperty({ type: [FieldProblemBody], description: 'The body as a whole: `body`' }) fields!: FieldProblemBody[];
}

export class UnauthorizedBody extends ErrorBody {
  @ApiProperty({ example: 401 }) declare statusCode: number;
  @ApiPropertyOptional({
    enum: ['SecondFactorRequired', 'WrongSecondFactorCode'],
    description: 'Signing in only: the password was right, the second factor is missing or wrong',
  })
  rule?: string;
  @ApiPropertyOptional({ type: [FieldProblemBody] }) fields?: FieldProblemBody[];
}

export class ForbiddenBody extends ErrorBody {
  @ApiProperty({ example: 403 }) declare statusCode: number;
}

export class NotFoundBody extends ErrorBody {
  @ApiPropertyOptional({ description: 'The business rule that found nothing, e.g. NoSuchClaim, UnknownCard', example: 'NoSuchClaim' }) rule?: string;
  @ApiPropertyOptional({ type: [FieldProblemBody], description: 'The field of the request that named what does not exist' }) fields?: FieldProblemBody[];
}

export class RuleViolatedBody extends ErrorBody {
  @ApiProperty({ example: 409 }) declare statusCode: number;
  @ApiProperty({
    description: 'The business rule the request would break (`ConcurrentChange`: others kept writing the same records; try again)',
    example: 'ApprovingOwnRequest',
  })
  rule!: string;
  @ApiPropertyOptional({ type: [FieldProblemBody] }) fields?: FieldProblemBody[];
}

export class LimitExceededBody extends ErrorBody {
  @ApiProperty({ example: 422 }) declare statusCode: number;
  @ApiProperty({ description: 'The upload limit passed', example: 'TooManyRows' }) rule!: string;
  @ApiProperty({ type: [FieldProblemBody] }) fields!: FieldProblemBody[];
  @ApiProperty({ description: 'The setting that bounds it', example: 'IMPORT_MAX_ROWS' }) limit!: string;
  @ApiProperty({ description: 'Its value', example: 5000, type: 'integer' }) max!: number;
}

export class ThrottledBody extends ErrorBody {
  @ApiProperty({ example: 429 }) declare statusCode: number;
  @ApiProperty({ enum: ['SignInThrottled'] }) rule!: string;
  @ApiProperty({ description: 'As the Retry-After header', example: 60, type: 'integer' }) retryAfterSeconds!: number;
}

/** The answers that are not errors: a body of a DTO class (`[Class]` for a list), a schema, or none. */
type Answer = Type<unknown> | [Type<unknown>] | SchemaObject;

const isSchema = (answer: Answer): answer is SchemaObject => typeof answer === 'object' && !Array.isArray(answer);
const isContent = (answer: OperationSpec['answer']): answer is { readonly content: ContentObject } => typeof answer === 'object' && 'content' in answer;

export interface OperationSpec {
  /** The client's method name. */
  readonly id: string;
  readonly summary: string;
  readonly description?: string;
  /** The body of the 200 (or 201 with `created`) answer, as JSON; or its media types and their bodies. */
  readonly answer: Answer | { readonly content: ContentObject };
  readonly answerDescription?: string;
  readonly created?: boolean;
  /** The error answers the operation gives besides 401 and 403 (see `SignedIn` and `Allowed`). */
  readonly errors?: readonly ('invalid' | 'missing' | 'conflict')[];
}

const ERROR_ANSWERS = {
  invalid: applyDecorators(
    ApiBadRequestResponse({ type: InvalidRequestBody, description: 'The request does not fit: every offending field named; nothing recorded' }),
    ApiPayloadTooLargeResponse({ type: BodyRefusedBody, description: 'A body past the size limit (256 KB); nothing recorded' }),
  ),
  missing: ApiNotFoundResponse({
    type: NotFoundBody,
    description: 'Nothing with this id (the rule, and the field that named it, when the request body named it)',
  }),
  conflict: ApiConflictResponse({ type: RuleViolatedBody, description: 'A business rule refuses it (rule named); nothing recorded' }),
} as const;

/** One operation as a client sees it: its method name, what it does, its answer and the errors it gives. */
export function Operation(spec: OperationSpec) {
  const success = spec.created ? ApiCreatedResponse : ApiOkResponse;
  const answer = isContent(spec.answer)
    ? { content: spec.answer.content }
    : isSchema(spec.answer)
      ? { schema: spec.answer }
      : { type: Array.isArray(spec.answer) ? spec.answer[0] : spec.answer, isArray: Array.isArray(spec.answer) };
  return applyDecorators(
    ApiOperation({ operationId: spec.id, summary: spec.summary, ...(spec.description ? { description: spec.description } : {}) }),
    success({ ...answer, description: spec.answerDescription ?? (spec.created ? 'Recorded' : 'OK') }),
    ...(spec.errors ?? []).map((error) => ERROR_ANSWERS[error]),
  );
}

/** Controllers (or operations) of signed-in users: the bearer token from POST /auth/token, 401 without a valid one. */
export const SignedIn = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: UnauthorizedBody, description: 'No access token, or one invalid or expired: sign in again' }),
  );

/** A route anyone may call: no security requirement (the empty one). */
export const Anonymous = () => ApiSecurity({});

export const Throttled = () => ApiTooManyRequestsResponse({ type: ThrottledBody, description: 'SignInThrottled after repeated failures, with Retry-After' });

/** 422: an upload past a limit, or (`others`) a body of the operation's own that says what it cannot process. */
export const Unprocessable = (description: string, ...others: Type<unknown>[]) =>
  applyDecorators(
    ApiExtraModels(LimitExceededBody, ...others),
    ApiUnprocessableEntityResponse({ description, schema: { oneOf: [LimitExceededBody, ...others].map((model) => ({ $ref: getSchemaPath(model) })) } }),
  );
