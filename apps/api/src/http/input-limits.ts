import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type FieldProblem, invalidRequest } from './errors.js';

/** The largest JSON body read; the biggest real ones (a policy version, 500 claim ids) stay far below. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * How deep a body may nest. Policy versions, the deepest real bodies, reach 5; converting a body
 * into its class recurses once per level, so thousands of levels would overflow the stack.
 */
export const MAX_BODY_DEPTH = 16;

/** Ids in paths and id lists: beneficiaries, claims, policy versions with their slashes are far shorter. */
export const MAX_ID_LENGTH = 200;

/**
 * Text PostgreSQL cannot store (a NUL character) or that is not Unicode at all (a lone surrogate,
 * which JSON's `\ud800` escapes can carry) fails deep in a write, after part of a command may
 * have run: it is refused before anything reads it.
 */
function unreadable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (!text.isWellFormed()) return 'must be valid Unicode text';
  return undefined;
}

/** The first string (value or key) in `value` that `check` refuses, or nesting past the limit, named by its path. */
function firstProblem(value: unknown, root: string, check: (text: string) => string | undefined): FieldProblem | undefined {
  const pending: Array<[unknown, string, number]> = [[value, root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, path, depth] = next;
    if (typeof current === 'string') {
      const problem = check(current);
      if (problem) return { field: path || 'body', message: `${path || 'the body'} ${problem}` };
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_BODY_DEPTH) return { field: 'body', message: `the body nests deeper than ${MAX_BODY_DEPTH} levels` };
    for (const [key, child] of Object.entries(current)) {
      const problem = unreadable(key);
      if (problem) return { field: path || 'body', message: `a key of ${path || 'the body'} ${problem}` };
      pending.push([child, Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Refuses a body the pipe would refuse. The command context reads the body too (to fingerprint the
 * request), before any pipe runs, and must not walk a body nested past the limit.
 */
export function requireReadableBody(body: unknown): void {
  const problem = firstProblem(body, '', unreadable);
  if (problem) throw invalidRequest([problem]);
}

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

const pathParam = (text: string) => unreadable(text) ?? (text.length > MAX_ID_LENGTH ? `must be at most ${MAX_ID_LENGTH} characters` : undefined);

/**
 * Runs before validation on every body, path parameter and query: what it refuses would
 * otherwise reach class conversion, the domain or the database as a 500.
 */
@Injectable()
export class InputLimitsPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (type === 'custom') return value;
    if (type === 'body' && data === undefined && !isObject(value)) {
      throw invalidRequest([{ field: 'body', message: 'send the body as a JSON object (Content-Type: application/json)' }]);
    }
    const problem = firstProblem(value, data ?? '', type === 'param' ? pathParam : unreadable);
    if (problem) throw invalidRequest([problem]);
    return value;
  }
}
