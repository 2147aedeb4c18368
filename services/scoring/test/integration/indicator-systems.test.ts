import { randomUUID } from 'node:crypto';
import { chinaDateOf } from '@learning/domain';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorSystemModel } from '../../src/adapters/mongo/evaluation-models.js';
import { useScoringStack } from '../support/stack.js';
import { refusal, replySender } from '../support/replies.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'indicator systems', (servers) => {
  const database = uniqueName('scoring-systems');
  const stack = useScoringStack(servers, { scoringEnvironment: { MONGODB_DATABASE: database } });
  const tokens: Record<string, string> = {};
  let db: Connection;
  const thisYear = Number(chinaDateOf(new Date()).slice(0, 4));

  beforeAll(async () => {
    tokens['office'] = await stack.token({
      subject: 'office-1',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens['area'] = await stack.token({
      subject: 'area-1',
      roles: ['area_officer'],
      jurisdictions: ['330281001000'],
    });
    tokens['orgAdmin'] = await stack.token({
      subject: 'org-admin-1',
      roles: ['org_admin'],
      organizations: [randomUUID()],
    });
    tokens['expert'] = await stack.token({ subject: 'expert-1', roles: ['expert'] });
    tokens['participant'] = await stack.token({ subject: 'p-1', roles: ['participant'] });
    db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
  });

  afterAll(async () => {
    await db.close();
  });

  const send = replySender(stack.scoring);
  const office = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    send(method, path, tokens['office'] ?? '', body, headers);

  const trained = {
    key: 'trained',
    name: '职工培训覆盖率',
    weight: '40',
    method: {
      kind: 'ratio',
      numerator: 'members_trained',
      denominator: 'members',
      from: 0,
      to: 0.8,
    },
  };
  const spend = {
    key: 'spend',
    name: '人均培训经费',
    weight: 35.5,
    method: {
      kind: 'per_capita',
      numerator: 'training_spend_yuan',
      denominator: 'members',
      from: 0,
      to: 500,
    },
  };
  const recognized = {
    key: 'recognized',
    name: '已认定为学习型企业',
    weight: '10',
    method: { kind: 'yes_no', metric: 'recognized' },
  };
  const activities = {
    key: 'activities',
    name: '组织学习活动',
    weight: '14.50',
    method: { kind: 'threshold', metric: 'activities_organized', atLeast: 4 },
  };
  /** What a change (PUT) sends: the terms without year and target. */
  const termsOf = (year: number) => ({
    name: `${String(year)}年学习型企业评估指标体系`,
    passMark: '60',
    indicators: [trained, spend, recognized, activities],
  });
  const enterpriseSystem = (year: number) => ({ year, target: 'enterprise', ...termsOf(year) });

  /** Creates `body`'s system and answers its id. */
  const created = async (body: unknown): Promise<string> => {
    const reply = await office('POST', '/v1/indicator-systems', body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body['id'] as string;
  };

  describe('the office sets a system', () => {
    it('when the office sets the enterprises’ system, then it is version 1 with weights and pass mark as decimal strings, and audited', async () => {
      const reply = await office('POST', '/v1/indicator-systems', enterpriseSystem(thisYear));

      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.headers.get('etag')).toBe('"1"');
      expect(reply.body).toMatchObject({
        year: thisYear,
        target: 'enterprise',
        version: 1,
        currentVersion: 1,
        passMark: '60.00',
        history: [],
        frozenAt: null,
        supersededAt: null,
        createdBy: 'office-1',
      });
      expect(
        (reply.body['indicators'] as { key: string; weight: string }[]).map((one) => [
          one.key,
          one.weight,
        ]),
      ).toEqual([
        ['trained', '40.00'],
        ['spend', '35.50'],
        ['recognized', '10.00'],
        ['activities', '14.50'],
      ]);
      const id = reply.body['id'] as string;
      const stored = await indicatorSystemModel(db).findById(id).lean();
      expect(stored?.passMark).toBe(6000);
      expect(stored?.indicators.map((one) => one.weight)).toEqual([4000, 3550, 1000, 1450]);
      const audit = await eventually('the audit entry', async () => {
        const page = await office(
          'GET',
          `/v1/audit-log?entityType=indicator_system&entityId=${id}`,
        );
        const items = page.body['items'] as Record<string, unknown>[] | undefined;
        return items?.length === 1 ? items[0] : undefined;
      });
      expect(audit).toMatchObject({
        action: 'indicator_system.create',
        actor: { subject: 'office-1' },
        before: null,
        after: { target: 'enterprise', passMark: '60.00', version: 1 },
      });
    });

    it('when the year already has a system for the target, then 409 INDICATOR_SYSTEM_EXISTS names it and nothing is added', async () => {
      const first = await created(enterpriseSystem(thisYear - 1));

      const again = await office('POST', '/v1/indicator-systems', enterpriseSystem(thisYear - 1));

      expect(refusal(again)).toEqual({ status: 409, code: 'INDICATOR_SYSTEM_EXISTS' });
      expect(again.body['message']).toContain(first);
      expect(
        await indicatorSystemModel(db).countDocuments({ year: thisYear - 1, target: 'enterprise' }),
      ).toBe(1);
    });

    it('when the same POST is replayed with its Idempotency-Key, then one system is stored and the answer repeats', async () => {
      const key = randomUUID();
      const body = {
        ...enterpriseSystem(thisYear - 2),
        target: 'agency',
        indicators: [{ ...trained, weight: '75.50' }, recognized, activities],
      };

      const first = await office('POST', '/v1/indicator-systems', body, { 'idempotency-key': key });
      const replay = await office('POST', '/v1/indicator-systems', body, {
        'idempotency-key': key,
      });

      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body['id']).toBe(first.body['id']);
      expect(
        await indicatorSystemModel(db).countDocuments({ year: thisYear - 2, target: 'agency' }),
      ).toBe(1);
    });

    it('when a system is badly made, then 400 with the code that says what, and nothing is stored', async () => {
      const base = { ...enterpriseSystem(2010), target: 'family' };
      const cases: [string, unknown][] = [
        ['INDICATOR_WEIGHTS_NOT_FULL', { ...base, indicators: [trained, spend, recognized] }],
        [
          'INDICATOR_WEIGHT_INVALID',
          {
            ...base,
            indicators: [{ ...trained, weight: '40.001' }, spend, recognized, activities],
          },
        ],
        [
          'INDICATOR_WEIGHT_INVALID',
          { ...base, indicators: [{ ...trained, weight: 0 }, spend, recognized, activities] },
        ],
        [
          'INDICATOR_METRIC_UNKNOWN',
          {
            ...base,
            indicators: [
              trained,
              spend,
              { ...recognized, method: { kind: 'yes_no', metric: 'happiness' } },
              activities,
            ],
          },
        ],
        [
          'INDICATOR_METRIC_NOT_FOR_TARGET',
          {
            ...base,
            indicators: [
              trained,
              spend,
              { ...recognized, method: { kind: 'yes_no', metric: 'supermarket' } },
              activities,
            ],
          },
        ],
        [
          'INDICATOR_METHOD_INVALID',
          {
            ...base,
            indicators: [
              trained,
              spend,
              { ...recognized, method: { kind: 'yes_no', metric: 'members' } },
              activities,
            ],
          },
        ],
        [
          'INDICATOR_METHOD_INVALID',
          {
            ...base,
            indicators: [
              { ...trained, method: { ...trained.method, from: 1, to: 0.5 } },
              spend,
              recognized,
              activities,
            ],
          },
        ],
        [
          'INDICATOR_KEY_INVALID',
          { ...base, indicators: [trained, { ...spend, key: 'trained' }, recognized, activities] },
        ],
        ['INDICATORS_INVALID', { ...base, indicators: [] }],
        ['PASS_MARK_INVALID', { ...base, passMark: '100.5' }],
        ['PASS_MARK_INVALID', { ...base, passMark: '60.125' }],
        ['INDICATOR_SYSTEM_YEAR_INVALID', { ...base, year: thisYear + 2 }],
        ['VALIDATION_FAILED', { ...base, year: 1999 }],
        ['VALIDATION_FAILED', { ...base, target: 'household' }],
        [
          'VALIDATION_FAILED',
          {
            ...base,
            indicators: [
              { ...trained, method: { kind: 'threshold', metric: 'members' } },
              spend,
              recognized,
              activities,
            ],
          },
        ],
      ];

      const codes = [];
      for (const [, body] of cases)
        codes.push(refusal(await office('POST', '/v1/indicator-systems', body)));

      expect(codes).toEqual(cases.map(([code]) => ({ status: 400, code })));
      expect(await indicatorSystemModel(db).countDocuments({ target: 'family' })).toBe(0);
    });

    it('when anyone but the office writes, then 403 ROLE_REQUIRED; without a token, 401', async () => {
      const body = { ...enterpriseSystem(2011), target: 'community' };
      for (const role of ['area', 'orgAdmin', 'expert', 'participant'])
        expect(
          refusal(await send('POST', '/v1/indicator-systems', tokens[role] ?? '', body)),
        ).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
      expect((await send('POST', '/v1/indicator-systems', null, body)).status).toBe(401);
    });
  });

  describe('versions', () => {
    it('when the office changes a system at the version it read, then the next version is current and the replaced one is in the history', async () => {
      const id = await created({ ...enterpriseSystem(2012), target: 'community' });
      const read = await office('GET', `/v1/indicator-systems/${id}`);
      expect(read.headers.get('etag')).toBe('"1"');
      const terms = { ...termsOf(2012), name: '社区评估（修订）', passMark: 65.5 };

      const put = await office('PUT', `/v1/indicator-systems/${id}`, terms, { 'if-match': '"1"' });

      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.headers.get('etag')).toBe('"2"');
      expect(put.body).toMatchObject({
        version: 2,
        currentVersion: 2,
        name: '社区评估（修订）',
        passMark: '65.50',
        history: [{ version: 1, supersededBy: 'office-1' }],
      });
      const past = await office('GET', `/v1/indicator-systems/${id}?version=1`);
      expect(past.status).toBe(200);
      expect(past.headers.get('etag')).toBeNull();
      expect(past.body).toMatchObject({ version: 1, currentVersion: 2, passMark: '60.00' });
      expect(past.body['supersededAt']).toEqual(expect.any(String));
      expect(refusal(await office('GET', `/v1/indicator-systems/${id}?version=9`))).toEqual({
        status: 404,
        code: 'INDICATOR_SYSTEM_VERSION_NOT_FOUND',
      });
      const audit = await eventually('the change’s audit entry', async () => {
        const page = await office(
          'GET',
          `/v1/audit-log?entityType=indicator_system&entityId=${id}`,
        );
        const items = (page.body['items'] as Record<string, unknown>[] | undefined)?.filter(
          (item) => item['action'] === 'indicator_system.replace',
        );
        return items?.length === 1 ? items[0] : undefined;
      });
      expect(audit).toMatchObject({
        before: { version: 1, passMark: '60.00' },
        after: { version: 2, passMark: '65.50' },
      });
    });

    it('when a change names a stale or malformed version, then 409 VERSION_CONFLICT or 400 INDICATOR_SYSTEM_REVISION_INVALID and nothing changes', async () => {
      const id = await created({ ...enterpriseSystem(2013), target: 'community' });
      const terms = termsOf(2013);
      expect((await office('PUT', `/v1/indicator-systems/${id}`, terms)).status).toBe(200);

      expect(
        refusal(await office('PUT', `/v1/indicator-systems/${id}`, terms, { 'if-match': '"1"' })),
      ).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
      expect(
        refusal(await office('PUT', `/v1/indicator-systems/${id}`, { ...terms, revision: 1 })),
      ).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
      expect(
        refusal(await office('PUT', `/v1/indicator-systems/${id}`, terms, { 'if-match': 'two' })),
      ).toEqual({ status: 400, code: 'INDICATOR_SYSTEM_REVISION_INVALID' });
      expect(
        refusal(
          await office('PUT', `/v1/indicator-systems/${id}`, {
            ...terms,
            indicators: terms.indicators.slice(1),
          }),
        ),
      ).toEqual({ status: 400, code: 'INDICATOR_WEIGHTS_NOT_FULL' });
      expect((await indicatorSystemModel(db).findById(id).lean())?.version).toBe(2);
      expect(refusal(await office('PUT', `/v1/indicator-systems/${randomUUID()}`, terms))).toEqual({
        status: 404,
        code: 'INDICATOR_SYSTEM_NOT_FOUND',
      });
      expect(
        refusal(await send('PUT', `/v1/indicator-systems/${id}`, tokens['area'] ?? '', terms)),
      ).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
    });

    it('when an assessment under the system is locked, then a change is refused with 409 INDICATOR_SYSTEM_FROZEN and nothing changes', async () => {
      const id = await created({ ...enterpriseSystem(2014), target: 'community' });
      await indicatorSystemModel(db).updateOne({ _id: id }, { $set: { frozenAt: new Date() } });
      const terms = termsOf(2014);

      const put = await office('PUT', `/v1/indicator-systems/${id}`, { ...terms, passMark: '70' });

      expect(refusal(put)).toEqual({ status: 409, code: 'INDICATOR_SYSTEM_FROZEN' });
      expect(await indicatorSystemModel(db).findById(id).lean()).toMatchObject({
        version: 1,
        passMark: 6000,
        history: [],
      });
      const read = await office('GET', `/v1/indicator-systems/${id}`);
      expect(read.body['frozenAt']).toEqual(expect.any(String));
    });
  });

  describe('copies', () => {
    it('when the office copies a system to another year, then that year has the same indicators as version 1; a second copy is refused', async () => {
      const id = await created({ ...enterpriseSystem(2015), target: 'village_town' });

      const copy = await office('POST', `/v1/indicator-systems/${id}/copies`, { year: 2016 });

      expect(copy.status, JSON.stringify(copy.body)).toBe(201);
      expect(copy.body).toMatchObject({
        year: 2016,
        target: 'village_town',
        version: 1,
        passMark: '60.00',
        name: '2015年学习型企业评估指标体系',
      });
      expect(copy.body['id']).not.toBe(id);
      expect(copy.body['indicators']).toEqual(
        (await office('GET', `/v1/indicator-systems/${id}`)).body['indicators'],
      );
      const named = await office('POST', `/v1/indicator-systems/${id}/copies`, {
        year: 2017,
        name: '2017年学习型村镇评估指标体系',
      });
      expect(named.body).toMatchObject({ year: 2017, name: '2017年学习型村镇评估指标体系' });

      expect(
        refusal(await office('POST', `/v1/indicator-systems/${id}/copies`, { year: 2016 })),
      ).toEqual({ status: 409, code: 'INDICATOR_SYSTEM_EXISTS' });
      expect(
        refusal(await office('POST', `/v1/indicator-systems/${id}/copies`, { year: thisYear + 2 })),
      ).toEqual({ status: 400, code: 'INDICATOR_SYSTEM_YEAR_INVALID' });
      expect(
        refusal(
          await office('POST', `/v1/indicator-systems/${randomUUID()}/copies`, { year: 2018 }),
        ),
      ).toEqual({ status: 404, code: 'INDICATOR_SYSTEM_NOT_FOUND' });
    });
  });

  describe('reading', () => {
    it('when officers, organization admins and experts list a year’s systems, then they are paged and filtered; participants are refused', async () => {
      const year = 2020;
      await created({ ...enterpriseSystem(year), target: 'agency' });
      await created({ ...enterpriseSystem(year), target: 'enterprise' });

      for (const role of ['office', 'area', 'orgAdmin', 'expert']) {
        const first = await send(
          'GET',
          `/v1/indicator-systems?year=${String(year)}&pageSize=1`,
          tokens[role] ?? '',
        );
        expect(first.status, role).toBe(200);
        expect((first.body['items'] as unknown[]).length).toBe(1);
        const second = await send(
          'GET',
          `/v1/indicator-systems?year=${String(year)}&pageSize=1&pageToken=${encodeURIComponent(first.body['nextPageToken'] as string)}`,
          tokens[role] ?? '',
        );
        expect(
          [first, second].map((page) => (page.body['items'] as { target: string }[])[0]?.target),
        ).toEqual(['agency', 'enterprise']);
      }
      const filtered = await office(
        'GET',
        `/v1/indicator-systems?year=${String(year)}&target=enterprise`,
      );
      expect((filtered.body['items'] as { target: string }[]).map((one) => one.target)).toEqual([
        'enterprise',
      ]);
      expect(
        refusal(await send('GET', '/v1/indicator-systems', tokens['participant'] ?? '')),
      ).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
      expect(refusal(await office('GET', '/v1/indicator-systems?pageToken=nonsense'))).toEqual({
        status: 400,
        code: 'CURSOR_INVALID',
      });
      expect(refusal(await office('GET', `/v1/indicator-systems/${randomUUID()}`))).toEqual({
        status: 404,
        code: 'INDICATOR_SYSTEM_NOT_FOUND',
      });
    });

    it('when the console asks for the metrics, then the catalogue says what each figure is and for whom', async () => {
      const reply = await send('GET', '/v1/indicator-metrics', tokens['orgAdmin'] ?? '');

      expect(reply.status).toBe(200);
      const items = reply.body['items'] as { key: string }[];
      expect(items).toContainEqual({
        key: 'supermarket',
        label: '建有求知超市',
        unit: 'yes_no',
        source: 'activities',
        subjects: ['area'],
      });
      expect(items.map((one) => one.key)).toContain('training_spend_yuan');
      expect(
        refusal(await send('GET', '/v1/indicator-metrics', tokens['participant'] ?? '')),
      ).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
    });

    it('when anyone reads the public list, then it is cached until the office changes a system, and shows no one’s id', async () => {
      const year = 2021;
      const id = await created({ ...enterpriseSystem(year), target: 'agency' });
      const path = `/v1/public/indicator-systems?year=${String(year)}`;

      const first = await send('GET', path, null);
      const cached = await send('GET', path, null);

      expect(first.status).toBe(200);
      expect([first.headers.get('x-cache'), cached.headers.get('x-cache')]).toEqual([
        'miss',
        'hit',
      ]);
      expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      expect(first.body['items']).toEqual([
        expect.objectContaining({ id, year, target: 'agency', version: 1, passMark: '60.00' }),
      ]);
      expect(JSON.stringify(first.body)).not.toContain('office-1');

      const terms = termsOf(year);
      expect(
        (await office('PUT', `/v1/indicator-systems/${id}`, { ...terms, passMark: '70' })).status,
      ).toBe(200);
      const after = await send('GET', path, null);
      expect(after.headers.get('x-cache')).toBe('miss');
      expect(after.body['items']).toEqual([
        expect.objectContaining({ version: 2, passMark: '70.00' }),
      ]);

      await created({ ...enterpriseSystem(year), target: 'family' });
      const added = await send('GET', path, null);
      expect(added.headers.get('x-cache')).toBe('miss');
      expect((added.body['items'] as unknown[]).length).toBe(2);
    });
  });
});
