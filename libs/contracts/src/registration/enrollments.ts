/**
 * Enrollment events: keyed by the seated event (`<owner>:<eventId>`), so all
 * the enrollments of one event stay in order on one partition.
 */
import { defineEvent, topics } from '@learning/events';
import { registration } from '@learning/proto';

export const EnrollmentConfirmed = defineEvent(
  'registration.enrollment.confirmed.v1',
  topics.registrationEnrollments,
  registration.EnrollmentConfirmed,
);
export const EnrollmentWaitlisted = defineEvent(
  'registration.enrollment.waitlisted.v1',
  topics.registrationEnrollments,
  registration.EnrollmentWaitlisted,
);
export const WaitlistPromoted = defineEvent(
  'registration.enrollment.waitlist-promoted.v1',
  topics.registrationEnrollments,
  registration.WaitlistPromoted,
);
export const EnrollmentCancelled = defineEvent(
  'registration.enrollment.cancelled.v1',
  topics.registrationEnrollments,
  registration.EnrollmentCancelled,
);
export const CheckedIn = defineEvent(
  'registration.enrollment.checked-in.v1',
  topics.registrationEnrollments,
  registration.CheckedIn,
);
export const SessionCheckedIn = defineEvent(
  'registration.enrollment.session-checked-in.v1',
  topics.registrationEnrollments,
  registration.SessionCheckedIn,
);
export const AttendanceRecorded = defineEvent(
  'registration.enrollment.attendance-recorded.v1',
  topics.registrationEnrollments,
  registration.AttendanceRecorded,
);
export const CheckInInvalidated = defineEvent(
  'registration.enrollment.check-in-invalidated.v1',
  topics.registrationEnrollments,
  registration.CheckInInvalidated,
);
export const AttendanceWithdrawn = defineEvent(
  'registration.enrollment.attendance-withdrawn.v1',
  topics.registrationEnrollments,
  registration.AttendanceWithdrawn,
);
