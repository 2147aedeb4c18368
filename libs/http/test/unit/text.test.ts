import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Name, Text, textProblem, Title } from '../../src/index.js';
import { testServer, type TestServer } from '../support.js';

const Body = Type.Object(
  {
    name: Name(20),
    title: Type.Optional(Title()),
    description: Type.Optional(Text(200)),
    aliases: Type.Optional(Type.Array(Name(20))),
  },
  { additionalProperties: false },
);

describe('text fields', () => {
  let server: TestServer;
  const received: unknown[] = [];

  beforeAll(async () => {
    server = await testServer(undefined);
    server.app.post('/things', { schema: { body: Body } }, (request, reply) => {
      received.push(request.body);
      return reply.code(201).send(request.body);
    });
    server.app.get(
      '/things',
      { schema: { querystring: Type.Object({ name: Name(20) }) } },
      (request) => request.query,
    );
    await server.app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  const post = (body: unknown) =>
    server.app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  it.each([
    ['a NUL', 'Li\u0000Lei', /control characters/],
    ['an escape sequence', 'Li\u001b[31mLei', /control characters/],
    ['a line break in a name', 'Li\nLei', /line breaks/],
    ['a C1 control', 'Li\u0085Lei', /control characters/],
    ['a lone high surrogate', 'Li\uD83DLei', /unpaired surrogate/],
    ['a lone low surrogate', '\uDE00Lei', /unpaired surrogate/],
    ['a right-to-left override', 'Li\u202ELei', /bidirectional/],
    ['a right-to-left isolate', '\u2067Lei', /bidirectional/],
    ['only zero-width characters', '\u200B\u200C\u200D\uFEFF', /visible characters/],
    ['only spaces', ' \u3000 ', /visible characters/],
    ['only Hangul fillers', '\u3164\u3164', /visible characters/],
  ])(
    'when a name holds %s, then 400 VALIDATION_FAILED names the field and why',
    async (_label, name, why) => {
      const before = received.length;
      const response = await post({ name });
      expect(response.statusCode).toBe(400);
      const body = response.json<{ code: string; details: { field: string; message: string }[] }>();
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.details).toHaveLength(1);
      expect(body.details[0]?.field).toBe('/name');
      expect(body.details[0]?.message).toMatch(why);
      expect(received).toHaveLength(before);
    },
  );

  it('when a name arrives decomposed (NFD), then the handler receives it composed (NFC)', async () => {
    const decomposed = 'Zoe\u0301 \u5F20'; // "Zoé 张" with a combining acute accent
    const response = await post({ name: decomposed, aliases: ['Jose\u0301'] });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: 'Zoé 张', aliases: ['José'] });
    expect(received.at(-1)).toEqual({ name: 'Zoé 张', aliases: ['José'] });
  });

  it('when a description has line breaks and tabs, then it is accepted', async () => {
    const response = await post({ name: '张三', description: 'Line one\n\tLine two\r\n' });
    expect(response.statusCode).toBe(201);
  });

  it('when a description is blank, then the schema leaves it to the field’s own rules', async () => {
    expect((await post({ name: '张三', description: ' \u200B ' })).statusCode).toBe(201);
  });

  it('when a description holds a NUL or a bidi override, then it is refused', async () => {
    expect((await post({ name: '张三', description: 'a\u0000b' })).statusCode).toBe(400);
    expect((await post({ name: '张三', description: 'a\u202Db' })).statusCode).toBe(400);
  });

  it('when a query parameter declared as a name holds a control character, then 400', async () => {
    const refused = await server.app.inject({ method: 'GET', url: '/things?name=a%00b' });
    expect(refused.statusCode).toBe(400);
    const accepted = await server.app.inject({ method: 'GET', url: '/things?name=Zoe%CC%81' });
    expect(accepted.json()).toEqual({ name: 'Zoé' });
  });

  it('when names carry visible text with an emoji, a ZWJ sequence or a mark, then they are accepted', () => {
    expect(textProblem('李雷 👨‍👩‍👧', 'line')).toBeUndefined();
    expect(textProblem('O\u2019Brien', 'line')).toBeUndefined();
    expect(textProblem('', 'multiline')).toBeUndefined();
  });

  it('when the OpenAPI document is read, then the text rules are described', async () => {
    const document = server.app.swagger() as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const body = JSON.stringify(document.paths['/things']?.['post']?.requestBody);
    expect(body).toContain('NFC');
    expect(body).toContain('"x-text":"line"');
  });
});
