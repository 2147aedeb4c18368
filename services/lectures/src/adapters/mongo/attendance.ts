/**
 * The local copy of registration's attendance for lecture sessions, kept from
 * `registration.enrollment.attendance-recorded.v1` (consumer group
 * `lectures.attendance`): who may give feedback, and the attendance counts of
 * held sessions and of coverage. One document per enrollment, so a replayed
 * event changes nothing.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export interface AttendanceDocument {
  /** Registration's enrollment id. */
  _id: string;
  sessionId: string;
  participantId: string;
  /** The attendee's account subject: who may rate the session. */
  accountSubject: string;
  attendedAt: Date;
  /** Copied from the session when recorded, for the coverage roll-ups. */
  townshipCode: string;
  recordedAt: Date;
}

const attendanceSchema = new Schema<AttendanceDocument>(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true },
    participantId: { type: String, required: true },
    accountSubject: { type: String, required: true },
    attendedAt: { type: Date, required: true },
    townshipCode: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'attendance', versionKey: false, strict: 'throw' },
);
// One attendance per person per session (the feedback check), and the count per session.
attendanceSchema.index({ sessionId: 1, accountSubject: 1 }, { unique: true });
// Coverage: attendance per township over time.
attendanceSchema.index({ townshipCode: 1, attendedAt: 1 });
// Coverage of the whole city in a year: one range over the year.
attendanceSchema.index({ attendedAt: 1 });

export const attendanceModel = (connection: Connection): Model<AttendanceDocument> =>
  connection.model<AttendanceDocument>('Attendance', attendanceSchema);
