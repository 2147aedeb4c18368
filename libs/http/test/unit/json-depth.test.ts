import { Type } from '@sinclair/typebox';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exceedsJsonDepth } from '../../src/json-depth.js';
import { MAX_JSON_DEPTH } from '../../src/index.js';
import { testServer, type TestServer } from '../support.js';

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('exceedsJsonDepth', () => {
  it('when objects and arrays nest exactly to the limit, then it is not exceeded; one more is', () => {
    const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(exceedsJsonDepth(objects(3), 3)).toBe(false);
    expect(exceedsJsonDepth(objects(4), 3)).toBe(true);
    expect(exceedsJsonDepth('[{"a":[1]},{"b":[2]}]', 3)).toBe(false);
  });

  it('when brackets are inside strings, escaped quotes included, then they are not counted', () => {
    expect(exceedsJsonDepth(`{"title":"${'[{'.repeat(100)}"}`, 2)).toBe(false);
    expect(exceedsJsonDepth(`{"title":"say \\"[[[[\\" loud"}`, 1)).toBe(false);
    expect(exceedsJsonDepth('{"path":"C:\\\\"}[]', 1)).toBe(false);
    expect(exceedsJsonDepth(`{"a":"\\\\",  "b":[[1]]}`, 2)).toBe(true);
  });
});

describe('a deeply nested body', () => {
  let server: TestServer;
  let handled = 0;

  beforeAll(async () => {
    server = await testServer(undefined);
    server.app.post(
      '/things',
      { schema: { body: Type.Object({ data: Type.Unknown() }) } },
      (request) => {
        handled += 1;
        return { ok: request.body.data !== undefined };
      },
    );
    await server.app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const post = (payload: string) =>
    server.app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload,
    });

  it('when a 900 KB body nests 450,000 levels deep, then 400 JSON_TOO_DEEP and it is never parsed', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const deep = `{"data":${nested(450_000)}}`;
    expect(deep.length).toBeGreaterThan(900_000);

    const response = await post(deep);
    // The captured logger parses its own lines; the body must be in no call.
    const bodyParsed = parse.mock.calls.some(([text]) => text.includes(nested(1_000)));
    parse.mockRestore();

    expect(bodyParsed).toBe(false);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'JSON_TOO_DEEP',
      message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
    });
    expect(handled).toBe(0);
  });

  it('when a body nests to the limit, then it is parsed and handled', async () => {
    const response = await post(`{"data":${nested(MAX_JSON_DEPTH - 1)}}`);

    expect(response.statusCode).toBe(200);
    expect(handled).toBe(1);
  });

  it('when a body is not JSON or carries __proto__, then the usual answers stay', async () => {
    expect((await post('{"data":')).json()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect((await post('{"data":1,"__proto__":{"x":1}}')).statusCode).toBe(400);
  });
});
