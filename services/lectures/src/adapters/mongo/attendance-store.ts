/** The attendance copy over the shared `attendance` collection. */
import { insertAbsent } from '@learning/mongo';
import type { Model } from 'mongoose';
import type { AttendanceRecord, AttendanceStore } from '../../application/attendance/ports.js';
import type { AttendanceDocument } from './attendance.js';

export const attendanceDocumentOf = (record: AttendanceRecord): AttendanceDocument => ({
  _id: record.enrollmentId,
  sessionId: record.sessionId,
  participantId: record.participantId,
  accountSubject: record.accountSubject,
  attendedAt: record.attendedAt,
  townshipCode: record.townshipCode,
  recordedAt: record.recordedAt,
});

const recordOf = (doc: AttendanceDocument): AttendanceRecord => ({
  enrollmentId: doc._id,
  sessionId: doc.sessionId,
  participantId: doc.participantId,
  accountSubject: doc.accountSubject,
  attendedAt: doc.attendedAt,
  townshipCode: doc.townshipCode,
  recordedAt: doc.recordedAt,
});

export class MongoAttendanceStore implements AttendanceStore {
  constructor(private readonly model: Model<AttendanceDocument>) {}

  async add(record: AttendanceRecord): Promise<boolean> {
    const [result] = await insertAbsent(this.model, [attendanceDocumentOf(record)]);
    if (result === 'failed') throw new Error('the attendance record could not be stored');
    return result === 'created';
  }

  async remove(enrollmentId: string): Promise<AttendanceRecord | null> {
    const doc = await this.model.findOneAndDelete({ _id: enrollmentId }).lean<AttendanceDocument>();
    return doc === null ? null : recordOf(doc);
  }

  async attendeeOf(sessionId: string, accountSubject: string): Promise<string | null> {
    const doc = await this.model
      .findOne({ sessionId, accountSubject }, { participantId: 1 })
      .lean<Pick<AttendanceDocument, 'participantId'>>();
    return doc?.participantId ?? null;
  }

  async countFor(sessionId: string): Promise<number> {
    return this.model.countDocuments({ sessionId });
  }
}
