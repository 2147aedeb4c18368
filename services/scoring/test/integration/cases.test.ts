/**
 * Exemplary cases through the real app: awards written into scoring's awards
 * collection as approval leaves them, registration's participants and an
 * organization with its admin, then writing, publishing on consent,
 * CasePublished on the awards topic, the public feed and a withdrawal.
 */
import { randomUUID } from 'node:crypto';
import { evaluationEvents } from '@learning/contracts';
import { fromKafkaMessage, topics } from '@learning/events';
import { describeWithServers, uniqueName, watchTopics, type TopicWatch } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { awardModel, type AwardDocument } from '../../src/adapters/mongo/awards-models.js';
import { registerParticipant } from '../support/participants.js';
import { useScoringStack } from '../support/stack.js';
import { refusal, replySender } from '../support/replies.js';

const YEAR = 2026;
describeWithServers(['mongo', 'kafka', 'redis'], 'exemplary cases', (servers) => {
  const database = uniqueName('scoring-cases');
  const stack = useScoringStack(servers, { scoringEnvironment: { MONGODB_DATABASE: database } });
  const village = (township: number) => stack.tree[(township - 1) * 5 + 2]?.code ?? '';
  let db: Connection;
  let casesTopic: TopicWatch;
  let office: string;
  let zhang: string;
  let li: string;
  let member: string;
  let community: string;
  const personAward = randomUUID();
  const organizationAward = randomUUID();
  const unpublishedAward = randomUUID();

  const send = replySender(stack.scoring);

  const award = (id: string, fields: Partial<AwardDocument>): AwardDocument => ({
    _id: id,
    nominationId: randomUUID(),
    roundId: randomUUID(),
    year: YEAR,
    category: 'exemplary_individual',
    organizationKind: null,
    nominee: {
      kind: 'person',
      id: zhang,
      name: '张晓明',
      organizationKind: null,
      leadDepartment: null,
      jurisdictionPath: ['330281000000', village(1)],
      organizationIds: [],
    },
    place: 1,
    materialAwardFen: 500_000,
    fundingLineId: null,
    grantedBy: 'office',
    grantedAt: new Date(),
    publishedAt: new Date(),
    outbox: [],
    ...fields,
  });

  const story = (awardId: string, consentBy: string | null) => ({
    awardId,
    title: '十年读书路',
    body: '他坚持每周组织社区读书会……',
    images: [{ fileRef: 'file-store://cases/reading-club.jpg', caption: '读书会' }],
    ...(consentBy === null
      ? {}
      : {
          consent: {
            given: true,
            by: consentBy,
            recordedOn: '2026-12-20',
            documentRef: 'file-store://consents/signed.pdf',
          },
        }),
  });

  beforeAll(async () => {
    db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    casesTopic = await watchTopics(servers.kafka, [topics.scoringAwards.name]);
    office = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
    zhang = await registerParticipant(stack, `account-${randomUUID()}`, '张晓明', village(1));
    li = await registerParticipant(stack, `account-${randomUUID()}`, '李华', village(1));
    member = await registerParticipant(stack, `account-${randomUUID()}`, '王芳', village(1));
    const applicant = await stack.token({ subject: 'org-applicant', roles: ['org_admin'] });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'community',
      name: `书香社区 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: village(1),
    });
    community = ((await created.json()) as { id: string }).id;
    for (const [participant, role] of [
      [li, 'admin'],
      [member, 'member'],
    ] as const) {
      const joined = await stack.registration.send(
        'PUT',
        `/v1/organizations/${community}/members/${participant}`,
        office,
        { role },
      );
      expect(joined.status, await joined.clone().text()).toBe(200);
    }
    await awardModel(db).insertMany([
      award(personAward, {}),
      award(organizationAward, {
        category: 'exemplary_organization',
        organizationKind: 'community',
        nominee: {
          kind: 'organization',
          id: community,
          name: '书香社区',
          organizationKind: 'community',
          leadDepartment: 'wenming-ban',
          jurisdictionPath: ['330281000000', village(1)],
          organizationIds: [],
        },
      }),
      award(unpublishedAward, {
        publishedAt: null,
        nominee: { ...award('x', {}).nominee, id: li },
      }),
    ]);
  });

  afterAll(async () => {
    await casesTopic.stop();
    await db.close();
  });

  let personCase: string;

  it('when the office writes a case, then it is a draft; a second for the same award, or for no award, is refused', async () => {
    const created = await send('POST', '/v1/cases', office, story(personAward, zhang));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', name: '张晓明', publishedAt: null });
    personCase = created.body['id'] as string;
    expect(refusal(await send('POST', '/v1/cases', office, story(personAward, zhang)))).toEqual({
      status: 409,
      code: 'CASE_EXISTS',
    });
    expect(refusal(await send('POST', '/v1/cases', office, story(randomUUID(), zhang)))).toEqual({
      status: 404,
      code: 'CASE_AWARD_NOT_FOUND',
    });
    expect(
      refusal(
        await send('POST', '/v1/cases', office, {
          ...story(personAward, null),
          body: 'x'.repeat(20_001),
        }),
      ),
    ).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(
      refusal(
        await send('POST', '/v1/cases', office, {
          ...story(organizationAward, null),
          images: [{ fileRef: 'data:image/png;base64,AAAA', caption: '' }],
        }),
      ),
    ).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const participant = await stack.token({ subject: 'p', roles: ['participant'] });
    expect(
      refusal(await send('POST', '/v1/cases', participant, story(organizationAward, li))),
    ).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
    expect(refusal(await send('GET', `/v1/public/cases/${personCase}`, null))).toEqual({
      status: 404,
      code: 'CASE_NOT_FOUND',
    });
  });

  it('when a case lacks the right consent, then CASE_CONSENT_MISSING and it stays a draft; an unpublished award is CASE_AWARD_NOT_PUBLISHED', async () => {
    const noConsent = await send('POST', '/v1/cases', office, story(organizationAward, member));
    expect(noConsent.status).toBe(201);
    // A member is not an admin: the organization has not consented.
    expect(
      refusal(
        await send('POST', `/v1/cases/${noConsent.body['id'] as string}/publication`, office),
      ),
    ).toEqual({ status: 409, code: 'CASE_CONSENT_MISSING' });
    expect(
      (await send('GET', `/v1/cases/${noConsent.body['id'] as string}`, office)).body['status'],
    ).toBe('draft');
    const early = await send('POST', '/v1/cases', office, story(unpublishedAward, li));
    expect(
      refusal(await send('POST', `/v1/cases/${early.body['id'] as string}/publication`, office)),
    ).toEqual({ status: 409, code: 'CASE_AWARD_NOT_PUBLISHED' });
  });

  it('when the awardee consented, then the case is published, CasePublished keyed by the awardee, and the feed shows it masked', async () => {
    const published = await send('POST', `/v1/cases/${personCase}/publication`, office);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body['status']).toBe('published');
    expect(refusal(await send('POST', `/v1/cases/${personCase}/publication`, office))).toEqual({
      status: 409,
      code: 'CASE_NOT_PUBLISHABLE',
    });

    const [message] = await casesTopic.waitFor(
      'the case',
      ({ message: m }) => m.key?.toString() === zhang,
    );
    if (message === undefined) throw new Error('no CasePublished');
    const event = fromKafkaMessage(message.message);
    expect(event.type).toBe(evaluationEvents.CasePublished.type);
    expect(evaluationEvents.CasePublished.codec.fromJSON(event.data)).toMatchObject({
      caseId: personCase,
      awardId: personAward,
      year: YEAR,
      title: '十年读书路',
    });

    const feed = await send(
      'GET',
      `/v1/public/cases?year=${String(YEAR)}&kind=person&jurisdictionCode=${village(1)}`,
      null,
    );
    expect(feed.status).toBe(200);
    expect(feed.headers.get('x-cache')).toBe('miss');
    expect(feed.body['items']).toEqual([
      expect.objectContaining({ id: personCase, name: '张*明', title: '十年读书路' }),
    ]);
    expect(JSON.stringify(feed.body)).not.toContain('张晓明');
    expect(
      (
        await send(
          'GET',
          `/v1/public/cases?year=${String(YEAR)}&kind=person&jurisdictionCode=${village(1)}`,
          null,
        )
      ).headers.get('x-cache'),
    ).toBe('hit');
    expect((await send('GET', '/v1/public/cases?kind=community', null)).body['items']).toEqual([]);
    const one = await send('GET', `/v1/public/cases/${personCase}`, null);
    expect(one.body).toMatchObject({
      name: '张*明',
      images: [{ fileRef: 'file-store://cases/reading-club.jpg', caption: '读书会' }],
    });
  });

  it('when an organization’s admin consented, then its case is published under its name', async () => {
    const other = await awardModel(db).create(
      award(randomUUID(), {
        category: 'exemplary_organization',
        organizationKind: 'community',
        nominee: {
          kind: 'organization',
          id: community,
          name: '书香社区',
          organizationKind: 'community',
          leadDepartment: 'wenming-ban',
          jurisdictionPath: ['330281000000', village(1)],
          organizationIds: [],
        },
      }),
    );
    const created = await send('POST', '/v1/cases', office, story(other._id, li));
    const published = await send(
      'POST',
      `/v1/cases/${created.body['id'] as string}/publication`,
      office,
    );
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const feed = await send('GET', '/v1/public/cases?kind=community', null);
    expect(feed.body['items']).toEqual([
      expect.objectContaining({ name: '书香社区', nomineeKind: 'organization' }),
    ]);
  });

  it('when consent is withdrawn, then the case leaves the feed and cannot be published again', async () => {
    const withdrawn = await send('POST', `/v1/cases/${personCase}/withdrawal`, office, {
      reason: '本人撤回同意',
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', publishedAt: null });
    expect((withdrawn.body['consent'] as Record<string, unknown>)['withdrawnAt']).not.toBeNull();
    expect(refusal(await send('GET', `/v1/public/cases/${personCase}`, null))).toEqual({
      status: 404,
      code: 'CASE_NOT_FOUND',
    });
    expect(
      (
        await send(
          'GET',
          `/v1/public/cases?year=${String(YEAR)}&kind=person&jurisdictionCode=${village(1)}`,
          null,
        )
      ).body['items'],
    ).toEqual([]);
    expect(refusal(await send('POST', `/v1/cases/${personCase}/publication`, office))).toEqual({
      status: 409,
      code: 'CASE_NOT_PUBLISHABLE',
    });
    expect(
      refusal(await send('POST', `/v1/cases/${personCase}/withdrawal`, office, { reason: '再次' })),
    ).toEqual({ status: 409, code: 'CASE_NOT_PUBLISHED' });
  });
});
