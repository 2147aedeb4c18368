import { randomUUID } from 'node:crypto';
import { addDays, chinaDateOf, DAY_MS } from '@learning/domain';
import { connectRedis, withLock, type RedisClient } from '@learning/redis';
import { captureLogger, describeWithServers, eventually, uniqueName } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleModel } from '../../src/adapters/mongo/rules.js';
import { ruleBookLockName } from '../../src/modules/rules.js';
import { useScoringStack } from '../support/stack.js';
import { refusal, replySender, type Reply } from '../support/replies.js';

interface VersionView {
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  basis: Record<string, unknown> | null;
  dailyCap: string | null;
  yearlyCap: string | null;
  bonusPercent: number | null;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'credit rules', (servers) => {
  const database = uniqueName('scoring-rules');
  // The app's clock: a test sets it back a day to write a rule in effect
  // today, or forward a day to read the public list as of tomorrow.
  let shiftMs = 0;
  const stack = useScoringStack(servers, {
    scoringEnvironment: { MONGODB_DATABASE: database },
    // Moving, so rules written one after another are listed in that order.
    clock: () => new Date(Date.now() + shiftMs),
  });
  const tokens: Record<string, string> = {};
  let db: Connection;
  let redis: RedisClient;
  // The city's calendar, as the app reads it.
  const today = chinaDateOf(new Date());
  const tomorrow = addDays(today, 1);

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
    tokens['department'] = await stack.token({
      subject: 'dept-1',
      roles: ['department_officer'],
      department: 'xuanchuan-bu',
    });
    tokens['participant'] = await stack.token({ subject: 'p-1', roles: ['participant'] });
    db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    redis = await connectRedis({
      url: servers.redis.url,
      logger: captureLogger('rules-test').logger,
      name: 'rules-test',
    });
  });

  afterAll(async () => {
    await db.close();
    await redis.quit();
  });

  const send = replySender(stack.scoring);
  const office = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    send(method, path, tokens['office'] ?? '', body, headers);
  const versionsOf = (reply: Reply) =>
    (reply.body['versions'] as VersionView[]).map((v) => [
      v.version,
      v.effectiveFrom,
      v.effectiveTo,
    ]);

  const lectureRule = {
    name: '讲座听课',
    source: 'lecture_attended',
    categories: ['political_theory'],
    basis: { kind: 'per_hour', credits: '2' },
    dailyCap: '8',
    yearlyCap: '120',
  };

  describe('the office writes', () => {
    it('when the office adds a rule, then it is stored from tomorrow with amounts as decimal strings, its years, and an audit entry', async () => {
      const created = await office('POST', '/v1/credit-rules', lectureRule);

      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toMatchObject({
        kind: 'base',
        name: '讲座听课',
        source: 'lecture_attended',
        categories: ['political_theory'],
        tiers: [],
        campaignId: null,
        revision: 1,
        versions: [
          {
            version: 1,
            effectiveFrom: tomorrow,
            effectiveTo: null,
            basis: { kind: 'per_hour', credits: '2' },
            dailyCap: '8',
            yearlyCap: '120',
            bonusPercent: null,
            createdBy: 'office-1',
          },
        ],
      });
      const id = created.body['id'] as string;
      const stored = await ruleModel(db).findById(id).lean();
      expect(stored).toMatchObject({
        firstYear: Number(tomorrow.slice(0, 4)),
        lastYear: 9999,
        versions: [{ basis: { kind: 'per_hour', credits: 200 }, dailyCap: 800, yearlyCap: 12_000 }],
      });
      const audit = await eventually('the audit entry', async () => {
        const page = await office('GET', `/v1/audit-log?entityType=credit_rule&entityId=${id}`);
        const items = page.body['items'] as Record<string, unknown>[] | undefined;
        return items?.length === 1 ? items[0] : undefined;
      });
      expect(audit).toMatchObject({
        action: 'credit_rule.create',
        actor: { subject: 'office-1' },
        before: null,
        after: { name: '讲座听课', versions: [{ dailyCap: '8' }] },
      });
    });

    it('when a rule would overlap one in the book, then 409 RULE_OVERLAP names it; disjoint categories are accepted', async () => {
      const first = await office('POST', '/v1/credit-rules', {
        name: '活动参与（法治）',
        source: 'activity_attended',
        categories: ['market_economy_law'],
        basis: { kind: 'per_hour', credits: '1' },
      });
      expect(first.status).toBe(201);

      const overlapping = await office('POST', '/v1/credit-rules', {
        name: '活动参与（全部）',
        source: 'activity_attended',
        effectiveFrom: addDays(today, 30),
        basis: { kind: 'per_occurrence', credits: '3' },
      });
      const disjoint = await office('POST', '/v1/credit-rules', {
        name: '活动参与（礼仪）',
        source: 'activity_attended',
        categories: ['ethics_etiquette'],
        basis: { kind: 'per_hour', credits: '1.5' },
      });

      expect(refusal(overlapping)).toEqual({ status: 409, code: 'RULE_OVERLAP' });
      expect(overlapping.body['message']).toContain(first.body['id'] as string);
      expect(disjoint.status).toBe(201);
    });

    it('when bonuses name different campaigns, then both are accepted; a second for one campaign is refused', async () => {
      const bonus = (campaignId: string) => ({
        kind: 'bonus',
        name: '全民学习月加分',
        source: 'lesson_completed',
        campaignId,
        bonusPercent: 50,
      });
      const april = randomUUID();

      const first = await office('POST', '/v1/credit-rules', bonus(april));
      const other = await office('POST', '/v1/credit-rules', bonus(randomUUID()));
      const again = await office('POST', '/v1/credit-rules', bonus(april));

      expect([first.status, other.status]).toEqual([201, 201]);
      expect(first.body['versions']).toMatchObject([{ basis: null, bonusPercent: 50 }]);
      expect(refusal(again)).toEqual({ status: 409, code: 'RULE_OVERLAP' });
    });

    it('when a new version starts tomorrow, then today’s closes today; one from today, a stale or malformed If-Match is refused', async () => {
      // Written yesterday, so in effect today.
      shiftMs = -DAY_MS;
      const created = await office('POST', '/v1/credit-rules', {
        name: '培训学时',
        source: 'training_attended',
        basis: { kind: 'per_hour', credits: '1' },
      });
      shiftMs = 0;
      expect(versionsOf(created)).toEqual([[1, today, null]]);
      const path = `/v1/credit-rules/${created.body['id'] as string}/versions`;
      const change = { effectiveFrom: tomorrow, basis: { kind: 'per_hour', credits: '1.5' } };

      const malformed = await office('POST', path, change, { 'if-match': 'one' });
      const versioned = await office('POST', path, change, { 'if-match': '"1"' });
      const stale = await office(
        'POST',
        path,
        { ...change, effectiveFrom: addDays(today, 5) },
        {
          'if-match': '"1"',
        },
      );
      const started = await office('POST', path, { ...change, effectiveFrom: today });

      expect(refusal(malformed)).toEqual({ status: 400, code: 'RULE_REVISION_INVALID' });
      expect(versioned.status, JSON.stringify(versioned.body)).toBe(201);
      expect(versioned.headers.get('etag')).toBe('"2"');
      expect(versionsOf(versioned)).toEqual([
        [1, today, today],
        [2, tomorrow, null],
      ]);
      expect(refusal(stale)).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
      expect(refusal(started)).toEqual({ status: 400, code: 'RULE_EFFECTIVE_FROM_TOO_SOON' });
    });

    it('when a rule is retired, then its last day is set; again on that day is 409, before today 400', async () => {
      const created = await office('POST', '/v1/credit-rules', {
        name: '竞赛名次',
        source: 'contest_placed',
        basis: {
          kind: 'by_rank',
          bands: [
            { upToRank: 1, credits: '10' },
            { upToRank: 3, credits: '5' },
          ],
        },
      });
      const path = `/v1/credit-rules/${created.body['id'] as string}/retirement`;
      const lastDay = addDays(today, 10);

      const retired = await office('POST', path, { effectiveTo: lastDay, revision: 1 });
      const again = await office('POST', path, { effectiveTo: lastDay });
      const past = await office('POST', path, { effectiveTo: addDays(today, -1) });

      expect(retired.status, JSON.stringify(retired.body)).toBe(200);
      expect(versionsOf(retired)).toEqual([[1, tomorrow, lastDay]]);
      expect(retired.body['versions']).toMatchObject([
        {
          basis: {
            kind: 'by_rank',
            bands: [
              { upToRank: 1, credits: '10' },
              { upToRank: 3, credits: '5' },
            ],
          },
        },
      ]);
      expect(refusal(again)).toEqual({ status: 409, code: 'RULE_ALREADY_ENDS' });
      expect(refusal(past)).toEqual({ status: 400, code: 'RULE_RETIREMENT_PAST' });
      expect(await ruleModel(db).findById(created.body['id']).lean()).toMatchObject({
        lastYear: Number(lastDay.slice(0, 4)),
      });
    });

    it('when the same POST is replayed with its Idempotency-Key, then one rule is stored and the answer repeats', async () => {
      const key = randomUUID();
      const body = {
        name: '学习型组织命名',
        source: 'organization_recognized',
        basis: { kind: 'per_occurrence', credits: '50' },
      };

      const first = await office('POST', '/v1/credit-rules', body, { 'idempotency-key': key });
      const replay = await office('POST', '/v1/credit-rules', body, { 'idempotency-key': key });

      expect(first.status).toBe(201);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body['id']).toBe(first.body['id']);
      expect(await ruleModel(db).countDocuments({ source: 'organization_recognized' })).toBe(1);
    });

    it('when the office credits completing a training programme, then a per-occurrence rule is accepted', async () => {
      const created = await office('POST', '/v1/credit-rules', {
        name: '培训结业',
        source: 'training_completed',
        tiers: ['ordinary_citizen'],
        basis: { kind: 'per_occurrence', credits: '5' },
      });

      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        source: 'training_completed',
        versions: [{ basis: { kind: 'per_occurrence', credits: '5' } }],
      });
    });
  });

  it('when another write holds the source’s lock throughout, then 409 RULE_BOOK_BUSY and nothing is stored; once free, the rule is added', async () => {
    const body = {
      name: '在线课程',
      source: 'lesson_completed',
      basis: { kind: 'per_hour', credits: '1' },
    };
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holder = withLock(
      redis,
      `${ruleBookLockName(database)}:lesson_completed`,
      10_000,
      () => held,
    );

    const busy = await office('POST', '/v1/credit-rules', body);
    release();
    await holder;
    const free = await office('POST', '/v1/credit-rules', body);

    expect(refusal(busy)).toEqual({ status: 409, code: 'RULE_BOOK_BUSY' });
    expect(free.status).toBe(201);
    expect(await ruleModel(db).countDocuments({ source: 'lesson_completed', kind: 'base' })).toBe(
      1,
    );
  });

  describe('bad input', () => {
    const base = {
      name: '捐书',
      source: 'book_donated',
      basis: { kind: 'per_unit', credits: '0.5' },
    };

    it.each([
      ['negative credits', { basis: { kind: 'per_unit', credits: '-1' } }, 'RULE_CREDITS_INVALID'],
      ['zero credits', { basis: { kind: 'per_unit', credits: '0' } }, 'RULE_CREDITS_INVALID'],
      [
        'credits that are not a number',
        { basis: { kind: 'per_unit', credits: '1e3' } },
        'CREDITS_INVALID',
      ],
      ['a cap of 0', { yearlyCap: '0' }, 'RULE_CAP_INVALID'],
      ['a cap below zero', { dailyCap: '-5' }, 'RULE_CAP_INVALID'],
      [
        'a daily cap above the yearly',
        { dailyCap: '10', yearlyCap: '5' },
        'RULE_CAPS_INCONSISTENT',
      ],
      [
        'per_hour on a donation',
        { basis: { kind: 'per_hour', credits: '1' } },
        'RULE_BASIS_NOT_FOR_SOURCE',
      ],
      ['tiers on a donation', { tiers: ['pupil'] }, 'RULE_TIERS_NOT_FOR_ORGANIZATIONS'],
      ['no basis', { basis: undefined }, 'RULE_BASIS_REQUIRED'],
      ['a start yesterday', { effectiveFrom: addDays(today, -1) }, 'RULE_EFFECTIVE_FROM_TOO_SOON'],
      ['a start today', { effectiveFrom: today }, 'RULE_EFFECTIVE_FROM_TOO_SOON'],
      ['no such day', { effectiveFrom: '2027-02-30' }, 'CALENDAR_DATE_INVALID'],
      [
        'an end before the start',
        { effectiveFrom: tomorrow, effectiveTo: today },
        'RULE_EFFECTIVE_TO_BEFORE_FROM',
      ],
      [
        'a bonus without its campaign',
        { kind: 'bonus', basis: undefined, bonusPercent: 20 },
        'RULE_CAMPAIGN_REQUIRED',
      ],
      [
        'a category twice',
        { categories: ['political_theory', 'political_theory'] },
        'RULE_CATEGORIES_INVALID',
      ],
      ['an unknown field', { points: 3 }, 'VALIDATION_FAILED'],
      ['an unknown source', { source: 'gossip' }, 'VALIDATION_FAILED'],
      [
        'per_hour on a training completion',
        { source: 'training_completed', basis: { kind: 'per_hour', credits: '1' } },
        'RULE_BASIS_NOT_FOR_SOURCE',
      ],
    ])('when a rule has %s, then 400 %s', async (_what, overrides, code) => {
      const reply = await office('POST', '/v1/credit-rules', { ...base, ...overrides });

      expect(refusal(reply)).toEqual({ status: 400, code });
    });

    it('when an amount is malformed, then the refusal points at its field', async () => {
      const reply = await office('POST', '/v1/credit-rules', { ...base, dailyCap: '2.505' });

      expect(reply.body['details']).toMatchObject([{ field: '/dailyCap' }]);
    });

    it('when a rule that does not exist is changed or read, then 404 RULE_NOT_FOUND', async () => {
      const id = randomUUID();

      expect(refusal(await office('GET', `/v1/credit-rules/${id}`))).toEqual({
        status: 404,
        code: 'RULE_NOT_FOUND',
      });
      expect(
        refusal(await office('POST', `/v1/credit-rules/${id}/retirement`, { effectiveTo: today })),
      ).toEqual({ status: 404, code: 'RULE_NOT_FOUND' });
    });
  });

  describe('who may', () => {
    it('when a department officer or a participant writes, then 403; a participant may not read the office’s list', async () => {
      const body = { ...lectureRule, categories: ['ethics_etiquette'] };

      const officer = await send('POST', '/v1/credit-rules', tokens['department'] ?? '', body);
      const participant = await send('POST', '/v1/credit-rules', tokens['participant'] ?? '', body);
      const reads = await send('GET', '/v1/credit-rules', tokens['participant'] ?? '');

      expect([refusal(officer), refusal(participant), refusal(reads)]).toEqual([
        { status: 403, code: 'ROLE_REQUIRED' },
        { status: 403, code: 'ROLE_REQUIRED' },
        { status: 403, code: 'ROLE_REQUIRED' },
      ]);
      expect(
        await ruleModel(db).countDocuments({
          categories: 'ethics_etiquette',
          source: 'lecture_attended',
        }),
      ).toBe(0);
    });

    it('when an area officer lists the rules of a source and kind in force on a day, then they are paged oldest first', async () => {
      const area = tokens['area'] ?? '';
      const first = await send(
        'GET',
        '/v1/credit-rules?source=activity_attended&kind=base&pageSize=1',
        area,
      );
      const second = await send(
        'GET',
        `/v1/credit-rules?source=activity_attended&kind=base&pageSize=1&pageToken=${encodeURIComponent(first.body['nextPageToken'] as string)}`,
        area,
      );
      const beyond = await send(
        'GET',
        `/v1/credit-rules?source=contest_placed&inForceOn=${addDays(today, 11)}`,
        area,
      );
      const within = await send(
        'GET',
        `/v1/credit-rules?source=contest_placed&inForceOn=${addDays(today, 10)}`,
        area,
      );

      const names = (reply: Reply) =>
        (reply.body['items'] as { name: string }[]).map((item) => item.name);
      expect([...names(first), ...names(second)]).toEqual(['活动参与（法治）', '活动参与（礼仪）']);
      expect(second.body['nextPageToken']).toBeNull();
      expect(names(beyond)).toEqual([]);
      expect(names(within)).toEqual(['竞赛名次']);
    });
  });

  describe('the public list', () => {
    it('when anyone asks what earns credits, then each rule in force shows today’s terms, cached until a rule changes, which a new rule announced shows', async () => {
      // Tomorrow, when the rules written above are in force.
      shiftMs = DAY_MS;
      const first = await send('GET', '/v1/public/credit-rules?pageSize=200', null);
      const cached = await send('GET', '/v1/public/credit-rules?pageSize=200', null);

      expect(first.status).toBe(200);
      expect(first.body['day']).toBe(tomorrow);
      expect([first.headers.get('x-cache'), cached.headers.get('x-cache')]).toEqual([
        'miss',
        'hit',
      ]);
      const items = first.body['items'] as (VersionView & { name: string; source: string })[];
      expect(items.find((item) => item.name === '讲座听课')).toMatchObject({
        source: 'lecture_attended',
        version: 1,
        basis: { kind: 'per_hour', credits: '2' },
        dailyCap: '8',
      });
      expect(items.find((item) => item.name === '培训学时')).toMatchObject({
        version: 2,
        basis: { kind: 'per_hour', credits: '1.5' },
        effectiveTo: null,
      });
      expect(items.every((item) => !('createdBy' in item))).toBe(true);

      await office('POST', '/v1/credit-rules', {
        name: '组织活动',
        source: 'activity_organized',
        basis: { kind: 'per_hour', credits: '1' },
      });
      const after = await send('GET', '/v1/public/credit-rules?pageSize=200', null);

      expect(after.headers.get('x-cache')).toBe('miss');
      const listed = after.body['items'] as (VersionView & { name: string; status: string })[];
      // Written on the (shifted) day, it starts the day after: announced, after those in force.
      expect(listed.at(-1)).toMatchObject({
        name: '组织活动',
        status: 'announced',
        version: 1,
        effectiveFrom: addDays(tomorrow, 1),
      });
      expect(listed.slice(0, -1).every((item) => item.status === 'in_force')).toBe(true);
    });

    it('when anyone asks today, then rules starting tomorrow are announced with their first terms, after those in force, page by page', async () => {
      shiftMs = 0;
      const pages: { status: string; name: string; version: number; effectiveFrom: string }[][] =
        [];
      let token: string | null = null;
      do {
        const query: string = token === null ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const page = await send('GET', `/v1/public/credit-rules?pageSize=1${query}`, null);
        expect(page.status).toBe(200);
        pages.push(page.body['items'] as (typeof pages)[number]);
        token = page.body['nextPageToken'] as string | null;
      } while (token !== null);
      const whole = await send('GET', '/v1/public/credit-rules?pageSize=200', null);

      const items = pages.flat();
      expect(items).toEqual(whole.body['items']);
      expect(items.find((item) => item.name === '培训学时')).toMatchObject({
        status: 'in_force',
        version: 1,
        effectiveFrom: today,
      });
      expect(items.find((item) => item.name === '讲座听课')).toMatchObject({
        status: 'announced',
        version: 1,
        effectiveFrom: tomorrow,
      });
      const statuses = items.map((item) => item.status);
      expect(statuses).toEqual([...statuses].sort((a, b) => b.localeCompare(a)));
      expect(new Set(statuses)).toEqual(new Set(['in_force', 'announced']));

      const forged = await send('GET', '/v1/public/credit-rules?pageToken=x:abc', null);
      expect([forged.status, forged.body['code']]).toEqual([400, 'CURSOR_INVALID']);
    });
  });
});
