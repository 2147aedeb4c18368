import { connectRedis, type RedisClient } from '@learning/redis';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectRegistration,
  type RegistrationClients,
} from '../../src/adapters/grpc/registration.js';
import { useActivitiesStack } from '../support/stack.js';

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'the activities app beside registration',
  (servers) => {
    const stack = useActivitiesStack(servers);
    let redis: RedisClient;
    let registration: RegistrationClients;

    beforeAll(async () => {
      const { logger } = captureLogger('activities-client');
      redis = await connectRedis({ url: servers.redis.url, logger, name: uniqueName('client') });
      const token = await stack.token({
        subject: 'service:activities',
        roles: ['service'],
        service: 'activities',
        cityWide: true,
      });
      registration = connectRegistration({
        address: `127.0.0.1:${stack.registration.ports.grpcPort}`,
        redis,
        logger,
        cacheTtlMs: 1_000,
        tokenProvider: () => token,
      });
    });
    afterAll(async () => {
      registration.close();
      await redis.close();
    });

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

    it('when jurisdictions are looked up, then known ones come with their path and unknown ones are left out', async () => {
      const village = stack.tree.find((node) => node.level === 'village');
      if (village === undefined) throw new Error('the tree has villages');
      const found = await registration.jurisdictions.find([village.code, '330281999999']);
      expect([...found.keys()]).toEqual([village.code]);
      expect(found.get(village.code)).toMatchObject({ level: 'village', path: village.path });
      // A second look is served from the cache with the same answer.
      expect((await registration.jurisdictions.find([village.code])).get(village.code)).toEqual(
        found.get(village.code),
      );
    });

    it('when a subtree is streamed, then every node of the asked levels comes once', async () => {
      const [city] = stack.tree;
      if (city === undefined) throw new Error('the tree has a city');
      const nodes: string[] = [];
      for await (const page of registration.jurisdictions.subtree(city.code, ['township']))
        nodes.push(...page.map((node) => node.code));
      const townships = stack.tree
        .filter((node) => node.level === 'township')
        .map((node) => node.code);
      expect(nodes.sort()).toEqual(townships.sort());
    });

    it('when a subtree of an unknown root is streamed, then it is NOT_FOUND', async () => {
      const pages = registration.jurisdictions.subtree('330281999000')[Symbol.asyncIterator]();
      await expect(pages.next()).rejects.toMatchObject({ kind: 'not_found' });
    });

    it('when figures are asked for activities nobody signed up for, then they are zeros', async () => {
      const figures = await registration.enrollments.figuresOf(['no-such-activity']);
      expect(figures.get('no-such-activity')).toEqual({
        confirmed: 0,
        waitlisted: 0,
        checkedIn: 0,
        attended: 0,
      });
    });
  },
);
