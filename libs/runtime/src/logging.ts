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
const SECRET_KEYS = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'accessToken',
  'token',
  'code',
  'nationalId',
  'fullName',
  'dateOfBirth',
  'authorization',
  'cookie',
  'set-cookie',
]);
const CENSORED = '[redacted]';
const MAX_DEPTH = 8;

const isPlainData = (value: unknown): value is Record<string, unknown> | unknown[] =>
  Array.isArray(value) || (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null));

/**
 * `value` with every secret key's value censored, at any depth (to a bound, against cycles), in
 * plain objects and arrays: instances (a request, an error) are left to their serializers, which
 * write none of their secrets. Copies only the objects on the way to a secret, so a line holding
 * none costs one walk and no allocation: pino's own wildcard paths cost ten times the whole line.
 */
export function scrubbed(value: unknown, depth = 0): unknown {
  if (!isPlainData(value) || depth >= MAX_DEPTH) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    const next = typeof key === 'string' && SECRET_KEYS.has(key) ? CENSORED : scrubbed(item, depth + 1);
    if (next === item) continue;
    copy ??= Array.isArray(value) ? [...value] : { ...value };
    (copy as Record<string | number, unknown>)[key] = next;
  }
  return copy ?? value;
}

/**
 * A process's logger: one JSON object a line, with an ISO time, at `level` and above, secrets and
 * personal data censored; with tracing on, a line written within a request carries its `traceId`
 * and `spanId`.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = process.stdout): Logger {
  return pino(
    {
      level,
      formatters: { log: (object) => scrubbed(object) as Record<string, unknown> },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => traceContext() ?? {},
    },
    destination,
  );
}

/**
 * Nest's own messages through `logger` (the application then calls `useLogger(app.get(Logger))`
 * from nestjs-pino), and, with `http`, a line for each request. nestjs-pino keeps one request
 * logger per process: a process runs one Nest application with one logger.
 */
export function loggingModule(logger: Logger, http: Omit<Options, 'logger'> = { autoLogging: false }): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger, ...http } });
}
