import { randomUUID } from 'node:crypto';
import { erasureCompletedBy, privacyEvents } from '@learning/contracts';
import { fromKafkaMessage, newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { createGrpcClient } from '@learning/grpc';
import { privacy, registration } from '@learning/proto';
import { serviceToken } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  jurisdictionTree,
  rejectionOf,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { ownCompletions } from '@learning/privacy/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { seedJurisdictions } from '../support/http.js';
import { idNumberOf, phoneOf } from '../support/people.js';
import {
  PEER_SERVICES,
  peerEnvironment,
  startFakePeer,
  type FakePeer,
} from '../support/personal-data-peers.js';

const tree = jurisdictionTree({ townships: 1, villagesPerTownship: 1 });
const VILLAGE = '330281001001';
const TEXT_VERSION = '2026-12';
const CONSENT_CHANGED = 'registration.participant.consent-changed.v1';
const UPDATED = 'registration.participant.updated.v1';
const ALL_SERVICES = ['registration', ...PEER_SERVICES];

interface ConsentsBody {
  version: number;
  consents: { purpose: string; given: boolean; textVersion: string | null }[];
}
interface ExportBody {
  id: string;
  status: string;
  services: {
    service: string;
    status: string;
    attempts: number;
    lastError: string | null;
    sections: { kind: string; recordCount: number }[];
  }[];
}
interface ErasureBody {
  id: string;
  status: string;
  services: { service: string; status: string; erased: { kind: string; count: number }[] }[];
}
interface ErrorBody {
  code: string;
  message: string;
  details?: { field: string; message: string }[];
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration personal data rights', (servers) => {
  const database = uniqueName('registration-rights');
  const peers = new Map<string, FakePeer>();
  const running = useRegistrationApp(servers, async (issuer) => {
    for (const service of PEER_SERVICES)
      // Scoring starts down: a copy waits for it and completes once it is back.
      peers.set(service, await startFakePeer(service, issuer, service !== 'scoring'));
    return {
      ...peerEnvironment([...peers.values()], await serviceToken(issuer, 'registration')),
      MONGODB_DATABASE: database,
      DATA_EXPORT_POLL_MS: '100',
      DATA_EXPORT_RETRY_BASE_MS: '200',
      DATA_EXPORT_RETRY_MAX_MS: '1000',
      DATA_EXPORTS_PER_DAY: '3',
    };
  });
  const peer = (service: string): FakePeer => {
    const found = peers.get(service);
    if (found === undefined) throw new Error(`no peer ${service}`);
    return found;
  };
  const run = randomUUID().slice(0, 8);
  let sequence = 300;
  let connection: Connection;
  let producer: Producer;
  let watch: TopicWatch;

  const tokenOf = (name: string) =>
    running.issuer.sign({ subject: `${name}-${run}`, roles: ['participant'] });

  async function register(
    name: string,
  ): Promise<{ token: string; id: string; idNumber: string; phone: string }> {
    sequence += 1;
    const token = await tokenOf(name);
    const idNumber = idNumberOf('19850505', String(sequence));
    const phone = phoneOf(7_000_000 + sequence);
    const response = await running.send('POST', '/v1/participants', token, {
      name: '赵敏',
      tier: 'ordinary_citizen',
      homeJurisdiction: VILLAGE,
      idNumber,
      phone,
      email: `zhao${sequence}@example.cn`,
      language: 'zh-CN',
      consent: { notifications: true },
    });
    expect(response.status).toBe(201);
    return { token, id: ((await response.json()) as { id: string }).id, idNumber, phone };
  }

  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

  /** Distinct events: the outbox relay publishes at least once, and consumers' inboxes drop repeats. */
  const eventsOf = (type: string, subject: string) => [
    ...new Map(
      watch.messages
        .map(({ message }) => fromKafkaMessage(message))
        .filter((event) => event.type === type && event.subject === subject)
        .map((event) => [event.id, event]),
    ).values(),
  ];

  beforeAll(async () => {
    const admin = await running.issuer.sign({ subject: `admin-${run}`, roles: ['city_admin'] });
    await seedJurisdictions(running.base, admin, tree);
    connection = await mongoose.createConnection(servers.mongo.uri).asPromise();
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    watch = await watchTopics(servers.kafka, [
      topics.registrationParticipants.name,
      topics.privacyErasures.name,
    ]);
  });
  afterAll(async () => {
    await watch.stop();
    await producer.disconnect();
    await connection.close();
    for (const found of peers.values()) await found.down();
  });

  const db = () => connection.useDb(database, { useCache: true });

  describe('consents', () => {
    it('when anyone reads the consent texts, then every purpose has its current version in both languages', async () => {
      const response = await running.send('GET', '/v1/consent-texts', null);
      expect(response.status).toBe(200);
      const body = await json<{
        items: { purpose: string; version: string; text: Record<string, string> }[];
      }>(response);
      expect(body.items.map((item) => item.purpose).sort()).toEqual([
        'employer_sharing',
        'notifications_email',
        'notifications_sms',
        'notifications_wechat',
        'publicity',
      ]);
      for (const item of body.items) {
        expect(item.version).toBe(TEXT_VERSION);
        expect(item.text['zh-CN']?.length).toBeGreaterThan(10);
        expect(item.text['en']?.length).toBeGreaterThan(10);
      }
    });

    it('when a person gives publicity and withdraws SMS against the current text, then each change is recorded with its version and published with a version of its own', async () => {
      const person = await register('consenting');
      const before = await json<ConsentsBody>(
        await running.send('GET', '/v1/me/consents', person.token),
      );
      expect(before.consents.find((c) => c.purpose === 'notifications_sms')).toMatchObject({
        given: true,
        textVersion: null,
      });
      expect(before.consents.find((c) => c.purpose === 'publicity')).toMatchObject({
        given: false,
      });

      const response = await running.send('PUT', '/v1/me/consents', person.token, {
        consents: [
          { purpose: 'publicity', given: true, textVersion: TEXT_VERSION },
          { purpose: 'notifications_sms', given: false, textVersion: TEXT_VERSION },
        ],
      });
      expect(response.status).toBe(200);
      const after = await json<ConsentsBody>(response);
      expect(after.version).toBe(before.version + 3);
      expect(after.consents.find((c) => c.purpose === 'publicity')).toMatchObject({
        given: true,
        textVersion: TEXT_VERSION,
      });
      expect(after.consents.find((c) => c.purpose === 'notifications_sms')).toMatchObject({
        given: false,
        textVersion: TEXT_VERSION,
      });

      const changed = await eventually('two consent events', () => {
        const found = eventsOf(CONSENT_CHANGED, person.id);
        return found.length === 2 ? found : undefined;
      });
      const decoded = changed.map((event) =>
        registration.ParticipantConsentChanged.fromJSON(event.data),
      );
      expect(decoded.map((event) => [event.purpose, event.given, event.textVersion])).toEqual([
        [registration.ConsentPurpose.CONSENT_PURPOSE_PUBLICITY, true, TEXT_VERSION],
        [registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS, false, TEXT_VERSION],
      ]);
      expect(decoded.map((event) => Number(event.version))).toEqual([
        before.version + 1,
        before.version + 2,
      ]);
      // Current consumers of the channel consents keep being told, with the record's version.
      const updated = await eventually('the channel update', () => {
        const found = eventsOf(UPDATED, person.id);
        return found.length === 1 ? found : undefined;
      });
      const update = registration.ParticipantUpdated.fromJSON(updated[0]?.data);
      expect(update.profile?.notificationsConsent).toBe(false);
      expect(Number(update.version)).toBe(before.version + 3);

      // The same answers again change nothing and publish nothing.
      const again = await running.send('PUT', '/v1/me/consents', person.token, {
        consents: [{ purpose: 'publicity', given: true, textVersion: TEXT_VERSION }],
      });
      expect((await json<ConsentsBody>(again)).version).toBe(after.version);
    });

    it('when a channel is withdrawn through the older correction route, then its consent change is published too, with no text version', async () => {
      const person = await register('patching');
      const response = await running.send('PATCH', '/v1/me/participant', person.token, {
        version: 1,
        consent: { notifications: false },
      });
      expect(response.status).toBe(200);
      const changed = await eventually('the SMS withdrawal', () => {
        const found = eventsOf(CONSENT_CHANGED, person.id);
        return found.length === 1 ? found : undefined;
      });
      expect(registration.ParticipantConsentChanged.fromJSON(changed[0]?.data)).toMatchObject({
        purpose: registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS,
        given: false,
        textVersion: '',
        version: '2',
      });
    });

    it('when the text version is not the current one, a purpose is unknown or repeated, or the account has no record, then a clear 4xx and nothing changes', async () => {
      const person = await register('stale-text');
      const stale = await running.send('PUT', '/v1/me/consents', person.token, {
        consents: [{ purpose: 'employer_sharing', given: true, textVersion: '2025-01' }],
      });
      expect(stale.status).toBe(409);
      expect((await json<ErrorBody>(stale)).code).toBe('CONSENT_TEXT_OUTDATED');

      const unknown = await running.send('PUT', '/v1/me/consents', person.token, {
        consents: [{ purpose: 'marketing', given: true, textVersion: TEXT_VERSION }],
      });
      expect(unknown.status).toBe(400);
      expect((await json<ErrorBody>(unknown)).code).toBe('VALIDATION_FAILED');

      const repeated = await running.send('PUT', '/v1/me/consents', person.token, {
        consents: [
          { purpose: 'publicity', given: true, textVersion: TEXT_VERSION },
          { purpose: 'publicity', given: false, textVersion: TEXT_VERSION },
        ],
      });
      expect(repeated.status).toBe(400);
      expect((await json<ErrorBody>(repeated)).code).toBe('CONSENT_PURPOSE_REPEATED');

      const nobody = await running.send('GET', '/v1/me/consents', await tokenOf('no-record'));
      expect(nobody.status).toBe(404);
      expect((await json<ErrorBody>(nobody)).code).toBe('RECORD_REQUIRED');

      const read = await json<ConsentsBody>(
        await running.send('GET', '/v1/me/consents', person.token),
      );
      expect(read.consents.find((c) => c.purpose === 'employer_sharing')?.given).toBe(false);
      expect(eventsOf(CONSENT_CHANGED, person.id)).toEqual([]);
    });
  });

  describe('a copy of my data', () => {
    it('when a service is down, then the copy shows it failing with attempts, and completes with every service once it is back', async () => {
      const person = await register('exporting');
      const started = await running.send('POST', '/v1/me/data-exports', person.token);
      expect(started.status).toBe(202);
      const { id } = await json<ExportBody>(started);
      expect(started.headers.get('location')).toBe(`/v1/me/data-exports/${id}`);

      const waiting = await eventually('scoring failing', async () => {
        const body = await json<ExportBody>(
          await running.send('GET', `/v1/me/data-exports/${id}`, person.token),
        );
        const scoring = body.services.find((part) => part.service === 'scoring');
        const others = body.services.filter((part) => part.service !== 'scoring');
        return scoring !== undefined &&
          scoring.status === 'failed' &&
          scoring.attempts >= 2 &&
          others.every((part) => part.status === 'done')
          ? body
          : undefined;
      });
      expect(waiting.status).toBe('gathering');
      expect(waiting.services.find((part) => part.service === 'scoring')?.lastError).toMatch(
        /^UPSTREAM_|^[A-Z_]+$/,
      );
      const early = await running.send('GET', `/v1/me/data-exports/${id}/archive`, person.token);
      expect(early.status).toBe(409);
      expect((await json<ErrorBody>(early)).code).toBe('DATA_EXPORT_NOT_READY');

      await peer('scoring').up();
      const ready = await eventually(
        'the copy ready',
        async () => {
          const body = await json<ExportBody>(
            await running.send('GET', `/v1/me/data-exports/${id}`, person.token),
          );
          return body.status === 'ready' ? body : undefined;
        },
        30_000,
      );
      expect(ready.services.map((part) => [part.service, part.status])).toEqual(
        ALL_SERVICES.map((service) => [service, 'done']),
      );

      const archiveResponse = await running.send(
        'GET',
        `/v1/me/data-exports/${id}/archive`,
        person.token,
      );
      expect(archiveResponse.status).toBe(200);
      expect(archiveResponse.headers.get('cache-control')).toBe('no-store');
      const archive = await json<{
        services: {
          service: string;
          sections: { kind: string; records: Record<string, unknown>[] }[];
        }[];
      }>(archiveResponse);
      expect(archive.services.map((part) => part.service)).toEqual(ALL_SERVICES);
      for (const service of PEER_SERVICES)
        expect(
          archive.services.find((part) => part.service === service)?.sections[0]?.records,
        ).toEqual([{ participantId: person.id, heldBy: service }]);
      const own = archive.services.find((part) => part.service === 'registration');
      const section = (kind: string) => own?.sections.find((s) => s.kind === kind)?.records;
      // The person's own numbers, unmasked: the copy is theirs.
      expect(section('participant')?.[0]).toMatchObject({
        name: '赵敏',
        idNumber: person.idNumber,
      });
      expect(section('contacts')?.[0]).toMatchObject({ phone: person.phone });
      expect(section('account')?.[0]).toMatchObject({ accountSubject: `exporting-${run}` });
      expect(section('data-exports')?.map((record) => record['id'])).toEqual([id]);

      const summary = await running.send('GET', `/v1/me/data-exports/${id}/summary`, person.token);
      expect(summary.status).toBe(200);
      expect(summary.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await summary.text();
      expect(text).toContain('参与者档案');
      expect(text).toContain('scoring 记录');
      const english = await running.send(
        'GET',
        `/v1/me/data-exports/${id}/summary?language=en`,
        person.token,
      );
      expect(await english.text()).toContain('Participant record');

      // Another person's copy is not found, whatever its id; a malformed id is refused.
      const stranger = await register('stranger');
      for (const path of [`/v1/me/data-exports/${id}`, `/v1/me/data-exports/${id}/archive`]) {
        const response = await running.send('GET', path, stranger.token);
        expect(response.status).toBe(404);
        expect((await json<ErrorBody>(response)).code).toBe('DATA_EXPORT_NOT_FOUND');
      }
      const malformed = await running.send('GET', '/v1/me/data-exports/not-an-id', person.token);
      expect(malformed.status).toBe(400);
      // No personal identifier reached a log line.
      const logged = JSON.stringify(running.logs.text());
      expect(logged).not.toContain(person.idNumber);
      expect(logged).not.toContain(person.phone);
    }, 60_000);

    it('when a person asks for more copies than the day allows, then 429 RATE_LIMITED with Retry-After', async () => {
      const person = await register('flooding');
      for (let i = 0; i < 3; i += 1)
        expect((await running.send('POST', '/v1/me/data-exports', person.token)).status).toBe(202);
      const refused = await running.send('POST', '/v1/me/data-exports', person.token);
      expect(refused.status).toBe(429);
      expect((await json<ErrorBody>(refused)).code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3600);
      const stored = await db()
        .collection('data_exports')
        .countDocuments({ accountSubject: `flooding-${run}` });
      expect(stored).toBe(3);
    });
  });

  describe('PersonalDataService of registration itself', () => {
    const clientAs = (service: string) =>
      createGrpcClient(privacy.PersonalDataServiceClient, {
        address: `127.0.0.1:${running.ports.grpcPort}`,
        logger: captureLogger('personal-data-client').logger,
        idempotentMethods: [],
        deadlineMs: 10_000,
        tokenProvider: () => serviceToken(running.issuer, service),
      });

    it('when registration asks over gRPC, then every declared kind comes back with the records; any other caller is denied, a bad id refused', async () => {
      const person = await register('grpc-export');
      const client = clientAs('registration');
      const answer = await client.call.exportPersonalData({ participantId: person.id });
      expect(answer.service).toBe('registration');
      expect(answer.sections.map((section) => section.kind)).toEqual([
        'contacts',
        'account',
        'consents',
        'enrollments',
        'memberships',
        'data-exports',
        'erasure-requests',
        'participant',
      ]);
      const participant = answer.sections.find((section) => section.kind === 'participant');
      expect(JSON.parse(participant?.recordsJson ?? '[]')).toMatchObject([
        { id: person.id, idNumber: person.idNumber },
      ]);
      expect(
        await rejectionOf(client.call.exportPersonalData({ participantId: 'nope' })),
      ).toMatchObject({
        kind: 'invalid_argument',
      });
      const scoring = clientAs('scoring');
      expect(
        await rejectionOf(scoring.call.exportPersonalData({ participantId: person.id })),
      ).toMatchObject({ kind: 'permission_denied' });
      client.close();
      scoring.close();
    });
  });

  describe('closing an account', () => {
    beforeAll(async () => {
      await peer('scoring').up();
    });

    it('when a service has something open, then 409 ERASURE_BLOCKED explains each, and nothing is requested', async () => {
      const person = await register('blocked');
      const resolvesBy = new Date(Date.now() + 10 * 86_400_000);
      peer('scoring').obligations.set(person.id, [
        {
          code: 'AWARD_NOMINATION_PENDING',
          explanation: {
            zhCn: '您的评选提名正在审核中。',
            en: 'Your nomination is being reviewed.',
          },
          resolvesBy,
        },
      ]);
      const response = await running.send('POST', '/v1/me/erasure-requests', person.token);
      expect(response.status).toBe(409);
      const body = await json<ErrorBody>(response);
      expect(body.code).toBe('ERASURE_BLOCKED');
      expect(body.details).toEqual([
        {
          field: '/scoring/AWARD_NOMINATION_PENDING',
          message: `您的评选提名正在审核中。（预计 ${resolvesBy.toISOString()} 前结束）`,
        },
      ]);
      expect(
        await db().collection('erasure_requests').countDocuments({ participantId: person.id }),
      ).toBe(0);
      expect(eventsOf(privacyEvents.erasureRequested.type, person.id)).toEqual([]);
    });

    it('when a person closes their account, then every service is told once, progress shows each confirmation, replays and strangers change nothing, and the record is gone', async () => {
      const person = await register('closing');
      await running.send('PUT', '/v1/me/consents', person.token, {
        consents: [{ purpose: 'publicity', given: true, textVersion: TEXT_VERSION }],
      });
      const first = await running.send('POST', '/v1/me/erasure-requests', person.token);
      expect(first.status).toBe(201);
      const request = await json<ErasureBody>(first);
      const again = await running.send('POST', '/v1/me/erasure-requests', person.token);
      expect(again.status).toBe(200);
      expect((await json<ErasureBody>(again)).id).toBe(request.id);

      const requested = await eventually('the erasure request published', () => {
        const found = eventsOf(privacyEvents.erasureRequested.type, person.id);
        return found.length > 0 ? found : undefined;
      });
      expect(requested).toHaveLength(1);
      expect(privacy.ErasureRequested.fromJSON(requested[0]?.data)).toMatchObject({
        requestId: request.id,
        participantId: person.id,
        accountSubject: `closing-${run}`,
      });

      // Registration erases its own part through the kit and confirms it.
      const progress = async () =>
        json<ErasureBody>(
          await running.send('GET', `/v1/me/erasure-requests/${request.id}`, person.token),
        );
      const ownDone = await eventually('registration confirmed', async () => {
        const body = await progress();
        return body.services.find((s) => s.service === 'registration')?.status === 'completed'
          ? body
          : undefined;
      });
      expect(ownDone.status).toBe('in_progress');
      // What this app erased, as it recorded it (registration apps of other test files share the
      // topic and confirm the same request with nothing found: progress keeps the first to arrive).
      const ownErasure = await db()
        .collection('privacy_erasures')
        .findOne({ _id: request.id as never });
      expect(ownErasure?.['erased']).toEqual(
        expect.arrayContaining([
          { kind: 'contacts', count: 2 },
          { kind: 'consents', count: 1 },
          { kind: 'participant', count: 1 },
        ]),
      );
      expect(
        await db()
          .collection('participants')
          .countDocuments({ _id: person.id as never }),
      ).toBe(0);
      expect((await running.send('GET', '/v1/me/participant', person.token)).status).toBe(404);

      const completion = (service: (typeof PEER_SERVICES)[number], requestId = request.id) =>
        toKafkaMessage(
          toCloudEvent(
            newEvent(erasureCompletedBy[service], person.id, {
              requestId,
              participantId: person.id,
              service,
              completedAt: new Date(),
              erased: [{ kind: `${service}-records`, count: '1', reason: '' }],
              kept: [],
            }),
            `/learning/${service}`,
          ),
        );
      const publish = async (...messages: ReturnType<typeof completion>[]) => {
        await producer.send({ topic: topics.privacyErasures.name, messages });
      };
      // Three services confirm, one twice, and a completion of a request nobody made arrives.
      await publish(
        completion('activities'),
        completion('activities'),
        completion('lectures'),
        completion('scoring'),
        completion('scoring', randomUUID()),
      );
      const three = await eventually('three more confirmed', async () => {
        const body = await progress();
        return body.services.filter((s) => s.status === 'completed').length === 4
          ? body
          : undefined;
      });
      expect(three.status).toBe('in_progress');
      expect(three.services.find((s) => s.service === 'notifications')?.status).toBe('pending');
      expect(three.services.find((s) => s.service === 'activities')?.erased).toEqual([
        { kind: 'activities-records', count: 1 },
      ]);

      // Operators see the request waiting for notifications, without the person's name or numbers.
      const admin = await running.issuer.sign({ subject: `admin-${run}`, roles: ['city_admin'] });
      const waiting = await running.send('GET', '/v1/erasure-requests', admin);
      expect(waiting.status).toBe(200);
      const listed = (
        await json<{ items: (ErasureBody & { participantId: string })[] }>(waiting)
      ).items.find((item) => item.id === request.id);
      expect(listed?.participantId).toBe(person.id);
      expect(listed?.services.filter((s) => s.status === 'pending').map((s) => s.service)).toEqual([
        'notifications',
      ]);
      expect((await running.send('GET', '/v1/erasure-requests', person.token)).status).toBe(403);

      await publish(completion('notifications'));
      await eventually('the request completed and unlinked', async () => {
        const stored = await db()
          .collection('erasure_requests')
          .findOne({ _id: request.id as never });
        return stored?.['completedAt'] instanceof Date && stored['accountSubject'] === undefined
          ? stored
          : undefined;
      });
      const open = await running.send('GET', '/v1/erasure-requests', admin);
      expect(
        (await json<{ items: { id: string }[] }>(open)).items.map((item) => item.id),
      ).not.toContain(request.id);
      const afterwards = await running.send(
        'GET',
        `/v1/me/erasure-requests/${request.id}`,
        person.token,
      );
      expect(afterwards.status).toBe(404);

      // The request delivered again: no registration erases or confirms twice.
      // This app's: other test files' registration apps complete every request too.
      const ownCompletionCount = async () =>
        (await ownCompletions(watch.messages, erasureCompletedBy.registration, request.id, db()))
          .length;
      const completionsBefore = await eventually('registration’s own completion seen', async () => {
        const count = await ownCompletionCount();
        return count >= 1 ? count : undefined;
      });
      await producer.send({
        topic: topics.privacyErasures.name,
        messages: [
          toKafkaMessage(
            toCloudEvent(
              newEvent(privacyEvents.erasureRequested, person.id, {
                requestId: request.id,
                participantId: person.id,
                requestedAt: new Date(),
                accountSubject: `closing-${run}`,
              }),
              '/learning/registration',
            ),
          ),
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await ownCompletionCount()).toBe(completionsBefore);
      expect(
        await db()
          .collection('privacy_erasures')
          .countDocuments({ _id: request.id as never }),
      ).toBe(1);
      const stored = await db()
        .collection('erasure_requests')
        .findOne({ _id: request.id as never });
      expect(
        (stored?.['services'] as { completedAt: Date | null }[]).every(
          (s) => s.completedAt !== null,
        ),
      ).toBe(true);

      // The person may register again: the ID number is no longer held.
      const back = await running.send('POST', '/v1/participants', person.token, {
        name: '赵敏',
        tier: 'ordinary_citizen',
        homeJurisdiction: VILLAGE,
        idNumber: person.idNumber,
        language: 'zh-CN',
        consent: { notifications: false },
      });
      expect(back.status).toBe(201);
      expect(JSON.stringify(running.logs.text())).not.toContain(person.idNumber);
    }, 60_000);

    it('when the progress of an unknown or malformed request id is asked, then 404 or 400', async () => {
      const person = await register('curious');
      const unknown = await running.send(
        'GET',
        `/v1/me/erasure-requests/${randomUUID()}`,
        person.token,
      );
      expect(unknown.status).toBe(404);
      expect((await json<ErrorBody>(unknown)).code).toBe('ERASURE_REQUEST_NOT_FOUND');
      const malformed = await running.send('GET', '/v1/me/erasure-requests/123', person.token);
      expect(malformed.status).toBe(400);
    });
  });
});
