/**
 * Sessions as feedback, attendance and the held marking read them, over the
 * shared `sessions` collection (scheduling writes everything else), and the
 * one write made here: marking a session held, conditional on its status.
 */
import type { OutboxEntry } from '@learning/events';
import { updateWithEvents } from '@learning/events';
import type { Model } from 'mongoose';
import type { HeldSessions } from '../../application/held/mark-held.js';
import type { SessionDirectory, SessionFacts } from '../../application/session-facts.js';
import type { SessionDocument } from './sessions.js';

const FACTS = {
  forumId: 1,
  leadDepartment: 1,
  lectureType: 1,
  title: 1,
  startsAt: 1,
  endsAt: 1,
  jurisdictionPath: 1,
  venue: 1,
  campaignId: 1,
  categories: 1,
  targetTiers: 1,
  speakerIds: 1,
  status: 1,
} as const;

type FactsDocument = Pick<SessionDocument, '_id' | keyof typeof FACTS>;

const factsOf = (doc: FactsDocument): SessionFacts => ({
  id: doc._id,
  forumId: doc.forumId,
  leadDepartment: doc.leadDepartment,
  lectureType: doc.lectureType,
  title: doc.title,
  startsAt: doc.startsAt,
  endsAt: doc.endsAt,
  jurisdictionPath: doc.jurisdictionPath,
  venue: { id: doc.venue.id, setting: doc.venue.setting, townshipCode: doc.venue.townshipCode },
  campaignId: doc.campaignId,
  categories: doc.categories,
  targetTiers: doc.targetTiers,
  speakerIds: doc.speakerIds,
  status: doc.status,
});

export class MongoSessionFacts implements SessionDirectory, HeldSessions {
  constructor(private readonly model: Model<SessionDocument>) {}

  async get(id: string): Promise<SessionFacts | null> {
    const doc = await this.model.findOne({ _id: id }, FACTS).lean<FactsDocument>();
    return doc === null ? null : factsOf(doc);
  }

  async due(cutoff: Date, limit: number): Promise<SessionFacts[]> {
    const docs = await this.model
      .find({ status: 'scheduled', endsAt: { $lte: cutoff } }, FACTS)
      .sort({ endsAt: 1, _id: 1 })
      .limit(limit)
      .lean<FactsDocument[]>();
    return docs.map(factsOf);
  }

  async markHeld(
    sessionId: string,
    attendanceCount: number,
    heldAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    // The status in the filter is what makes the mark, and its event, happen once.
    const result = await this.model.updateOne(
      { _id: sessionId, status: 'scheduled' },
      updateWithEvents<SessionDocument>(
        {
          $set: { status: 'held', heldAt, attendanceCount, updatedAt: heldAt },
          $inc: { version: 1 },
        },
        events,
      ),
    );
    return result.modifiedCount === 1;
  }
}
