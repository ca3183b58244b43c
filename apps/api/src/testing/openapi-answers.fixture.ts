/** Checks of the API's answers against its OpenAPI document, for the e2e specs. */

export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

/** Where `value` departs from `schema`: the JSON Schema subset Nest writes, and no property it does not name. */
export function departures(document: OpenApiDocument, schema: Schema, value: unknown, at: string): string[] {
  if (schema.$ref) return departures(document, document.components.schemas[schema.$ref.split('/').pop()!], value, at);
  if (value === null) return schema.nullable ? [] : [`${at} is null`];
  if (schema.allOf) return schema.allOf.flatMap((part) => departures(document, part, value, at));
  if (schema.oneOf) return schema.oneOf.some((option) => departures(document, option, value, at).length === 0) ? [] : [`${at} fits none of its schemas`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at} is ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`];
  const is = (fits: boolean) => (fits ? [] : [`${at} is ${JSON.stringify(value)}, not ${schema.type}`]);
  switch (schema.type) {
    case 'integer':
      return is(Number.isSafeInteger(value));
    case 'number':
      return is(typeof value === 'number');
    case 'string':
      return is(typeof value === 'string');
    case 'boolean':
      return is(typeof value === 'boolean');
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, n) => departures(document, schema.items ?? {}, item, `${at}[${n}]`)) : is(false);
  }
  if (typeof value !== 'object' || Array.isArray(value)) return is(false);
  const record = value as Record<string, unknown>;
  const missing = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name} is missing`);
  return [
    ...missing,
    ...Object.entries(record).flatMap(([name, property]) => {
      const declared = schema.properties?.[name] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (declared) return departures(document, declared, property, `${at}.${name}`);
      return schema.additionalProperties === true ? [] : [`${at}.${name} is not in the document`];
    }),
  ];
}

/** Where an answer departs from the document: a status it does not list for the operation, or a JSON body not of the shape it gives. */
export function answerDepartures(document: OpenApiDocument, method: string, path: string, status: number, body: unknown): string[] {
  const documented = document.paths[path]?.[method.toLowerCase()]?.responses[status];
  if (!documented) return [`${status} is not among the answers the document gives`];
  const schema = documented.content?.['application/json']?.schema;
  return schema ? departures(document, schema, body, 'body') : [];
}
