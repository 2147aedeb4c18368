/**
 * Activities' copy of the lectures service's sessions, one document per
 * session (its id the _id), written only through a compare-and-set on the
 * version read, so two deliveries about one session never overwrite each
 * other's decision. Counted per campaign by the campaign's progress.
 */
import { isDuplicateKey } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  CampaignLectureFigures,
  LectureFigures,
} from '../../application/campaigns/campaign-progress.js';
import type { LectureSessionRepository } from '../../application/campaigns/lecture-sessions.js';
import {
  COUNTED_LECTURE_SESSION_STATUSES,
  LECTURE_SESSION_STATUSES,
  type LectureSession,
  type LectureSessionStatus,
} from '../../domain/lecture-sessions.js';

export interface LectureSessionDocument {
  _id: string;
  campaignId: string | null;
  townshipCode: string | null;
  jurisdictionPath: string[];
  status: LectureSessionStatus;
  startsAt: Date | null;
  attendance: number;
  version: Date;
}

const lectureSessionSchema = new Schema<LectureSessionDocument>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, default: null },
    townshipCode: { type: String, default: null },
    jurisdictionPath: { type: [String], required: true },
    status: { type: String, enum: LECTURE_SESSION_STATUSES, required: true },
    startsAt: { type: Date, default: null },
    attendance: { type: Number, required: true, min: 0 },
    version: { type: Date, required: true },
  },
  { collection: 'campaign_lecture_sessions', versionKey: false, strict: 'throw' },
);
// Progress counts one campaign's sessions inside some subtrees.
lectureSessionSchema.index({ campaignId: 1, jurisdictionPath: 1 });

export function lectureSessionModel(connection: Connection): Model<LectureSessionDocument> {
  return connection.model<LectureSessionDocument>('CampaignLectureSession', lectureSessionSchema);
}

const toSession = (doc: LectureSessionDocument): LectureSession => ({
  sessionId: doc._id,
  campaignId: doc.campaignId,
  townshipCode: doc.townshipCode,
  jurisdictionPath: doc.jurisdictionPath,
  status: doc.status,
  startsAt: doc.startsAt,
  attendance: doc.attendance,
  version: doc.version,
});

export class MongoLectureSessionRepository implements LectureSessionRepository {
  constructor(private readonly model: Model<LectureSessionDocument>) {}

  async get(sessionId: string): Promise<LectureSession | null> {
    const doc = await this.model.findById(sessionId).lean<LectureSessionDocument>();
    return doc === null ? null : toSession(doc);
  }

  async replace(next: LectureSession, readVersion: Date | null): Promise<boolean> {
    const doc: LectureSessionDocument = {
      _id: next.sessionId,
      campaignId: next.campaignId,
      townshipCode: next.townshipCode,
      jurisdictionPath: [...next.jurisdictionPath],
      status: next.status,
      startsAt: next.startsAt,
      attendance: next.attendance,
      version: next.version,
    };
    if (readVersion === null) {
      try {
        await this.model.create(doc);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    const { _id, ...fields } = doc;
    const result = await this.model.updateOne({ _id, version: readVersion }, { $set: fields });
    return result.matchedCount === 1;
  }
}

interface FiguresRow {
  _id: string | null;
  lectureSessions: number;
  lectureAttendance: number;
}

const figuresOfRow = (row: FiguresRow | undefined): LectureFigures => ({
  lectureSessions: row?.lectureSessions ?? 0,
  lectureAttendance: row?.lectureAttendance ?? 0,
});

export class MongoCampaignLectureFigures implements CampaignLectureFigures {
  constructor(private readonly model: Model<LectureSessionDocument>) {}

  async figuresOf(campaignId: string, roots: readonly string[], townshipCodes: readonly string[]) {
    const counted = {
      campaignId,
      status: { $in: [...COUNTED_LECTURE_SESSION_STATUSES] },
      jurisdictionPath: { $in: [...roots] },
    };
    const sums = {
      lectureSessions: { $sum: 1 },
      lectureAttendance: { $sum: '$attendance' },
    };
    const [totals, perTownship] = await Promise.all([
      this.model
        .aggregate<FiguresRow>([{ $match: counted }, { $group: { _id: null, ...sums } }])
        .exec(),
      this.model
        .aggregate<FiguresRow>([
          { $match: { ...counted, townshipCode: { $in: [...townshipCodes] } } },
          { $group: { _id: '$townshipCode', ...sums } },
        ])
        .exec(),
    ]);
    return {
      total: figuresOfRow(totals[0]),
      byTownship: new Map(
        perTownship.flatMap((row) => (row._id === null ? [] : [[row._id, figuresOfRow(row)]])),
      ),
    };
  }
}
