import { randomUUID } from 'node:crypto';
import { AppError } from '@learning/errors';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { common, registration } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  jurisdictionTree,
  rejectionOf,
} from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { participantModel } from '../../src/adapters/mongo/participants.js';
import { useRegistrationApp } from '../support/app.js';
import { seedJurisdictions } from '../support/http.js';
import { idNumberOf, storedParticipant } from '../support/people.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T2_V1 = '330281002001';

const CHANNEL_PHONE = '13900007777';
const CHANNEL_EMAIL = 'zhangsan7@example.cn';
const CHANNEL_OPENID = 'oAbC_123-channels-openid';

/** Participants written straight into the collection, so the stream has thousands to read. */
const BULK = 3000;
const TIER_CYCLE = ['ordinary_citizen', 'pupil', 'leading_cadre'] as const;
const bulkId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Directory = GrpcClient<typeof registration.ParticipantDirectoryServiceService>;

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration participant directory',
  (servers) => {
    const running = useRegistrationApp(servers);
    const run = randomUUID().slice(0, 8);
    let connection: Connection;
    let notifications: Directory;
    let scoring: Directory;
    let anonymous: Directory;
    const registered: { id: string; phone: string }[] = [];

    const clientAs = (service: string | null): Directory =>
      createGrpcClient(registration.ParticipantDirectoryServiceClient, {
        address: `127.0.0.1:${running.ports.grpcPort}`,
        logger: captureLogger('directory-client').logger,
        idempotentMethods: [],
        deadlineMs: 20_000,
        ...(service === null
          ? {}
          : {
              tokenProvider: () =>
                running.issuer.sign({ subject: `svc-${service}`, roles: ['service'], service }),
            }),
      });

    /** The app's own database: the one whose participants include a record made through the API. */
    async function appDatabase(knownId: string): Promise<string> {
      const client = connection.getClient();
      const { databases } = await client.db('admin').admin().listDatabases();
      for (const { name } of databases) {
        if (!name.startsWith('registration')) continue;
        const found = await client
          .db(name)
          .collection('participants')
          .countDocuments({ _id: knownId as never });
        if (found > 0) return name;
      }
      throw new Error('the registration database was not found');
    }

    beforeAll(async () => {
      const admin = await running.issuer.sign({ subject: `admin-${run}`, roles: ['city_admin'] });
      await seedJurisdictions(running.base, admin, tree);
      for (const [index, consent] of [true, false].entries()) {
        const phone = `1370000000${index}`;
        const token = await running.issuer.sign({
          subject: `person-${index}-${run}`,
          roles: ['participant'],
        });
        const response = await running.send('POST', '/v1/participants', token, {
          name: `王${index}`,
          tier: 'ordinary_cadre',
          homeJurisdiction: T2_V1,
          idNumber: idNumberOf('19700101', String(500 + index)),
          phone,
          language: index === 0 ? 'en' : 'zh-CN',
          consent: { notifications: consent },
        });
        expect(response.status).toBe(201);
        registered.push({ id: ((await response.json()) as { id: string }).id, phone });
      }

      connection = await mongoose.createConnection(servers.mongo.uri).asPromise();
      const db = connection.useDb(await appDatabase(registered[0]?.id ?? ''));
      const now = new Date();
      const docs = Array.from({ length: BULK }, (_, n) =>
        storedParticipant(
          {
            _id: bulkId(n),
            name: `批量${n}`,
            tier: TIER_CYCLE[n % 3],
            jurisdictionPath: n % 2 === 0 ? [CITY, T1, T1_V1] : [CITY, T2, T2_V1],
            birthDate: null,
            idNumber: { hash: `bulk-${n}`, sealed: 'v1.x', masked: '******' },
            consent: { notifications: n % 5 !== 0, updatedAt: now },
          },
          now,
        ),
      );
      await participantModel(db).collection.insertMany(docs as never[]);
      // Enterprise members: every 10th participant, with a second membership each to prove de-duplication;
      // every 7th has only an ended one, which must not count.
      const memberships = docs.flatMap((doc, n) => {
        const base = { participantId: doc._id, jurisdictionPath: doc.jurisdictionPath };
        if (n % 10 === 0)
          return [
            {
              ...base,
              organizationId: `org-${n}-a`,
              organizationKind: 'enterprise',
              status: 'active',
            },
            {
              ...base,
              organizationId: `org-${n}-b`,
              organizationKind: 'enterprise',
              status: 'active',
            },
          ];
        if (n % 7 === 0)
          return [
            {
              ...base,
              organizationId: `org-${n}`,
              organizationKind: 'enterprise',
              status: 'ended',
            },
          ];
        return [];
      });
      await db.collection('memberships').insertMany(memberships);
      // Event activities:e1: the first 40 confirmed, the next 10 waitlisted or cancelled.
      await db.collection('enrollments').insertMany(
        docs.slice(0, 50).map((doc, n) => ({
          eventKey: 'activities:e1',
          participantId: doc._id,
          status: n < 40 ? 'confirmed' : n % 2 === 0 ? 'waitlisted' : 'cancelled',
          checkInCode: `code-${n}`,
          sequence: n + 1,
        })),
      );
      notifications = clientAs('notifications');
      scoring = clientAs('scoring');
      anonymous = clientAs(null);
    });

    afterAll(async () => {
      notifications.close();
      scoring.close();
      anonymous.close();
      await connection.close();
    });

    async function audience(
      request: Partial<registration.ResolveAudienceRequest>,
      client: Directory = scoring,
    ): Promise<{ pages: number[]; ids: string[] }> {
      const pages: number[] = [];
      const ids: string[] = [];
      for await (const page of client.call.resolveAudience({
        tiers: [],
        jurisdictionCodes: [],
        organizationKinds: [],
        eventKey: '',
        pageSize: 0,
        afterId: '',
        ...request,
      })) {
        pages.push(page.participants.length);
        ids.push(...page.participants.map((member) => member.id));
      }
      return { pages, ids };
    }

    const expectedIds = (admit: (n: number) => boolean): string[] =>
      Array.from({ length: BULK }, (_, n) => n)
        .filter(admit)
        .map(bulkId)
        .sort();

    it('when a service asks for participants by id, then it gets them masked and unknown ids are absent', async () => {
      const [first] = registered;
      const reply = await scoring.call.getParticipants({
        ids: [first?.id ?? '', randomUUID(), bulkId(3)],
        accountSubjects: [],
      });

      expect(reply.participants.map((p) => p.id).sort()).toEqual([first?.id, bulkId(3)].sort());
      const person = reply.participants.find((p) => p.id === first?.id);
      expect(person).toMatchObject({
        name: '王0',
        tier: common.Tier.TIER_ORDINARY_CADRE,
        jurisdictionPath: [CITY, T2, T2_V1],
        language: 'en',
        notificationsConsent: true,
        maskedPhone: '137****0000',
      });
      expect(JSON.stringify(reply)).not.toContain(first?.phone);
    });

    it('when a service asks for participants, then each comes with the organizations they are a member of now, read for all at once', async () => {
      const reply = await scoring.call.getParticipants({
        ids: [bulkId(10), bulkId(7), bulkId(3)],
        accountSubjects: [],
      });
      const organizationsOf = (id: string) =>
        reply.participants.find((p) => p.id === id)?.organizationIds;

      expect(organizationsOf(bulkId(10))).toEqual(['org-10-a', 'org-10-b']);
      // Only an ended membership: none now.
      expect(organizationsOf(bulkId(7))).toEqual([]);
      expect(organizationsOf(bulkId(3))).toEqual([]);
    });

    it('when ids are missing, too many or malformed, then INVALID_ARGUMENT', async () => {
      for (const ids of [[], Array.from({ length: 501 }, () => randomUUID()), ['{"$gt":""}']]) {
        const error = await rejectionOf(scoring.call.getParticipants({ ids, accountSubjects: [] }));
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ kind: 'invalid_argument', code: 'PARTICIPANT_IDS_INVALID' });
      }
    });

    it('when a service asks by account subject, then it gets the person with the birth date of their ID number; a record without one has none', async () => {
      const [first] = registered;
      const reply = await scoring.call.getParticipants({
        ids: [bulkId(3)],
        accountSubjects: [`person-0-${run}`, `person-0-${run}`, `nobody-${run}`],
      });

      expect(reply.participants.map((p) => p.id).sort()).toEqual([first?.id, bulkId(3)].sort());
      expect(reply.participants.find((p) => p.id === first?.id)).toMatchObject({
        name: '王0',
        birthDate: '1970-01-01',
        accountSubject: `person-0-${run}`,
        maskedPhone: '137****0000',
      });
      expect(reply.participants.find((p) => p.id === bulkId(3))).toMatchObject({
        birthDate: '',
        accountSubject: '',
      });
    });

    it('when account subjects are too many or empty, or the caller is no service, then it is refused', async () => {
      const tooMany = Array.from({ length: 101 }, (_, n) => `person-${n}`);
      for (const accountSubjects of [tooMany, ['']]) {
        const error = await rejectionOf(scoring.call.getParticipants({ ids: [], accountSubjects }));
        expect(error).toMatchObject({ kind: 'invalid_argument', code: 'PARTICIPANT_IDS_INVALID' });
      }
      expect(
        await rejectionOf(
          anonymous.call.getParticipants({ ids: [], accountSubjects: [`person-0-${run}`] }),
        ),
      ).toMatchObject({ kind: 'unauthenticated' });
    });

    it('when notifications asks for contacts, then it gets full phones of consenting participants only', async () => {
      const reply = await notifications.call.getContacts({ ids: registered.map((p) => p.id) });

      expect(reply.contacts).toEqual([
        {
          participantId: registered[0]?.id,
          phone: registered[0]?.phone,
          email: '',
          wechatOpenId: '',
          language: 'en',
        },
      ]);
    });

    it('when people consent per channel, then contacts carry each address only for a consented channel, and their own record shows the email masked and never the openid', async () => {
      const token = await running.issuer.sign({
        subject: `person-channels-${run}`,
        roles: ['participant'],
      });
      const created = await running.send('POST', '/v1/participants', token, {
        name: '渠道',
        tier: 'ordinary_citizen',
        homeJurisdiction: T2_V1,
        idNumber: idNumberOf('19700101', '777'),
        phone: CHANNEL_PHONE,
        email: CHANNEL_EMAIL,
        wechatOpenId: CHANNEL_OPENID,
        language: 'zh-CN',
        consent: { sms: false, email: true, wechat: true },
      });
      expect(created.status).toBe(201);
      const record = (await created.json()) as {
        id: string;
        version: number;
        emailMasked: string;
        hasWechatOpenId: boolean;
        consent: Record<string, unknown>;
      };
      expect(record).toMatchObject({
        emailMasked: 'z********@example.cn',
        hasWechatOpenId: true,
        consent: { notifications: true, sms: { given: false }, email: { given: true } },
      });
      // One more person in the city: the whole-city audience below counts them.
      registered.push({ id: record.id, phone: CHANNEL_PHONE });
      expect(JSON.stringify(record)).not.toContain(CHANNEL_OPENID);
      expect(JSON.stringify(record)).not.toContain(CHANNEL_EMAIL);

      const before = await notifications.call.getContacts({ ids: [record.id] });
      expect(before.contacts).toEqual([
        {
          participantId: record.id,
          phone: '',
          email: CHANNEL_EMAIL,
          wechatOpenId: CHANNEL_OPENID,
          language: 'zh-CN',
        },
      ]);

      // The person withdraws e-mail and WeChat and gives SMS on their own record.
      const corrected = await running.send('PATCH', '/v1/me/participant', token, {
        version: record.version,
        consent: { sms: true, email: false, wechat: false },
      });
      expect(corrected.status).toBe(200);
      const after = await notifications.call.getContacts({ ids: [record.id] });
      expect(after.contacts).toEqual([
        {
          participantId: record.id,
          phone: CHANNEL_PHONE,
          email: '',
          wechatOpenId: '',
          language: 'zh-CN',
        },
      ]);

      const contradictory = await running.send('PATCH', '/v1/me/participant', token, {
        version: record.version + 1,
        consent: { notifications: false, email: true },
      });
      expect(contradictory.status).toBe(400);
      expect(((await contradictory.json()) as { code: string }).code).toBe('CONSENT_CONTRADICTORY');
      const badOpenId = await running.send('PATCH', '/v1/me/participant', token, {
        version: record.version + 1,
        wechatOpenId: 'not an openid',
      });
      expect(badOpenId.status).toBe(400);
      expect(((await badOpenId.json()) as { code: string }).code).toBe('WECHAT_OPENID_FORMAT');
    });

    it('when another service or no service asks for contacts, then PERMISSION_DENIED or UNAUTHENTICATED', async () => {
      const ids = registered.map((p) => p.id);
      expect(await rejectionOf(scoring.call.getContacts({ ids }))).toMatchObject({
        kind: 'permission_denied',
        code: 'CONTACTS_FORBIDDEN',
      });
      expect(await rejectionOf(anonymous.call.getContacts({ ids }))).toMatchObject({
        kind: 'unauthenticated',
      });
    });

    it('when the whole city is resolved, then every participant arrives once in pages of at most 1000', async () => {
      const { pages, ids } = await audience({});

      expect(ids).toHaveLength(BULK + registered.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages.every((size) => size > 0 && size <= 1000)).toBe(true);
      expect(pages.slice(0, -1).every((size) => size === 1000)).toBe(true);
    });

    it('when tiers and a jurisdiction subtree are given, then only participants matching both arrive', async () => {
      const { ids, pages } = await audience({
        tiers: [common.Tier.TIER_PUPIL, common.Tier.TIER_LEADING_CADRE],
        jurisdictionCodes: [T1],
        pageSize: 250,
      });

      expect(ids.sort()).toEqual(expectedIds((n) => n % 2 === 0 && n % 3 !== 0));
      expect(Math.max(...pages)).toBeLessThanOrEqual(250);
    });

    it('when an organization kind is given, then active members arrive once each and ended memberships do not count', async () => {
      const { ids } = await audience({
        organizationKinds: [common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE],
        pageSize: 100,
      });

      expect(ids.sort()).toEqual(expectedIds((n) => n % 10 === 0));
    });

    it('when an event is given, then its confirmed participants arrive; combined with a kind and a subtree, all must hold', async () => {
      expect((await audience({ eventKey: 'activities:e1' })).ids.sort()).toEqual(
        expectedIds((n) => n < 40),
      );

      const combined = await audience({
        eventKey: 'activities:e1',
        organizationKinds: [common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE],
        jurisdictionCodes: [T1],
      });
      expect(combined.ids.sort()).toEqual(
        expectedIds((n) => n < 40 && n % 10 === 0 && n % 2 === 0),
      );
    });

    it('when the filter is malformed, then INVALID_ARGUMENT before anything streams', async () => {
      for (const request of [
        { tiers: [common.Tier.TIER_UNSPECIFIED] },
        { jurisdictionCodes: ['{"$ne":null}'] },
        { eventKey: 'no-owner' },
        { pageSize: 1001 },
      ]) {
        const error = await rejectionOf(audience(request));
        expect(error).toMatchObject({ kind: 'invalid_argument', code: 'AUDIENCE_FILTER_INVALID' });
      }
    });

    it('when the caller stops after the first page, then the server ends the call as cancelled and keeps serving', async () => {
      let received = 0;
      for await (const page of scoring.call.resolveAudience({
        tiers: [],
        jurisdictionCodes: [],
        organizationKinds: [],
        eventKey: '',
        pageSize: 20,
        afterId: '',
      })) {
        received += page.participants.length;
        break;
      }
      expect(received).toBe(20);

      await eventually('the cancelled stream to be logged', () =>
        running.logs.lines.find(
          (line) =>
            line['method'] ===
              'learning.registration.v1.ParticipantDirectoryService/ResolveAudience' &&
            line['grpcStatus'] === 'CANCELLED',
        ),
      );
      const reply = await scoring.call.getParticipants({ ids: [bulkId(1)], accountSubjects: [] });
      expect(reply.participants).toHaveLength(1);
    });

    it('when an audience is resolved, then ids ascend; resumed after an id, it goes on strictly after it; counted, it has that many', async () => {
      for (const criteria of [
        {},
        { tiers: [common.Tier.TIER_PUPIL], jurisdictionCodes: [T1] },
        { organizationKinds: [common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE] },
        { eventKey: 'activities:e1' },
      ]) {
        const whole = await audience({ ...criteria, pageSize: 97 });
        expect(whole.ids.length).toBeGreaterThan(2);
        expect(whole.ids).toEqual([...whole.ids].sort());
        const cut = Math.floor(whole.ids.length / 2);
        const resumed = await audience({ ...criteria, afterId: whole.ids[cut - 1] ?? '' });
        expect(resumed.ids).toEqual(whole.ids.slice(cut));
        const counted = await scoring.call.countAudience({
          tiers: [],
          jurisdictionCodes: [],
          organizationKinds: [],
          eventKey: '',
          ...criteria,
        });
        expect(Number(counted.count)).toBe(whole.ids.length);
      }
      expect(await rejectionOf(audience({ afterId: 'not-a-participant-id' }))).toMatchObject({
        kind: 'invalid_argument',
        code: 'AUDIENCE_FILTER_INVALID',
      });
      expect(
        await rejectionOf(
          scoring.call.countAudience({
            tiers: [],
            jurisdictionCodes: ['$where'],
            organizationKinds: [],
            eventKey: '',
          }),
        ),
      ).toMatchObject({ kind: 'invalid_argument', code: 'AUDIENCE_FILTER_INVALID' });
    });

    it('when everything above has run, then no log line holds a registered phone or birth date', () => {
      const text = JSON.stringify(running.logs.lines);
      for (const { phone } of registered) expect(text).not.toContain(phone);
      for (const value of [CHANNEL_PHONE, CHANNEL_EMAIL, CHANNEL_OPENID])
        expect(text).not.toContain(value);
      expect(text).not.toContain('1970-01-01');
    });
  },
);
