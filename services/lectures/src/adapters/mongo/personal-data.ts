/**
 * What lectures holds about one person, read for their copy and erased or
 * pseudonymized when they close their account (decision 0022), and the
 * retention sweeps over the same collections. Records keyed by account
 * subject only (forums' managers, older feedback, the audit log) are reached
 * through the subjects the person's other records name, so erasure resolves
 * those first and the records naming both ids last (see the module's order).
 *
 * Pseudonymized records keep a subject of `erased:<record id>`: unique where
 * an index asks it (one attendance or rating per person and session), and
 * linked to nobody.
 */
import type { AuditEntryView, AuditLog } from '@learning/audit';
import type { PiiVault } from '@learning/pii';
import type { Connection, Model, mongo } from 'mongoose';
import { attendanceModel, type AttendanceDocument } from './attendance.js';
import { forumModel, type ForumDocument } from './catalogue.js';
import { expertModel, type ExpertDocument } from './experts.js';
import { feedbackModel, type FeedbackDocument } from './feedback.js';
import { MATERIALS_BUCKET } from './material-files.js';
import { progressModel, type ProgressDocument } from './lesson-progress.js';
import { sessionModel, type SessionDocument } from './sessions.js';

/** The participant id a pseudonymized record keeps: nobody's. */
export const ERASED = 'erased';
/** The name an erased expert's record shows where sessions still name it as their speaker. */
export const ERASED_EXPERT_NAME = '已注销的专家';
const ERASED_SUBJECT = /^erased:/;
const erasedSubjectOf = (recordId: string): string => `${ERASED}:${recordId}`;

/** Records rewritten per round trip by the sweeps and erasures that rewrite one by one. */
const BATCH = 500;

interface MaterialFileDocument {
  _id: mongo.ObjectId;
  filename: string;
  uploadDate: Date;
  metadata: { sessionId: string; ownerId: string };
}

export interface SpeakerEngagement {
  readonly sessionId: string;
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: string;
}

export class MongoPersonalData {
  readonly #attendance: Model<AttendanceDocument>;
  readonly #feedback: Model<FeedbackDocument>;
  readonly #progress: Model<ProgressDocument>;
  readonly #experts: Model<ExpertDocument>;
  readonly #forums: Model<ForumDocument>;
  readonly #sessions: Model<SessionDocument>;
  readonly #connection: Connection;

  constructor(
    connection: Connection,
    private readonly auditLog: AuditLog,
    private readonly vault: PiiVault,
  ) {
    this.#attendance = attendanceModel(connection);
    this.#feedback = feedbackModel(connection);
    this.#progress = progressModel(connection);
    this.#experts = expertModel(connection);
    this.#forums = forumModel(connection);
    this.#sessions = sessionModel(connection);
    this.#connection = connection;
  }

  /** The account subjects the person's records name (attendance, progress, expert record, feedback). */
  async subjectsOf(participantId: string): Promise<string[]> {
    const [attendance, progress, experts, feedback] = await Promise.all([
      this.#attendance.distinct('accountSubject', { participantId }),
      this.#progress.distinct('learnerSubject', { participantId }),
      this.#experts.distinct('accountSubject', { participantId }),
      this.#feedback.distinct('accountSubject', { participantId }),
    ]);
    const subjects = new Set<string>([...attendance, ...progress, ...experts, ...feedback]);
    return [...subjects].filter((subject) => !ERASED_SUBJECT.test(subject));
  }

  // --- forums the person manages -------------------------------------------

  async managedForums(subjects: readonly string[]) {
    if (subjects.length === 0) return [];
    const docs = await this.#forums
      .find({ managerSubjects: { $in: [...subjects] } }, { name: 1, seriesId: 1, status: 1 })
      .lean<Pick<ForumDocument, '_id' | 'name' | 'seriesId' | 'status'>[]>();
    return docs.map((doc) => ({
      forumId: doc._id,
      name: doc.name,
      seriesId: doc.seriesId,
      status: doc.status,
    }));
  }

  /** Takes the subjects off the forums' managers; returns how many forums changed. */
  async leaveForums(subjects: readonly string[], at: Date): Promise<number> {
    if (subjects.length === 0) return 0;
    const { modifiedCount } = await this.#forums.updateMany(
      { managerSubjects: { $in: [...subjects] } },
      {
        $pull: { managerSubjects: { $in: [...subjects] } },
        $set: { updatedAt: at },
        $inc: { version: 1 },
      },
    );
    return modifiedCount;
  }

  // --- material files the person uploaded -----------------------------------

  #materialFiles(): mongo.Collection<MaterialFileDocument> {
    return this.#connection.collection<MaterialFileDocument>(`${MATERIALS_BUCKET}.files`);
  }

  async uploads(subjects: readonly string[]) {
    if (subjects.length === 0) return [];
    const files = await this.#materialFiles()
      .find({ 'metadata.ownerId': { $in: [...subjects] } })
      .sort({ uploadDate: 1 })
      .toArray();
    return files.map((file) => ({
      fileId: String(file._id),
      fileName: file.filename,
      sessionId: file.metadata.sessionId,
      uploadedAt: file.uploadDate,
    }));
  }

  /** The files stay the sessions' materials; who uploaded them is forgotten. */
  async unlinkUploads(subjects: readonly string[]): Promise<number> {
    if (subjects.length === 0) return 0;
    const { modifiedCount } = await this.#materialFiles().updateMany(
      { 'metadata.ownerId': { $in: [...subjects] } },
      { $set: { 'metadata.ownerId': ERASED } },
    );
    return modifiedCount;
  }

  // --- the audit log ---------------------------------------------------------

  /** The ids of the person's expert record and feedback: what audit records describe of them. */
  async #ownEntities(participantId: string, subjects: readonly string[]) {
    const [experts, feedback] = await Promise.all([
      this.#experts.distinct('_id', { participantId }),
      this.#feedback.distinct('_id', this.#feedbackOf(participantId, subjects)),
    ]);
    return [
      { entityType: 'expert', entityIds: experts.map(String) },
      { entityType: 'feedback', entityIds: feedback.map(String) },
    ];
  }

  async auditRecords(
    participantId: string,
    subjects: readonly string[],
  ): Promise<AuditEntryView[]> {
    return this.auditLog.concerning(subjects, await this.#ownEntities(participantId, subjects));
  }

  /**
   * Empties what audit records showed of the person's records; returns how
   * many changed, and how many records of what the person did stay.
   */
  async redactAudit(
    participantId: string,
    subjects: readonly string[],
  ): Promise<{ redacted: number; kept: number }> {
    let redacted = 0;
    for (const { entityType, entityIds } of await this.#ownEntities(participantId, subjects))
      redacted += await this.auditLog.redactEntities(entityType, entityIds);
    const kept = subjects.length === 0 ? [] : await this.auditLog.concerning(subjects, []);
    return { redacted, kept: kept.length };
  }

  // --- feedback ---------------------------------------------------------------

  #feedbackOf(participantId: string, subjects: readonly string[]) {
    return {
      $or: [
        { participantId },
        ...(subjects.length === 0 ? [] : [{ accountSubject: { $in: [...subjects] } }]),
      ],
    };
  }

  async feedback(participantId: string, subjects: readonly string[]) {
    const docs = await this.#feedback
      .find(this.#feedbackOf(participantId, subjects), { outbox: 0 })
      .sort({ submittedAt: 1 })
      .lean<FeedbackDocument[]>();
    return docs.map((doc) => ({
      feedbackId: doc._id,
      sessionId: doc.sessionId,
      rating: doc.rating,
      comment: doc.comment,
      commentStatus: doc.commentStatus,
      withdrawn: doc.withdrawn,
      submittedAt: doc.submittedAt,
    }));
  }

  /** Drops the comment and the author of each rating; the rating stays. */
  async anonymizeFeedback(
    participantId: string,
    subjects: readonly string[],
    at: Date,
  ): Promise<{ ratings: number; comments: number }> {
    return this.#anonymizeFeedbackWhere(this.#feedbackOf(participantId, subjects), at);
  }

  async #anonymizeFeedbackWhere(
    filter: Record<string, unknown>,
    at: Date,
    signal?: AbortSignal,
  ): Promise<{ ratings: number; comments: number }> {
    const outcome = { ratings: 0, comments: 0 };
    for (;;) {
      if (signal?.aborted === true) return outcome;
      const docs = await this.#feedback
        .find(filter, { comment: 1 })
        .limit(BATCH)
        .lean<Pick<FeedbackDocument, '_id' | 'comment'>[]>();
      if (docs.length === 0) return outcome;
      await this.#feedback.bulkWrite(
        docs.map((doc) => ({
          updateOne: {
            filter: { _id: doc._id },
            update: {
              $set: {
                accountSubject: erasedSubjectOf(doc._id),
                comment: null,
                commentStatus: 'none',
                flagged: false,
                updatedAt: at,
              },
              $unset: { participantId: 1 },
              $inc: { version: 1 },
            },
          },
        })),
      );
      outcome.ratings += docs.length;
      outcome.comments += docs.filter((doc) => doc.comment !== null).length;
    }
  }

  /** Retention: ratings given before `cutoff` lose their comment and author. */
  async sweepFeedback(cutoff: Date, at: Date, signal: AbortSignal): Promise<number> {
    const { ratings } = await this.#anonymizeFeedbackWhere(
      { submittedAt: { $lt: cutoff }, accountSubject: { $not: ERASED_SUBJECT } },
      at,
      signal,
    );
    return ratings;
  }

  // --- attendance -------------------------------------------------------------

  async attendance(participantId: string) {
    const docs = await this.#attendance
      .find({ participantId })
      .sort({ attendedAt: 1 })
      .lean<AttendanceDocument[]>();
    return docs.map((doc) => ({
      enrollmentId: doc._id,
      sessionId: doc.sessionId,
      accountSubject: doc.accountSubject,
      attendedAt: doc.attendedAt,
      townshipCode: doc.townshipCode,
      recordedAt: doc.recordedAt,
    }));
  }

  /** Unlinks the person's attendance; the session, township and time stay for coverage. */
  async unlinkAttendance(participantId: string): Promise<number> {
    return this.#unlinkAttendanceWhere({ participantId });
  }

  /** Retention: attendance before `cutoff` is unlinked from its attendee. */
  async sweepAttendance(cutoff: Date, signal: AbortSignal): Promise<number> {
    return this.#unlinkAttendanceWhere(
      { attendedAt: { $lt: cutoff }, participantId: { $ne: ERASED } },
      signal,
    );
  }

  async #unlinkAttendanceWhere(
    filter: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<number> {
    let unlinked = 0;
    for (;;) {
      if (signal?.aborted === true) return unlinked;
      const ids = (
        await this.#attendance.find(filter, { _id: 1 }).limit(BATCH).lean<{ _id: string }[]>()
      ).map((doc) => doc._id);
      if (ids.length === 0) return unlinked;
      await this.#attendance.bulkWrite(
        ids.map((id) => ({
          updateOne: {
            filter: { _id: id },
            update: { $set: { participantId: ERASED, accountSubject: erasedSubjectOf(id) } },
          },
        })),
      );
      unlinked += ids.length;
    }
  }

  // --- lesson progress --------------------------------------------------------

  async progress(participantId: string) {
    const docs = await this.#progress
      .find({ participantId }, { outbox: 0 })
      .sort({ startedAt: 1 })
      .lean<ProgressDocument[]>();
    return docs.map((doc) => ({
      lessonId: doc.lessonId,
      accountSubject: doc.learnerSubject,
      homeJurisdictionPath: doc.jurisdictionPath,
      positionSeconds: doc.positionSeconds,
      creditedSeconds: doc.creditedSeconds,
      startedAt: doc.startedAt,
      lastHeartbeatAt: doc.lastHeartbeatAt,
      completedAt: doc.completedAt,
    }));
  }

  async removeProgress(participantId: string): Promise<number> {
    const { deletedCount } = await this.#progress.deleteMany({ participantId });
    return deletedCount;
  }

  /** Retention: progress without a heartbeat since `cutoff` is removed. */
  async sweepProgress(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.#progress.deleteMany({ updatedAt: { $lt: cutoff } });
    return deletedCount;
  }

  // --- the expert record ------------------------------------------------------

  async expert(participantId: string) {
    const docs = await this.#experts
      // The outbox is left out by the schema; a projection here would drop the contacts too.
      .find({ participantId })
      .select('+phoneEncrypted +emailEncrypted')
      .lean<ExpertDocument[]>();
    return Promise.all(
      docs.map(async (doc) => ({
        expertId: doc._id,
        accountSubject: doc.accountSubject,
        displayName: doc.displayName,
        title: doc.title,
        employer: doc.employer,
        fields: doc.fields,
        specialties: doc.specialties,
        languages: doc.languages,
        availability: doc.availability,
        travelRadius: doc.travelRadius,
        phone: doc.phoneEncrypted === null ? null : this.vault.decrypt(doc.phoneEncrypted),
        email: doc.emailEncrypted === null ? null : this.vault.decrypt(doc.emailEncrypted),
        status: doc.status,
        createdAt: doc.createdAt,
        updatedAt: doc.updatedAt,
        sessions: await this.engagements(doc._id),
      })),
    );
  }

  /** The sessions naming the expert among their speakers, earliest first. */
  async engagements(
    expertId: string,
    filter: Record<string, unknown> = {},
  ): Promise<SpeakerEngagement[]> {
    const docs = await this.#sessions
      .find({ speakerIds: expertId, ...filter }, { title: 1, startsAt: 1, endsAt: 1, status: 1 })
      .sort({ startsAt: 1 })
      .lean<Pick<SessionDocument, '_id' | 'title' | 'startsAt' | 'endsAt' | 'status'>[]>();
    return docs.map((doc) => ({
      sessionId: doc._id,
      title: doc.title,
      startsAt: doc.startsAt,
      endsAt: doc.endsAt,
      status: doc.status,
    }));
  }

  /** The person's expert records' ids. */
  async expertIds(participantId: string): Promise<string[]> {
    return (await this.#experts.distinct('_id', { participantId })).map(String);
  }

  /**
   * Keeps the expert record that sessions name as speaker, retired, with no
   * name, contacts, profile or account left; returns how many records.
   */
  async pseudonymizeExpert(participantId: string, at: Date): Promise<number> {
    let changed = 0;
    for (const id of await this.expertIds(participantId)) {
      const { modifiedCount } = await this.#experts.updateOne(
        { _id: id, participantId },
        {
          $set: {
            accountSubject: erasedSubjectOf(id),
            participantId: ERASED,
            displayName: ERASED_EXPERT_NAME,
            title: '',
            employer: '',
            specialties: [],
            languages: [],
            availability: [],
            phoneEncrypted: null,
            emailEncrypted: null,
            status: 'retired',
            updatedAt: at,
          },
          $inc: { version: 1 },
        },
      );
      changed += modifiedCount;
    }
    return changed;
  }

  /** Retention: experts retired before `cutoff` lose their contacts and availability. */
  async sweepRetiredExperts(cutoff: Date): Promise<number> {
    const { modifiedCount } = await this.#experts.updateMany(
      {
        status: 'retired',
        updatedAt: { $lt: cutoff },
        $or: [
          { phoneEncrypted: { $ne: null } },
          { emailEncrypted: { $ne: null } },
          { 'availability.0': { $exists: true } },
        ],
      },
      {
        $set: { phoneEncrypted: null, emailEncrypted: null, availability: [] },
        $inc: { version: 1 },
      },
    );
    return modifiedCount;
  }
}
