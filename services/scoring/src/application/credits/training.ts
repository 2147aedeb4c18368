/**
 * Training (decision 0018): credited by the session, each check-in the
 * activities service counted, and once more by the completion of a
 * programme, for rules that award completing one.
 */
import type { activities } from '@learning/proto';
import {
  firstCategory,
  isErasedPerson,
  personPlace,
  required,
  storeAndEvaluate,
  type SourceDeps,
  type SourceEvent,
} from './store-fact.js';

export const recordTrainingSessionAttended =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<activities.TrainingSessionAttended>): Promise<void> => {
    const attendanceId = required(data.attendanceId, 'the attendance of a training session');
    const participantId = required(data.participantId, 'the trainee of a training session');
    // The session's own start: caps per day count the evening it met, not when the check-in was counted.
    const occurredAt = required(data.startsAt, 'the start of a training session');
    if (await isErasedPerson(deps, participantId)) return;
    const place = await personPlace(deps, participantId);
    await storeAndEvaluate(deps, {
      sourceId: `training-session:${attendanceId}`,
      source: 'training_attended',
      holder: { kind: 'person', id: participantId },
      sourceEventId: id,
      occurredAt,
      category: firstCategory(data.categories),
      tier: place.tier,
      minutes: data.learningMinutes,
      jurisdictionPath: place.jurisdictionPath,
      organizationIds: place.organizationIds,
      title: data.classTitle === '' ? attendanceId : data.classTitle,
    });
  };

export const recordTrainingCompleted =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<activities.TrainingCompleted>): Promise<void> => {
    const completionId = required(data.completionId, 'the completion of a training programme');
    const participantId = required(data.participantId, 'the trainee of a completion');
    const occurredAt = required(data.completedAt, 'the time a training programme was completed');
    if (await isErasedPerson(deps, participantId)) return;
    const place = await personPlace(deps, participantId);
    await storeAndEvaluate(deps, {
      sourceId: `training-completion:${completionId}`,
      source: 'training_completed',
      holder: { kind: 'person', id: participantId },
      sourceEventId: id,
      occurredAt,
      tier: place.tier,
      // The hours were credited session by session; the completion is one occurrence on top.
      units: 1,
      jurisdictionPath: place.jurisdictionPath,
      organizationIds: place.organizationIds,
      title: data.programmeTitle === '' ? completionId : data.programmeTitle,
    });
  };
