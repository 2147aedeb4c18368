import { randomUUID } from 'node:crypto';
import { describeWithServers, eventually, openApiProblems } from '@learning/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createForum,
  createSeries,
  officeToken,
  PROPAGANDA,
  type ForumBody,
  type SeriesBody,
} from '../support/catalogue.js';
import { useLecturesStack } from '../support/stack.js';

interface Refusal {
  code: string;
  message: string;
}

interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'lectures catalogue', (servers) => {
  const stack = useLecturesStack(servers);
  const run = randomUUID().slice(0, 8);
  const tokens = {} as Record<
    'admin' | 'propaganda' | 'education' | 'humanities' | 'youth' | 'participant',
    string
  >;
  const send = (method: string, path: string, token: string | null, body?: unknown) =>
    stack.lectures.send(method, path, token, body);
  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
  const refusal = async (response: Response): Promise<[number, string]> => [
    response.status,
    (await json<Refusal>(response)).code,
  ];

  beforeAll(async () => {
    tokens.admin = await officeToken(stack);
    tokens.propaganda = await stack.token({
      subject: `xc-officer-${run}`,
      roles: ['department_officer'],
      department: PROPAGANDA,
    });
    tokens.education = await stack.token({
      subject: `jy-officer-${run}`,
      roles: ['department_officer'],
      department: 'jiaoyu-ju',
    });
    tokens.humanities = await stack.token({ subject: `rw-${run}`, roles: ['participant'] });
    tokens.youth = await stack.token({ subject: `qn-${run}`, roles: ['participant'] });
    tokens.participant = await stack.token({ subject: `p-${run}`, roles: ['participant'] });
  });

  it('when the lecture types are asked without a token, then the five come with zh-CN and English labels', async () => {
    const response = await send('GET', '/v1/lecture-types', null);

    expect(response.status).toBe(200);
    const { items } = await json<{ items: { code: string; labels: Record<string, string> }[] }>(
      response,
    );
    expect(items.map((item) => item.code)).toEqual([
      'development_seminar',
      'theory',
      'history_culture',
      'policy_situation',
      'social_science',
    ]);
    expect(items[1]?.labels).toEqual({ 'zh-CN': '理论知识讲座', en: 'Theory lecture' });
  });

  describe('series', () => {
    let series: SeriesBody;

    beforeAll(async () => {
      series = await createSeries(stack, { name: `玉海大讲坛 ${run}` });
    });

    it('when the office adds a series, then it is read back at version 1', async () => {
      const response = await send('GET', `/v1/series/${series.id}`, tokens.propaganda);

      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({
        name: `玉海大讲坛 ${run}`,
        ownerDepartment: PROPAGANDA,
        createdBy: 'catalogue-office',
        version: 1,
      });
    });

    it('when a series is refused (not the office, unknown department, taken name), then none is stored', async () => {
      const before = await json<Page<SeriesBody>>(
        await send('GET', '/v1/series?pageSize=200', tokens.admin),
      );
      const body = { name: `其他讲坛 ${run}`, ownerDepartment: PROPAGANDA };

      expect(await refusal(await send('POST', '/v1/series', tokens.propaganda, body))).toEqual([
        403,
        'ROLE_REQUIRED',
      ]);
      expect(
        await refusal(
          await send('POST', '/v1/series', tokens.admin, {
            ...body,
            ownerDepartment: 'no-such-bu',
          }),
        ),
      ).toEqual([400, 'DEPARTMENT_UNKNOWN']);
      expect(
        await refusal(
          await send('POST', '/v1/series', tokens.admin, { ...body, name: series.name }),
        ),
      ).toEqual([409, 'SERIES_ALREADY_EXISTS']);
      expect((await send('POST', '/v1/series', null, body)).status).toBe(401);

      const after = await json<Page<SeriesBody>>(
        await send('GET', '/v1/series?pageSize=200', tokens.admin),
      );
      expect(after.items).toEqual(before.items);
    });

    it('when the owner department’s officer edits the series, then it changes; refusals change nothing', async () => {
      const path = `/v1/series/${series.id}`;
      expect(
        await refusal(
          await send('PATCH', path, tokens.education, { version: 1, description: 'x' }),
        ),
      ).toEqual([403, 'CATALOGUE_OFFICE_ONLY']);
      expect(await refusal(await send('PATCH', path, tokens.propaganda, { version: 1 }))).toEqual([
        400,
        'CATALOGUE_CHANGE_EMPTY',
      ]);
      expect(
        await refusal(
          await send('PATCH', path, tokens.propaganda, { version: 9, description: 'x' }),
        ),
      ).toEqual([409, 'VERSION_CONFLICT']);
      expect(
        await refusal(
          await send('PATCH', path, tokens.participant, { version: 1, description: 'x' }),
        ),
      ).toEqual([403, 'ROLE_REQUIRED']);
      expect(
        await refusal(
          await send('PATCH', `/v1/series/${randomUUID()}`, tokens.admin, {
            version: 1,
            description: 'x',
          }),
        ),
      ).toEqual([404, 'SERIES_NOT_FOUND']);
      expect(await json(await send('GET', path, tokens.admin))).toMatchObject({
        description: series.description,
        version: 1,
      });

      const changed = await send('PATCH', path, tokens.propaganda, {
        version: 1,
        description: '市委宣传部主办，覆盖全市城乡',
      });

      expect(changed.status).toBe(200);
      expect(await json(changed)).toMatchObject({
        description: '市委宣传部主办，覆盖全市城乡',
        version: 2,
      });
    });

    it('when series are listed a page at a time, then every one comes once, and a foreign cursor is refused', async () => {
      await createSeries(stack);
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const page: Page<SeriesBody> = await json(
          await send('GET', `/v1/series?pageSize=1${query}`, tokens.admin),
        );
        seen.push(...page.items.map((item) => item.id));
        token = page.nextPageToken;
      } while (token !== null);

      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(new Set(seen).size).toBe(seen.length);
      expect(
        await refusal(await send('GET', '/v1/series?pageToken=abc.def', tokens.admin)),
      ).toEqual([400, 'CURSOR_INVALID']);
      expect(await refusal(await send('GET', `/v1/series/${randomUUID()}`, tokens.admin))).toEqual([
        404,
        'SERIES_NOT_FOUND',
      ]);
    });
  });

  describe('forums', () => {
    let series: SeriesBody;
    let humanities: ForumBody;
    let youth: ForumBody;

    beforeAll(async () => {
      series = await createSeries(stack);
      humanities = await createForum(stack, {
        seriesId: series.id,
        name: '人文讲坛',
        managerSubjects: [`rw-${run}`],
      });
      youth = await createForum(stack, {
        seriesId: series.id,
        name: '青年讲坛',
        managerSubjects: [`qn-${run}`],
        targetTiers: ['ordinary_citizen', 'pupil'],
        leadDepartment: 'tuan-shiwei',
      });
    });

    it('when a forum is added, then it carries its series’ owner department and its managers', () => {
      expect(humanities).toMatchObject({
        seriesId: series.id,
        ownerDepartment: PROPAGANDA,
        managerSubjects: [`rw-${run}`],
        status: 'active',
        version: 1,
      });
    });

    it('when a forum is refused (unknown department or series, taken name, not the office), then none is stored', async () => {
      const path = `/v1/series/${series.id}/forums`;
      const body = {
        name: '企业家讲坛',
        targetTiers: ['private_enterprise_staff'],
        categories: ['market_economy_law'],
        leadDepartment: 'jingmao-ju',
      };

      expect(
        await refusal(
          await send('POST', path, tokens.admin, { ...body, leadDepartment: 'nope-ju' }),
        ),
      ).toEqual([400, 'DEPARTMENT_UNKNOWN']);
      expect(
        await refusal(await send('POST', `/v1/series/${randomUUID()}/forums`, tokens.admin, body)),
      ).toEqual([404, 'SERIES_NOT_FOUND']);
      expect(
        await refusal(await send('POST', path, tokens.admin, { ...body, name: '人文讲坛' })),
      ).toEqual([409, 'FORUM_ALREADY_EXISTS']);
      expect(await refusal(await send('POST', path, tokens.education, body))).toEqual([
        403,
        'CATALOGUE_OFFICE_ONLY',
      ]);
      expect(
        await refusal(await send('POST', path, tokens.admin, { ...body, targetTiers: ['nobody'] })),
      ).toEqual([400, 'VALIDATION_FAILED']);

      const listed = await json<Page<ForumBody>>(
        await send('GET', `/v1/forums?seriesId=${series.id}`, tokens.admin),
      );
      expect(listed.items.map((forum) => forum.name).sort()).toEqual(['人文讲坛', '青年讲坛']);
    });

    it('when a manager reads their own forum, then they get it; another forum is FORUM_MANAGE_FORBIDDEN', async () => {
      const own = await send('GET', `/v1/forums/${humanities.id}`, tokens.humanities);
      expect(own.status).toBe(200);
      expect(await json(own)).toMatchObject({ id: humanities.id, name: '人文讲坛' });

      expect(await refusal(await send('GET', `/v1/forums/${youth.id}`, tokens.humanities))).toEqual(
        [403, 'FORUM_MANAGE_FORBIDDEN'],
      );
      expect(
        await refusal(await send('GET', `/v1/forums/${randomUUID()}`, tokens.humanities)),
      ).toEqual([404, 'FORUM_NOT_FOUND']);
      expect((await send('GET', `/v1/forums/${humanities.id}`, null)).status).toBe(401);

      const mine = await json<Page<ForumBody>>(await send('GET', '/v1/forums', tokens.humanities));
      expect(mine.items.map((forum) => forum.id)).toEqual([humanities.id]);
      const none = await json<Page<ForumBody>>(await send('GET', '/v1/forums', tokens.participant));
      expect(none.items).toEqual([]);
    });

    it('when a manager edits their forum’s descriptive fields, then they change; the name, managers or another forum are refused and nothing changes', async () => {
      const path = `/v1/forums/${humanities.id}`;
      expect(
        await refusal(await send('PATCH', path, tokens.humanities, { version: 1, name: '改名' })),
      ).toEqual([403, 'FORUM_FIELD_OFFICE_ONLY']);
      expect(
        await refusal(
          await send('PATCH', path, tokens.humanities, {
            version: 1,
            managerSubjects: [`rw-${run}`, `p-${run}`],
          }),
        ),
      ).toEqual([403, 'FORUM_FIELD_OFFICE_ONLY']);
      expect(
        await refusal(await send('PATCH', path, tokens.youth, { version: 1, description: '抢' })),
      ).toEqual([403, 'FORUM_MANAGE_FORBIDDEN']);
      expect(
        await refusal(
          await send('POST', `/v1/forums/${humanities.id}:retire`, tokens.humanities, {}),
        ),
      ).toEqual([403, 'FORUM_FIELD_OFFICE_ONLY']);
      expect(await json(await send('GET', path, tokens.admin))).toEqual(
        expect.objectContaining({
          name: '人文讲坛',
          description: humanities.description,
          version: 1,
        }),
      );

      const changed = await send('PATCH', path, tokens.humanities, {
        version: 1,
        description: '宋韵文化与地方史',
        categories: ['ethics_etiquette'],
      });

      expect(changed.status).toBe(200);
      expect(await json(changed)).toMatchObject({
        name: '人文讲坛',
        description: '宋韵文化与地方史',
        categories: ['ethics_etiquette'],
        version: 2,
      });
    });

    it('when the office names new managers, then the old manager loses the forum and the new one gains it', async () => {
      const path = `/v1/forums/${youth.id}`;
      expect(
        await refusal(
          await send('PATCH', path, tokens.propaganda, { version: 1, leadDepartment: 'no-such' }),
        ),
      ).toEqual([400, 'DEPARTMENT_UNKNOWN']);
      const changed = await send('PATCH', path, tokens.propaganda, {
        version: 1,
        managerSubjects: [`p-${run}`],
      });
      expect(changed.status).toBe(200);

      expect((await send('GET', path, tokens.participant)).status).toBe(200);
      expect(await refusal(await send('GET', path, tokens.youth))).toEqual([
        403,
        'FORUM_MANAGE_FORBIDDEN',
      ]);
    });

    it('when the office retires a forum, then the public no longer sees it until it is reactivated', async () => {
      const forum = await createForum(stack, { seriesId: series.id, name: '企业家讲坛' });
      const publicIds = async () => {
        const ids: string[] = [];
        let token: string | null = null;
        do {
          const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
          const page: Page<{ id: string; managerSubjects?: unknown }> = await json(
            await send('GET', `/v1/public/forums?seriesId=${series.id}&pageSize=1${query}`, null),
          );
          for (const item of page.items) expect(item).not.toHaveProperty('managerSubjects');
          ids.push(...page.items.map((item) => item.id));
          token = page.nextPageToken;
        } while (token !== null);
        return ids.sort();
      };
      expect(await publicIds()).toEqual([humanities.id, youth.id, forum.id].sort());

      const retired = await send('POST', `/v1/forums/${forum.id}:retire`, tokens.propaganda, {
        version: 1,
      });
      expect(retired.status).toBe(200);
      expect(await json(retired)).toMatchObject({ status: 'retired', version: 2 });
      expect(
        await refusal(await send('POST', `/v1/forums/${forum.id}:retire`, tokens.admin, {})),
      ).toEqual([409, 'FORUM_ALREADY_RETIRED']);
      expect(await publicIds()).toEqual([humanities.id, youth.id].sort());
      expect(await refusal(await send('GET', `/v1/public/forums/${forum.id}`, null))).toEqual([
        404,
        'FORUM_NOT_FOUND',
      ]);
      const retiredOnly = await json<Page<ForumBody>>(
        await send('GET', `/v1/forums?seriesId=${series.id}&status=retired`, tokens.admin),
      );
      expect(retiredOnly.items.map((item) => item.id)).toEqual([forum.id]);

      expect(
        (await send('POST', `/v1/forums/${forum.id}:reactivate`, tokens.admin, {})).status,
      ).toBe(200);
      expect(
        await refusal(await send('POST', `/v1/forums/${forum.id}:reactivate`, tokens.admin, {})),
      ).toEqual([409, 'FORUM_NOT_RETIRED']);
      const publicForum = await send('GET', `/v1/public/forums/${forum.id}`, null);
      expect(publicForum.status).toBe(200);
      expect(Object.keys(await json<object>(publicForum)).sort()).toEqual([
        'categories',
        'description',
        'id',
        'leadDepartment',
        'name',
        'seriesId',
        'targetTiers',
      ]);
    });

    it('when officers changed forums, then the audit log holds each change with its actor', async () => {
      const actions = await eventually('the forum changes in the audit log', async () => {
        const response = await send(
          'GET',
          `/v1/audit-log?entityType=forum&entityId=${humanities.id}`,
          tokens.admin,
        );
        const page = await json<Page<{ action: string; actor: { subject: string } }>>(response);
        const found = page.items.map((item) => `${item.action} by ${item.actor.subject}`).sort();
        return found.length === 2 ? found : undefined;
      });

      expect(actions).toEqual(['forum.change by rw-' + run, 'forum.create by catalogue-office']);
    });
  });

  it('when the OpenAPI document is read, then every catalogue operation documents its errors and keys', async () => {
    const document = await json<{ paths: Record<string, unknown> }>(
      await fetch(`${stack.lectures.base}/openapi.json`),
    );
    const ours = Object.fromEntries(
      Object.entries(document.paths).filter(([path]) =>
        /^\/v1\/(series|forums|public\/forums|lecture-types)/.test(path),
      ),
    );
    const { operations, problems } = openApiProblems({ paths: ours });

    expect(operations).toBeGreaterThanOrEqual(12);
    expect(problems).toEqual([]);
  });
});
