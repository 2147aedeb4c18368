import { generatePiiEnvironment } from '@learning/pii';
import { useServiceApp, type HarnessServers, type RunningApp } from '@learning/runtime/testing';
import { describeWithServers, eventually, openApiProblems, uniqueName } from '@learning/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationsService } from '../../src/app.js';
import type { CachedTemplateRenderer } from '../../src/application/templates/ports.js';
import { loadNotificationsConfig } from '../../src/config.js';
import type { Module } from '../../src/platform.js';

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

interface VersionView {
  version: number;
  title: string;
  body: string;
  restoredFrom: number | null;
  createdBy: string | null;
}

const confirmed = {
  title: '社区读书会',
  startsAt: new Date('2026-04-01T01:30:00Z'),
  endsAt: new Date('2026-04-01T03:30:00Z'),
  venue: '市图书馆',
};

/**
 * A notifications replica whose platform renderer the test can call, as the
 * dispatcher and the fan-out do, on a database shared with other replicas.
 */
function useReplica(
  servers: HarnessServers,
  database: string,
  environment: Readonly<Record<string, string>> = {},
): { running: RunningApp; renderer: () => CachedTemplateRenderer } {
  let renderer: CachedTemplateRenderer | undefined;
  const probe: Module = (platform) => {
    renderer = platform.templates;
  };
  const running = useServiceApp(
    { ...notificationsService, modules: [...notificationsService.modules, probe] },
    servers,
    {
      loadConfig: loadNotificationsConfig,
      environment: () => ({
        MONGODB_DATABASE: database,
        ...generatePiiEnvironment(),
        ...environment,
      }),
    },
  );
  return {
    running,
    renderer: () => {
      if (renderer === undefined) throw new Error('the app has not started');
      return renderer;
    },
  };
}

describeWithServers(['mongo', 'kafka', 'redis'], 'notice templates', (servers) => {
  const database = uniqueName('notifications-templates');
  const main = useReplica(servers, database);
  // Another replica on the same database, trusting its copy of a template for half a second.
  const other = useReplica(servers, database, { TEMPLATE_CACHE_TTL_MS: '500' });
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const issuer = main.running.issuer;
    tokens['office'] = await issuer.sign({
      subject: 'office-1',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens['area'] = await issuer.sign({
      subject: 'area-1',
      roles: ['area_officer'],
      jurisdictions: ['330281001000'],
    });
    tokens['participant'] = await issuer.sign({ subject: 'p-1', roles: ['participant'] });
  });

  const send = async (
    as: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> => {
    const response = await main.running.send(
      method,
      path,
      tokens[as] ?? null,
      body,
      headers === undefined ? {} : { headers },
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const office = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    send('office', method, path, body, headers);
  const refusal = (reply: Reply) => ({ status: reply.status, code: reply.body['code'] });
  const versionsOf = (reply: Reply) =>
    (reply.body['versions'] as VersionView[]).map((version) => [
      version.version,
      version.restoredFrom,
      version.createdBy,
    ]);

  it('when the OpenAPI document is read, then every templates route asks for what it needs and answers errors in the shared shape', async () => {
    const document = (await (await fetch(`${main.running.base}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const ours = Object.fromEntries(
      Object.entries(document.paths).filter(
        ([path]) => path.startsWith('/v1/templates') || path === '/v1/notice-kinds',
      ),
    );

    expect(openApiProblems({ paths: ours })).toEqual({ operations: 6, problems: [] });
  });

  describe('the notice kinds', () => {
    it('when an officer asks for the notice kinds, then each has its category, urgency and typed variables', async () => {
      const reply = await send('area', 'GET', '/v1/notice-kinds');

      expect(reply.status).toBe(200);
      const items = reply.body['items'] as Record<string, unknown>[];
      expect(items).toHaveLength(19);
      expect(items.find((item) => item['kind'] === 'enrollment.waitlisted')).toEqual({
        kind: 'enrollment.waitlisted',
        category: 'enrollments',
        urgent: false,
        variables: [
          { name: 'title', type: 'text' },
          { name: 'startsAt', type: 'datetime' },
          { name: 'endsAt', type: 'datetime' },
          { name: 'venue', type: 'text' },
          { name: 'position', type: 'number' },
        ],
      });
      expect(items.find((item) => item['kind'] === 'training.completed')).toEqual({
        kind: 'training.completed',
        category: 'training',
        urgent: false,
        variables: [
          { name: 'programme', type: 'text' },
          { name: 'certificateCode', type: 'text' },
          { name: 'completedAt', type: 'datetime' },
        ],
      });
    });

    it('when a participant asks for the notice kinds, then 403', async () => {
      expect(refusal(await send('participant', 'GET', '/v1/notice-kinds'))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });
  });

  describe('reading templates', () => {
    it('when nothing was saved, then a template is its built-in at version 0 and revision 0', async () => {
      const reply = await send('area', 'GET', '/v1/templates/enrollment.confirmed/sms/zh-CN');

      expect(reply.status).toBe(200);
      expect(reply.headers.get('etag')).toBe('"0"');
      expect(reply.body).toMatchObject({
        kind: 'enrollment.confirmed',
        channel: 'sms',
        language: 'zh-CN',
        current: {
          version: 0,
          title: '',
          body: '报名成功：{{title}}，时间 {{startsAt}}，地点 {{venue}}。',
          language: 'zh-CN',
        },
        revision: 0,
      });
      expect(versionsOf(reply)).toEqual([[0, null, null]]);
    });

    it('when the list is paged, then every kind, channel and language is listed once in catalogue order', async () => {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${token}`;
        const page = await send('area', 'GET', `/v1/templates?pageSize=50${query}`);
        expect(page.status).toBe(200);
        for (const item of page.body['items'] as Record<string, string>[])
          seen.push(`${item['kind']}/${item['channel']}/${item['language']}`);
        token = page.body['nextPageToken'] as string | null;
      } while (token !== null);

      expect(seen).toHaveLength(19 * 4 * 2);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 3)).toEqual([
        'enrollment.confirmed/inbox/zh-CN',
        'enrollment.confirmed/inbox/en',
        'enrollment.confirmed/sms/zh-CN',
      ]);
    });

    it('when the list is filtered by kind and language, then only those are listed', async () => {
      const reply = await send('area', 'GET', '/v1/templates?kind=digest&language=en');

      expect(reply.status).toBe(200);
      const items = reply.body['items'] as Record<string, unknown>[];
      expect(items.map((item) => item['channel'])).toEqual(['inbox', 'sms', 'email', 'wechat']);
      expect(reply.body['nextPageToken']).toBeNull();
    });

    it('when a page token was not given by the list, or a kind is unknown, then 400', async () => {
      expect(refusal(await send('area', 'GET', '/v1/templates?pageToken=bm9wZQ'))).toEqual({
        status: 400,
        code: 'CURSOR_INVALID',
      });
      expect(refusal(await send('area', 'GET', '/v1/templates/no.such.kind/sms/zh-CN'))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(refusal(await send('area', 'GET', '/v1/templates/digest/fax/zh-CN'))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    });

    it('when a participant reads templates, then 403', async () => {
      expect(refusal(await send('participant', 'GET', '/v1/templates'))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });
  });

  describe('saving and restoring', () => {
    const path = '/v1/templates/enrollment.confirmed/inbox/zh-CN';

    it('when the office saves a template, then it is version 1, audited, and the running app renders it at once', async () => {
      const before = await main
        .renderer()
        .render('enrollment.confirmed', 'inbox', 'zh-CN', confirmed);

      const saved = await office(
        'PUT',
        path,
        { title: '已报名：{{title}}', body: '{{startsAt}}，{{venue}}见！' },
        { 'if-match': '"0"' },
      );

      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.headers.get('etag')).toBe('"1"');
      expect(saved.body).toMatchObject({
        current: { version: 1, title: '已报名：{{title}}' },
        revision: 1,
      });
      expect(versionsOf(saved)).toEqual([
        [0, null, null],
        [1, null, 'office-1'],
      ]);
      expect(before.templateVersion).toBe(0);
      expect(
        await main.renderer().render('enrollment.confirmed', 'inbox', 'zh-CN', confirmed),
      ).toEqual({
        title: '已报名：社区读书会',
        body: '2026年4月1日 09:30，市图书馆见！',
        templateVersion: 1,
      });
      const audit = await eventually('the audit entry', async () => {
        const page = await office(
          'GET',
          '/v1/audit-log?entityType=notice_template&entityId=enrollment.confirmed:inbox:zh-CN',
        );
        const items = page.body['items'] as Record<string, unknown>[] | undefined;
        return items?.length === 1 ? items[0] : undefined;
      });
      expect(audit).toMatchObject({
        action: 'notice_template.save',
        actor: { subject: 'office-1' },
        before: { version: 0, title: '报名成功：{{title}}' },
        after: { version: 1, title: '已报名：{{title}}', restoredFrom: null },
      });
    });

    it('when a save names a revision no longer current, then 409 VERSION_CONFLICT and nothing changes', async () => {
      const stale = await office('PUT', path, { title: 'x', body: 'y', revision: 0 });

      expect(refusal(stale)).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
      expect((await office('GET', path)).body['revision']).toBe(1);
    });

    it('when If-Match is not an ETag, then 400 TEMPLATE_REVISION_INVALID', async () => {
      expect(
        refusal(await office('PUT', path, { title: 'x', body: 'y' }, { 'if-match': 'latest' })),
      ).toEqual({ status: 400, code: 'TEMPLATE_REVISION_INVALID' });
    });

    it('when one save is sent twice with one Idempotency-Key, then one version is stored', async () => {
      const key = uniqueName('template-save');
      const body = { title: '报名成功', body: '{{title}}', revision: 1 };

      const first = await office('PUT', path, body, { 'idempotency-key': key });
      const second = await office('PUT', path, body, { 'idempotency-key': key });

      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect((await office('GET', path)).body['revision']).toBe(2);
    });

    it('when the office restores the built-in, then it is saved again as the next version, restored from 0', async () => {
      const restored = await office('POST', `${path}/0/restore`, { revision: 2 });

      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(versionsOf(restored)).toEqual([
        [0, null, null],
        [1, null, 'office-1'],
        [2, null, 'office-1'],
        [3, 0, 'office-1'],
      ]);
      expect(
        await main.renderer().render('enrollment.confirmed', 'inbox', 'zh-CN', confirmed),
      ).toMatchObject({ title: '报名成功：社区读书会', templateVersion: 3 });
    });

    it('when the version in use or one never saved is restored, then 409 and 404', async () => {
      expect(refusal(await office('POST', `${path}/3/restore`, {}))).toEqual({
        status: 409,
        code: 'TEMPLATE_VERSION_CURRENT',
      });
      expect(refusal(await office('POST', `${path}/9/restore`, {}))).toEqual({
        status: 404,
        code: 'TEMPLATE_VERSION_NOT_FOUND',
      });
    });

    it('when an area officer saves or restores, then 403', async () => {
      expect(refusal(await send('area', 'PUT', path, { title: 'x', body: 'y' }))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
      expect(refusal(await send('area', 'POST', `${path}/1/restore`, {}))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });

    it('when two first saves race, then one is stored and the other gets 409', async () => {
      const racePath = '/v1/templates/award.granted/wechat/en';
      const replies = await Promise.all(
        ['A', 'B'].map((name) =>
          office('PUT', racePath, { title: `Award ${name}`, body: '{{award}}', revision: 0 }),
        ),
      );

      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
      expect((await office('GET', racePath)).body['revision']).toBe(1);
    });

    it('when templates were saved, then the list can show only the customized ones', async () => {
      const reply = await office('GET', '/v1/templates?customized=true');

      expect(reply.status).toBe(200);
      expect(
        (reply.body['items'] as Record<string, unknown>[]).map((item) => [
          item['kind'],
          item['channel'],
          item['language'],
          item['customized'],
        ]),
      ).toEqual([
        ['enrollment.confirmed', 'inbox', 'zh-CN', true],
        ['award.granted', 'wechat', 'en', true],
      ]);
    });
  });

  describe('refused templates', () => {
    const save = (path: string, title: string, body: string) =>
      office('PUT', `/v1/templates/${path}`, { title, body });

    it('when a template names a variable its kind lacks, then 400 names it and the kind’s variables', async () => {
      const reply = await save('credits.awarded/inbox/zh-CN', '学分', '{{amount}} 于 {{venue}}');

      expect(refusal(reply)).toEqual({ status: 400, code: 'TEMPLATE_VARIABLE_UNKNOWN' });
      expect(reply.body['message']).toContain('{{venue}}');
      expect(reply.body['message']).toContain(
        'amount (text), source (text), occurredAt (datetime)',
      );
      expect(reply.body['details']).toEqual([{ field: '/body', message: reply.body['message'] }]);
    });

    it('when a template is malformed or uses a section, then 400 with where', async () => {
      const open = await save('credits.awarded/inbox/zh-CN', '学分', '获得\n{{amount');
      const section = await save('credits.awarded/inbox/zh-CN', '{{#amount}}学分{{/amount}}', 'x');

      expect(refusal(open)).toEqual({ status: 400, code: 'TEMPLATE_SYNTAX_INVALID' });
      expect(open.body['message']).toContain('line 2, column 1');
      expect(refusal(section)).toEqual({ status: 400, code: 'TEMPLATE_TAG_NOT_ALLOWED' });
    });

    it('when an SMS is too long or has a title, then 400 with the limit', async () => {
      const long = await save('credits.awarded/sms/zh-CN', '', `${'很'.repeat(70)}{{amount}}`);
      const titled = await save('credits.awarded/sms/zh-CN', '学分', '{{amount}}');

      expect(refusal(long)).toEqual({ status: 400, code: 'TEMPLATE_TOO_LONG' });
      expect(long.body['message']).toContain('at most 70');
      expect(refusal(titled)).toEqual({ status: 400, code: 'TEMPLATE_TITLE_INVALID' });
    });

    it('when a refused template is sent, then nothing is stored', async () => {
      const reply = await office('GET', '/v1/templates/credits.awarded/inbox/zh-CN');

      expect(reply.body['revision']).toBe(0);
    });
  });

  describe('preview', () => {
    const preview = (body: Record<string, unknown>) =>
      send('area', 'POST', '/v1/templates/preview', body);

    it('when a draft is previewed with some values, then the rest are typed samples, with warnings', async () => {
      const reply = await preview({
        kind: 'enrollment.waitlisted',
        channel: 'inbox',
        language: 'en',
        title: 'Waiting: {{title}}',
        body: '{{title}} at {{startsAt}}; you are no. {{position}}',
        variables: { title: 'Tai chi', startsAt: '2026-05-02T08:00:00+08:00', colour: 'red' },
      });

      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject({
        title: 'Waiting: Tai chi',
        body: 'Tai chi at 2 May 2026, 08:00; you are no. 3',
        version: null,
      });
      const warnings = reply.body['warnings'] as { code: string; variable?: string }[];
      expect(warnings.map((warning) => [warning.code, warning.variable])).toEqual([
        ['SAMPLE_USED', 'endsAt'],
        ['SAMPLE_USED', 'venue'],
        ['SAMPLE_USED', 'position'],
        ['VARIABLE_NOT_IN_KIND', 'colour'],
      ]);
    });

    it('when a saved version is previewed, then it is filled as saved', async () => {
      const reply = await preview({
        kind: 'enrollment.confirmed',
        channel: 'inbox',
        language: 'zh-CN',
        version: 1,
        variables: { title: '书法课', startsAt: '2026-04-01T01:30:00Z', venue: '文化站' },
      });

      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        title: '已报名：书法课',
        body: '2026年4月1日 09:30，文化站见！',
        version: 1,
      });
    });

    it('when a draft SMS is too long, then it is shown with a warning rather than refused', async () => {
      const reply = await preview({
        kind: 'reminder.hour-before',
        channel: 'sms',
        language: 'zh-CN',
        body: `${'请'.repeat(70)}{{title}}`,
      });

      expect(reply.status).toBe(200);
      const codes = (reply.body['warnings'] as { code: string }[]).map((warning) => warning.code);
      expect(codes).toContain('TOO_LONG');
      expect(codes).toContain('SMS_SPLIT');
    });

    it('when a preview value has the wrong type, names both a draft and a version, or an unknown version, then 4xx', async () => {
      const base = { kind: 'enrollment.confirmed', channel: 'sms', language: 'zh-CN' };

      expect(refusal(await preview({ ...base, variables: { startsAt: 'tomorrow' } }))).toEqual({
        status: 400,
        code: 'TEMPLATE_PREVIEW_VARIABLE_INVALID',
      });
      expect(refusal(await preview({ ...base, body: '{{title}}', version: 0 }))).toEqual({
        status: 400,
        code: 'TEMPLATE_PREVIEW_SOURCE_INVALID',
      });
      expect(refusal(await preview({ ...base, version: 5 }))).toEqual({
        status: 404,
        code: 'TEMPLATE_VERSION_NOT_FOUND',
      });
      expect(refusal(await preview({ ...base, body: '{{nope}}' }))).toEqual({
        status: 400,
        code: 'TEMPLATE_VARIABLE_UNKNOWN',
      });
    });
  });

  describe('replicas', () => {
    it('when another replica saves, then this one renders the new version once its cached copy expires', async () => {
      const key = ['reminder.day-before', 'wechat', 'en'] as const;
      const rendered = () => other.renderer().render(...key, confirmed);
      expect((await rendered()).templateVersion).toBe(0);

      const saved = await office('PUT', '/v1/templates/reminder.day-before/wechat/en', {
        title: 'Tomorrow',
        body: '{{title}} at {{startsAt}}',
      });
      expect(saved.status).toBe(200);

      const after = await eventually('the other replica renders version 1', async () => {
        const result = await rendered();
        return result.templateVersion === 1 ? result : undefined;
      });
      expect(after.body).toBe('社区读书会 at 1 Apr 2026, 09:30');
    });
  });
});
