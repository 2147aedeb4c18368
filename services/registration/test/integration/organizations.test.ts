import { randomUUID } from 'node:crypto';
import type { Role } from '@learning/auth';
import { organizationEvents } from '@learning/contracts';
import { topics } from '@learning/events';
import { createGrpcClient } from '@learning/grpc';
import { registration } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  jurisdictionTree,
  rejectionOf,
} from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { usePublishedEvents } from '../support/events.js';
import { seedJurisdictions } from '../support/http.js';
import { storedParticipant } from '../support/people.js';

const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T2_V1 = '330281002001';
/** Real codes whose GB 32100 check character is right. */
const CREDIT_CODE = '91110000600037341L';
const OTHER_CREDIT_CODE = '91440300708461136T';

const LEARNING_SYSTEM = {
  studyRules: '每周三下午集中学习',
  trainingPlan: '年度培训计划',
  trainingHoursPerYear: 40,
};

interface OrganizationBody {
  id: string;
  kind: string;
  name: string;
  creditCode: string | null;
  jurisdictionCode: string;
  jurisdictionPath: string[];
  leadDepartment: string;
  coDepartments: string[];
  learningSystem: typeof LEARNING_SYSTEM | null;
  status: string;
  history: { status: string; reason: string | null; decidedBy: string }[];
  version: number;
}

interface MembershipBody {
  participantId: string;
  role: string;
  status: string;
  endedAt: string | null;
}

interface Refusal {
  code: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration organizations', (servers) => {
  const running = useRegistrationApp(servers);
  const published = usePublishedEvents(servers, [topics.registrationOrganizations.name]);
  const tokens = {} as Record<
    'admin' | 't1Officer' | 't2Officer' | 'leadOfficer' | 'coOfficer' | 'applicant' | 'participant',
    string
  >;
  let database: Connection | undefined;

  beforeAll(async () => {
    const sign = running.issuer.sign.bind(running.issuer);
    tokens.admin = await sign({ subject: 'admin-1', roles: ['city_admin'] });
    tokens.t1Officer = await sign({
      subject: 't1-officer',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    tokens.t2Officer = await sign({
      subject: 't2-officer',
      roles: ['area_officer'],
      jurisdictions: [T2],
    });
    // 文明办 leads communities; 教育局 only co-owns them.
    tokens.leadOfficer = await sign({
      subject: 'wenming-officer',
      roles: ['department_officer'],
      department: 'wenming-ban',
      cityWide: true,
    });
    tokens.coOfficer = await sign({
      subject: 'jiaoyu-officer',
      roles: ['department_officer'],
      department: 'jiaoyu-ju',
      cityWide: true,
    });
    tokens.applicant = await sign({ subject: 'applicant-1', roles: ['org_admin'] });
    tokens.participant = await sign({ subject: 'person-1', roles: ['participant'] });
    await seedJurisdictions(
      running.base,
      tokens.admin,
      jurisdictionTree({ townships: 2, villagesPerTownship: 2 }),
    );
  });

  afterAll(async () => {
    await database?.close();
  });

  const send = running.send;

  async function register(
    body: Record<string, unknown>,
    token = tokens.applicant,
  ): Promise<OrganizationBody> {
    const response = await send('POST', '/v1/organizations', token, {
      kind: 'community',
      name: `学习型社区 ${randomUUID().slice(0, 6)}`,
      jurisdictionCode: T1_V1,
      ...body,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as OrganizationBody;
  }

  async function decide(
    id: string,
    body: Record<string, unknown>,
    token = tokens.leadOfficer,
  ): Promise<Response> {
    return send('POST', `/v1/organizations/${id}:decide`, token, body);
  }

  /** The app's own database, found by an organization only it holds; participants are seeded there. */
  async function appDatabase(organizationId: string): Promise<Connection> {
    if (database !== undefined) return database;
    const admin = await createConnection(servers.mongo.uri).asPromise();
    try {
      const { databases } = (await admin.db?.admin().listDatabases()) ?? { databases: [] };
      for (const { name } of databases.filter((db) => db.name.startsWith('registration'))) {
        const found = await admin
          .useDb(name)
          .collection<{ _id: string }>('organizations')
          .findOne({ _id: organizationId });
        if (found !== null) {
          database = await createConnection(servers.mongo.uri, { dbName: name }).asPromise();
          return database;
        }
      }
    } finally {
      await admin.close();
    }
    throw new Error('the app database was not found');
  }

  async function seedParticipant(organizationId: string): Promise<string> {
    const id = randomUUID();
    const db = await appDatabase(organizationId);
    await db.collection<{ _id: string }>('participants').insertOne({ _id: id });
    return id;
  }

  it('when the OpenAPI document is read, then every organization and membership route is in it', async () => {
    const response = await fetch(`${running.base}/openapi.json`);
    const paths = Object.keys(
      ((await response.json()) as { paths: Record<string, unknown> }).paths,
    );

    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/organizations',
        '/v1/organizations/{id}',
        '/v1/organizations/{id}:decide',
        '/v1/organizations/{id}/members',
        '/v1/organizations/{id}/members/{participantId}',
      ]),
    );
  });

  describe('registering', () => {
    it('when an org admin applies for a community, then it is applied, routed to 文明办 with its eleven co-owners, and published once', async () => {
      const organization = await register({
        creditCode: CREDIT_CODE.toLowerCase(),
        learningSystem: LEARNING_SYSTEM,
      });

      expect(organization).toMatchObject({
        kind: 'community',
        creditCode: CREDIT_CODE,
        jurisdictionCode: T1_V1,
        jurisdictionPath: ['330281000000', T1, T1_V1],
        leadDepartment: 'wenming-ban',
        learningSystem: LEARNING_SYSTEM,
        status: 'applied',
        history: [{ status: 'applied', reason: null, decidedBy: 'applicant-1' }],
        version: 1,
      });
      expect(organization.coDepartments).toHaveLength(11);
      const [event] = await published.waitFor(
        organizationEvents.organizationRegistered.type,
        organization.id,
      );
      expect(event?.data).toMatchObject({
        organizationId: organization.id,
        routing: {
          kind: 'ORGANIZATION_KIND_COMMUNITY',
          leadDepartment: 'wenming-ban',
          jurisdictionPath: ['330281000000', T1, T1_V1],
        },
        registeredBy: 'applicant-1',
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        published
          .about(organization.id)
          .filter((e) => e.type === organizationEvents.organizationRegistered.type),
      ).toHaveLength(1);
    });

    it('when a public institution applies, then it follows the agency routing (市直机关工委 leads)', async () => {
      const organization = await register({ kind: 'public_institution' });

      expect(organization.leadDepartment).toBe('shizhi-jiguan-gongwei');
      expect(organization.coDepartments).toEqual(['zuzhi-bu', 'xuanchuan-bu', 'renshi-ju']);
    });

    it('when the credit code is already registered, then 409 ORGANIZATION_ALREADY_EXISTS', async () => {
      await register({ creditCode: OTHER_CREDIT_CODE });

      const response = await send('POST', '/v1/organizations', tokens.applicant, {
        kind: 'enterprise',
        name: '另一家企业',
        jurisdictionCode: T1_V1,
        creditCode: OTHER_CREDIT_CODE,
      });

      expect(response.status).toBe(409);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_ALREADY_EXISTS');
    });

    it('when the credit code has a wrong check character, then 400 ORGANIZATION_CREDIT_CODE_INVALID', async () => {
      const response = await send('POST', '/v1/organizations', tokens.applicant, {
        kind: 'enterprise',
        name: '企业',
        jurisdictionCode: T1_V1,
        creditCode: '91110000600037341X',
      });

      expect(response.status).toBe(400);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_CREDIT_CODE_INVALID');
    });

    it('when the jurisdiction code is unknown, then 400 JURISDICTION_UNKNOWN', async () => {
      const response = await send('POST', '/v1/organizations', tokens.applicant, {
        kind: 'family',
        name: '张家',
        jurisdictionCode: '330281009009',
      });

      expect(response.status).toBe(400);
      expect(((await response.json()) as Refusal).code).toBe('JURISDICTION_UNKNOWN');
    });

    const hostile: [string, unknown, string][] = [
      [
        'a $-prefixed key',
        { kind: 'family', name: 'x', jurisdictionCode: T1_V1, $where: '1' },
        'FORBIDDEN_KEY',
      ],
      [
        'an operator as a value',
        { kind: 'family', name: { $ne: '' }, jurisdictionCode: T1_V1 },
        'FORBIDDEN_KEY',
      ],
      [
        'an unknown field',
        { kind: 'family', name: 'x', jurisdictionCode: T1_V1, status: 'recognized' },
        'VALIDATION_FAILED',
      ],
      [
        'a 101-character name',
        { kind: 'family', name: 'x'.repeat(101), jurisdictionCode: T1_V1 },
        'VALIDATION_FAILED',
      ],
      [
        'a huge study rule',
        {
          kind: 'family',
          name: 'x',
          jurisdictionCode: T1_V1,
          learningSystem: { ...LEARNING_SYSTEM, studyRules: 'x'.repeat(100_000) },
        },
        'VALIDATION_FAILED',
      ],
      ['a wrong type', { kind: 'family', name: 7, jurisdictionCode: T1_V1 }, 'VALIDATION_FAILED'],
      [
        'an unknown kind',
        { kind: 'club', name: 'x', jurisdictionCode: T1_V1 },
        'VALIDATION_FAILED',
      ],
    ];
    for (const [what, body, code] of hostile) {
      it(`when the body has ${what}, then 400 ${code}`, async () => {
        const response = await send('POST', '/v1/organizations', tokens.applicant, body);

        expect(response.status).toBe(400);
        expect(((await response.json()) as Refusal).code).toBe(code);
      });
    }

    it('when an area officer registers outside their township, then 403 OUT_OF_SCOPE', async () => {
      const response = await send('POST', '/v1/organizations', tokens.t2Officer, {
        kind: 'village_town',
        name: '某村',
        jurisdictionCode: T1_V1,
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as Refusal).code).toBe('OUT_OF_SCOPE');
    });

    it('when a participant tries to register one, then 403 ROLE_REQUIRED', async () => {
      const response = await send('POST', '/v1/organizations', tokens.participant, {
        kind: 'family',
        name: '李家',
        jurisdictionCode: T1_V1,
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as Refusal).code).toBe('ROLE_REQUIRED');
    });
  });

  describe('reading', () => {
    let inT1: OrganizationBody;
    let inT2: OrganizationBody;

    beforeAll(async () => {
      const prefix = `读书${randomUUID().slice(0, 4)}`;
      inT1 = await register({ kind: 'enterprise', name: `${prefix} 一厂` });
      inT2 = await register({
        kind: 'enterprise',
        name: `${prefix} 二厂`,
        jurisdictionCode: T2_V1,
      });
    });

    it('when an area officer of another township reads an organization, then 404; its own township gets it', async () => {
      const outside = await send('GET', `/v1/organizations/${inT1.id}`, tokens.t2Officer);
      const inside = await send('GET', `/v1/organizations/${inT1.id}`, tokens.t1Officer);

      expect(outside.status).toBe(404);
      expect(((await outside.json()) as Refusal).code).toBe('ORGANIZATION_NOT_FOUND');
      expect(inside.status).toBe(200);
      expect(((await inside.json()) as OrganizationBody).id).toBe(inT1.id);
    });

    it('when the applicant (not yet its admin) reads it, then 404', async () => {
      const response = await send('GET', `/v1/organizations/${inT1.id}`, tokens.applicant);

      expect(response.status).toBe(404);
    });

    it('when an area officer searches, then only organizations in their township come back', async () => {
      const response = await send(
        'GET',
        '/v1/organizations?kind=enterprise&pageSize=200',
        tokens.t1Officer,
      );
      const ids = ((await response.json()) as { items: OrganizationBody[] }).items.map((o) => o.id);

      expect(response.status).toBe(200);
      expect(ids).toContain(inT1.id);
      expect(ids).not.toContain(inT2.id);
    });

    it('when searching by a name prefix a page at a time, then each match comes once in name order', async () => {
      const prefix = inT1.name.split(' ')[0] ?? '';
      const first = await send(
        'GET',
        `/v1/organizations?namePrefix=${encodeURIComponent(prefix)}&pageSize=1`,
        tokens.admin,
      );
      const firstPage = (await first.json()) as {
        items: OrganizationBody[];
        nextPageToken: string;
      };
      const second = await send(
        'GET',
        `/v1/organizations?namePrefix=${encodeURIComponent(prefix)}&pageSize=1&pageToken=${encodeURIComponent(firstPage.nextPageToken)}`,
        tokens.admin,
      );
      const secondPage = (await second.json()) as {
        items: OrganizationBody[];
        nextPageToken: null;
      };

      expect([...firstPage.items, ...secondPage.items].map((o) => o.id)).toEqual([
        inT1.id,
        inT2.id,
      ]);
      expect(secondPage.nextPageToken).toBeNull();
    });

    it('when the name prefix holds regex characters, then they match literally', async () => {
      const response = await send(
        'GET',
        `/v1/organizations?namePrefix=${encodeURIComponent('.*')}`,
        tokens.admin,
      );

      expect(response.status).toBe(200);
      expect(((await response.json()) as { items: unknown[] }).items).toEqual([]);
    });

    it('when filtering by jurisdiction subtree and lead department, then both apply', async () => {
      const response = await send(
        'GET',
        `/v1/organizations?jurisdictionCode=${T2}&leadDepartment=jingmao-ju&pageSize=200`,
        tokens.admin,
      );
      const items = ((await response.json()) as { items: OrganizationBody[] }).items;

      expect(items.map((o) => o.id)).toContain(inT2.id);
      expect(
        items.every((o) => o.jurisdictionPath.includes(T2) && o.leadDepartment === 'jingmao-ju'),
      ).toBe(true);
    });

    it('when a query smuggles an operator, then 400 VALIDATION_FAILED', async () => {
      const response = await send('GET', '/v1/organizations?status[$ne]=applied', tokens.admin);

      expect(response.status).toBe(400);
    });

    it('when an org admin searches, then they see only the organizations they administer', async () => {
      const admin = await running.issuer.sign({
        subject: 'org-admin-2',
        roles: ['org_admin'],
        organizations: [inT2.id],
      });
      const response = await send('GET', '/v1/organizations?pageSize=200', admin);

      expect(
        ((await response.json()) as { items: OrganizationBody[] }).items.map((o) => o.id),
      ).toEqual([inT2.id]);
    });
  });

  describe('deciding', () => {
    let organization: OrganizationBody;

    beforeAll(async () => {
      organization = await register({});
    });

    it('when an officer of a co-responsible department starts the review, then 403 ORGANIZATION_DECISION_FORBIDDEN', async () => {
      const response = await decide(organization.id, { action: 'start_review' }, tokens.coOfficer);

      expect(response.status).toBe(403);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_DECISION_FORBIDDEN');
    });

    it('when an area officer of another township decides, then 404', async () => {
      const response = await decide(organization.id, { action: 'start_review' }, tokens.t2Officer);

      expect(response.status).toBe(404);
    });

    it('when the lead department reviews and recognizes it, then it is recognized with who decided, and published once', async () => {
      const reviewing = await decide(organization.id, { action: 'start_review' });
      const recognized = await decide(organization.id, { action: 'recognize', reason: '达标' });
      const body = (await recognized.json()) as OrganizationBody;

      expect(reviewing.status).toBe(200);
      expect(recognized.status).toBe(200);
      expect(body.status).toBe('recognized');
      expect(body.history.map((change) => change.status)).toEqual([
        'applied',
        'under_review',
        'recognized',
      ]);
      expect(body.history.at(-1)).toMatchObject({ reason: '达标', decidedBy: 'wenming-officer' });
      const [event] = await published.waitFor(
        organizationEvents.organizationRecognized.type,
        organization.id,
      );
      expect(event?.data).toMatchObject({
        fromStatus: 'ORGANIZATION_STATUS_UNDER_REVIEW',
        toStatus: 'ORGANIZATION_STATUS_RECOGNIZED',
        routing: { leadDepartment: 'wenming-ban' },
        decidedBy: 'wenming-officer',
      });
      await published.waitFor(organizationEvents.organizationReviewStarted.type, organization.id);
    });

    it('when a recognized organization is rejected, then 409 ORGANIZATION_TRANSITION_NOT_ALLOWED', async () => {
      const response = await decide(organization.id, { action: 'reject', reason: 'no' });

      expect(response.status).toBe(409);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_TRANSITION_NOT_ALLOWED');
    });

    it('when it is suspended without a reason, then 400 ORGANIZATION_REASON_REQUIRED', async () => {
      const response = await decide(organization.id, { action: 'suspend', reason: '  ' });

      expect(response.status).toBe(400);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_REASON_REQUIRED');
    });

    it('when the area officer suspends it with a reason on a stale version, then 409 VERSION_CONFLICT; on the current one it is suspended', async () => {
      const stale = await decide(
        organization.id,
        { action: 'suspend', reason: '停止活动', version: 1 },
        tokens.t1Officer,
      );
      const current = await decide(
        organization.id,
        { action: 'suspend', reason: '停止活动', version: 3 },
        tokens.t1Officer,
      );

      expect(stale.status).toBe(409);
      expect(((await stale.json()) as Refusal).code).toBe('VERSION_CONFLICT');
      expect(current.status).toBe(200);
      expect(((await current.json()) as OrganizationBody).status).toBe('suspended');
      const [event] = await published.waitFor(
        organizationEvents.organizationSuspended.type,
        organization.id,
      );
      expect(event?.data).toMatchObject({ reason: '停止活动', decidedBy: 't1-officer' });
    });

    it('when the city admin reads the audit log, then the registration and every decision are there', async () => {
      const actions = await eventually('the audit records', async () => {
        const response = await send(
          'GET',
          `/v1/audit-log?entityId=${organization.id}`,
          tokens.admin,
        );
        const items = ((await response.json()) as { items: { action: string }[] }).items;
        return items.length >= 4 ? items.map((item) => item.action) : undefined;
      });

      expect(actions.sort()).toEqual([
        'organization.recognize',
        'organization.register',
        'organization.start_review',
        'organization.suspend',
      ]);
    });

    it('when the suspended organization is reinstated, then its OrganizationRecognized says it is a reinstatement, and the first recognition said not', async () => {
      const reinstated = await decide(organization.id, { action: 'reinstate' });

      expect(reinstated.status).toBe(200);
      const [first, again] = await published.waitFor(
        organizationEvents.organizationRecognized.type,
        organization.id,
        2,
      );
      expect((first?.data as { reinstatement?: boolean }).reinstatement ?? false).toBe(false);
      expect(again?.data).toMatchObject({
        fromStatus: 'ORGANIZATION_STATUS_SUSPENDED',
        toStatus: 'ORGANIZATION_STATUS_RECOGNIZED',
        reinstatement: true,
      });
    });
  });

  describe('changing the profile', () => {
    let organization: OrganizationBody;
    let admin: string;

    beforeAll(async () => {
      organization = await register({});
      admin = await running.issuer.sign({
        subject: 'org-admin-3',
        roles: ['org_admin'],
        organizations: [organization.id],
      });
    });

    it('when its admin sets the learning system, then it is stored and the version moves', async () => {
      const response = await send('PATCH', `/v1/organizations/${organization.id}`, admin, {
        version: 1,
        learningSystem: LEARNING_SYSTEM,
      });
      const body = (await response.json()) as OrganizationBody;

      expect(response.status).toBe(200);
      expect(body.learningSystem).toEqual(LEARNING_SYSTEM);
      expect(body.version).toBe(2);
    });

    it('when the edit is based on an old version, then 409 VERSION_CONFLICT', async () => {
      const response = await send('PATCH', `/v1/organizations/${organization.id}`, admin, {
        version: 1,
        name: '新名字',
      });

      expect(response.status).toBe(409);
      expect(((await response.json()) as Refusal).code).toBe('VERSION_CONFLICT');
    });

    it('when a co-responsible department edits it, then 403 ORGANIZATION_MANAGE_FORBIDDEN', async () => {
      const response = await send(
        'PATCH',
        `/v1/organizations/${organization.id}`,
        tokens.coOfficer,
        { version: 2, name: '新名字' },
      );

      expect(response.status).toBe(403);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_MANAGE_FORBIDDEN');
    });

    it('when the edit names nothing to change, then 400 ORGANIZATION_CHANGE_EMPTY', async () => {
      const response = await send('PATCH', `/v1/organizations/${organization.id}`, admin, {
        version: 2,
      });

      expect(response.status).toBe(400);
      expect(((await response.json()) as Refusal).code).toBe('ORGANIZATION_CHANGE_EMPTY');
    });
  });

  describe('memberships', () => {
    let organization: OrganizationBody;
    let admin: string;
    let participantId: string;

    beforeAll(async () => {
      organization = await register({});
      admin = await running.issuer.sign({
        subject: 'org-admin-4',
        roles: ['org_admin'],
        organizations: [organization.id],
      });
      participantId = await seedParticipant(organization.id);
    });

    const memberPath = () => `/v1/organizations/${organization.id}/members/${participantId}`;

    it('when its admin adds a participant, then they are an active member and MembershipChanged (joined) is published once', async () => {
      const response = await send('PUT', memberPath(), admin, { role: 'member' });
      const again = await send('PUT', memberPath(), admin, { role: 'member' });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        participantId,
        role: 'member',
        status: 'active',
        endedAt: null,
      });
      expect(again.status).toBe(200);
      const [event] = await published.waitFor(
        organizationEvents.membershipChanged.type,
        `${organization.id}:${participantId}`,
      );
      expect(event?.data).toMatchObject({
        change: 'MEMBERSHIP_CHANGE_JOINED',
        role: 'MEMBERSHIP_ROLE_MEMBER',
        routing: { leadDepartment: 'wenming-ban' },
      });
    });

    it('when the role changes and the membership ends twice, then one event each and the second end changes nothing', async () => {
      const promoted = await send('PUT', memberPath(), tokens.t1Officer, { role: 'admin' });
      const ended = await send('DELETE', memberPath(), admin);
      const endedAgain = await send('DELETE', memberPath(), admin);

      expect(promoted.status).toBe(200);
      expect(ended.status).toBe(204);
      expect(endedAgain.status).toBe(204);
      const subject = `${organization.id}:${participantId}`;
      await published.waitFor(organizationEvents.membershipChanged.type, subject, 3);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const changes = published
        .about(subject)
        .filter((e) => e.type === organizationEvents.membershipChanged.type)
        .map((e) => (e.data as { change: string }).change);
      expect(changes).toEqual([
        'MEMBERSHIP_CHANGE_JOINED',
        'MEMBERSHIP_CHANGE_ROLE_CHANGED',
        'MEMBERSHIP_CHANGE_ENDED',
      ]);
    });

    it('when the members are listed by status, then the ended membership is among the ended ones', async () => {
      const ended = await send(
        'GET',
        `/v1/organizations/${organization.id}/members?status=ended`,
        admin,
      );
      const active = await send(
        'GET',
        `/v1/organizations/${organization.id}/members?status=active`,
        admin,
      );

      expect(((await ended.json()) as { items: MembershipBody[] }).items).toMatchObject([
        { participantId, role: 'admin', status: 'ended' },
      ]);
      expect(((await active.json()) as { items: MembershipBody[] }).items).toEqual([]);
    });

    it('when the participant does not exist, then 404 PARTICIPANT_NOT_FOUND', async () => {
      const response = await send(
        'PUT',
        `/v1/organizations/${organization.id}/members/${randomUUID()}`,
        admin,
        { role: 'member' },
      );

      expect(response.status).toBe(404);
      expect(((await response.json()) as Refusal).code).toBe('PARTICIPANT_NOT_FOUND');
    });

    it('when an area officer of another township adds or lists members, then 404', async () => {
      const put = await send('PUT', memberPath(), tokens.t2Officer, { role: 'member' });
      const list = await send(
        'GET',
        `/v1/organizations/${organization.id}/members`,
        tokens.t2Officer,
      );

      expect(put.status).toBe(404);
      expect(list.status).toBe(404);
    });

    it('when the role is not one of member or admin, then 400 VALIDATION_FAILED', async () => {
      const response = await send('PUT', memberPath(), admin, { role: 'owner' });

      expect(response.status).toBe(400);
      expect(((await response.json()) as Refusal).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('gRPC OrganizationDirectoryService.ListMembers', () => {
    let organization: OrganizationBody;
    const members: string[] = [];
    const clientAs = (claims: { subject: string; roles: Role[]; service?: string }) =>
      createGrpcClient(registration.OrganizationDirectoryServiceClient, {
        address: `127.0.0.1:${running.ports.grpcPort}`,
        logger: captureLogger('directory-client').logger,
        idempotentMethods: [],
        tokenProvider: () => running.issuer.sign(claims),
      });
    let scoring: ReturnType<typeof clientAs>;

    beforeAll(async () => {
      organization = await register({});
      const admin = await running.issuer.sign({
        subject: 'org-admin-members',
        roles: ['org_admin'],
        organizations: [organization.id],
      });
      scoring = clientAs({ subject: 'svc-scoring', roles: ['service'], service: 'scoring' });
      const db = await appDatabase(organization.id);
      for (let n = 0; n < 4; n += 1) {
        const person = storedParticipant({ _id: randomUUID(), jurisdictionPath: [T1, T1_V1] });
        await db.collection('participants').insertOne(person as never);
        members.push(person._id);
      }
      members.sort();
      for (const [n, participantId] of members.entries()) {
        const path = `/v1/organizations/${organization.id}/members/${participantId}`;
        const joined = await send('PUT', path, admin, { role: n === 0 ? 'admin' : 'member' });
        expect(joined.status).toBe(200);
      }
      // The last one leaves: only current members are listed.
      const ended = await send(
        'DELETE',
        `/v1/organizations/${organization.id}/members/${members[3] ?? ''}`,
        admin,
      );
      expect(ended.status).toBe(204);
    });
    afterAll(() => {
      scoring.close();
    });

    it('when a service pages through the members, then each current member comes once, in participant order, with role and joining time', async () => {
      const first = await scoring.call.listMembers({
        organizationId: organization.id,
        page: { pageSize: 2, pageToken: '' },
        roles: [],
      });
      const second = await scoring.call.listMembers({
        organizationId: organization.id,
        page: { pageSize: 2, pageToken: first.page?.nextPageToken ?? '' },
        roles: [],
      });

      expect(first.members.map((member) => member.participantId)).toEqual(members.slice(0, 2));
      expect(first.members[0]).toMatchObject({
        role: registration.MembershipRole.MEMBERSHIP_ROLE_ADMIN,
      });
      expect(first.members[1]).toMatchObject({
        role: registration.MembershipRole.MEMBERSHIP_ROLE_MEMBER,
      });
      expect(first.members.every((member) => member.joinedAt instanceof Date)).toBe(true);
      expect(first.page?.nextPageToken).not.toBe('');
      expect(second.members.map((member) => member.participantId)).toEqual([members[2]]);
      expect(second.page?.nextPageToken).toBe('');
    });

    it('when a service asks for admins only, then only the admins come; an unknown role is INVALID_ARGUMENT', async () => {
      const admins = await scoring.call.listMembers({
        organizationId: organization.id,
        page: { pageSize: 10, pageToken: '' },
        roles: [registration.MembershipRole.MEMBERSHIP_ROLE_ADMIN],
      });
      const plain = await scoring.call.listMembers({
        organizationId: organization.id,
        page: { pageSize: 10, pageToken: '' },
        roles: [registration.MembershipRole.MEMBERSHIP_ROLE_MEMBER],
      });

      expect(admins.members.map((member) => member.participantId)).toEqual([members[0]]);
      expect(plain.members.map((member) => member.participantId)).toEqual(members.slice(1, 3));
      expect(
        await rejectionOf(
          scoring.call.listMembers({
            organizationId: organization.id,
            roles: [registration.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED],
          }),
        ),
      ).toMatchObject({ kind: 'invalid_argument', code: 'MEMBER_ROLES_INVALID' });
    });

    it('when no page size is given, then the default page holds them all', async () => {
      const all = await scoring.call.listMembers({ organizationId: organization.id, roles: [] });

      expect(all.members.map((member) => member.participantId)).toEqual(members.slice(0, 3));
      expect(all.page?.nextPageToken).toBe('');
    });

    it('when the organization is unknown, then NOT_FOUND', async () => {
      expect(
        await rejectionOf(
          scoring.call.listMembers({
            organizationId: randomUUID(),
            page: { pageSize: 10, pageToken: '' },
            roles: [],
          }),
        ),
      ).toMatchObject({ kind: 'not_found', code: 'ORGANIZATION_NOT_FOUND' });
    });

    it('when the page size or token is bad, then INVALID_ARGUMENT', async () => {
      for (const page of [
        { pageSize: 501, pageToken: '' },
        { pageSize: -1, pageToken: '' },
      ])
        expect(
          await rejectionOf(
            scoring.call.listMembers({ organizationId: organization.id, page, roles: [] }),
          ),
        ).toMatchObject({ kind: 'invalid_argument', code: 'MEMBERS_PAGE_SIZE_INVALID' });
      expect(
        await rejectionOf(
          scoring.call.listMembers({
            organizationId: organization.id,
            page: { pageSize: 2, pageToken: 'not-a-token' },
            roles: [],
          }),
        ),
      ).toMatchObject({ kind: 'invalid_argument', code: 'CURSOR_INVALID' });
    });

    it('when the caller is no service, then PERMISSION_DENIED', async () => {
      const person = clientAs({ subject: 'person-1', roles: ['participant'] });
      try {
        expect(
          await rejectionOf(
            person.call.listMembers({ organizationId: organization.id, roles: [] }),
          ),
        ).toMatchObject({ kind: 'permission_denied' });
      } finally {
        person.close();
      }
    });
  });
});
