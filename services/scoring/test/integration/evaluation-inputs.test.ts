/**
 * Staleness through real events: credit entries, an enterprise's training
 * report, a library reaching the standard and a recognition, produced to
 * Kafka as their owners' relays publish them, mark exactly the current
 * provisional assessments of the subjects and year they concern.
 */
import { activityEvents, creditEvents, organizationEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, type EventDefinition } from '@learning/events';
import { activities, registration, scoring } from '@learning/proto';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  assessmentModel,
  type AssessmentDocument,
} from '../../src/adapters/mongo/evaluation-models.js';
import { useScoringStack } from '../support/stack.js';

const YEAR = 2026;
const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T3 = '330281003000';
const T3_V1 = '330281003001';

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring evaluation inputs', (servers) => {
  const database = uniqueName('scoring-eval-inputs');
  const stack = useScoringStack(servers, { scoringEnvironment: { MONGODB_DATABASE: database } });
  let connection: Connection;
  let assessments: Model<AssessmentDocument>;
  let producer: Producer;
  const id = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;
  const orgs = {
    a: id('org-a'),
    b: id('org-b'),
    c: id('org-c'),
    e: id('org-e'),
    f: id('org-f'),
  };

  const assessment = (
    subjectKind: 'organization' | 'area',
    subjectId: string,
    overrides: Partial<AssessmentDocument> = {},
  ): AssessmentDocument => ({
    _id: randomUUID(),
    year: YEAR,
    subjectKind,
    subjectId,
    sequence: 1,
    subjectName: subjectId,
    organizationKind: subjectKind === 'area' ? null : 'enterprise',
    leadDepartment: null,
    jurisdictionPath: [CITY],
    systemId: 'system-1',
    systemVersion: 1,
    status: 'provisional',
    score: 6000,
    passMark: 6000,
    passed: true,
    indicators: [],
    inputsDigest: 'digest',
    revision: 1,
    stale: false,
    computedAt: new Date(),
    appeal: null,
    lockedAt: null,
    lockedBy: null,
    correctsId: null,
    correctedById: null,
    correctionReason: null,
    outbox: [],
    ...overrides,
  });

  async function produce<T>(definition: EventDefinition<T>, key: string, data: T): Promise<void> {
    const event = toCloudEvent(newEvent(definition, key, data), '/learning/test');
    await producer.send({
      topic: definition.topic.name,
      messages: [{ ...toKafkaMessage(event), key }],
    });
  }

  const staleOf = async (subjectId: string, year = YEAR): Promise<boolean[]> =>
    (
      await assessments.find({ subjectId, year }).sort({ sequence: 1 }).lean<AssessmentDocument[]>()
    ).map((doc) => doc.stale);

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    assessments = assessmentModel(connection);
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const correction = randomUUID();
    await assessments.insertMany([
      assessment('organization', orgs.a),
      assessment('organization', orgs.a, { year: YEAR - 1 }),
      // B's first result was locked and corrected: only the correction follows the data.
      assessment('organization', orgs.b, {
        status: 'locked',
        lockedAt: new Date(),
        lockedBy: 'office',
        correctedById: correction,
      }),
      assessment('organization', orgs.b, { _id: correction, sequence: 2 }),
      assessment('organization', orgs.c, { status: 'under_appeal' }),
      assessment('organization', orgs.e),
      assessment('organization', orgs.f),
      assessment('area', T1),
      assessment('area', T2),
      assessment('area', T3),
    ]);
  });

  afterAll(async () => {
    await producer.disconnect();
    await connection.close();
  });

  it('when figures change through events, duplicated, then the concerned current provisional assessments of the year are stale, and locked, corrected, appealed, other years and other areas are not', async () => {
    const person = randomUUID();
    const credit = scoring.CreditEntry.fromPartial({
      entryId: randomUUID(),
      holderKind: scoring.HolderKind.HOLDER_KIND_PERSON,
      holderId: person,
      ruleId: 'rule-1',
      ruleVersion: 1,
      sourceId: 'activity-1',
      amount: '2',
      year: YEAR,
      jurisdictionPath: [CITY, T1, T1_V1],
      organizationIds: [orgs.a, orgs.b, orgs.c],
    });
    await produce(creditEvents.CreditsAwarded, person, credit);
    await produce(creditEvents.CreditsAwarded, person, credit);
    await produce(
      activityEvents.EnterpriseTrainingReported,
      orgs.e,
      activities.EnterpriseTrainingReported.fromPartial({
        reportId: randomUUID(),
        organizationId: orgs.e,
        year: YEAR,
        trainees: 10,
        trainingMinutes: 600,
        spendYuan: '5000',
        revision: 1,
        reportedAt: new Date(`${YEAR}-06-01T02:00:00Z`),
      }),
    );
    await produce(
      activityEvents.LibraryStandardReached,
      'library-1',
      activities.LibraryStandardReached.fromPartial({
        libraryId: 'library-1',
        holdings: 200,
        standard: 200,
        reachedAt: new Date(`${YEAR}-07-01T02:00:00Z`),
        jurisdictionPath: [CITY, T3, T3_V1],
      }),
    );
    await produce(
      organizationEvents.organizationRecognized,
      orgs.f,
      registration.OrganizationDecided.fromPartial({
        organizationId: orgs.f,
        routing: { jurisdictionPath: [CITY, T3, T3_V1], leadDepartment: 'jingmao-ju' },
        fromStatus: registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW,
        toStatus: registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
        decidedBy: 'office',
        decidedAt: new Date(`${YEAR}-08-01T02:00:00Z`),
      }),
    );

    await eventually('the concerned assessments to be stale', async () => {
      for (const subject of [orgs.a, orgs.e, orgs.f, T1, T3])
        if (!(await staleOf(subject)).includes(true)) return undefined;
      return (await staleOf(orgs.b)).includes(true) ? true : undefined;
    });

    expect(await staleOf(orgs.a)).toEqual([true]);
    expect(await staleOf(orgs.a, YEAR - 1)).toEqual([false]);
    expect(await staleOf(orgs.b)).toEqual([false, true]);
    expect(await staleOf(orgs.c)).toEqual([false]);
    expect(await staleOf(orgs.e)).toEqual([true]);
    expect(await staleOf(orgs.f)).toEqual([true]);
    expect(await staleOf(T1)).toEqual([true]);
    expect(await staleOf(T2)).toEqual([false]);
    expect(await staleOf(T3)).toEqual([true]);
    expect(
      stack.scoring.logs.lines.some((line) => line['msg'] === 'assessments marked stale'),
    ).toBe(true);
  });
});
