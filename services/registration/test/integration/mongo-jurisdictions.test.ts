import { connectMongo } from '@learning/mongo';
import { captureLogger, describeWithServers, rejectionOf, uniqueName } from '@learning/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  jurisdictionModel,
  MongoJurisdictionRepository,
} from '../../src/adapters/mongo/jurisdictions.js';
import type { JurisdictionNode } from '../../src/domain/jurisdictions.js';

const city: JurisdictionNode = {
  code: '330281000000',
  name: '市',
  level: 'city',
  parentCode: null,
};
const township: JurisdictionNode = {
  code: '330281001000',
  name: '第1街道',
  level: 'township',
  parentCode: city.code,
};

describeWithServers(['mongo'], 'MongoJurisdictionRepository', (servers) => {
  const { logger } = captureLogger('registration');
  let connection: Connection;
  let repository: MongoJurisdictionRepository;

  beforeAll(async () => {
    connection = await connectMongo({
      uri: servers.mongo.uri,
      database: uniqueName('registration'),
      logger,
    });
    const model = jurisdictionModel(connection);
    await model.syncIndexes();
    repository = new MongoJurisdictionRepository(model, logger);
    await repository.saveAll([
      { node: city, path: [city.code], expectedVersion: null },
      { node: township, path: [city.code, township.code], expectedVersion: null },
    ]);
  });

  afterAll(async () => {
    await connection.close();
  });

  it('when a change names a version the node is no longer at, then it is JURISDICTION_IMPORT_CONFLICT', async () => {
    await repository.saveAll([
      { node: { ...township, name: '新名' }, path: [city.code, township.code], expectedVersion: 1 },
    ]);

    const error = await rejectionOf(
      repository.saveAll([
        {
          node: { ...township, name: '旧名' },
          path: [city.code, township.code],
          expectedVersion: 1,
        },
      ]),
    );

    expect(error).toMatchObject({ kind: 'aborted', code: 'JURISDICTION_IMPORT_CONFLICT' });
    expect(await repository.findByCodes([township.code])).toMatchObject([
      { name: '新名', version: 2 },
    ]);
  });

  it('when a new node was stored meanwhile by another import, then it is left alone and reported as a conflict', async () => {
    const error = await rejectionOf(
      repository.saveAll([
        { node: { ...city, name: '别市' }, path: [city.code], expectedVersion: null },
      ]),
    );

    expect(error).toMatchObject({ code: 'JURISDICTION_IMPORT_CONFLICT' });
    expect(await repository.findByCodes([city.code])).toMatchObject([{ name: '市', version: 1 }]);
  });

  it('when a page token from another query is used, then it is CURSOR_INVALID', async () => {
    await repository.saveAll([
      {
        node: { code: '330281002000', name: '第2街道', level: 'township', parentCode: city.code },
        path: [city.code, '330281002000'],
        expectedVersion: null,
      },
    ]);
    const first = await repository.descendants({ ancestorCode: city.code, pageSize: 1 });
    expect(first.nextPageToken).not.toBeNull();

    const error = await rejectionOf(
      repository.descendants({
        ancestorCode: township.code,
        pageSize: 1,
        pageToken: first.nextPageToken ?? '',
      }),
    );

    expect(error).toMatchObject({ code: 'CURSOR_INVALID' });
  });

  it('when a subtree is streamed, then every node below the root comes once, in code order, in batches of the size asked, filtered by level', async () => {
    const villages = ['330281001001', '330281001002', '330281001003'];
    await repository.saveAll(
      villages.map((code, index) => ({
        node: {
          code,
          name: `第${index + 1}村`,
          level: 'village' as const,
          parentCode: township.code,
        },
        path: [city.code, township.code, code],
        expectedVersion: null,
      })),
    );
    const batches: string[][] = [];
    for await (const batch of repository.streamDescendants(township.code, [], 2))
      batches.push(batch.map((node) => node.code));
    expect(batches).toEqual([villages.slice(0, 2), villages.slice(2)]);

    const townships: string[] = [];
    for await (const batch of repository.streamDescendants(city.code, ['township'], 100))
      townships.push(...batch.map((node) => node.code));
    expect(townships).toEqual(['330281001000', '330281002000']);
  });
});
