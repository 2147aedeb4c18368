/**
 * Learners' progress through lessons in MongoDB: one document per learner and
 * lesson (`_id` = lesson id + ':' + account subject, so the first heartbeat
 * of a racing pair inserts it once). `jurisdictionPath` is the learner's home
 * (registration's, at the first heartbeat), so area officers' scopes apply.
 * Heartbeats are the hot path: they go to the driver, each accepted one a
 * single conditional `findOneAndUpdate` filtered on the last accepted
 * sequence, so two heartbeats judged against the same state cannot both be
 * written. The completion event rides in the same write (the outbox).
 */
import type { Logger } from '@learning/logger';
import { Scope } from '@learning/auth';
import {
  outboxPlugin,
  updateWithEvents,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import {
  driverCollection,
  isDuplicateKey,
  ScopedRepository,
  scopedFields,
  type ScopedDocument,
} from '@learning/mongo';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type {
  ProgressPage,
  ProgressRepository,
  StoredProgress,
} from '../../application/library/ports.js';
import type { Progress } from '../../domain/progress.js';

export interface ProgressDocument extends ScopedDocument, WithOutbox {
  /** `<lesson id>:<account subject>`. */
  _id: string;
  lessonId: string;
  learnerSubject: string;
  participantId: string;
  lastSequence: number;
  lastHeartbeatAt: Date;
  positionSeconds: number;
  creditedSeconds: number;
  completedAt: Date | null;
  startedAt: Date;
  updatedAt: Date;
}

const progressSchema = new Schema<ProgressDocument>(
  {
    _id: { type: String, required: true },
    lessonId: { type: String, required: true },
    learnerSubject: { type: String, required: true },
    participantId: { type: String, required: true },
    lastSequence: { type: Number, required: true, min: 1 },
    lastHeartbeatAt: { type: Date, required: true },
    positionSeconds: { type: Number, required: true, min: 0 },
    creditedSeconds: { type: Number, required: true, min: 0 },
    completedAt: { type: Date, default: null },
    startedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    version: scopedFields.version,
  },
  { collection: 'lesson_progress', versionKey: false, strict: 'throw' },
);
progressSchema.plugin(outboxPlugin);
progressSchema.path('outbox').select(false);
// A learner's lessons, most recently active first.
progressSchema.index({ learnerSubject: 1, updatedAt: -1, _id: -1 });

export const progressModel = (connection: Connection): Model<ProgressDocument> =>
  connection.model<ProgressDocument>('LessonProgress', progressSchema);

export const progressIdOf = (lessonId: string, learnerSubject: string): string =>
  `${lessonId}:${learnerSubject}`;

/** The stored form of a first heartbeat's progress (tests check it against the schema). */
export const progressDocumentOf = (progress: StoredProgress): ProgressDocument => ({
  _id: progressIdOf(progress.lessonId, progress.learnerSubject),
  lessonId: progress.lessonId,
  learnerSubject: progress.learnerSubject,
  participantId: progress.participantId,
  lastSequence: progress.lastSequence,
  lastHeartbeatAt: progress.lastHeartbeatAt,
  positionSeconds: progress.positionSeconds,
  creditedSeconds: progress.creditedSeconds,
  completedAt: progress.completedAt,
  startedAt: progress.startedAt,
  updatedAt: progress.lastHeartbeatAt,
  jurisdictionPath: [...progress.jurisdictionPath],
  version: 1,
  outbox: [],
});

const toStored = (doc: ProgressDocument): StoredProgress => ({
  lessonId: doc.lessonId,
  learnerSubject: doc.learnerSubject,
  participantId: doc.participantId,
  jurisdictionPath: doc.jurisdictionPath,
  lastSequence: doc.lastSequence,
  lastHeartbeatAt: doc.lastHeartbeatAt,
  positionSeconds: doc.positionSeconds,
  creditedSeconds: doc.creditedSeconds,
  completedAt: doc.completedAt ?? null,
  startedAt: doc.startedAt,
});

/** Every field but the outbox, which grows with completions and no reader returns. */
const PROJECTION = { outbox: 0 } as const;

export class MongoProgressRepository
  extends ScopedRepository<ProgressDocument>
  implements ProgressRepository
{
  readonly #collection: mongo.Collection<ProgressDocument>;

  constructor(model: Model<ProgressDocument>, logger: Logger) {
    super(model, { entity: 'PROGRESS', logger });
    this.#collection = driverCollection(model);
  }

  async get(lessonId: string, learnerSubject: string): Promise<StoredProgress | null> {
    const doc = await this.#collection.findOne(
      { _id: progressIdOf(lessonId, learnerSubject) },
      { projection: PROJECTION },
    );
    return doc === null ? null : toStored(doc);
  }

  async start(progress: StoredProgress): Promise<boolean> {
    try {
      await this.#collection.insertOne(progressDocumentOf(progress));
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async advance(
    current: StoredProgress,
    next: Progress,
    updatedAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<StoredProgress | null> {
    const update = updateWithEvents<ProgressDocument>(
      {
        $set: {
          lastSequence: next.lastSequence,
          lastHeartbeatAt: next.lastHeartbeatAt,
          positionSeconds: next.positionSeconds,
          creditedSeconds: next.creditedSeconds,
          completedAt: next.completedAt,
          updatedAt,
        },
        $inc: { version: 1 },
      },
      events,
    );
    const doc = await this.#collection.findOneAndUpdate(
      {
        _id: progressIdOf(current.lessonId, current.learnerSubject),
        lastSequence: current.lastSequence,
      },
      update,
      { returnDocument: 'after', projection: PROJECTION },
    );
    return doc === null ? null : toStored(doc);
  }

  async listMine(
    learnerSubject: string,
    pageSize: number,
    pageToken?: string,
  ): Promise<ProgressPage> {
    const page = await this.page(Scope.system('own progress'), {
      filter: { learnerSubject },
      sort: { field: 'updatedAt', direction: 'desc' },
      after: pageToken ?? null,
      limit: pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }
}
