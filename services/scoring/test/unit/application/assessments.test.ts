import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { evaluationEvents } from '@learning/contracts';
import { topics } from '@learning/events';
import { captureLogger } from '@learning/testing';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  computeAssessments,
  readingsDigest,
} from '../../../src/application/assessments/compute.js';
import { assessmentDecisions } from '../../../src/application/assessments/decisions.js';
import { inspectionsOf } from '../../../src/application/assessments/inspections.js';
import type {
  InspectionStore,
  RunProgress,
  RunRegistry,
  StoredInspection,
} from '../../../src/application/assessments/ports.js';
import { readAssessments } from '../../../src/application/assessments/reads.js';
import { assessmentRuns } from '../../../src/application/assessments/runs.js';
import type { SubjectCard } from '../../../src/application/evaluation/ports.js';
import type { IndicatorSystem, MetricReading } from '../../../src/domain/evaluation.js';
import { FakeAssessmentStore, FakeSources, FakeSystems } from './assessment-fakes.js';

const YEAR = 2026;
const NOW = new Date('2026-12-01T02:00:00Z');
const CITY = '330281000000';
const TOWNSHIP = '330281001000';
const ELSEWHERE = '330281002000';

const system: IndicatorSystem = {
  id: randomUUID(),
  year: YEAR,
  target: 'enterprise',
  name: '企业学习型组织评估',
  version: 1,
  passMark: 6000,
  indicators: [
    {
      key: 'credits',
      name: '成员学分',
      weight: 10_000,
      method: { kind: 'linear_band', metric: 'member_credits', from: 0, to: 100 },
    },
  ],
};

const card = (index: number): SubjectCard => ({
  subjectKind: 'organization',
  subjectId: `00000000-0000-4000-8000-00000000000${String(index)}`,
  name: `企业${String(index)}`,
  organizationKind: 'enterprise',
  leadDepartment: 'economy',
  jurisdictionPath: [CITY, TOWNSHIP],
});

const credits = (value: number): MetricReading[] => [
  { metric: 'member_credits', value, source: 'ledger' },
];

const principal = (fields: Partial<Principal> & Pick<Principal, 'roles'>): Principal => ({
  subject: 'someone',
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...fields,
});
const office = principal({ subject: 'office', roles: ['city_admin'], cityWide: true });
const adminOf = (subject: SubjectCard): Principal =>
  principal({ subject: 'org-admin', roles: ['org_admin'], organizations: [subject.subjectId] });
const areaOfficer = (code: string): Principal =>
  principal({ subject: 'area', roles: ['area_officer'], jurisdictions: [code] });

describe('the assessments use cases', () => {
  let store: FakeAssessmentStore;
  let sources: FakeSources;
  let systems: FakeSystems;
  let compute: ReturnType<typeof computeAssessments>;
  let decisions: ReturnType<typeof assessmentDecisions>;
  const [first, second, third] = [card(1), card(2), card(3)];

  const typesOf = (): string[] => store.outbox.map((entry) => entry.type);
  const only = async () => {
    const current = await store.currentOf(YEAR, 'organization', [first.subjectId]);
    const assessment = current.get(first.subjectId);
    if (assessment === undefined) throw new Error('no assessment');
    return assessment;
  };

  beforeEach(() => {
    store = new FakeAssessmentStore();
    sources = new FakeSources(2);
    systems = new FakeSystems([system]);
    for (const subject of [first, second, third]) sources.cards.set(subject.subjectId, subject);
    sources.readings.set(first.subjectId, credits(80));
    sources.readings.set(second.subjectId, credits(30));
    const deps = {
      store,
      systems,
      sources: { subjects: sources, inputs: sources },
      clock: () => NOW,
      newId: randomUUID,
      logger: captureLogger().logger,
    };
    compute = computeAssessments(deps);
    decisions = assessmentDecisions({
      ...deps,
      compute,
      audit: auditTrail('scoring', topics.scoringAudit),
    });
  });

  describe('computing', () => {
    it('when a subject has none, then its first assessment is inserted with its readings and one computed event', async () => {
      const outcome = await compute.computePage(system, [first, second, third]);

      expect(outcome).toEqual({ changed: 3, unchanged: 0 });
      const assessment = await only();
      expect(assessment).toMatchObject({ sequence: 1, revision: 1, score: 8000, passed: true });
      expect(assessment.indicators[0]?.readings).toEqual(credits(80));
      expect(assessment.indicators[0]?.explanation).toContain('80');
      // The third had no figures: 0, and its reading says so.
      const none = (await store.currentOf(YEAR, 'organization', [third.subjectId])).get(
        third.subjectId,
      );
      expect(none?.score).toBe(0);
      expect(none?.indicators[0]?.readings[0]?.detail).toBe('无数据，按 0 计');
      expect(typesOf()).toEqual(Array(3).fill(evaluationEvents.AssessmentComputed.type));
    });

    it('when the readings are unchanged, then nothing is written and no event is published', async () => {
      await compute.computePage(system, [first]);
      const writesBefore = store.writeCalls;

      const outcome = await compute.computePage(system, [first]);

      expect(outcome).toEqual({ changed: 0, unchanged: 1 });
      expect(store.writeCalls).toBe(writesBefore);
      expect((await only()).revision).toBe(1);
      expect(store.outbox).toHaveLength(1);
    });

    it('when the readings changed, then the revision goes up and a second computed event carries it', async () => {
      await compute.computePage(system, [first]);
      sources.readings.set(first.subjectId, credits(50));

      await compute.computePage(system, [first]);

      expect(await only()).toMatchObject({ revision: 2, score: 5000, passed: false });
      expect(store.outbox).toHaveLength(2);
      // Proto JSON leaves defaults out: passed false is absent.
      expect(store.outbox[1]?.data).toMatchObject({ revision: 2, score: '50.00' });
      expect(store.outbox[1]?.subject).toBe(first.subjectId);
    });

    it('when an assessment is locked or under appeal, then a computation never touches it', async () => {
      await compute.computePage(system, [first, second]);
      const locked = await decisions.lock(office, (await only()).id, undefined);
      const appealed = (await store.currentOf(YEAR, 'organization', [second.subjectId])).get(
        second.subjectId,
      );
      await decisions.appeal(adminOf(second), appealed?.id ?? '', {
        grounds: '漏算',
        indicatorKeys: [],
      });
      sources.readings.set(first.subjectId, credits(10));
      sources.readings.set(second.subjectId, credits(99));
      const events = store.outbox.length;

      const outcome = await compute.computePage(system, [first, second]);

      expect(outcome.changed).toBe(0);
      expect(await store.get(locked.id)).toMatchObject({
        status: 'locked',
        score: 8000,
        revision: 1,
      });
      expect(await store.get(appealed?.id ?? '')).toMatchObject({
        status: 'under_appeal',
        score: 3000,
      });
      expect(store.outbox).toHaveLength(events);
    });

    it('when a stale assessment recomputes to the same readings, then only the stale mark goes', async () => {
      await compute.computePage(system, [first]);
      await store.markStale('organization', first.subjectId, YEAR);

      await compute.recomputeStale(10);

      expect(await only()).toMatchObject({ stale: false, revision: 1 });
      expect(store.outbox).toHaveLength(1);
    });

    it('when a stale assessment’s figures changed, then the tick recomputes it', async () => {
      await compute.computePage(system, [first]);
      sources.readings.set(first.subjectId, credits(100));
      await store.markStale('organization', first.subjectId, YEAR);

      expect(await compute.recomputeStale(10)).toBe(1);

      expect(await only()).toMatchObject({ stale: false, revision: 2, score: 10_000 });
    });

    it('when the readings come in another order, then the digest is the same', () => {
      const readings: MetricReading[] = [
        { metric: 'members', value: 10, source: 'registration' },
        ...credits(5),
      ];

      expect(readingsDigest(system, readings)).toBe(
        readingsDigest(system, [...readings].reverse()),
      );
      expect(readingsDigest(system, readings)).not.toBe(
        readingsDigest({ ...system, version: 2 }, readings),
      );
    });

    it('when a year is run, then subjects are gathered one call per page and the run succeeds', async () => {
      const runs = assessmentRuns({
        compute,
        systems,
        sources: { subjects: sources, inputs: sources },
        registry: new MemoryRuns(),
        clock: () => NOW,
        logger: captureLogger().logger,
        newId: randomUUID,
        leaseMs: 60_000,
      });

      const started = await runs.start(YEAR, 'enterprise');
      let progress = await runs.progress(started.id);
      while (progress.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 5));
        progress = await runs.progress(started.id);
      }

      expect(progress).toMatchObject({
        status: 'succeeded',
        subjects: 3,
        changed: 3,
      });
      expect(sources.collectCalls).toBe(2);
      await expect(runs.start(YEAR, 'community')).rejects.toMatchObject({
        code: 'ASSESSMENT_SYSTEM_MISSING',
      });
    });
  });

  describe('appeals', () => {
    beforeEach(async () => {
      await compute.computePage(system, [first]);
    });

    it('when someone else appeals, then it is refused; the organization’s admin holds it under appeal once', async () => {
      const { id } = await only();

      await expect(
        decisions.appeal(adminOf(second), id, { grounds: 'x', indicatorKeys: [] }),
      ).rejects.toMatchObject({ code: 'ASSESSMENT_NOT_FOUND' });
      await expect(
        decisions.appeal(adminOf(first), id, { grounds: 'x', indicatorKeys: ['nope'] }),
      ).rejects.toMatchObject({ code: 'APPEAL_INDICATOR_UNKNOWN' });
      const appealed = await decisions.appeal(adminOf(first), id, {
        grounds: '学分漏记',
        indicatorKeys: ['credits'],
      });
      expect(appealed.status).toBe('under_appeal');
      await expect(
        decisions.appeal(adminOf(first), id, { grounds: 'again', indicatorKeys: [] }),
      ).rejects.toMatchObject({ code: 'APPEAL_ALREADY_OPEN' });
      await expect(decisions.lock(office, id, undefined)).rejects.toMatchObject({
        code: 'ASSESSMENT_UNDER_APPEAL',
      });
    });

    it('when an appeal is upheld, then the assessment is provisional again and recomputed with the new data', async () => {
      const { id } = await only();
      await decisions.appeal(adminOf(first), id, { grounds: '学分漏记', indicatorKeys: [] });
      sources.readings.set(first.subjectId, credits(95));

      const decided = await decisions.decideAppeal(office, id, {
        outcome: 'upheld',
        reason: '核实',
      });

      expect(decided).toMatchObject({ status: 'provisional', revision: 2, score: 9500 });
      expect(decided.appeal?.decision?.outcome).toBe('upheld');
      await expect(
        decisions.decideAppeal(office, id, { outcome: 'rejected', reason: 'again' }),
      ).rejects.toMatchObject({ code: 'APPEAL_NOT_OPEN' });
    });

    it('when an appeal is rejected, then the result stays and it is provisional again', async () => {
      const { id } = await only();
      await decisions.appeal(adminOf(first), id, { grounds: 'x', indicatorKeys: [] });
      sources.readings.set(first.subjectId, credits(95));

      const decided = await decisions.decideAppeal(office, id, {
        outcome: 'rejected',
        reason: '无据',
      });

      expect(decided).toMatchObject({ status: 'provisional', revision: 1, score: 8000 });
    });
  });

  describe('locks and corrections', () => {
    beforeEach(async () => {
      await compute.computePage(system, [first, second]);
    });

    it('when locked at a revision it no longer has, then it is refused; at its own, locked, published and the system frozen', async () => {
      const { id } = await only();

      await expect(decisions.lock(office, id, 7)).rejects.toMatchObject({
        code: 'ASSESSMENT_REVISION_CONFLICT',
      });
      const locked = await decisions.lock(office, id, 1);

      expect(locked).toMatchObject({ status: 'locked', lockedBy: 'office' });
      expect(typesOf()).toContain(evaluationEvents.AssessmentLocked.type);
      expect(systems.frozen.has(system.id)).toBe(true);
      await expect(decisions.lock(office, id, undefined)).rejects.toMatchObject({
        code: 'ASSESSMENT_LOCKED',
      });
      await expect(decisions.recompute(id)).rejects.toMatchObject({ code: 'ASSESSMENT_LOCKED' });
      await expect(
        decisions.appeal(adminOf(first), id, { grounds: 'x', indicatorKeys: [] }),
      ).rejects.toMatchObject({ code: 'ASSESSMENT_LOCKED' });
    });

    it('when a year is locked, then provisional ones lock and those under appeal are skipped', async () => {
      const appealed = (await store.currentOf(YEAR, 'organization', [second.subjectId])).get(
        second.subjectId,
      );
      await decisions.appeal(adminOf(second), appealed?.id ?? '', {
        grounds: 'x',
        indicatorKeys: [],
      });

      expect(await decisions.lockAll(office, YEAR, 'enterprise')).toEqual({
        locked: 1,
        skipped: 1,
      });
      expect((await only()).status).toBe('locked');
    });

    it('when a locked one is corrected, then a new provisional one with the next sequence is current and the chain links both ways', async () => {
      const { id } = await only();
      await expect(decisions.correct(office, id, '数据错误')).rejects.toMatchObject({
        code: 'ASSESSMENT_NOT_LOCKED',
      });
      await decisions.lock(office, id, undefined);
      sources.readings.set(first.subjectId, credits(60));

      const correction = await decisions.correct(office, id, '数据错误');

      expect(correction).toMatchObject({
        sequence: 2,
        correctsId: id,
        status: 'provisional',
        score: 6000,
        correctionReason: '数据错误',
      });
      expect(await store.get(id)).toMatchObject({
        status: 'locked',
        score: 8000,
        correctedById: correction.id,
      });
      expect((await only()).id).toBe(correction.id);
      await expect(decisions.correct(office, id, 'twice')).rejects.toMatchObject({
        code: 'ASSESSMENT_ALREADY_CORRECTED',
      });
      const locked = await decisions.lock(office, correction.id, undefined);
      expect(store.outbox.at(-2)?.data).toMatchObject({ correctsAssessmentId: id });
      expect(locked.correctsId).toBe(id);
    });
  });

  describe('reads and inspections', () => {
    it('when an officer outside the area or another organization reads, then it is not found', async () => {
      await compute.computePage(system, [first]);
      const { id } = await only();
      const reads = readAssessments(store);

      await expect(reads.get(areaOfficer(TOWNSHIP), id)).resolves.toMatchObject({ id });
      await expect(reads.get(adminOf(first), id)).resolves.toMatchObject({ id });
      await expect(reads.get(areaOfficer(ELSEWHERE), id)).rejects.toMatchObject({
        code: 'ASSESSMENT_NOT_FOUND',
      });
      await expect(reads.get(adminOf(second), id)).rejects.toMatchObject({
        code: 'ASSESSMENT_NOT_FOUND',
      });
    });

    it('when an inspection is entered, then scope and date are checked and the assessment goes stale', async () => {
      await compute.computePage(system, [first]);
      const inspections = inspectionsOf({
        inspections: new MemoryInspections(),
        assessments: store,
        subjects: sources,
        audit: auditTrail('scoring', topics.scoringAudit),
        clock: () => NOW,
        newId: randomUUID,
        logger: captureLogger().logger,
      });
      const visit = {
        subjectKind: 'organization' as const,
        subjectId: first.subjectId,
        inspectedOn: '2026-11-20',
        findings: '台账齐全',
        rating: 90,
        photos: [],
      };

      await expect(inspections.record(areaOfficer(ELSEWHERE), visit)).rejects.toMatchObject({
        code: 'INSPECTION_OUT_OF_SCOPE',
      });
      await expect(
        inspections.record(areaOfficer(TOWNSHIP), { ...visit, inspectedOn: '2026-12-02' }),
      ).rejects.toMatchObject({ code: 'INSPECTION_DATE_INVALID' });
      const recorded = await inspections.record(areaOfficer(TOWNSHIP), visit);

      expect(recorded).toMatchObject({ year: YEAR, rating: 90, inspectorId: 'area' });
      expect((await only()).stale).toBe(true);
    });
  });
});

class MemoryRuns implements RunRegistry {
  private readonly runs = new Map<string, RunProgress>();
  private readonly leases = new Map<string, string>();

  claim(progress: RunProgress) {
    const key = `${String(progress.year)}:${progress.target}`;
    const running = this.leases.get(key);
    if (running !== undefined)
      return Promise.resolve({ claimed: false as const, runningId: running });
    this.leases.set(key, progress.id);
    this.runs.set(progress.id, progress);
    return Promise.resolve({ claimed: true as const });
  }

  save(progress: RunProgress) {
    this.runs.set(progress.id, progress);
    if (progress.status !== 'running')
      this.leases.delete(`${String(progress.year)}:${progress.target}`);
    return Promise.resolve();
  }

  find(id: string) {
    return Promise.resolve(this.runs.get(id) ?? null);
  }
}

class MemoryInspections implements InspectionStore {
  readonly items: StoredInspection[] = [];

  add(inspection: Parameters<InspectionStore['add']>[0]): Promise<StoredInspection> {
    const { subject, ...rest } = inspection;
    const stored = {
      ...rest,
      subjectKind: subject.subjectKind,
      subjectId: subject.subjectId,
      jurisdictionPath: subject.jurisdictionPath,
    };
    this.items.push(stored);
    return Promise.resolve(stored);
  }

  list() {
    return Promise.resolve({ items: this.items, nextPageToken: null });
  }
}
