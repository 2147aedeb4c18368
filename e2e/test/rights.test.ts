/**
 * A person's rights across the five services (issue 18), run as the journey
 * runs them: five processes on real ports against the harness's servers. A
 * person registers, signs up, attends, earns credits, is sent notices by
 * email and is nominated for an award; downloads everything the platform
 * holds about them (every service's part checked); withdraws consent to
 * notices (nothing more is sent); is told why their account cannot be closed
 * while the nomination is open; and closes it. Afterwards no service answers
 * with their name, ID number, phone or email, no log line or event carries
 * them, the ledger still sums, and a replay of the erasure request changes
 * nothing.
 *
 * Two shortcuts, each because the product's calendar runs in days: the credit
 * rule is moved back a day in scoring's database, as the journey does, and
 * the award round, whose review and publication take days, is marked
 * published there once the refusal has been shown.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createLocalIssuer, type LocalIssuer, type PrincipalInput } from '@learning/auth';
import { privacyEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topicsToProvision } from '@learning/events';
import { completionIn } from '@learning/privacy/testing';
import { call } from '@learning/runtime/testing';
import {
  describeWithServers,
  eventually,
  residentIdNumber,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOG_DIRECTORY, SERVICE_NAMES, startPlatform, type Platform } from './support/platform.js';
import {
  cityDateOf,
  cityYearOf,
  eventuallyFound,
  expectCall,
  freshCity,
  type Enrollment,
} from './support/journey-kit.js';

const STARTUP_TIMEOUT_MS = 150_000;
/** From publishing the class to its start: the sign-up and check-in happen in between. */
const CLASS_LEAD_MS = 15_000;
const CLASS_LENGTH_MS = 4_000;
const DAY_MS = 86_400_000;

describeWithServers(['mongo', 'kafka', 'redis'], 'a person’s rights end to end', (servers) => {
  const { prefix: cityPrefix, city, township, village, run } = freshCity();
  const person = {
    subject: `rights-${run}`,
    name: '林小满',
    idNumber: residentIdNumber('19910203', randomInt(100, 999), cityPrefix),
    phone: `139${String(randomInt(10_000_000, 99_999_999))}`,
    email: `rights-${run}@rights.example`,
  };
  let issuer: LocalIssuer;
  let platform: Platform;
  let watch: TopicWatch;
  let producer: Producer;
  let scoringDb: Connection;
  const started: (() => Promise<unknown>)[] = [];

  const token = (principal: PrincipalInput): Promise<string> =>
    issuer.sign(principal, { expiresIn: '1h' });
  const url = (name: Parameters<Platform['url']>[0]): string => platform.url(name);

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: 'rights', audience: 'learning-society' });
    platform = await startPlatform({ servers, issuer, cityCode: city });
    started.push(() => platform.stop());
    // Every topic the platform writes, to show afterwards that none carried the person.
    watch = await watchTopics(
      servers.kafka,
      topicsToProvision().map((spec) => spec.name),
    );
    started.push(() => watch.stop());
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    started.push(() => producer.disconnect());
    scoringDb = await mongoose
      .createConnection(servers.mongo.uri, { dbName: platform.database('scoring') })
      .asPromise();
    started.push(() => scoringDb.close());
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const stop of started.reverse()) await stop();
  });

  it('when a person who took part exports, withdraws consent and closes the account, then every service answers for its part and nothing of them is left', async () => {
    const admin = await token({ subject: `rights-admin-${run}`, roles: ['city_admin'] });
    const officer = await token({
      subject: `rights-officer-${run}`,
      roles: ['area_officer'],
      jurisdictions: [township],
    });
    const own = await token({ subject: person.subject, roles: ['participant'] });

    // ── taking part ─────────────────────────────────────────────────────────
    await expectCall(200, url('registration'), 'POST', '/v1/jurisdictions:import', admin, {
      items: [
        { code: city, name: `权利市${run}`, level: 'city', parentCode: null },
        { code: township, name: '权利镇', level: 'township', parentCode: city },
        { code: village, name: '权利村', level: 'village', parentCode: township },
      ],
    });
    const registered = await expectCall(201, url('registration'), 'POST', '/v1/participants', own, {
      name: person.name,
      tier: 'ordinary_citizen',
      homeJurisdiction: village,
      idNumber: person.idNumber,
      phone: person.phone,
      email: person.email,
      language: 'zh-CN',
      consent: { notifications: true, email: true },
    });
    const participantId = String(registered['id']);

    const rule = await expectCall(201, url('scoring'), 'POST', '/v1/credit-rules', admin, {
      name: '学习活动参与',
      source: 'activity_attended',
      basis: { kind: 'per_occurrence', credits: '2' },
    });
    // Rules take effect from the next city day: moved back to today, as if set yesterday.
    await scoringDb.collection<{ _id: string }>('rules').updateOne(
      { _id: String(rule['id']) },
      {
        $set: {
          'versions.0.effectiveFrom': cityDateOf(new Date()),
          firstYear: cityYearOf(new Date()),
        },
      },
    );

    const publish = async (title: string, start: Date, end: Date): Promise<string> => {
      const draft = await expectCall(201, url('activities'), 'POST', '/v1/activities', admin, {
        title,
        description: '权利市的学习活动',
        kind: 'reading_club',
        organizer: { kind: 'department', department: 'wenming-ban' },
        jurisdictionCode: township,
        venue: { name: '权利镇文化站' },
        schedule: { sessions: [{ start: start.toISOString(), end: end.toISOString() }] },
        capacity: 20,
        targetTiers: ['ordinary_citizen'],
        categories: ['science_culture_skills'],
      });
      const id = String(draft['id']);
      await expectCall(200, url('activities'), 'POST', `/v1/activities/${id}:publish`, admin, {});
      return id;
    };
    const signUp = async (eventId: string) =>
      (await expectCall(201, url('registration'), 'POST', '/v1/enrollments', own, {
        owner: 'activities',
        eventId,
      })) as Record<string, unknown> & Enrollment;
    const mails = () =>
      platform.sinks.smtp.messages.filter((mail) => mail.to.includes(person.email));

    const classStart = new Date(Date.now() + CLASS_LEAD_MS);
    const classEnd = new Date(classStart.getTime() + CLASS_LENGTH_MS);
    const classTitle = `读书会 ${run}`;
    const classId = await publish(classTitle, classStart, classEnd);
    const seat = await signUp(classId);
    expect(seat.status).toBe('confirmed');
    await eventually('the confirmation by email', () =>
      mails().some((mail) => mail.text.includes(classTitle)) ? true : undefined,
    );
    const checked = await expectCall(200, url('registration'), 'POST', '/v1/check-ins', officer, {
      qr: seat.qrPayload,
    });
    expect(checked['outcome']).toBe('checked_in');
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, classEnd.getTime() - Date.now() + 1_000)),
    );
    await expectCall(
      200,
      url('registration'),
      'POST',
      `/v1/events/activities/${classId}/attendance`,
      officer,
      { by: 'check_in' },
    );
    const year = cityYearOf(classStart);
    await eventuallyFound(
      'the credits',
      url('scoring'),
      `/v1/me/record?year=${year}`,
      own,
      (body) => ((body['items'] as unknown[]).length > 0 ? body : undefined),
      60_000,
    );
    const round = await expectCall(201, url('scoring'), 'POST', '/v1/awards/rounds', admin, {
      year,
      category: 'exemplary_individual',
      title: `${String(year)} 学习型社会建设先进个人 ${run}`,
      nominationsClose: cityDateOf(new Date(Date.now() + 7 * DAY_MS)),
      places: 1,
      materialAwardYuan: '0',
    });
    const roundId = String(round['id']);
    await expectCall(
      201,
      url('scoring'),
      'POST',
      `/v1/awards/rounds/${roundId}/nominations`,
      admin,
      {
        nomineeKind: 'person',
        nomineeId: participantId,
        statement: '坚持参加读书会，带动邻里学习。',
      },
    );

    // ── my data ─────────────────────────────────────────────────────────────
    const requested = await expectCall(
      202,
      url('registration'),
      'POST',
      '/v1/me/data-exports',
      own,
    );
    const exportId = String(requested['id']);
    await eventuallyFound(
      'the copy gathered from every service',
      url('registration'),
      `/v1/me/data-exports/${exportId}`,
      own,
      (body) => (body['status'] === 'ready' ? body : undefined),
      60_000,
    );
    const archive = await expectCall(
      200,
      url('registration'),
      'GET',
      `/v1/me/data-exports/${exportId}/archive`,
      own,
    );
    const parts = archive['services'] as {
      service: string;
      sections: { kind: string; recordCount: number; records: unknown[] }[];
    }[];
    expect(parts.map((part) => part.service).sort()).toEqual([...SERVICE_NAMES].sort());
    const section = (service: string, kind: string) =>
      parts.find((part) => part.service === service)?.sections.find((found) => found.kind === kind);
    expect(JSON.stringify(section('registration', 'participant')?.records)).toContain(person.name);
    expect(JSON.stringify(section('registration', 'contacts')?.records)).toContain(person.phone);
    expect(section('registration', 'enrollments')?.recordCount).toBe(1);
    expect(section('scoring', 'credits')?.recordCount).toBe(1);
    expect(section('scoring', 'nominations')?.recordCount).toBe(1);
    expect(section('notifications', 'notices')?.recordCount).toBeGreaterThan(0);
    for (const part of parts) expect(part.sections.length, part.service).toBeGreaterThan(0);

    // ── consent withdrawn: nothing more is sent ─────────────────────────────
    const texts = await expectCall(200, url('registration'), 'GET', '/v1/consent-texts', null);
    const versionOf = (purpose: string) =>
      (texts['items'] as { purpose: string; version: string }[]).find(
        (text) => text.purpose === purpose,
      )?.version ?? '';
    await expectCall(200, url('registration'), 'PUT', '/v1/me/consents', own, {
      consents: ['notifications_sms', 'notifications_email', 'notifications_wechat'].map(
        (purpose) => ({ purpose, given: false, textVersion: versionOf(purpose) }),
      ),
    });
    const mailsBefore = mails().length;
    const laterTitle = `书法课 ${run}`;
    const later = new Date(Date.now() + 3 * DAY_MS);
    const laterId = await publish(laterTitle, later, new Date(later.getTime() + 3_600_000));
    expect((await signUp(laterId)).status).toBe('confirmed');
    // The confirmation still reaches the inbox, which needs no consent; no email follows it.
    await eventuallyFound(
      'the later confirmation in the inbox',
      url('notifications'),
      '/v1/me/inbox?pageSize=100',
      own,
      (body) =>
        (body['items'] as { title: string; body: string }[]).find((item) =>
          `${item.title}${item.body}`.includes(laterTitle),
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(mails()).toHaveLength(mailsBefore);

    // ── closing the account ─────────────────────────────────────────────────
    const blocked = await call(url('registration'), 'POST', '/v1/me/erasure-requests', own);
    expect(blocked.status).toBe(409);
    expect(blocked.body['code']).toBe('ERASURE_BLOCKED');
    expect(JSON.stringify(blocked.body['details'])).toContain('AWARD_NOMINATION_PENDING');
    // Review and publication take days: the round is marked published, as they would leave it.
    await scoringDb
      .collection<{ _id: string }>('award_rounds')
      .updateOne({ _id: roundId }, { $set: { status: 'published', publishedAt: new Date() } });

    const ledgerSum = async (): Promise<number> => {
      const [sum] = await scoringDb
        .collection('ledger')
        .aggregate<{ total: number }>([
          { $match: { jurisdictionPath: township } },
          { $group: { _id: null, total: { $sum: '$amount' } } },
        ])
        .toArray();
      return sum?.total ?? 0;
    };
    const ledgerBefore = await ledgerSum();
    expect(ledgerBefore).toBeGreaterThan(0);

    const erasure = await expectCall(
      201,
      url('registration'),
      'POST',
      '/v1/me/erasure-requests',
      own,
    );
    const requestId = String(erasure['id']);
    const completions = () =>
      watch.messages.flatMap((watched) =>
        SERVICE_NAMES.flatMap((service) => {
          const found = completionIn(watched, privacyEvents.erasureCompletedBy[service], requestId);
          return found === undefined ? [] : [found];
        }),
      );
    await eventually(
      'every service’s completion',
      () => (completions().length >= SERVICE_NAMES.length ? true : undefined),
      60_000,
    );
    expect(
      completions()
        .map((completion) => completion.service)
        .sort(),
    ).toEqual([...SERVICE_NAMES].sort());
    // Once every service has confirmed, the account link is gone: the request is no one's.
    await eventually(
      'the request completed',
      async () =>
        (await call(url('registration'), 'GET', `/v1/me/erasure-requests/${requestId}`, own))
          .status === 404
          ? true
          : undefined,
      30_000,
    );

    // ── afterwards ──────────────────────────────────────────────────────────
    const answers = [
      await call(url('registration'), 'GET', `/v1/participants/${participantId}`, admin),
      await call(
        url('registration'),
        'GET',
        `/v1/participants?name=${encodeURIComponent(person.name)}`,
        admin,
      ),
      await call(url('registration'), 'GET', '/v1/me/participant', own),
      await call(url('scoring'), 'GET', `/v1/me/record?year=${year}`, own),
      await call(url('scoring'), 'GET', `/v1/awards/rounds/${roundId}/nominations`, admin),
      await call(
        url('scoring'),
        'GET',
        `/v1/public/leaderboards/persons-by-area/${township}?year=${year}`,
        null,
      ),
      await call(url('notifications'), 'GET', '/v1/me/inbox?pageSize=100', own),
    ];
    expect(answers[0]?.status).toBe(404);
    expect(answers[1]?.body['items']).toEqual([]);
    expect(answers[2]?.status).toBe(404);
    const secrets = [person.name, person.idNumber, person.phone, person.email];
    const maskedName = `${person.name.slice(0, 1)}*${person.name.slice(-1)}`;
    for (const answer of answers) {
      const text = JSON.stringify(answer.body);
      for (const secret of [...secrets, maskedName]) expect(text).not.toContain(secret);
    }
    expect(await ledgerSum(), 'the ledger still sums').toBe(ledgerBefore);

    // A replay of the request changes nothing: no service completes it again.
    const requestErasure = (id: string) =>
      producer.send({
        topic: privacyEvents.erasureRequested.topic.name,
        messages: [
          toKafkaMessage(
            toCloudEvent(
              newEvent(privacyEvents.erasureRequested, participantId, {
                requestId: id,
                participantId,
                requestedAt: new Date(),
                accountSubject: '',
              }),
              '/learning/registration',
            ),
          ),
        ],
      });
    await requestErasure(requestId);
    // A later request for the same person, on the same partition: once it is completed, so was the replay.
    const marker = randomUUID();
    await requestErasure(marker);
    await eventually(
      'the later request completed by every service',
      () =>
        watch.messages.filter((watched) =>
          SERVICE_NAMES.some(
            (service) =>
              completionIn(watched, privacyEvents.erasureCompletedBy[service], marker) !==
              undefined,
          ),
        ).length >= SERVICE_NAMES.length
          ? true
          : undefined,
      60_000,
    );
    expect(completions(), 'one completion per service, the replay none').toHaveLength(
      SERVICE_NAMES.length,
    );
    expect(await ledgerSum()).toBe(ledgerBefore);

    // No event and no log line ever carried the person's name, numbers or address.
    const published = watch.messages.map(({ message }) =>
      [message.value?.toString() ?? '', JSON.stringify(message.headers ?? {})].join(' '),
    );
    for (const secret of secrets)
      expect(
        published.filter((text) => text.includes(secret)),
        secret,
      ).toEqual([]);
    for (const file of readdirSync(LOG_DIRECTORY).filter((name) => name.endsWith('.log'))) {
      const log = readFileSync(`${LOG_DIRECTORY}${file}`, 'utf8');
      for (const secret of secrets) expect(log.includes(secret), `${file}: ${secret}`).toBe(false);
    }
  });
});
