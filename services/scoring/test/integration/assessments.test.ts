/**
 * Assessments end to end through the real app: a year's run over in-process
 * subjects (registration's directory is helper H2's part, see README) whose
 * figures are a credit table the test sets and the inspections the app
 * itself stored in Mongo; reads by scope; an inspection making the
 * assessment stale and the tick recomputing it; an appeal, a lock, a
 * correction; both events on Kafka; the summary over gRPC.
 */
import { evaluationEvents } from '@learning/contracts';
import { chinaYearOf } from '@learning/domain';
import { createGrpcClient } from '@learning/grpc';
import { scoring } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  openApiProblems,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { fromKafkaMessage, topics } from '@learning/events';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  assessmentModel,
  indicatorSystemModel,
  inspectionModel,
  type IndicatorSystemDocument,
} from '../../src/adapters/mongo/evaluation-models.js';
import type { EvaluationSources, SubjectCard } from '../../src/application/evaluation/ports.js';
import type { MetricReading, SystemTarget } from '../../src/domain/evaluation.js';
import { assessmentsModule, assessmentsModuleWith } from '../../src/modules/assessments.js';
import { useScoringStack } from '../support/stack.js';

const YEAR = chinaYearOf(new Date());
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface Body {
  [key: string]: unknown;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring assessments', (servers) => {
  const database = uniqueName('scoring-assessments');
  /** The figures the test sets: member credits by organization. */
  const credits = new Map<string, number>();
  const subjects: SubjectCard[] = [];

  // The evaluation's sources as the test provides them: subjects in process, credits from the
  // table above, inspections counted from what the app stored (one query per page).
  const sourcesOf = (platform: { mongo: Connection }): EvaluationSources => {
    const inspections = inspectionModel(platform.mongo);
    return {
      subjects: {
        async *subjects(target: SystemTarget) {
          await Promise.resolve();
          const all = subjects.filter((card) => (card.organizationKind ?? 'area') === target);
          for (let start = 0; start < all.length; start += 2) yield all.slice(start, start + 2);
        },
        subject: (kind, id) =>
          Promise.resolve(
            subjects.find((card) => card.subjectKind === kind && card.subjectId === id),
          ),
      },
      inputs: {
        async collect(year, page) {
          const ids = page.map((card) => card.subjectId);
          const counted = await inspections.aggregate<{ _id: string; count: number }>([
            { $match: { year, subjectId: { $in: ids } } },
            { $group: { _id: '$subjectId', count: { $sum: 1 } } },
          ]);
          const visits = new Map(counted.map((row) => [row._id, row.count]));
          return new Map(
            ids.map((id): [string, MetricReading[]] => [
              id,
              [
                { metric: 'member_credits', value: credits.get(id) ?? 0, source: 'ledger' },
                { metric: 'inspections', value: visits.get(id) ?? 0, source: 'inspections' },
              ],
            ]),
          );
        },
      },
    };
  };

  const stack = useScoringStack(servers, {
    scoringEnvironment: {
      MONGODB_DATABASE: database,
      KAFKA_GROUP_NAMESPACE: uniqueName('scoring-assessments'),
      ASSESSMENT_RECOMPUTE_MS: '1000',
    },
    // The service's assessments slice, over the sources above instead of registration's.
    modules: (modules) =>
      modules.map((module) =>
        module === assessmentsModule ? assessmentsModuleWith(sourcesOf) : module,
      ),
  });
  const [city, township] = stack.tree;
  const CITY = city?.code ?? '';
  const TOWNSHIP = township?.code ?? '';
  const OTHER_TOWNSHIP =
    stack.tree.find((node) => node.level === 'township' && node.code !== TOWNSHIP)?.code ?? '';

  const card = (name: string, place: string): SubjectCard => ({
    subjectKind: 'organization',
    subjectId: randomUUID(),
    name,
    organizationKind: 'enterprise',
    leadDepartment: 'economy',
    jurisdictionPath: [CITY, place],
  });
  const [best, middle, weakest] = [
    card('甲企业', TOWNSHIP),
    card('乙企业', TOWNSHIP),
    card('丙企业', OTHER_TOWNSHIP),
  ];
  const systemId = randomUUID();

  let connection: Connection;
  let watch: TopicWatch;

  const tokens = {
    office: () => stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true }),
    area: (code: string) =>
      stack.token({ subject: `area-${code}`, roles: ['area_officer'], jurisdictions: [code] }),
    admin: (organization: SubjectCard) =>
      stack.token({
        subject: `admin-${organization.subjectId}`,
        roles: ['org_admin'],
        organizations: [organization.subjectId],
      }),
  };
  async function call(
    token: Promise<string>,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Body; etag: string | null }> {
    const response = await stack.scoring.send(method, path, await token, body, { headers });
    return {
      status: response.status,
      body: (await response.json()) as Body,
      etag: response.headers.get('etag'),
    };
  }
  const office = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(tokens.office(), method, path, body, headers);
  async function assessmentOf(organization: SubjectCard): Promise<Body> {
    const list = await office(
      'GET',
      `/v1/organizations/${organization.subjectId}/assessments?year=${String(YEAR)}`,
    );
    const items = list.body.items as Body[];
    const current = items.find((item) => item.correctedById === null);
    if (current === undefined) throw new Error('no current assessment');
    return current;
  }
  async function runToEnd(target: SystemTarget): Promise<Body> {
    const started = await office('POST', '/v1/assessments/runs', { year: YEAR, target });
    expect(started.status).toBe(202);
    const finished = await eventually('the run to end', async () => {
      const progress = await office('GET', `/v1/assessments/runs/${String(started.body.id)}`);
      return progress.body.status === 'running' ? undefined : progress.body;
    });
    expect(finished.status).toBe('succeeded');
    return finished;
  }

  beforeAll(async () => {
    subjects.push(best, middle, weakest);
    credits.set(best.subjectId, 90);
    credits.set(middle.subjectId, 50);
    credits.set(weakest.subjectId, 10);
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    const system: Omit<IndicatorSystemDocument, 'outbox'> & { outbox: [] } = {
      _id: systemId,
      year: YEAR,
      target: 'enterprise',
      name: '企业学习型组织评估',
      version: 1,
      passMark: 6000,
      indicators: [
        {
          key: 'credits',
          name: '成员学分',
          weight: 6000,
          method: { kind: 'linear_band', metric: 'member_credits', from: 0, to: 100 },
        },
        {
          key: 'visited',
          name: '接受检查',
          weight: 4000,
          method: { kind: 'threshold', metric: 'inspections', atLeast: 1 },
        },
      ],
      history: [],
      frozenAt: null,
      createdBy: 'office',
      createdAt: new Date(),
      updatedAt: new Date(),
      outbox: [],
    };
    await indicatorSystemModel(connection).create(system);
    watch = await watchTopics(servers.kafka, [topics.scoringAssessments.name]);
  });

  afterAll(async () => {
    await watch.stop();
    await connection.close();
  });

  it('when the office computes a target without a system, then 409 ASSESSMENT_SYSTEM_MISSING', async () => {
    const refused = await office('POST', '/v1/assessments/runs', {
      year: YEAR,
      target: 'community',
    });

    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ASSESSMENT_SYSTEM_MISSING');
  });

  it('when the office computes the year, then every subject is assessed once and published, and a second run changes nothing', async () => {
    const progress = await runToEnd('enterprise');

    expect(progress).toMatchObject({ subjects: 3, changed: 3, unchanged: 0 });
    const computed = await watch.waitFor('the computed event of the best', ({ message }) => {
      const event = fromKafkaMessage(message);
      return (
        event.subject === best.subjectId && event.type === evaluationEvents.AssessmentComputed.type
      );
    });
    expect(computed).toBeDefined();
    const again = await runToEnd('enterprise');
    expect(again).toMatchObject({ subjects: 3, changed: 0, unchanged: 3 });
    expect((await assessmentOf(best)).revision).toBe(1);
  });

  it('when assessments are read, then the office sees all best first, an area officer their area and an admin their own', async () => {
    const all = await office('GET', `/v1/assessments?year=${String(YEAR)}&target=enterprise`);
    expect(all.status).toBe(200);
    expect((all.body.items as Body[]).map((item) => [item.subjectName, item.score])).toEqual([
      ['甲企业', '54.00'],
      ['乙企业', '30.00'],
      ['丙企业', '6.00'],
    ]);
    const area = await call(
      tokens.area(OTHER_TOWNSHIP),
      'GET',
      `/v1/assessments?year=${String(YEAR)}`,
    );
    expect((area.body.items as Body[]).map((item) => item.subjectName)).toEqual(['丙企业']);
    const department = (code: string) =>
      call(
        stack.token({ subject: `dept-${code}`, roles: ['department_officer'], department: code }),
        'GET',
        `/v1/assessments?year=${String(YEAR)}`,
      );
    expect(((await department('economy')).body.items as Body[]).length).toBe(3);
    expect(((await department('education')).body.items as Body[]).length).toBe(0);
    const own = await call(tokens.admin(middle), 'GET', `/v1/assessments?year=${String(YEAR)}`);
    expect((own.body.items as Body[]).map((item) => item.subjectName)).toEqual(['乙企业']);

    const id = String((await assessmentOf(best)).id);
    const detail = await call(tokens.admin(best), 'GET', `/v1/assessments/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.etag).toBe('"1"');
    expect(detail.body.indicators).toEqual([
      expect.objectContaining({
        key: 'credits',
        weight: '60.00',
        score: '90.00',
        weighted: '54.00',
        readings: [{ metric: 'member_credits', value: 90, source: 'ledger' }],
        explanation: expect.stringContaining('90') as unknown,
      }),
      expect.objectContaining({ key: 'visited', score: '0.00', measured: 0 }),
    ]);
    const hidden = await call(tokens.admin(middle), 'GET', `/v1/assessments/${id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('ASSESSMENT_NOT_FOUND');
  });

  it('when an officer inspects, then scope and date are checked, and the tick recomputes the assessment with the visit', async () => {
    const visit = {
      subjectKind: 'organization',
      subjectId: best.subjectId,
      inspectedOn: TODAY,
      findings: '学习台账齐全，活动记录完整。',
      rating: 92,
      photos: [{ fileRef: 'file-store://inspections/1.jpg', caption: '学习角' }],
    };
    const outside = await call(tokens.area(OTHER_TOWNSHIP), 'POST', '/v1/inspections', visit);
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('INSPECTION_OUT_OF_SCOPE');
    const future = await call(tokens.area(TOWNSHIP), 'POST', '/v1/inspections', {
      ...visit,
      inspectedOn: `${String(YEAR + 1)}-01-01`,
    });
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('INSPECTION_DATE_INVALID');
    const badPhoto = await call(tokens.area(TOWNSHIP), 'POST', '/v1/inspections', {
      ...visit,
      photos: [{ fileRef: 'http://example.com/x.jpg' }],
    });
    expect(badPhoto.status).toBe(400);

    const recorded = await call(tokens.area(TOWNSHIP), 'POST', '/v1/inspections', visit);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ year: YEAR, rating: 92 });

    const recomputed = await eventually('the tick to recompute the visited one', async () => {
      const current = await assessmentOf(best);
      return current.revision === 2 ? current : undefined;
    });
    expect(recomputed).toMatchObject({ stale: false, score: '94.00' });
    expect(recomputed.indicators).toContainEqual(
      expect.objectContaining({ key: 'visited', score: '100.00' }),
    );
    const listed = await call(
      tokens.admin(best),
      'GET',
      `/v1/inspections?subjectKind=organization&subjectId=${best.subjectId}&year=${String(YEAR)}`,
    );
    expect((listed.body.items as Body[]).map((item) => item.rating)).toEqual([92]);
  });

  it('when the office recomputes one after its figures changed, then its revision goes up; unchanged, it stays', async () => {
    const before = await assessmentOf(weakest);
    const id = String(before.id);
    const unchanged = await office('POST', `/v1/assessments/${id}/recomputation`);
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toMatchObject({ revision: 1, score: '6.00' });

    credits.set(weakest.subjectId, 20);
    const changed = await office('POST', `/v1/assessments/${id}/recomputation`);

    expect(changed.body).toMatchObject({ revision: 2, score: '12.00' });
    expect(changed.etag).toBe('"2"');
  });

  it('when the organization appeals, then it is held until the office decides', async () => {
    const id = String((await assessmentOf(middle)).id);

    const stranger = await call(tokens.admin(best), 'POST', `/v1/assessments/${id}/appeal`, {
      grounds: '不是我们的',
    });
    expect(stranger.status).toBe(404);
    const appealed = await call(tokens.admin(middle), 'POST', `/v1/assessments/${id}/appeal`, {
      grounds: '第三季度学分漏记',
      indicatorKeys: ['credits'],
    });
    expect(appealed.status).toBe(200);
    expect(appealed.body.status).toBe('under_appeal');
    const twice = await call(tokens.admin(middle), 'POST', `/v1/assessments/${id}/appeal`, {
      grounds: '再次申诉',
    });
    expect(twice.body.code).toBe('APPEAL_ALREADY_OPEN');
    const lock = await office('POST', `/v1/assessments/${id}/lock`);
    expect(lock.status).toBe(409);
    expect(lock.body.code).toBe('ASSESSMENT_UNDER_APPEAL');

    credits.set(middle.subjectId, 70);
    const upheld = await office('POST', `/v1/assessments/${id}/appeal/decision`, {
      outcome: 'upheld',
      reason: '核实漏记',
    });
    expect(upheld.status).toBe(200);
    expect(upheld.body).toMatchObject({ status: 'provisional', revision: 2, score: '42.00' });
  });

  it('when the office locks at a stale revision, then 409; at the read one it is locked, published, frozen and immutable', async () => {
    const current = await assessmentOf(best);
    const id = String(current.id);

    const stale = await office('POST', `/v1/assessments/${id}/lock`, undefined, {
      'if-match': '"1"',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('ASSESSMENT_REVISION_CONFLICT');
    const locked = await office('POST', `/v1/assessments/${id}/lock`, undefined, {
      'if-match': '"2"',
    });
    expect(locked.status).toBe(200);
    expect(locked.body.status).toBe('locked');

    await watch.waitFor('the locked event', ({ message }) => {
      const event = fromKafkaMessage(message);
      return (
        event.subject === best.subjectId && event.type === evaluationEvents.AssessmentLocked.type
      );
    });
    const system = await indicatorSystemModel(connection).findById(systemId).lean();
    expect(system?.frozenAt).toBeInstanceOf(Date);
    const recompute = await office('POST', `/v1/assessments/${id}/recomputation`);
    expect(recompute.body.code).toBe('ASSESSMENT_LOCKED');
    credits.set(best.subjectId, 10);
    expect((await runToEnd('enterprise')).changed).toBe(0);
    expect(await assessmentModel(connection).findById(id).lean()).toMatchObject({
      status: 'locked',
      score: 9400,
    });
  });

  it('when a locked one is corrected, then the correction is current and the gRPC summary names it', async () => {
    const lockedId = String((await assessmentOf(best)).id);

    const corrected = await office('POST', `/v1/assessments/${lockedId}/corrections`, {
      reason: '学分数据回溯更正',
    });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({
      sequence: 2,
      correctsId: lockedId,
      status: 'provisional',
      score: '46.00',
    });
    const again = await office('POST', `/v1/assessments/${lockedId}/corrections`, {
      reason: '再次',
    });
    expect(again.body.code).toBe('ASSESSMENT_ALREADY_CORRECTED');
    const old = await office('GET', `/v1/assessments/${lockedId}`);
    expect(old.body).toMatchObject({ status: 'locked', correctedById: corrected.body.id });

    const token = await stack.token({
      subject: 'service:portal',
      roles: ['service'],
      service: 'portal',
      cityWide: true,
    });
    const client = createGrpcClient(scoring.AssessmentServiceClient, {
      address: `127.0.0.1:${stack.scoring.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () => token,
    });
    try {
      const answer = await client.call.getAssessmentSummary({
        subjectKind: scoring.SubjectKind.SUBJECT_KIND_ORGANIZATION,
        subjectId: best.subjectId,
        year: 0,
      });
      expect(answer.summary).toMatchObject({
        assessmentId: corrected.body.id,
        correctsAssessmentId: lockedId,
        score: '46.00',
        status: scoring.AssessmentStatus.ASSESSMENT_STATUS_PROVISIONAL,
        rank: 1,
        rankedOutOf: 3,
        routing: { subjectId: best.subjectId, year: YEAR, jurisdictionPath: [CITY, TOWNSHIP] },
      });
      await expect(
        client.call.getAssessmentSummary({
          subjectKind: scoring.SubjectKind.SUBJECT_KIND_UNSPECIFIED,
          subjectId: best.subjectId,
          year: YEAR,
        }),
      ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'ASSESSMENT_SUBJECT_INVALID' });
      await expect(
        client.call.getAssessmentSummary({
          subjectKind: scoring.SubjectKind.SUBJECT_KIND_ORGANIZATION,
          subjectId: randomUUID(),
          year: YEAR,
        }),
      ).rejects.toMatchObject({ kind: 'not_found', code: 'ASSESSMENT_NOT_FOUND' });
    } finally {
      client.close();
    }
  });

  it('when the office locks the year, then every provisional one locks', async () => {
    const locked = await office('POST', '/v1/assessments/locks', {
      year: YEAR,
      target: 'enterprise',
    });

    expect(locked.status).toBe(200);
    expect(locked.body).toEqual({ year: YEAR, target: 'enterprise', locked: 3, skipped: 0 });
    expect((await assessmentOf(middle)).status).toBe('locked');
  });

  it('when the OpenAPI document is read, then every assessments and inspections operation is documented with its errors', async () => {
    const response = await fetch(`${stack.scoring.base}/openapi.json`);
    const { problems } = openApiProblems(await response.json());

    expect(problems).toEqual([]);
  });
});
