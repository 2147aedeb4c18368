/** The classes' events and audit views: what others may see of a class. */
import {
  activityEvents,
  contentCategoryMapping,
  organizationKindMapping,
  trainingTargetGroupMapping,
} from '@learning/contracts';
import type { OrganizationKind } from '@learning/domain';
import { newEvent, type OutboxEntry } from '@learning/events';
import { activities, common } from '@learning/proto';
import { classMinutesOf, firstStartOf, lastEndOf } from '../../../domain/training-classes.js';
import type { StoredClass } from './ports.js';

type Routed = Pick<
  StoredClass,
  'programmeId' | 'leadDepartment' | 'jurisdictionPath' | 'organizer'
>;

/** The routing fields every training event carries, so a department or an area keeps what it owns. */
export function routingOf(trainingClass: Routed): activities.TrainingRouting {
  const { organizer } = trainingClass;
  return {
    programmeId: trainingClass.programmeId,
    leadDepartment: trainingClass.leadDepartment,
    jurisdictionPath: [...trainingClass.jurisdictionPath],
    ...(organizer.kind === 'department'
      ? {
          organizerKind: activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT,
          organizerId: organizer.departmentCode,
          organizationKind: common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED,
        }
      : {
          organizerKind: activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
          organizerId: organizer.organizationId,
          organizationKind: organizationKindMapping.toProto(
            organizer.organizationKind as OrganizationKind,
          ),
        }),
  };
}

/** Keyed by the class, so its events stay in order on one partition. */
export const classPublished = (trainingClass: StoredClass, publishedAt: Date): OutboxEntry =>
  newEvent(activityEvents.TrainingClassPublished, trainingClass.id, {
    classId: trainingClass.id,
    title: trainingClass.title,
    startsAt: firstStartOf(trainingClass.sessions),
    endsAt: lastEndOf(trainingClass.sessions),
    capacity: trainingClass.capacity ?? undefined,
    sessionCount: trainingClass.sessions.length,
    learningMinutes: classMinutesOf(trainingClass.sessions),
    targetGroups: trainingClass.targetGroups.map((group) =>
      trainingTargetGroupMapping.toProto(group),
    ),
    categories: trainingClass.categories.map((category) =>
      contentCategoryMapping.toProto(category),
    ),
    public: trainingClass.public,
    venueName: trainingClass.venueName,
    publishedAt,
    routing: routingOf(trainingClass),
  });

/** Times before and after; the capacity only when it changed. */
export const classRescheduled = (
  before: StoredClass,
  after: StoredClass,
  reason: string,
  rescheduledAt: Date,
): OutboxEntry =>
  newEvent(activityEvents.TrainingClassRescheduled, after.id, {
    classId: after.id,
    startsAt: firstStartOf(after.sessions),
    endsAt: lastEndOf(after.sessions),
    capacity:
      after.capacity !== before.capacity && after.capacity !== null ? after.capacity : undefined,
    capacityUnlimited: after.capacity !== before.capacity && after.capacity === null,
    reason,
    rescheduledAt,
    previousStartsAt: firstStartOf(before.sessions),
    previousEndsAt: lastEndOf(before.sessions),
    routing: routingOf(after),
  });

export const classCancelled = (
  trainingClass: StoredClass,
  reason: string,
  cancelledAt: Date,
): OutboxEntry =>
  newEvent(activityEvents.TrainingClassCancelled, trainingClass.id, {
    classId: trainingClass.id,
    reason,
    cancelledAt,
    routing: routingOf(trainingClass),
  });

/** What the audit trail keeps of a class: no trainer is a private person beyond their name as given. */
export const auditViewOf = (trainingClass: Omit<StoredClass, 'version'>) => ({
  programmeId: trainingClass.programmeId,
  title: trainingClass.title,
  organizer: trainingClass.organizer,
  jurisdictionPath: [...trainingClass.jurisdictionPath],
  venueName: trainingClass.venueName,
  sessions: trainingClass.sessions.map((session) => ({
    id: session.id,
    start: session.start.toISOString(),
    end: session.end.toISOString(),
  })),
  capacity: trainingClass.capacity,
  targetGroups: [...trainingClass.targetGroups],
  trainers: trainingClass.trainers.map((trainer) => ({ ...trainer })),
  public: trainingClass.public,
  status: trainingClass.status,
  cancellationReason: trainingClass.cancellationReason,
});
