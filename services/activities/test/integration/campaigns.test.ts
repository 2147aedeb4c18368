import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import { REPLAYED_HEADER } from '@learning/http';
import type { RunningApp } from '@learning/runtime/testing';
import {
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEARNING_MONTH } from '../../src/domain/recurrence.js';
import { CITY, T1, T1_V1, T2, T2_V1 } from '../support/activities.js';
import {
  learningMonthCarriedOver,
  learningMonth as plannedLearningMonth,
  subCampaignLaunches,
  THEME_TIERS,
  themePractice,
  themePracticeSubCampaigns,
} from '../support/campaigns.js';
import { useActivitiesReplica, useActivitiesStack } from '../support/stack.js';

const T3 = '330281003000';
const UNKNOWN = '330281999000';
/** Next year: far enough ahead that launching never meets an ended campaign. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
interface CampaignBody {
  id: string;
  seriesId: string;
  year: number;
  title: string;
  status: string;
  startsOn: string;
  endsOn: string;
  rule: unknown;
  targetTiers: string[];
  categories: string[];
  jurisdictionCode: string;
  jurisdictionPath: string[];
  goals: { metric: string; target: number }[];
  subCampaigns: { tier: string; title: string; startsOn: string; endsOn: string }[];
  previousEditionId: string | null;
  launchedBy: string | null;
  closedBy: string | null;
  version: number;
}

interface PageBody {
  items: CampaignBody[];
  nextPageToken: string | null;
}

interface Refusal {
  code: string;
  message: string;
}

const learningMonth = (year: number, overrides: Record<string, unknown> = {}) => ({
  ...plannedLearningMonth(year),
  ...overrides,
});

describeWithServers(['mongo', 'kafka', 'redis'], 'activities campaigns', (servers) => {
  const stack = useActivitiesStack(servers);
  /** "Now" for the clocked app; the wall clock when unset. */
  let now: Date | undefined;
  const clockedDatabaseName = uniqueName('campaigns-clocked');
  // A second activities app beside the stack's, on a database this file names (to seed the
  // activities progress counts) and with a clock the tests move (to reach a campaign's end).
  const clocked = useActivitiesReplica(servers, stack, {
    clock: () => now ?? new Date(),
    environment: { MONGODB_DATABASE: clockedDatabaseName },
  });
  let clockedDatabase: Connection;
  const tokens = {} as Record<
    'admin' | 'propaganda' | 'education' | 'areaOfficer' | 'participant',
    string
  >;
  let watch: TopicWatch;

  beforeAll(async () => {
    watch = await watchTopics(servers.kafka, [topics.activitiesCampaigns.name]);
    clockedDatabase = await createConnection(servers.mongo.uri, {
      dbName: clockedDatabaseName,
    }).asPromise();
    tokens.admin = await stack.token({ subject: 'office-admin', roles: ['city_admin'] });
    tokens.propaganda = await stack.token({
      subject: 'xuanchuan-officer',
      roles: ['department_officer'],
      department: 'xuanchuan-bu',
      cityWide: true,
    });
    tokens.education = await stack.token({
      subject: 'jiaoyu-officer',
      roles: ['department_officer'],
      department: 'jiaoyu-ju',
      cityWide: true,
    });
    tokens.areaOfficer = await stack.token({
      subject: 't1-officer',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    tokens.participant = await stack.token({ subject: 'citizen-1', roles: ['participant'] });
  });

  afterAll(async () => {
    await watch.stop();
    await clockedDatabase.close();
  });

  afterEach(() => {
    now = undefined;
  });

  const sendVia =
    (app: RunningApp) =>
    (
      method: string,
      path: string,
      token: string | null,
      body?: unknown,
      headers?: Record<string, string>,
    ) =>
      app.send(method, path, token, body, headers === undefined ? {} : { headers });
  const send = sendVia(stack.activities);
  const sendClocked = sendVia(clocked);

  async function create(body: object, token = tokens.propaganda, via = send) {
    const response = await via('POST', '/v1/campaigns', token, body);
    expect(response.status).toBe(201);
    return (await response.json()) as CampaignBody;
  }

  async function refusal(response: Response, status: number): Promise<Refusal> {
    expect(response.status).toBe(status);
    return (await response.json()) as Refusal;
  }

  const launchedEventsOf = (campaignId: string): CloudEvent[] =>
    watch.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter(
        (event) =>
          event.type === activityEvents.CampaignLaunched.type && event.subject === campaignId,
      );

  it('when the OpenAPI document is read, then every campaign route is in it', async () => {
    const docs = (await (await send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(docs.paths['/v1/campaigns']).toHaveProperty('post');
    expect(docs.paths['/v1/campaigns']).toHaveProperty('get');
    expect(docs.paths['/v1/campaigns/{id}']).toHaveProperty('patch');
    for (const path of [':launch', ':close', ':next-edition'])
      expect(docs.paths[`/v1/campaigns/{id}${path}`]).toHaveProperty('post');
    expect(docs.paths['/v1/campaigns/{id}/progress']).toHaveProperty('get');
  });

  describe('planning', () => {
    it('when the owner department plans the learning month, then it is a draft with its scope path', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      expect(campaign).toMatchObject({
        status: 'draft',
        year: NEXT_YEAR,
        startsOn: `${NEXT_YEAR}-04-01`,
        jurisdictionCode: CITY,
        jurisdictionPath: [CITY],
        rule: LEARNING_MONTH,
        version: 1,
      });
    });

    it('when a campaign is scoped to a township, then its path from the city is stored', async () => {
      const campaign = await create(
        learningMonth(NEXT_YEAR, { rule: null, jurisdictionCode: T1, title: '镇级读书月' }),
      );
      expect(campaign.jurisdictionPath).toEqual([CITY, T1]);
    });

    it('when the input is bad, then each is refused with its own code', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [
          learningMonth(NEXT_YEAR, { rule: null, endsOn: `${NEXT_YEAR}-03-01` }),
          'CAMPAIGN_ENDS_BEFORE_START',
        ],
        [learningMonth(NEXT_YEAR, { endsOn: `${NEXT_YEAR}-05-15` }), 'CAMPAIGN_DATES_OFF_RULE'],
        [learningMonth(NEXT_YEAR, { jurisdictionCode: UNKNOWN }), 'JURISDICTION_UNKNOWN'],
        [learningMonth(NEXT_YEAR, { startsOn: `${NEXT_YEAR}-02-30` }), 'CALENDAR_DATE_INVALID'],
        [learningMonth(NEXT_YEAR, { unexpected: true }), 'VALIDATION_FAILED'],
        [learningMonth(NEXT_YEAR, { categories: ['astrology'] }), 'VALIDATION_FAILED'],
        [
          learningMonth(NEXT_YEAR, {
            rule: { kind: 'fixed_window', startMonth: 2, startDay: 29, endMonth: 3, endDay: 1 },
          }),
          'RECURRENCE_RULE_INVALID',
        ],
        [
          learningMonth(NEXT_YEAR, {
            goals: [
              { metric: 'participants_reached', target: 10 },
              { metric: 'participants_reached', target: 20 },
            ],
          }),
          'CAMPAIGN_DUPLICATE_GOAL',
        ],
        [
          { ...themePractice(NEXT_YEAR), targetTiers: ['leading_cadre'] },
          'CAMPAIGN_TIER_NOT_TARGETED',
        ],
      ];
      for (const [body, code] of cases) {
        const response = await send('POST', '/v1/campaigns', tokens.admin, body);
        expect({ code: (await refusal(response, 400)).code, body }).toMatchObject({ code });
      }
    });

    it('when the owner department is not one registration lists, then 400 DEPARTMENT_UNKNOWN and nothing is stored', async () => {
      const response = await send('POST', '/v1/campaigns', tokens.admin, {
        ...learningMonth(NEXT_YEAR),
        title: '无名部门的学习月',
        ownerDepartment: 'zzz-no-such-dept',
      });
      const refused = await refusal(response, 400);
      expect(refused.code).toBe('DEPARTMENT_UNKNOWN');
      const listed = await send('GET', '/v1/campaigns?pageSize=100', tokens.admin);
      expect(await listed.text()).not.toContain('无名部门的学习月');
    });

    it('when a body carries a $ key, then it is refused before anything is stored', async () => {
      const response = await send('POST', '/v1/campaigns', tokens.admin, {
        ...learningMonth(NEXT_YEAR),
        goals: [{ $where: 'sleep(1000)', metric: 'participants_reached', target: 1 }],
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as Refusal).code).toBe('FORBIDDEN_KEY');
    });

    it('when another department, an area officer or a participant plans, then they are refused', async () => {
      expect(
        (
          await refusal(
            await send('POST', '/v1/campaigns', tokens.education, learningMonth(NEXT_YEAR)),
            403,
          )
        ).code,
      ).toBe('CAMPAIGN_MANAGE_FORBIDDEN');
      expect(
        (
          await refusal(
            await send('POST', '/v1/campaigns', tokens.areaOfficer, learningMonth(NEXT_YEAR)),
            403,
          )
        ).code,
      ).toBe('ROLE_REQUIRED');
      expect(
        (await refusal(await send('POST', '/v1/campaigns', null, learningMonth(NEXT_YEAR)), 401))
          .code,
      ).toBe('TOKEN_MISSING');
    });

    it('when the Idempotency-Key is missing, then nothing is created', async () => {
      const response = await fetch(`${stack.activities.base}/v1/campaigns`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(learningMonth(NEXT_YEAR)),
      });
      expect((await refusal(response, 400)).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    });
  });

  describe('changing a draft', () => {
    it('when its owner retitles it, then the version moves on; a stale version is VERSION_CONFLICT', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      const response = await send('PATCH', `/v1/campaigns/${campaign.id}`, tokens.propaganda, {
        version: 1,
        title: `${NEXT_YEAR} 全民学习月 · 书香满城`,
        jurisdictionCode: T2,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ version: 2, jurisdictionPath: [CITY, T2] });
      const stale = await send('PATCH', `/v1/campaigns/${campaign.id}`, tokens.propaganda, {
        version: 1,
        title: '旧版本',
      });
      expect((await refusal(stale, 409)).code).toBe('VERSION_CONFLICT');
    });

    it('when the change is off the rule, empty, unknown or by a stranger, then it is refused', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      const path = `/v1/campaigns/${campaign.id}`;
      expect(
        (
          await refusal(
            await send('PATCH', path, tokens.admin, { version: 1, endsOn: `${NEXT_YEAR}-04-20` }),
            400,
          )
        ).code,
      ).toBe('CAMPAIGN_DATES_OFF_RULE');
      expect(
        (await refusal(await send('PATCH', path, tokens.admin, { version: 1 }), 400)).code,
      ).toBe('CAMPAIGN_CHANGE_EMPTY');
      expect(
        (
          await refusal(
            await send('PATCH', path, tokens.admin, { version: 1, jurisdictionCode: UNKNOWN }),
            400,
          )
        ).code,
      ).toBe('JURISDICTION_UNKNOWN');
      expect(
        (
          await refusal(
            await send('PATCH', path, tokens.education, { version: 1, title: 'x' }),
            404,
          )
        ).code,
      ).toBe('CAMPAIGN_NOT_FOUND');
      expect(
        (
          await refusal(
            await send('PATCH', `/v1/campaigns/${randomUUID()}`, tokens.admin, {
              version: 1,
              title: 'x',
            }),
            404,
          )
        ).code,
      ).toBe('CAMPAIGN_NOT_FOUND');
    });
  });

  describe('launching', () => {
    it('when the owner launches, then CampaignLaunched is published exactly once, with an audit record', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      const key = randomUUID();
      const path = `/v1/campaigns/${campaign.id}:launch`;
      const launched = await send(
        'POST',
        path,
        tokens.propaganda,
        { version: 1 },
        { 'idempotency-key': key },
      );
      expect(launched.status).toBe(200);
      expect(await launched.json()).toMatchObject({
        status: 'launched',
        launchedBy: 'xuanchuan-officer',
        version: 2,
      });

      // The same request again answers the same without a second launch; a new one is refused.
      const replayed = await send(
        'POST',
        path,
        tokens.propaganda,
        { version: 1 },
        { 'idempotency-key': key },
      );
      expect(replayed.status).toBe(200);
      expect(replayed.headers.get(REPLAYED_HEADER)).toBe('true');
      expect((await refusal(await send('POST', path, tokens.propaganda, {}), 409)).code).toBe(
        'CAMPAIGN_NOT_DRAFT',
      );
      const edit = await send('PATCH', `/v1/campaigns/${campaign.id}`, tokens.propaganda, {
        version: 2,
        title: '已发布后修改',
      });
      expect((await refusal(edit, 409)).code).toBe('CAMPAIGN_NOT_DRAFT');

      const [event] = (
        await watch.waitFor(`CampaignLaunched of ${campaign.id}`, ({ message }) => {
          const event = fromKafkaMessage(message);
          return (
            event.type === activityEvents.CampaignLaunched.type && event.subject === campaign.id
          );
        })
      ).map(({ message }) => fromKafkaMessage(message));
      expect(activityEvents.CampaignLaunched.codec.fromJSON(event?.data)).toMatchObject({
        campaignId: campaign.id,
        title: campaign.title,
        ownerDepartment: 'xuanchuan-bu',
        startsOn: `${NEXT_YEAR}-04-01`,
        endsOn: `${NEXT_YEAR}-04-30`,
        scopePath: [CITY],
        seriesId: campaign.seriesId,
        editionYear: NEXT_YEAR,
      });

      // Another launch published after it is seen, and still there is only one for the first.
      const marker = await create(learningMonth(NEXT_YEAR, { rule: null, title: '标记' }));
      expect(
        (await send('POST', `/v1/campaigns/${marker.id}:launch`, tokens.propaganda, {})).status,
      ).toBe(200);
      await watch.waitFor(
        `CampaignLaunched of ${marker.id}`,
        ({ message }) => fromKafkaMessage(message).subject === marker.id,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(launchedEventsOf(campaign.id)).toHaveLength(1);

      const audit = await eventually('the launch in the audit log', async () => {
        const response = await send('GET', `/v1/audit-log?entityId=${campaign.id}`, tokens.admin);
        const page = (await response.json()) as {
          items: { action: string; actor: { subject: string } }[];
        };
        const found = page.items.filter((item) => item.action === 'campaign.launch');
        return found.length === 1 ? found : undefined;
      });
      expect(audit[0]?.actor.subject).toBe('xuanchuan-officer');
    });

    it('when the theme-practice series is launched, then each tier sub-campaign has its CampaignLaunched naming its parent', async () => {
      const campaign = await create(themePractice(NEXT_YEAR));
      expect(
        (await send('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.propaganda, {})).status,
      ).toBe(200);
      const launched = (
        await watch.waitFor(
          `five CampaignLaunched of ${campaign.id}`,
          ({ message }) => {
            const event = fromKafkaMessage(message);
            return (
              event.type === activityEvents.CampaignLaunched.type && event.subject === campaign.id
            );
          },
          5,
        )
      ).map(({ message }) =>
        activityEvents.CampaignLaunched.codec.fromJSON(fromKafkaMessage(message).data),
      );
      // One partition key: the parent arrives before its sub-campaigns.
      expect(launched.map((event) => event.campaignId)).toEqual([
        campaign.id,
        ...THEME_TIERS.map((tier) => `${campaign.id}:${tier}`),
      ]);
      expect(launched[0]?.parentCampaignId).toBe('');
      expect(launched.slice(1)).toEqual(subCampaignLaunches(campaign, NEXT_YEAR));
    });

    it('when someone else launches, then a draft is not found to another department and forbidden by role to an area officer', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      const path = `/v1/campaigns/${campaign.id}:launch`;
      expect((await refusal(await send('POST', path, tokens.education, {}), 404)).code).toBe(
        'CAMPAIGN_NOT_FOUND',
      );
      expect((await refusal(await send('POST', path, tokens.areaOfficer, {}), 403)).code).toBe(
        'ROLE_REQUIRED',
      );
      expect(
        (await refusal(await send('POST', path, tokens.propaganda, { version: 7 }), 409)).code,
      ).toBe('VERSION_CONFLICT');
      expect(
        (
          await refusal(
            await send('POST', `/v1/campaigns/not-a-uuid:launch`, tokens.admin, {}),
            404,
          )
        ).code,
      ).toBe('ROUTE_NOT_FOUND');
      expect(launchedEventsOf(campaign.id)).toHaveLength(0);
    });

    it('when the campaign has already ended, then it is CAMPAIGN_ALREADY_ENDED', async () => {
      const campaign = await create(learningMonth(2025), tokens.admin);
      expect(
        (
          await refusal(
            await send('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.admin, {}),
            409,
          )
        ).code,
      ).toBe('CAMPAIGN_ALREADY_ENDED');
    });
  });

  describe('closing', () => {
    it('when it has not ended, then CAMPAIGN_NOT_ENDED; from midnight China time after its last day, the owner closes it', async () => {
      const campaign = await create(
        learningMonth(NEXT_YEAR, { rule: null, title: '便民书市' }),
        tokens.propaganda,
        sendClocked,
      );
      const path = `/v1/campaigns/${campaign.id}:close`;
      const close = (token: string) => sendClocked('POST', path, token, {});
      expect((await refusal(await close(tokens.propaganda), 409)).code).toBe(
        'CAMPAIGN_NOT_LAUNCHED',
      );
      expect(
        (await sendClocked('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.propaganda, {}))
          .status,
      ).toBe(200);
      expect((await refusal(await close(tokens.propaganda), 409)).code).toBe('CAMPAIGN_NOT_ENDED');

      // The last day, April 30, ends at 16:00 UTC (midnight in China).
      now = new Date(`${NEXT_YEAR}-04-30T15:59:59Z`);
      expect((await refusal(await close(tokens.propaganda), 409)).code).toBe('CAMPAIGN_NOT_ENDED');
      now = new Date(`${NEXT_YEAR}-04-30T16:00:00Z`);
      expect((await refusal(await close(tokens.education), 403)).code).toBe(
        'CAMPAIGN_MANAGE_FORBIDDEN',
      );
      const closed = await close(tokens.propaganda);
      expect(closed.status).toBe(200);
      expect(await closed.json()).toMatchObject({
        status: 'closed',
        closedBy: 'xuanchuan-officer',
        closedAt: now.toISOString(),
      });
    });
  });

  describe("next year's edition", () => {
    it('when the 2027 learning month is carried over, then the 2028 edition is an April draft of the same series; again is CAMPAIGN_EDITION_EXISTS', async () => {
      const source = await create(learningMonth(2027));
      const path = `/v1/campaigns/${source.id}:next-edition`;
      const key = randomUUID();
      const response = await send('POST', path, tokens.propaganda, undefined, {
        'idempotency-key': key,
      });
      expect(response.status).toBe(201);
      const next = (await response.json()) as CampaignBody;
      expect(next).toMatchObject({
        ...learningMonthCarriedOver(source, 2028),
        rule: LEARNING_MONTH,
      });
      const replayed = await send('POST', path, tokens.propaganda, undefined, {
        'idempotency-key': key,
      });
      expect(replayed.status).toBe(201);
      expect(((await replayed.json()) as CampaignBody).id).toBe(next.id);

      const again = await refusal(await send('POST', path, tokens.propaganda), 409);
      expect(again.code).toBe('CAMPAIGN_EDITION_EXISTS');
      expect(again.message).toContain(next.id);

      // And 2029 follows from 2028.
      const after = await send('POST', `/v1/campaigns/${next.id}:next-edition`, tokens.admin);
      expect(await after.json()).toMatchObject({
        year: 2029,
        startsOn: '2029-04-01',
        previousEditionId: next.id,
      });
    });

    it('when two next-edition requests race, then one edition is created and the other names it', async () => {
      const source = await create(learningMonth(2027));
      const path = `/v1/campaigns/${source.id}:next-edition`;
      const responses = await Promise.all([
        send('POST', path, tokens.admin),
        send('POST', path, tokens.admin),
      ]);
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 409]);
      const bodies = await Promise.all(
        responses.map((response) => response.json() as Promise<Partial<CampaignBody & Refusal>>),
      );
      const created = bodies.find((body) => body.id !== undefined);
      const refused = bodies.find((body) => body.code !== undefined);
      expect(refused?.code).toBe('CAMPAIGN_EDITION_EXISTS');
      expect(refused?.message).toContain(created?.id);
    });

    it('when the theme-practice series is carried over, then its four tiers keep their sub-campaigns a year on', async () => {
      const source = await create(themePractice(2027));
      const response = await send(
        'POST',
        `/v1/campaigns/${source.id}:next-edition`,
        tokens.propaganda,
      );
      expect(response.status).toBe(201);
      const next = (await response.json()) as CampaignBody;
      expect(next).toMatchObject({ year: 2028, startsOn: '2028-03-01', endsOn: '2028-11-30' });
      expect(next.subCampaigns).toEqual(themePracticeSubCampaigns(2028));
    });

    it('when it is a one-off, or asked by a stranger, then it is refused', async () => {
      const oneOff = await create(learningMonth(2027, { rule: null, title: '一次性活动' }));
      expect(
        (
          await refusal(
            await send('POST', `/v1/campaigns/${oneOff.id}:next-edition`, tokens.propaganda),
            409,
          )
        ).code,
      ).toBe('CAMPAIGN_NOT_RECURRING');
      expect(
        (
          await refusal(
            await send('POST', `/v1/campaigns/${oneOff.id}:next-edition`, tokens.education),
            404,
          )
        ).code,
      ).toBe('CAMPAIGN_NOT_FOUND');
    });
  });

  describe('reading', () => {
    it('when a draft is read, then only its owners and city admins see it; once launched, anyone does', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      const path = `/v1/campaigns/${campaign.id}`;
      expect((await send('GET', path, tokens.propaganda)).status).toBe(200);
      expect((await send('GET', path, tokens.admin)).status).toBe(200);
      for (const token of [tokens.education, tokens.areaOfficer, tokens.participant, null])
        expect((await refusal(await send('GET', path, token), 404)).code).toBe(
          'CAMPAIGN_NOT_FOUND',
        );
      await send('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.propaganda, {});
      for (const token of [tokens.education, tokens.participant, null])
        expect(await (await send('GET', path, token)).json()).toMatchObject({ status: 'launched' });
    });

    it('when the public lists a year by tier and category, then it pages through launched campaigns only', async () => {
      const year = NEXT_YEAR + 5;
      const launchedIds: string[] = [];
      for (const month of ['05', '06', '07']) {
        const campaign = await create(
          learningMonth(year, {
            rule: null,
            title: `读书明理 ${month}`,
            startsOn: `${year}-${month}-01`,
            endsOn: `${year}-${month}-20`,
            targetTiers: ['pupil'],
          }),
        );
        await send('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.propaganda, {});
        launchedIds.push(campaign.id);
      }
      const draft = await create(
        learningMonth(year, {
          rule: null,
          title: '草稿',
          startsOn: `${year}-05-02`,
          endsOn: `${year}-05-03`,
          targetTiers: ['pupil'],
        }),
      );
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const query: string =
          `/v1/campaigns?year=${year}&tier=pupil&category=ethics_etiquette&pageSize=2` +
          (token === null ? '' : `&pageToken=${encodeURIComponent(token)}`);
        const response = await send('GET', query, null);
        expect(response.status).toBe(200);
        const page = (await response.json()) as PageBody;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        token = page.nextPageToken;
      } while (token !== null);
      expect(seen).toEqual(launchedIds);

      const owners = (await (
        await send('GET', `/v1/campaigns?year=${year}&tier=pupil`, tokens.propaganda)
      ).json()) as PageBody;
      expect(owners.items.map((item) => item.id)).toContain(draft.id);
      const strangers = (await (
        await send('GET', `/v1/campaigns?year=${year}&status=draft`, tokens.education)
      ).json()) as PageBody;
      expect(strangers.items.map((item) => item.id)).not.toContain(draft.id);
      const none = (await (
        await send('GET', `/v1/campaigns?year=${year}&category=political_theory`, null)
      ).json()) as PageBody;
      expect(none.items).toEqual([]);
    });

    it('when campaigns covering a village are listed, then the city-wide and its township’s come, not another township’s', async () => {
      const year = NEXT_YEAR + 6;
      const ids: Record<string, string> = {};
      for (const [name, code] of [
        ['city', CITY],
        ['t1', T1],
        ['t2', T2],
      ] as const) {
        const campaign = await create(
          learningMonth(year, { rule: null, title: `覆盖 ${name}`, jurisdictionCode: code }),
        );
        await send('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.propaganda, {});
        ids[name] = campaign.id;
      }
      const page = (await (
        await send(
          'GET',
          `/v1/campaigns?year=${year}&coveringJurisdiction=${T1_V1}`,
          tokens.areaOfficer,
        )
      ).json()) as PageBody;
      expect(page.items.map((item) => item.id).sort()).toEqual([ids['city'], ids['t1']].sort());
      const admins = (await (
        await send(
          'GET',
          `/v1/campaigns?year=${year}&status=launched&coveringJurisdiction=${T1_V1}`,
          tokens.admin,
        )
      ).json()) as PageBody;
      expect(admins.items.map((item) => item.id).sort()).toEqual([ids['city'], ids['t1']].sort());
    });

    it('when the list query is bad, then it is a 400 with a code', async () => {
      expect(
        (
          await refusal(
            await send('GET', '/v1/campaigns?coveringJurisdiction=330281999999', null),
            400,
          )
        ).code,
      ).toBe('JURISDICTION_UNKNOWN');
      expect((await refusal(await send('GET', '/v1/campaigns?colour=red', null), 400)).code).toBe(
        'VALIDATION_FAILED',
      );
      expect(
        (await refusal(await send('GET', '/v1/campaigns?pageToken=garbage', null), 400)).code,
      ).toBe('CURSOR_INVALID');
    });
  });

  describe('progress', () => {
    /** A launched campaign on the clocked app, with activities seeded where that app counts them. */
    async function launchedWithActivities(overrides: Record<string, unknown> = {}) {
      const campaign = await create(
        learningMonth(NEXT_YEAR, { rule: null, ...overrides }),
        tokens.propaganda,
        sendClocked,
      );
      expect(
        (await sendClocked('POST', `/v1/campaigns/${campaign.id}:launch`, tokens.propaganda, {}))
          .status,
      ).toBe(200);
      const activity = (
        jurisdictionPath: string[],
        status: string,
        attended: number,
        campaignId = campaign.id,
      ) => ({ _id: randomUUID(), campaignId, status, jurisdictionPath, attended });
      await clockedDatabase
        .collection<{ _id: string }>('activities')
        .insertMany([
          activity([CITY, T1, T1_V1], 'completed', 30),
          activity([CITY, T1], 'completed', 12),
          activity([CITY, T2, T2_V1], 'completed', 25),
          activity([CITY, T2, T2_V1], 'cancelled', 99),
          activity([CITY, T3], 'draft', 0),
          activity([CITY, T2], 'under_way', 0),
          activity([CITY, T3], 'completed', 40, randomUUID()),
        ]);
      return campaign;
    }

    const progressOf = (campaignId: string, token: string | null) =>
      sendClocked('GET', `/v1/campaigns/${campaignId}/progress`, token);

    interface ProgressBody {
      campaignId: string;
      countedWithin: string[];
      activities: number;
      participantsReached: number;
      townships: { jurisdictionCode: string; activities: number; participantsReached: number }[];
      townshipsInScope: number;
      townshipsWithoutActivities: string[];
      goals: { metric: string; achieved: number; met: boolean }[];
    }

    /** The figures in short: per township [activities, participants], per goal [achieved, met]. */
    async function figuresSeenBy(token: string, campaignId: string) {
      const response = await progressOf(campaignId, token);
      expect(response.status).toBe(200);
      const body = (await response.json()) as ProgressBody;
      expect(body.campaignId).toBe(campaignId);
      expect(body.townshipsInScope).toBe(body.townships.length);
      return {
        within: body.countedWithin,
        total: [body.activities, body.participantsReached],
        townships: Object.fromEntries(
          body.townships.map((t) => [t.jurisdictionCode, [t.activities, t.participantsReached]]),
        ),
        withoutActivities: body.townshipsWithoutActivities,
        goals: Object.fromEntries(body.goals.map((g) => [g.metric, [g.achieved, g.met]])),
      };
    }

    it('when the owner asks, then published, under-way and completed activities are counted per township against its goals', async () => {
      const campaign = await launchedWithActivities();
      expect(await figuresSeenBy(tokens.propaganda, campaign.id)).toEqual({
        within: [CITY],
        total: [4, 67],
        townships: { [T1]: [2, 42], [T2]: [2, 25], [T3]: [0, 0] },
        withoutActivities: [T3],
        goals: { activities_per_township: [0, false], participants_reached: [67, true] },
      });
    });

    it('when an area officer asks, then only the townships of their subtree are counted', async () => {
      const campaign = await launchedWithActivities();
      expect(await figuresSeenBy(tokens.areaOfficer, campaign.id)).toEqual({
        within: [T1],
        total: [2, 42],
        townships: { [T1]: [2, 42] },
        withoutActivities: [],
        goals: { activities_per_township: [2, true], participants_reached: [42, false] },
      });
    });

    it('when the campaign is outside the area officer’s subtree or another department’s, then it is not found; the public may not ask', async () => {
      const elsewhere = await launchedWithActivities({ jurisdictionCode: T2, title: '二镇书市' });
      for (const token of [tokens.areaOfficer, tokens.education])
        expect((await refusal(await progressOf(elsewhere.id, token), 404)).code).toBe(
          'CAMPAIGN_NOT_FOUND',
        );
      expect((await refusal(await progressOf(elsewhere.id, tokens.participant), 403)).code).toBe(
        'ROLE_REQUIRED',
      );
      expect((await progressOf(elsewhere.id, null)).status).toBe(401);
      expect(await figuresSeenBy(tokens.admin, elsewhere.id)).toMatchObject({
        within: [T2],
        total: [2, 25],
      });
    });

    it('when the progress of a draft is asked by a stranger, then it is not found', async () => {
      const campaign = await create(learningMonth(NEXT_YEAR));
      for (const token of [tokens.education, tokens.areaOfficer])
        expect(
          (await refusal(await send('GET', `/v1/campaigns/${campaign.id}/progress`, token), 404))
            .code,
        ).toBe('CAMPAIGN_NOT_FOUND');
    });
  });
});
