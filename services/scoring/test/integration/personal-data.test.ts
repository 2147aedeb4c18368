/**
 * A person's rights over what scoring holds (issue 18, decision 0022), end
 * to end on the real adapters: a person earns credits from attendances
 * produced to Kafka as registration's relay publishes them, exports their
 * record, is nominated and awarded with a published case; their consents
 * change by registration's events (a reordered older one undoing nothing);
 * registration's service token gets their copy over gRPC; an erasure request
 * on Kafka erases or pseudonymizes it all, completed once however often it
 * is delivered; late events about them are dropped; the retention sweeps run
 * on an app whose clock is years ahead; and a guard holds every collection to
 * the declaration.
 */
import { participantEvents, privacyEvents } from '@learning/contracts';
import { enrollmentEvents } from '@learning/contracts';
import {
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  type EventDefinition,
} from '@learning/events';
import { createGrpcClient } from '@learning/grpc';
import { common, privacy, registration } from '@learning/proto';
import { type RunningApp, serviceToken, useServiceApp } from '@learning/runtime/testing';
import { ownCompletions } from '@learning/privacy/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awardModel,
  awardRoundModel,
  caseModel,
  nominationModel,
} from '../../src/adapters/mongo/awards-models.js';
import { certificateModel } from '../../src/adapters/mongo/certificates.js';
import { consentModel } from '../../src/adapters/mongo/consents.js';
import { factModel } from '../../src/adapters/mongo/facts.js';
import { ledgerEntryModel, type LedgerEntryDocument } from '../../src/adapters/mongo/ledger.js';
import { ruleModel } from '../../src/adapters/mongo/rules.js';
import { scoringService } from '../../src/app.js';
import { loadScoringConfig } from '../../src/config.js';
import type { Platform } from '../../src/platform.js';
import { registerParticipant } from '../support/participants.js';
import { refusal, replySender } from '../support/replies.js';
import { useScoringStack } from '../support/stack.js';

const YEAR = 2026;
const DAY = 86_400_000;
const cityTime = (local: string): Date => new Date(`${local}:00+08:00`);

/**
 * Every collection scoring writes, by what it holds. Declared: holds data
 * about a person, each under the kind of the privacy declaration named here.
 */
const DECLARED: Readonly<Record<string, string>> = {
  facts: 'credit-sources',
  ledger: 'credits',
  certificates: 'certificates',
  award_nominations: 'nominations',
  awards: 'awards',
  award_cases: 'exemplary-cases',
  consents: 'consents',
};
/** Collections without personal data, each with why. */
const WITHOUT_PERSONAL_DATA: Readonly<Record<string, string>> = {
  rules: 'the office’s credit rules; createdBy are officers’ account subjects acting in office',
  indicator_systems: 'the office’s indicator systems',
  assessments:
    'organizations’ and areas’ scores; appeals are filed by organizations’ officers in office',
  inspections: 'inspections of organizations and areas by officers in office',
  funding_lines: 'the city’s budget lines',
  funding_receipts:
    'sponsorships and donations: donors named as they agreed, never a participant id',
  enterprise_training_reports: 'enterprises’ yearly training figures',
  award_rounds: 'the office’s award rounds',
  privacy_erasures: 'the kit’s record of completed erasures: a random participant id, no data',
  audit_log: 'the audit log: ids and actions, never names; kept AUDIT_RETENTION_DAYS',
  inbox: 'event ids each consumer group applied',
  outbox_leases: 'which replica relays which outbox',
};
/** Schema paths naming a person (a participant id, a holder or nominee). */
const PERSON_PATH = /participant|holder|nominee/i;

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'scoring: personal-information rights',
  (servers) => {
    const database = uniqueName('scoring-privacy');
    let platform: Platform | undefined;
    const stack = useScoringStack(servers, {
      // Public pages cached for a second only: the test reads them before and after each change.
      scoringEnvironment: { MONGODB_DATABASE: database, PUBLIC_CACHE_TTL_MS: '1000' },
      // The app's platform, for the guard to list the models it registered.
      modules: (modules) => [
        ...modules,
        (running) => {
          platform = running;
        },
      ],
    });
    const [city, township, village] = stack.tree.slice(0, 3).map((node) => node.code) as [
      string,
      string,
      string,
    ];
    const send = replySender(stack.scoring);
    let db: Connection;
    let producer: Producer;
    let erasures: TopicWatch;
    let office: string;
    let person: string;
    let personToken: string;
    let other: string;
    let verificationCode: string;
    let caseId: string;
    let roundId: string;
    const awardId = randomUUID();
    const awardedNomination = randomUUID();

    /** Produces an event as its owner's relay does (`registration`, keyed by the participant); returns its id. */
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

    const attendance = (participantId: string, startsAt: Date, minutes: number) =>
      registration.AttendanceRecorded.fromPartial({
        enrollmentId: randomUUID(),
        event: { owner: 'lectures', eventId: randomUUID() },
        participantId,
        basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
        attendedAt: new Date(startsAt.getTime() + minutes * 60_000),
        attendee: {
          tier: common.Tier.TIER_ORDINARY_CITIZEN,
          jurisdictionPath: [city, township, village],
          organizationIds: [],
        },
        attendedEvent: {
          title: '玉海大讲坛 · 宋韵文化',
          categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
          startsAt,
          endsAt: new Date(startsAt.getTime() + minutes * 60_000),
          learningMinutes: minutes,
        },
      });

    const consentChange = (
      participantId: string,
      purpose: registration.ConsentPurpose,
      given: boolean,
      version: number,
    ) =>
      produce(
        participantEvents.participantConsentChanged,
        participantId,
        registration.ParticipantConsentChanged.fromPartial({
          participantId,
          purpose,
          given,
          textVersion: '2026-12',
          changedAt: new Date(),
          changedBy: `account-${participantId}`,
          version: String(version),
        }),
      );

    const ledgerOf = (holderId: string) =>
      ledgerEntryModel(db).find({ holderId }).sort({ occurredAt: 1 }).lean<LedgerEntryDocument[]>();

    const board = async () =>
      (await send('GET', `/v1/public/leaderboards/persons-by-area/${village}?year=${YEAR}`, null))
        .body as { total: number; items: { name: string; credits: string }[] };

    const personalDataClient = (token: string) =>
      createGrpcClient(privacy.PersonalDataServiceClient, {
        address: `127.0.0.1:${stack.scoring.ports.grpcPort}`,
        logger: captureLogger('privacy-client').logger,
        deadlineMs: 10_000,
        idempotentMethods: [],
        tokenProvider: () => token,
      });

    /** This app's completions: other test files' scoring apps complete every request too. */
    const completionsOf = (requestId: string) =>
      ownCompletions(erasures.messages, privacyEvents.scoringErasureCompleted, requestId, db);
    const completedOnce = (requestId: string, what: string) =>
      eventually(what, async () => {
        const found = await completionsOf(requestId);
        return found.length > 0 ? found : undefined;
      });

    beforeAll(async () => {
      db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
      const kafka = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING });
      producer = kafka.producer();
      await producer.connect();
      erasures = await watchTopics(servers.kafka, [topics.privacyErasures.name]);
      office = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
      const account = `account-${randomUUID()}`;
      person = await registerParticipant(stack, account, '张晓明', village);
      personToken = await stack.token({ subject: account, roles: ['participant'] });
      other = await registerParticipant(stack, `account-${randomUUID()}`, '李华', village);
      await ruleModel(db).create({
        _id: 'lectures-hourly',
        kind: 'base',
        name: 'lectures',
        source: 'lecture_attended',
        categories: [],
        tiers: [],
        campaignId: null,
        versions: [
          {
            version: 1,
            effectiveFrom: `${YEAR}-01-01`,
            effectiveTo: null,
            basis: { kind: 'per_hour', credits: 100 },
            dailyCap: null,
            yearlyCap: null,
            bonusPercent: null,
            createdBy: 'office',
            createdAt: new Date(`${YEAR - 1}-12-01T00:00:00Z`),
          },
        ],
        firstYear: YEAR,
        lastYear: 9999,
        revision: 1,
        createdAt: new Date(`${YEAR - 1}-12-01T00:00:00Z`),
        updatedAt: new Date(`${YEAR - 1}-12-01T00:00:00Z`),
      });
    });

    afterAll(async () => {
      await erasures.stop();
      await producer.disconnect();
      await db.close();
    });

    it('when the person earns credits, exports their record, is nominated, awarded and published, then scoring holds it all', async () => {
      await produce(
        enrollmentEvents.AttendanceRecorded,
        person,
        attendance(person, cityTime(`${YEAR}-04-01T09:00`), 120),
      );
      await produce(
        enrollmentEvents.AttendanceRecorded,
        person,
        attendance(person, cityTime(`${YEAR}-05-01T09:00`), 60),
      );
      await produce(
        enrollmentEvents.AttendanceRecorded,
        other,
        attendance(other, cityTime(`${YEAR}-04-02T09:00`), 60),
      );
      await eventually('both persons on the village’s board', async () => {
        const standing = await board();
        return standing.total === 2 && standing.items[0]?.credits === '3' ? standing : undefined;
      });
      expect((await board()).items.map((item) => item.name)).toEqual(['张*明', '李*']);

      const exported = await stack.scoring.send(
        'GET',
        `/v1/me/record.csv?year=${YEAR}`,
        personToken,
      );
      expect(exported.status).toBe(200);
      verificationCode = exported.headers.get('verification-code') ?? '';
      expect((await send('GET', `/v1/public/verifications/${verificationCode}`, null)).status).toBe(
        200,
      );

      // An open round with the person nominated: what erasure would cut short.
      const round = await send('POST', '/v1/awards/rounds', office, {
        year: YEAR,
        category: 'exemplary_individual',
        title: `${String(YEAR)} 学习型社会建设先进个人`,
        nominationsClose: new Date(Date.now() + 8 * 3_600_000 + 7 * DAY).toISOString().slice(0, 10),
        places: 1,
        materialAwardYuan: '0',
      });
      expect(round.status, JSON.stringify(round.body)).toBe(201);
      roundId = round.body['id'] as string;
      const nominated = await send('POST', `/v1/awards/rounds/${roundId}/nominations`, office, {
        nomineeKind: 'person',
        nomineeId: person,
        statement: '十年坚持读书会，带动社区百余人学习。',
      });
      expect(nominated.status, JSON.stringify(nominated.body)).toBe(201);

      // An earlier round's award, as approval and publication leave it.
      const nominee = {
        kind: 'person' as const,
        id: person,
        name: '张晓明',
        organizationKind: null,
        leadDepartment: null,
        jurisdictionPath: [city, township, village],
        organizationIds: [],
      };
      const earlierRound = randomUUID();
      await nominationModel(db).create({
        _id: awardedNomination,
        roundId: earlierRound,
        nominee,
        statement: '热心公益读书活动。',
        evidence: {
          assessment: null,
          person: { credits: 300, minutes: 180, trainingCompletions: 0 },
        },
        nominatedBy: 'office',
        reviews: [
          { expertId: 'expert-1', score: 90, comment: '张晓明事迹突出', reviewedAt: new Date() },
        ],
        recusals: [],
        createdAt: new Date(),
      });
      await awardModel(db).create({
        _id: awardId,
        nominationId: awardedNomination,
        roundId: earlierRound,
        year: YEAR,
        category: 'exemplary_individual',
        organizationKind: null,
        nominee,
        place: 1,
        materialAwardFen: 0,
        fundingLineId: null,
        grantedBy: 'office',
        grantedAt: new Date(),
        publishedAt: new Date(),
        outbox: [],
      });
      const created = await send('POST', '/v1/cases', office, {
        awardId,
        title: '十年读书路',
        body: '张晓明坚持每周组织社区读书会……',
        images: [{ fileRef: 'file-store://cases/reading-club.jpg', caption: '读书会' }],
        consent: {
          given: true,
          by: person,
          recordedOn: `${YEAR}-12-01`,
          documentRef: 'file-store://consents/signed.pdf',
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      caseId = created.body['id'] as string;
      const published = await send('POST', `/v1/cases/${caseId}/publication`, office);
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      expect((await send('GET', `/v1/public/cases/${caseId}`, null)).status).toBe(200);
    });

    it('when the person withdraws publicity and employer sharing, then the case leaves the feed and the code stops verifying at once; an older event undoes nothing, a newer one restores', async () => {
      const { CONSENT_PURPOSE_PUBLICITY: publicity, CONSENT_PURPOSE_EMPLOYER_SHARING: sharing } =
        registration.ConsentPurpose;
      await consentChange(person, publicity, false, 5);
      await consentChange(person, sharing, false, 6);
      await eventually('the case withdrawn', async () =>
        (await send('GET', `/v1/cases/${caseId}`, office)).body['status'] === 'withdrawn'
          ? true
          : undefined,
      );
      // Within the second a replica keeps a hot page in memory.
      await eventually('the case out of the feed', async () =>
        refusal(await send('GET', `/v1/public/cases/${caseId}`, null)).code === 'CASE_NOT_FOUND'
          ? true
          : undefined,
      );
      await eventually('the code refused', async () =>
        refusal(await send('GET', `/v1/public/verifications/${verificationCode}`, null)).code ===
        'VERIFICATION_SHARING_WITHDRAWN'
          ? true
          : undefined,
      );

      // An older consent (version 4) arriving late, then a newer one of the other purpose on the same partition.
      await consentChange(person, sharing, true, 4);
      await consentChange(person, publicity, true, 7);
      await eventually('the newer publicity consent', async () =>
        (await consentModel(db).findById(`${person}:publicity`).lean())?.version === 7
          ? true
          : undefined,
      );
      expect(await consentModel(db).findById(`${person}:employer_sharing`).lean()).toMatchObject({
        given: false,
        version: 6,
      });
      expect(
        refusal(await send('GET', `/v1/public/verifications/${verificationCode}`, null)),
      ).toEqual({ status: 404, code: 'VERIFICATION_SHARING_WITHDRAWN' });
      // A withdrawn case stays withdrawn: the consent given again allows a new publication only.
      expect((await send('GET', `/v1/cases/${caseId}`, office)).body['status']).toBe('withdrawn');

      await consentChange(person, sharing, true, 8);
      await eventually('the code verifying again', async () =>
        (await send('GET', `/v1/public/verifications/${verificationCode}`, null)).status === 200
          ? true
          : undefined,
      );
    });

    it('when registration asks for the person’s data over gRPC, then every declared kind answers with its records; anyone else is PERMISSION_DENIED, a bad id INVALID_ARGUMENT', async () => {
      const client = personalDataClient(await serviceToken(stack.scoring.issuer, 'registration'));
      const stranger = personalDataClient(
        await serviceToken(stack.scoring.issuer, 'notifications'),
      );
      try {
        const answer = await client.call.exportPersonalData({ participantId: person });
        expect(answer.service).toBe('scoring');
        const sections = new Map(answer.sections.map((section) => [section.kind, section]));
        expect([...sections.keys()].sort()).toEqual(
          [...Object.values(DECLARED), 'leaderboard-standings'].sort(),
        );
        for (const section of answer.sections) {
          expect(section.title?.zhCn, section.kind).not.toBe('');
          expect(section.purpose?.en, section.kind).not.toBe('');
          expect(section.retention?.zhCn, section.kind).not.toBe('');
          expect(JSON.parse(section.recordsJson), section.kind).toHaveLength(
            Number(section.recordCount),
          );
        }
        const records = (kind: string) =>
          JSON.parse(sections.get(kind)?.recordsJson ?? '[]') as Record<string, unknown>[];
        expect(records('credit-sources')).toHaveLength(2);
        expect(records('credits').map((entry) => entry['amount'])).toEqual([200, 100]);
        expect(records('certificates')).toEqual([
          expect.objectContaining({ _id: verificationCode, participantId: person }),
        ]);
        expect(records('leaderboard-standings')).toContainEqual({
          year: YEAR,
          board: `year:persons-by-area:${village}`,
          credits: 3,
        });
        expect(records('nominations').map((nomination) => nomination['statement'])).toEqual(
          expect.arrayContaining(['十年坚持读书会，带动社区百余人学习。', '热心公益读书活动。']),
        );
        // The experts' comments about the person, not who the experts are.
        expect(JSON.stringify(records('nominations'))).not.toContain('expert-1');
        expect(records('awards')).toEqual([expect.objectContaining({ _id: awardId })]);
        expect(records('exemplary-cases')).toEqual([
          expect.objectContaining({ _id: caseId, body: '张晓明坚持每周组织社区读书会……' }),
        ]);
        expect(
          records('consents').map((consent) => [consent['purpose'], consent['version']]),
        ).toEqual([
          ['employer_sharing', 8],
          ['publicity', 7],
        ]);

        const check = await client.call.checkErasure({ participantId: person });
        expect(check.obligations).toEqual([
          expect.objectContaining({ code: 'AWARD_NOMINATION_PENDING' }),
        ]);
        expect(check.obligations[0]?.explanation?.zhCn).toContain('注销账户将撤回该提名');
        expect((await client.call.checkErasure({ participantId: other })).obligations).toEqual([]);

        await expect(
          stranger.call.exportPersonalData({ participantId: person }),
        ).rejects.toMatchObject({ kind: 'permission_denied', code: 'PERSONAL_DATA_CALLER_DENIED' });
        await expect(
          client.call.exportPersonalData({ participantId: 'not-an-id' }),
        ).rejects.toMatchObject({ kind: 'invalid_argument' });
      } finally {
        client.close();
        stranger.close();
      }
    });

    const requestId = randomUUID();
    let erasureEventId: string;
    let pseudonymized: LedgerEntryDocument[];

    it('when the person’s erasure is requested, then scoring completes it once with its tallies, and nothing about them is left but the ledger’s amounts, unlinked', async () => {
      const before = await ledgerOf(person);
      const otherBefore = await ledgerOf(other);
      erasureEventId = await produce(privacyEvents.erasureRequested, person, {
        requestId,
        participantId: person,
        requestedAt: new Date(),
        accountSubject: '',
      });
      const [completion] = await completedOnce(requestId, 'the completion');
      const tally = (list: readonly privacy.ErasureTally[] | undefined) =>
        Object.fromEntries((list ?? []).map(({ kind, count }) => [kind, Number(count)]));
      expect(completion?.service).toBe('scoring');
      expect(completion?.participantId).toBe(person);
      expect(tally(completion?.erased)).toEqual({
        'credit-sources': 2,
        credits: 0,
        certificates: 1,
        // The village's, township's and city's boards, and the tier's.
        'leaderboard-standings': 4,
        nominations: 1,
        awards: 0,
        'exemplary-cases': 1,
        consents: 2,
      });
      expect(tally(completion?.kept)).toEqual({ credits: 2, nominations: 1, awards: 1 });

      // The collections: nothing names the person; the ledger keeps its amounts, under one random id.
      expect(await factModel(db).countDocuments({ holderId: person })).toBe(0);
      expect(await ledgerOf(person)).toEqual([]);
      expect(
        await ledgerEntryModel(db).countDocuments({ _id: { $in: before.map(({ _id }) => _id) } }),
      ).toBe(0);
      pseudonymized = await ledgerEntryModel(db)
        .find({ holderId: /^erased:/ })
        .sort({ occurredAt: 1 })
        .lean<LedgerEntryDocument[]>();
      expect(pseudonymized.map((entry) => [entry.amount, entry.minutes, entry.year])).toEqual(
        before.map((entry) => [entry.amount, entry.minutes, entry.year]),
      );
      expect(new Set(pseudonymized.map((entry) => entry.holderId)).size).toBe(1);
      for (const entry of pseudonymized) {
        expect(entry._id).toMatch(/^erased:/);
        expect(entry.sourceId).toMatch(/^erased:/);
        expect(entry.jurisdictionPath).toEqual([city, township, village]);
      }
      // The award and the awarded nomination stand under the same nobody.
      expect((await awardModel(db).findById(awardId).lean())?.nominee.id).toBe(
        pseudonymized[0]?.holderId,
      );
      expect(await ledgerOf(other)).toEqual(otherBefore);
      expect(await certificateModel(db).countDocuments({ participantId: person })).toBe(0);
      expect(await nominationModel(db).countDocuments({ 'nominee.id': person })).toBe(0);
      expect(await nominationModel(db).findById(awardedNomination).lean()).toMatchObject({
        nominee: { name: '*' },
        statement: '',
        reviews: [{ score: 90, comment: '' }],
      });
      expect(await awardModel(db).findById(awardId).lean()).toMatchObject({
        nominee: { name: '*', jurisdictionPath: [city, township, village] },
        place: 1,
      });
      expect(await awardModel(db).countDocuments({ 'nominee.id': person })).toBe(0);
      expect(await caseModel(db).countDocuments({ 'nominee.id': person })).toBe(0);
      expect(await consentModel(db).countDocuments({ participantId: person })).toBe(0);
      const stored = JSON.stringify([
        await factModel(db).find().lean(),
        await ledgerEntryModel(db).find().lean(),
        await nominationModel(db).find().lean(),
        await awardModel(db).find().lean(),
        await caseModel(db).find().lean(),
      ]);
      expect(stored).not.toContain(person);
      expect(stored).not.toContain('张晓明');

      // The APIs: no credits (the name beside them is registration's, erased there), no place
      // on the board, no code, no case, the award unnamed.
      // Registration, told too, erases the person: no record is found for them.
      await eventually('no record of the person', async () => {
        const answer = await send('GET', `/v1/participants/${person}/credits?year=${YEAR}`, office);
        return answer.status === 404 && answer.body['code'] === 'RECORD_NOT_FOUND'
          ? true
          : undefined;
      });
      await eventually('the board without the person', async () => {
        const standing = await board();
        return standing.total === 1 ? standing : undefined;
      });
      expect((await board()).items.map((item) => item.name)).toEqual(['李*']);
      await eventually('the code unknown', async () =>
        refusal(await send('GET', `/v1/public/verifications/${verificationCode}`, null)).code ===
        'VERIFICATION_CODE_UNKNOWN'
          ? true
          : undefined,
      );
      expect(refusal(await send('GET', `/v1/public/cases/${caseId}`, null))).toEqual({
        status: 404,
        code: 'CASE_NOT_FOUND',
      });
      const awards = await send('GET', `/v1/public/awards?year=${YEAR}`, null);
      expect(JSON.stringify(awards.body)).not.toContain('张');

      // Their copy now holds nothing.
      const client = personalDataClient(await serviceToken(stack.scoring.issuer, 'registration'));
      try {
        const answer = await client.call.exportPersonalData({ participantId: person });
        expect(answer.sections.map((section) => Number(section.recordCount))).toEqual(
          answer.sections.map(() => 0),
        );
      } finally {
        client.close();
      }
    });

    it('when the same request is delivered again or replayed, then nothing changes and no second completion is published', async () => {
      await produce(
        privacyEvents.erasureRequested,
        person,
        { requestId, participantId: person, requestedAt: new Date(), accountSubject: '' },
        erasureEventId,
      );
      await produce(privacyEvents.erasureRequested, person, {
        requestId,
        participantId: person,
        requestedAt: new Date(),
        accountSubject: '',
      });
      // A later request on the same partition: once it completes, the two before it were handled.
      const marker = randomUUID();
      await produce(privacyEvents.erasureRequested, person, {
        requestId: marker,
        participantId: person,
        requestedAt: new Date(),
        accountSubject: '',
      });
      const [later] = await completedOnce(marker, 'the later request');
      expect(await completionsOf(requestId)).toHaveLength(1);
      expect(later?.kept).toEqual([]);
      expect(later?.erased.every(({ count }) => Number(count) === 0)).toBe(true);
      expect(
        await ledgerEntryModel(db)
          .find({ holderId: /^erased:/ })
          .sort({ occurredAt: 1 })
          .lean<LedgerEntryDocument[]>(),
      ).toEqual(pseudonymized);
    });

    it('when events about the erased person arrive late, then they are dropped, and others’ are still credited', async () => {
      await produce(
        enrollmentEvents.AttendanceRecorded,
        person,
        attendance(person, cityTime(`${YEAR}-06-01T09:00`), 60),
      );
      await consentChange(person, registration.ConsentPurpose.CONSENT_PURPOSE_PUBLICITY, false, 9);
      // The other person's attendance on the same partition (keyed as the person's events are) marks them handled.
      await produce(
        enrollmentEvents.AttendanceRecorded,
        person,
        attendance(other, cityTime(`${YEAR}-06-02T09:00`), 60),
      );
      await eventually('the other’s new credits', async () =>
        (await ledgerOf(other)).length === 2 ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await factModel(db).countDocuments({ holderId: person })).toBe(0);
      expect(await ledgerOf(person)).toEqual([]);
      expect(await consentModel(db).countDocuments({ participantId: person })).toBe(0);
    });

    it('when the year’s boards are rebuilt from the ledger, then the entries the person left behind rank nobody', async () => {
      const started = await send('POST', `/v1/leaderboards/rebuild?year=${YEAR}`, office);
      expect(started.status).toBe(202);
      const done = await eventually('the rebuild', async () => {
        const progress = (
          await send('GET', `/v1/leaderboards/rebuilds/${started.body['id'] as string}`, office)
        ).body;
        return progress['status'] === 'running' ? undefined : progress;
      });
      // The other person alone: the pseudonymized entries are skipped.
      expect(done).toMatchObject({ status: 'succeeded', holders: 1 });
      await eventually('the rebuilt board', async () => {
        const standing = await board();
        return standing.total === 1 && standing.items[0]?.credits === '2' ? standing : undefined;
      });
      expect((await board()).items.map((item) => item.name)).toEqual(['李*']);
    });

    describe('retention', () => {
      const issuedLater = `LS${String(YEAR).slice(2)}-RETAINED`;
      const oldRound = randomUUID();
      const recentRound = randomUUID();
      const oldAward = randomUUID();
      const ids = {
        oldUnawarded: randomUUID(),
        oldAwarded: randomUUID(),
        oldOrganization: randomUUID(),
        recentUnawarded: randomUUID(),
      };
      let issued: Date;

      beforeAll(async () => {
        const exported = await stack.scoring.send(
          'GET',
          `/v1/me/record.csv?year=${YEAR}`,
          await stack.token({ subject: `account-${randomUUID()}`, roles: ['participant'] }),
        );
        // Not registered: no record, no certificate; the other person's own export is the old one.
        expect(exported.status).toBe(404);
        const otherAccount = `account-${randomUUID()}`;
        const third = await registerParticipant(stack, otherAccount, '王芳', village);
        const response = await stack.scoring.send(
          'GET',
          `/v1/me/record.csv?year=${YEAR}`,
          await stack.token({ subject: otherAccount, roles: ['participant'] }),
        );
        expect(response.status).toBe(200);
        const certificate = await certificateModel(db).findOne({ participantId: third }).lean();
        issued = certificate?.issuedAt ?? new Date();
        // One issued two days later: inside the retention period when the first is past it.
        await certificateModel(db).create({
          ...certificate,
          _id: issuedLater,
          issuedAt: new Date(issued.getTime() + 2 * DAY),
        });

        const now = Date.now();
        const round = (id: string, publishedAt: Date) => ({
          _id: id,
          year: YEAR,
          category: 'exemplary_individual' as const,
          organizationKind: null,
          title: 'round',
          nominationsClose: `${YEAR}-01-01`,
          places: 1,
          materialAwardFen: 0,
          fundingLineId: null,
          status: 'published' as const,
          createdBy: 'office',
          createdAt: publishedAt,
          publishedAt,
          outbox: [],
        });
        // Published 365 + 1 days and 365 − 1 days before the later app's clock.
        const laterNow = issued.getTime() + 1_096 * DAY;
        await awardRoundModel(db).create([
          round(oldRound, new Date(laterNow - 366 * DAY)),
          round(recentRound, new Date(laterNow - 364 * DAY)),
        ]);
        const nomination = (id: string, roundId: string, kind: 'person' | 'organization') => ({
          _id: id,
          roundId,
          nominee: {
            kind,
            id: randomUUID(),
            name: '某某',
            organizationKind: kind === 'organization' ? 'community' : null,
            leadDepartment: null,
            jurisdictionPath: [city],
            organizationIds: [],
          },
          statement: 'statement',
          evidence: { assessment: null, person: null },
          nominatedBy: 'office',
          reviews: [],
          recusals: [],
          createdAt: new Date(now),
        });
        await nominationModel(db).create([
          nomination(ids.oldUnawarded, oldRound, 'person'),
          nomination(ids.oldAwarded, oldRound, 'person'),
          nomination(ids.oldOrganization, oldRound, 'organization'),
          nomination(ids.recentUnawarded, recentRound, 'person'),
        ]);
        await awardModel(db).create({
          _id: oldAward,
          nominationId: ids.oldAwarded,
          roundId: oldRound,
          year: YEAR,
          category: 'exemplary_individual',
          organizationKind: null,
          nominee: (await nominationModel(db).findById(ids.oldAwarded).lean())?.nominee,
          place: 1,
          materialAwardFen: 0,
          fundingLineId: null,
          grantedBy: 'office',
          grantedAt: new Date(now),
          publishedAt: new Date(now),
          outbox: [],
        });
      });

      /** Scoring again on the same database, its clock 1,095 days and a day after the record export. */
      const later: RunningApp = useServiceApp(scoringService, servers, {
        loadConfig: loadScoringConfig,
        clock: () => new Date(issued.getTime() + 1_096 * DAY),
        environment: async (issuer) => ({
          MONGODB_DATABASE: database,
          REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${stack.registration.ports.grpcPort}`,
          REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'scoring'),
          VERIFICATION_KEY: randomBytes(32).toString('base64'),
        }),
      });

      it('when the sweep runs with the clock moved on, then exactly the certificates and unawarded nominations older than their periods go, counted by kind', async () => {
        await eventually('the old certificate swept', async () =>
          (await certificateModel(db).countDocuments({ issuedAt: issued })) === 0
            ? true
            : undefined,
        );
        expect(await certificateModel(db).exists({ _id: issuedLater })).not.toBeNull();
        await eventually('the old nomination swept', async () =>
          (await nominationModel(db).exists({ _id: ids.oldUnawarded })) === null ? true : undefined,
        );
        for (const kept of [ids.oldAwarded, ids.oldOrganization, ids.recentUnawarded])
          expect(await nominationModel(db).exists({ _id: kept }), kept).not.toBeNull();
        const metrics = await (await fetch(`${later.base}/metrics`)).text();
        expect(metrics).toMatch(/privacy_retention_removed_total\{kind="certificates"\} 1\b/);
        expect(metrics).toMatch(/privacy_retention_removed_total\{kind="nominations"\} 1\b/);
      });
    });

    it('when the service’s collections are listed, then each is declared personal data or listed as holding none, and none holding a person’s id is on the second list', async () => {
      if (platform === undefined) throw new Error('the app’s platform was not captured');
      const collections = new Map<string, string[]>();
      for (const name of platform.mongo.modelNames()) {
        const model = platform.mongo.model(name);
        collections.set(model.collection.collectionName, Object.keys(model.schema.paths));
      }
      for (const found of await db.listCollections())
        if (!collections.has(found.name)) collections.set(found.name, []);
      const unlisted = [...collections.keys()].filter(
        (name) => DECLARED[name] === undefined && WITHOUT_PERSONAL_DATA[name] === undefined,
      );
      expect(unlisted).toEqual([]);
      const undeclaredPersons = [...collections]
        .filter(
          ([name, paths]) =>
            DECLARED[name] === undefined && paths.some((path) => PERSON_PATH.test(path)),
        )
        .map(([name]) => name);
      // The kit's own erasure log names the (random) id of someone already erased, and nothing else.
      expect(undeclaredPersons).toEqual(['privacy_erasures']);
    });
  },
);
