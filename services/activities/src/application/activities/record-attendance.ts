/**
 * Registration's attendance, counted into each activity's figures once per
 * enrollment: the inbox drops a redelivered event, and the count itself is
 * keyed by the enrollment, so even a second event about the same attendance
 * counts nothing.
 */
import type { ActivityRepository } from './activity-repository.js';

/** The owner name registration files activities' sign-ups under. */
export const ACTIVITIES_OWNER = 'activities';

export interface AttendanceNotice {
  readonly owner: string;
  readonly eventId: string;
  readonly enrollmentId: string;
}

export function recordAttendance(deps: { readonly activities: ActivityRepository }) {
  /** True when the attendance was counted now. Other owners' events are not ours. */
  return async (notice: AttendanceNotice): Promise<boolean> => {
    if (notice.owner !== ACTIVITIES_OWNER) return false;
    return deps.activities.recordAttendance(notice.eventId, notice.enrollmentId);
  };
}

export type RecordAttendance = ReturnType<typeof recordAttendance>;
