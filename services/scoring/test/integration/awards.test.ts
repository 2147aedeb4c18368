/**
 * The annual awards through the real app: registration's organizations and
 * participants, assessments and funding lines written into scoring's
 * collections as the evaluation and funding parts would, then rounds,
 * nominations, reviews with recusal, approvals against the funding line,
 * AwardGranted on the awards topic, publication and the public list.
 */
import { randomUUID } from 'node:crypto';
import { evaluationEvents } from '@learning/contracts';
import { chinaDateOf, DAY_MS } from '@learning/domain';
import { fromKafkaMessage, topics } from '@learning/events';
import { scoring } from '@learning/proto';
import { describeWithServers, uniqueName, watchTopics, type TopicWatch } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assessmentModel,
  fundingLineModel,
  type AssessmentDocument,
} from '../../src/adapters/mongo/evaluation-models.js';
import { ledgerEntryModel } from '../../src/adapters/mongo/ledger.js';
import { ledgerEntry } from '../support/records.js';
import { registerParticipant } from '../support/participants.js';
import { useScoringStack } from '../support/stack.js';
import { refusal, replySender } from '../support/replies.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'annual awards', (servers) => {
  const database = uniqueName('scoring-awards');
  // The app's clock: moved on two days to close the rounds' nominations.
  let shiftMs = 0;
  const stack = useScoringStack(servers, {
    scoringEnvironment: { MONGODB_DATABASE: database },
    clock: () => new Date(Date.now() + shiftMs),
  });
  const village = (township: number) => stack.tree[(township - 1) * 5 + 2]?.code ?? '';
  const township = (n: number) => stack.tree[(n - 1) * 5 + 1]?.code ?? '';
  const today = chinaDateOf(new Date());
  const year = Number(today.slice(0, 4));
  const tokens: Record<string, string> = {};
  let db: Connection;
  let awardsTopic: TopicWatch;
  let zhang: string;
  let li: string;
  let wang: string;
  let community: string;
  let expertTwo: string;
  const fundingLine = randomUUID();

  const send = replySender(stack.scoring);
  const as =
    (who: string) =>
    (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      send(method, path, tokens[who] ?? '', body, headers);
  const office = as('office');

  const assessment = (fields: Partial<AssessmentDocument>): AssessmentDocument => ({
    _id: randomUUID(),
    year,
    subjectKind: 'organization',
    subjectId: community,
    sequence: 1,
    subjectName: '书香社区',
    organizationKind: 'community',
    leadDepartment: null,
    jurisdictionPath: [],
    systemId: randomUUID(),
    systemVersion: 1,
    status: 'provisional',
    score: 8725,
    passMark: 6000,
    passed: true,
    indicators: [],
    inputsDigest: 'digest',
    revision: 1,
    stale: false,
    computedAt: new Date(),
    appeal: null,
    lockedAt: null,
    lockedBy: null,
    correctsId: null,
    correctedById: null,
    correctionReason: null,
    outbox: [],
    ...fields,
  });

  beforeAll(async () => {
    db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    awardsTopic = await watchTopics(servers.kafka, [topics.scoringAwards.name]);
    zhang = await registerParticipant(stack, `zhang-${randomUUID()}`, '张晓明', village(1));
    li = await registerParticipant(stack, `li-${randomUUID()}`, '李华', village(1));
    wang = await registerParticipant(stack, `wang-${randomUUID()}`, '王芳芳', village(2));
    const expertTwoAccount = `expert-two-${randomUUID()}`;
    expertTwo = await registerParticipant(stack, expertTwoAccount, '赵专家', village(1));
    const admin = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
    const applicant = await stack.token({ subject: 'org-applicant', roles: ['org_admin'] });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'community',
      name: `书香社区 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: village(1),
    });
    community = ((await created.json()) as { id: string }).id;
    expect(created.status).toBe(201);
    for (const member of [zhang, li, expertTwo]) {
      const joined = await stack.registration.send(
        'PUT',
        `/v1/organizations/${community}/members/${member}`,
        admin,
        { role: 'member' },
      );
      expect(joined.status, await joined.clone().text()).toBe(200);
    }

    tokens['office'] = admin;
    tokens['orgAdmin'] = await stack.token({
      subject: 'org-admin',
      roles: ['org_admin'],
      organizations: [community],
    });
    tokens['otherArea'] = await stack.token({
      subject: 'area-3',
      roles: ['area_officer'],
      jurisdictions: [township(3)],
    });
    tokens['area'] = await stack.token({
      subject: 'area-1',
      roles: ['area_officer'],
      jurisdictions: [township(1)],
    });
    tokens['expertOne'] = await stack.token({ subject: 'expert-one', roles: ['expert'] });
    tokens['expertTwo'] = await stack.token({ subject: expertTwoAccount, roles: ['expert'] });
    tokens['expertOfCommunity'] = await stack.token({
      subject: 'expert-three',
      roles: ['expert', 'org_admin'],
      organizations: [community],
    });
    tokens['participant'] = await stack.token({ subject: 'p-x', roles: ['participant'] });

    await ledgerEntryModel(db).insertMany([
      ledgerEntry(zhang, { year, amount: 250, minutes: 90 }),
      ledgerEntry(zhang, { year, source: 'training_completed', amount: 500, minutes: 600 }),
    ]);
    await fundingLineModel(db).create({
      _id: fundingLine,
      year,
      code: `awards-${randomUUID().slice(0, 8)}`,
      name: '年度表彰奖励',
      purpose: 'awards',
      amountFen: 800_000,
      remainingFen: 800_000,
      commitments: [],
      revision: 1,
      createdBy: 'office',
      createdAt: new Date(),
      updatedAt: new Date(),
      outbox: [],
    });
  });

  afterAll(async () => {
    await awardsTopic.stop();
    await db.close();
  });

  const individuals = () => ({
    year,
    category: 'exemplary_individual',
    title: `${String(year)} 学习型社会建设先进个人`,
    nominationsClose: today,
    places: 2,
    materialAwardYuan: '5000.00',
    fundingLineId: fundingLine,
  });
  let personRound: string;
  let organizationRound: string;
  let zhangNomination: string;
  let liNomination: string;
  let communityNomination: string;

  describe('rounds and nominations', () => {
    it('when the office opens rounds, then they are stored with the award in yuan; bad terms are refused', async () => {
      const created = await office('POST', '/v1/awards/rounds', individuals());
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        materialAwardYuan: '5000.00',
        status: 'open',
        places: 2,
      });
      personRound = created.body['id'] as string;
      const honorary = await office('POST', '/v1/awards/rounds', {
        ...individuals(),
        category: 'exemplary_organization',
        organizationKind: 'community',
        materialAwardYuan: '0',
        fundingLineId: undefined,
        places: 1,
      });
      expect(honorary.status, JSON.stringify(honorary.body)).toBe(201);
      organizationRound = honorary.body['id'] as string;

      expect(
        refusal(
          await office('POST', '/v1/awards/rounds', { ...individuals(), fundingLineId: undefined }),
        ),
      ).toEqual({ status: 400, code: 'ROUND_FUNDING_LINE_REQUIRED' });
      expect(
        refusal(
          await office('POST', '/v1/awards/rounds', {
            ...individuals(),
            category: 'exemplary_organization',
          }),
        ),
      ).toEqual({ status: 400, code: 'ROUND_ORGANIZATION_KIND_REQUIRED' });
      expect(
        refusal(
          await office('POST', '/v1/awards/rounds', {
            ...individuals(),
            materialAwardYuan: '5000.001',
          }),
        ),
      ).toEqual({ status: 400, code: 'ROUND_AMOUNT_INVALID' });
      expect(
        refusal(
          await office('POST', '/v1/awards/rounds', {
            ...individuals(),
            fundingLineId: randomUUID(),
          }),
        ),
      ).toEqual({ status: 404, code: 'FUNDING_LINE_NOT_FOUND' });
      expect(refusal(await as('area')('POST', '/v1/awards/rounds', individuals()))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
      expect((await as('expertOne')('GET', `/v1/awards/rounds/${personRound}`)).status).toBe(200);
      const listed = await as('expertOne')(
        'GET',
        `/v1/awards/rounds?year=${String(year)}&category=exemplary_organization`,
      );
      expect(listed.status).toBe(200);
      expect((listed.body['items'] as { id: string }[]).map((round) => round.id)).toEqual([
        organizationRound,
      ]);
      const newestFirst = await office('GET', `/v1/awards/rounds?year=${String(year)}&pageSize=1`);
      expect((newestFirst.body['items'] as { id: string }[]).map((round) => round.id)).toEqual([
        organizationRound,
      ]);
      expect(newestFirst.body['nextPageToken']).toEqual(expect.any(String));
      expect(refusal(await office('GET', '/v1/awards/rounds?category=gold'))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(refusal(await office('GET', `/v1/awards/rounds/${randomUUID()}`))).toEqual({
        status: 404,
        code: 'ROUND_NOT_FOUND',
      });
    });

    it('when an organization admin nominates a member, then the year’s credits and completed trainings are the evidence; twice is NOMINATION_EXISTS', async () => {
      const nominated = await as('orgAdmin')(
        'POST',
        `/v1/awards/rounds/${personRound}/nominations`,
        {
          nomineeKind: 'person',
          nomineeId: zhang,
          statement: '十年坚持读书会，带动社区百余人学习。',
        },
      );
      expect(nominated.status, JSON.stringify(nominated.body)).toBe(201);
      expect(nominated.body['evidence']).toEqual({
        assessment: null,
        person: { credits: '7.5', minutes: 690, trainingCompletions: 1 },
      });
      zhangNomination = nominated.body['id'] as string;
      const again = await as('area')('POST', `/v1/awards/rounds/${personRound}/nominations`, {
        nomineeKind: 'person',
        nomineeId: zhang,
        statement: '再次推荐',
      });
      expect(refusal(again)).toEqual({ status: 409, code: 'NOMINATION_EXISTS' });
      const byArea = await as('area')('POST', `/v1/awards/rounds/${personRound}/nominations`, {
        nomineeKind: 'person',
        nomineeId: li,
        statement: '自学成才。',
      });
      expect(byArea.status, JSON.stringify(byArea.body)).toBe(201);
      liNomination = byArea.body['id'] as string;
    });

    it('when someone outside the nominee’s area or organization nominates, or the nominee is unknown or of the wrong kind, then it is refused', async () => {
      const path = `/v1/awards/rounds/${personRound}/nominations`;
      expect(
        refusal(
          await as('otherArea')('POST', path, {
            nomineeKind: 'person',
            nomineeId: wang,
            statement: '推荐',
          }),
        ),
      ).toEqual({ status: 404, code: 'NOMINEE_NOT_FOUND' });
      expect(
        refusal(
          await as('orgAdmin')('POST', path, {
            nomineeKind: 'person',
            nomineeId: wang,
            statement: '推荐',
          }),
        ),
      ).toEqual({ status: 404, code: 'NOMINEE_NOT_FOUND' });
      expect(
        refusal(
          await office('POST', path, {
            nomineeKind: 'person',
            nomineeId: randomUUID(),
            statement: '推荐',
          }),
        ),
      ).toEqual({ status: 404, code: 'NOMINEE_NOT_FOUND' });
      expect(
        refusal(
          await office('POST', path, {
            nomineeKind: 'organization',
            nomineeId: community,
            statement: '推荐',
          }),
        ),
      ).toEqual({ status: 400, code: 'NOMINEE_KIND_MISMATCH' });
      expect(
        refusal(
          await as('participant')('POST', path, {
            nomineeKind: 'person',
            nomineeId: wang,
            statement: '推荐',
          }),
        ),
      ).toEqual({ status: 403, code: 'ROLE_REQUIRED' });
    });

    it('when an exemplary organization has no locked, passing assessment, then it is refused; with one, its score and rank are the evidence', async () => {
      const path = `/v1/awards/rounds/${organizationRound}/nominations`;
      const body = {
        nomineeKind: 'organization',
        nomineeId: community,
        statement: '学习型社区建设成效显著。',
      };
      const assessments = assessmentModel(db);
      await assessments.create(assessment({ status: 'provisional' }));
      expect(refusal(await as('orgAdmin')('POST', path, body))).toEqual({
        status: 409,
        code: 'NOMINATION_ASSESSMENT_NOT_LOCKED',
      });
      await assessments.updateOne(
        { subjectId: community },
        { $set: { status: 'locked', lockedAt: new Date(), passed: false, score: 5000 } },
      );
      expect(refusal(await as('orgAdmin')('POST', path, body))).toEqual({
        status: 409,
        code: 'NOMINATION_STANDARD_NOT_MET',
      });
      await assessments.updateOne(
        { subjectId: community },
        { $set: { passed: true, score: 8725 } },
      );
      const nominated = await as('orgAdmin')('POST', path, body);
      expect(nominated.status, JSON.stringify(nominated.body)).toBe(201);
      expect(nominated.body['evidence']).toMatchObject({
        assessment: { locked: true, passed: true, score: '87.25', rank: 1, rankedOutOf: 1 },
        person: null,
      });
      communityNomination = nominated.body['id'] as string;
    });

    it('when nominations are still open, then reviews and approvals wait', async () => {
      expect(
        refusal(
          await as('expertOne')('POST', `/v1/awards/nominations/${zhangNomination}/reviews`, {
            score: 90,
            comment: '',
          }),
        ),
      ).toEqual({ status: 409, code: 'REVIEW_NOT_OPEN' });
      expect(
        refusal(
          await office('POST', `/v1/awards/rounds/${personRound}/approvals`, {
            nominationIds: [zhangNomination],
          }),
        ),
      ).toEqual({ status: 409, code: 'APPROVAL_NOT_OPEN' });
      expect(refusal(await office('POST', `/v1/awards/rounds/${personRound}/publication`))).toEqual(
        { status: 409, code: 'ROUND_NOT_PUBLISHABLE' },
      );
    });
  });

  describe('review', () => {
    beforeAll(() => {
      shiftMs = 2 * DAY_MS;
    });

    it('when nominations have closed, then a late nomination is NOMINATION_CLOSED', async () => {
      expect(
        refusal(
          await office('POST', `/v1/awards/rounds/${personRound}/nominations`, {
            nomineeKind: 'person',
            nomineeId: wang,
            statement: '推荐',
          }),
        ),
      ).toEqual({ status: 409, code: 'NOMINATION_CLOSED' });
    });

    it('when experts score, then a second score replaces the first, and the list shows count, mean and only the caller’s comment', async () => {
      const path = `/v1/awards/nominations/${zhangNomination}/reviews`;
      expect((await as('expertOne')('POST', path, { score: 70, comment: '初评' })).status).toBe(
        200,
      );
      const replaced = await as('expertOne')('POST', path, { score: 90, comment: '事迹突出' });
      expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
      expect(replaced.body).toMatchObject({ reviewCount: 1, meanScore: '90.00' });
      const listed = await as('expertOne')(
        'GET',
        `/v1/awards/rounds/${personRound}/nominations?pageSize=1`,
      );
      expect(listed.status).toBe(200);
      const [first] = listed.body['items'] as Record<string, unknown>[];
      expect(first).toMatchObject({
        id: zhangNomination,
        reviewCount: 1,
        meanScore: '90.00',
        ownReview: { score: 90, comment: '事迹突出' },
      });
      expect(typeof listed.body['nextPageToken']).toBe('string');
      const asOther = await as('expertTwo')('GET', `/v1/awards/rounds/${personRound}/nominations`);
      expect((asOther.body['items'] as Record<string, unknown>[])[0]).toMatchObject({
        reviewCount: 1,
        ownReview: null,
      });
      expect(JSON.stringify(asOther.body)).not.toContain('事迹突出');
    });

    it('when an expert is tied to the nominee, then REVIEW_CONFLICT_OF_INTEREST; after a recusal, REVIEW_RECUSED', async () => {
      // Administers the community by token.
      expect(
        refusal(
          await as('expertOfCommunity')(
            'POST',
            `/v1/awards/nominations/${communityNomination}/reviews`,
            { score: 99, comment: '' },
          ),
        ),
      ).toEqual({ status: 403, code: 'REVIEW_CONFLICT_OF_INTEREST' });
      // A member of the community by registration's participant record.
      expect(
        refusal(
          await as('expertTwo')('POST', `/v1/awards/nominations/${communityNomination}/reviews`, {
            score: 99,
            comment: '',
          }),
        ),
      ).toEqual({ status: 403, code: 'REVIEW_CONFLICT_OF_INTEREST' });
      const recused = await as('expertOne')(
        'POST',
        `/v1/awards/nominations/${liNomination}/recusal`,
        { reason: '曾为其导师' },
      );
      expect(recused.status, JSON.stringify(recused.body)).toBe(200);
      expect(recused.body).toMatchObject({ recused: true, reviewCount: 0 });
      expect(
        refusal(
          await as('expertOne')('POST', `/v1/awards/nominations/${liNomination}/reviews`, {
            score: 80,
            comment: '',
          }),
        ),
      ).toEqual({ status: 403, code: 'REVIEW_RECUSED' });
      expect(
        refusal(
          await as('expertOne')('POST', `/v1/awards/nominations/${randomUUID()}/reviews`, {
            score: 80,
            comment: '',
          }),
        ),
      ).toEqual({ status: 404, code: 'NOMINATION_NOT_FOUND' });
      expect(
        refusal(
          await as('expertOne')('POST', `/v1/awards/nominations/${liNomination}/reviews`, {
            score: 101,
            comment: '',
          }),
        ),
      ).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('approval and publication', () => {
    it('when the office approves, then the award is granted once, its material award taken from the funding line, and AwardGranted published keyed by the nominee', async () => {
      const approved = await office('POST', `/v1/awards/rounds/${personRound}/approvals`, {
        nominationIds: [zhangNomination],
      });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      const [award] = approved.body['awards'] as Record<string, unknown>[];
      expect(award).toMatchObject({
        nominationId: zhangNomination,
        place: 1,
        materialAwardYuan: '5000.00',
        publishedAt: null,
      });
      const again = await office('POST', `/v1/awards/rounds/${personRound}/approvals`, {
        nominationIds: [zhangNomination],
      });
      expect((again.body['awards'] as unknown[]).length).toBe(1);
      expect((await fundingLineModel(db).findById(fundingLine).lean())?.remainingFen).toBe(300_000);

      const [granted] = await awardsTopic.waitFor(
        'the award',
        ({ message }) => message.key?.toString() === zhang,
      );
      if (granted === undefined) throw new Error('no AwardGranted');
      const event = fromKafkaMessage(granted.message);
      expect(event.type).toBe(evaluationEvents.AwardGranted.type);
      expect(evaluationEvents.AwardGranted.codec.fromJSON(event.data)).toMatchObject({
        awardId: award?.['id'],
        nomineeId: zhang,
        nomineeKind: scoring.NomineeKind.NOMINEE_KIND_PERSON,
        category: scoring.AwardCategory.AWARD_CATEGORY_EXEMPLARY_INDIVIDUAL,
        materialAwardYuan: '5000.00',
        fundingLineId: fundingLine,
        year,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        awardsTopic.messages.filter(({ message }) => message.key?.toString() === zhang),
      ).toHaveLength(1);
    });

    it('when the funding line has less left than the award, then FUNDING_LINE_EXHAUSTED and nothing is granted or spent', async () => {
      await fundingLineModel(db).updateOne(
        { _id: fundingLine },
        { $set: { remainingFen: 100_000 } },
      );
      expect(
        refusal(
          await office('POST', `/v1/awards/rounds/${personRound}/approvals`, {
            nominationIds: [liNomination],
          }),
        ),
      ).toEqual({ status: 409, code: 'FUNDING_LINE_EXHAUSTED' });
      expect((await fundingLineModel(db).findById(fundingLine).lean())?.remainingFen).toBe(100_000);
    });

    it('when an approval exceeds the places or names another round’s nomination, then it is refused', async () => {
      expect(
        refusal(
          await office('POST', `/v1/awards/rounds/${organizationRound}/approvals`, {
            nominationIds: [zhangNomination],
          }),
        ),
      ).toEqual({ status: 400, code: 'APPROVAL_NOMINATION_UNKNOWN' });
      const granted = await office('POST', `/v1/awards/rounds/${organizationRound}/approvals`, {
        nominationIds: [communityNomination],
      });
      expect(granted.status, JSON.stringify(granted.body)).toBe(200);
      expect(
        refusal(
          await office('POST', `/v1/awards/rounds/${organizationRound}/approvals`, {
            nominationIds: [communityNomination, randomUUID()],
          }),
        ),
      ).toEqual({ status: 409, code: 'AWARD_PLACES_EXCEEDED' });
    });

    it('when the office publishes, then the awards are public with persons masked, cached, and a second publication is refused', async () => {
      const published = await office('POST', `/v1/awards/rounds/${personRound}/publication`);
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      expect(published.body['status']).toBe('published');
      expect(refusal(await office('POST', `/v1/awards/rounds/${personRound}/publication`))).toEqual(
        { status: 409, code: 'ROUND_NOT_PUBLISHABLE' },
      );
      expect(
        refusal(
          await as('expertOne')('POST', `/v1/awards/nominations/${liNomination}/reviews`, {
            score: 80,
            comment: '',
          }),
        ),
      ).toEqual({ status: 409, code: 'REVIEW_NOT_OPEN' });

      const query = `/v1/public/awards?year=${String(year)}&jurisdictionCode=${village(1)}`;
      const first = await send('GET', query, null);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.headers.get('x-cache')).toBe('miss');
      expect(first.body['items']).toEqual([
        expect.objectContaining({
          nomineeKind: 'person',
          name: '张*明',
          category: 'exemplary_individual',
          materialAwardYuan: '5000.00',
        }),
      ]);
      expect(JSON.stringify(first.body)).not.toContain(zhang);
      expect((await send('GET', query, null)).headers.get('x-cache')).toBe('hit');
      // The organization round is not published yet: its award stays out of the list.
      expect(JSON.stringify(first.body)).not.toContain('exemplary_organization');
      expect(
        (await send('GET', `/v1/public/awards?jurisdictionCode=${village(2)}`, null)).body['items'],
      ).toEqual([]);
      expect(refusal(await send('GET', '/v1/public/awards?pageToken=forged', null))).toEqual({
        status: 400,
        code: 'CURSOR_INVALID',
      });
    });
  });
});
