/**
 * What others see of the library: a learner's completion (scoring credits
 * it) and the audit log's view of a lesson.
 */
import { contentCategoryMapping, lectureEvents, tierMapping } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import type { StoredLesson, StoredProgress } from './ports.js';

/** Lesson and participant: a learner completes a lesson once, whatever is replayed. */
export const completionIdOf = (lessonId: string, participantId: string): string =>
  `${lessonId}:${participantId}`;

/**
 * The completion, with its id as the event's id too, so even a redelivered
 * publication is one completion to every consumer's inbox.
 */
export function completionEvent(
  lesson: StoredLesson,
  progress: StoredProgress,
  completedAt: Date,
): OutboxEntry {
  const completionId = completionIdOf(lesson.id, progress.participantId);
  const event = newEvent(lectureEvents.LessonCompleted, completionId, {
    completionId,
    lessonId: lesson.id,
    lessonTitle: lesson.title,
    lessonKind: lesson.kind,
    participantId: progress.participantId,
    jurisdictionPath: [...progress.jurisdictionPath],
    categories: lesson.categories.map((category) => contentCategoryMapping.toProto(category)),
    targetTiers: lesson.targetTiers.map((tier) => tierMapping.toProto(tier)),
    creditedSeconds: Math.floor(progress.creditedSeconds),
    lessonSeconds: lesson.lengthSeconds,
    sourceSessionId: lesson.sourceSessionId ?? '',
    leadDepartment: lesson.leadDepartment,
    completedAt,
  });
  return { ...event, id: completionId, time: completedAt };
}

/** The audit log's view of a lesson: everything but its bookkeeping. */
export const auditViewOf = (lesson: StoredLesson) => ({
  kind: lesson.kind,
  title: lesson.title,
  description: lesson.description,
  categories: [...lesson.categories],
  targetTiers: [...lesson.targetTiers],
  lengthSeconds: lesson.lengthSeconds,
  requiredShare: lesson.requiredShare,
  contentUrl: lesson.contentUrl,
  sourceSessionId: lesson.sourceSessionId,
  leadDepartment: lesson.leadDepartment,
  status: lesson.status,
});
