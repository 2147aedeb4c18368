import { randomBytes, randomUUID } from 'node:crypto';
import { issueVerificationCode, VERIFICATION_CODE_RANDOM_BYTES } from '@learning/domain';
import { createGrpcClient } from '@learning/grpc';
import { common, scoring } from '@learning/proto';
import { captureLogger, describeWithServers, openApiProblems, uniqueName } from '@learning/testing';
import { parse } from 'csv-parse/sync';
import mongoose, { type Connection } from 'mongoose';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ledgerEntryModel } from '../../src/adapters/mongo/ledger.js';
import { ledgerEntry } from '../support/records.js';
import { registerParticipant } from '../support/participants.js';
import { useScoringStack } from '../support/stack.js';

const YEAR = 2026;
const DATABASE = uniqueName('scoring-records');
const VERIFICATION_KEY = randomBytes(32);

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

async function expectCode(response: Response, status: number, code: string): Promise<void> {
  const body = await json<{ code?: string }>(response);
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(body.code).toBe(code);
}

describeWithServers(['mongo', 'kafka', 'redis'], 'learning records', (servers) => {
  const stack = useScoringStack(servers, {
    scoringEnvironment: {
      MONGODB_DATABASE: DATABASE,
      VERIFICATION_KEY: VERIFICATION_KEY.toString('base64'),
    },
  });
  const village = (township: number) => stack.tree[(township - 1) * 5 + 2]?.code ?? '';
  const township = (n: number) => stack.tree[(n - 1) * 5 + 1]?.code ?? '';
  let connection: Connection;
  let zhang: string;
  let li: string;
  let organization: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: DATABASE })
      .asPromise();
    zhang = await registerParticipant(stack, 'zhang-account', '张晓明', village(1));
    li = await registerParticipant(stack, 'li-account', '李华', village(2));
    const admin = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
    const applicant = await stack.token({ subject: 'org-applicant', roles: ['org_admin'] });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'community',
      name: `书香社区 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: village(1),
    });
    organization = (await json<{ id: string }>(created)).id;
    expect(created.status).toBe(201);
    const joined = await stack.registration.send(
      'PUT',
      `/v1/organizations/${organization}/members/${zhang}`,
      admin,
      { role: 'member' },
    );
    expect(joined.status, await joined.clone().text()).toBe(200);

    const ledger = ledgerEntryModel(connection);
    await ledger.insertMany([
      ledgerEntry(zhang, {
        occurredAt: new Date('2026-03-02T02:00:00Z'),
        title: '玉海大讲坛：宋韵文化',
        organizationIds: [organization],
      }),
      ledgerEntry(zhang, {
        occurredAt: new Date('2026-04-15T06:00:00Z'),
        title: '法律进社区',
        source: 'activity_attended',
        category: 'market_economy_law',
        amount: 150,
        minutes: 60,
        organizationIds: [organization],
      }),
      ledgerEntry(zhang, {
        occurredAt: new Date('2026-05-20T06:00:00Z'),
        title: '读书会',
        category: 'ethics_etiquette',
        amount: 100,
        minutes: 30,
      }),
      ledgerEntry(zhang, { occurredAt: new Date('2025-12-01T02:00:00Z'), year: 2025 }),
      ledgerEntry(li, { occurredAt: new Date('2026-03-02T02:00:00Z') }),
      ledgerEntry(organization, {
        holderKind: 'organization',
        source: 'organization_recognized',
        category: null,
        amount: 1000,
        minutes: 0,
        organizationIds: [organization],
      }),
    ]);

    tokens.zhang = await stack.token({ subject: 'zhang-account', roles: ['participant'] });
    tokens.li = await stack.token({ subject: 'li-account', roles: ['participant'] });
    tokens.unregistered = await stack.token({ subject: 'nobody', roles: ['participant'] });
    tokens.admin = admin;
    tokens.orgAdmin = await stack.token({
      subject: 'org-admin',
      roles: ['org_admin'],
      organizations: [organization],
    });
    tokens.otherOrgAdmin = await stack.token({
      subject: 'other-org-admin',
      roles: ['org_admin'],
      organizations: [randomUUID()],
    });
    tokens.officer = await stack.token({
      subject: 'officer-1',
      roles: ['area_officer'],
      jurisdictions: [township(1)],
    });
    tokens.otherOfficer = await stack.token({
      subject: 'officer-2',
      roles: ['area_officer'],
      jurisdictions: [township(2)],
    });
  });

  afterAll(async () => {
    await connection.close();
  });

  const get = (path: string, token: string | null) => stack.scoring.send('GET', path, token);

  it('when a participant asks for their credits, then the year is the ledger’s sums by category, with their name', async () => {
    const response = await get(`/v1/me/credits?year=${YEAR}`, tokens.zhang ?? '');

    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      participantId: zhang,
      name: '张晓明',
      year: YEAR,
      totals: {
        credits: '4.5',
        hours: '3',
        entryCount: 3,
        byCategory: [
          { category: 'political_theory', credits: '2', hours: '1.5' },
          { category: 'market_economy_law', credits: '1.5', hours: '1' },
          { category: 'ethics_etiquette', credits: '1', hours: '0.5' },
        ],
      },
    });
  });

  it('when a participant pages through their record, then the entries come in event-time order', async () => {
    const first = await json<{ items: { title: string; date: string }[]; nextPageToken: string }>(
      await get(`/v1/me/record?year=${YEAR}&pageSize=2`, tokens.zhang ?? ''),
    );
    const second = await json<{ items: { title: string }[]; nextPageToken: string | null }>(
      await get(
        `/v1/me/record?year=${YEAR}&pageSize=2&pageToken=${encodeURIComponent(first.nextPageToken)}`,
        tokens.zhang ?? '',
      ),
    );

    expect(first.items.map((entry) => entry.title)).toEqual(['玉海大讲坛：宋韵文化', '法律进社区']);
    expect(first.items[0]).toMatchObject({
      date: '2026-03-02',
      source: 'lecture_attended',
      ruleId: 'lecture-base',
      ruleVersion: 1,
      credits: '2',
      reason: 'awarded',
    });
    expect(second.items.map((entry) => entry.title)).toEqual(['读书会']);
    expect(second.nextPageToken).toBeNull();
  });

  it('when the year is out of range or the account is not registered, then 400 RECORD_YEAR_INVALID and 404 RECORD_NOT_REGISTERED', async () => {
    await expectCode(
      await get('/v1/me/credits?year=1999', tokens.zhang ?? ''),
      400,
      'RECORD_YEAR_INVALID',
    );
    await expectCode(
      await get(`/v1/me/record?year=${YEAR + 2}`, tokens.zhang ?? ''),
      400,
      'RECORD_YEAR_INVALID',
    );
    await expectCode(
      await get('/v1/me/credits', tokens.unregistered ?? ''),
      404,
      'RECORD_NOT_REGISTERED',
    );
  });

  it('when the admin of the person’s organization, an officer of their area or the office asks, then they see the record', async () => {
    for (const token of [tokens.orgAdmin, tokens.officer, tokens.admin]) {
      const response = await get(`/v1/participants/${zhang}/record?year=${YEAR}`, token ?? '');
      expect(response.status).toBe(200);
      expect((await json<{ items: unknown[] }>(response)).items).toHaveLength(3);
    }
  });

  it('when another participant, an admin of another organization or an officer elsewhere asks, then 404 RECORD_NOT_FOUND, as for nobody', async () => {
    for (const token of [tokens.li, tokens.otherOrgAdmin, tokens.otherOfficer])
      for (const path of ['record', 'credits', 'record.csv', 'record.pdf'])
        await expectCode(
          await get(`/v1/participants/${zhang}/${path}?year=${YEAR}`, token ?? ''),
          404,
          'RECORD_NOT_FOUND',
        );
    await expectCode(
      await get(`/v1/participants/${randomUUID()}/record`, tokens.admin ?? ''),
      404,
      'RECORD_NOT_FOUND',
    );
  });

  it('when the record is exported as CSV, then it reads back as the entries, and its code verifies as current', async () => {
    const response = await get(`/v1/me/record.csv?year=${YEAR}`, tokens.zhang ?? '');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true });
    expect(rows[0]?.[0]).toBe('日期');
    expect(rows.slice(1).map((row) => [row[0], row[1], row[6]])).toEqual([
      ['2026-03-02', '玉海大讲坛：宋韵文化', '2'],
      ['2026-04-15', '法律进社区', '1.5'],
      ['2026-05-20', '读书会', '1'],
    ]);
    const code = response.headers.get('verification-code') ?? '';
    const verified = await get(`/v1/public/verifications/${code}`, null);
    expect(verified.status).toBe(200);
    const body = await json<Record<string, unknown>>(verified);
    expect(body).toMatchObject({
      genuine: true,
      code,
      year: YEAR,
      maskedName: '张*明',
      credits: '4.5',
      hours: '3',
      entryCount: 3,
      status: 'current',
    });
    expect(JSON.stringify(body)).not.toContain(zhang);
    expect(JSON.stringify(body)).not.toContain('张晓明');
    expect(verified.headers.get('x-cache')).toBe('miss');
    const again = await get(`/v1/public/verifications/${code}`, null);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(await json<Record<string, unknown>>(again)).toEqual(body);
  });

  it('when the record is exported as PDF by the org admin, then its text holds the name, the totals and the code', async () => {
    const response = await get(
      `/v1/participants/${zhang}/record.pdf?year=${YEAR}`,
      tokens.orgAdmin ?? '',
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const code = response.headers.get('verification-code') ?? '';
    const pdf = new Uint8Array(await response.arrayBuffer());
    const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
    const compact = text.replace(/\s+/g, '');
    expect(compact).toContain('姓名：张晓明');
    expect(compact).toContain('合计：4.5学分，3学时，3条记录');
    expect(compact).toContain('市场经济与法律：1.5学分，1学时');
    expect(compact).toContain(`验证码：${code}`);
  });

  it('when a code is altered by one character, unknown, or a later correction changed the year, then INVALID, UNKNOWN and superseded', async () => {
    const exported = await get(`/v1/me/record.csv?year=${YEAR}`, tokens.zhang ?? '');
    const code = exported.headers.get('verification-code') ?? '';
    const last = code.at(-1) === '7' ? '8' : '7';

    await expectCode(
      await get(`/v1/public/verifications/${code.slice(0, -1)}${last}`, null),
      400,
      'VERIFICATION_CODE_INVALID',
    );
    await expectCode(
      await get(
        `/v1/public/verifications/${issueVerificationCode(VERIFICATION_KEY, 'LS', YEAR, randomBytes(VERIFICATION_CODE_RANDOM_BYTES))}`,
        null,
      ),
      404,
      'VERIFICATION_CODE_UNKNOWN',
    );
    await expectCode(
      await get('/v1/public/verifications/not-a-code', null),
      400,
      'VERIFICATION_CODE_INVALID',
    );
    // Refusals are never cached: asked again, the code is checked again.
    const refusedAgain = await get('/v1/public/verifications/not-a-code', null);
    expect(refusedAgain.status).toBe(400);
    expect(refusedAgain.headers.get('x-cache')).toBeNull();

    const ledger = ledgerEntryModel(connection);
    const reading = await ledger.findOne({ holderId: zhang, title: '读书会' }).lean();
    await ledger.create(
      ledgerEntry(zhang, {
        ...reading,
        _id: randomUUID(),
        revision: 2,
        amount: -100,
        minutes: 0,
        reason: 'source_withdrawn',
      }),
    );
    const after = await json<{ status: string; credits: string }>(
      await get(`/v1/public/verifications/${code.toLowerCase()}`, null),
    );
    expect(after).toMatchObject({ status: 'superseded', credits: '4.5' });
  });

  it('when an org admin lists members’ credits, then each current member has name and totals; another org’s admin is refused', async () => {
    const response = await get(
      `/v1/organizations/${organization}/members/credits?year=${YEAR}`,
      tokens.orgAdmin ?? '',
    );
    const body = await json<{ items: Record<string, unknown>[] }>(response);

    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.items).toContainEqual(
      expect.objectContaining({ participantId: zhang, name: '张晓明', role: 'member' }),
    );
    expect(JSON.stringify(body)).not.toMatch(/phone|idNumber/);
    await expectCode(
      await get(`/v1/organizations/${organization}/members/credits`, tokens.otherOrgAdmin ?? ''),
      403,
      'RECORD_ORGANIZATION_FORBIDDEN',
    );
    await expectCode(
      await get(`/v1/organizations/${organization}/members/credits`, tokens.otherOfficer ?? ''),
      403,
      'RECORD_ORGANIZATION_FORBIDDEN',
    );
    await expectCode(
      await get(`/v1/organizations/${randomUUID()}/members/credits`, tokens.admin ?? ''),
      404,
      'RECORD_ORGANIZATION_NOT_FOUND',
    );
  });

  it('when a service asks CreditLedgerService, then it answers a person’s and an organization’s credits, and INVALID_ARGUMENT for bad ids and years', async () => {
    const token = await stack.token({
      subject: 'service:evaluation',
      roles: ['service'],
      service: 'evaluation',
      cityWide: true,
    });
    const client = createGrpcClient(scoring.CreditLedgerServiceClient, {
      address: `127.0.0.1:${stack.scoring.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () => token,
    });
    try {
      const person = await client.call.getPersonCredits({ participantId: li, year: YEAR });
      expect(person.credits).toMatchObject({
        participantId: li,
        year: YEAR,
        credits: { value: '2', unit: common.Unit.UNIT_CREDITS },
        hours: { value: '1.5', unit: common.Unit.UNIT_HOURS },
        entryCount: 1,
      });
      const organizationCredits = await client.call.getOrganizationCredits({
        organizationId: organization,
        year: 0,
      });
      expect(organizationCredits.credits).toMatchObject({
        organizationId: organization,
        year: YEAR,
        ownCredits: { value: '10' },
        memberCredits: { value: '3.5' },
        memberHours: { value: '2.5' },
        membersCredited: 1,
      });
      expect(organizationCredits.credits?.memberByCategory).toHaveLength(2);
      await expect(
        client.call.getPersonCredits({ participantId: 'not-an-id', year: YEAR }),
      ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'RECORD_ID_INVALID' });
      await expect(
        client.call.getOrganizationCredits({ organizationId: organization, year: 1999 }),
      ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'RECORD_YEAR_INVALID' });
    } finally {
      client.close();
    }
  });

  it('when the OpenAPI document is read, then every records and verification operation is documented with its errors', async () => {
    const { problems } = openApiProblems(await json(await get('/openapi.json', null)));

    expect(problems).toEqual([]);
  });
});
