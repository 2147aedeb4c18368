/**
 * An organizer edits a draft. Once published, an activity changes only by
 * its life-cycle actions (reschedule, capacity, cancel), which tell the people
 * signed up; a draft has nobody to tell. Organizer and place stay fixed.
 */
import { randomUUID } from 'node:crypto';
import { actorOf } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { ACTIVITY_FORBIDDEN, mayManage } from '../../domain/activity-lifecycle.js';
import { findVisible } from './access.js';
import type { ActivityFields, StoredActivity } from './activity-repository.js';
import { venueOf, type DraftDeps, type DraftInput } from './create-activity.js';
import { checkCampaignMembership } from '../campaign-membership.js';
import { checkedFields, recordOf } from './draft-rules.js';
import { ACTIVITY_CHANGE_EMPTY, ACTIVITY_NOT_DRAFT, activityErrors } from './errors.js';
import { auditViewOf } from './events.js';

export interface UpdateDraftRequest extends Partial<DraftInput> {
  /** The version the editor read. */
  readonly version: number;
}

export function updateDraft(deps: DraftDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    id: string,
    request: UpdateDraftRequest,
  ): Promise<StoredActivity> => {
    const { version, ...changes } = request;
    if (Object.keys(changes).length === 0)
      throw activityErrors.error(ACTIVITY_CHANGE_EMPTY, 'Name at least one field to change.');
    const { activity, scope } = await findVisible(deps.activities, principal, id);
    if (!mayManage(principal, recordOf(activity)))
      throw activityErrors.error(
        ACTIVITY_FORBIDDEN,
        'Only the organizer, an officer of its area or a city admin may change this activity.',
      );
    if (activity.status !== 'draft')
      throw activityErrors.error(
        ACTIVITY_NOT_DRAFT,
        `The activity is ${activity.status}: reschedule, change its capacity or cancel it instead.`,
      );
    const now = deps.clock();
    const merged: ActivityFields = {
      title: changes.title?.trim() ?? activity.title,
      description:
        changes.description === undefined ? activity.description : changes.description.trim(),
      kind: changes.kind ?? activity.kind,
      venue:
        changes.venue === undefined
          ? activity.venue
          : changes.venue === null
            ? null
            : await venueOf(changes.venue, deps.venues, newId),
      schedule: changes.schedule === undefined ? activity.schedule : changes.schedule,
      capacity: changes.capacity ?? activity.capacity,
      signUpWindow:
        changes.signUpWindow === undefined ? activity.signUpWindow : changes.signUpWindow,
      targetTiers:
        changes.targetTiers === undefined
          ? activity.targetTiers
          : [...new Set(changes.targetTiers)],
      categories:
        changes.categories === undefined ? activity.categories : [...new Set(changes.categories)],
      ageBand: changes.ageBand === undefined ? activity.ageBand : changes.ageBand,
      campaignId: changes.campaignId === undefined ? activity.campaignId : changes.campaignId,
    };
    const fields = checkedFields(merged, now);
    if (changes.campaignId !== undefined)
      await checkCampaignMembership(
        deps.campaigns,
        'activity',
        fields.campaignId,
        activity.jurisdictionPath,
      );
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'activity.edit',
      entityType: 'activity',
      entityId: id,
      jurisdictionPath: activity.jurisdictionPath,
      before: auditViewOf(activity),
      after: auditViewOf({ ...activity, ...fields }),
    });
    return deps.activities.change(scope, {
      id,
      expectedVersion: version,
      updatedAt: now,
      fields,
      events: [audit],
    });
  };
}

export type UpdateDraft = ReturnType<typeof updateDraft>;
