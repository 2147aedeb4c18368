import { describe, expect, it } from 'vitest';
import {
  EXTREME_DATES,
  HUGE_ARRAY_LENGTH,
  hostileRequests,
  LONG_STRING_LENGTH,
  MALFORMED_PATH_VALUES,
  type HostileRequest,
} from '../../src/hostile-requests.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const document = {
  paths: {
    '/v1/things': {
      get: {
        parameters: [
          { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
      },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } },
        },
      },
    },
    '/v1/status': { get: {} },
    '/v1/things/{thingId}': {
      get: {
        parameters: [{ in: 'path', name: 'thingId', schema: { type: 'string', format: 'uuid' } }],
      },
      delete: {
        parameters: [{ in: 'path', name: 'thingId', schema: { type: 'string', format: 'uuid' } }],
      },
    },
  },
  components: {
    schemas: {
      NewThing: {
        type: 'object',
        required: ['title', 'seats'],
        properties: { title: { type: 'string', minLength: 1 }, seats: { type: 'integer' } },
      },
    },
  },
};

const ofCase = (requests: HostileRequest[], operation: string, name: string): HostileRequest => {
  const found = requests.find(
    (request) => request.operation === operation && request.case === name,
  );
  if (found === undefined) throw new Error(`no ${operation} ${name}`);
  return found;
};

describe('hostileRequests', () => {
  const requests = hostileRequests(document, { seed: 7 });

  it('when given a document, then every operation gets requests', () => {
    expect(new Set(requests.map((request) => request.operation))).toEqual(
      new Set([
        'GET /v1/things',
        'POST /v1/things',
        'GET /v1/status',
        'GET /v1/things/{thingId}',
        'DELETE /v1/things/{thingId}',
      ]),
    );
  });

  it('when a path has a parameter, then each malformed value and an unknown UUID replace it', () => {
    const paths = requests
      .filter((request) => request.operation === 'GET /v1/things/{thingId}')
      .map((request) => request.path);
    for (const { value } of MALFORMED_PATH_VALUES) expect(paths).toContain(`/v1/things/${value}`);
    const unknown = ofCase(requests, 'GET /v1/things/{thingId}', 'path thingId: unknown UUID');
    expect(unknown.path.replace('/v1/things/', '')).toMatch(UUID);
    expect(
      ofCase(requests, 'GET /v1/things/{thingId}', 'path thingId: percent-encoded NUL').path,
    ).toContain('%00');
  });

  it('when an operation declares nothing to vary, then it still gets an undeclared query parameter', () => {
    expect(ofCase(requests, 'GET /v1/status', 'query: undeclared parameter').path).toBe(
      '/v1/status?undeclared=a%00b&%24where=1',
    );
  });

  it('when a query parameter is declared, then it gets wrong, out-of-range, empty, huge and repeated values', () => {
    const query = (name: string) => ofCase(requests, 'GET /v1/things', `query limit: ${name}`).path;
    expect(query('wrong type')).toBe('/v1/things?limit=abc');
    expect(query('out of range (low)')).toBe('/v1/things?limit=0');
    expect(query('out of range (high)')).toBe('/v1/things?limit=101');
    expect(query('empty')).toBe('/v1/things?limit=');
    expect(query('huge')).toBe(`/v1/things?limit=${'9'.repeat(5000)}`);
    expect(query('repeated')).toBe('/v1/things?limit=1&limit=2');
  });

  it('when an operation takes a body, then the body is broken in each way the case names', () => {
    const body = (name: string) => ofCase(requests, 'POST /v1/things', name);
    expect(body('body: missing').body).toBeUndefined();
    expect(body('body: null').body).toBe('null');
    expect(body('body: []').body).toBe('[]');
    expect(() => {
      JSON.parse(body('body: invalid JSON').body ?? '');
    }).toThrow();
    expect(body('body: deeply nested').body?.startsWith('{"a":{"a":')).toBe(true);
    expect(JSON.parse(body('body title: wrong type').body ?? '')).toEqual({
      title: 12345,
      seats: 1,
    });
    expect(JSON.parse(body('body seats: wrong type').body ?? '')).toEqual({
      title: 'x',
      seats: 'not a number',
    });
    const long = JSON.parse(body(`body title: ${LONG_STRING_LENGTH} characters`).body ?? '') as {
      title: string;
    };
    expect(long.title).toHaveLength(LONG_STRING_LENGTH);
    expect(long.title).toBe('x'.repeat(LONG_STRING_LENGTH));
    expect(body('body seats: 1e309').body).toBe('{"title":"x","seats":1e309}');
    expect(JSON.parse(body('body: extra properties').body ?? '')).toMatchObject({
      unexpected: 'extra',
    });
    expect(body('body: wrong Content-Type').contentType).toBe('text/plain');
    expect(body('Idempotency-Key: missing').idempotencyKey).toBeNull();
    expect(body('body: null').idempotencyKey).toMatch(UUID);
  });

  it('when an operation takes no body, then no request carries one', () => {
    expect(
      requests
        .filter((request) => request.method === 'GET' || request.method === 'DELETE')
        .map((r) => r.body),
    ).toEqual(
      requests.filter((r) => r.method === 'GET' || r.method === 'DELETE').map(() => undefined),
    );
  });

  it('when the seed is the same, then the list is the same, and a different seed changes the ids', () => {
    expect(hostileRequests(document, { seed: 7 })).toEqual(requests);
    expect(hostileRequests(document, { seed: 8 })).not.toEqual(requests);
  });

  it('when a bound is given, then no operation gets more requests than it', () => {
    const bounded = hostileRequests(document, { seed: 7, maxPerOperation: 5 });
    const counts = new Map<string, number>();
    for (const request of bounded)
      counts.set(request.operation, (counts.get(request.operation) ?? 0) + 1);
    // The status route has one request to give: its undeclared query parameter.
    expect([...counts.values()]).toEqual([5, 5, 1, 5, 5]);
    expect(hostileRequests(document, { seed: 7, maxPerOperation: 5 })).toEqual(bounded);
  });

  it('when a path value is known, then the query and body cases use it and the path cases replace it', () => {
    const known = '3f2b8c1e-0000-4000-8000-000000000001';
    const withKnown = hostileRequests(document, {
      seed: 7,
      pathValue: (template, parameter) =>
        template === '/v1/things/{thingId}' && parameter === 'thingId' ? known : undefined,
    });
    expect(ofCase(withKnown, 'DELETE /v1/things/{thingId}', 'Idempotency-Key: missing').path).toBe(
      `/v1/things/${known}`,
    );
    expect(ofCase(withKnown, 'GET /v1/things/{thingId}', 'path thingId: not a UUID').path).toBe(
      '/v1/things/not-a-uuid',
    );
  });

  it('when a key source is given, then every well-formed Idempotency-Key comes from it', () => {
    let issued = 0;
    const keyed = hostileRequests(document, {
      seed: 7,
      idempotencyKey: () => `key-${String((issued += 1))}`,
    });
    const keys = keyed.flatMap((request) =>
      request.case.startsWith('Idempotency-Key') ? [] : [request.idempotencyKey],
    );
    expect(keys).toEqual(keys.map((_, index) => `key-${String(index + 1)}`));
    expect(ofCase(keyed, 'POST /v1/things', 'Idempotency-Key: missing').idempotencyKey).toBeNull();
  });

  it('when a field is a number, then it also gets one past the largest safe integer and a negative one', () => {
    const seats = (name: string) =>
      JSON.parse(ofCase(requests, 'POST /v1/things', `body seats: ${name}`).body ?? '') as unknown;
    expect(seats('past the largest safe integer')).toEqual({
      title: 'x',
      seats: Number.MAX_SAFE_INTEGER * 4,
    });
    expect(seats('negative')).toEqual({ title: 'x', seats: -1 });
  });

  it('when instants are taken, in a query, a body or a list of objects, then each extreme date is sent, and lists get a huge one', () => {
    const instant = { type: 'string', format: 'date-time' };
    const plans = hostileRequests(
      {
        paths: {
          '/v1/plans': {
            get: { parameters: [{ in: 'query', name: 'from', schema: instant }] },
            post: {
              requestBody: {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: {
                        startsAt: instant,
                        slots: {
                          type: 'array',
                          items: { type: 'object', properties: { at: instant } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      { seed: 3 },
    );
    const body = (name: string) =>
      JSON.parse(ofCase(plans, 'POST /v1/plans', name).body ?? '') as {
        startsAt: string;
        slots: { at: string }[];
      };
    for (const date of EXTREME_DATES) {
      expect(ofCase(plans, 'GET /v1/plans', `query from: date ${date}`).path).toBe(
        `/v1/plans?from=${encodeURIComponent(date)}`,
      );
      expect(body(`body startsAt: date ${date}`).startsAt).toBe(date);
      expect(body(`body slots[0].at: date ${date}`).slots).toEqual([{ at: date }]);
    }
    const huge = body(`body slots: ${HUGE_ARRAY_LENGTH} items`).slots;
    expect(huge).toHaveLength(HUGE_ARRAY_LENGTH);
    expect(huge[0]).toEqual({ at: '2030-01-01T09:00:00.000Z' });
  });
});
