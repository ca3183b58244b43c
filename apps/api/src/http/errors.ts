import { type ArgumentsHost, BadRequestException, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, type ValidationError } from '@nestjs/common';
import { NotFound, NotPermitted, SignInThrottled } from '#application';
import { InvalidPolicyVersion, RuleViolated } from '#domain';
import { WrongExpectedRevision } from '#event-store';

/** A field of the request and what is wrong with it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The rules that mean "the thing addressed does not exist". */
const MISSING = new Set(['NotEnrolled', 'NotAdmitted', 'NoSuchClaim', 'NotScheduled', 'CardNotIssued', 'NoSuchPlan', 'NoSuchPolicyDraft', 'UnknownBeneficiary', 'UnknownCard', 'UnknownUnit', 'UnknownRegime', 'NoSuchFlag']);

function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The validation pipe's errors as one 400 naming every offending field. */
export function validationFailed(errors: ValidationError[]): BadRequestException {
  const fields = flatten(errors);
  return new BadRequestException({ error: 'Bad Request', message: `invalid request: ${[...new Set(fields.map((f) => f.field))].join(', ')}`, fields });
}

/**
 * Every error as JSON: 400 with the fields, 401/403, 404, 409 with the broken rule (a business
 * rule, or `ConcurrentChange` when others kept writing the same records).
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<{ status(code: number): { json(body: unknown): void }; setHeader(name: string, value: string): void }>();
    const send = (status: number, body: Record<string, unknown>) => response.status(status).json({ statusCode: status, ...body });

    if (error instanceof RuleViolated) {
      const fields = error.field ? [{ field: error.field, message: error.message }] : undefined;
      if (error.rule === 'InvalidInput') return void send(HttpStatus.BAD_REQUEST, { error: 'Bad Request', message: error.message, fields });
      if (MISSING.has(error.rule)) return void send(HttpStatus.NOT_FOUND, { error: 'Not Found', rule: error.rule, message: error.message, ...(fields ? { fields } : {}) });
      return void send(HttpStatus.CONFLICT, { error: 'Conflict', rule: error.rule, message: error.message, ...(fields ? { fields } : {}) });
    }
    if (error instanceof InvalidPolicyVersion) {
      const fields = error.problems.map((problem) => ({ field: problem.split(' ')[0]!, message: problem }));
      return void send(HttpStatus.BAD_REQUEST, { error: 'Bad Request', message: 'the policy version does not fit the schema', fields });
    }
    if (error instanceof SignInThrottled) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return void send(HttpStatus.TOO_MANY_REQUESTS, { error: 'Too Many Requests', rule: 'SignInThrottled', message: error.message, retryAfterSeconds: error.retryAfterSeconds });
    }
    if (error instanceof NotPermitted) return void send(HttpStatus.FORBIDDEN, { error: 'Forbidden', message: error.message });
    if (error instanceof NotFound) {
      return void send(HttpStatus.NOT_FOUND, { error: 'Not Found', message: error.message, ...(error.field ? { fields: [{ field: error.field, message: error.message }] } : {}) });
    }
    if (error instanceof WrongExpectedRevision) {
      return void send(HttpStatus.CONFLICT, { error: 'Conflict', rule: 'ConcurrentChange', message: 'others kept changing the same records; try again' });
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      return void send(error.getStatus(), typeof body === 'string' ? { message: body } : (body as Record<string, unknown>));
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    send(HttpStatus.INTERNAL_SERVER_ERROR, { error: 'Internal Server Error', message: 'something went wrong on our side; the error is logged' });
  }
}
