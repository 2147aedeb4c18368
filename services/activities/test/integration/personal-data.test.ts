/**
 * A person's rights over what activities holds (decision 0022), through the
 * real adapters beside a real registration: their data seeded through the
 * service's routes and registration's events; their copy over gRPC, for
 * registration only; erasure from the request on Kafka, completed once with
 * its tallies and leaving nothing that names them; a late check-in dropped;
 * the retention sweeps of a replica whose clock has moved on; and every
 * collection either declared or listed as holding no personal data.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { enrollmentEvents, privacyEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { privacy } from '@learning/proto';
import { serviceToken, useServiceApp } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  residentIdNumber,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { ownCompletions } from '@learning/privacy/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, mongo, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activitiesService } from '../../src/app.js';
import { loadActivitiesConfig } from '../../src/config.js';
import { CITY, T1, T1_V1, T1_V2 } from '../support/activities.js';
import { replicaEnvironment, useActivitiesStack } from '../support/stack.js';

const DAY = 86_400_000;
const DEPARTMENT = 'jiaoyu-ju';
const LEAD = 'renshe-ju';
const FILES = 'contestAttachments';

/**
 * Every collection the service writes, each either declared as personal data
 * (its kinds) or said not to hold any, and why. A new collection fails the
 * guard test below until it is put in one of the two.
 */
const DECLARED: Record<string, readonly string[]> = {
  contestEntries: ['contest-entries', 'contest-judging'],
  // The judges' panel and the published results' entrants.
  contests: ['contest-judging', 'contest-entries'],
  [`${FILES}.files`]: ['contest-files'],
  [`${FILES}.chunks`]: ['contest-files'],
  network_places: ['library-keeper'],
  training_trainees: ['training-records'],
  training_certificates: ['training-certificates'],
};
const WITHOUT_PERSONAL_DATA: Record<string, string> = {
  activities:
    'attendance as registration’s enrollment ids only; createdBy/cancelledBy name the officer acting for the office',
  venues: 'places; createdBy is the officer acting for the office',
  campaigns: 'plans; createdBy/launchedBy/closedBy are officers acting for the office',
  campaign_lecture_sessions: 'lectures’ sessions and their attendance counts',
  network_pairings: 'an enterprise and a library; createdBy is the officer acting for the office',
  network_reported_gaps: 'gaps of places and pairings, by their ids',
  training_programmes: 'plans and quotas per township',
  training_classes:
    'classes; trainers are named as the organizer typed them or as lectures’ expert pool has them, never by participant id',
  training_enterprise_reports:
    'an enterprise’s yearly figures; reportedBy is its admin acting for it',
  audit_log:
    'who changed what, kept as the classified-protection rules require and swept after AUDIT_RETENTION_DAYS',
  inbox: 'ids of events already handled',
  outbox_leases: 'which replica publishes an outbox',
  privacy_erasures:
    'the erasure log: ids of erased participants, so late events about them are dropped',
};

/** Two hours on a spring morning of 2026 (China time). */
const SESSION = {
  id: 's1',
  start: new Date(Date.UTC(2026, 2, 2, 1, 0)),
  end: new Date(Date.UTC(2026, 2, 2, 3, 0)),
  topic: '第一课',
};

describeWithServers(['mongo', 'kafka', 'redis'], 'personal data in activities', (servers) => {
  const stack = useActivitiesStack(servers);
  let connection: Connection;
  let producer: Producer;
  let watch: TopicWatch;
  let personalData: GrpcClient<typeof privacy.PersonalDataServiceService>;
  let asScoring: GrpcClient<typeof privacy.PersonalDataServiceService>;
  const tokens = {} as Record<'person' | 'other' | 'department' | 'judge' | 'admin', string>;
  const subject = `person-${randomUUID()}`;
  const otherSubject = `other-${randomUUID()}`;
  const judgeSubject = `judge-${randomUUID()}`;
  let participantId = '';
  let otherParticipantId = '';
  const programmeId = randomUUID();
  const classId = randomUUID();
  const requestId = randomUUID();
  const contests = {} as Record<'open' | 'entered' | 'judged', string>;
  let libraryId = '';
  let certificateCode = '';

  const activities = (method: string, path: string, token: string | null, body?: unknown) =>
    stack.activities.send(method, path, token, body);
  const ok = async (response: Response, status = 200): Promise<Record<string, unknown>> => {
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(status);
    return body;
  };

  async function register(token: string, name: string, serial: number): Promise<string> {
    const response = await stack.registration.send('POST', '/v1/participants', token, {
      name,
      tier: 'ordinary_citizen',
      homeJurisdiction: T1_V2,
      idNumber: residentIdNumber('19800101', serial),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    return (await ok(response, 201))['id'] as string;
  }

  async function createContest(judges: string[]): Promise<string> {
    const body = await ok(
      await activities('POST', '/v1/contests', tokens.department, {
        title: `书信大赛 ${randomUUID().slice(0, 6)}`,
        description: '给远方亲人的一封信',
        organizer: { kind: 'department', id: DEPARTMENT },
        jurisdictionCode: T1,
        entryWindow: {
          opensAt: new Date(Date.now() - 60 * 60_000).toISOString(),
          closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
        },
        ageBand: { min: 0, max: 120 },
        rubric: [{ id: 'content', name: '内容', weight: 1, maxPoints: 10 }],
        judgesPerEntry: 1,
        judges: judges.map((judgeId) => ({ judgeId, organizations: [] })),
      }),
      201,
    );
    return body['id'] as string;
  }

  const enter = async (contestId: string, token: string, fileRef?: string) =>
    ok(
      await activities('POST', `/v1/contests/${contestId}/entries`, token, {
        text: '亲爱的爷爷：您好！这是我的信。',
        ...(fileRef === undefined ? {} : { fileRef }),
      }),
      201,
    );

  async function upload(contestId: string, bytes: string): Promise<string> {
    const response = await stack.activities.send(
      'POST',
      `/v1/contests/${contestId}/attachments?fileName=${encodeURIComponent('信.pdf')}`,
      tokens.person,
      new TextEncoder().encode(bytes),
      { contentType: 'application/pdf' },
    );
    return (await ok(response, 201))['fileRef'] as string;
  }

  /** Closes entries, assigns the panel, has `judge` score every entry and publishes the results. */
  async function judgeAndPublish(contestId: string, judge: string) {
    for (const step of ['close-entries', 'assign-judges'])
      await ok(await activities('POST', `/v1/contests/${contestId}:${step}`, tokens.department));
    const entries = await ok(
      await activities('GET', `/v1/contests/${contestId}/entries`, tokens.department),
    );
    for (const entry of entries['items'] as { id: string }[])
      await ok(
        await activities(
          'POST',
          `/v1/contests/${contestId}/entries/${entry.id}/scorecards`,
          judge,
          {
            points: { content: 8 },
          },
        ),
        201,
      );
    await ok(
      await activities('POST', `/v1/contests/${contestId}:publish-results`, tokens.department),
    );
  }

  const checkIn = (person: string, enrollmentId: string) =>
    toKafkaMessage(
      toCloudEvent(
        newEvent(enrollmentEvents.SessionCheckedIn, `training:${classId}`, {
          enrollmentId,
          event: { owner: 'training', eventId: classId },
          participantId: person,
          sessionId: SESSION.id,
          checkedInAt: new Date(),
        }),
        '/learning/registration',
      ),
    );

  const erasureRequest = () =>
    toKafkaMessage(
      toCloudEvent(
        newEvent(privacyEvents.erasureRequested, participantId, {
          requestId,
          participantId,
          requestedAt: new Date(),
          accountSubject: subject,
        }),
        '/learning/registration',
      ),
    );

  /** This app's completions: other test files' activities apps complete every request too. */
  const completionsOf = (id: string) =>
    ownCompletions(watch.messages, privacyEvents.activitiesErasureCompleted, id, connection);
  const completedOnce = (id: string, what: string) =>
    eventually(
      what,
      async () => {
        const found = await completionsOf(id);
        return found.length > 0 ? found : undefined;
      },
      30_000,
    );

  const exportOf = async (id: string) => {
    const response = await personalData.call.exportPersonalData({ participantId: id });
    return new Map(
      response.sections.map((section) => [
        section.kind,
        { ...section, records: JSON.parse(section.recordsJson) as Record<string, unknown>[] },
      ]),
    );
  };

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, { dbName: stack.database }).asPromise();
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    watch = await watchTopics(servers.kafka, [topics.privacyErasures.name]);
    const sign = (principal: Parameters<typeof stack.token>[0]) => stack.token(principal);
    tokens.person = await sign({ subject, roles: ['participant', 'expert'] });
    tokens.other = await sign({ subject: otherSubject, roles: ['participant'] });
    tokens.judge = await sign({ subject: judgeSubject, roles: ['expert'] });
    tokens.department = await sign({
      subject: 'jiaoyu-officer',
      roles: ['department_officer'],
      department: DEPARTMENT,
      cityWide: true,
    });
    tokens.admin = await sign({ subject: 'city-admin', roles: ['city_admin'], cityWide: true });
    const grpcOptions = (caller: string) => ({
      address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
      logger: captureLogger(`personal-data-${caller}`).logger,
      idempotentMethods: ['exportPersonalData', 'checkErasure'] as const,
    });
    const registrationToken = await serviceToken(stack.activities.issuer, 'registration');
    const scoringToken = await serviceToken(stack.activities.issuer, 'scoring');
    personalData = createGrpcClient(privacy.PersonalDataServiceClient, {
      ...grpcOptions('registration'),
      tokenProvider: () => registrationToken,
    });
    asScoring = createGrpcClient(privacy.PersonalDataServiceClient, {
      ...grpcOptions('scoring'),
      tokenProvider: () => scoringToken,
    });

    participantId = await register(tokens.person, '李小红', 612);
    otherParticipantId = await register(tokens.other, '赵大山', 613);

    // Contests: one still open with the person's entry, file and seat on the panel; one with
    // their entry ranked; one they judged.
    contests.open = await createContest([subject]);
    const used = await upload(contests.open, 'letter one');
    await upload(contests.open, 'a draft never sent');
    await enter(contests.open, tokens.person, used);
    contests.entered = await createContest([judgeSubject]);
    await enter(contests.entered, tokens.person);
    await enter(contests.entered, tokens.other);
    await judgeAndPublish(contests.entered, tokens.judge);
    contests.judged = await createContest([subject]);
    await enter(contests.judged, tokens.other);
    await judgeAndPublish(contests.judged, tokens.person);

    libraryId = (
      await ok(
        await activities('POST', '/v1/network/places', tokens.admin, {
          kind: 'farmhouse_library',
          name: '农家书屋',
          jurisdictionCode: T1_V1,
          keeper: { participantId, subject },
        }),
        201,
      )
    )['id'] as string;

    // Training: a launched programme of one two-hour session, completed by the person's check-in.
    const now = new Date();
    await connection.collection('training_programmes').insertOne({
      _id: programmeId as never,
      title: '农民素质培训',
      description: '',
      leadDepartment: LEAD,
      jurisdictionPath: [CITY],
      firstYear: 2026,
      lastYear: 2027,
      targetGroups: ['rural_labour'],
      categories: ['science_culture_skills'],
      requiredMinutes: 120,
      skillsTest: false,
      quotas: [],
      status: 'launched',
      enterpriseId: null,
      createdBy: 'lead',
      createdAt: now,
      updatedAt: now,
      launchedAt: now,
      version: 1,
      outbox: [],
    });
    await connection.collection('training_classes').insertOne({
      _id: classId as never,
      programmeId,
      leadDepartment: LEAD,
      title: '种植技术班',
      description: '',
      organizer: { kind: 'department', departmentCode: LEAD },
      jurisdictionPath: [CITY, T1],
      venueName: '镇成校',
      address: '',
      sessions: [SESSION],
      startsAt: SESSION.start,
      endsAt: SESSION.end,
      categories: ['science_culture_skills'],
      capacity: 30,
      targetGroups: ['rural_labour'],
      trainers: [],
      public: true,
      status: 'under_way',
      createdBy: 'lead',
      createdAt: now,
      updatedAt: now,
      publishedAt: now,
      version: 1,
      outbox: [],
    });
    await producer.send({
      topic: topics.registrationEnrollments.name,
      messages: [checkIn(participantId, randomUUID())],
    });
    certificateCode = await eventually(
      'the certificate',
      async () => {
        const found = await connection
          .collection('training_certificates')
          .findOne({ participantId });
        return found === null ? undefined : String(found._id);
      },
      30_000,
    );
  });

  afterAll(async () => {
    personalData.close();
    asScoring.close();
    await watch.stop();
    await producer.disconnect();
    await connection.close();
  });

  it('when registration asks for the person’s copy, then every kind comes with its texts and the person’s own records, unmasked', async () => {
    const sections = await exportOf(participantId);
    expect([...sections.keys()].sort()).toEqual([
      'contest-entries',
      'contest-files',
      'contest-judging',
      'library-keeper',
      'training-certificates',
      'training-records',
    ]);
    for (const section of sections.values()) {
      expect(section.title?.zhCn).not.toBe('');
      expect(section.title?.en).not.toBe('');
      expect(section.purpose?.en).not.toBe('');
      expect(section.retention?.zhCn).not.toBe('');
      expect(section.recordCount).toBe(String(section.records.length));
    }
    const entries = sections.get('contest-entries')?.records ?? [];
    expect(entries.map((entry) => entry['contestId']).sort()).toEqual(
      [contests.open, contests.entered].sort(),
    );
    expect(entries[0]).toMatchObject({ text: '亲爱的爷爷：您好！这是我的信。' });
    // Registration holds an ID number for the person: the verified birth date is theirs.
    expect(entries[0]?.['birthDate']).toBe('1980-01-01');
    expect(sections.get('contest-files')?.records).toHaveLength(2);
    const judging = sections.get('contest-judging')?.records ?? [];
    expect(judging.map((contest) => contest['contestId']).sort()).toEqual(
      [contests.open, contests.judged].sort(),
    );
    expect(
      judging.find((contest) => contest['contestId'] === contests.judged)?.['scorecards'],
    ).toHaveLength(1);
    expect(sections.get('library-keeper')?.records).toEqual([
      expect.objectContaining({ placeId: libraryId, name: '农家书屋', jurisdictionCode: T1_V1 }),
    ]);
    expect(sections.get('training-records')?.records).toEqual([
      expect.objectContaining({ programmeId, year: 2026, minutes: 120, certificateCode }),
    ]);
    expect(sections.get('training-certificates')?.records).toEqual([
      expect.objectContaining({ code: certificateCode, maskedName: '李*红', programmeId }),
    ]);

    // Someone with nothing here gets every section, empty.
    const stranger = await exportOf(randomUUID());
    expect([...stranger.values()].every((section) => section.records.length === 0)).toBe(true);
  });

  it('when anyone but registration asks, then PERMISSION_DENIED; a participant id that is not a UUID is INVALID_ARGUMENT', async () => {
    await expect(asScoring.call.exportPersonalData({ participantId })).rejects.toMatchObject({
      kind: 'permission_denied',
    });
    await expect(asScoring.call.checkErasure({ participantId })).rejects.toMatchObject({
      kind: 'permission_denied',
    });
    await expect(
      personalData.call.exportPersonalData({ participantId: 'not-an-id' }),
    ).rejects.toMatchObject({ kind: 'invalid_argument' });
    await expect(
      personalData.call.checkErasure({ participantId: participantId.toUpperCase() }),
    ).rejects.toMatchObject({ kind: 'invalid_argument' });
  });

  it('when erasure is checked, then the open contest the person entered and judges is explained in both languages', async () => {
    const { obligations } = await personalData.call.checkErasure({ participantId });
    expect(obligations.map((obligation) => obligation.code).sort()).toEqual([
      'CONTEST_ENTRY_AWAITING_RESULTS',
      'CONTEST_JUDGING_OPEN',
    ]);
    for (const obligation of obligations) {
      expect(obligation.explanation?.zhCn).toMatch(/书信大赛/);
      expect(obligation.explanation?.en).toMatch(/书信大赛/);
    }
    const none = await personalData.call.checkErasure({ participantId: otherParticipantId });
    expect(none.obligations).toEqual([]);
  });

  it('when the erasure request arrives, then activities completes it once with its tallies and nothing here names the person; delivered again, it changes nothing', async () => {
    await producer.send({ topic: topics.privacyErasures.name, messages: [erasureRequest()] });
    const [completion] = await completedOnce(requestId, 'the completion');
    if (completion === undefined) throw new Error('no completion that erased anything');
    expect(completion).toMatchObject({ requestId, participantId, service: 'activities' });
    const tally = (list: readonly privacy.ErasureTally[]) =>
      Object.fromEntries(list.map(({ kind, count }) => [kind, Number(count)]));
    expect(tally(completion.erased)).toEqual({
      'contest-entries': 2,
      'contest-files': 2,
      'contest-judging': 0,
      'library-keeper': 1,
      'training-records': 0,
      'training-certificates': 1,
    });
    // Pseudonymized: the ranked entry's result; the panels of two contests and the card on one entry; the trainee record.
    expect(tally(completion.kept)).toEqual({
      'contest-entries': 1,
      'contest-judging': 3,
      'training-records': 1,
    });
    for (const kept of completion.kept) expect(kept.reason).not.toBe('');

    const database = connection.db as mongo.Db;
    // What the person and the public see.
    for (const contestId of [contests.open, contests.entered]) {
      const mine = await activities('GET', `/v1/contests/${contestId}/entries/mine`, tokens.person);
      expect(mine.status).toBe(404);
    }
    const certificate = await activities(
      'GET',
      `/v1/public/training/certificates/${certificateCode}`,
      null,
    );
    expect(certificate.status).toBe(404);
    // Registration, told too, erases the person: to the APIs they are then nobody.
    const training = await eventually('the person unknown', async () => {
      const answer = await activities('GET', '/v1/me/training', tokens.person);
      return answer.status === 404 ? answer : undefined;
    });
    expect(((await training.json()) as { code: string }).code).toBe('TRAINING_PARTICIPANT_UNKNOWN');
    const library = await ok(
      await activities('GET', `/v1/network/places/${libraryId}`, tokens.admin),
    );
    expect(library['keeper']).toBeNull();
    const results = await ok(
      await activities('GET', `/v1/contests/${contests.entered}/results`, null),
    );
    // The ranks stay as published, the entrant's gone with the entry.
    expect(results['items']).toHaveLength(2);
    const ranked = await database
      .collection('contests')
      .findOne({ _id: contests.entered as never }, { projection: { results: 1 } });
    expect(
      (ranked?.['results'] as { participantId: string }[]).map((row) => row.participantId).sort(),
    ).toEqual(['erased', otherSubject]);

    // What the collections hold.
    const everything = async () => {
      const dump: Record<string, unknown[]> = {};
      for (const name of [...Object.keys(DECLARED)]) {
        dump[name] = await database
          .collection(name)
          .find({}, { projection: { outbox: 0, outboxSince: 0 } })
          .toArray();
      }
      return JSON.stringify(dump);
    };
    const after = await everything();
    expect(after).not.toContain(subject);
    expect(after).not.toContain(participantId);
    expect(after).not.toContain(certificateCode);
    expect(await database.collection('training_trainees').countDocuments({ programmeId })).toBe(1);
    const exported = await exportOf(participantId);
    expect([...exported.values()].every((section) => section.records.length === 0)).toBe(true);

    // The same request again: no second completion, nothing moves.
    await producer.send({ topic: topics.privacyErasures.name, messages: [erasureRequest()] });
    const versions = async () =>
      JSON.stringify(
        await database
          .collection('contests')
          .find({ _id: { $in: Object.values(contests) } as never }, { projection: { version: 1 } })
          .toArray(),
      );
    const before = await versions();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await completionsOf(requestId)).toHaveLength(1);
    expect(await everything()).toBe(after);
    expect(await versions()).toBe(before);
  });

  it('when a check-in of the erased person arrives late, then it is dropped while the next person’s counts', async () => {
    await producer.send({
      topic: topics.registrationEnrollments.name,
      messages: [checkIn(participantId, randomUUID()), checkIn(otherParticipantId, randomUUID())],
    });
    const trainees = connection.collection('training_trainees');
    await eventually(
      'the other person counted',
      async () =>
        (await trainees.countDocuments({ participantId: otherParticipantId })) === 1
          ? true
          : undefined,
      30_000,
    );
    expect(await trainees.countDocuments({ participantId })).toBe(0);
    expect(await trainees.countDocuments({ programmeId })).toBe(2);
  });

  it('when every collection the service wrote is listed, then each is declared as personal data or said to hold none', async () => {
    const names = (await (connection.db as mongo.Db).listCollections().toArray()).map(
      (collection) => collection.name,
    );
    const unclassified = names.filter(
      (name) => !(name in DECLARED) && !(name in WITHOUT_PERSONAL_DATA),
    );
    expect(unclassified).toEqual([]);
    // Both lists name collections the service does write, and the declared kinds are the exported ones.
    expect(names).toEqual(expect.arrayContaining(Object.keys(DECLARED)));
    const exported = await exportOf(participantId);
    expect([...new Set(Object.values(DECLARED).flat())].sort()).toEqual(
      [...exported.keys()].sort(),
    );
  });

  describe('retention', () => {
    /** The replica's clock: a day years on, its sweeps running at start for that day's midnight (UTC). */
    const movedClock = new Date('2033-06-15T09:30:00Z');
    const tickAt = new Date('2033-06-15T00:00:00Z').getTime();
    const database = uniqueName('activities-retention');
    const ago = (days: number, offsetMs = 0) => new Date(tickAt - days * DAY + offsetMs);
    let seeded: Connection;
    const ids = {
      oldEntry: randomUUID(),
      youngEntry: randomUUID(),
      oldContest: randomUUID(),
    };
    const files = {} as Record<'oldUnused' | 'youngUnused' | 'oldUsed' | 'oldEntryFile', string>;

    async function putFile(owner: string, uploadedAt: Date): Promise<string> {
      const bucket = new mongo.GridFSBucket(seeded.db as mongo.Db, { bucketName: FILES });
      const stream = bucket.openUploadStream('信.pdf', {
        metadata: {
          contestId: ids.oldContest,
          ownerId: owner,
          contentType: 'application/pdf',
          sha256: randomUUID(),
        },
      });
      await pipeline(Readable.from([Buffer.from(randomUUID())]), stream);
      await seeded
        .collection(`${FILES}.files`)
        .updateOne({ _id: stream.id }, { $set: { uploadDate: uploadedAt } });
      return stream.id.toHexString();
    }

    const entry = (id: string, submittedAt: Date, fileRef: string) => ({
      _id: id as never,
      contestId: ids.oldContest,
      participantId: `entrant-${id}`,
      jurisdictionPath: [CITY, T1],
      organizationId: null,
      birthDate: '2015-05-01',
      text: '信',
      attachment: {
        fileRef,
        fileName: '信.pdf',
        contentType: 'application/pdf',
        sizeBytes: 36,
        sha256: 'x',
      },
      judges: [],
      scorecards: [],
      submittedAt,
      updatedAt: submittedAt,
      version: 1,
      outbox: [],
    });

    const trainee = (participant: string, year: number) => ({
      _id: `${programmeId}:${participant}:${year}` as never,
      programmeId,
      participantId: participant,
      year,
      townshipCode: T1,
      jurisdictionPath: [CITY, T1, T1_V2],
      targetGroups: ['rural_labour'],
      minutes: 120,
      attendanceIds: [`${randomUUID()}:s1`],
      classIds: [classId],
      firstAttendedAt: new Date(Date.UTC(year, 2, 2)),
      trainedMonth: `${year}-03`,
      testPassed: null,
      skillsTest: null,
      completedAt: new Date(Date.UTC(year, 2, 2)),
      completedClassId: classId,
      completedMonth: `${year}-03`,
      certificateCode: `TC-${participant}`,
      version: 1,
      outbox: [],
    });

    const certificate = (code: string, completedAt: Date) => ({
      _id: code as never,
      participantId: randomUUID(),
      programmeId,
      programmeTitle: '农民素质培训',
      leadDepartment: LEAD,
      classId,
      classTitle: '种植技术班',
      year: completedAt.getUTCFullYear(),
      minutes: 120,
      completedAt,
      maskedName: '王*',
    });

    // The cut-offs at the defaults: entries 1095 days, unused uploads 30, training records 1825
    // (by the year's end), certificates 1825.
    const oldTrainee = randomUUID();
    const youngTrainee = randomUUID();
    const cutoffYear = new Date(tickAt - 1825 * DAY).getUTCFullYear();

    beforeAll(async () => {
      seeded = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
      files.oldUnused = await putFile('someone', ago(30, -1));
      files.youngUnused = await putFile('someone', ago(30, 1));
      files.oldUsed = await putFile('someone', ago(31));
      files.oldEntryFile = await putFile('someone', ago(1200));
      await seeded
        .collection('contestEntries')
        .insertMany([
          entry(ids.oldEntry, ago(1095, -1), files.oldEntryFile),
          entry(ids.youngEntry, ago(1095, 1), files.oldUsed),
        ]);
      await seeded.collection('contests').insertOne({
        _id: ids.oldContest as never,
        title: '旧大赛',
        status: 'results_published',
        version: 3,
        results: [
          {
            entryId: ids.oldEntry,
            participantId: `entrant-${ids.oldEntry}`,
            rank: 1,
            average: 9,
            scorecards: 1,
          },
          {
            entryId: ids.youngEntry,
            participantId: `entrant-${ids.youngEntry}`,
            rank: 2,
            average: 8,
            scorecards: 1,
          },
        ],
      });
      await seeded
        .collection('training_trainees')
        .insertMany([trainee(oldTrainee, cutoffYear - 1), trainee(youngTrainee, cutoffYear)]);
      await seeded
        .collection('training_certificates')
        .insertMany([certificate('TC-OLD', ago(1825, -1)), certificate('TC-YOUNG', ago(1825, 1))]);
    });
    afterAll(async () => {
      await seeded.close();
    });

    const replica = useServiceApp(activitiesService, servers, {
      loadConfig: loadActivitiesConfig,
      clock: () => movedClock,
      environment: (issuer) => replicaEnvironment(stack, issuer, { MONGODB_DATABASE: database }),
    });

    it('when a replica’s clock has moved on, then its sweeps remove or pseudonymize exactly what is older than each kind’s period, and count it', async () => {
      await eventually(
        'the sweeps done',
        async () =>
          (await seeded
            .collection('training_certificates')
            .countDocuments({ _id: 'TC-OLD' as never })) === 0
            ? true
            : undefined,
        30_000,
      );
      const entries = await seeded.collection('contestEntries').find().toArray();
      expect(entries.map((doc) => doc._id)).toEqual([ids.youngEntry]);
      const fileIds = (await seeded.collection(`${FILES}.files`).find().toArray())
        .map((file) => String(file._id))
        .sort();
      expect(fileIds).toEqual([files.youngUnused, files.oldUsed].sort());
      const contest = await seeded.collection('contests').findOne({ _id: ids.oldContest as never });
      expect(contest?.['results']).toEqual([
        expect.objectContaining({ entryId: ids.oldEntry, participantId: 'erased', rank: 1 }),
        expect.objectContaining({
          entryId: ids.youngEntry,
          participantId: `entrant-${ids.youngEntry}`,
        }),
      ]);
      const trainees = await seeded.collection('training_trainees').find().toArray();
      expect(trainees).toHaveLength(2);
      expect(trainees.filter((doc) => doc['participantId'] === youngTrainee)).toHaveLength(1);
      const pseudonymized = trainees.find((doc) => doc['participantId'] !== youngTrainee);
      expect(pseudonymized).toMatchObject({
        _id: expect.stringMatching(/^[0-9a-f-]{36}:erased-[0-9a-f]{32}:\d{4}$/) as unknown,
        participantId: expect.stringMatching(/^erased-[0-9a-f]{32}$/) as unknown,
        year: cutoffYear - 1,
        townshipCode: T1,
        minutes: 120,
        attendanceIds: [],
        certificateCode: null,
      });
      expect(
        (await seeded.collection('training_certificates').find().toArray()).map((doc) => doc._id),
      ).toEqual(['TC-YOUNG']);

      const metrics = await (await replica.send('GET', '/metrics', null)).text();
      for (const [kind, count] of [
        ['contest-entries', 1],
        // An old upload never used, and the old entry's file once the entry is gone; one in use stays.
        ['contest-files', 2],
        ['training-records', 1],
        ['training-certificates', 1],
      ] as const)
        expect(metrics).toContain(`privacy_retention_removed_total{kind="${kind}"} ${count}`);
    });
  });
});
