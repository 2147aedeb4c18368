import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { getJurisdiction } from '../../../src/application/get-jurisdiction.js';
import { importJurisdictions } from '../../../src/application/import-jurisdictions.js';
import { listSubtree } from '../../../src/application/list-subtree.js';
import { FakeJurisdictionRepository, importList } from './fake-jurisdiction-repository.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V2 = '330281001002';

describe('reading jurisdictions', () => {
  let repository: FakeJurisdictionRepository;

  beforeEach(async () => {
    repository = new FakeJurisdictionRepository();
    await importJurisdictions({ jurisdictions: repository })(
      importList({ townships: 2, villagesPerTownship: 3 }),
    );
  });

  it('when a village is asked for, then its ancestors run from the city down to its township', async () => {
    const view = await getJurisdiction({ jurisdictions: repository })(T1_V2);

    expect(view).toEqual({
      code: T1_V2,
      name: '第1街道第2社区',
      level: 'village',
      parentCode: T1,
      path: [CITY, T1, T1_V2],
      version: 1,
      ancestors: [
        { code: CITY, name: '市', level: 'city' },
        { code: T1, name: '第1街道', level: 'township' },
      ],
    });
  });

  it('when the city is asked for, then it has no ancestors', async () => {
    const view = await getJurisdiction({ jurisdictions: repository })(CITY);

    expect(view.ancestors).toEqual([]);
    expect(view.path).toEqual([CITY]);
  });

  it('when an unknown code is asked for, then it is JURISDICTION_NOT_FOUND', async () => {
    const error = await rejectionOf(getJurisdiction({ jurisdictions: repository })('330281099000'));

    expect(error).toMatchObject({ kind: 'not_found', code: 'JURISDICTION_NOT_FOUND' });
  });

  it('when descendants are listed by level in pages, then every village comes once in code order', async () => {
    const list = listSubtree({ jurisdictions: repository });

    const first = await list({ code: CITY, level: 'village', pageSize: 4 });
    expect(first.nextPageToken).not.toBeNull();
    const second = await list({
      code: CITY,
      level: 'village',
      pageSize: 4,
      pageToken: first.nextPageToken ?? '',
    });

    expect(second.nextPageToken).toBeNull();
    expect([...first.items, ...second.items].map((node) => node.code)).toEqual([
      '330281001001',
      '330281001002',
      '330281001003',
      '330281002001',
      '330281002002',
      '330281002003',
    ]);
  });

  it("when a township's descendants are listed, then the township itself is not among them", async () => {
    const page = await listSubtree({ jurisdictions: repository })({ code: T1 });

    expect(page.items.map((node) => node.code)).toEqual([
      '330281001001',
      '330281001002',
      '330281001003',
    ]);
  });

  it('when the page size is out of range, then it is clamped to 1..200', async () => {
    const list = listSubtree({ jurisdictions: repository });

    expect((await list({ code: CITY, pageSize: 0 })).items).toHaveLength(1);
    expect((await list({ code: CITY, pageSize: 1000 })).items).toHaveLength(8);
  });

  it('when the descendants of an unknown code are asked for, then it is JURISDICTION_NOT_FOUND', async () => {
    const error = await rejectionOf(
      listSubtree({ jurisdictions: repository })({ code: '330281099000' }),
    );

    expect(error).toMatchObject({ code: 'JURISDICTION_NOT_FOUND' });
  });
});
