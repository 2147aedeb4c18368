/**
 * The checks every draft passes when it is created or edited: a schedule
 * that is sound and not in the past, a sign-up window inside it, a valid
 * capacity and age band (the campaign is checked by campaign-membership.ts).
 * The life cycle checks them again at publishing.
 */
import { domainCall } from '@learning/domain';
import {
  assertSignUpWindow,
  validatePupilAgeBand,
  validateCapacity,
  type ActivityRecord,
} from '../../domain/activity-lifecycle.js';
import { assertNotInPast, validateSchedule } from '../../domain/schedule.js';
import type { ActivityFields, StoredActivity } from './activity-repository.js';

/** The fields, normalized (a series sorted), or a 4xx naming the rule broken. */
export function checkedFields(fields: ActivityFields, now: Date): ActivityFields {
  return domainCall(() => {
    const schedule = fields.schedule === null ? null : validateSchedule(fields.schedule);
    if (schedule !== null) assertNotInPast(schedule, now);
    if (schedule !== null && fields.signUpWindow !== null)
      assertSignUpWindow(fields.signUpWindow, schedule);
    validateCapacity(fields.capacity);
    if (fields.ageBand !== null) validatePupilAgeBand(fields.ageBand);
    return { ...fields, schedule };
  });
}

/** What the life-cycle rules see of a stored activity, with registration's current sign-ups. */
export const recordOf = (
  activity: StoredActivity,
  enrollment: ActivityRecord['enrollment'] = { confirmed: 0, waitlisted: 0 },
): ActivityRecord => ({
  id: activity.id,
  status: activity.status,
  organizer: activity.organizer,
  jurisdictionPath: activity.jurisdictionPath,
  venueId: activity.venue?.id ?? null,
  schedule: activity.schedule,
  capacity: activity.capacity,
  signUpWindow: activity.signUpWindow,
  enrollment,
  cancellation: activity.cancellation,
});
