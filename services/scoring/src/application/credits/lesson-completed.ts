/** An online lesson of the library completed: credited by the minutes lectures credited the learner with. */
import type { lectures } from '@learning/proto';
import {
  firstCategory,
  isErasedPerson,
  personPlace,
  required,
  storeAndEvaluate,
  type SourceDeps,
  type SourceEvent,
} from './store-fact.js';

export const recordLessonCompleted =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<lectures.LessonCompleted>): Promise<void> => {
    const completionId = required(data.completionId, 'the completion of a lesson');
    const participantId = required(data.participantId, 'the learner of a lesson');
    const occurredAt = required(data.completedAt, 'the time a lesson was completed');
    if (await isErasedPerson(deps, participantId)) return;
    const place = await personPlace(deps, participantId);
    await storeAndEvaluate(deps, {
      sourceId: `lesson:${completionId}`,
      source: 'lesson_completed',
      holder: { kind: 'person', id: participantId },
      sourceEventId: id,
      occurredAt,
      category: firstCategory(data.categories),
      tier: place.tier,
      // Whole minutes only: a part-minute is not credited.
      minutes: Math.floor(Math.max(0, data.creditedSeconds) / 60),
      jurisdictionPath: place.jurisdictionPath,
      organizationIds: place.organizationIds,
      title: data.lessonTitle === '' ? completionId : data.lessonTitle,
    });
  };
