import { describeWithServers, jurisdictionTree } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { importBodyOf } from '../support/http.js';

const tree = jurisdictionTree({ townships: 3, villagesPerTownship: 5 });
const { items } = importBodyOf(tree);
const CITY = '330281000000';
const T2 = '330281002000';
const T2_V3 = '330281002003';

interface JurisdictionBody {
  code: string;
  name: string;
  version: number;
  path: string[];
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration jurisdictions', (servers) => {
  const running = useRegistrationApp(servers);
  let adminToken: string;
  let participantToken: string;

  beforeAll(async () => {
    adminToken = await running.issuer.sign({ subject: 'admin-1', roles: ['city_admin'] });
    participantToken = await running.issuer.sign({ subject: 'person-1', roles: ['participant'] });
  });

  const importTree = (body: unknown, token = adminToken): Promise<Response> =>
    running.send('POST', '/v1/jurisdictions:import', token, body);

  /** Reads as a participant, or with no token at all when `token` is null. */
  const get = (path: string, token: string | null = participantToken): Promise<Response> =>
    running.send('GET', path, token);

  async function allVillages(): Promise<JurisdictionBody[]> {
    const response = await get(`/v1/jurisdictions/${CITY}/descendants?level=village&pageSize=200`);
    return ((await response.json()) as { items: JurisdictionBody[] }).items;
  }

  it('when the city admin imports a tree of 3 townships with 5 villages each, then all 19 nodes are created', async () => {
    const response = await importTree({ items });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      created: 19,
      updated: 0,
      unchanged: 0,
      kept: { count: 0, codes: [] },
    });
  });

  it('when the same tree is imported again, then nothing changes and every version stays 1', async () => {
    const response = await importTree({ items });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      created: 0,
      updated: 0,
      unchanged: 19,
      kept: { count: 0, codes: [] },
    });
    const villages = await allVillages();
    expect(villages).toHaveLength(15);
    expect(villages.map((village) => village.version)).toEqual(Array(15).fill(1));
  });

  it('when a participant asks for a village, then it comes with its path and ancestors', async () => {
    const response = await get(`/v1/jurisdictions/${T2_V3}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      code: T2_V3,
      name: '第2街道第3社区',
      level: 'village',
      parentCode: T2,
      path: [CITY, T2, T2_V3],
      version: 1,
      ancestors: [
        { code: CITY, name: '市', level: 'city' },
        { code: T2, name: '第2街道', level: 'township' },
      ],
    });
  });

  it('when descendants are read a page at a time, then each node comes once, in code order', async () => {
    const codes: string[] = [];
    let pageToken: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({ pageSize: '4' });
      if (pageToken !== null) query.set('pageToken', pageToken);
      const response = await get(`/v1/jurisdictions/${CITY}/descendants?${query.toString()}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as {
        items: JurisdictionBody[];
        nextPageToken: string | null;
      };
      codes.push(...page.items.map((node) => node.code));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== null);

    expect(pages).toBe(5);
    const expected = tree
      .map((node) => node.code)
      .filter((code) => code !== CITY)
      .sort();
    expect(codes).toEqual(expected);
  });

  it("when a township's villages are asked for, then only its five come back", async () => {
    const response = await get(`/v1/jurisdictions/${T2}/descendants?level=village`);

    const page = (await response.json()) as { items: JurisdictionBody[] };
    expect(page.items.map((node) => node.code)).toEqual([
      '330281002001',
      '330281002002',
      '330281002003',
      '330281002004',
      '330281002005',
    ]);
  });

  it('when a township is renamed by a re-import, then only it is updated, to version 2', async () => {
    const renamed = items.map((node) => (node.code === T2 ? { ...node, name: '塘下镇' } : node));

    const response = await importTree({ items: renamed });

    expect(await response.json()).toMatchObject({ created: 0, updated: 1, unchanged: 18 });
    const township = (await (await get(`/v1/jurisdictions/${T2}`)).json()) as JurisdictionBody;
    expect(township).toMatchObject({ name: '塘下镇', version: 2 });
    expect((await allVillages()).every((village) => village.version === 1)).toBe(true);
  });

  it('when a participant tries to import, then it is refused with 403', async () => {
    const response = await importTree({ items }, participantToken);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'ROLE_REQUIRED' });
  });

  it('when no token is sent, then reading is refused with 401', async () => {
    const response = await get(`/v1/jurisdictions/${CITY}`, null);

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'TOKEN_MISSING' });
  });

  it('when the body has a 13-digit code and an unknown level, then both fields are named in a 400', async () => {
    const bad = [
      { ...items[0], code: '3302810000001' },
      { ...items[1], level: 'province' },
    ];

    const response = await importTree({ items: bad });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; details: { field: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.map((issue) => issue.field).sort()).toEqual([
      '/items/0/code',
      '/items/1/level',
    ]);
  });

  it("when the body smuggles a '$where' key, then it is refused with 400 naming the field", async () => {
    const response = await importTree({ items: [{ ...items[0], $where: 'sleep(1000)' }] });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'FORBIDDEN_KEY',
      details: [{ field: '/items/0/$where' }],
    });
  });

  it('when the list is not one tree, then it is refused with JURISDICTION_TREE_INVALID naming the entry', async () => {
    const orphan = {
      code: '330281009001',
      name: '孤村',
      level: 'village',
      parentCode: '330281009000',
    };

    const response = await importTree({ items: [...items, orphan] });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'JURISDICTION_TREE_INVALID',
      details: [{ field: '/items/19/parentCode' }],
    });
  });

  it('when an unknown code is asked for, then it is 404 JURISDICTION_NOT_FOUND', async () => {
    const response = await get('/v1/jurisdictions/330281099000');

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'JURISDICTION_NOT_FOUND' });
  });

  it('when the OpenAPI document is read, then the jurisdiction routes are tagged', async () => {
    const response = await fetch(`${running.base}/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };

    expect(document.paths['/v1/jurisdictions:import']?.['post']?.tags).toEqual(['jurisdictions']);
    expect(document.paths['/v1/jurisdictions/{code}']?.['get']?.tags).toEqual(['jurisdictions']);
  });
  it('when a visitor with no sign-in asks for the townships below the city, then they come by name, with nothing beyond code, name, level and parent', async () => {
    const response = await get(`/v1/public/jurisdictions/${CITY}/descendants?level=township`, null);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Record<string, unknown>[] };
    expect(body.items.map((place) => place['code'])).toEqual([
      '330281001000',
      '330281002000',
      '330281003000',
    ]);
    for (const place of body.items)
      expect(Object.keys(place).sort()).toEqual(['code', 'level', 'name', 'parentCode']);
    expect(body.items[0]).toMatchObject({ level: 'township', parentCode: CITY });
  });

  it('when a visitor asks below a place that does not exist, then 404 JURISDICTION_NOT_FOUND', async () => {
    const response = await get('/v1/public/jurisdictions/330281999000/descendants', null);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'JURISDICTION_NOT_FOUND' });
  });
});
