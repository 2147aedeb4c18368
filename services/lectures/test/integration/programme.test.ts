import { lectureEvents } from '@learning/contracts';
import { createGrpcClient } from '@learning/grpc';
import { newEvent, topics, updateWithEvents } from '@learning/events';
import { common, lectures } from '@learning/proto';
import { documentGrams } from '@learning/search';
import {
  captureLogger,
  describeWithServers,
  eventually,
  openApiProblems,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { createConnection, type Connection, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forumModel, type ForumDocument } from '../../src/adapters/mongo/catalogue.js';
import { expertModel, type ExpertDocument } from '../../src/adapters/mongo/experts.js';
import { sessionModel, type SessionDocument } from '../../src/adapters/mongo/sessions.js';
import {
  CITY,
  expertDocument,
  forumDocument,
  fromNow,
  HOUR,
  sessionDocument,
  T1,
  T1_V1,
  T1_V2,
  T2,
  T2_V1,
  T3,
} from '../support/session-documents.js';
import { useLecturesStack } from '../support/stack.js';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

const T3_V1 = '330281003001';

describeWithServers(['mongo', 'kafka', 'redis'], 'the lecture programme', (servers) => {
  const database = uniqueName('lectures-programme');
  const stack = useLecturesStack(servers, {
    lecturesEnvironment: { MONGODB_DATABASE: database, MATERIALS_MAX_BYTES: '65536' },
  });
  let connection: Connection;
  let sessions: Model<SessionDocument>;
  let forums: Model<ForumDocument>;
  let experts: Model<ExpertDocument>;

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    sessions = sessionModel(connection);
    forums = forumModel(connection);
    experts = expertModel(connection);
  });
  afterAll(async () => {
    await connection.close();
  });

  const request = async (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    contentType?: string,
  ): Promise<Reply> => {
    const response = await stack.lectures.send(
      method,
      path,
      token,
      body,
      contentType === undefined ? {} : { contentType },
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  };
  const refusal = (reply: Reply) => ({ status: reply.status, code: reply.body['code'] });
  const ids = (reply: Reply): string[] => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return (reply.body['items'] as { id: string }[]).map((item) => item.id);
  };
  /** Puts a session in place as the scheduling slice would have written it. */
  const insertSession = async (overrides: Partial<SessionDocument>): Promise<string> => {
    const doc = sessionDocument(overrides);
    await sessions.create({ ...doc, grams: documentGrams(doc.title, doc.description) });
    return doc._id;
  };

  it('when /openapi.json is read, then the programme’s operations are there, each declaring its errors and Idempotency-Key', async () => {
    const document = (await (await stack.lectures.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/public/sessions',
        '/v1/public/sessions/{id}',
        '/v1/experts/me/sessions',
        '/v1/sessions/{id}/materials',
        '/v1/sessions/{id}/materials/{fileId}',
        '/v1/sessions/{id}/recording',
      ]),
    );
    const { operations, problems } = openApiProblems(document);
    expect(operations).toBeGreaterThanOrEqual(7);
    expect(problems).toEqual([]);
  });

  describe('the public programme', () => {
    // Far ahead, so the range below holds only these.
    const base = 5000 * HOUR;
    const range = `from=${encodeURIComponent(fromNow(base).toISOString())}&to=${encodeURIComponent(fromNow(base + 100 * HOUR).toISOString())}`;
    let humanities: ForumDocument;
    let youth: ForumDocument;
    let wang: ExpertDocument;
    let li: ExpertDocument;
    let song: string;
    let theory: string;
    let rural: string;
    let held: string;
    let cancelled: string;

    beforeAll(async () => {
      humanities = forumDocument({ name: '人文讲坛' });
      youth = forumDocument({ name: '青年讲坛' });
      await forums.create([humanities, youth]);
      wang = expertDocument({
        displayName: '王教授',
        title: '教授',
        phoneEncrypted: 'v1.secret-phone',
      });
      li = expertDocument({ displayName: '李研究员', title: '研究员' });
      await experts.create([wang, li]);
      song = await insertSession({
        forumId: humanities._id,
        title: '宋韵文化讲座',
        description: '走进宋代的城市生活',
        startsAt: fromNow(base + HOUR),
        endsAt: fromNow(base + 2 * HOUR),
        speakerIds: [wang._id],
        liveStreamUrl: 'https://live.example/song',
      });
      cancelled = await insertSession({
        forumId: humanities._id,
        title: '临时讲座',
        startsAt: fromNow(base + 2 * HOUR),
        endsAt: fromNow(base + 3 * HOUR),
        status: 'cancelled',
        cancellation: {
          reason: '讲师因故缺席',
          cancelledBy: 'city-admin',
          cancelledAt: new Date(),
        },
        liveStreamUrl: 'https://live.example/cancelled',
      });
      theory = await insertSession({
        forumId: youth._id,
        title: '青年理论学习',
        description: '新时代的理论武装',
        jurisdictionPath: [CITY, T1, T1_V2],
        startsAt: fromNow(base + 3 * HOUR),
        endsAt: fromNow(base + 4 * HOUR),
        targetTiers: ['ordinary_cadre'],
        categories: ['political_theory'],
        speakerIds: [li._id],
        capacity: null,
      });
      rural = await insertSession({
        forumId: humanities._id,
        title: '乡村振兴与文化',
        description: '宋韵在乡村',
        jurisdictionPath: [CITY, T2, T2_V1],
        venue: {
          id: 'venue-rural',
          name: '农家书屋',
          address: null,
          setting: 'countryside',
          townshipCode: T2,
        },
        startsAt: fromNow(base + 5 * HOUR),
        endsAt: fromNow(base + 6 * HOUR),
        speakerIds: [wang._id, li._id],
      });
      held = await insertSession({
        forumId: youth._id,
        title: '企业家讲坛',
        description: '民营企业的创新',
        jurisdictionPath: [CITY, T3, T3_V1],
        venue: {
          id: 'venue-t3',
          name: '企业服务中心',
          address: null,
          setting: 'city',
          townshipCode: T3,
        },
        startsAt: fromNow(base + 7 * HOUR),
        endsAt: fromNow(base + 8 * HOUR),
        status: 'held',
        heldAt: fromNow(base + 8 * HOUR),
        attendanceCount: 30,
      });
    });

    const list = async (query: string) =>
      ids(await request('GET', `/v1/public/sessions?${range}&${query}`, null));

    it('when anyone lists without a token, then scheduled and held sessions come earliest first, cancelled ones never', async () => {
      expect(await list('')).toEqual([song, theory, rural, held]);
    });

    it('when filtered by place, time, forum, tier, category or setting, then only those', async () => {
      expect(await list(`jurisdictionCode=${T1}`)).toEqual([song, theory]);
      expect(await list(`jurisdictionCode=${T1_V1}`)).toEqual([song]);
      expect(await list(`jurisdictionCode=${T2}`)).toEqual([rural]);
      expect(await list(`forumId=${humanities._id}`)).toEqual([song, rural]);
      expect(await list('tier=ordinary_cadre')).toEqual([theory]);
      expect(await list('category=political_theory')).toEqual([theory]);
      expect(await list('setting=countryside')).toEqual([rural]);
      expect(await list('setting=city')).toEqual([song, theory, held]);
      const early = `from=${encodeURIComponent(fromNow(base).toISOString())}&to=${encodeURIComponent(fromNow(base + 4 * HOUR).toISOString())}`;
      expect(ids(await request('GET', `/v1/public/sessions?${early}`, null))).toEqual([
        song,
        theory,
      ]);
    });

    it('when searched in Chinese, then 宋韵 finds both its sessions, 理论 one, 围棋 none; a search of nothing is refused', async () => {
      expect(await list(`q=${encodeURIComponent('宋韵')}`)).toEqual([song, rural]);
      expect(await list(`q=${encodeURIComponent('理论')}`)).toEqual([theory]);
      expect(await list(`q=${encodeURIComponent('围棋')}`)).toEqual([]);
      expect(
        refusal(await request('GET', `/v1/public/sessions?q=${encodeURIComponent('！？')}`, null)),
      ).toEqual({ status: 400, code: 'PROGRAMME_SEARCH_EMPTY' });
    });

    it('when paged, then every session comes once in order; forged cursors, reversed ranges and bad filters are refused', async () => {
      const seen: string[] = [];
      let pageToken: string | null = null;
      do {
        const suffix: string =
          pageToken === null ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
        const reply = await request(
          'GET',
          `/v1/public/sessions?${range}&pageSize=1${suffix}`,
          null,
        );
        seen.push(...ids(reply));
        pageToken = reply.body['nextPageToken'] as string | null;
      } while (pageToken !== null);
      expect(seen).toEqual([song, theory, rural, held]);
      expect(refusal(await request('GET', '/v1/public/sessions?pageToken=abc.def', null))).toEqual({
        status: 400,
        code: 'CURSOR_INVALID',
      });
      const reversed = `from=${encodeURIComponent(fromNow(base + HOUR).toISOString())}&to=${encodeURIComponent(fromNow(base).toISOString())}`;
      expect(refusal(await request('GET', `/v1/public/sessions?${reversed}`, null))).toEqual({
        status: 400,
        code: 'PROGRAMME_RANGE_INVALID',
      });
      expect(refusal(await request('GET', '/v1/public/sessions?setting=suburb', null))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    });

    it('when a session is fetched publicly, then it comes with its forum’s name and its speakers’ public names only', async () => {
      const reply = await request('GET', `/v1/public/sessions/${rural}`, null);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        id: rural,
        status: 'scheduled',
        forum: { id: humanities._id, name: '人文讲坛' },
        speakers: [
          { id: wang._id, name: '王教授', title: '教授' },
          { id: li._id, name: '李研究员', title: '研究员' },
        ],
        jurisdictionCode: T2_V1,
        venue: { name: '农家书屋', setting: 'countryside', townshipCode: T2 },
        capacity: 100,
        materials: [],
        recording: null,
        cancellationReason: null,
      });
      const text = JSON.stringify(reply.body);
      expect(text).not.toContain('secret-phone');
      expect(text).not.toContain(wang.accountSubject);
      expect(reply.body).not.toHaveProperty('createdBy');
      expect(reply.body).not.toHaveProperty('version');
      const unlimited = await request('GET', `/v1/public/sessions/${theory}`, null);
      expect(unlimited.body['capacity']).toBe('unlimited');
      const wasHeld = await request('GET', `/v1/public/sessions/${held}`, null);
      expect(wasHeld.body).toMatchObject({ status: 'held', attendanceCount: 30 });
    });

    it('when a cancelled session is fetched publicly, then it says so with its reason and shows no link; an unknown one is 404', async () => {
      const reply = await request('GET', `/v1/public/sessions/${cancelled}`, null);
      expect(reply.body).toMatchObject({
        id: cancelled,
        status: 'cancelled',
        cancellationReason: '讲师因故缺席',
        liveStreamUrl: null,
      });
      const shown = await request('GET', `/v1/public/sessions/${song}`, null);
      expect(shown.body['liveStreamUrl']).toBe('https://live.example/song');
      expect(
        refusal(
          await request('GET', '/v1/public/sessions/00000000-0000-4000-8000-000000000000', null),
        ),
      ).toEqual({ status: 404, code: 'SESSION_NOT_FOUND' });
    });

    describe('through the shared page cache', () => {
      const fetchPage = async (path: string) => {
        const response = await stack.lectures.send('GET', path, null);
        return {
          status: response.status,
          cache: response.headers.get('x-cache'),
          cacheControl: response.headers.get('cache-control'),
          text: await response.text(),
        };
      };

      it('when the same listing is asked again in another parameter order, then it is a hit equal to the first', async () => {
        const first = await fetchPage(
          `/v1/public/sessions?${range}&pageSize=7&tier=ordinary_cadre`,
        );
        expect(first).toMatchObject({ status: 200, cache: 'miss' });
        expect(first.cacheControl).toMatch(/^public, max-age=[1-5]$/);
        const again = await fetchPage(
          `/v1/public/sessions?tier=ordinary_cadre&pageSize=7&${range}`,
        );
        expect(again).toMatchObject({ status: 200, cache: 'hit', text: first.text });
      });

      it('when a refusal is asked twice, then it is never cached', async () => {
        const path = `/v1/public/sessions?q=${encodeURIComponent('？')}&pageSize=3`;
        for (const attempt of [1, 2]) {
          const refused = await fetchPage(path);
          expect(refused.status, String(attempt)).toBe(400);
          expect(refused.cache).toBeNull();
        }
      });

      it('when another slice cancels a listed session and publishes SessionCancelled, then the cached pages are dropped and the next ones show it', async () => {
        const id = await insertSession({
          forumId: humanities._id,
          title: '即将取消的讲座',
          startsAt: fromNow(base + 9 * HOUR),
          endsAt: fromNow(base + 10 * HOUR),
        });
        const listing = `/v1/public/sessions?${range}&pageSize=20`;
        const own = `/v1/public/sessions/${id}`;
        expect((await fetchPage(listing)).text).toContain(id);
        expect((await fetchPage(listing)).cache).toBe('hit');
        await fetchPage(own);
        expect((await fetchPage(own)).cache).toBe('hit');

        // The scheduling slice's write, as it would make it: the change and its event in one update.
        const now = new Date();
        const doc = await sessions.findById(id).lean<SessionDocument>();
        if (doc === null) throw new Error('the session vanished');
        const summary = {
          sessionId: id,
          forumId: doc.forumId,
          leadDepartment: doc.leadDepartment,
          lectureType: doc.lectureType,
          title: doc.title,
          startsAt: doc.startsAt,
          endsAt: doc.endsAt,
          jurisdictionPath: doc.jurisdictionPath,
          townshipCode: doc.venue.townshipCode,
          venueSetting: lectures.VenueSetting.VENUE_SETTING_CITY,
          venueId: doc.venue.id,
          campaignId: '',
          categories: [],
          targetTiers: [],
          speakerIds: doc.speakerIds,
          venueName: doc.venue.name,
          speakerNames: [],
        };
        await sessions.updateOne(
          { _id: id },
          updateWithEvents<SessionDocument>(
            {
              $set: {
                status: 'cancelled',
                cancellation: { reason: '场地维修', cancelledBy: 'city-admin', cancelledAt: now },
              },
              $inc: { version: 1 },
            },
            [
              newEvent(lectureEvents.SessionCancelled, id, {
                sessionId: id,
                reason: '场地维修',
                cancelledAt: now,
                forum: doc.forumId,
                jurisdictionPath: doc.jurisdictionPath,
                session: summary,
              }),
            ],
          ),
        );

        const after = await eventually('the listing dropped from the cache', async () => {
          const page = await fetchPage(listing);
          return page.cache === 'miss' ? page : undefined;
        });
        expect(after.text).not.toContain(id);
        const ownAfter = await fetchPage(own);
        expect(ownAfter.cache).toBe('miss');
        expect(JSON.parse(ownAfter.text)).toMatchObject({
          status: 'cancelled',
          cancellationReason: '场地维修',
        });
      });
    });

    describe('over gRPC', () => {
      const clientOf = (token: string) =>
        createGrpcClient(lectures.LectureProgrammeServiceClient, {
          address: `127.0.0.1:${stack.lectures.ports.grpcPort}`,
          logger: captureLogger('client').logger,
          deadlineMs: 5_000,
          idempotentMethods: [],
          tokenProvider: () => token,
        });
      const serviceToken = () =>
        stack.token({
          subject: 'service:notifications',
          roles: ['service'],
          service: 'notifications',
          cityWide: true,
        });

      it('when ListProgramme is asked for a township, then its scheduled and held sessions starting in the range come earliest first, page by page', async () => {
        const client = clientOf(await serviceToken());
        try {
          const seen: string[] = [];
          let pageToken = '';
          const query = { from: fromNow(base), to: fromNow(base + 100 * HOUR) };
          do {
            const response = await client.call.listProgramme({
              jurisdictionCode: T1,
              ...query,
              page: { pageSize: 1, pageToken },
            });
            seen.push(...response.sessions.map((s) => s.summary?.sessionId ?? ''));
            pageToken = response.page?.nextPageToken ?? '';
          } while (pageToken !== '');
          expect(seen).toEqual([song, theory]);
          const city = await client.call.listProgramme({
            jurisdictionCode: CITY,
            ...query,
            page: undefined,
          });
          expect(city.sessions.map((s) => s.summary?.sessionId)).toEqual([
            song,
            theory,
            rural,
            held,
          ]);
          expect(city.sessions[0]).toMatchObject({
            status: lectures.SessionStatus.SESSION_STATUS_SCHEDULED,
            forumName: '人文讲坛',
            venueName: '文化礼堂',
            capacity: 100,
            liveStreamUrl: 'https://live.example/song',
            summary: {
              forumId: humanities._id,
              leadDepartment: 'xuanchuan-bu',
              jurisdictionPath: [CITY, T1, T1_V1],
              townshipCode: T1,
              venueSetting: lectures.VenueSetting.VENUE_SETTING_CITY,
              speakerIds: [wang._id],
              targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
            },
          });
          expect(city.sessions[0]?.attendanceCount).toBeUndefined();
        } finally {
          client.close();
        }
      });

      it('when ListProgramme names an unknown place or no range, then NOT_FOUND and INVALID_ARGUMENT', async () => {
        const client = clientOf(await serviceToken());
        try {
          await expect(
            client.call.listProgramme({
              jurisdictionCode: '330281999000',
              from: fromNow(0),
              to: fromNow(HOUR),
              page: undefined,
            }),
          ).rejects.toMatchObject({ kind: 'not_found', code: 'PROGRAMME_JURISDICTION_NOT_FOUND' });
          await expect(
            client.call.listProgramme({
              jurisdictionCode: T1,
              from: undefined,
              to: fromNow(HOUR),
              page: undefined,
            }),
          ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'PROGRAMME_QUERY_INVALID' });
          await expect(
            client.call.listProgramme({
              jurisdictionCode: T1,
              from: fromNow(HOUR),
              to: fromNow(0),
              page: undefined,
            }),
          ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'PROGRAMME_RANGE_INVALID' });
        } finally {
          client.close();
        }
      });

      it('when GetSession is asked, then a held session comes with its attendance and time held, a cancelled one with its reason; unknown and malformed ids are refused', async () => {
        const client = clientOf(await serviceToken());
        try {
          const { session } = await client.call.getSession({ sessionId: held });
          expect(session).toMatchObject({
            status: lectures.SessionStatus.SESSION_STATUS_HELD,
            attendanceCount: 30,
            forumName: '青年讲坛',
            summary: { sessionId: held, townshipCode: T3, forumId: youth._id },
          });
          expect(session?.heldAt).toBeInstanceOf(Date);
          const gone = await client.call.getSession({ sessionId: cancelled });
          expect(gone.session).toMatchObject({
            status: lectures.SessionStatus.SESSION_STATUS_CANCELLED,
            cancellationReason: '讲师因故缺席',
          });
          await expect(
            client.call.getSession({ sessionId: '00000000-0000-4000-8000-000000000000' }),
          ).rejects.toMatchObject({ kind: 'not_found', code: 'SESSION_NOT_FOUND' });
          await expect(client.call.getSession({ sessionId: 'x' })).rejects.toMatchObject({
            kind: 'invalid_argument',
            code: 'SESSION_ID_INVALID',
          });
        } finally {
          client.close();
        }
      });

      it('when called with a person’s token, then it is refused', async () => {
        const client = clientOf(await stack.token({ subject: 'citizen', roles: ['participant'] }));
        try {
          await expect(client.call.getSession({ sessionId: held })).rejects.toMatchObject({
            kind: 'permission_denied',
          });
        } finally {
          client.close();
        }
      });
    });
  });

  describe('an expert’s own sessions', () => {
    let expert: ExpertDocument;

    beforeAll(async () => {
      expert = expertDocument({ displayName: '赵老师' });
      await experts.create(expert);
    });

    it('when an expert asks, then the sessions they speak at come: not yet ended ones earliest first, then ended ones latest first, cancelled ones included', async () => {
      const speaking = { speakerIds: [expert._id, 'someone-else'] };
      const ended = await insertSession({
        ...speaking,
        startsAt: fromNow(-12 * HOUR),
        endsAt: fromNow(-10 * HOUR),
        status: 'held',
      });
      const longAgo = await insertSession({
        ...speaking,
        startsAt: fromNow(-42 * HOUR),
        endsAt: fromNow(-40 * HOUR),
      });
      const soon = await insertSession({
        ...speaking,
        startsAt: fromNow(5 * HOUR),
        endsAt: fromNow(6 * HOUR),
      });
      const later = await insertSession({
        ...speaking,
        startsAt: fromNow(50 * HOUR),
        endsAt: fromNow(51 * HOUR),
      });
      const ongoing = await insertSession({
        ...speaking,
        startsAt: fromNow(-HOUR),
        endsAt: fromNow(HOUR),
      });
      const called = await insertSession({
        ...speaking,
        startsAt: fromNow(20 * HOUR),
        endsAt: fromNow(21 * HOUR),
        status: 'cancelled',
        cancellation: { reason: '改期', cancelledBy: 'city-admin', cancelledAt: new Date() },
      });
      await insertSession({ startsAt: fromNow(7 * HOUR), endsAt: fromNow(8 * HOUR) });
      const token = await stack.token({ subject: expert.accountSubject, roles: ['expert'] });

      const seen: string[] = [];
      let pageToken: string | null = null;
      let pages = 0;
      do {
        const suffix: string =
          pageToken === null ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
        const reply = await request('GET', `/v1/experts/me/sessions?pageSize=2${suffix}`, token);
        seen.push(...ids(reply));
        pageToken = reply.body['nextPageToken'] as string | null;
        pages += 1;
      } while (pageToken !== null && pages < 10);
      expect(seen).toEqual([ongoing, soon, called, later, ended, longAgo]);
      const first = await request('GET', '/v1/experts/me/sessions?pageSize=3', token);
      expect((first.body['items'] as Record<string, unknown>[])[2]).toMatchObject({
        id: called,
        status: 'cancelled',
        cancellationReason: '改期',
      });
    });

    it('when someone without the expert role, or an expert outside the pool, asks, then 403 and 404; a forged page token is refused', async () => {
      const citizen = await stack.token({ subject: 'citizen', roles: ['participant'] });
      expect(refusal(await request('GET', '/v1/experts/me/sessions', citizen))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
      const stranger = await stack.token({ subject: 'not-in-pool', roles: ['expert'] });
      expect(refusal(await request('GET', '/v1/experts/me/sessions', stranger))).toEqual({
        status: 404,
        code: 'EXPERT_NOT_IN_POOL',
      });
      const token = await stack.token({ subject: expert.accountSubject, roles: ['expert'] });
      expect(
        refusal(await request('GET', '/v1/experts/me/sessions?pageToken=x~1~abc', token)),
      ).toEqual({ status: 400, code: 'CURSOR_INVALID' });
      expect(
        refusal(await request('GET', '/v1/experts/me/sessions?pageToken=u~1~abc.def', token)),
      ).toEqual({ status: 400, code: 'CURSOR_INVALID' });
    });
  });

  describe('materials and the recording', () => {
    let watch: TopicWatch;
    let forum: ForumDocument;
    let otherForum: ForumDocument;
    let speaker: ExpertDocument;
    let bystander: ExpertDocument;
    const tokens = {} as Record<
      'speaker' | 'bystander' | 'manager' | 'otherManager' | 'office' | 'citizen',
      string
    >;

    beforeAll(async () => {
      watch = await watchTopics(servers.kafka, [topics.lecturesSessions.name]);
      forum = forumDocument({ name: '企业家讲坛', managerSubjects: ['manager-m'] });
      otherForum = forumDocument({ name: '青年讲坛二', managerSubjects: ['manager-other'] });
      await forums.create([forum, otherForum]);
      speaker = expertDocument({ displayName: '陈教授' });
      bystander = expertDocument({ displayName: '周教授' });
      await experts.create([speaker, bystander]);
      tokens.speaker = await stack.token({ subject: speaker.accountSubject, roles: ['expert'] });
      tokens.bystander = await stack.token({
        subject: bystander.accountSubject,
        roles: ['expert'],
      });
      tokens.manager = await stack.token({
        subject: 'manager-m',
        roles: ['department_officer'],
        department: 'xuanchuan-bu',
        cityWide: true,
      });
      tokens.otherManager = await stack.token({
        subject: 'manager-other',
        roles: ['department_officer'],
        department: 'xuanchuan-bu',
        cityWide: true,
      });
      tokens.office = await stack.token({
        subject: 'city-admin',
        roles: ['city_admin'],
        cityWide: true,
      });
      tokens.citizen = await stack.token({ subject: 'citizen', roles: ['participant'] });
    });
    afterAll(async () => {
      await watch.stop();
    });

    const session = (overrides: Partial<SessionDocument> = {}) =>
      insertSession({ forumId: forum._id, speakerIds: [speaker._id], ...overrides });
    const upload = (
      id: string,
      token: string,
      text: string,
      name = '讲义.pdf',
      type = 'application/pdf',
    ) =>
      request(
        'POST',
        `/v1/sessions/${id}/materials?fileName=${encodeURIComponent(name)}`,
        token,
        new TextEncoder().encode(text),
        type,
      );
    const stored = async (id: string) => {
      const doc = await sessions.findById(id).lean<SessionDocument>();
      if (doc === null) throw new Error('no such session');
      return doc;
    };
    const filesOf = (id: string) =>
      connection.collection('sessionMaterials.files').countDocuments({ 'metadata.sessionId': id });
    const published =
      (id: string) =>
      (message: { message: { key: Buffer | null; headers?: Record<string, unknown> } }) =>
        message.message.key?.toString() === id &&
        String(message.message.headers?.['ce_type']) === lectureEvents.MaterialsPublished.type;

    it('when a speaker publishes a file, then it is listed, downloadable by anyone, and announced once with the session’s full summary', async () => {
      const id = await session({ categories: ['ethics_etiquette'], campaignId: 'campaign-april' });
      const reply = await upload(id, tokens.speaker, '%PDF-1.4 宋韵讲义');
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      const fileId = reply.body['fileId'] as string;
      expect(reply.body).toMatchObject({
        name: '讲义.pdf',
        contentType: 'application/pdf',
        size: new TextEncoder().encode('%PDF-1.4 宋韵讲义').length,
        downloadPath: `/v1/sessions/${id}/materials/${fileId}`,
      });
      expect((await stored(id)).materials.map((m) => m.fileId)).toEqual([fileId]);

      const download = await stack.lectures.send(
        'GET',
        `/v1/sessions/${id}/materials/${fileId}`,
        null,
      );
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(await download.text()).toBe('%PDF-1.4 宋韵讲义');

      const [event] = await watch.waitFor('MaterialsPublished', published(id));
      const data = JSON.parse(event?.message.value?.toString() ?? '{}') as Record<string, unknown>;
      const doc = await stored(id);
      expect(data).toMatchObject({
        session: {
          sessionId: id,
          forumId: forum._id,
          leadDepartment: 'xuanchuan-bu',
          lectureType: 'history_culture',
          title: doc.title,
          startsAt: doc.startsAt.toISOString(),
          endsAt: doc.endsAt.toISOString(),
          jurisdictionPath: [CITY, T1, T1_V1],
          townshipCode: T1,
          venueSetting: 'VENUE_SETTING_CITY',
          venueId: doc.venue.id,
          campaignId: 'campaign-april',
          categories: ['CONTENT_CATEGORY_ETHICS_ETIQUETTE'],
          targetTiers: ['TIER_ORDINARY_CITIZEN'],
          speakerIds: [speaker._id],
        },
        materials: [{ fileId, name: '讲义.pdf', contentType: 'application/pdf' }],
      });
      const publicPage = await request('GET', `/v1/public/sessions/${id}`, null);
      expect(
        await eventually('the public page listing the file', async () => {
          const page = await request('GET', `/v1/public/sessions/${id}`, null);
          return (page.body['materials'] as unknown[]).length === 1 ? page : undefined;
        }),
      ).toBeDefined();
      expect(publicPage.status).toBe(200);
    });

    it('when the same person sends the same bytes again, then the first file comes back, listed once and announced once', async () => {
      const id = await session();
      const first = await upload(id, tokens.speaker, 'the same slides', 'a.txt', 'text/plain');
      const again = await upload(id, tokens.speaker, 'the same slides', 'a.txt', 'text/plain');
      expect(again.status).toBe(201);
      expect(again.body['fileId']).toBe(first.body['fileId']);
      expect((await stored(id)).materials).toHaveLength(1);
      expect(await filesOf(id)).toBe(1);
      await watch.waitFor('the first announcement', published(id));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(watch.messages.filter(published(id))).toHaveLength(1);
    });

    it('when the forum’s manager and the office publish, then both are accepted', async () => {
      const id = await session();
      expect((await upload(id, tokens.manager, 'by the manager')).status).toBe(201);
      expect((await upload(id, tokens.office, 'by the office')).status).toBe(201);
      expect((await stored(id)).materials).toHaveLength(2);
      const entries = await eventually('both changes in the audit log', async () => {
        const log = await request(
          'GET',
          `/v1/audit-log?entityType=session&entityId=${id}`,
          tokens.office,
        );
        const items = log.body['items'] as
          { action: string; actor: { subject: string } }[] | undefined;
        return items !== undefined && items.length === 2 ? items : undefined;
      });
      expect(entries.map((entry) => [entry.action, entry.actor.subject]).sort()).toEqual([
        ['session.material_added', 'city-admin'],
        ['session.material_added', 'manager-m'],
      ]);
    });

    it('when an expert who does not speak there, another forum’s manager or a citizen publishes, then 403 MATERIAL_FORBIDDEN and nothing is stored', async () => {
      const id = await session();
      for (const who of ['bystander', 'otherManager', 'citizen'] as const)
        expect(refusal(await upload(id, tokens[who], `by ${who}`)), who).toEqual({
          status: 403,
          code: 'MATERIAL_FORBIDDEN',
        });
      expect((await stored(id)).materials).toEqual([]);
      expect((await stored(id)).version).toBe(1);
      expect(await filesOf(id)).toBe(0);
    });

    it('when uploads go to a cancelled or unknown session, then 409 MATERIAL_SESSION_CANCELLED and 404 SESSION_NOT_FOUND', async () => {
      const id = await session({
        status: 'cancelled',
        cancellation: { reason: '取消', cancelledBy: 'city-admin', cancelledAt: new Date() },
      });
      expect(refusal(await upload(id, tokens.speaker, 'late'))).toEqual({
        status: 409,
        code: 'MATERIAL_SESSION_CANCELLED',
      });
      expect(await filesOf(id)).toBe(0);
      expect(
        refusal(await upload('00000000-0000-4000-8000-000000000000', tokens.office, 'nowhere')),
      ).toEqual({ status: 404, code: 'SESSION_NOT_FOUND' });
    });

    it('when a file is of another type, declared too large, or streams past the limit, then 415 and 413 with their codes and nothing is kept', async () => {
      const id = await session();
      expect(
        refusal(
          await request('POST', `/v1/sessions/${id}/materials?fileName=a.json`, tokens.speaker, {
            a: 1,
          }),
        ),
      ).toEqual({
        status: 415,
        code: 'MATERIAL_TYPE_UNSUPPORTED',
      });
      expect(
        refusal(await upload(id, tokens.speaker, 'x'.repeat(70_000), 'big.txt', 'text/plain')),
      ).toEqual({ status: 413, code: 'MATERIAL_TOO_LARGE' });
      const chunk = new Uint8Array(16 * 1024);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 80 * 1024) controller.close();
          else {
            sent += chunk.length;
            controller.enqueue(chunk);
          }
        },
      });
      const streamed = await fetch(
        `${stack.lectures.base}/v1/sessions/${id}/materials?fileName=big.png`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.speaker}`,
            'content-type': 'image/png',
            'idempotency-key': crypto.randomUUID(),
          },
          body,
          duplex: 'half',
        },
      );
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as { code: string }).code).toBe('MATERIAL_TOO_LARGE');
      expect((await stored(id)).materials).toEqual([]);
      expect(await filesOf(id)).toBe(0);
    });

    it('when several files are published at once, then every one is listed and announced', async () => {
      const id = await session();
      const replies = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => upload(id, tokens.speaker, `slides ${n}`, `第${n}讲.pdf`)),
      );
      expect(replies.map((reply) => reply.status)).toEqual([201, 201, 201, 201, 201]);
      const doc = await stored(id);
      expect(doc.materials.map((m) => m.fileId).sort()).toEqual(
        replies.map((reply) => reply.body['fileId'] as string).sort(),
      );
      expect(doc.version).toBe(6);
      await watch.waitFor('five announcements', published(id), 5);
    });

    it('when a publisher withdraws a file, then it is gone from the session and the store and announced as withdrawn; others are refused', async () => {
      const id = await session();
      const fileId = (await upload(id, tokens.speaker, 'to withdraw')).body['fileId'] as string;
      expect(
        refusal(
          await request('DELETE', `/v1/sessions/${id}/materials/${fileId}`, tokens.bystander),
        ),
      ).toEqual({
        status: 403,
        code: 'MATERIAL_FORBIDDEN',
      });
      expect((await stored(id)).materials).toHaveLength(1);
      const removed = await request(
        'DELETE',
        `/v1/sessions/${id}/materials/${fileId}`,
        tokens.manager,
      );
      expect(removed.status).toBe(204);
      expect((await stored(id)).materials).toEqual([]);
      expect(await filesOf(id)).toBe(0);
      expect(refusal(await request('GET', `/v1/sessions/${id}/materials/${fileId}`, null))).toEqual(
        { status: 404, code: 'MATERIAL_NOT_FOUND' },
      );
      expect(
        refusal(await request('DELETE', `/v1/sessions/${id}/materials/${fileId}`, tokens.manager)),
      ).toEqual({ status: 404, code: 'MATERIAL_NOT_FOUND' });
      const [, withdrawal] = await watch.waitFor(
        'the addition and the withdrawal',
        published(id),
        2,
      );
      const withdrawn = JSON.parse(withdrawal?.message.value?.toString() ?? '{}') as {
        materials?: unknown[];
        removedFileIds?: string[];
      };
      // Proto3 JSON leaves out an empty list.
      expect(withdrawn.materials ?? []).toEqual([]);
      expect(withdrawn.removedFileIds).toEqual([fileId]);
    });

    it('when a session is cancelled after its files were published, then only publishers download them', async () => {
      const id = await session();
      const fileId = (await upload(id, tokens.speaker, 'kept back')).body['fileId'] as string;
      await sessions.updateOne(
        { _id: id },
        {
          $set: {
            status: 'cancelled',
            cancellation: { reason: '取消', cancelledBy: 'city-admin', cancelledAt: new Date() },
          },
          $inc: { version: 1 },
        },
      );
      const path = `/v1/sessions/${id}/materials/${fileId}`;
      expect(refusal(await request('GET', path, null))).toEqual({
        status: 403,
        code: 'MATERIAL_FORBIDDEN',
      });
      expect(refusal(await request('GET', path, tokens.citizen))).toEqual({
        status: 403,
        code: 'MATERIAL_FORBIDDEN',
      });
      const own = await stack.lectures.send('GET', path, tokens.manager);
      expect(own.status).toBe(200);
      expect(await own.text()).toBe('kept back');
      expect(refusal(await request('DELETE', path, tokens.manager))).toEqual({
        status: 409,
        code: 'MATERIAL_SESSION_CANCELLED',
      });
    });

    it('when a publisher sets the recording of a session under way, then it is stored, shown and announced; the same again changes nothing', async () => {
      const id = await session({ startsAt: fromNow(-HOUR), endsAt: fromNow(HOUR) });
      const body = { url: 'https://video.example/lectures/1', durationSeconds: 5400 };
      const reply = await request('PUT', `/v1/sessions/${id}/recording`, tokens.speaker, body);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject(body);
      expect((await stored(id)).recording).toMatchObject(body);
      const [event] = await watch.waitFor('the recording announced', published(id));
      expect(JSON.parse(event?.message.value?.toString() ?? '{}')).toMatchObject({
        recordingUrl: body.url,
        recordingDurationSeconds: 5400,
        session: { sessionId: id },
      });
      expect(
        (await request('PUT', `/v1/sessions/${id}/recording`, tokens.office, body)).status,
      ).toBe(200);
      expect((await stored(id)).version).toBe(2);
      const page = await eventually('the public page showing the recording', async () => {
        const shown = await request('GET', `/v1/public/sessions/${id}`, null);
        return shown.body['recording'] === null ? undefined : shown;
      });
      expect(page.body['recording']).toMatchObject(body);
    });

    it('when the recording comes too early, over http, from someone else or for a cancelled session, then each is refused and nothing changes', async () => {
      const upcoming = await session();
      const https = { url: 'https://video.example/2' };
      expect(
        refusal(await request('PUT', `/v1/sessions/${upcoming}/recording`, tokens.speaker, https)),
      ).toEqual({
        status: 409,
        code: 'RECORDING_BEFORE_START',
      });
      const started = await session({
        startsAt: fromNow(-2 * HOUR),
        endsAt: fromNow(-HOUR),
        status: 'held',
      });
      expect(
        refusal(
          await request('PUT', `/v1/sessions/${started}/recording`, tokens.speaker, {
            url: 'http://video.example/2',
          }),
        ),
      ).toEqual({ status: 400, code: 'RECORDING_URL_NOT_HTTPS' });
      expect(
        refusal(
          await request('PUT', `/v1/sessions/${started}/recording`, tokens.otherManager, https),
        ),
      ).toEqual({ status: 403, code: 'MATERIAL_FORBIDDEN' });
      const called = await session({
        startsAt: fromNow(-2 * HOUR),
        status: 'cancelled',
        cancellation: { reason: '取消', cancelledBy: 'city-admin', cancelledAt: new Date() },
      });
      expect(
        refusal(await request('PUT', `/v1/sessions/${called}/recording`, tokens.office, https)),
      ).toEqual({
        status: 409,
        code: 'MATERIAL_SESSION_CANCELLED',
      });
      for (const id of [upcoming, started, called]) {
        const doc = await stored(id);
        expect(doc.recording, id).toBeNull();
        expect(doc.version, id).toBe(1);
      }
    });
  });
});
