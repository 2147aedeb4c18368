import { describeWithServers } from '@learning/testing';
import { expect, it } from 'vitest';
import { useActivitiesStack } from '../support/stack.js';

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'the activities app beside registration',
  (servers) => {
    const stack = useActivitiesStack(servers);

    it('when asked, then it serves its OpenAPI document and reports its connections ready', async () => {
      expect((await stack.activities.send('GET', '/readyz', null)).status).toBe(200);
      const docs = await stack.activities.send('GET', '/openapi.json', null);
      expect(docs.status).toBe(200);
      expect(((await docs.json()) as { info: { title: string } }).info.title).toBe('Activities');
    });

    it('when /openapi.json is read, then every write that needs an Idempotency-Key declares it, every POST takes one, and every operation declares its errors with the Error schema', async () => {
      const document = (await (
        await stack.activities.send('GET', '/openapi.json', null)
      ).json()) as {
        paths: Record<
          string,
          Record<
            string,
            {
              description?: string;
              parameters?: { in: string; name: string; required?: boolean }[];
              responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
            }
          >
        >;
      };
      const problems: string[] = [];
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          id: `${method} ${path}`,
          method,
          operation,
        })),
      );
      for (const { id, method, operation } of operations) {
        const key = operation.parameters?.find((parameter) => parameter.name === 'idempotency-key');
        if (/needs an Idempotency-Key/.test(operation.description ?? '') && key?.required !== true)
          problems.push(`${id}: its description needs an Idempotency-Key, its parameters do not`);
        if (method === 'post' && key === undefined) problems.push(`${id}: no Idempotency-Key`);
        for (const status of ['400', '500']) {
          const schema = operation.responses[status]?.content?.['application/json']?.schema;
          if (JSON.stringify(schema) !== '{"$ref":"#/components/schemas/Error"}')
            problems.push(`${id}: no ${status} with the Error schema`);
        }
      }

      expect(operations.length).toBeGreaterThan(10);
      expect(problems).toEqual([]);
    });
  },
);
