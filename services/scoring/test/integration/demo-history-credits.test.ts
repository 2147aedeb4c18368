/**
 * How the local stack's demo city earns credits on the day it is loaded
 * (infra/local/src/the-day-before.ts, stack.ts): scoring takes the demo's
 * rule book (infra/local/demo/credit-rules.json) on the day before's clock,
 * so the rules start today, then runs on today's clock while the history's
 * attendance of today arrives from registration through Kafka. Then the
 * leaderboard, the person's learning record and the figures the programme
 * dashboard draws (facts stored, ledger entries appended) are not empty.
 * And the product's rule stands: a rule written today starts tomorrow at the
 * earliest, and an attendance of the day before the rules earns nothing.
 */
import { enrollmentEvents } from '@learning/contracts';
import { chinaDateOf, DAY_MS, MINUTE_MS } from '@learning/domain';
import { newEvent, toCloudEvent, toKafkaMessage, type EventDefinition } from '@learning/events';
import { common, registration } from '@learning/proto';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerParticipant } from '../support/participants.js';
import { useScoringStack } from '../support/stack.js';

/** The demo's rules as the loader sends them; bonuses name a campaign of activities and are left out here. */
const demoRules = (
  JSON.parse(
    readFileSync(
      new URL('../../../../infra/local/demo/credit-rules.json', import.meta.url),
      'utf8',
    ),
  ) as { rules: ({ kind?: string; name: string; source: string } & Record<string, unknown>)[] }
).rules.filter((rule) => rule.kind !== 'bonus');

/** The history's activities last a minute (infra/local/src/demo-city-loader.ts HISTORY_LENGTH_MS). */
const HISTORY_MINUTES = 1;

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'the demo city’s history earns credits',
  (servers) => {
    let onTheDayBefore = true;
    const stack = useScoringStack(servers, {
      clock: () => new Date(Date.now() - (onTheDayBefore ? DAY_MS : 0)),
      scoringEnvironment: {
        MONGODB_DATABASE: uniqueName('scoring-demo-history'),
        KAFKA_GROUP_NAMESPACE: uniqueName('scoring-demo-history'),
        PUBLIC_CACHE_TTL_MS: '1000',
      },
    });
    const [city, township] = stack.tree;
    const village = stack.tree[2]?.code ?? '';
    let producer: Producer;
    let admin = '';
    let attendee = '';
    let earlier = '';

    beforeAll(async () => {
      admin = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
      for (const rule of demoRules) {
        const created = await stack.scoring.send('POST', '/v1/credit-rules', admin, rule);
        expect(created.status, await created.clone().text()).toBe(201);
      }
      onTheDayBefore = false;
      attendee = await registerParticipant(stack, 'history-attendee', '陈晓雨', village);
      earlier = await registerParticipant(stack, 'history-earlier', '林海', village);
      producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
    });

    afterAll(async () => {
      await producer.disconnect();
    });

    /** Registration's event, as its relay publishes it. */
    async function produce<T>(definition: EventDefinition<T>, key: string, data: T): Promise<void> {
      const event = toCloudEvent(newEvent(definition, key, data), '/learning/registration');
      await producer.send({
        topic: definition.topic.name,
        messages: [{ ...toKafkaMessage(event), key }],
      });
    }

    /** An officer's confirmation of `participantId` at a one-minute activity of the history starting at `startsAt`. */
    const attendance = (participantId: string, startsAt: Date): registration.AttendanceRecorded => {
      const activityId = randomUUID();
      const endsAt = new Date(startsAt.getTime() + HISTORY_MINUTES * MINUTE_MS);
      return registration.AttendanceRecorded.fromPartial({
        enrollmentId: randomUUID(),
        event: { owner: 'activities', eventId: activityId },
        participantId,
        basis: registration.AttendanceBasis.ATTENDANCE_BASIS_OFFICER,
        attendedAt: new Date(endsAt.getTime() + 1_000),
        accountSubject: `account-${participantId}`,
        attendee: {
          tier: common.Tier.TIER_ORDINARY_CITIZEN,
          jurisdictionPath: [city?.code ?? '', township?.code ?? '', village],
          organizationIds: [],
        },
        attendedEvent: {
          title: '读书分享会',
          categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
          campaignId: '',
          startsAt,
          endsAt,
          learningMinutes: HISTORY_MINUTES,
          jurisdictionPath: [city?.code ?? '', township?.code ?? ''],
          organizerOrganizationId: '',
        },
      });
    };

    const get = async <T>(path: string, token: string | null = admin): Promise<T> => {
      const response = await stack.scoring.send('GET', path, token);
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    };
    const metric = async (series: string): Promise<number> => {
      const text = await (await fetch(`${stack.scoring.base}/metrics`)).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      return line === undefined ? 0 : Number(line.slice(series.length + 1));
    };

    it('when the office writes a rule on today’s clock, then it starts tomorrow at the earliest', async () => {
      const rule = demoRules.find((candidate) => candidate.source === 'activity_attended');
      const today = chinaDateOf(new Date());
      const refused = await stack.scoring.send('POST', '/v1/credit-rules', admin, {
        ...rule,
        name: '今日生效的规则',
        effectiveFrom: today,
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { code: string }).code).toBe(
        'RULE_EFFECTIVE_FROM_TOO_SOON',
      );
      const rules = await get<{ items: { name: string; status: string; effectiveFrom: string }[] }>(
        '/v1/public/credit-rules',
        null,
      );
      // The demo's, written the day before, are in force from today.
      expect(rules.items.map(({ name, status }) => [name, status]).sort()).toEqual(
        demoRules.map(({ name }) => [name, 'in_force']).sort(),
      );
    });

    it('when the history’s attendance of today arrives, then the person is on the board and in their record, and the dashboard’s figures count it', async () => {
      const startsAt = new Date(Date.now() - 2 * HISTORY_MINUTES * MINUTE_MS);
      await produce(enrollmentEvents.AttendanceRecorded, attendee, attendance(attendee, startsAt));

      const record = await eventually('the attendance in the learning record', async () => {
        const page = await get<{ items: { credits: string; source: string; date: string }[] }>(
          `/v1/participants/${attendee}/record`,
        );
        return page.items.length > 0 ? page.items : undefined;
      });
      // 1 credit an hour, pro rata by minute, to a hundredth: a minute earns 0.02.
      expect(record).toEqual([
        expect.objectContaining({
          source: 'activity_attended',
          credits: '0.02',
          date: chinaDateOf(startsAt),
        }),
      ]);

      const board = await eventually('the person on the city’s board', async () => {
        const page = await get<{ items: { name: string; credits: string }[] }>(
          `/v1/public/leaderboards/persons-by-area/${city?.code ?? ''}`,
          null,
        );
        return page.items.length > 0 ? page.items : undefined;
      });
      expect(board).toEqual([expect.objectContaining({ name: '陈*雨', credits: '0.02' })]);

      expect(await metric('scoring_facts_stored_total{source="activity_attended"}')).toBe(1);
      expect(await metric('scoring_ledger_entries_appended_total{reason="awarded"}')).toBe(1);
    });

    it('when an attendance of the day before the rules arrives, then it is stored and earns nothing', async () => {
      const yesterday = new Date(Date.now() - DAY_MS);
      const today = new Date(Date.now() - 2 * HISTORY_MINUTES * MINUTE_MS);
      await produce(enrollmentEvents.AttendanceRecorded, earlier, attendance(earlier, yesterday));
      // The same key, so the same partition: once today's is credited, yesterday's was handled.
      await produce(enrollmentEvents.AttendanceRecorded, earlier, attendance(earlier, today));
      const record = await eventually('today’s attendance in the record', async () => {
        const page = await get<{ items: { date: string }[] }>(`/v1/participants/${earlier}/record`);
        return page.items.length > 0 ? page.items : undefined;
      });
      expect(record.map(({ date }) => date)).toEqual([chinaDateOf(today)]);
      expect(await metric('scoring_facts_stored_total{source="activity_attended"}')).toBe(3);
      expect(await metric('scoring_ledger_entries_appended_total{reason="awarded"}')).toBe(2);
    });
  },
);
