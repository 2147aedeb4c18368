/**
 * The checks every draft passes when it is created or edited: a schedule
 * that is sound and not in the past, a sign-up window inside it, a valid
 * capacity and age band, and a campaign that exists, is not closed and covers
 * the activity's place. The life cycle checks them again at publishing.
 */
import { isWithin, domainCall } from '@learning/domain';
import {
  assertSignUpWindow,
  validatePupilAgeBand,
  validateCapacity,
  type ActivityRecord,
} from '../../domain/activity-lifecycle.js';
import { assertNotInPast, validateSchedule } from '../../domain/schedule.js';
import type { CampaignDirectory } from '../ports.js';
import type { ActivityFields, StoredActivity } from './activity-repository.js';
import {
  ACTIVITY_CAMPAIGN_CLOSED,
  ACTIVITY_CAMPAIGN_UNKNOWN,
  ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE,
  invalidAt,
} from './errors.js';
import { AppError } from '@learning/errors';

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

/** The campaign an activity joins must exist, be open and cover the activity's place. */
export async function checkCampaign(
  campaigns: CampaignDirectory,
  campaignId: string | null,
  jurisdictionPath: readonly string[],
): Promise<void> {
  if (campaignId === null) return;
  const campaign = await campaigns.find(campaignId);
  if (campaign === null)
    throw invalidAt(ACTIVITY_CAMPAIGN_UNKNOWN, 'There is no campaign with that id.', '/campaignId');
  if (campaign.status === 'closed')
    throw new AppError(
      'failed_precondition',
      ACTIVITY_CAMPAIGN_CLOSED,
      'That campaign is closed; activities can no longer join it.',
    );
  const root = campaign.scopePath.at(-1);
  if (root !== undefined && !isWithin(jurisdictionPath, [root]))
    throw invalidAt(
      ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE,
      "The activity is held outside the campaign's area.",
      '/campaignId',
    );
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
