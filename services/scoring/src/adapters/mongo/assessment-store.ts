/**
 * The assessments as the assessments slice writes them (decision 0019): a
 * page's writes in one bulk call, each update filtered on a provisional,
 * current assessment at the revision read, so a lock, an appeal or another
 * replica that got there first is never overwritten. Events and audit
 * records ride in the document's outbox.
 */
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { keysetPage } from '@learning/mongo';
import {
  mongo,
  type AnyBulkWriteOperation,
  type Model,
  type RootFilterQuery,
  type UpdateQuery,
} from 'mongoose';
import type { OrganizationKind } from '@learning/domain';
import type { SubjectKind, SystemTarget } from '../../domain/evaluation.js';
import type {
  Appeal,
  AppealDecision,
  AssessmentPage,
  AssessmentQuery,
  AssessmentStore,
  AssessmentWrite,
  Computation,
  ListScope,
  LockChange,
  NewAssessment,
  StoredAssessment,
  WriteOutcome,
} from '../../application/assessments/ports.js';
import type { AssessmentDocument } from './evaluation-models.js';

/** Assessments locked per bulk write of a year's lock. */
const LOCK_BATCH = 500;
const DUPLICATE_KEY = 11000;

export const storedAssessmentOf = (document: AssessmentDocument): StoredAssessment => ({
  id: document._id,
  year: document.year,
  sequence: document.sequence,
  subject: {
    subjectKind: document.subjectKind,
    subjectId: document.subjectId,
    name: document.subjectName,
    organizationKind: document.organizationKind,
    leadDepartment: document.leadDepartment,
    jurisdictionPath: [...document.jurisdictionPath],
  },
  systemId: document.systemId,
  systemVersion: document.systemVersion,
  status: document.status,
  score: document.score,
  passMark: document.passMark,
  passed: document.passed,
  indicators: document.indicators,
  inputsDigest: document.inputsDigest,
  revision: document.revision,
  stale: document.stale,
  computedAt: document.computedAt,
  appeal: document.appeal,
  lockedAt: document.lockedAt,
  lockedBy: document.lockedBy,
  correctsId: document.correctsId,
  correctedById: document.correctedById,
  correctionReason: document.correctionReason,
});

const computationFields = (computation: Computation) => ({
  subjectKind: computation.subject.subjectKind,
  subjectId: computation.subject.subjectId,
  subjectName: computation.subject.name,
  organizationKind: computation.subject.organizationKind,
  leadDepartment: computation.subject.leadDepartment,
  jurisdictionPath: [...computation.subject.jurisdictionPath],
  systemId: computation.systemId,
  systemVersion: computation.systemVersion,
  score: computation.score,
  passMark: computation.passMark,
  passed: computation.passed,
  // Stored whole and read whole (the schema keeps them Mixed): plain copies of the results.
  indicators: computation.indicators.map((indicator) => ({
    ...indicator,
    readings: indicator.readings.map((reading) => ({ ...reading })),
  })),
  inputsDigest: computation.inputsDigest,
  computedAt: computation.computedAt,
});

const newDocument = (
  assessment: NewAssessment,
  events: readonly OutboxEntry[],
): AssessmentDocument => ({
  _id: assessment.id,
  year: assessment.year,
  sequence: assessment.sequence,
  ...computationFields(assessment),
  status: 'provisional',
  revision: 1,
  stale: false,
  appeal: null,
  lockedAt: null,
  lockedBy: null,
  correctsId: assessment.correctsId,
  correctedById: null,
  correctionReason: assessment.correctionReason,
  ...insertWithEvents(events),
});

/** The write filter every change of a result shares: current, provisional, at the revision read. */
const provisionalAt = (id: string, revision: number): RootFilterQuery<AssessmentDocument> => ({
  _id: id,
  status: 'provisional',
  correctedById: null,
  revision,
});

const targetFilter = (
  target: SystemTarget,
): { subjectKind: SubjectKind; organizationKind?: OrganizationKind } =>
  target === 'area'
    ? { subjectKind: 'area' }
    : { subjectKind: 'organization', organizationKind: target };

function scopeFilter(scope: ListScope): RootFilterQuery<AssessmentDocument> {
  if (scope.all) return {};
  const clauses: RootFilterQuery<AssessmentDocument>[] = [];
  if (scope.jurisdictions.length > 0)
    clauses.push({ jurisdictionPath: { $in: [...scope.jurisdictions] } });
  if (scope.leadDepartment !== null)
    clauses.push({ subjectKind: 'organization', leadDepartment: scope.leadDepartment });
  if (scope.organizationIds.length > 0)
    clauses.push({ subjectKind: 'organization', subjectId: { $in: [...scope.organizationIds] } });
  // No clause: nothing to see, and a filter that matches nothing says so.
  return clauses.length === 0 ? { _id: { $in: [] } } : { $or: clauses };
}

const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;

export class MongoAssessmentStore implements AssessmentStore {
  constructor(private readonly model: Model<AssessmentDocument>) {}

  async get(id: string): Promise<StoredAssessment | undefined> {
    const document = await this.model.findById(id).lean<AssessmentDocument>();
    return document === null ? undefined : storedAssessmentOf(document);
  }

  async currentOf(
    year: number,
    kind: SubjectKind,
    subjectIds: readonly string[],
  ): Promise<ReadonlyMap<string, StoredAssessment>> {
    const documents = await this.model
      .find({ year, subjectKind: kind, subjectId: { $in: [...subjectIds] }, correctedById: null })
      .lean<AssessmentDocument[]>();
    const current = new Map<string, StoredAssessment>();
    // A correction being added leaves two unlinked for a moment: the later sequence is current.
    for (const document of documents) {
      const known = current.get(document.subjectId);
      if (known === undefined || known.sequence < document.sequence)
        current.set(document.subjectId, storedAssessmentOf(document));
    }
    return current;
  }

  async write(writes: readonly AssessmentWrite[]): Promise<WriteOutcome> {
    const changes: AnyBulkWriteOperation<AssessmentDocument>[] = [];
    const freshIds: string[] = [];
    for (const write of writes) {
      if (write.kind === 'insert')
        changes.push({ insertOne: { document: newDocument(write.assessment, write.events) } });
      else if (write.kind === 'recomputed')
        changes.push({
          updateOne: {
            filter: provisionalAt(write.id, write.revision),
            update: updateWithEvents<AssessmentDocument>(
              {
                $set: { ...computationFields(write.computation), stale: false },
                $inc: { revision: 1 },
              },
              write.events,
            ),
          },
        });
      else freshIds.push(write.id);
    }
    const [applied] = await Promise.all([
      this.applyChanges(changes),
      // Only the stale mark goes, on whatever is still provisional: no result changes.
      freshIds.length === 0
        ? Promise.resolve()
        : this.model.updateMany(
            { _id: { $in: freshIds }, status: 'provisional' },
            { $set: { stale: false } },
          ),
    ]);
    return { ...applied, lost: changes.length - applied.inserted - applied.recomputed };
  }

  private async applyChanges(
    changes: AnyBulkWriteOperation<AssessmentDocument>[],
  ): Promise<{ inserted: number; recomputed: number }> {
    if (changes.length === 0) return { inserted: 0, recomputed: 0 };
    try {
      const result = await this.model.bulkWrite(changes, { ordered: false });
      return { inserted: result.insertedCount, recomputed: result.matchedCount };
    } catch (error) {
      // Another replica inserted some of the page's first assessments: theirs stand.
      if (!hasOnlyDuplicateKeys(error)) throw error;
      return { inserted: error.insertedCount, recomputed: error.matchedCount };
    }
  }

  async stale(afterId: string | null, limit: number): Promise<readonly StoredAssessment[]> {
    const documents = await this.model
      .find({
        stale: true,
        status: 'provisional',
        correctedById: null,
        ...(afterId === null ? {} : { _id: { $gt: afterId } }),
      })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<AssessmentDocument[]>();
    return documents.map(storedAssessmentOf);
  }

  async markStale(kind: SubjectKind, subjectId: string, year: number): Promise<boolean> {
    const result = await this.model.updateOne(
      { year, subjectKind: kind, subjectId, status: 'provisional', correctedById: null },
      { $set: { stale: true } },
    );
    return result.matchedCount > 0;
  }

  async list(query: AssessmentQuery, scope: ListScope): Promise<AssessmentPage> {
    const filter: RootFilterQuery<AssessmentDocument> = {
      year: query.year,
      correctedById: null,
      ...(query.target === undefined ? {} : targetFilter(query.target)),
      ...(query.jurisdictionCode === undefined ? {} : { jurisdictionPath: query.jurisdictionCode }),
      ...(query.passed === undefined ? {} : { passed: query.passed }),
    };
    const page = await keysetPage(
      this.model,
      {
        filter,
        sort: { field: 'score', direction: 'desc' },
        after: query.pageToken ?? null,
        limit: query.pageSize,
      },
      (request) => ({ $and: [request, scopeFilter(scope)] }),
    );
    return { items: page.items.map(storedAssessmentOf), nextPageToken: page.nextCursor };
  }

  async ofOrganization(organizationId: string, year: number): Promise<readonly StoredAssessment[]> {
    const documents = await this.model
      .find({ year, subjectKind: 'organization', subjectId: organizationId })
      .sort({ sequence: 1 })
      .lean<AssessmentDocument[]>();
    return documents.map(storedAssessmentOf);
  }

  private async change(
    filter: RootFilterQuery<AssessmentDocument>,
    update: UpdateQuery<AssessmentDocument>,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined> {
    const document = await this.model
      .findOneAndUpdate(filter, updateWithEvents<AssessmentDocument>(update, events), {
        new: true,
        runValidators: true,
      })
      .lean<AssessmentDocument>();
    return document === null ? undefined : storedAssessmentOf(document);
  }

  fileAppeal(
    id: string,
    appeal: Appeal,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined> {
    return this.change(
      { _id: id, status: 'provisional', correctedById: null },
      {
        $set: {
          status: 'under_appeal',
          appeal: { ...appeal, indicatorKeys: [...appeal.indicatorKeys] },
        },
      },
      events,
    );
  }

  decideAppeal(
    id: string,
    decision: AppealDecision,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined> {
    return this.change(
      { _id: id, status: 'under_appeal' },
      { $set: { status: 'provisional', 'appeal.decision': { ...decision } } },
      events,
    );
  }

  private lockUpdate(
    assessment: StoredAssessment,
    change: LockChange,
  ): UpdateQuery<AssessmentDocument> {
    return updateWithEvents<AssessmentDocument>(
      {
        $set: {
          status: 'locked',
          stale: false,
          lockedAt: change.lockedAt,
          lockedBy: change.lockedBy,
        },
      },
      change.eventsFor(assessment),
    );
  }

  async lock(
    id: string,
    revision: number,
    change: LockChange,
  ): Promise<StoredAssessment | undefined> {
    const current = await this.get(id);
    if (current === undefined) return undefined;
    const document = await this.model
      .findOneAndUpdate(provisionalAt(id, revision), this.lockUpdate(current, change), {
        new: true,
      })
      .lean<AssessmentDocument>();
    return document === null ? undefined : storedAssessmentOf(document);
  }

  async lockAll(
    year: number,
    target: SystemTarget,
    change: LockChange,
  ): Promise<{ readonly locked: number; readonly skipped: number }> {
    const of = { year, correctedById: null, ...targetFilter(target) };
    let locked = 0;
    let afterId: string | null = null;
    for (;;) {
      const batch: AssessmentDocument[] = await this.model
        .find({
          ...of,
          status: 'provisional',
          ...(afterId === null ? {} : { _id: { $gt: afterId } }),
        })
        .sort({ _id: 1 })
        .limit(LOCK_BATCH)
        .lean<AssessmentDocument[]>();
      const last = batch.at(-1);
      if (last === undefined) break;
      afterId = last._id;
      const result = await this.model.bulkWrite(
        batch.map((document) => ({
          updateOne: {
            filter: provisionalAt(document._id, document.revision),
            update: this.lockUpdate(storedAssessmentOf(document), change),
          },
        })),
        { ordered: false },
      );
      locked += result.modifiedCount;
    }
    const skipped = await this.model.countDocuments({ ...of, status: 'under_appeal' });
    return { locked, skipped };
  }

  async correct(
    lockedId: string,
    correction: NewAssessment,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    try {
      await this.model.create(newDocument(correction, events));
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    // The one write a locked assessment takes: the link to what replaces it.
    const linked = await this.model.updateOne(
      { _id: lockedId, status: 'locked', correctedById: null },
      { $set: { correctedById: correction.id } },
    );
    return linked.modifiedCount === 1;
  }
}

/** An unordered bulk write whose only failures are duplicate keys: another replica's inserts. */
function hasOnlyDuplicateKeys(error: unknown): error is mongo.MongoBulkWriteError {
  if (!(error instanceof mongo.MongoBulkWriteError)) return false;
  const writeErrors: readonly mongo.WriteError[] = Array.isArray(error.writeErrors)
    ? (error.writeErrors as mongo.WriteError[])
    : [error.writeErrors as mongo.WriteError];
  return writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY);
}
