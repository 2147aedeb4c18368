import { describeWithServers, openApiProblems } from '@learning/testing';
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
      const { operations, problems } = openApiProblems(
        await (await stack.activities.send('GET', '/openapi.json', null)).json(),
      );

      expect(operations).toBeGreaterThan(10);
      expect(problems).toEqual([]);
    });
  },
);
