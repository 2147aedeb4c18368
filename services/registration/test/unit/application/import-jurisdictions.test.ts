import { AppError } from '@learning/errors';
import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { importJurisdictions } from '../../../src/application/import-jurisdictions.js';
import type { JurisdictionNode } from '../../../src/domain/jurisdictions.js';
import { FakeJurisdictionRepository, importList } from './fake-jurisdiction-repository.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T2 = '330281002000';
const T1_V1 = '330281001001';

describe('importJurisdictions', () => {
  let repository: FakeJurisdictionRepository;
  let run: ReturnType<typeof importJurisdictions>;
  const tree = importList({ townships: 2, villagesPerTownship: 2 });

  beforeEach(() => {
    repository = new FakeJurisdictionRepository();
    run = importJurisdictions({ jurisdictions: repository });
  });

  it('when a tree is imported into an empty store, then every node is created at version 1 with its path', async () => {
    const result = await run(tree);

    expect(result).toEqual({ created: 7, updated: 0, unchanged: 0, kept: { count: 0, codes: [] } });
    expect(repository.stored.get(T1_V1)).toEqual({
      code: T1_V1,
      name: '第1街道第1社区',
      level: 'village',
      parentCode: T1,
      path: [CITY, T1, T1_V1],
      version: 1,
    });
  });

  it('when the same tree is imported twice, then the second import writes nothing', async () => {
    await run(tree);

    const result = await run(tree);

    expect(result).toEqual({ created: 0, updated: 0, unchanged: 7, kept: { count: 0, codes: [] } });
    expect(repository.batches).toHaveLength(1);
  });

  it('when a name changes, then only that node is updated and its version goes up', async () => {
    await run(tree);
    const renamed = tree.map((node) => (node.code === T1 ? { ...node, name: '塘下镇' } : node));

    const result = await run(renamed);

    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 6 });
    expect(repository.stored.get(T1)).toMatchObject({ name: '塘下镇', version: 2 });
    expect(repository.stored.get(T2)?.version).toBe(1);
  });

  it('when a village moves to another township, then its parent and path are updated', async () => {
    await run(tree);
    const moved = tree.map((node) => (node.code === T1_V1 ? { ...node, parentCode: T2 } : node));

    await run(moved);

    expect(repository.stored.get(T1_V1)).toMatchObject({
      parentCode: T2,
      path: [CITY, T2, T1_V1],
      version: 2,
    });
  });

  it('when a re-import leaves nodes out, then they are kept and reported, not deleted', async () => {
    await run(tree);
    const withoutT2 = tree.filter((node) => node.code !== T2 && node.parentCode !== T2);

    const result = await run(withoutT2);

    expect(result).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
      kept: { count: 3, codes: [T2, '330281002001', '330281002002'] },
    });
    expect(repository.stored.size).toBe(7);
  });

  it('when an entry names a parent not in the list, then the tree is refused naming that entry and nothing is written', async () => {
    const orphan: JurisdictionNode = {
      code: '330281009001',
      name: '孤村',
      level: 'village',
      parentCode: '330281009000',
    };

    const error = await rejectionOf(run([...tree, orphan]));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      kind: 'invalid_argument',
      code: 'JURISDICTION_TREE_INVALID',
      details: [
        {
          field: '/items/7/parentCode',
          message: expect.stringContaining('JURISDICTION_UNKNOWN_PARENT') as unknown,
        },
      ],
    });
    expect(repository.batches).toEqual([]);
  });

  it('when the kept nodes would no longer fit the new tree, then it is refused as a whole', async () => {
    await run(tree);
    const otherCity = importList({ cityPrefix: '330282', townships: 1, villagesPerTownship: 1 });

    const error = await rejectionOf(run(otherCity));

    expect(error).toMatchObject({
      code: 'JURISDICTION_TREE_INVALID',
      details: [
        {
          field: '/items',
          message: expect.stringContaining('JURISDICTION_ROOT') as unknown,
        },
      ],
    });
    expect(repository.batches).toHaveLength(1);
  });
});
