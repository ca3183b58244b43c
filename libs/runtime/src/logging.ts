import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { Options } from 'pino-http';
import { traceContext } from './trace-context.js';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Keys whose values never reach a log, wherever an object logged by mistake holds them:
 * credentials, and the personal data a request body carries.
 */
const SECRET_KEYS = ['password', 'currentPassword', 'newPassword', 'accessToken', 'token', 'code', 'nationalId', 'fullName', 'dateOfBirth'];

/** pino's paths have no "any depth": three levels cover a body logged under a key of a request. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`])];

/**
 * A process's logger: one JSON object a line, with an ISO time, at `level` and above; with tracing
 * on, a line written within a request carries its `traceId` and `spanId`.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = process.stdout): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime, mixin: () => traceContext() ?? {} }, destination);
}

/**
 * Nest's own messages through `logger` (the application then calls `useLogger(app.get(Logger))`
 * from nestjs-pino), and, with `http`, a line for each request. nestjs-pino keeps one request
 * logger per process: a process runs one Nest application with one logger.
 */
export function loggingModule(logger: Logger, http: Omit<Options, 'logger'> = { autoLogging: false }): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger, ...http } });
}
