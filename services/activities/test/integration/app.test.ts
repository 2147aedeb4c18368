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
  },
);
