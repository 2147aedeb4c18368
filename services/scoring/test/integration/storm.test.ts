/**
 * The storm (issue 12, "Done when"): a few hundred of the real source events,
 * seeded, shuffled so that earlier events often arrive later, ~10% sent twice
 * under the same envelope id, a few replayed under a new one, ~5% of the
 * attendances withdrawn (some withdrawals arriving before their attendance),
 * all produced to Kafka for scoring's consumer; Redis loses the boards midway.
 * Then the ledger must equal what the pure evaluation makes of the
 * de-duplicated facts, nothing doubled, caps held, and balances (HTTP and
 * gRPC), boards (rebuilt) and the credit events all agree with it.
 */
import { chinaMidnight, chinaDateOf, chinaYearOf, addDays, type Tier } from '@learning/domain';
import {
  activityEvents,
  creditEvents,
  enrollmentEvents,
  lectureEvents,
  organizationEvents,
  tierMapping,
} from '@learning/contracts';
import {
  fromKafkaMessage,
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  consumerGroups,
  type CloudEvent,
  type EventDefinition,
} from '@learning/events';
import { createGrpcClient } from '@learning/grpc';
import { activities, common, lectures, registration, scoring } from '@learning/proto';
import { connectRedis, type RedisClient } from '@learning/redis';
import { idNumberFor } from '@learning/registration/testing/people';
import {
  captureLogger,
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RULE_CACHE_TTL_MS } from '../../src/adapters/mongo/cached-rule-book.js';
import { factModel } from '../../src/adapters/mongo/facts.js';
import { ledgerEntryModel, type LedgerEntryDocument } from '../../src/adapters/mongo/ledger.js';
import { ruleOf } from '../../src/adapters/mongo/rule-book.js';
import { ruleModel } from '../../src/adapters/mongo/rules.js';
import {
  formatCredits,
  formatHours,
  parseCredits,
  type Hundredths,
} from '../../src/domain/credits.js';
import { holderKey, type CreditFact, type HolderRef } from '../../src/domain/facts.js';
import { amountFor, evaluateFacts } from '../../src/domain/ledger-evaluation.js';
import type { CreditRule } from '../../src/domain/rules.js';
import { useScoringStack } from '../support/stack.js';

const SEED = 20_260_412;
const PEOPLE = 30;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** mulberry32: a small seeded PRNG, so a failing storm can be replayed exactly. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One message to produce, with the topic it goes to. */
interface Outgoing {
  readonly topic: string;
  readonly event: CloudEvent;
  readonly message: Message;
  readonly label: string;
}

interface Person {
  readonly subject: string;
  readonly id: string;
  readonly tier: Tier;
  readonly path: readonly string[];
  readonly organizationId: string;
}

interface Organization {
  readonly id: string;
  readonly path: readonly string[];
}

const NAMES = ['张', '李', '王', '赵', '陈', '刘', '杨', '黄', '周', '吴'];
const GIVEN = ['明', '华', '芳', '伟', '静', '强', '丽', '军'];
const TIERS: readonly Tier[] = ['ordinary_citizen', 'ordinary_cadre', 'private_enterprise_staff'];
const CATEGORIES = [
  common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY,
  common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
  common.ContentCategory.CONTENT_CATEGORY_MARKET_ECONOMY_LAW,
  common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
];
const CATEGORY_NAMES = [
  'political_theory',
  'science_culture_skills',
  'market_economy_law',
  'ethics_etiquette',
] as const;

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring: the storm', (servers) => {
  const database = uniqueName('scoring-storm');
  // Rules take effect from tomorrow, so the storm happens in the days after today, within one
  // year: in the year's last week the app lives a week earlier (tokens still use the wall clock).
  const realToday = chinaDateOf(new Date());
  const shiftMs = realToday.slice(5) >= '12-27' ? 7 * 24 * 3_600_000 : 0;
  const appNow = (): Date => new Date(Date.now() - shiftMs);
  const stack = useScoringStack(servers, {
    clock: appNow,
    scoringEnvironment: {
      MONGODB_DATABASE: database,
      KAFKA_GROUP_NAMESPACE: uniqueName('scoring-storm'),
      LEADERBOARD_CHECK_MS: '500',
      PUBLIC_CACHE_TTL_MS: '1000',
    },
  });
  const random = prng(SEED);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  /** Fisher–Yates on a copy, drawing from the seeded PRNG. */
  function shuffled<T>(values: readonly T[]): T[] {
    const copy = [...values];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }
  const between = (low: number, high: number): number =>
    low + Math.floor(random() * (high - low + 1));

  const today = chinaDateOf(appNow());
  const YEAR = chinaYearOf(appNow());
  // Tomorrow on: none today, when the rules written today are not yet in effect.
  const days = [1, 2, 3, 4]
    .map((offset) => addDays(today, offset))
    .filter((day) => day.startsWith(String(YEAR)));
  const at = (day: string, hour: number, minute = 0): Date =>
    new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
  const CAMPAIGN = randomUUID();

  const people: Person[] = [];
  const organizations: Organization[] = [];
  const ruleIds: string[] = [];
  let rules: CreditRule[] = [];
  let connection: Connection;
  let redis: RedisClient;
  let producer: Producer;
  let credits: TopicWatch;
  let office = '';
  let rulesWrittenAt = 0;

  /** The facts as the test expects them: one per holder and source, withdrawals applied. */
  const expectedFacts = new Map<string, CreditFact>();

  const holders = (): HolderRef[] => [
    ...people.map((person) => ({ kind: 'person' as const, id: person.id })),
    ...organizations.map((organization) => ({
      kind: 'organization' as const,
      id: organization.id,
    })),
  ];
  const holderIds = () => holders().map((holder) => holder.id);

  function message<T>(
    definition: EventDefinition<T>,
    key: string,
    data: T,
    label: string,
  ): Outgoing {
    const event = toCloudEvent(newEvent(definition, key, data), '/learning/storm');
    return { topic: definition.topic.name, event, message: toKafkaMessage(event), label };
  }

  const expectFact = (fact: CreditFact): void => {
    expectedFacts.set(`${holderKey(fact.holder)}|${fact.sourceId}`, fact);
  };

  const fact = (
    fields: Pick<CreditFact, 'sourceId' | 'source' | 'holder' | 'occurredAt'> & Partial<CreditFact>,
  ): CreditFact => ({
    sourceEventId: '',
    year: chinaYearOf(fields.occurredAt),
    category: null,
    tier: null,
    minutes: 0,
    units: 0,
    rank: null,
    campaignId: null,
    jurisdictionPath: [],
    organizationIds: [],
    title: '',
    withdrawnAt: null,
    ...fields,
  });

  async function createRule(body: Record<string, unknown>): Promise<void> {
    const response = await stack.scoring.send('POST', '/v1/credit-rules', office, body);
    const created = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(created)).toBe(201);
    ruleIds.push(created.id);
  }

  beforeAll(async () => {
    office = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    redis = await connectRedis({ url: servers.redis.url, logger: captureLogger().logger });
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    credits = await watchTopics(servers.kafka, [topics.scoringCredits.name]);

    // The office's rules, through the real API: caps that bite, a campaign bonus, every basis.
    await createRule({
      name: '讲座听课',
      source: 'lecture_attended',
      basis: { kind: 'per_hour', credits: '1.5' },
      dailyCap: '4',
      yearlyCap: '30',
    });
    await createRule({
      name: '活动参与',
      source: 'activity_attended',
      basis: { kind: 'per_occurrence', credits: '2' },
      dailyCap: '4',
      yearlyCap: '7',
    });
    await createRule({
      name: '网上课程',
      source: 'lesson_completed',
      basis: { kind: 'per_hour', credits: '1' },
      dailyCap: '2.5',
    });
    await createRule({
      name: '竞赛获奖',
      source: 'contest_placed',
      basis: {
        kind: 'by_rank',
        bands: [
          { upToRank: 1, credits: '10' },
          { upToRank: 3, credits: '6' },
          { upToRank: 10, credits: '2' },
        ],
      },
    });
    await createRule({
      name: '企业赠书',
      source: 'book_donated',
      basis: { kind: 'per_unit', credits: '0.5' },
      yearlyCap: '25',
    });
    await createRule({
      name: '学习型组织认定',
      source: 'organization_recognized',
      basis: { kind: 'per_occurrence', credits: '20' },
    });
    await createRule({
      name: '组织活动',
      source: 'activity_organized',
      basis: { kind: 'per_hour', credits: '2' },
      dailyCap: '5',
    });
    await createRule({
      kind: 'bonus',
      name: '全民学习月（讲座）',
      source: 'lecture_attended',
      campaignId: CAMPAIGN,
      bonusPercent: 50,
    });
    await createRule({
      kind: 'bonus',
      name: '全民学习月（活动）',
      source: 'activity_attended',
      campaignId: CAMPAIGN,
      bonusPercent: 25,
    });
    rules = (
      await ruleModel(connection)
        .find({ _id: { $in: ruleIds } })
        .lean()
    ).map(ruleOf);
    rulesWrittenAt = Date.now();

    // Three organizations and thirty people, members of them, known to registration's directory.
    const villages = stack.tree.filter((node) => node.level === 'village');
    const applicant = await stack.token({ subject: 'storm-applicant', roles: ['org_admin'] });
    for (const [index, kind] of (
      ['enterprise', 'community', 'public_institution'] as const
    ).entries()) {
      const village = villages[index] ?? villages[0];
      if (village === undefined) throw new Error('the stack’s tree has no village');
      const response = await stack.registration.send('POST', '/v1/organizations', applicant, {
        kind,
        name: `风暴学习型组织 ${database} ${String(index)}`,
        jurisdictionCode: village.code,
      });
      const body = (await response.json()) as { id: string };
      expect(response.status, JSON.stringify(body)).toBe(201);
      organizations.push({ id: body.id, path: village.path });
    }
    const firstIdNumber = randomInt(0, 800_000);
    for (let index = 0; index < PEOPLE; index += 1) {
      const subject = `storm-${database}-${String(index)}`;
      const village = villages[index % villages.length];
      const organization = organizations[index % organizations.length];
      if (village === undefined || organization === undefined) throw new Error('no village');
      const tier = TIERS[index % TIERS.length] ?? 'ordinary_citizen';
      const token = await stack.token({ subject, roles: ['participant'] });
      const response = await stack.registration.send('POST', '/v1/participants', token, {
        name: `${NAMES[index % NAMES.length] ?? '张'}${GIVEN[index % GIVEN.length] ?? '明'}${GIVEN[(index + 3) % GIVEN.length] ?? '华'}`,
        tier,
        homeJurisdiction: village.code,
        idNumber: idNumberFor(firstIdNumber + index),
        language: 'zh-CN',
        consent: { notifications: false },
      });
      const body = (await response.json()) as { id: string };
      expect(response.status, JSON.stringify(body)).toBe(201);
      const joined = await stack.registration.send(
        'PUT',
        `/v1/organizations/${organization.id}/members/${body.id}`,
        office,
        { role: 'member' },
      );
      expect(joined.status, await joined.clone().text()).toBe(200);
      people.push({
        subject,
        id: body.id,
        tier,
        path: village.path,
        organizationId: organization.id,
      });
    }
  });

  afterAll(async () => {
    await credits.stop();
    await producer.disconnect();
    await redis.quit();
    await connection.close();
  });

  /** The storm's events, before duplicates and shuffling; expectedFacts filled as they are planned. */
  function plan(): { events: Outgoing[]; withdrawals: [Outgoing, Outgoing][] } {
    const events: Outgoing[] = [];
    const withdrawals: [Outgoing, Outgoing][] = [];
    let serial = 0;
    const next = (prefix: string) => `${prefix}-${database}-${String((serial += 1))}`;

    for (const person of people) {
      const holder = { kind: 'person' as const, id: person.id };
      const attendee = {
        tier: tierMapping.toProto(person.tier),
        jurisdictionPath: [...person.path],
        organizationIds: [person.organizationId],
      };
      // Several attendances a day on few days, so the daily caps bite; activities' yearly cap too.
      for (let count = between(4, 8); count > 0; count -= 1) {
        const owner = random() < 0.5 ? 'lectures' : 'activities';
        const enrollmentId = next('enrollment');
        const day = pick(days);
        const startsAt = at(day, between(8, 19), pick([0, 15, 30, 45]));
        const minutes = pick([30, 45, 60, 90, 120, 150]);
        const attendedAt = new Date(startsAt.getTime() + minutes * MINUTE);
        const category = between(0, 3);
        const campaignId = random() < 0.3 ? CAMPAIGN : '';
        const recorded = message(
          enrollmentEvents.AttendanceRecorded,
          enrollmentId,
          registration.AttendanceRecorded.fromPartial({
            enrollmentId,
            event: { owner, eventId: `event-${enrollmentId}` },
            participantId: person.id,
            basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
            attendedAt,
            accountSubject: person.subject,
            attendee,
            attendedEvent: {
              title: owner === 'lectures' ? '玉海大讲坛' : '读书会',
              categories: [
                CATEGORIES[category] ?? common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY,
              ],
              campaignId,
              startsAt,
              endsAt: attendedAt,
              learningMinutes: minutes,
              jurisdictionPath: [...person.path],
              organizerOrganizationId: '',
            },
          }),
          `attendance ${enrollmentId}`,
        );
        events.push(recorded);
        const withdrawnAt = random() < 0.06 ? new Date(attendedAt.getTime() + 2 * HOUR) : null;
        expectFact(
          fact({
            sourceId: `attendance:${enrollmentId}`,
            source: owner === 'lectures' ? 'lecture_attended' : 'activity_attended',
            holder,
            occurredAt: startsAt,
            category: CATEGORY_NAMES[category] ?? null,
            tier: person.tier,
            minutes,
            campaignId: campaignId === '' ? null : campaignId,
            withdrawnAt,
          }),
        );
        if (withdrawnAt === null) continue;
        const withdrawn = message(
          enrollmentEvents.AttendanceWithdrawn,
          enrollmentId,
          registration.AttendanceWithdrawn.fromPartial({
            enrollmentId,
            event: { owner, eventId: `event-${enrollmentId}` },
            participantId: person.id,
            reason:
              registration.AttendanceWithdrawalReason
                .ATTENDANCE_WITHDRAWAL_REASON_OFFICER_CORRECTION,
            attendedAt,
            withdrawnAt,
          }),
          `withdrawal ${enrollmentId}`,
        );
        events.push(withdrawn);
        withdrawals.push([withdrawn, recorded]);
      }
      for (let count = between(0, 3); count > 0; count -= 1) {
        const completionId = next('completion');
        const completedAt = at(pick(days), between(8, 22), between(0, 59));
        const seconds = between(10, 120) * 60 + between(0, 59);
        const category = between(0, 3);
        events.push(
          message(
            lectureEvents.LessonCompleted,
            person.id,
            lectures.LessonCompleted.fromPartial({
              completionId,
              lessonId: `lesson-${String(category)}`,
              lessonTitle: '宋韵文化',
              participantId: person.id,
              categories: [
                CATEGORIES[category] ?? common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY,
              ],
              creditedSeconds: seconds,
              completedAt,
            }),
            `lesson ${completionId}`,
          ),
        );
        expectFact(
          fact({
            sourceId: `lesson:${completionId}`,
            source: 'lesson_completed',
            holder,
            occurredAt: completedAt,
            category: CATEGORY_NAMES[category] ?? null,
            tier: person.tier,
            minutes: Math.floor(seconds / 60),
          }),
        );
      }
    }

    for (let contest = 0; contest < 3; contest += 1) {
      const contestId = next('contest');
      const publishedAt = at(pick(days), 18, contest);
      const placed = shuffled(people).slice(0, 12);
      events.push(
        message(
          activityEvents.ContestResultsPublished,
          contestId,
          activities.ContestResultsPublished.fromPartial({
            contestId,
            title: '全民阅读知识竞赛',
            rankings: placed.map((person, index) => ({
              entryId: `${contestId}-${String(index)}`,
              participantId: person.id,
              rank: index + 1,
              scoreMillis: String(1000 * (100 - index)),
            })),
            publishedAt,
            categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
          }),
          `contest ${contestId}`,
        ),
      );
      placed.forEach((person, index) => {
        expectFact(
          fact({
            sourceId: `contest:${contestId}:${person.id}`,
            source: 'contest_placed',
            holder: { kind: 'person', id: person.id },
            occurredAt: publishedAt,
            category: 'science_culture_skills',
            tier: person.tier,
            rank: index + 1,
          }),
        );
      });
    }

    for (let donation = 0; donation < 8; donation += 1) {
      const donationId = next('donation');
      const enterprise = organizations[donation % 2] ?? organizations[0];
      if (enterprise === undefined) throw new Error('no organizations');
      const donatedOn = pick(days);
      const books = between(1, 30);
      events.push(
        message(
          activityEvents.BookDonationRecorded,
          donationId,
          activities.BookDonationRecorded.fromPartial({
            donationId,
            pairingId: `pairing-${String(donation % 2)}`,
            enterpriseId: enterprise.id,
            libraryId: 'library-1',
            bookCount: books,
            categories: [],
            donatedOn,
            recordedAt: new Date(),
            jurisdictionPath: [...enterprise.path],
          }),
          `donation ${donationId}`,
        ),
      );
      expectFact(
        fact({
          sourceId: `donation:${donationId}`,
          source: 'book_donated',
          holder: { kind: 'organization', id: enterprise.id },
          occurredAt: chinaMidnight(donatedOn),
          units: books,
        }),
      );
    }

    const decision = (
      organization: Organization,
      decidedAt: Date,
      fromStatus: registration.OrganizationStatus,
      reinstatement: boolean,
    ) =>
      message(
        organizationEvents.organizationRecognized,
        organization.id,
        registration.OrganizationDecided.fromPartial({
          organizationId: organization.id,
          routing: {
            kind: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
            leadDepartment: 'gongshang-lian',
            coDepartments: [],
            jurisdictionPath: [...organization.path],
          },
          fromStatus,
          toStatus: registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
          decidedBy: 'officer',
          decidedAt,
          reinstatement,
        }),
        `${reinstatement ? 'reinstatement' : 'recognition'} ${organization.id}`,
      );
    for (const organization of organizations) {
      const decidedAt = at(pick(days), 10);
      events.push(
        decision(
          organization,
          decidedAt,
          registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW,
          false,
        ),
      );
      expectFact(
        fact({
          sourceId: `recognition:${organization.id}`,
          source: 'organization_recognized',
          holder: { kind: 'organization', id: organization.id },
          occurredAt: decidedAt,
        }),
      );
    }
    const reinstated = organizations[0];
    if (reinstated !== undefined)
      events.push(
        decision(
          reinstated,
          at(days.at(-1) ?? today, 16),
          registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED,
          true,
        ),
      );

    for (let activity = 0; activity < 6; activity += 1) {
      const activityId = next('activity');
      const organizer = organizations[activity % organizations.length];
      if (organizer === undefined) throw new Error('no organizations');
      const startsAt = at(pick(days), between(9, 15));
      const minutes = pick([60, 90, 120, 180]);
      const byDepartment = activity === 5;
      events.push(
        message(
          activityEvents.ActivityCompleted,
          activityId,
          activities.ActivityCompleted.fromPartial({
            activityId,
            completedAt: new Date(startsAt.getTime() + minutes * MINUTE),
            organizerKind: byDepartment
              ? activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT
              : activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
            organizerId: byDepartment ? 'xuanchuan-bu' : organizer.id,
            jurisdictionPath: [...organizer.path],
            title: '读书节',
            categories: [common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE],
            startsAt,
            endsAt: new Date(startsAt.getTime() + minutes * MINUTE),
            learningMinutes: minutes,
          }),
          `activity ${activityId}`,
        ),
      );
      // Departments organize as part of their duties: no fact.
      if (!byDepartment)
        expectFact(
          fact({
            sourceId: `organized:${activityId}`,
            source: 'activity_organized',
            holder: { kind: 'organization', id: organizer.id },
            occurredAt: startsAt,
            category: 'ethics_etiquette',
            minutes,
          }),
        );
    }
    return { events, withdrawals };
  }

  async function produce(messages: readonly Outgoing[]): Promise<void> {
    // Batches keep each partition's order: the shuffled order is the arrival order.
    for (let start = 0; start < messages.length; start += 25) {
      const batch = messages.slice(start, start + 25);
      const byTopic = new Map<string, Message[]>();
      for (const { topic, message: kafkaMessage } of batch)
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), kafkaMessage]);
      await producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  }

  const boardPrefix = () => `ls:scoring:{boards-${database}-${String(YEAR)}}`;
  const builtMark = () => `${boardPrefix()}:built`;

  async function boardKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const found of redis.scanIterator({ MATCH: `${boardPrefix()}:*`, COUNT: 1000 }))
      keys.push(...found);
    return keys;
  }

  /** How many of `eventIds` the credits consumer has handled: its inbox records each once applied. */
  async function handled(eventIds: readonly string[]): Promise<number> {
    const inbox = connection.db?.collection<{ _id: string }>('inbox');
    if (inbox === undefined) throw new Error('the test’s connection is not open');
    return inbox.countDocuments({
      _id: { $in: eventIds.map((id) => `${consumerGroups.scoringCredits}:${id}`) },
    });
  }

  const myEntries = () =>
    ledgerEntryModel(connection)
      .find({ holderId: { $in: holderIds() } }, { outbox: 0, outboxSince: 0 })
      .lean<LedgerEntryDocument[]>();

  /** Net credits per `holderKey|ruleId|sourceId`, zero nets left out. */
  function netsOf(entries: readonly LedgerEntryDocument[]): Map<string, Hundredths> {
    const nets = new Map<string, Hundredths>();
    for (const entry of entries) {
      const key = `${entry.holderKind}:${entry.holderId}|${entry.ruleId}|${entry.sourceId}`;
      nets.set(key, (nets.get(key) ?? 0) + entry.amount);
    }
    for (const [key, net] of nets) if (net === 0) nets.delete(key);
    return nets;
  }

  /** What the pure evaluation makes of the expected facts, per holder and city year. */
  function expectedNets(): Map<string, Hundredths> {
    const byHolderYear = new Map<string, CreditFact[]>();
    for (const expected of expectedFacts.values()) {
      const key = `${holderKey(expected.holder)}|${String(expected.year)}`;
      byHolderYear.set(key, [...(byHolderYear.get(key) ?? []), expected]);
    }
    const nets = new Map<string, Hundredths>();
    for (const facts of byHolderYear.values())
      for (const { fact: allotted, rule, amount } of evaluateFacts(facts, rules))
        if (amount !== 0)
          nets.set(`${holderKey(allotted.holder)}|${rule.id}|${allotted.sourceId}`, amount);
    return nets;
  }

  const balancesOf = (nets: ReadonlyMap<string, Hundredths>): Map<string, Hundredths> => {
    const balances = new Map<string, Hundredths>();
    for (const [key, net] of nets) {
      const holder = key.split('|')[0] ?? '';
      balances.set(holder, (balances.get(holder) ?? 0) + net);
    }
    return balances;
  };

  it('when the storm is produced, shuffled, duplicated, with Redis losing the boards midway, then scoring consumes all of it', async () => {
    const { events, withdrawals } = plan();
    // Replays under a new envelope id (a group replay, a producer retry after a lost ack).
    const replays = events
      .filter(() => random() < 0.03)
      .map((original) => {
        const event = { ...original.event, id: randomUUID() };
        return {
          ...original,
          event,
          message: toKafkaMessage(event),
          label: `${original.label} (replayed)`,
        };
      });
    // Shuffled: earlier events often arrive later.
    const storm = shuffled([...events, ...replays]);
    // The same envelope sent again, somewhere in the stream.
    for (const original of storm.filter(() => random() < 0.1))
      storm.splice(Math.floor(random() * storm.length), 0, original);
    // A third of the withdrawals arrive before the attendance they withdraw (same partition: same key).
    for (const [withdrawn, recorded] of withdrawals.slice(0, Math.ceil(withdrawals.length / 3))) {
      const w = storm.indexOf(withdrawn);
      const r = storm.indexOf(recorded);
      if (w > r) [storm[w], storm[r]] = [recorded, withdrawn];
    }
    expect(storm.length).toBeGreaterThan(250);
    expect(withdrawals.length).toBeGreaterThan(3);

    // Other files' events on these topics were evaluated as the app started, before the rules
    // existed; the rule cache may answer "none" for its TTL yet, since the storm's facts, though
    // dated tomorrow on, arrive today (in the city they arrive after midnight, when it expires).
    await sleep(Math.max(0, rulesWrittenAt + RULE_CACHE_TTL_MS - Date.now()));
    const half = Math.floor(storm.length / 2);
    await produce(storm.slice(0, half));
    // Boards built from the first half, then Redis loses them and the rebuild's mark.
    await eventually(
      'the first boards',
      async () =>
        (await redis.exists(builtMark())) === 1 && (await boardKeys()).length > 10
          ? true
          : undefined,
      30_000,
    );
    const lost = await boardKeys();
    expect(lost).toContain(builtMark());
    // Checked by the count deleted: the next tick may rebuild the mark at any moment after.
    expect(await redis.del(lost)).toBe(lost.length);
    await produce(storm.slice(half));
    await eventually(
      'the automatic rebuild',
      async () => ((await redis.exists(builtMark())) === 1 ? true : undefined),
      30_000,
    );

    // Every envelope handled (a dead-lettered one never is)…
    const eventIds = [...new Set(storm.map((outgoing) => outgoing.event.id))];
    await eventually(
      'every event handled',
      async () => ((await handled(eventIds)) === eventIds.length ? true : undefined),
      60_000,
    );
    // …and the ledger settled: the same entries twice, a second apart.
    let previous = -1;
    await eventually(
      'the ledger settled',
      async () => {
        const count = (await myEntries()).length;
        const settled = count === previous;
        previous = count;
        await sleep(1_000);
        return settled ? true : undefined;
      },
      60_000,
    );
  }, 180_000);

  it('then every fact is stored once, withdrawals applied, the reinstatement and the department’s activity stored nothing', async () => {
    const stored = await factModel(connection)
      .find({ holderId: { $in: holderIds() } })
      .lean();
    expect(stored).toHaveLength(expectedFacts.size);
    for (const document of stored) {
      const expected = expectedFacts.get(
        `${document.holderKind}:${document.holderId}|${document.sourceId}`,
      );
      expect(expected, document.sourceId).toBeDefined();
      expect(document.reported).toBe(true);
      expect(document.withdrawnAt?.getTime() ?? null).toBe(
        expected?.withdrawnAt?.getTime() ?? null,
      );
    }
  });

  it('then the ledger equals the pure evaluation of the de-duplicated facts, and no pair nets more than its rule allows', async () => {
    const entries = await myEntries();
    const expected = expectedNets();
    expect(netsOf(entries)).toEqual(expected);

    const ruleOfId = new Map(rules.map((rule) => [rule.id, rule]));
    const byDay = new Map<string, Hundredths>();
    const byYear = new Map<string, Hundredths>();
    for (const [key, net] of expected) {
      const [holder = '', ruleId = '', sourceId = ''] = key.split('|');
      const rule = ruleOfId.get(ruleId);
      const credited = expectedFacts.get(`${holder}|${sourceId}`);
      const version = rule?.versions[0];
      if (rule === undefined || credited === undefined || version === undefined)
        throw new Error(`an award of no rule or fact: ${key}`);
      expect(net).toBeGreaterThan(0);
      if (rule.kind === 'bonus') continue;
      expect(net).toBeLessThanOrEqual(amountFor(version.basis, credited));
      const dayKey = `${holder}|${ruleId}|${chinaDateOf(credited.occurredAt)}`;
      byDay.set(dayKey, (byDay.get(dayKey) ?? 0) + net);
      byYear.set(`${holder}|${ruleId}`, (byYear.get(`${holder}|${ruleId}`) ?? 0) + net);
    }
    let dailyCapsReached = 0;
    let yearlyCapsReached = 0;
    for (const [key, sum] of byDay) {
      const cap = ruleOfId.get(key.split('|')[1] ?? '')?.versions[0]?.dailyCap ?? null;
      if (cap === null) continue;
      expect(sum, key).toBeLessThanOrEqual(cap);
      if (sum === cap) dailyCapsReached += 1;
    }
    for (const [key, sum] of byYear) {
      const cap = ruleOfId.get(key.split('|')[1] ?? '')?.versions[0]?.yearlyCap ?? null;
      if (cap === null) continue;
      expect(sum, key).toBeLessThanOrEqual(cap);
      if (sum === cap) yearlyCapsReached += 1;
    }
    // The storm is only a test of caps if they bit.
    expect(dailyCapsReached).toBeGreaterThan(5);
    expect(yearlyCapsReached).toBeGreaterThan(2);
  });

  it('then nothing is doubled: each pair’s entries are revisions 1, 2, … and the first one is the award', async () => {
    const entries = await myEntries();
    const revisions = new Map<string, LedgerEntryDocument[]>();
    for (const entry of entries) {
      const key = `${entry.holderKind}:${entry.holderId}|${entry.ruleId}|${entry.sourceId}`;
      revisions.set(key, [...(revisions.get(key) ?? []), entry]);
    }
    for (const [key, pair] of revisions) {
      const sorted = [...pair].sort((a, b) => a.revision - b.revision);
      expect(
        sorted.map((entry) => entry.revision),
        key,
      ).toEqual(sorted.map((_, index) => index + 1));
      expect(sorted[0]?.reason, key).toBe('awarded');
      expect(sorted[0]?.amount, key).toBeGreaterThan(0);
      const net = sorted.reduce((total, entry) => total + entry.amount, 0);
      expect(net, key).toBeGreaterThanOrEqual(0);
      // Hours: a base pair holds its fact's minutes while it holds credits, none once back at 0.
      const [holder = '', ruleId = '', sourceId = ''] = key.split('|');
      const minutes = sorted.reduce((total, entry) => total + entry.minutes, 0);
      const base = rules.find((rule) => rule.id === ruleId)?.kind === 'base';
      const factMinutes = expectedFacts.get(`${holder}|${sourceId}`)?.minutes ?? 0;
      expect(minutes, key).toBe(base && net > 0 ? factMinutes : 0);
    }
    const withdrawnPairs = [...revisions.entries()].filter(([, pair]) =>
      pair.some((entry) => entry.reason === 'source_withdrawn'),
    );
    for (const [key, pair] of withdrawnPairs)
      expect(
        pair.reduce((total, entry) => total + entry.amount, 0),
        key,
      ).toBe(0);
  });

  it('then balances over HTTP and gRPC equal the ledger’s sums', async () => {
    const entries = await myEntries();
    const balances = balancesOf(netsOf(entries));
    const countOf = (id: string) => entries.filter((entry) => entry.holderId === id).length;
    const minutesOf = (id: string) =>
      entries
        .filter((entry) => entry.holderId === id)
        .reduce((total, entry) => total + entry.minutes, 0);
    for (const person of people.slice(0, 4)) {
      const token = await stack.token({ subject: person.subject, roles: ['participant'] });
      const response = await stack.scoring.send(
        'GET',
        `/v1/me/credits?year=${String(YEAR)}`,
        token,
      );
      const body = (await response.json()) as {
        totals: { credits: string; hours: string; entryCount: number };
      };
      expect(response.status).toBe(200);
      expect(body.totals).toMatchObject({
        credits: formatCredits(balances.get(`person:${person.id}`) ?? 0),
        hours: formatHours(minutesOf(person.id)),
        entryCount: countOf(person.id),
      });
    }
    const token = await stack.token({
      subject: 'service:evaluation',
      roles: ['service'],
      service: 'evaluation',
      cityWide: true,
    });
    const client = createGrpcClient(scoring.CreditLedgerServiceClient, {
      address: `127.0.0.1:${String(stack.scoring.ports.grpcPort)}`,
      logger: captureLogger('storm-client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () => token,
    });
    try {
      for (const person of people.slice(4, 8)) {
        const answer = await client.call.getPersonCredits({ participantId: person.id, year: YEAR });
        expect(answer.credits).toMatchObject({
          participantId: person.id,
          credits: { value: formatCredits(balances.get(`person:${person.id}`) ?? 0) },
          entryCount: countOf(person.id),
        });
      }
    } finally {
      client.close();
    }
  });

  it('then the boards, rebuilt after Redis lost them, equal the ledger’s balances, and the public list shows them', async () => {
    const entries = await myEntries();
    const balances = balancesOf(netsOf(entries));
    const campaignBalances = balancesOf(
      netsOf(entries.filter((entry) => entry.campaignId === CAMPAIGN)),
    );
    const expectedBoard = (
      touches: (entry: LedgerEntryDocument) => boolean,
      from: ReadonlyMap<string, Hundredths>,
    ) => {
      const members = new Map<string, number>();
      for (const entry of entries.filter(touches)) {
        const score = from.get(`${entry.holderKind}:${entry.holderId}`) ?? 0;
        if (score > 0) members.set(entry.holderId, score);
      }
      return [...members].sort(([a], [b]) => (a < b ? -1 : 1));
    };
    const liveBoard = async (key: string, only: ReadonlySet<string>) =>
      (await redis.zRangeWithScores(key, 0, -1))
        .filter(({ value }) => only.has(value))
        .map(({ value, score }) => [value, score] as [string, number])
        .sort(([a], [b]) => (a < b ? -1 : 1));
    const mine = new Set(holderIds());
    const organization = organizations[1]?.id ?? '';
    const city = people[0]?.path[0] ?? '';

    const boards: [
      string,
      (entry: LedgerEntryDocument) => boolean,
      ReadonlyMap<string, Hundredths>,
    ][] = [
      [
        `year:persons-by-organization:${organization}`,
        (entry) => entry.holderKind === 'person' && entry.organizationIds.includes(organization),
        balances,
      ],
      [
        `year:persons-by-area:${city}`,
        (entry) => entry.holderKind === 'person' && entry.jurisdictionPath.includes(city),
        balances,
      ],
      [
        'year:persons-by-tier:ordinary_cadre',
        (entry) => entry.holderKind === 'person' && entry.tier === 'ordinary_cadre',
        balances,
      ],
      [
        `year:organizations-by-area:${city}`,
        (entry) => entry.holderKind === 'organization' && entry.jurisdictionPath.includes(city),
        balances,
      ],
      [
        'year:organizations-by-kind:enterprise',
        (entry) => entry.holderId === organizations[0]?.id,
        balances,
      ],
      [
        `campaign-${CAMPAIGN}:persons-by-area:${city}`,
        (entry) => entry.holderKind === 'person' && entry.campaignId === CAMPAIGN,
        campaignBalances,
      ],
    ];
    await eventually(
      'the boards equal the ledger',
      async () => {
        for (const [board, touches, from] of boards) {
          const expected = expectedBoard(touches, from);
          if (expected.length === 0) throw new Error(`the storm put nobody on ${board}`);
          if (
            JSON.stringify(await liveBoard(`${boardPrefix()}:live:${board}`, mine)) !==
            JSON.stringify(expected)
          )
            return undefined;
        }
        return true;
      },
      15_000,
    );
    for (const [board, touches, from] of boards)
      expect(await liveBoard(`${boardPrefix()}:live:${board}`, mine), board).toEqual(
        expectedBoard(touches, from),
      );

    const expectedCredits = expectedBoard(boards[0]?.[1] ?? (() => false), balances)
      .map(([, score]) => score)
      .sort((a, b) => b - a)
      .map(formatCredits);
    const page = await eventually('the public list', async () => {
      const response = await fetch(
        `${stack.scoring.base}/v1/public/leaderboards/persons-by-organization/${organization}?pageSize=100`,
      );
      const body = (await response.json()) as {
        total: number;
        // Absent while the board is not there yet (404).
        items?: { rank: number; name: string; credits: string }[];
      };
      return JSON.stringify(body.items?.map((item) => item.credits)) ===
        JSON.stringify(expectedCredits)
        ? body
        : undefined;
    });
    expect(page.total).toBe(expectedCredits.length);
    const items = page.items ?? [];
    expect(items[0]?.rank).toBe(1);
    expect(items.every((item) => /^.\*/u.test(item.name))).toBe(true);
  });

  it('then the CreditsAwarded and CreditsReversed events on the credits topic sum to the same balances', async () => {
    const entries = await myEntries();
    const balances = balancesOf(netsOf(entries));
    const mine = new Set(holderIds());
    const published = await eventually(
      'every entry published',
      () => {
        const byEntry = new Map<string, scoring.CreditEntry>();
        for (const { message: kafkaMessage } of credits.messages) {
          const event = fromKafkaMessage(kafkaMessage);
          if (
            event.type !== creditEvents.CreditsAwarded.type &&
            event.type !== creditEvents.CreditsReversed.type
          )
            continue;
          const data = creditEvents.CreditsAwarded.codec.fromJSON(event.data);
          if (mine.has(data.holderId)) byEntry.set(data.entryId, data);
        }
        return byEntry.size >= entries.length ? byEntry : undefined;
      },
      30_000,
    );
    expect(published.size).toBe(entries.length);
    const sums = new Map<string, Hundredths>();
    for (const data of published.values()) {
      const holder = `${data.holderKind === scoring.HolderKind.HOLDER_KIND_PERSON ? 'person' : 'organization'}:${data.holderId}`;
      sums.set(holder, (sums.get(holder) ?? 0) + parseCredits(data.amount));
    }
    for (const [holder, sum] of sums) if (sum === 0) sums.delete(holder);
    expect(sums).toEqual(balances);
    expect(balances).toEqual(balancesOf(expectedNets()));
  });
});
