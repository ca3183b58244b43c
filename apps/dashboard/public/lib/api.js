import { PROVINCE_PATH, state, words } from './state.js';

/** What the API refused: the status, the broken rule (409), the offending fields (400). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? String(status));
    this.status = status;
    this.rule = body?.rule;
    this.fields = Array.isArray(body?.fields) ? body.fields : [];
  }

  /** The refusal in the reader's words: the rule's, else by status; the API's English never shows. */
  get said() {
    if (this.rule && words.has('rule', this.rule)) return words.code('rule', this.rule);
    if (this.status === 403) return words.code('rule', 'forbidden');
    if (this.status === 404) return words.code('rule', 'notFound');
    if (this.status === 400) return words.t('checkFields');
    if (this.status === 503) return words.code('rule', 'unavailable');
    return words.code('rule', 'unknown');
  }
}

/**
 * Where the API is: beside the dashboard, so that a province served at /provinces/{id}/ has its
 * dashboard at /provinces/{id}/dashboard/ talking to its own API, and the process's own province at /.
 */
export const apiUrl = (path) => `${PROVINCE_PATH}${path}`;

let unauthorized = () => {};
/** What to do when the token is no longer accepted: sign out. */
export const onUnauthorized = (handler) => (unauthorized = handler);

export async function api(path, options = {}) {
  const response = await fetch(apiUrl(path), {
    ...options,
    headers: {
      ...(options.body && !(options.body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
      ...(state.token ? { authorization: `Bearer ${state.token}` } : {}),
      ...options.headers,
    },
  });
  if (response.status === 401 && state.token) {
    unauthorized();
    throw new ApiError(401, { message: words.t('sessionEnded') });
  }
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.blob();
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** A command, with an id of its own so that a retried request is recorded once. */
export const post = (path, body) => api(path, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'command-id': crypto.randomUUID() } });

export const query = (parameters) =>
  new URLSearchParams(Object.entries(parameters).filter(([, value]) => value !== undefined && value !== null && value !== '')).toString();

/**
 * Reads until `settled(answer)` holds, a few times a second for a few seconds: the read models
 * apply a command a moment after the API recorded it, and a queue should not show again what was
 * just done.
 */
export async function readUntil(read, settled, attempts = 25) {
  let answer = await read();
  for (let attempt = 1; attempt < attempts && !settled(answer); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await read();
  }
  return answer;
}
