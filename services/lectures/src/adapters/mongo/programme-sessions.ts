/**
 * The programme's reads of the sessions collection, and its one kind of write:
 * a session's public record (materials and recording), conditional on the
 * version read. Sessions are public, so every query runs in a system scope.
 */
import { Scope } from '@learning/auth';
import { updateWithEvents } from '@learning/events';
import type { Logger } from '@learning/logger';
import { ScopedRepository, type Stored } from '@learning/mongo';
import { holdsAllGrams } from '@learning/search';
import type { Model, RootFilterQuery, UpdateQuery } from 'mongoose';
import type {
  ProgrammeQuery,
  ProgrammeRepository,
  ProgrammeSession,
  RecordChange,
  SessionPage,
  SpeakerQuery,
  StartingQuery,
} from '../../application/programme/ports.js';
import { sessionRecordOf } from './session-records.js';
import type { SessionDocument } from './sessions.js';

const PUBLIC = Scope.system('public programme');

const toSession = (doc: Stored<SessionDocument>): ProgrammeSession => ({
  ...sessionRecordOf(doc),
  materials: doc.materials.map((material) => ({
    fileId: material.fileId,
    name: material.name,
    contentType: material.contentType,
    size: material.size,
    publishedAt: material.publishedAt,
  })),
  recording:
    doc.recording == null
      ? null
      : {
          url: doc.recording.url,
          durationSeconds: doc.recording.durationSeconds ?? null,
          addedAt: doc.recording.addedAt,
        },
  cancellation:
    doc.cancellation == null
      ? null
      : { reason: doc.cancellation.reason, cancelledAt: doc.cancellation.cancelledAt },
  heldAt: doc.heldAt ?? null,
  attendanceCount: doc.attendanceCount ?? null,
});

export class MongoProgrammeRepository
  extends ScopedRepository<SessionDocument>
  implements ProgrammeRepository
{
  constructor(model: Model<SessionDocument>, logger: Logger) {
    super(model, { entity: 'SESSION', logger });
  }

  async get(id: string): Promise<ProgrammeSession | null> {
    const doc = await this.findById(PUBLIC, id);
    return doc === null ? null : toSession(doc);
  }

  async listPublic(query: ProgrammeQuery): Promise<SessionPage> {
    const filter: RootFilterQuery<SessionDocument> = { status: { $in: [...query.statuses] } };
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.forumId !== undefined) filter.forumId = query.forumId;
    if (query.tier !== undefined) filter.targetTiers = query.tier;
    if (query.category !== undefined) filter.categories = query.category;
    if (query.setting !== undefined) filter['venue.setting'] = query.setting;
    if (query.grams !== undefined) filter.grams = holdsAllGrams(query.grams);
    if (query.from !== undefined) filter.endsAt = { $gt: query.from };
    if (query.to !== undefined) filter.startsAt = { $lt: query.to };
    return this.pageOf(filter, 'asc', query);
  }

  async listStarting(query: StartingQuery): Promise<SessionPage> {
    return this.pageOf(
      {
        status: { $in: [...query.statuses] },
        jurisdictionPath: query.jurisdictionCode,
        startsAt: { $gte: query.from, $lt: query.to },
      },
      'asc',
      query,
    );
  }

  async listBySpeaker(query: SpeakerQuery): Promise<SessionPage> {
    const upcoming = query.period === 'upcoming';
    return this.pageOf(
      {
        speakerIds: query.expertId,
        endsAt: upcoming ? { $gt: query.since } : { $lte: query.since },
      },
      upcoming ? 'asc' : 'desc',
      query,
    );
  }

  async changeRecord(change: RecordChange): Promise<ProgrammeSession> {
    const update: UpdateQuery<SessionDocument> = { $set: { updatedAt: change.updatedAt } };
    if (change.recording !== undefined)
      update.$set = { ...update.$set, recording: change.recording };
    if (change.addMaterial !== undefined) update.$push = { materials: change.addMaterial };
    if (change.removeFileId !== undefined)
      update.$pull = { materials: { fileId: change.removeFileId } };
    const doc = await this.updateVersioned(
      PUBLIC,
      change.id,
      change.expectedVersion,
      updateWithEvents<SessionDocument>(update, change.events),
    );
    return toSession(doc);
  }

  private async pageOf(
    filter: RootFilterQuery<SessionDocument>,
    direction: 'asc' | 'desc',
    request: { pageSize: number; pageToken?: string },
  ): Promise<SessionPage> {
    const page = await this.page(PUBLIC, {
      filter,
      sort: { field: 'startsAt', direction },
      after: request.pageToken ?? null,
      limit: request.pageSize,
    });
    return { items: page.items.map(toSession), nextPageToken: page.nextCursor };
  }
}
