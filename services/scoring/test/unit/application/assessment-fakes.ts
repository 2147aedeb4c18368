/** In-memory fakes of the assessments slice's ports, with the Mongo adapter's write filters. */
import type { OutboxEntry } from '@learning/events';
import type {
  Appeal,
  AppealDecision,
  AssessmentPage,
  AssessmentQuery,
  AssessmentStore,
  AssessmentWrite,
  LockChange,
  NewAssessment,
  StoredAssessment,
  WriteOutcome,
} from '../../../src/application/assessments/ports.js';
import type {
  EvaluationInputs,
  IndicatorSystemReader,
  SubjectCard,
  SubjectDirectory,
} from '../../../src/application/evaluation/ports.js';
import type {
  IndicatorSystem,
  MetricReading,
  SubjectKind,
  SystemTarget,
} from '../../../src/domain/evaluation.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class FakeAssessmentStore implements AssessmentStore {
  readonly documents = new Map<string, Mutable<StoredAssessment>>();
  readonly outbox: OutboxEntry[] = [];
  /** Calls of write() with at least one write: the page's round trips. */
  writeCalls = 0;

  private current(id: string, revision?: number): Mutable<StoredAssessment> | undefined {
    const document = this.documents.get(id);
    if (
      document === undefined ||
      document.status !== 'provisional' ||
      document.correctedById !== null ||
      (revision !== undefined && document.revision !== revision)
    )
      return undefined;
    return document;
  }

  private fresh(assessment: NewAssessment): Mutable<StoredAssessment> {
    return {
      ...assessment,
      status: 'provisional',
      revision: 1,
      stale: false,
      appeal: null,
      lockedAt: null,
      lockedBy: null,
      correctedById: null,
    };
  }

  get(id: string): Promise<StoredAssessment | undefined> {
    const document = this.documents.get(id);
    return Promise.resolve(document === undefined ? undefined : { ...document });
  }

  currentOf(
    year: number,
    kind: SubjectKind,
    subjectIds: readonly string[],
  ): Promise<ReadonlyMap<string, StoredAssessment>> {
    const found = new Map<string, StoredAssessment>();
    for (const document of this.documents.values())
      if (
        document.year === year &&
        document.subject.subjectKind === kind &&
        subjectIds.includes(document.subject.subjectId) &&
        document.correctedById === null
      )
        found.set(document.subject.subjectId, { ...document });
    return Promise.resolve(found);
  }

  write(writes: readonly AssessmentWrite[]): Promise<WriteOutcome> {
    if (writes.length > 0) this.writeCalls += 1;
    let inserted = 0;
    let recomputed = 0;
    let lost = 0;
    for (const write of writes) {
      if (write.kind === 'insert') {
        const taken = [...this.documents.values()].some(
          (document) =>
            document.year === write.assessment.year &&
            document.subject.subjectId === write.assessment.subject.subjectId &&
            document.sequence === write.assessment.sequence,
        );
        if (taken) lost += 1;
        else {
          this.documents.set(write.assessment.id, this.fresh(write.assessment));
          this.outbox.push(...write.events);
          inserted += 1;
        }
      } else if (write.kind === 'recomputed') {
        const document = this.current(write.id, write.revision);
        if (document === undefined) lost += 1;
        else {
          Object.assign(document, write.computation, {
            revision: document.revision + 1,
            stale: false,
          });
          this.outbox.push(...write.events);
          recomputed += 1;
        }
      } else {
        const document = this.documents.get(write.id);
        if (document?.status === 'provisional') document.stale = false;
      }
    }
    return Promise.resolve({ inserted, recomputed, lost });
  }

  stale(afterId: string | null, limit: number): Promise<readonly StoredAssessment[]> {
    return Promise.resolve(
      [...this.documents.values()]
        .filter(
          (document) =>
            document.stale &&
            document.status === 'provisional' &&
            document.correctedById === null &&
            (afterId === null || document.id > afterId),
        )
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, limit)
        .map((document) => ({ ...document })),
    );
  }

  markStale(kind: SubjectKind, subjectId: string, year: number): Promise<boolean> {
    for (const document of this.documents.values())
      if (
        document.year === year &&
        document.subject.subjectKind === kind &&
        document.subject.subjectId === subjectId &&
        document.status === 'provisional' &&
        document.correctedById === null
      ) {
        document.stale = true;
        return Promise.resolve(true);
      }
    return Promise.resolve(false);
  }

  list(query: AssessmentQuery): Promise<AssessmentPage> {
    const items = [...this.documents.values()]
      .filter((document) => document.year === query.year && document.correctedById === null)
      .sort((a, b) => b.score - a.score);
    return Promise.resolve({ items, nextPageToken: null });
  }

  ofOrganization(organizationId: string, year: number): Promise<readonly StoredAssessment[]> {
    return Promise.resolve(
      [...this.documents.values()].filter(
        (document) => document.year === year && document.subject.subjectId === organizationId,
      ),
    );
  }

  fileAppeal(
    id: string,
    appeal: Appeal,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined> {
    const document = this.current(id);
    if (document === undefined) return Promise.resolve(undefined);
    Object.assign(document, { status: 'under_appeal', appeal });
    this.outbox.push(...events);
    return Promise.resolve({ ...document });
  }

  decideAppeal(
    id: string,
    decision: AppealDecision,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined> {
    const document = this.documents.get(id);
    if (document?.status !== 'under_appeal' || document.appeal === null)
      return Promise.resolve(undefined);
    Object.assign(document, { status: 'provisional', appeal: { ...document.appeal, decision } });
    this.outbox.push(...events);
    return Promise.resolve({ ...document });
  }

  lock(id: string, revision: number, change: LockChange): Promise<StoredAssessment | undefined> {
    const document = this.current(id, revision);
    if (document === undefined) return Promise.resolve(undefined);
    this.outbox.push(...change.eventsFor({ ...document }));
    Object.assign(document, {
      status: 'locked',
      stale: false,
      lockedAt: change.lockedAt,
      lockedBy: change.lockedBy,
    });
    return Promise.resolve({ ...document });
  }

  async lockAll(
    year: number,
    target: SystemTarget,
    change: LockChange,
  ): Promise<{ readonly locked: number; readonly skipped: number }> {
    let locked = 0;
    let skipped = 0;
    for (const document of [...this.documents.values()]) {
      if (document.year !== year || (document.subject.organizationKind ?? 'area') !== target)
        continue;
      if (document.status === 'under_appeal') skipped += 1;
      else if ((await this.lock(document.id, document.revision, change)) !== undefined) locked += 1;
    }
    return { locked, skipped };
  }

  correct(
    lockedId: string,
    correction: NewAssessment,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    const locked = this.documents.get(lockedId);
    if (locked?.status !== 'locked' || locked.correctedById !== null) return Promise.resolve(false);
    this.documents.set(correction.id, this.fresh(correction));
    locked.correctedById = correction.id;
    this.outbox.push(...events);
    return Promise.resolve(true);
  }
}

/** Subjects and figures the test sets; `collect` calls are counted per page. */
export class FakeSources implements SubjectDirectory, EvaluationInputs {
  readonly cards = new Map<string, SubjectCard>();
  readonly readings = new Map<string, MetricReading[]>();
  collectCalls = 0;

  constructor(private readonly pageSize = 2) {}

  async *subjects(target: SystemTarget): AsyncIterable<readonly SubjectCard[]> {
    const all = [...this.cards.values()].filter(
      (card) => (card.organizationKind ?? 'area') === target,
    );
    for (let start = 0; start < all.length; start += this.pageSize) {
      await Promise.resolve();
      yield all.slice(start, start + this.pageSize);
    }
  }

  subject(kind: SubjectKind, id: string): Promise<SubjectCard | undefined> {
    const card = this.cards.get(id);
    return Promise.resolve(card?.subjectKind === kind ? card : undefined);
  }

  collect(
    _year: number,
    subjects: readonly SubjectCard[],
  ): Promise<ReadonlyMap<string, readonly MetricReading[]>> {
    this.collectCalls += 1;
    return Promise.resolve(
      new Map(
        subjects.map((subject) => [subject.subjectId, this.readings.get(subject.subjectId) ?? []]),
      ),
    );
  }
}

export class FakeSystems implements IndicatorSystemReader {
  readonly frozen = new Map<string, Date>();

  constructor(readonly systems: IndicatorSystem[]) {}

  forTarget(year: number, target: SystemTarget): Promise<IndicatorSystem | undefined> {
    return Promise.resolve(
      this.systems.find((system) => system.year === year && system.target === target),
    );
  }

  atVersion(id: string, version: number): Promise<IndicatorSystem | undefined> {
    return Promise.resolve(
      this.systems.find((system) => system.id === id && system.version === version),
    );
  }

  freeze(id: string, at: Date): Promise<void> {
    if (!this.frozen.has(id)) this.frozen.set(id, at);
    return Promise.resolve();
  }
}
