/**
 * The annual evaluation's year end to end through the real adapters (issue
 * 15's "done when"): the office's credit rule and enterprise indicator
 * system, two enterprises with members in the real registration app,
 * attendances produced to Kafka as registration's relay does and credited by
 * the ledger, the year's assessment run over the ledger's, registration's and
 * inspections' figures, an inspection recomputed by the tick, an appeal, the
 * year's lock freezing the system, a funded award round with nomination,
 * reviews with recusal and approval against the funding line, the published
 * case and award, and the ranking read back from the XLSX.
 */
import { enrollmentEvents, evaluationEvents } from '@learning/contracts';
import { addDays, chinaDateOf, chinaMidnight, DAY_MS, HOUR_MS } from '@learning/domain';
import {
  fromKafkaMessage,
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  type EventDefinition,
} from '@learning/events';
import { common, registration } from '@learning/proto';
import { idNumberFor } from '@learning/registration/testing/people';
import {
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import ExcelJS from 'exceljs';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntryModel } from '../../src/adapters/mongo/ledger.js';
import { useScoringStack } from '../support/stack.js';
import { refusal, replySender } from '../support/replies.js';

const firstIdNumber = randomInt(0, 900_000);

type Items = Record<string, unknown>[];

describeWithServers(['mongo', 'kafka', 'redis'], 'the evaluation year end to end', (servers) => {
  const database = uniqueName('scoring-evaluation-year');
  // The app's clock, moved on as the year goes: to noon of the rule's first day once it is written,
  // two days more to close the award round's nominations.
  let shiftMs = 0;
  const stack = useScoringStack(servers, {
    scoringEnvironment: {
      MONGODB_DATABASE: database,
      KAFKA_GROUP_NAMESPACE: uniqueName('evaluation-year'),
      ASSESSMENT_RECOMPUTE_MS: '1000',
    },
    clock: () => new Date(Date.now() + shiftMs),
  });
  const township = (n: number) => stack.tree[(n - 1) * 5 + 1]?.code ?? '';
  const village = (n: number) => stack.tree[(n - 1) * 5 + 2]?.code ?? '';
  const city = () => stack.tree[0]?.code ?? '';

  // The rule takes effect tomorrow at the earliest: the activities happen on its first day, and
  // the year is that day's, so the test holds on 31 December (and across a city midnight) too.
  let creditedOn = '';
  let year = 0;
  const tokens: Record<string, string> = {};
  let db: Connection;
  let producer: Producer;
  let assessmentsTopic: TopicWatch;
  let awardsTopic: TopicWatch;
  let registered = 0;

  /** The better enterprise: three members all credited twice; its first member is its admin. */
  const better = { id: '', name: `甬江精工 ${randomUUID().slice(0, 6)}`, members: [] as string[] };
  /** The weaker: two members, one credited once; its first member is its admin. */
  const weaker = { id: '', name: `姚北纺织 ${randomUUID().slice(0, 6)}`, members: [] as string[] };
  /** The account of the better enterprise's third member, who is also an expert. */
  const memberExpertAccount = `expert-member-${randomUUID()}`;
  let systemId = '';
  let systemTerms: Record<string, unknown> = {};
  let weakerAssessmentId = '';
  let fundingLineId = '';
  let roundId = '';
  let nominationId = '';
  let awardId = '';

  const send = replySender(stack.scoring);
  const as =
    (who: string) =>
    (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      send(method, path, tokens[who] ?? '', body, headers);
  const office = as('office');
  /** The events of a type about this year's two enterprises (other files share the topics). */
  const eventsOf = (watch: TopicWatch, type: string) =>
    watch.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter((event) => event.type === type && [better.id, weaker.id].includes(event.subject));

  async function participant(name: string, home: string, account: string): Promise<string> {
    registered += 1;
    const token = await stack.token({ subject: account, roles: ['participant'] });
    const response = await stack.registration.send('POST', '/v1/participants', token, {
      name,
      tier: 'ordinary_citizen',
      homeJurisdiction: home,
      idNumber: idNumberFor(firstIdNumber + registered),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    const body = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body.id;
  }

  /** An enterprise registered, its members joined (the first as its admin), and recognized. */
  async function enterprise(name: string, place: string, members: readonly string[]) {
    const applicant = await stack.token({ subject: 'applicant', roles: ['org_admin'] });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'enterprise',
      name,
      jurisdictionCode: place,
    });
    const { id } = (await created.json()) as { id: string };
    expect(created.status).toBe(201);
    for (const [index, member] of members.entries()) {
      const joined = await stack.registration.send(
        'PUT',
        `/v1/organizations/${id}/members/${member}`,
        tokens['office'] ?? '',
        { role: index === 0 ? 'admin' : 'member' },
      );
      expect(joined.status, await joined.clone().text()).toBe(200);
    }
    for (const action of ['start_review', 'recognize']) {
      const decided = await stack.registration.send(
        'POST',
        `/v1/organizations/${id}:decide`,
        tokens['office'] ?? '',
        { action, reason: '年度认定' },
      );
      expect(decided.status).toBe(200);
    }
    return id;
  }

  /** Produces registration's AttendanceRecorded as its relay does. */
  async function produce<T>(definition: EventDefinition<T>, key: string, data: T): Promise<void> {
    const event = toCloudEvent(newEvent(definition, key, data), '/learning/registration');
    await producer.send({
      topic: definition.topic.name,
      messages: [{ ...toKafkaMessage(event), key }],
    });
  }

  /** An attendance at an activity on the rule's first day, naming the member's enterprise. */
  const attend = (participantId: string, organizationId: string, place: string, hour: number) => {
    const enrollmentId = `e-${randomUUID()}`;
    const startsAt = new Date(chinaMidnight(creditedOn).getTime() + hour * HOUR_MS);
    return produce(
      enrollmentEvents.AttendanceRecorded,
      enrollmentId,
      registration.AttendanceRecorded.fromPartial({
        enrollmentId,
        event: { owner: 'activities', eventId: `activity-${enrollmentId}` },
        participantId,
        basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
        attendedAt: new Date(startsAt.getTime() + HOUR_MS),
        accountSubject: `account-${participantId}`,
        attendee: {
          tier: common.Tier.TIER_ORDINARY_CITIZEN,
          jurisdictionPath: [city(), place],
          organizationIds: [organizationId],
        },
        attendedEvent: {
          title: '职工读书分享会',
          categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
          campaignId: '',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * HOUR_MS),
          learningMinutes: 120,
          jurisdictionPath: [city(), place],
          organizerOrganizationId: '',
        },
      }),
    );
  };

  async function assessmentOf(organizationId: string): Promise<Record<string, unknown>> {
    const list = await office(
      'GET',
      `/v1/organizations/${organizationId}/assessments?year=${String(year)}`,
    );
    const current = (list.body['items'] as Items | undefined)?.find(
      (item) => item['correctedById'] === null,
    );
    if (current === undefined) throw new Error(`no assessment of ${organizationId}`);
    return current;
  }

  beforeAll(async () => {
    db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    const kafka = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    assessmentsTopic = await watchTopics(servers.kafka, [topics.scoringAssessments.name]);
    awardsTopic = await watchTopics(servers.kafka, [topics.scoringAwards.name]);
    tokens['office'] = await stack.token({
      subject: 'office',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens['expert'] = await stack.token({ subject: `expert-${randomUUID()}`, roles: ['expert'] });
    tokens['memberExpert'] = await stack.token({ subject: memberExpertAccount, roles: ['expert'] });
    tokens['weakerArea'] = await stack.token({
      subject: 'area-2',
      roles: ['area_officer'],
      jurisdictions: [township(2)],
    });
  });

  afterAll(async () => {
    await assessmentsTopic.stop();
    await awardsTopic.stop();
    await producer.disconnect();
    await db.close();
  });

  describe('rules and systems', () => {
    it('when the office writes the credit rule and the enterprise system, then the rule starts tomorrow and the system is version 1', async () => {
      const today = chinaDateOf(new Date());
      const rule = await office('POST', '/v1/credit-rules', {
        name: '活动参与',
        source: 'activity_attended',
        basis: { kind: 'per_occurrence', credits: '2' },
      });
      expect(rule.status, JSON.stringify(rule.body)).toBe(201);
      const [version] = rule.body['versions'] as Items;
      expect(version).toMatchObject({ basis: { kind: 'per_occurrence', credits: '2' } });
      creditedOn = String(version?.['effectiveFrom']);
      // Tomorrow, or the day after should the city's midnight have passed meanwhile.
      expect([addDays(today, 1), addDays(today, 2)]).toContain(creditedOn);
      year = Number(creditedOn.slice(0, 4));

      systemTerms = {
        name: `${String(year)}年学习型企业评估指标体系`,
        passMark: '60',
        indicators: [
          {
            key: 'credits_per_member',
            name: '人均学分',
            weight: '40',
            method: {
              kind: 'per_capita',
              numerator: 'member_credits',
              denominator: 'members',
              from: 0,
              to: 5,
            },
          },
          {
            key: 'credited',
            name: '获得学分的成员比例',
            weight: '30',
            method: {
              kind: 'ratio',
              numerator: 'members_credited',
              denominator: 'members',
              from: 0,
              to: 1,
            },
          },
          {
            key: 'rating',
            name: '检查评分',
            weight: '20',
            method: { kind: 'linear_band', metric: 'inspection_rating', from: 0, to: 100 },
          },
          {
            key: 'recognized',
            name: '已认定为学习型企业',
            weight: '10',
            method: { kind: 'yes_no', metric: 'recognized' },
          },
        ],
      };
      const system = await office(
        'POST',
        '/v1/indicator-systems',
        { year, target: 'enterprise', ...systemTerms },
        { 'idempotency-key': randomUUID() },
      );
      expect(system.status, JSON.stringify(system.body)).toBe(201);
      expect(system.body).toMatchObject({ version: 1, passMark: '60.00' });
      systemId = system.body['id'] as string;
      // From here on the app lives on the rule's first day.
      shiftMs = chinaMidnight(creditedOn).getTime() + 12 * HOUR_MS - Date.now();
    });
  });

  describe('registration and activities', () => {
    it('when two recognized enterprises’ members attend activities, then the ledger credits each attendance', async () => {
      // Different townships, so the inspecting area officer reaches the weaker one only.
      const betterVillage = village(1);
      const weakerVillage = village(2);
      better.members.push(
        await participant('陈建国', betterVillage, `better-admin-${randomUUID()}`),
        await participant('林秀英', betterVillage, `better-member-${randomUUID()}`),
        await participant('周志强', betterVillage, memberExpertAccount),
      );
      weaker.members.push(
        await participant('吴海燕', weakerVillage, `weaker-admin-${randomUUID()}`),
        await participant('郑伟', weakerVillage, `weaker-member-${randomUUID()}`),
      );
      better.id = await enterprise(better.name, betterVillage, better.members);
      weaker.id = await enterprise(weaker.name, weakerVillage, weaker.members);
      tokens['weakerAdmin'] = await stack.token({
        subject: 'weaker-admin',
        roles: ['org_admin'],
        organizations: [weaker.id],
      });

      for (const member of better.members) {
        await attend(member, better.id, betterVillage, 6);
        await attend(member, better.id, betterVillage, 8);
      }
      await attend(weaker.members[0] ?? '', weaker.id, weakerVillage, 9);

      const ledger = ledgerEntryModel(db);
      const credited = await eventually('the seven attendances credited', async () => {
        const entries = await ledger
          .find({ organizationIds: { $in: [better.id, weaker.id] } })
          .lean();
        return entries.length >= 7 ? entries : undefined;
      });
      expect(credited.map((entry) => [entry.year, entry.amount, entry.reason])).toEqual(
        Array.from({ length: 7 }, () => [year, 200, 'awarded']),
      );
      const own = await send(
        'GET',
        `/v1/participants/${weaker.members[0] ?? ''}/credits?year=${String(year)}`,
        tokens['office'] ?? '',
      );
      expect(own.status, JSON.stringify(own.body)).toBe(200);
      expect(own.body).toMatchObject({ year, totals: { credits: '2', entryCount: 1 } });
    });
  });

  describe('assessment', () => {
    it('when the office runs the year, then the better enterprise scores higher, with readings and explanations from the ledger and registration, and AssessmentComputed is published', async () => {
      const started = await office('POST', '/v1/assessments/runs', {
        year,
        target: 'enterprise',
      });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const finished = await eventually('the run to end', async () => {
        const progress = await office('GET', `/v1/assessments/runs/${String(started.body['id'])}`);
        return progress.body['status'] === 'running' ? undefined : progress.body;
      });
      expect(finished).toMatchObject({ status: 'succeeded', subjects: 2, changed: 2 });

      const all = await office('GET', `/v1/assessments?year=${String(year)}&target=enterprise`);
      expect(
        (all.body['items'] as Items).map((item) => [
          item['subjectName'],
          item['score'],
          item['passed'],
        ]),
      ).toEqual([
        [better.name, '72.00', true],
        [weaker.name, '33.00', false],
      ]);
      weakerAssessmentId = (await assessmentOf(weaker.id))['id'] as string;

      const detail = await office('GET', `/v1/assessments/${weakerAssessmentId}`);
      expect(detail.status).toBe(200);
      expect(detail.headers.get('etag')).toBe('"1"');
      const indicators = detail.body['indicators'] as Items;
      expect(indicators.map((one) => [one['key'], one['score'], one['weighted']])).toEqual([
        ['credits_per_member', '20.00', '8.00'],
        ['credited', '50.00', '15.00'],
        ['rating', '0.00', '0.00'],
        ['recognized', '100.00', '10.00'],
      ]);
      expect(indicators[0]).toMatchObject({
        readings: expect.arrayContaining([
          expect.objectContaining({ metric: 'member_credits', value: 2, source: 'ledger' }),
          expect.objectContaining({ metric: 'members', value: 2, source: 'registration' }),
        ]) as unknown,
        explanation: expect.any(String) as unknown,
      });
      expect(indicators[3]).toMatchObject({
        readings: [
          expect.objectContaining({ metric: 'recognized', value: 1, source: 'registration' }),
        ],
        explanation: expect.stringContaining('是') as unknown,
      });

      await assessmentsTopic.waitFor(
        'both computed events',
        () => eventsOf(assessmentsTopic, evaluationEvents.AssessmentComputed.type).length >= 2,
      );
      expect(
        eventsOf(assessmentsTopic, evaluationEvents.AssessmentComputed.type)
          .map((e) => e.subject)
          .sort(),
      ).toEqual([better.id, weaker.id].sort());
    });

    it('when the area officer inspects the weaker one, then the tick recomputes it at revision 2', async () => {
      const inspected = await as('weakerArea')('POST', '/v1/inspections', {
        subjectKind: 'organization',
        subjectId: weaker.id,
        inspectedOn: creditedOn,
        findings: '职工书屋已建成，学习台账齐全。',
        rating: 80,
      });
      expect(inspected.status, JSON.stringify(inspected.body)).toBe(201);

      const recomputed = await eventually('the tick to recompute the inspected one', async () => {
        const current = await assessmentOf(weaker.id);
        return current['revision'] === 2 ? current : undefined;
      });
      expect(recomputed).toMatchObject({ stale: false, score: '49.00', passed: false });
      expect((await assessmentOf(better.id))['revision']).toBe(1);
      await assessmentsTopic.waitFor(
        'the recomputed one published again',
        () =>
          eventsOf(assessmentsTopic, evaluationEvents.AssessmentComputed.type).filter(
            (event) => event.subject === weaker.id,
          ).length >= 2,
      );
    });

    it('when the weaker one’s admin appeals, then it is under appeal until the office rejects it', async () => {
      const appealed = await as('weakerAdmin')(
        'POST',
        `/v1/assessments/${weakerAssessmentId}/appeal`,
        { grounds: '部分职工学习记录未录入', indicatorKeys: ['credits_per_member'] },
      );
      expect(appealed.status, JSON.stringify(appealed.body)).toBe(200);
      expect(appealed.body['status']).toBe('under_appeal');

      const decided = await office(
        'POST',
        `/v1/assessments/${weakerAssessmentId}/appeal/decision`,
        { outcome: 'rejected', reason: '经核实记录完整' },
      );
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      expect(decided.body).toMatchObject({ status: 'provisional', score: '49.00' });
    });

    it('when the office locks the year, then both are locked and published, changes are ASSESSMENT_LOCKED and the system is frozen', async () => {
      const locked = await office('POST', '/v1/assessments/locks', {
        year,
        target: 'enterprise',
      });
      expect(locked.status, JSON.stringify(locked.body)).toBe(200);
      expect(locked.body).toEqual({ year, target: 'enterprise', locked: 2, skipped: 0 });

      await assessmentsTopic.waitFor(
        'both locked events',
        () => eventsOf(assessmentsTopic, evaluationEvents.AssessmentLocked.type).length >= 2,
      );
      expect(
        eventsOf(assessmentsTopic, evaluationEvents.AssessmentLocked.type)
          .map((event) => event.subject)
          .sort(),
      ).toEqual([better.id, weaker.id].sort());
      expect(
        refusal(await office('POST', `/v1/assessments/${weakerAssessmentId}/recomputation`)),
      ).toEqual({ status: 409, code: 'ASSESSMENT_LOCKED' });
      const system = await office('GET', `/v1/indicator-systems/${systemId}`);
      const changed = await office(
        'PUT',
        `/v1/indicator-systems/${systemId}`,
        { ...systemTerms, passMark: '50' },
        { 'if-match': system.headers.get('etag') ?? '"1"' },
      );
      expect(refusal(changed)).toEqual({ status: 409, code: 'INDICATOR_SYSTEM_FROZEN' });
    });
  });

  describe('awards', () => {
    it('when the office funds and opens an award round, then the better enterprise is nominated on its locked assessment and the weaker is refused', async () => {
      const line = await office(
        'POST',
        '/v1/funding/lines',
        {
          year,
          code: `awards-${randomUUID().slice(0, 8)}`,
          name: '年度表彰奖励',
          purpose: 'awards',
          amountYuan: '50000',
        },
        { 'idempotency-key': randomUUID() },
      );
      expect(line.status, JSON.stringify(line.body)).toBe(201);
      fundingLineId = line.body['id'] as string;
      const round = await office(
        'POST',
        '/v1/awards/rounds',
        {
          year,
          category: 'exemplary_organization',
          organizationKind: 'enterprise',
          title: `${String(year)} 学习型企业示范单位`,
          nominationsClose: creditedOn,
          places: 1,
          materialAwardYuan: '20000.00',
          fundingLineId,
        },
        { 'idempotency-key': randomUUID() },
      );
      expect(round.status, JSON.stringify(round.body)).toBe(201);
      roundId = round.body['id'] as string;

      const path = `/v1/awards/rounds/${roundId}/nominations`;
      const nominated = await office('POST', path, {
        nomineeKind: 'organization',
        nomineeId: better.id,
        statement: '全员参与学习，人均学分全市领先。',
      });
      expect(nominated.status, JSON.stringify(nominated.body)).toBe(201);
      expect(nominated.body['evidence']).toMatchObject({
        assessment: { locked: true, passed: true, score: '72.00', rank: 1, rankedOutOf: 2 },
      });
      nominationId = nominated.body['id'] as string;
      expect(
        refusal(
          await office('POST', path, {
            nomineeKind: 'organization',
            nomineeId: weaker.id,
            statement: '积极整改。',
          }),
        ),
      ).toEqual({ status: 409, code: 'NOMINATION_STANDARD_NOT_MET' });
      // Nominations close with the round's day.
      shiftMs += 2 * DAY_MS;
    });

    it('when experts review, then a member of the nominee is refused and another scores', async () => {
      const reviews = `/v1/awards/nominations/${nominationId}/reviews`;
      expect(
        refusal(await as('memberExpert')('POST', reviews, { score: 99, comment: '' })),
      ).toEqual({ status: 403, code: 'REVIEW_CONFLICT_OF_INTEREST' });
      const scored = await as('expert')('POST', reviews, { score: 92, comment: '示范作用突出' });
      expect(scored.status, JSON.stringify(scored.body)).toBe(200);
      expect(scored.body).toMatchObject({ reviewCount: 1, meanScore: '92.00' });
    });

    it('when the office approves, then AwardGranted is published once and the funding line drops by the award; approving again changes nothing', async () => {
      const approvals = `/v1/awards/rounds/${roundId}/approvals`;
      const approved = await office('POST', approvals, { nominationIds: [nominationId] });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      const [award] = approved.body['awards'] as Items;
      expect(award).toMatchObject({ nominationId, place: 1, materialAwardYuan: '20000.00' });
      awardId = award?.['id'] as string;

      const line = await office('GET', `/v1/funding/lines/${fundingLineId}`);
      expect(line.body).toMatchObject({ amountYuan: '50000.00', remainingYuan: '30000.00' });
      await awardsTopic.waitFor(
        'the award',
        ({ message }) => message.key?.toString() === better.id,
      );

      const again = await office('POST', approvals, { nominationIds: [nominationId] });
      expect(again.status).toBe(200);
      expect((again.body['awards'] as Items).map((one) => one['id'])).toEqual([awardId]);
      expect((await office('GET', `/v1/funding/lines/${fundingLineId}`)).body).toMatchObject({
        remainingYuan: '30000.00',
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const granted = eventsOf(awardsTopic, evaluationEvents.AwardGranted.type);
      expect(granted.map((event) => event.subject)).toEqual([better.id]);
      expect(evaluationEvents.AwardGranted.codec.fromJSON(granted[0]?.data)).toMatchObject({
        awardId,
        nomineeId: better.id,
        materialAwardYuan: '20000.00',
        fundingLineId,
        year,
      });
    });

    it('when the round is published and the admin consented, then the case and the award are public and CasePublished is out', async () => {
      const published = await office('POST', `/v1/awards/rounds/${roundId}/publication`);
      expect(published.status, JSON.stringify(published.body)).toBe(200);

      const story = await office(
        'POST',
        '/v1/cases',
        {
          awardId,
          title: '人人学习的工厂',
          body: '车间里的读书角，让每一位职工都成了学习者。',
          images: [{ fileRef: 'file-store://cases/reading-corner.jpg', caption: '车间读书角' }],
          consent: {
            given: true,
            by: better.members[0],
            recordedOn: creditedOn,
            documentRef: 'file-store://consents/enterprise-signed.pdf',
          },
        },
        { 'idempotency-key': randomUUID() },
      );
      expect(story.status, JSON.stringify(story.body)).toBe(201);
      const caseId = story.body['id'] as string;
      const casePublished = await office('POST', `/v1/cases/${caseId}/publication`);
      expect(casePublished.status, JSON.stringify(casePublished.body)).toBe(200);

      await awardsTopic.waitFor(
        'the published case',
        () => eventsOf(awardsTopic, evaluationEvents.CasePublished.type).length >= 1,
      );
      const [caseEvent] = eventsOf(awardsTopic, evaluationEvents.CasePublished.type);
      expect(evaluationEvents.CasePublished.codec.fromJSON(caseEvent?.data)).toMatchObject({
        caseId,
        awardId,
        year,
      });
      const cases = await send(
        'GET',
        `/v1/public/cases?year=${String(year)}&kind=enterprise`,
        null,
      );
      expect(cases.status, JSON.stringify(cases.body)).toBe(200);
      expect(cases.body['items']).toEqual([
        expect.objectContaining({ id: caseId, name: better.name, title: '人人学习的工厂' }),
      ]);
      const awards = await send('GET', `/v1/public/awards?year=${String(year)}`, null);
      expect(awards.body['items']).toEqual([
        expect.objectContaining({
          nomineeKind: 'organization',
          name: better.name,
          category: 'exemplary_organization',
          materialAwardYuan: '20000.00',
        }),
      ]);
    });
  });

  describe('rankings', () => {
    it('when the office exports the year’s ranking, then the better enterprise is first', async () => {
      const response = await stack.scoring.send(
        'GET',
        `/v1/assessments/rankings.xlsx?year=${String(year)}&target=enterprise`,
        tokens['office'] ?? '',
      );
      const file = Buffer.from(await response.arrayBuffer());
      expect(response.status, file.toString()).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(new Uint8Array(file).buffer);
      const rows: unknown[][] = [];
      workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows.slice(3)).toEqual([
        [1, better.name, '第1街道', 72, '达标', '已锁定', 80, 100, 0, 100],
        [2, weaker.name, '第2街道', 49, '未达标', '已锁定', 20, 50, 80, 100],
      ]);
    });
  });
});
