/**
 * The credits ledger end to end: registration's enrollment and organization
 * events, activities' contest, donation, completion and training events and lectures'
 * lessons produced to Kafka as the owners' relays publish them, scoring's
 * consumer (group scoring.credits) turning them into facts and ledger
 * entries, and CreditsAwarded / CreditsReversed on the credits topic.
 * Rules are written straight into the rules collection.
 */
import {
  activityEvents,
  creditEvents,
  enrollmentEvents,
  lectureEvents,
  organizationEvents,
} from '@learning/contracts';
import {
  fromKafkaMessage,
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  type EventDefinition,
} from '@learning/events';
import { activities, common, lectures, registration } from '@learning/proto';
import { idNumberFor } from '@learning/registration/testing/people';
import {
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
  type WatchedMessage,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection, type Model } from 'mongoose';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { factModel, type FactDocument } from '../../src/adapters/mongo/facts.js';
import { ledgerEntryModel, type LedgerEntryDocument } from '../../src/adapters/mongo/ledger.js';
import { ruleModel, type RuleDocument } from '../../src/adapters/mongo/rules.js';
import { useScoringStack } from '../support/stack.js';

const CITY = '330281000000';
const HOUR = 3_600_000;
/** China time is UTC+8. */
const cityTime = (local: string): Date => new Date(`${local}:00+08:00`);

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring: the credits ledger', (servers) => {
  const database = uniqueName('scoring-ledger');
  const stack = useScoringStack(servers, { scoringEnvironment: { MONGODB_DATABASE: database } });
  let connection: Connection;
  let ledger: Model<LedgerEntryDocument>;
  let facts: Model<FactDocument>;
  let producer: Producer;
  let credits: TopicWatch;

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    ledger = ledgerEntryModel(connection);
    facts = factModel(connection);
    const rules = ruleModel(connection);
    const rule = (overrides: Partial<RuleDocument> & Pick<RuleDocument, '_id' | 'source'>) => ({
      kind: 'base' as const,
      name: overrides._id,
      categories: [],
      tiers: [],
      campaignId: null,
      versions: [
        {
          version: 1,
          effectiveFrom: '2026-01-01',
          effectiveTo: null,
          basis: { kind: 'per_hour' as const, credits: 100 },
          dailyCap: 300,
          yearlyCap: null,
          bonusPercent: null,
          createdBy: 'office',
          createdAt: new Date('2025-12-01T00:00:00Z'),
        },
      ],
      firstYear: 2026,
      lastYear: 9999,
      revision: 1,
      createdAt: new Date('2025-12-01T00:00:00Z'),
      updatedAt: new Date('2025-12-01T00:00:00Z'),
      ...overrides,
    });
    const uncapped = (basis: RuleDocument['versions'][number]['basis']) => [
      {
        version: 1,
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
        basis,
        dailyCap: null,
        yearlyCap: null,
        bonusPercent: null,
        createdBy: 'office',
        createdAt: new Date('2025-12-01T00:00:00Z'),
      },
    ];
    await rules.create([
      // 1 credit an hour, at most 3 a day.
      rule({ _id: 'lectures-hourly', source: 'lecture_attended' }),
      rule({ _id: 'lessons-hourly', source: 'lesson_completed' }),
      rule({ _id: 'training-hourly', source: 'training_attended' }),
      rule({
        _id: 'training-completed',
        source: 'training_completed',
        versions: uncapped({ kind: 'per_occurrence', credits: 1000 }),
      }),
      rule({
        _id: 'recognition',
        source: 'organization_recognized',
        versions: [
          {
            version: 1,
            effectiveFrom: '2026-01-01',
            effectiveTo: null,
            basis: { kind: 'per_occurrence', credits: 2000 },
            dailyCap: null,
            yearlyCap: null,
            bonusPercent: null,
            createdBy: 'office',
            createdAt: new Date('2025-12-01T00:00:00Z'),
          },
        ],
      }),
      rule({
        _id: 'contests',
        source: 'contest_placed',
        versions: uncapped({
          kind: 'by_rank',
          bands: [
            { upToRank: 1, credits: 500 },
            { upToRank: 3, credits: 200 },
          ],
        }),
      }),
      rule({
        _id: 'donations',
        source: 'book_donated',
        versions: uncapped({ kind: 'per_unit', credits: 50 }),
      }),
      rule({
        _id: 'organized',
        source: 'activity_organized',
        versions: uncapped({ kind: 'per_hour', credits: 200 }),
      }),
    ]);
    const kafka = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    credits = await watchTopics(servers.kafka, [topics.scoringCredits.name]);
  });

  afterAll(async () => {
    await credits.stop();
    await producer.disconnect();
    await connection.close();
  });

  /** Produces registration's events as its relay does; the id is returned to send one again. */
  async function produce<T>(
    definition: EventDefinition<T>,
    key: string,
    data: T,
    id?: string,
  ): Promise<string> {
    const event = toCloudEvent(newEvent(definition, key, data), '/learning/registration');
    const sent = id === undefined ? event : { ...event, id };
    await producer.send({
      topic: definition.topic.name,
      messages: [{ ...toKafkaMessage(sent), key }],
    });
    return sent.id;
  }

  const attendance = (
    participantId: string,
    enrollmentId: string,
    startsAt: Date,
    minutes: number,
    attendedAt = new Date(startsAt.getTime() + HOUR),
  ): registration.AttendanceRecorded =>
    registration.AttendanceRecorded.fromPartial({
      enrollmentId,
      event: { owner: 'lectures', eventId: `session-${enrollmentId}` },
      participantId,
      basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
      attendedAt,
      accountSubject: `account-${participantId}`,
      attendee: {
        tier: common.Tier.TIER_ORDINARY_CITIZEN,
        jurisdictionPath: [CITY, '330281001000'],
        organizationIds: ['org-1'],
      },
      attendedEvent: {
        title: '玉海大讲坛 · 宋韵文化',
        categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
        campaignId: '',
        startsAt,
        endsAt: new Date(startsAt.getTime() + minutes * 60_000),
        learningMinutes: minutes,
        jurisdictionPath: [CITY],
        organizerOrganizationId: '',
      },
    });

  const entriesOf = (holderId: string) =>
    ledger
      .find({ holderId }, { outbox: 0, outboxSince: 0 })
      .sort({ occurredAt: 1, revision: 1 })
      .lean<LedgerEntryDocument[]>();

  const ledgerOf = async (holderId: string) =>
    (await entriesOf(holderId)).map((entry) => [
      entry.sourceId,
      entry.revision,
      entry.amount,
      entry.reason,
      entry.minutes,
    ]);

  /** Waits until the holder's ledger holds `count` entries, then a moment more to show nothing else follows. */
  async function settled(holderId: string, count: number) {
    await eventually(`${count} entries of ${holderId}`, async () =>
      (await entriesOf(holderId)).length >= count ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    return ledgerOf(holderId);
  }

  const creditMessagesOf = (holderId: string) =>
    credits.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter((event) => (event.data as { holderId?: string }).holderId === holderId);

  it('when an attendance arrives, then it is credited once, published as CreditsAwarded, and a duplicate changes nothing', async () => {
    const person = `p-${randomUUID()}`;
    const enrollment = `e-${randomUUID()}`;
    const data = attendance(person, enrollment, cityTime('2026-04-01T09:00'), 90);
    const id = await produce(enrollmentEvents.AttendanceRecorded, enrollment, data);

    expect(await settled(person, 1)).toEqual([[`attendance:${enrollment}`, 1, 150, 'awarded', 90]]);
    const [{ message: awarded }] = (await credits.waitFor('the award', ({ message }) => {
      const event = fromKafkaMessage(message);
      return (event.data as { holderId?: string }).holderId === person;
    })) as [WatchedMessage];
    const event = fromKafkaMessage(awarded);
    expect(event.type).toBe(creditEvents.CreditsAwarded.type);
    expect(awarded.key?.toString()).toBe(`person:${person}`);
    expect(creditEvents.CreditsAwarded.codec.fromJSON(event.data)).toMatchObject({
      holderId: person,
      ruleId: 'lectures-hourly',
      ruleVersion: 1,
      amount: '1.5',
      sourceId: `attendance:${enrollment}`,
      sourceEventId: id,
      jurisdictionPath: [CITY, '330281001000'],
      organizationIds: ['org-1'],
      tier: common.Tier.TIER_ORDINARY_CITIZEN,
      category: common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
      year: 2026,
    });

    // The same event again (redelivery), and the same attendance under a new event id (a replay).
    await produce(enrollmentEvents.AttendanceRecorded, enrollment, data, id);
    await produce(enrollmentEvents.AttendanceRecorded, enrollment, data);
    // A later attendance on the same partition: once it is credited, the duplicates before it were handled.
    const next = `e-${randomUUID()}`;
    await produce(
      enrollmentEvents.AttendanceRecorded,
      enrollment,
      attendance(person, next, cityTime('2026-04-05T09:00'), 60),
    );
    expect(await settled(person, 2)).toEqual([
      [`attendance:${enrollment}`, 1, 150, 'awarded', 90],
      [`attendance:${next}`, 1, 100, 'awarded', 60],
    ]);
    await credits.waitFor(
      'both awards',
      ({ message }) => {
        const event = fromKafkaMessage(message);
        return (event.data as { holderId?: string }).holderId === person;
      },
      2,
    );
    expect(creditMessagesOf(person)).toHaveLength(2);
  });

  it('when an attendance is withdrawn, then a reversing entry is appended and published as CreditsReversed', async () => {
    const person = `p-${randomUUID()}`;
    const enrollment = `e-${randomUUID()}`;
    const startsAt = cityTime('2026-04-02T09:00');
    await produce(
      enrollmentEvents.AttendanceRecorded,
      enrollment,
      attendance(person, enrollment, startsAt, 60),
    );
    await settled(person, 1);

    await produce(
      enrollmentEvents.AttendanceWithdrawn,
      enrollment,
      registration.AttendanceWithdrawn.fromPartial({
        enrollmentId: enrollment,
        event: { owner: 'lectures', eventId: `session-${enrollment}` },
        participantId: person,
        reason:
          registration.AttendanceWithdrawalReason.ATTENDANCE_WITHDRAWAL_REASON_OFFICER_CORRECTION,
        attendedAt: new Date(startsAt.getTime() + HOUR),
        withdrawnAt: new Date(startsAt.getTime() + 5 * HOUR),
      }),
    );

    expect(await settled(person, 2)).toEqual([
      [`attendance:${enrollment}`, 1, 100, 'awarded', 60],
      [`attendance:${enrollment}`, 2, -100, 'source_withdrawn', -60],
    ]);
    await credits.waitFor('the reversal', ({ message }) => {
      const event = fromKafkaMessage(message);
      return (
        event.type === creditEvents.CreditsReversed.type &&
        (event.data as { holderId?: string }).holderId === person
      );
    });
  });

  const withdrawnEvent = (
    participantId: string,
    enrollmentId: string,
    attendedAt: Date,
    withdrawnAt: Date,
  ): registration.AttendanceWithdrawn =>
    registration.AttendanceWithdrawn.fromPartial({
      enrollmentId,
      event: { owner: 'lectures', eventId: `session-${enrollmentId}` },
      participantId,
      reason:
        registration.AttendanceWithdrawalReason.ATTENDANCE_WITHDRAWAL_REASON_OFFICER_CORRECTION,
      attendedAt,
      withdrawnAt,
    });

  it('when a withdrawal arrives before its attendance, then the attendance is never credited; one re-recorded after the withdrawal is', async () => {
    const person = `p-${randomUUID()}`;
    const enrollment = `e-${randomUUID()}`;
    const startsAt = cityTime('2026-04-04T09:00');
    const recordedAt = new Date(startsAt.getTime() + HOUR);
    await produce(
      enrollmentEvents.AttendanceWithdrawn,
      enrollment,
      withdrawnEvent(person, enrollment, recordedAt, new Date(startsAt.getTime() + 5 * HOUR)),
    );
    await produce(
      enrollmentEvents.AttendanceRecorded,
      enrollment,
      attendance(person, enrollment, startsAt, 60, recordedAt),
    );
    // The attendance filled in the withdrawal's stub and stayed withdrawn.
    await eventually('the attendance stored', async () =>
      (await facts.exists({ holderId: person, reported: true, withdrawnAt: { $ne: null } }))
        ? true
        : undefined,
    );
    expect(await settled(person, 0)).toEqual([]);

    // The officer records it again the next day: it counts from then on.
    await produce(
      enrollmentEvents.AttendanceRecorded,
      enrollment,
      attendance(person, enrollment, startsAt, 60, new Date(startsAt.getTime() + 24 * HOUR)),
    );
    expect(await settled(person, 1)).toEqual([[`attendance:${enrollment}`, 1, 100, 'awarded', 60]]);

    // The first withdrawal delivered again is older than that recording: nothing changes.
    await produce(
      enrollmentEvents.AttendanceWithdrawn,
      enrollment,
      withdrawnEvent(person, enrollment, recordedAt, new Date(startsAt.getTime() + 5 * HOUR)),
    );
    expect(await settled(person, 1)).toEqual([[`attendance:${enrollment}`, 1, 100, 'awarded', 60]]);
  });

  it('when an earlier attendance arrives late under a daily cap, then the later one is cut by a correction', async () => {
    const person = `p-${randomUUID()}`;
    const morning = `e-${randomUUID()}`;
    const afternoon = `e-${randomUUID()}`;
    // 2.5 hours in the afternoon first: 2.5 credits, under the 3 a day.
    await produce(
      enrollmentEvents.AttendanceRecorded,
      afternoon,
      attendance(person, afternoon, cityTime('2026-04-03T14:00'), 150),
    );
    await settled(person, 1);
    // Then the morning's 2 hours arrive: they come first under the cap, and the afternoon keeps 1.
    await produce(
      enrollmentEvents.AttendanceRecorded,
      morning,
      attendance(person, morning, cityTime('2026-04-03T08:00'), 120),
    );

    expect(await settled(person, 3)).toEqual([
      [`attendance:${morning}`, 1, 200, 'awarded', 120],
      [`attendance:${afternoon}`, 1, 250, 'awarded', 150],
      [`attendance:${afternoon}`, 2, -150, 'cap_reevaluated', 0],
    ]);
    const sum = (await entriesOf(person)).reduce((total, entry) => total + entry.amount, 0);
    expect(sum).toBe(300);
  });

  it('when an organization is recognized and later reinstated, then it is credited once', async () => {
    const organization = `o-${randomUUID()}`;
    const decision = (fromStatus: registration.OrganizationStatus, reinstatement: boolean) =>
      registration.OrganizationDecided.fromPartial({
        organizationId: organization,
        routing: {
          kind: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
          leadDepartment: 'gongshang-lian',
          coDepartments: [],
          jurisdictionPath: [CITY, '330281001000'],
        },
        fromStatus,
        toStatus: registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
        decidedBy: 'officer',
        decidedAt: cityTime('2026-05-01T10:00'),
        reinstatement,
      });
    await produce(
      organizationEvents.organizationRecognized,
      organization,
      decision(registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW, false),
    );
    expect(await settled(organization, 1)).toEqual([
      [`recognition:${organization}`, 1, 2000, 'awarded', 0],
    ]);

    await produce(
      organizationEvents.organizationRecognized,
      organization,
      decision(registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED, true),
    );
    // Another organization's recognition on the same partition: once credited, the reinstatement was handled.
    const other = `o-${randomUUID()}`;
    await produce(organizationEvents.organizationRecognized, organization, {
      ...decision(registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW, false),
      organizationId: other,
    });
    await settled(other, 1);
    expect(await settled(organization, 1)).toEqual([
      [`recognition:${organization}`, 1, 2000, 'awarded', 0],
    ]);
    const [entry] = await entriesOf(organization);
    expect(entry).toMatchObject({ holderKind: 'organization', organizationIds: [organization] });
  });

  it('when a lesson is completed, then the learner’s place and tier come from registration’s directory', async () => {
    const subject = `learner-${randomUUID()}`;
    const village = stack.tree.find((node) => node.level === 'village');
    if (village === undefined) throw new Error('the stack’s tree has no village');
    const token = await stack.token({ subject, roles: ['participant'] });
    const registered = await stack.registration.send('POST', '/v1/participants', token, {
      name: '李华',
      tier: 'ordinary_cadre',
      homeJurisdiction: village.code,
      idNumber: idNumberFor(randomInt(0, 900_000)),
      language: 'zh-CN',
      consent: { notifications: true },
    });
    expect(registered.status).toBe(201);
    const { id: person } = (await registered.json()) as { id: string };

    await produce(
      lectureEvents.LessonCompleted,
      person,
      lectures.LessonCompleted.fromPartial({
        completionId: `lesson-1:${person}`,
        lessonId: 'lesson-1',
        lessonTitle: '宋韵文化',
        participantId: person,
        categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
        creditedSeconds: 45 * 60 + 59,
        completedAt: cityTime('2026-04-06T20:00'),
      }),
    );

    expect(await settled(person, 1)).toEqual([[`lesson:lesson-1:${person}`, 1, 75, 'awarded', 45]]);
    const [entry] = await entriesOf(person);
    expect(entry).toMatchObject({
      tier: 'ordinary_cadre',
      jurisdictionPath: village.path,
      category: 'science_culture_skills',
    });
  });
  async function registeredPerson(name: string): Promise<string> {
    const village = stack.tree.find((node) => node.level === 'village');
    if (village === undefined) throw new Error('the stack’s tree has no village');
    const token = await stack.token({ subject: `account-${randomUUID()}`, roles: ['participant'] });
    const registered = await stack.registration.send('POST', '/v1/participants', token, {
      name,
      tier: 'ordinary_citizen',
      homeJurisdiction: village.code,
      idNumber: idNumberFor(randomInt(0, 900_000)),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(registered.status).toBe(201);
    return ((await registered.json()) as { id: string }).id;
  }

  async function registeredOrganization(): Promise<{ id: string; path: string[] }> {
    const village = stack.tree.find((node) => node.level === 'village');
    if (village === undefined) throw new Error('the stack’s tree has no village');
    const applicant = await stack.token({ subject: 'org-applicant', roles: ['org_admin'] });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'enterprise',
      name: `书香企业 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: village.code,
    });
    expect(created.status).toBe(201);
    return { id: ((await created.json()) as { id: string }).id, path: village.path };
  }

  it('when contest results are published, then each ranked participant is credited by their rank band, and a rank past the bands earns nothing', async () => {
    const [first, third, fourth] = await Promise.all([
      registeredPerson('王芳'),
      registeredPerson('赵强'),
      registeredPerson('陈静'),
    ]);
    const contest = `contest-${randomUUID()}`;
    await produce(
      activityEvents.ContestResultsPublished,
      contest,
      activities.ContestResultsPublished.fromPartial({
        contestId: contest,
        title: '全民阅读知识竞赛',
        rankings: [first, third, fourth].map((participantId, index) => ({
          entryId: `entry-${String(index)}`,
          participantId,
          rank: [1, 3, 4][index] ?? 0,
        })),
        publishedAt: cityTime('2026-04-20T18:00'),
        categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
      }),
    );

    expect(await settled(first, 1)).toEqual([
      [`contest:${contest}:${first}`, 1, 500, 'awarded', 0],
    ]);
    expect(await settled(third, 1)).toEqual([
      [`contest:${contest}:${third}`, 1, 200, 'awarded', 0],
    ]);
    // Its fact is stored, and no rule band reaches rank 4.
    expect(await facts.exists({ holderId: fourth, rank: 4 })).not.toBeNull();
    expect(await entriesOf(fourth)).toEqual([]);
  });

  it('when an enterprise’s book donation is recorded, then the enterprise is credited per book on the day the books arrived', async () => {
    const enterprise = await registeredOrganization();
    const donation = `donation-${randomUUID()}`;
    await produce(
      activityEvents.BookDonationRecorded,
      donation,
      activities.BookDonationRecorded.fromPartial({
        donationId: donation,
        pairingId: 'pairing-1',
        enterpriseId: enterprise.id,
        libraryId: 'library-1',
        bookCount: 12,
        donatedOn: '2026-04-22',
        recordedAt: cityTime('2026-04-23T09:00'),
      }),
    );

    expect(await settled(enterprise.id, 1)).toEqual([
      [`donation:${donation}`, 1, 600, 'awarded', 0],
    ]);
    const [entry] = await entriesOf(enterprise.id);
    expect(entry).toMatchObject({
      holderKind: 'organization',
      occurredAt: cityTime('2026-04-22T00:00'),
      jurisdictionPath: enterprise.path,
      organizationIds: [enterprise.id],
    });
  });

  it('when an activity an organization organized completes, then the organizer is credited by its learning minutes; a department’s is not', async () => {
    const organizer = await registeredOrganization();
    const completed = (activityId: string, organizerKind: activities.OrganizerKind) =>
      activities.ActivityCompleted.fromPartial({
        activityId,
        completedAt: cityTime('2026-04-25T11:00'),
        organizerKind,
        organizerId:
          organizerKind === activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION
            ? organizer.id
            : 'xuanchuan-bu',
        title: '读书节',
        startsAt: cityTime('2026-04-25T09:30'),
        endsAt: cityTime('2026-04-25T11:00'),
        learningMinutes: 90,
      });
    const byDepartment = `activity-${randomUUID()}`;
    const byOrganization = `activity-${randomUUID()}`;
    // Same key, so the department's is handled before the organization's is credited.
    await produce(
      activityEvents.ActivityCompleted,
      organizer.id,
      completed(byDepartment, activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT),
    );
    await produce(
      activityEvents.ActivityCompleted,
      organizer.id,
      completed(byOrganization, activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION),
    );

    expect(await settled(organizer.id, 1)).toEqual([
      [`organized:${byOrganization}`, 1, 300, 'awarded', 90],
    ]);
    expect(await facts.exists({ sourceId: `organized:${byDepartment}` })).toBeNull();
  });

  it('when a check-in is invalidated with its attendance withdrawn, then the credit is reversed; one that withdrew nothing changes nothing', async () => {
    const person = `p-${randomUUID()}`;
    const enrollment = `e-${randomUUID()}`;
    const startsAt = cityTime('2026-04-08T09:00');
    await produce(
      enrollmentEvents.AttendanceRecorded,
      enrollment,
      attendance(person, enrollment, startsAt, 60),
    );
    const invalidated = (attendanceWithdrawn: boolean, hoursLater: number) =>
      registration.CheckInInvalidated.fromPartial({
        enrollmentId: enrollment,
        event: { owner: 'lectures', eventId: `session-${enrollment}` },
        participantId: person,
        checkedInAt: startsAt,
        attendanceWithdrawn,
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        invalidatedAt: new Date(startsAt.getTime() + hoursLater * HOUR),
      });
    await produce(enrollmentEvents.CheckInInvalidated, enrollment, invalidated(false, 2));
    expect(await settled(person, 1)).toEqual([[`attendance:${enrollment}`, 1, 100, 'awarded', 60]]);

    await produce(enrollmentEvents.CheckInInvalidated, enrollment, invalidated(true, 3));

    expect(await settled(person, 2)).toEqual([
      [`attendance:${enrollment}`, 1, 100, 'awarded', 60],
      [`attendance:${enrollment}`, 2, -100, 'source_withdrawn', -60],
    ]);
  });

  const sessionAttended = (
    participantId: string,
    attendanceId: string,
    startsAt: Date,
    minutes: number,
  ): activities.TrainingSessionAttended =>
    activities.TrainingSessionAttended.fromPartial({
      attendanceId,
      classId: 'class-1',
      sessionId: attendanceId.split(':')[1] ?? '',
      enrollmentId: attendanceId.split(':')[0] ?? '',
      participantId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      learningMinutes: minutes,
      checkedInAt: startsAt,
      classTitle: '农村实用技术培训班',
      categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
      programmeMinutes: minutes,
    });

  it('when a training session is attended, then its minutes are credited once, a duplicate changing nothing', async () => {
    const person = await registeredPerson('孙丽');
    const enrollment = `e-${randomUUID()}`;
    const first = sessionAttended(person, `${enrollment}:s1`, cityTime('2026-04-14T19:00'), 120);
    const id = await produce(activityEvents.TrainingSessionAttended, person, first);
    expect(await settled(person, 1)).toEqual([
      [`training-session:${enrollment}:s1`, 1, 200, 'awarded', 120],
    ]);

    // Redelivered, and the same attendance under a new event id; then the next session on the same key.
    await produce(activityEvents.TrainingSessionAttended, person, first, id);
    await produce(activityEvents.TrainingSessionAttended, person, first);
    await produce(
      activityEvents.TrainingSessionAttended,
      person,
      sessionAttended(person, `${enrollment}:s2`, cityTime('2026-04-21T19:00'), 90),
    );
    expect(await settled(person, 2)).toEqual([
      [`training-session:${enrollment}:s1`, 1, 200, 'awarded', 120],
      [`training-session:${enrollment}:s2`, 1, 150, 'awarded', 90],
    ]);
    const [entry] = await entriesOf(person);
    expect(entry).toMatchObject({
      source: 'training_attended',
      occurredAt: cityTime('2026-04-14T19:00'),
      category: 'science_culture_skills',
      tier: 'ordinary_citizen',
      title: '农村实用技术培训班',
    });
  });

  it('when a training programme is completed, then the completion is credited once, with no minutes', async () => {
    const person = await registeredPerson('周敏');
    const completionId = `c-${randomUUID()}`;
    const completed = activities.TrainingCompleted.fromPartial({
      completionId,
      participantId: person,
      classId: 'class-1',
      year: 2026,
      learningMinutes: 2400,
      certificateCode: 'TC-TEST',
      completedAt: cityTime('2026-05-20T21:00'),
      programmeTitle: '十万农村劳动力素质培训工程',
    });
    const id = await produce(activityEvents.TrainingCompleted, person, completed);
    expect(await settled(person, 1)).toEqual([
      [`training-completion:${completionId}`, 1, 1000, 'awarded', 0],
    ]);
    await produce(activityEvents.TrainingCompleted, person, completed, id);
    await produce(activityEvents.TrainingCompleted, person, completed);
    // A later session on the same key: once it is credited, the duplicates before it were handled.
    await produce(
      activityEvents.TrainingSessionAttended,
      person,
      sessionAttended(person, `e-${randomUUID()}:s1`, cityTime('2026-05-27T19:00'), 60),
    );
    const entries = await settled(person, 2);
    expect(
      entries.filter(([sourceId]) => sourceId === `training-completion:${completionId}`),
    ).toEqual([[`training-completion:${completionId}`, 1, 1000, 'awarded', 0]]);
    const [entry] = await entriesOf(person);
    expect(entry).toMatchObject({
      source: 'training_completed',
      title: '十万农村劳动力素质培训工程',
    });
  });

  it('when registration records or withdraws a training class’s attendance, then nothing is credited: the sessions are', async () => {
    const person = `p-${randomUUID()}`;
    const enrollment = `e-${randomUUID()}`;
    const startsAt = cityTime('2026-04-15T19:00');
    const classAttendance = {
      ...attendance(person, enrollment, startsAt, 60 * 24 * 28),
      event: { owner: 'training', eventId: `class-${enrollment}` },
    };
    await produce(enrollmentEvents.AttendanceRecorded, enrollment, classAttendance);
    await produce(enrollmentEvents.AttendanceWithdrawn, enrollment, {
      ...withdrawnEvent(person, enrollment, startsAt, new Date(startsAt.getTime() + HOUR)),
      event: { owner: 'training', eventId: `class-${enrollment}` },
    });
    // A lecture's attendance on the same key: once it is credited, the class's events were handled.
    const lecture = `e-${randomUUID()}`;
    await produce(
      enrollmentEvents.AttendanceRecorded,
      enrollment,
      attendance(person, lecture, cityTime('2026-04-16T09:00'), 60),
    );
    expect(await settled(person, 1)).toEqual([[`attendance:${lecture}`, 1, 100, 'awarded', 60]]);
    expect(await facts.exists({ sourceId: `attendance:${enrollment}` })).toBeNull();
  });
});
