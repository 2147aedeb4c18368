/**
 * Hostile requests from a served OpenAPI 3 document: for every operation,
 * malformed path parameters, wrong query values and broken bodies, so a test
 * can show that a service answers each with a 4xx and never a 5xx. Written by
 * hand because the OpenAPI sample generators on npm produce valid examples,
 * and the hostile cases are what matter here. The list is bounded and, for
 * one seed, always the same, so a failure names a request that can be resent.
 */

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface HostileRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path to request, parameters filled in and query string included. */
  readonly path: string;
  /** `METHOD /templated/path` of the operation the request aims at. */
  readonly operation: string;
  /** What is hostile about it, e.g. `path id: not a UUID`. */
  readonly case: string;
  /** The raw body text; absent means no body at all. */
  readonly body?: string;
  /** The Content-Type to send with the body. */
  readonly contentType?: string;
  /** The Idempotency-Key header: a value, or null to send none. */
  readonly idempotencyKey: string | null;
}

export interface HostileRequestOptions {
  /** Same seed, same list. */
  readonly seed?: number;
  /** At most this many requests per operation (a seeded sample when there are more). */
  readonly maxPerOperation?: number;
  /**
   * A value of a path parameter that names something stored (an existing
   * series' id, say), so that query and body cases reach the use case rather
   * than stop at "not found"; a sampled UUID when absent.
   */
  readonly pathValue?: (template: string, parameter: string) => string | undefined;
  /**
   * The Idempotency-Key of the requests that send a well-formed one; seeded
   * when absent. A service remembers keys, so runs against one store pass a
   * fresh source (randomUUID) lest a run's key meet the last run's.
   */
  readonly idempotencyKey?: () => string;
}

/** The length of the "very long" strings in bodies (the brief of every review: 100,000). */
export const LONG_STRING_LENGTH = 100_000;

/** Items in the "huge array" case: far past any list a form sends. */
export const HUGE_ARRAY_LENGTH = 10_000;

const BODY_METHODS = new Set(['post', 'put', 'patch']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Malformed path values; every one is already percent-encoded for the URL. */
export const MALFORMED_PATH_VALUES: readonly { name: string; value: string }[] = [
  { name: 'not a UUID', value: 'not-a-uuid' },
  { name: 'very long', value: 'a'.repeat(3000) },
  { name: 'percent-encoded NUL', value: 'abc%00def' },
  { name: 'percent-encoded slashes', value: '%2F%2F..%2Fetc%2Fpasswd' },
  { name: 'emoji', value: encodeURIComponent('😀🎓') },
  { name: 'dot-dot', value: '..%2F..%2F' },
  { name: 'UUID with trailing junk', value: '00000000-0000-4000-8000-000000000000x' },
];

/** mulberry32: tiny, seeded, and good enough to pick and shuffle cases. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-formed version-4 UUID from the generator: an id nothing stored has. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)] ?? '8';
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function resolve(document: OpenApiDocument, schema: Schema | undefined, depth = 0): Schema {
  if (schema === undefined || depth > 20) return {};
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(document, document.components?.schemas?.[name], depth + 1);
  }
  const merged = schema.allOf?.map((part) => resolve(document, part, depth + 1));
  if (merged !== undefined && merged.length > 0)
    return {
      ...schema,
      properties: Object.assign({}, ...merged.map((part) => part.properties ?? {})) as Record<
        string,
        Schema
      >,
      type: 'object',
    };
  const first = schema.anyOf ?? schema.oneOf;
  if (first !== undefined && first.length > 0 && schema.type === undefined)
    return resolve(
      document,
      first.find((part) => resolve(document, part).type !== 'null') ?? first[0],
      depth + 1,
    );
  return schema;
}

const typeOf = (schema: Schema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;

/** A plausible valid value, so one hostile field is not hidden behind another missing one. */
function sample(
  document: OpenApiDocument,
  raw: Schema | undefined,
  random: () => number,
  depth = 0,
): unknown {
  const schema = resolve(document, raw);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'object': {
      if (depth > 4) return {};
      const entries = Object.entries(schema.properties ?? {}).map(([name, property]) => [
        name,
        sample(document, property, random, depth + 1),
      ]);
      return Object.fromEntries(entries);
    }
    case 'array':
      return depth > 4 ? [] : [sample(document, schema.items, random, depth + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return uuidFrom(random);
      if (schema.format === 'date-time') return '2030-01-01T09:00:00.000Z';
      if (schema.format === 'date') return '2030-01-01';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return 'x';
  }
}

/** A value of a type the schema does not accept. */
function wrongTyped(schema: Schema): unknown {
  switch (typeOf(schema)) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return { unexpected: [null] };
  }
}

/**
 * Dates a format check accepts or nearly does but a program may not: the
 * year 0, the far future, a 30th of February, past what a Date can hold.
 */
export const EXTREME_DATES: readonly string[] = [
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '2026-02-30T10:00:00.000Z',
  '+275760-09-14T00:00:00.000Z',
];

/** Values at or past the edges of a schema that is otherwise the right type. */
function edgeValues(schema: Schema): { name: string; value: unknown }[] {
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number')
    return [
      { name: 'past the largest safe integer', value: Number.MAX_SAFE_INTEGER * 4 },
      { name: 'negative', value: -1 },
    ];
  if (type === 'string' && (schema.format === 'date-time' || schema.format === 'date'))
    return EXTREME_DATES.map((value) => ({
      name: `date ${value}`,
      value: schema.format === 'date' ? value.slice(0, value.indexOf('T')) : value,
    }));
  return [];
}

/** Values that are not what a query parameter declares, each already encoded. */
function hostileQueryValues(schema: Schema): { name: string; values: string[] }[] {
  const type = typeOf(schema);
  const numeric = type === 'integer' || type === 'number';
  const below = schema.minimum !== undefined ? schema.minimum - 1 : -1;
  const above = schema.maximum !== undefined ? schema.maximum + 1 : 1e12;
  return [
    { name: 'wrong type', values: [numeric || type === 'boolean' ? 'abc' : '%7B%7D'] },
    { name: 'out of range (low)', values: [String(below)] },
    { name: 'out of range (high)', values: [String(above)] },
    { name: 'fractional', values: ['1.5'] },
    { name: 'empty', values: [''] },
    { name: 'huge number', values: ['1e309'] },
    { name: 'huge', values: ['9'.repeat(5000)] },
    { name: 'repeated', values: ['1', '2'] },
    { name: 'percent-encoded NUL', values: ['a%00b'] },
    ...edgeValues(schema)
      .filter(({ value }) => typeof value === 'string')
      .map(({ name, value }) => ({ name, values: [encodeURIComponent(String(value))] })),
  ];
}

function fillPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'x');
}

/** The hostile requests of every operation of `document` (see the module comment). */
export function hostileRequests(
  input: unknown,
  options: HostileRequestOptions = {},
): HostileRequest[] {
  const document = input as OpenApiDocument;
  const random = prng(options.seed ?? 1);
  const limit = options.maxPerOperation ?? Number.POSITIVE_INFINITY;
  const requests: HostileRequest[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      const ofOperation = operationRequests(document, template, method, operation, random, options);
      requests.push(...pick(ofOperation, limit, random));
    }
  }
  return requests;
}

/** At most `limit` of `items`, chosen and kept in their order by the seeded generator. */
function pick<T>(items: T[], limit: number, random: () => number): T[] {
  if (items.length <= limit) return items;
  const indexes = items.map((_, index) => index);
  for (let index = indexes.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [indexes[index], indexes[other]] = [indexes[other] ?? 0, indexes[index] ?? 0];
  }
  return indexes
    .slice(0, limit)
    .sort((a, b) => a - b)
    .map((index) => items[index] as T);
}

function operationRequests(
  document: OpenApiDocument,
  template: string,
  method: string,
  operation: Operation,
  random: () => number,
  options: HostileRequestOptions,
): HostileRequest[] {
  const parameters = operation.parameters ?? [];
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const wellFormed = Object.fromEntries(
    pathParameters.map((parameter) => [
      parameter.name,
      encodeURIComponent(
        options.pathValue?.(template, parameter.name) ??
          String(sample(document, parameter.schema, random)),
      ),
    ]),
  );
  const validPath = fillPath(template, wellFormed);
  const operationName = `${method.toUpperCase()} ${template}`;
  const hasBody = BODY_METHODS.has(method);
  const jsonSchema = operation.requestBody?.content?.['application/json']?.schema;
  const validBody = jsonSchema === undefined ? undefined : sample(document, jsonSchema, random);
  const validBodyText = hasBody ? JSON.stringify(validBody ?? {}) : undefined;
  const request = (
    hostile: string,
    fields: Partial<Pick<HostileRequest, 'path' | 'body' | 'contentType' | 'idempotencyKey'>>,
  ): HostileRequest => {
    const body = 'body' in fields ? fields.body : validBodyText;
    return {
      method: method.toUpperCase(),
      path: fields.path ?? validPath,
      operation: operationName,
      case: hostile,
      ...(body === undefined
        ? {}
        : { body, contentType: fields.contentType ?? 'application/json' }),
      idempotencyKey:
        'idempotencyKey' in fields
          ? (fields.idempotencyKey ?? null)
          : (options.idempotencyKey?.() ?? uuidFrom(random)),
    };
  };
  const requests: HostileRequest[] = [];

  for (const parameter of pathParameters) {
    const unknownId = uuidFrom(random);
    for (const { name, value } of [
      ...MALFORMED_PATH_VALUES,
      { name: 'unknown UUID', value: unknownId },
    ])
      requests.push(
        request(`path ${parameter.name}: ${name}`, {
          path: fillPath(template, { ...wellFormed, [parameter.name]: value }),
        }),
      );
  }

  // Every operation gets at least this one, even one that declares nothing to vary.
  requests.push(
    request('query: undeclared parameter', { path: `${validPath}?undeclared=a%00b&%24where=1` }),
  );

  for (const parameter of queryParameters) {
    for (const { name, values } of hostileQueryValues(resolve(document, parameter.schema))) {
      const query = values
        .map((value) => `${encodeURIComponent(parameter.name)}=${value}`)
        .join('&');
      requests.push(request(`query ${parameter.name}: ${name}`, { path: `${validPath}?${query}` }));
    }
  }

  if (hasBody) {
    const object = resolve(document, jsonSchema);
    const properties = Object.entries(object.properties ?? {});
    const base = (
      typeof validBody === 'object' && validBody !== null && !Array.isArray(validBody)
        ? validBody
        : {}
    ) as Record<string, unknown>;
    const depth = 5000;
    requests.push(
      request('body: missing', { body: undefined }),
      request('body: null', { body: 'null' }),
      request('body: []', { body: '[]' }),
      request('body: a string', { body: '"just a string"' }),
      request('body: invalid JSON', { body: '{"unterminated": ' }),
      request('body: deeply nested', {
        body: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      }),
      request('body: extra properties', {
        body: JSON.stringify({ ...base, unexpected: 'extra', nested: { deeper: [1, 2] } }),
      }),
      request('body: __proto__ property', {
        body: `{"__proto__": {"polluted": true}, ${JSON.stringify(base).slice(1)}`.replace(
          /, }$/,
          '}',
        ),
      }),
      request('body: wrong Content-Type', { contentType: 'text/plain' }),
      request('body: form Content-Type', {
        body: 'a=1&b=2',
        contentType: 'application/x-www-form-urlencoded',
      }),
      request('Idempotency-Key: missing', { idempotencyKey: null }),
      request('Idempotency-Key: very long', { idempotencyKey: 'k'.repeat(5000) }),
      request('Idempotency-Key: empty', { idempotencyKey: '' }),
    );
    const long = 'x'.repeat(LONG_STRING_LENGTH);
    for (const [name, property] of properties) {
      const schema = resolve(document, property);
      requests.push(
        request(`body ${name}: wrong type`, {
          body: JSON.stringify({ ...base, [name]: wrongTyped(schema) }),
        }),
        request(`body ${name}: ${LONG_STRING_LENGTH} characters`, {
          body: JSON.stringify({ ...base, [name]: long }),
        }),
        request(`body ${name}: 1e309`, {
          body: JSON.stringify({ ...base, [name]: 0 }).replace(
            `${JSON.stringify(name)}:0`,
            `${JSON.stringify(name)}:1e309`,
          ),
        }),
        request(`body ${name}: null`, { body: JSON.stringify({ ...base, [name]: null }) }),
        ...edgeValues(schema).map((edge) =>
          request(`body ${name}: ${edge.name}`, {
            body: JSON.stringify({ ...base, [name]: edge.value }),
          }),
        ),
      );
      if (typeOf(schema) !== 'array') continue;
      const item = sample(document, schema.items, random, 1);
      requests.push(
        request(`body ${name}: ${HUGE_ARRAY_LENGTH} items`, {
          body: JSON.stringify({
            ...base,
            [name]: Array.from({ length: HUGE_ARRAY_LENGTH }, () => item),
          }),
        }),
      );
      const itemSchema = resolve(document, schema.items);
      if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      for (const [field, fieldSchema] of Object.entries(itemSchema.properties ?? {}))
        for (const edge of edgeValues(resolve(document, fieldSchema)))
          requests.push(
            request(`body ${name}[0].${field}: ${edge.name}`, {
              body: JSON.stringify({ ...base, [name]: [{ ...item, [field]: edge.value }] }),
            }),
          );
    }
  } else if (method !== 'get') {
    requests.push(request('Idempotency-Key: missing', { idempotencyKey: null }));
  }
  return requests;
}
