/**
 * The evaluation's sources through their real adapters: who is assessed and
 * registration's figures from a real registration app, the ledger, funding
 * and inspection figures from documents written through scoring's models.
 */
import { connectRedis, type RedisClient } from '@learning/redis';
import { connectRegistration, type RegistrationClients } from '@learning/registration-client';
import { idNumberFor } from '@learning/registration/testing/people';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enterpriseTrainingReportModel,
  fundingReceiptModel,
  inspectionModel,
} from '../../src/adapters/mongo/evaluation-models.js';
import { factModel, type FactDocument } from '../../src/adapters/mongo/facts.js';
import { ledgerEntryModel, type LedgerEntryDocument } from '../../src/adapters/mongo/ledger.js';
import { FundingGatherer } from '../../src/adapters/evaluation/funding-gatherer.js';
import { InspectionsGatherer } from '../../src/adapters/evaluation/inspections-gatherer.js';
import { LedgerGatherer } from '../../src/adapters/evaluation/ledger-gatherer.js';
import { RegistrationGatherer } from '../../src/adapters/evaluation/registration-gatherer.js';
import { RegistrationSubjectDirectory } from '../../src/adapters/evaluation/subject-directory.js';
import { gatheredInputs } from '../../src/application/evaluation/gathered-inputs.js';
import type { EvaluationInputs, SubjectCard } from '../../src/application/evaluation/ports.js';
import type { MetricReading } from '../../src/domain/evaluation.js';
import { useScoringStack } from '../support/stack.js';

const YEAR = 2026;
const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T1_V2 = '330281001002';
const T2 = '330281002000';
const T2_V1 = '330281002001';
const T3 = '330281003000';

/** The readings of one subject as `metric → value`, and their details. */
const valuesOf = (readings: readonly MetricReading[] | undefined) =>
  Object.fromEntries((readings ?? []).map((reading) => [reading.metric, reading.value]));
const detailOf = (readings: readonly MetricReading[] | undefined, metric: string) =>
  readings?.find((reading) => reading.metric === metric)?.detail;

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring evaluation sources', (servers) => {
  const stack = useScoringStack(servers);
  const database = uniqueName('scoring-eval-sources');
  let connection: Connection;
  let redis: RedisClient;
  let registration: RegistrationClients;
  let directory: RegistrationSubjectDirectory;
  let inputs: EvaluationInputs;
  const people: Record<'p1' | 'p2' | 'p3' | 'p4', string> = { p1: '', p2: '', p3: '', p4: '' };
  const orgs: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };

  async function person(home: string): Promise<string> {
    const token = await stack.token({ subject: `account-${randomUUID()}`, roles: ['participant'] });
    const response = await stack.registration.send('POST', '/v1/participants', token, {
      name: '李华',
      tier: 'ordinary_citizen',
      homeJurisdiction: home,
      idNumber: idNumberFor(randomInt(0, 900_000)),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function organization(
    kind: string,
    place: string,
    actions: readonly string[],
    members: readonly string[],
  ): Promise<string> {
    const admin = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    const applicant = await stack.token({ subject: 'applicant', roles: ['org_admin'] });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind,
      name: `学习型组织 ${randomUUID().slice(0, 6)}`,
      jurisdictionCode: place,
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const member of members) {
      const joined = await stack.registration.send(
        'PUT',
        `/v1/organizations/${id}/members/${member}`,
        admin,
        { role: 'member' },
      );
      expect(joined.status).toBe(200);
    }
    for (const action of actions) {
      const decided = await stack.registration.send(
        'POST',
        `/v1/organizations/${id}:decide`,
        admin,
        {
          action,
          reason: '评估测试',
        },
      );
      expect(decided.status).toBe(200);
    }
    return id;
  }

  const entry = (
    overrides: Partial<LedgerEntryDocument> & Pick<LedgerEntryDocument, 'holderId' | 'amount'>,
  ): LedgerEntryDocument => ({
    _id: randomUUID(),
    holderKind: 'person',
    year: YEAR,
    ruleId: 'rule-1',
    ruleVersion: 1,
    source: 'activity_attended',
    sourceId: randomUUID(),
    sourceEventId: randomUUID(),
    revision: 1,
    reason: 'awarded',
    occurredAt: new Date('2026-04-01T02:00:00Z'),
    category: null,
    tier: null,
    minutes: 0,
    campaignId: null,
    jurisdictionPath: [CITY, T1, T1_V1],
    organizationIds: [],
    title: '活动',
    recordedAt: new Date(),
    outbox: [],
    ...overrides,
  });

  const fact = (
    overrides: Partial<FactDocument> & Pick<FactDocument, 'holderId' | 'source'>,
  ): FactDocument => {
    const sourceId = overrides.sourceId ?? randomUUID();
    return {
      _id: `${overrides.holderKind ?? 'person'}:${overrides.holderId}|${sourceId}`,
      sourceId,
      holderKind: 'person',
      sourceEventId: randomUUID(),
      occurredAt: new Date('2026-05-01T02:00:00Z'),
      year: YEAR,
      category: null,
      tier: null,
      minutes: 60,
      units: 0,
      rank: null,
      campaignId: null,
      jurisdictionPath: [CITY, T1, T1_V1],
      organizationIds: [],
      title: '事实',
      withdrawnAt: null,
      attendedAt: null,
      reported: true,
      receivedAt: new Date(),
      ...overrides,
    };
  };

  beforeAll(async () => {
    redis = await connectRedis({ url: servers.redis.url, logger: captureLogger().logger });
    const serviceToken = await stack.token({
      subject: 'service:scoring',
      roles: ['service'],
      service: 'scoring',
      cityWide: true,
    });
    registration = connectRegistration({
      service: 'scoring',
      address: `127.0.0.1:${stack.registration.ports.grpcPort}`,
      redis,
      logger: captureLogger('registration-client').logger,
      tokenProvider: () => serviceToken,
    });
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    directory = new RegistrationSubjectDirectory({
      organizations: registration.organizations,
      organizationDirectory: registration.organizationDirectory,
      jurisdictions: registration.jurisdictions,
      cityCode: CITY,
    });
    inputs = gatheredInputs([
      new LedgerGatherer(ledgerEntryModel(connection), factModel(connection)),
      new RegistrationGatherer(registration.organizationDirectory, registration.audience),
      new FundingGatherer(
        enterpriseTrainingReportModel(connection),
        fundingReceiptModel(connection),
      ),
      new InspectionsGatherer(inspectionModel(connection)),
    ]);

    people.p1 = await person(T1_V1);
    people.p2 = await person(T1_V1);
    people.p3 = await person(T1_V2);
    people.p4 = await person(T2_V1);
    orgs.a = await organization(
      'enterprise',
      T1_V1,
      ['start_review', 'recognize'],
      [people.p1, people.p2],
    );
    orgs.b = await organization('enterprise', T1_V2, [], [people.p3]);
    orgs.c = await organization('enterprise', T2_V1, ['start_review', 'reject'], []);
    orgs.d = await organization('community', T1_V1, ['start_review', 'recognize'], []);
  });

  afterAll(async () => {
    registration.close();
    await redis.quit();
    await connection.close();
  });

  async function collected(
    subjects: readonly SubjectCard[],
    metrics: Parameters<EvaluationInputs['collect']>[2],
  ) {
    return inputs.collect(YEAR, subjects, metrics);
  }

  async function enterprises(): Promise<SubjectCard[]> {
    const cards: SubjectCard[] = [];
    for await (const page of directory.subjects('enterprise')) cards.push(...page);
    return cards;
  }

  async function areas(): Promise<SubjectCard[]> {
    const cards: SubjectCard[] = [];
    for await (const page of directory.subjects('area')) cards.push(...page);
    return cards;
  }

  describe('the subject directory', () => {
    it('when a kind’s subjects are listed, then its applied, under-review and recognized organizations come in id order, rejected ones and other kinds not', async () => {
      const cards = await enterprises();

      expect(cards.map((card) => card.subjectId)).toEqual([orgs.a, orgs.b].sort());
      expect(cards.find((card) => card.subjectId === orgs.a)).toMatchObject({
        subjectKind: 'organization',
        organizationKind: 'enterprise',
        jurisdictionPath: [CITY, T1, T1_V1],
      });
      expect(cards[0]?.leadDepartment).toEqual(expect.any(String));
    });

    it('when the areas are listed, then every township comes with its path ending in its own code, and no village', async () => {
      const cards = await areas();

      expect(cards.map((card) => card.subjectId).sort()).toEqual([T1, T2, T3]);
      expect(cards.find((card) => card.subjectId === T2)).toEqual({
        subjectKind: 'area',
        subjectId: T2,
        name: '第2街道',
        organizationKind: null,
        leadDepartment: null,
        jurisdictionPath: [CITY, T2],
      });
    });

    it('when one subject is asked for, then an organization or a township is found; a village, an unknown code or id is not', async () => {
      expect(await directory.subject('organization', orgs.b)).toMatchObject({ subjectId: orgs.b });
      expect(await directory.subject('area', T3)).toMatchObject({ subjectId: T3, name: '第3街道' });
      expect(await directory.subject('area', T1_V1)).toBeUndefined();
      expect(await directory.subject('area', '330281099000')).toBeUndefined();
      expect(await directory.subject('organization', randomUUID())).toBeUndefined();
    });
  });

  describe('registration’s figures', () => {
    it('when an organization page is gathered, then each has its active members and whether it is recognized', async () => {
      const readings = await collected(await enterprises(), ['members', 'recognized']);

      expect(valuesOf(readings.get(orgs.a))).toEqual({ members: 2, recognized: 1 });
      expect(valuesOf(readings.get(orgs.b))).toEqual({ members: 1, recognized: 0 });
      expect(detailOf(readings.get(orgs.b), 'recognized')).toBe('已申请');
    });

    it('when an area page is gathered, then each has its registered residents, its learning organizations not rejected, and the recognized ones', async () => {
      const readings = await collected(await areas(), [
        'residents',
        'organizations',
        'organizations_recognized',
      ]);

      expect(valuesOf(readings.get(T1))).toEqual({
        residents: 3,
        organizations: 3,
        organizations_recognized: 2,
      });
      expect(valuesOf(readings.get(T2))).toEqual({
        residents: 1,
        organizations: 0,
        organizations_recognized: 0,
      });
      expect(valuesOf(readings.get(T3))).toEqual({
        residents: 0,
        organizations: 0,
        organizations_recognized: 0,
      });
    });
  });

  describe('the ledger’s figures', () => {
    beforeAll(async () => {
      const ledger = ledgerEntryModel(connection);
      const withdrawn = randomUUID();
      await ledger.insertMany([
        entry({ holderId: people.p1, amount: 200, minutes: 60, organizationIds: [orgs.a] }),
        entry({ holderId: people.p1, amount: 100, minutes: 30, organizationIds: [orgs.a] }),
        entry({
          holderId: people.p2,
          amount: 100,
          minutes: 30,
          organizationIds: [orgs.a],
          sourceId: withdrawn,
        }),
        // p2's only credit was withdrawn: hours stay as the ledger's, p2 is not credited.
        entry({
          holderId: people.p2,
          amount: -100,
          minutes: 0,
          organizationIds: [orgs.a],
          sourceId: withdrawn,
          revision: 2,
          reason: 'source_withdrawn',
        }),
        entry({
          holderId: people.p3,
          amount: 50,
          minutes: 45,
          organizationIds: [orgs.b],
          jurisdictionPath: [CITY, T2, T2_V1],
        }),
        // Another year counts nowhere.
        entry({
          holderId: people.p1,
          amount: 999,
          minutes: 600,
          organizationIds: [orgs.a],
          year: YEAR - 1,
        }),
        entry({
          holderKind: 'organization',
          holderId: orgs.a,
          amount: 2000,
          source: 'organization_recognized',
          organizationIds: [orgs.a],
        }),
      ]);
      await factModel(connection).insertMany([
        fact({ holderId: people.p1, source: 'activity_attended', organizationIds: [orgs.a] }),
        fact({ holderId: people.p2, source: 'lecture_attended', organizationIds: [orgs.a] }),
        fact({
          holderId: people.p1,
          source: 'training_attended',
          organizationIds: [orgs.a],
          withdrawnAt: new Date(),
        }),
        fact({
          holderId: people.p2,
          source: 'activity_attended',
          organizationIds: [orgs.a],
          reported: false,
        }),
        fact({ holderId: people.p1, source: 'training_completed', organizationIds: [orgs.a] }),
        fact({ holderId: people.p1, source: 'training_completed', organizationIds: [orgs.a] }),
        fact({ holderId: people.p2, source: 'training_completed', organizationIds: [orgs.a] }),
        fact({
          holderId: people.p3,
          source: 'training_completed',
          organizationIds: [orgs.b],
          jurisdictionPath: [CITY, T2, T2_V1],
        }),
        fact({ holderKind: 'organization', holderId: orgs.a, source: 'activity_organized' }),
        fact({ holderKind: 'organization', holderId: orgs.a, source: 'activity_organized' }),
        fact({ holderKind: 'organization', holderId: orgs.a, source: 'book_donated', units: 12 }),
        fact({ holderKind: 'organization', holderId: orgs.a, source: 'book_donated', units: 8 }),
        fact({
          holderKind: 'organization',
          holderId: orgs.a,
          source: 'book_donated',
          units: 50,
          year: YEAR - 1,
        }),
      ]);
    });

    it('when an organization page is gathered, then members’ credits, hours and credited members, its own credits, attendances, trainings, activities and books are counted for the year', async () => {
      const readings = await collected(await enterprises(), [
        'member_credits',
        'member_hours',
        'members_credited',
        'own_credits',
        'member_attendances',
        'members_trained',
        'activities_organized',
        'books_donated',
      ]);

      expect(valuesOf(readings.get(orgs.a))).toEqual({
        member_credits: 3,
        member_hours: 2,
        members_credited: 1,
        own_credits: 20,
        member_attendances: 2,
        members_trained: 2,
        activities_organized: 2,
        books_donated: 20,
      });
      expect(detailOf(readings.get(orgs.a), 'member_attendances')).toBe(
        '活动 1、讲座 1、培训 0 人次',
      );
      expect(detailOf(readings.get(orgs.a), 'books_donated')).toBe('2 次捐赠');
      expect(valuesOf(readings.get(orgs.b))).toEqual({
        member_credits: 0.5,
        member_hours: 0.75,
        members_credited: 1,
        own_credits: 0,
        member_attendances: 0,
        members_trained: 1,
        activities_organized: 0,
        books_donated: 0,
      });
      expect(readings.get(orgs.a)?.every((reading) => reading.source === 'ledger')).toBe(true);
    });

    it('when an area page is gathered, then its residents’ credits, hours, credited and trained residents are counted by home', async () => {
      const readings = await collected(await areas(), [
        'resident_credits',
        'resident_hours',
        'residents_credited',
        'residents_trained',
      ]);

      expect(valuesOf(readings.get(T1))).toEqual({
        resident_credits: 3,
        resident_hours: 2,
        residents_credited: 1,
        residents_trained: 2,
      });
      expect(valuesOf(readings.get(T2))).toEqual({
        resident_credits: 0.5,
        resident_hours: 0.75,
        residents_credited: 1,
        residents_trained: 1,
      });
      expect(valuesOf(readings.get(T3))).toEqual({
        resident_credits: 0,
        resident_hours: 0,
        residents_credited: 0,
        residents_trained: 0,
      });
    });
  });

  describe('funding and inspections', () => {
    beforeAll(async () => {
      const now = new Date();
      await enterpriseTrainingReportModel(connection).create({
        _id: `${orgs.a}:${YEAR}`,
        organizationId: orgs.a,
        year: YEAR,
        reportId: randomUUID(),
        revision: 2,
        trainees: 12,
        trainingMinutes: 90,
        spendFen: 1_234_567,
        jurisdictionPath: [CITY, T1, T1_V1],
        reportedAt: now,
      });
      const receipt = (jurisdictionPath: string[], amountFen: number, year = YEAR) => ({
        _id: randomUUID(),
        year,
        source: 'sponsorship',
        donor: '某企业',
        amountFen,
        programme: '',
        jurisdictionPath,
        receivedOn: `${year}-03-01`,
        recordedBy: 'office',
        createdAt: now,
      });
      await fundingReceiptModel(connection).insertMany([
        receipt([CITY, T1, T1_V1], 100_000),
        receipt([CITY, T1], 50_000),
        receipt([CITY, T1], 70_000, YEAR - 1),
      ]);
      const inspection = (
        subjectKind: 'organization' | 'area',
        subjectId: string,
        rating: number,
        day: string,
      ) => ({
        _id: randomUUID(),
        year: YEAR,
        subjectKind,
        subjectId,
        jurisdictionPath: [CITY, T1],
        inspectedOn: `${YEAR}-${day}`,
        inspectorId: 'officer-1',
        findings: '学习制度健全',
        rating,
        createdAt: now,
      });
      await inspectionModel(connection).insertMany([
        inspection('organization', orgs.a, 91, '05-02'),
        inspection('organization', orgs.a, 80, '03-01'),
        inspection('organization', orgs.a, 85, '09-09'),
        inspection('area', T1, 70, '06-01'),
      ]);
    });

    it('when an organization page is gathered, then a filed training report gives spend in yuan, hours and trainees; none filed gives no reading', async () => {
      const readings = await collected(await enterprises(), [
        'training_spend_yuan',
        'training_hours_reported',
        'trainees_reported',
        'inspections',
        'inspection_rating',
      ]);

      expect(valuesOf(readings.get(orgs.a))).toEqual({
        training_spend_yuan: 12_345.67,
        training_hours_reported: 1.5,
        trainees_reported: 12,
        inspections: 3,
        inspection_rating: 85.33,
      });
      expect(detailOf(readings.get(orgs.a), 'inspection_rating')).toBe('3 次检查，评分 80、91、85');
      expect(readings.get(orgs.a)?.find((r) => r.metric === 'trainees_reported')?.source).toBe(
        'funding',
      );
      expect(valuesOf(readings.get(orgs.b))).toEqual({ inspections: 0 });
    });

    it('when an area page is gathered, then the year’s sponsorships and donations in its subtree are summed in yuan, and its own inspections counted', async () => {
      const readings = await collected(await areas(), [
        'funding_received_yuan',
        'inspections',
        'inspection_rating',
      ]);

      expect(valuesOf(readings.get(T1))).toEqual({
        funding_received_yuan: 1500,
        inspections: 1,
        inspection_rating: 70,
      });
      expect(detailOf(readings.get(T1), 'funding_received_yuan')).toBe('2 笔赞助和捐赠');
      expect(valuesOf(readings.get(T2))).toEqual({ funding_received_yuan: 0, inspections: 0 });
    });
  });
});
