import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, BadRequestException, Catch, type ExceptionFilter, HttpException, HttpStatus, type ValidationError } from '@nestjs/common';
import { ImportLimitExceeded, NotFound, NotPermitted, SignInThrottled } from '#application';
import { InvalidPolicyVersion, RuleViolated } from '#domain';
import { isDatabaseUnavailable } from '#database';
import { WrongExpectedRevision } from '#event-store';

/** How long a client should wait before trying again when the database is out of reach (a restart or failover takes seconds). */
const RETRY_AFTER_SECONDS = 5;

/** A field of the request and what is wrong with it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The rules that mean "the thing addressed does not exist". */
const MISSING = new Set([
  'NotEnrolled',
  'NotAdmitted',
  'NoSuchClaim',
  'NotScheduled',
  'CardNotIssued',
  'NoSuchPlan',
  'NoSuchPolicyDraft',
  'UnknownBeneficiary',
  'UnknownCard',
  'UnknownUnit',
  'UnknownRegime',
  'NoSuchFlag',
]);

function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** One 400 naming every offending field: the shape of every refused input. */
export function invalidRequest(fields: readonly FieldProblem[]): BadRequestException {
  return new BadRequestException({ error: 'Bad Request', message: `invalid request: ${[...new Set(fields.map((f) => f.field))].join(', ')}`, fields });
}

/** The validation pipe's errors as one 400 naming every offending field. */
export function validationFailed(errors: ValidationError[]): BadRequestException {
  return invalidRequest(flatten(errors));
}

/**
 * What the body parser refuses (malformed JSON, a body past the size limit, an unknown charset)
 * comes with the http-errors `type` it set; it is about the body as a whole.
 */
function bodyRefused(error: HttpException): FieldProblem | undefined {
  const cause = error.cause as { type?: unknown } | undefined;
  return typeof cause?.type === 'string' && /^(entity|encoding|charset)\./.test(cause.type) ? { field: 'body', message: error.message } : undefined;
}

/**
 * Every error as JSON: 400 with the fields, 401/403, 404, 409 with the broken rule (a business
 * rule, or `ConcurrentChange` when others kept writing the same records), 422 with the rule and
 * the setting of an upload limit passed. A server error is handed to the request's log line
 * (`err`, see request-logging.ts), which logs it once, with its stack, the request and the user.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void }; setHeader(name: string, value: string): void; err?: unknown }>();
    const send = (status: number, body: Record<string, unknown>) => response.status(status).json({ statusCode: status, ...body });

    if (RuleViolated.is(error)) {
      const fields = error.field ? [{ field: error.field, message: error.message }] : undefined;
      if (error.rule === 'InvalidInput') return void send(HttpStatus.BAD_REQUEST, { error: 'Bad Request', message: error.message, fields });
      if (MISSING.has(error.rule))
        return void send(HttpStatus.NOT_FOUND, { error: 'Not Found', rule: error.rule, message: error.message, ...(fields ? { fields } : {}) });
      return void send(HttpStatus.CONFLICT, { error: 'Conflict', rule: error.rule, message: error.message, ...(fields ? { fields } : {}) });
    }
    if (error instanceof InvalidPolicyVersion) {
      const fields = error.problems.map((problem) => ({ field: problem.split(' ')[0], message: problem }));
      return void send(HttpStatus.BAD_REQUEST, { error: 'Bad Request', message: 'the policy version does not fit the schema', fields });
    }
    if (error instanceof ImportLimitExceeded) {
      const { rule, limit, max, message } = error;
      return void send(HttpStatus.UNPROCESSABLE_ENTITY, { error: 'Unprocessable Entity', rule, message, fields: [{ field: 'file', message }], limit, max });
    }
    if (error instanceof SignInThrottled) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return void send(HttpStatus.TOO_MANY_REQUESTS, {
        error: 'Too Many Requests',
        rule: 'SignInThrottled',
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      });
    }
    if (error instanceof NotPermitted) return void send(HttpStatus.FORBIDDEN, { error: 'Forbidden', message: error.message });
    if (error instanceof NotFound) {
      return void send(HttpStatus.NOT_FOUND, {
        error: 'Not Found',
        message: error.message,
        ...(error.field ? { fields: [{ field: error.field, message: error.message }] } : {}),
      });
    }
    if (error instanceof WrongExpectedRevision) {
      return void send(HttpStatus.CONFLICT, { error: 'Conflict', rule: 'ConcurrentChange', message: 'others kept changing the same records; try again' });
    }
    if (error instanceof HttpException) {
      const refused = bodyRefused(error);
      if (refused) return void send(error.getStatus(), { error: STATUS_CODES[error.getStatus()], message: refused.message, fields: [refused] });
      const body = error.getResponse();
      return void send(error.getStatus(), typeof body === 'string' ? { message: body } : (body as Record<string, unknown>));
    }
    response.err = error;
    if (isDatabaseUnavailable(error)) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return void send(HttpStatus.SERVICE_UNAVAILABLE, { error: 'Service Unavailable', message: 'the database cannot be reached just now; try again shortly' });
    }
    send(HttpStatus.INTERNAL_SERVER_ERROR, { error: 'Internal Server Error', message: 'something went wrong on our side; the error is logged' });
  }
}
