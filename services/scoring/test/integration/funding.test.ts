/**
 * Funding through the real app and adapters: the office's lines (If-Match,
 * what remains, commitments racing on the line), receipts resolved through
 * registration's directory within an officer's area, enterprises' reports
 * produced to Kafka as activities' relay publishes them (consumer group
 * scoring.funding: a duplicate and an older revision change nothing), and
 * the year's totals.
 */
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage } from '@learning/events';
import { activities } from '@learning/proto';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingLineModel } from '../../src/adapters/mongo/evaluation-models.js';
import { MongoFundingCommitments } from '../../src/adapters/mongo/funding-commitments.js';
import { useScoringStack } from '../support/stack.js';
import { refusal, replySender, type Reply } from '../support/replies.js';

const CITY = '330281000000';
const TOWNSHIP_1 = '330281001000';
const VILLAGE_1_2 = '330281001002';
const TOWNSHIP_2 = '330281002000';
const VILLAGE_2_1 = '330281002001';
/** A year no other file funds or reports, so the totals are this file's alone. */
const YEAR = 2031;
const LEAD = 'jingmao-ju';

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring: funding', (servers) => {
  const database = uniqueName('scoring-funding');
  const stack = useScoringStack(servers, { scoringEnvironment: { MONGODB_DATABASE: database } });
  const tokens: Record<string, string> = {};
  const enterprise = `org-${randomUUID()}`;
  const otherEnterprise = `org-${randomUUID()}`;
  let connection: Connection;
  let producer: Producer;

  beforeAll(async () => {
    tokens['office'] = await stack.token({
      subject: 'office-1',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens['area'] = await stack.token({
      subject: 'area-1',
      roles: ['area_officer'],
      jurisdictions: [TOWNSHIP_1],
    });
    tokens['department'] = await stack.token({
      subject: 'dept-1',
      roles: ['department_officer'],
      department: LEAD,
    });
    tokens['otherDepartment'] = await stack.token({
      subject: 'dept-2',
      roles: ['department_officer'],
      department: 'fulian',
    });
    tokens['admin'] = await stack.token({
      subject: 'admin-1',
      roles: ['org_admin'],
      organizations: [enterprise],
    });
    tokens['participant'] = await stack.token({ subject: 'p-1', roles: ['participant'] });
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    const kafka = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await connection.close();
  });

  const sendAs = replySender(stack.scoring);
  const send = (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => sendAs(method, path, tokens[who] ?? null, body, headers);
  const itemsOf = (reply: Reply) => reply.body['items'] as Record<string, unknown>[];

  const line = (code: string, amountYuan: string, purpose = '') => ({
    year: YEAR,
    code,
    name: `经费 ${code}`,
    purpose,
    amountYuan,
  });

  describe('the allocation’s lines', () => {
    it('when the office adds a line, then all of it remains, the ETag is its revision, and its code is the year’s own', async () => {
      const created = await send(
        'office',
        'POST',
        '/v1/funding/lines',
        line('awards', '150000', 'awards'),
      );

      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toMatchObject({
        year: YEAR,
        code: 'awards',
        purpose: 'awards',
        amountYuan: '150000.00',
        remainingYuan: '150000.00',
        revision: 1,
      });
      expect(
        refusal(await send('office', 'POST', '/v1/funding/lines', line('awards', '1'))),
      ).toEqual({
        status: 409,
        code: 'FUNDING_LINE_EXISTS',
      });
      const nextYear = await send('office', 'POST', '/v1/funding/lines', {
        ...line('awards', '1'),
        year: YEAR + 1,
      });
      expect(nextYear.status).toBe(201);
    });

    it('when a line is bad or its writer is not the office, then it is refused with a stable code and nothing is stored', async () => {
      const bad = [
        await send('office', 'POST', '/v1/funding/lines', line('bad-amount', '0')),
        await send('office', 'POST', '/v1/funding/lines', line('bad-amount', '1.234')),
        await send('office', 'POST', '/v1/funding/lines', line('bad-amount', '10000000000.01')),
        await send('office', 'POST', '/v1/funding/lines', line('Bad Code', '10')),
        await send('office', 'POST', '/v1/funding/lines', { ...line('extra', '10'), extra: 1 }),
        await send('area', 'POST', '/v1/funding/lines', line('by-area', '10')),
      ];

      expect(bad.map(refusal)).toEqual([
        { status: 400, code: 'FUNDING_AMOUNT_INVALID' },
        { status: 400, code: 'FUNDING_AMOUNT_INVALID' },
        { status: 400, code: 'FUNDING_AMOUNT_INVALID' },
        { status: 400, code: 'VALIDATION_FAILED' },
        { status: 400, code: 'VALIDATION_FAILED' },
        { status: 403, code: 'ROLE_REQUIRED' },
      ]);
      const listed = await send('office', 'GET', `/v1/funding/lines?year=${String(YEAR)}`);
      expect(itemsOf(listed).map((item) => item['code'])).toEqual(['awards']);
    });

    it('when the same POST is replayed with its Idempotency-Key, then one line is stored and the answer repeats', async () => {
      const key = randomUUID();
      const body = { ...line('replayed', '10'), year: YEAR + 2 };

      const first = await send('office', 'POST', '/v1/funding/lines', body, {
        'idempotency-key': key,
      });
      const replay = await send('office', 'POST', '/v1/funding/lines', body, {
        'idempotency-key': key,
      });

      expect(first.status).toBe(201);
      expect(replay.body['id']).toBe(first.body['id']);
      const listed = await send('office', 'GET', `/v1/funding/lines?year=${String(YEAR + 2)}`);
      expect(itemsOf(listed)).toHaveLength(1);
    });

    it('when officers list the lines, then they are the year’s, by code, in pages', async () => {
      await send(
        'office',
        'POST',
        '/v1/funding/lines',
        line('training-rural', '200000.50', 'rural'),
      );
      await send('office', 'POST', '/v1/funding/lines', line('general', '50000'));

      const first = await send(
        'department',
        'GET',
        `/v1/funding/lines?year=${String(YEAR)}&pageSize=2`,
      );
      expect(first.status).toBe(200);
      expect(itemsOf(first).map((item) => item['code'])).toEqual(['awards', 'general']);
      const token = first.body['nextPageToken'] as string;
      const second = await send(
        'area',
        'GET',
        `/v1/funding/lines?year=${String(YEAR)}&pageSize=2&pageToken=${encodeURIComponent(token)}`,
      );
      expect(itemsOf(second).map((item) => item['code'])).toEqual(['training-rural']);
      expect(second.body['nextPageToken']).toBeNull();
      expect(refusal(await send('participant', 'GET', '/v1/funding/lines'))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });

    it('when the amount changes at the revision read, then what remains moves by the difference; a stale revision or less than is committed is refused', async () => {
      const created = await send('office', 'POST', '/v1/funding/lines', line('amend', '1000'));
      const id = created.body['id'] as string;
      const commitments = new MongoFundingCommitments(
        fundingLineModel(connection),
        () => new Date(),
      );
      await commitments.commit(id, 30_000, `award-${randomUUID()}`);

      const raised = await send(
        'office',
        'PATCH',
        `/v1/funding/lines/${id}`,
        { amountYuan: '1200' },
        { 'if-match': '"1"' },
      );
      expect(raised.status, JSON.stringify(raised.body)).toBe(200);
      expect(raised.headers.get('etag')).toBe('"2"');
      expect(raised.body).toMatchObject({ amountYuan: '1200.00', remainingYuan: '900.00' });

      const refusals = [
        await send(
          'office',
          'PATCH',
          `/v1/funding/lines/${id}`,
          { amountYuan: '500' },
          { 'if-match': '"1"' },
        ),
        await send(
          'office',
          'PATCH',
          `/v1/funding/lines/${id}`,
          { amountYuan: '299.99' },
          { 'if-match': '"2"' },
        ),
        await send(
          'office',
          'PATCH',
          `/v1/funding/lines/${id}`,
          { amountYuan: '500' },
          { 'if-match': 'two' },
        ),
        await send('office', 'PATCH', `/v1/funding/lines/${randomUUID()}`, { amountYuan: '500' }),
        await send('area', 'PATCH', `/v1/funding/lines/${id}`, { amountYuan: '500' }),
      ];
      expect(refusals.map(refusal)).toEqual([
        { status: 409, code: 'VERSION_CONFLICT' },
        { status: 409, code: 'FUNDING_LINE_BELOW_COMMITTED' },
        { status: 400, code: 'FUNDING_REVISION_INVALID' },
        { status: 404, code: 'FUNDING_LINE_NOT_FOUND' },
        { status: 403, code: 'ROLE_REQUIRED' },
      ]);

      const lowered = await send('office', 'PATCH', `/v1/funding/lines/${id}`, {
        amountYuan: '300',
        revision: 2,
      });
      expect(lowered.body).toMatchObject({
        amountYuan: '300.00',
        remainingYuan: '0.00',
        revision: 3,
      });
      const read = await send('area', 'GET', `/v1/funding/lines/${id}`);
      expect(read.headers.get('etag')).toBe('"3"');
      expect(read.body['remainingYuan']).toBe('0.00');
    });
  });

  describe('commitments against a line', () => {
    it('when two commitments exceeding the line are made at once, then exactly one wins and the other finds it exhausted', async () => {
      const created = await send('office', 'POST', '/v1/funding/lines', line('race', '100'));
      const id = created.body['id'] as string;
      const commitments = new MongoFundingCommitments(
        fundingLineModel(connection),
        () => new Date(),
      );

      const outcomes = await Promise.allSettled([
        commitments.commit(id, 6_000, 'award-a'),
        commitments.commit(id, 6_000, 'award-b'),
      ]);

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((outcome) => outcome.status === 'rejected');
      expect((lost?.reason as { code?: string } | undefined)?.code).toBe('FUNDING_LINE_EXHAUSTED');
      const read = await send('office', 'GET', `/v1/funding/lines/${id}`);
      expect(read.body['remainingYuan']).toBe('40.00');
    });

    it('when the same reference is committed twice, then it is spent once; an unknown line is not found', async () => {
      const created = await send('office', 'POST', '/v1/funding/lines', line('twice', '100'));
      const id = created.body['id'] as string;
      const commitments = new MongoFundingCommitments(
        fundingLineModel(connection),
        () => new Date(),
      );

      await commitments.commit(id, 2_500, 'award-same');
      const again = await commitments.commit(id, 2_500, 'award-same');

      expect(again.remainingFen).toBe(7_500);
      expect((await send('office', 'GET', `/v1/funding/lines/${id}`)).body['remainingYuan']).toBe(
        '75.00',
      );
      await expect(commitments.commit(randomUUID(), 1, 'award-x')).rejects.toMatchObject({
        code: 'FUNDING_LINE_NOT_FOUND',
      });
    });
  });

  const receipt = (overrides: Record<string, unknown> = {}) => ({
    source: 'sponsorship',
    donor: '余姚市某某集团',
    amountYuan: '20000',
    programme: 'rural',
    jurisdictionCode: VILLAGE_1_2,
    receivedOn: `${String(YEAR)}-03-15`,
    ...overrides,
  });

  describe('receipts', () => {
    it('when the office or an area officer in their area records a receipt, then it carries the place’s path and the date’s year', async () => {
      const byOffice = await send('office', 'POST', '/v1/funding/receipts', receipt());
      expect(byOffice.status, JSON.stringify(byOffice.body)).toBe(201);
      expect(byOffice.body).toMatchObject({
        year: YEAR,
        source: 'sponsorship',
        amountYuan: '20000.00',
        jurisdictionPath: [CITY, TOWNSHIP_1, VILLAGE_1_2],
        inKind: '',
      });
      const byArea = await send(
        'area',
        'POST',
        '/v1/funding/receipts',
        receipt({
          source: 'donation',
          donor: '王先生',
          amountYuan: '500.5',
          inKind: '500 册农业科技图书',
          jurisdictionCode: TOWNSHIP_1,
        }),
      );
      expect(byArea.status, JSON.stringify(byArea.body)).toBe(201);
      const elsewhere = await send(
        'office',
        'POST',
        '/v1/funding/receipts',
        receipt({ jurisdictionCode: VILLAGE_2_1, amountYuan: '3000' }),
      );
      expect(elsewhere.status).toBe(201);
    });

    it('when a receipt names an unknown place, a place outside the officer’s area, or a bad amount or date, then it is refused', async () => {
      const refusals = [
        await send(
          'office',
          'POST',
          '/v1/funding/receipts',
          receipt({ jurisdictionCode: '330281099000' }),
        ),
        await send(
          'area',
          'POST',
          '/v1/funding/receipts',
          receipt({ jurisdictionCode: VILLAGE_2_1 }),
        ),
        await send('office', 'POST', '/v1/funding/receipts', receipt({ amountYuan: '-5' })),
        await send(
          'office',
          'POST',
          '/v1/funding/receipts',
          receipt({ receivedOn: `${String(YEAR)}-02-30` }),
        ),
        await send('office', 'POST', '/v1/funding/receipts', receipt({ source: 'tax' })),
        await send('department', 'POST', '/v1/funding/receipts', receipt()),
        await send('office', 'POST', '/v1/funding/receipts', receipt(), { 'idempotency-key': '' }),
      ];

      expect(refusals.map(refusal)).toEqual([
        { status: 400, code: 'JURISDICTION_UNKNOWN' },
        { status: 403, code: 'FUNDING_OUT_OF_SCOPE' },
        { status: 400, code: 'FUNDING_AMOUNT_INVALID' },
        { status: 400, code: 'CALENDAR_DATE_INVALID' },
        { status: 400, code: 'VALIDATION_FAILED' },
        { status: 403, code: 'ROLE_REQUIRED' },
        { status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
      ]);
    });

    it('when receipts are listed, then filters apply, newest first, and an area officer sees only their area', async () => {
      const all = await send('office', 'GET', `/v1/funding/receipts?year=${String(YEAR)}`);
      expect(itemsOf(all).map((item) => item['amountYuan'])).toEqual([
        '3000.00',
        '500.50',
        '20000.00',
      ]);
      const donations = await send(
        'department',
        'GET',
        `/v1/funding/receipts?year=${String(YEAR)}&source=donation`,
      );
      expect(itemsOf(donations).map((item) => item['donor'])).toEqual(['王先生']);
      const inTownship = await send(
        'office',
        'GET',
        `/v1/funding/receipts?jurisdictionCode=${TOWNSHIP_2}`,
      );
      expect(itemsOf(inTownship).map((item) => item['amountYuan'])).toEqual(['3000.00']);
      const areaOwn = await send(
        'area',
        'GET',
        `/v1/funding/receipts?year=${String(YEAR)}&pageSize=1`,
      );
      expect(itemsOf(areaOwn).map((item) => item['amountYuan'])).toEqual(['500.50']);
      const areaNext = await send(
        'area',
        'GET',
        `/v1/funding/receipts?year=${String(YEAR)}&pageSize=1&pageToken=${encodeURIComponent(areaOwn.body['nextPageToken'] as string)}`,
      );
      expect(itemsOf(areaNext).map((item) => item['amountYuan'])).toEqual(['20000.00']);
      expect(
        refusal(await send('area', 'GET', `/v1/funding/receipts?jurisdictionCode=${TOWNSHIP_2}`)),
      ).toEqual({
        status: 403,
        code: 'FUNDING_OUT_OF_SCOPE',
      });
    });
  });

  /** Produces a report as activities' relay publishes it; the id is returned to send it again. */
  async function report(
    organizationId: string,
    revision: number,
    spendYuan: string,
    jurisdictionPath: readonly string[],
    options: { id?: string; year?: number } = {},
  ): Promise<string> {
    const reportId = `report-${organizationId}`;
    const event = toCloudEvent(
      newEvent(
        activityEvents.EnterpriseTrainingReported,
        reportId,
        activities.EnterpriseTrainingReported.fromPartial({
          reportId,
          organizationId,
          year: options.year ?? YEAR,
          trainees: 10 * revision,
          trainingMinutes: 600 * revision,
          spendYuan,
          revision,
          reportedAt: new Date(),
          routing: {
            programmeId: '',
            leadDepartment: LEAD,
            jurisdictionPath: [...jurisdictionPath],
            organizerKind: activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
            organizerId: organizationId,
          },
        }),
      ),
      '/learning/activities',
    );
    const sent = options.id === undefined ? event : { ...event, id: options.id };
    await producer.send({
      topic: activityEvents.EnterpriseTrainingReported.topic.name,
      messages: [{ ...toKafkaMessage(sent), key: reportId }],
    });
    return sent.id;
  }

  const reportsOf = async (who: string) =>
    itemsOf(await send(who, 'GET', `/v1/funding/enterprise-reports?year=${String(YEAR)}`)).map(
      (item) => [item['organizationId'], item['revision'], item['spendYuan'], item['trainees']],
    );

  describe('enterprise reports', () => {
    it('when revisions arrive, then the highest is kept: a duplicate and an older one arriving late change nothing', async () => {
      await report(enterprise, 1, '1000.00', [CITY, TOWNSHIP_1]);
      const second = await report(enterprise, 2, '12500.50', [CITY, TOWNSHIP_1]);
      await report(otherEnterprise, 1, '800.00', [CITY, TOWNSHIP_2, VILLAGE_2_1]);
      await eventually(
        'both enterprises’ reports kept',
        async () => {
          const kept = await reportsOf('office');
          return kept.some(([id, revision]) => id === enterprise && revision === 2) &&
            kept.some(([id]) => id === otherEnterprise)
            ? true
            : undefined;
        },
        120_000,
      );

      await report(enterprise, 2, '12500.50', [CITY, TOWNSHIP_1], { id: second });
      await report(enterprise, 1, '1.00', [CITY, TOWNSHIP_1]);
      await report(enterprise, 2, '99999.00', [CITY, TOWNSHIP_1]);
      // A marker after them on the same key's partition (the next year's report): once it is
      // kept, the three before it were handled.
      await report(enterprise, 1, '1.00', [CITY, TOWNSHIP_1], { year: YEAR + 1 });
      await eventually('the next year’s marker kept', async () =>
        itemsOf(
          await send('admin', 'GET', `/v1/funding/enterprise-reports?year=${String(YEAR + 1)}`),
        ).length === 1
          ? true
          : undefined,
      );

      expect(await reportsOf('admin')).toEqual([[enterprise, 2, '12500.50', 20]]);
    });

    it('when the reports are read, then the office sees all, the lead department its own, admins theirs, others are refused', async () => {
      const office = await reportsOf('office');
      expect(office).toEqual(
        expect.arrayContaining([
          [enterprise, 2, '12500.50', 20],
          [otherEnterprise, 1, '800.00', 10],
        ]),
      );
      expect(await reportsOf('department')).toEqual(expect.arrayContaining(office));
      expect(await reportsOf('otherDepartment')).toEqual([]);
      expect(
        refusal(await send('area', 'GET', `/v1/funding/enterprise-reports?year=${String(YEAR)}`)),
      ).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
      expect(
        refusal(
          await send('participant', 'GET', `/v1/funding/enterprise-reports?year=${String(YEAR)}`),
        ),
      ).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });
  });

  describe('totals', () => {
    it('when the city’s totals are read, then each source, purpose and township is summed in yuan', async () => {
      const totals = await send('office', 'GET', `/v1/funding/totals?year=${String(YEAR)}`);

      expect(totals.status, JSON.stringify(totals.body)).toBe(200);
      // Lines: awards 150000 + training-rural 200000.50 + general 50000 + amend 300 + race 100 + twice 100.
      expect(totals.body['bySource']).toEqual([
        { source: 'government_allocation', yuan: '400500.50' },
        { source: 'sponsorship', yuan: '23000.00' },
        { source: 'donation', yuan: '500.50' },
        { source: 'enterprise_training', yuan: '13300.50' },
      ]);
      expect(totals.body['totalYuan']).toBe('437301.50');
      expect(totals.body['byPurpose']).toEqual([
        { purpose: 'rural', yuan: '223501.00' },
        { purpose: 'awards', yuan: '150000.00' },
        { purpose: '', yuan: '50500.00' },
      ]);
      expect(totals.body['byArea']).toEqual([
        { code: TOWNSHIP_1, name: '第1街道', yuan: '33001.00' },
        { code: TOWNSHIP_2, name: '第2街道', yuan: '3800.00' },
      ]);
    });

    it('when an area’s totals are read, then lines are left out; an area officer reads only their own', async () => {
      const area = await send(
        'area',
        'GET',
        `/v1/funding/totals?year=${String(YEAR)}&jurisdictionCode=${TOWNSHIP_1}`,
      );

      expect(area.status, JSON.stringify(area.body)).toBe(200);
      expect(area.body['bySource']).toEqual([
        { source: 'government_allocation', yuan: '0.00' },
        { source: 'sponsorship', yuan: '20000.00' },
        { source: 'donation', yuan: '500.50' },
        { source: 'enterprise_training', yuan: '12500.50' },
      ]);
      const refusals = [
        await send(
          'area',
          'GET',
          `/v1/funding/totals?year=${String(YEAR)}&jurisdictionCode=${TOWNSHIP_2}`,
        ),
        await send('area', 'GET', `/v1/funding/totals?year=${String(YEAR)}`),
        await send(
          'office',
          'GET',
          `/v1/funding/totals?year=${String(YEAR)}&jurisdictionCode=330281099000`,
        ),
        await send('office', 'GET', '/v1/funding/totals'),
      ];
      expect(refusals.map(refusal)).toEqual([
        { status: 403, code: 'FUNDING_OUT_OF_SCOPE' },
        { status: 403, code: 'FUNDING_OUT_OF_SCOPE' },
        { status: 400, code: 'JURISDICTION_UNKNOWN' },
        { status: 400, code: 'VALIDATION_FAILED' },
      ]);
    });
  });
});
