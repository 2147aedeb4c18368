/**
 * The local copy of registration's attendance at lecture sessions, kept from
 * its enrollment events (consumer group `lectures.attendance`). Events for
 * other owners' events share the topic and are acknowledged and ignored. An
 * attendance for a session lectures does not know is dead-lettered: it can
 * only come from a session lost here, and the group's replay command brings
 * it back once the session is restored. An attendance of someone whose data
 * was erased here (a late event) is dropped: it would link them again.
 */
import { enrollmentEvents } from '@learning/contracts';
import { consumerGroups, PermanentEventError, subscribe } from '@learning/events';
import { ErasureLog } from '@learning/privacy';
import { attendanceModel } from '../adapters/mongo/attendance.js';
import { MongoAttendanceStore } from '../adapters/mongo/attendance-store.js';
import { feedbackModel } from '../adapters/mongo/feedback.js';
import { MongoFeedbackRepository } from '../adapters/mongo/feedback-store.js';
import { MongoSessionFacts } from '../adapters/mongo/session-facts.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import { keepAttendance } from '../application/attendance/keep-attendance.js';
import type { Module } from '../platform.js';

const OWNER = 'lectures';

export const attendanceModule: Module = (platform) => {
  const { mongo, logger, clock } = platform;
  const keep = keepAttendance({
    sessions: new MongoSessionFacts(sessionModel(mongo)),
    attendance: new MongoAttendanceStore(attendanceModel(mongo)),
    feedback: new MongoFeedbackRepository(feedbackModel(mongo), logger),
    clock,
  });
  const erasures = ErasureLog.of(mongo);

  platform.consume(
    consumerGroups.lecturesAttendance,
    subscribe(enrollmentEvents.AttendanceRecorded, async ({ data }) => {
      if (data.event?.owner !== OWNER) return;
      const { enrollmentId, participantId, accountSubject, attendedAt } = data;
      if (enrollmentId === '' || data.event.eventId === '' || accountSubject === '')
        throw new PermanentEventError('an attendance record without its enrollment or account');
      if (await erasures.isErased(participantId)) {
        logger.info({ enrollmentId }, 'attendance of an erased participant dropped');
        return;
      }
      const outcome = await keep.record({
        enrollmentId,
        sessionId: data.event.eventId,
        participantId,
        accountSubject,
        attendedAt: attendedAt ?? clock(),
      });
      if (outcome === 'unknown_session')
        throw new PermanentEventError('an attendance record for a session lectures does not know');
    }),
    subscribe(enrollmentEvents.CheckInInvalidated, async ({ data }) => {
      // Only a withdrawn attendance changes the copy; an invalidated check-in alone never made one.
      if (data.event?.owner !== OWNER || !data.attendanceWithdrawn) return;
      if (data.enrollmentId === '')
        throw new PermanentEventError('an invalidated check-in without its enrollment');
      await keep.withdraw(data.enrollmentId);
    }),
  );
};
