import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ROLES } from '#application';
import { ADMIN_PASSWORD, API_BACKENDS, ok, operatorConfirms, type RunningApi, signIn, startApi } from './testing/api-backends.fixture.js';
import { answerDepartures, type OpenApiDocument } from './testing/openapi-answers.fixture.js';

/**
 * Fuzzes every operation of the OpenAPI document the API serves, anonymous and as an
 * administrator holding every role: path parameters, queries and bodies drawn from the schemas,
 * with hostile values mixed in. Whatever it sends, the API answers below 500, with a status and
 * a body the document gives for the operation, and a refusal leaves the log where it was.
 * `FUZZ_REQUESTS` sets the requests per backend (500 by default); `FUZZ_SEED` replays the seed a
 * failure prints.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 500);

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: Schema;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly allOf?: readonly Schema[];
}
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: Schema;
}
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: Schema;
}
interface Request {
  readonly method: string;
  /** The operation's path in the document; none when a path parameter is empty or a dot segment, which addresses another route. */
  readonly operation?: string;
  readonly path: string;
  readonly text?: string;
  readonly commandId?: string;
}

/** Values that broke or bent the API before: NUL, lone surrogates, numbers past 2³¹ and 2⁵³, other notations, LIKE wildcards, impossible dates. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '%',
  '_',
  '\\',
  "' OR 1=1 --",
  '0x7e9',
  '1e29',
  '2147483648',
  '9007199254740993',
  '99999999999999999999',
  '-1',
  ' 2025',
  '2025.0',
  'NaN',
  'Infinity',
  '2025-02-30',
  '0000-00-00',
  '9999-12-31',
  '1900-01-01',
  '2025-13-01',
  '../..',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  '=1+1',
  'ﬀ',
  '٢٠٢٥',
  'x'.repeat(600),
  'y'.repeat(5000),
];
const HOSTILE_NUMBERS = [-1, 0, 0.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 1e29];
const hostileText = fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: 'binary', maxLength: 24 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom<unknown>(...HOSTILE_NUMBERS, null, true, [], {}, [null], { '': 1 }, { '\u0000': 1 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A real policy version with one value made hostile, under a new id: values drawn from the schema alone rarely make a version valid enough to reach its deeper rules. */
const VERSION = JSON.parse(readFileSync('policies/lang-son-resolution-24-2024.json', 'utf8')) as Record<string, unknown>;
const leavesOf = (value: unknown, path: string[] = []): string[][] =>
  typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([key, child]) => leavesOf(child, [...path, key])) : [path];
const mutatedVersion = fc
  .tuple(fc.constantFrom(...leavesOf(VERSION)), hostileValue, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }))
  .map(([path, value, suffix]) => {
    const version = structuredClone(VERSION);
    const parent = path.slice(0, -1).reduce((node: any, key) => node[key], version);
    parent[path[path.length - 1]] = value;
    return { ...version, id: `${String(VERSION.id)}/fuzz-${suffix}`, effectiveFrom: '2099-01-01' };
  });

/** What reaches past the refusals: the ids of a beneficiary, card and policy version that exist. */
const KNOWN = { beneficiaryId: '', cardNumber: 'LS-FUZZ-0001', versionId: 'lang-son/nq-24-2024/v2' };

function resolve(document: { components?: { schemas?: Record<string, Schema> } }, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(document, document.components?.schemas?.[schema.$ref.split('/').pop()!]);
  if (schema.allOf)
    return schema.allOf
      .map((part) => resolve(document, part))
      .reduce(
        (all, part) => ({
          ...all,
          ...part,
          properties: { ...all.properties, ...part.properties },
          required: [...(all.required ?? []), ...(part.required ?? [])],
        }),
        {} as Schema,
      );
  return schema;
}

/** A value fitting the schema most of the time; a hostile one in its place now and then. */
function valueOf(schema: Schema, name: string, resolveRef: (schema: Schema | undefined) => Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolveRef(schema);
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (s.enum) candidates.push(fc.constantFrom(...s.enum));
  else if (s.example !== undefined && s.type !== 'object' && s.type !== 'array') candidates.push(fc.constant(s.example));
  if (/Id$|^id$/.test(name)) candidates.push(fc.constantFrom(KNOWN.beneficiaryId, KNOWN.versionId, `${KNOWN.beneficiaryId}-x`));
  if (/card/i.test(name)) candidates.push(fc.constant(KNOWN.cardNumber));
  switch (s.type) {
    case 'integer':
    case 'number':
      candidates.push(fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 10_000_000 }));
      break;
    case 'boolean':
      candidates.push(fc.boolean());
      break;
    case 'string':
      candidates.push(
        s.format === 'date'
          ? fc.date({ min: new Date('2024-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
          : fc.string({ minLength: 1, maxLength: 12 }),
      );
      break;
    case 'array':
      if (depth < 4) candidates.push(fc.array(valueOf(s.items ?? {}, name, resolveRef, depth + 1), { maxLength: 3 }));
      break;
    case 'object':
    default:
      if (s.properties && depth < 4) candidates.push(objectOf(s, resolveRef, depth + 1));
      else candidates.push(fc.object({ maxDepth: 2, maxKeys: 4 }));
  }
  return fc.oneof({ arbitrary: fc.oneof(...candidates), weight: 5 }, { arbitrary: hostileValue, weight: 1 });
}

function objectOf(schema: Schema, resolveRef: (schema: Schema | undefined) => Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {});
  return fc
    .tuple(
      ...fields.map(([name, property]) =>
        fc.option(valueOf(property, name, resolveRef, depth), { freq: (schema.required ?? []).includes(name) ? 12 : 2, nil: undefined }),
      ),
      fc.option(fc.tuple(hostileText, hostileValue), { freq: 6 }),
    )
    .map((values) => {
      const body: Record<string, unknown> = {};
      fields.forEach(([name], n) => {
        if (values[n] !== undefined) body[name] = values[n];
      });
      const extra = values[fields.length] as [string, unknown] | null;
      if (extra) body[extra[0]] = extra[1];
      return body;
    });
}

/** Percent-encodes any string, lone surrogates included (as the invalid UTF-8 a client could send). */
const encode = (text: string) => (text.isWellFormed() ? encodeURIComponent(text) : `%ED%A0%80${encodeURIComponent(text.toWellFormed())}`);
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

function requestsFor(operation: Operation, resolveRef: (schema: Schema | undefined) => Schema): fc.Arbitrary<Request> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const pathValue = (p: Parameter) => fc.oneof(valueOf(p.schema ?? { type: 'string' }, p.name, resolveRef).map(String), hostileText);
  const queryValue = (p: Parameter) =>
    fc.option(fc.oneof(valueOf(p.schema ?? { type: 'string' }, p.name, resolveRef).map(String), hostileText), { freq: 2, nil: undefined });
  const schemaBody = operation.path.startsWith('/policy-versions')
    ? fc.oneof(mutatedVersion, valueOf(operation.body ?? {}, 'body', resolveRef))
    : valueOf(operation.body ?? {}, 'body', resolveRef);
  const body: fc.Arbitrary<string | undefined> = operation.body
    ? fc.oneof(
        { arbitrary: schemaBody.map((value) => JSON.stringify(value) ?? 'null'), weight: 12 },
        {
          arbitrary: fc.constantFrom(undefined, '', 'null', '[]', '"x"', '{"a":', '{"a":1}{', nested(17), nested(5000), `{"pad":"${'z'.repeat(300 * 1024)}"}`),
          weight: 1,
        },
      )
    : fc.option(fc.constantFrom('{}', '{"x":1}', nested(5000)), { freq: 4, nil: undefined });
  return fc
    .record({
      path: fc.tuple(...pathParameters.map(pathValue)),
      query: fc.tuple(...queryParameters.map(queryValue)),
      extra: fc.option(fc.tuple(hostileText, hostileText), { freq: 5 }),
      text: body,
      commandId: fc.option(
        fc.oneof(
          fc.uuid(),
          fc.string({ unit: 'binary-ascii', maxLength: 120 }).map((id) => id.replace(/[^\x20-\x7e]/g, '')),
        ),
        { freq: 4, nil: undefined },
      ),
    })
    .map(({ path, query, extra, text, commandId }) => {
      let url = operation.path;
      pathParameters.forEach((p, n) => (url = url.replace(`{${p.name}}`, encode(path[n]))));
      const pairs = queryParameters.flatMap((p, n) => (query[n] === undefined ? [] : [`${encode(p.name)}=${encode(query[n])}`]));
      if (extra) pairs.push(`${encode(extra[0])}=${encode(extra[1])}`);
      const routed = pathParameters.every((_p, n) => !['', '.', '..'].includes(path[n]));
      return {
        method: operation.method.toUpperCase(),
        ...(routed ? { operation: operation.path } : {}),
        path: `${url}${pairs.length ? `?${pairs.join('&')}` : ''}`,
        ...(text === undefined ? {} : { text }),
        ...(commandId ? { commandId } : {}),
      };
    });
}

describe.each(API_BACKENDS)('hostile requests to every operation over %s', (_name, setup) => {
  let api: RunningApi;
  let operations: Operation[] = [];
  let requests: fc.Arbitrary<[Request, boolean]>;
  let adminToken = '';
  let served: OpenApiDocument;

  beforeAll(async () => {
    api = await startApi(setup);
    const admin = await signIn(api.base, 'admin', ADMIN_PASSWORD);
    await ok(admin.post('/users', { username: 'fuzz', fullName: 'Fuzz', roles: ROLES, password: 'fuzz-password-1' }), 201);
    await operatorConfirms(api, 'fuzz');
    adminToken = (await ok(admin.post('/auth/token', { username: 'fuzz', password: 'fuzz-password-1' }))).accessToken;
    ({ beneficiaryId: KNOWN.beneficiaryId } = await ok(
      admin.post('/beneficiaries', {
        fullName: 'Hoàng Văn Bình',
        dateOfBirth: '1968-05-12',
        nationalId: '020068007777',
        title: 'Bí thư Huyện ủy',
        administrativeUnit: 'Huyện Cao Lộc',
        group: 3,
        from: '2025-01-01',
      }),
      201,
    ));
    await ok(admin.post('/cards', { cardNumber: KNOWN.cardNumber, beneficiaryId: KNOWN.beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    const document = (await (await fetch(`${api.base}/docs-json`)).json()) as { paths: unknown; components?: { schemas?: Record<string, Schema> } };
    served = document as OpenApiDocument;
    operations = Object.entries(
      document.paths as Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, spec]) => ({
        method,
        path,
        parameters: spec.parameters ?? [],
        ...(spec.requestBody?.content?.['application/json'] ? { body: spec.requestBody.content['application/json'].schema ?? {} } : {}),
      })),
    );
    const resolveRef = (schema: Schema | undefined) => resolve(document, schema);
    requests = fc.tuple(
      fc.constantFrom(...operations).chain((operation) => requestsFor(operation, resolveRef)),
      fc.boolean(),
    );
  }, 120_000);
  afterAll(() => api.close());

  it(
    'answers every request below 500, and every refusal leaves the log as it was',
    async () => {
      expect(operations.length).toBeGreaterThan(50);
      await fc.assert(
        fc.asyncProperty(requests, async ([request, signedIn]) => {
          const before = await api.runtime.store.readHeadPosition();
          const response = await fetch(`${api.base}${request.path}`, {
            method: request.method,
            headers: {
              'content-type': 'application/json',
              ...(signedIn ? { authorization: `Bearer ${adminToken}` } : {}),
              ...(request.commandId ? { 'command-id': request.commandId } : {}),
            },
            ...(request.text === undefined || request.method === 'GET' ? {} : { body: request.text }),
          });
          const text = await response.text();
          const answer = `${request.method} ${request.path.slice(0, 300)} ${request.text?.slice(0, 300) ?? ''} → ${response.status} ${text.slice(0, 300)}`;
          if (response.status >= 500) throw new Error(`a server error: ${answer}`);
          const json = response.headers.get('content-type')?.startsWith('application/json');
          const departed = request.operation
            ? answerDepartures(served, request.method, request.operation, response.status, json ? JSON.parse(text) : undefined)
            : [];
          if (departed.length > 0) throw new Error(`an answer the document does not give: ${answer}: ${departed.join('; ')}`);
          if (response.status >= 400) {
            expect({ answer, body: JSON.parse(text) }).toMatchObject({ body: { statusCode: response.status, message: expect.anything() } });
            if ((await api.runtime.store.readHeadPosition()) !== before) throw new Error(`a refusal changed the log: ${answer}`);
          }
        }),
        { numRuns: REQUESTS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
      );
    },
    REQUESTS * 1_000,
  );
});
