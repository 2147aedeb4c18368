/**
 * What others see of trainees' hours, tests and completions: events with the
 * routing every training event carries (programme, lead department, where
 * the class is held, its organizer), keyed by the trainee record so one
 * person's events in a programme stay in order.
 */
import {
  activityEvents,
  contentCategoryMapping,
  organizationKindMapping,
  trainingTargetGroupMapping,
} from '@learning/contracts';
import { chinaMidnight, ORGANIZATION_KINDS } from '@learning/domain';
import { newEvent, type OutboxEntry } from '@learning/events';
import { activities, common } from '@learning/proto';
import type { ClassSession, Programme, TrainingClass } from '../../../domain/training.js';
import type { SkillsTestResult, StoredTrainee } from './ports.js';

const organizationKindOf = (kind: string): common.OrganizationKind => {
  const known = ORGANIZATION_KINDS.find((candidate) => candidate === kind);
  return known === undefined
    ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
    : organizationKindMapping.toProto(known);
};

export function trainingRouting(
  programme: Pick<Programme, 'id' | 'leadDepartment'>,
  trainingClass: Pick<TrainingClass, 'organizer' | 'jurisdictionPath'>,
): activities.TrainingRouting {
  const { organizer } = trainingClass;
  return {
    programmeId: programme.id,
    leadDepartment: programme.leadDepartment,
    jurisdictionPath: [...trainingClass.jurisdictionPath],
    organizerKind:
      organizer.kind === 'organization'
        ? activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION
        : activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT,
    organizerId:
      organizer.kind === 'organization' ? organizer.organizationId : organizer.departmentCode,
    organizationKind:
      organizer.kind === 'organization'
        ? organizationKindOf(organizer.organizationKind)
        : common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED,
  };
}

export interface AttendanceFacts {
  readonly attendanceId: string;
  readonly enrollmentId: string;
  readonly participantId: string;
  readonly session: ClassSession;
  readonly minutes: number;
  readonly checkedInAt: Date;
}

export const sessionAttended = (
  programme: Programme,
  trainingClass: TrainingClass,
  trainee: Pick<StoredTrainee, 'id' | 'jurisdictionPath'>,
  facts: AttendanceFacts,
  programmeMinutes: number,
): OutboxEntry =>
  newEvent(activityEvents.TrainingSessionAttended, trainee.id, {
    attendanceId: facts.attendanceId,
    classId: trainingClass.id,
    sessionId: facts.session.id,
    enrollmentId: facts.enrollmentId,
    participantId: facts.participantId,
    startsAt: facts.session.start,
    endsAt: facts.session.end,
    learningMinutes: facts.minutes,
    checkedInAt: facts.checkedInAt,
    classTitle: trainingClass.title,
    categories: programme.categories.map((category) => contentCategoryMapping.toProto(category)),
    traineeJurisdictionPath: [...trainee.jurisdictionPath],
    programmeMinutes,
    routing: trainingRouting(programme, trainingClass),
  });

export const skillsTestRecorded = (
  programme: Programme,
  trainingClass: TrainingClass,
  traineeId: string,
  participantId: string,
  result: SkillsTestResult,
): OutboxEntry =>
  newEvent(activityEvents.TrainingSkillsTestRecorded, traineeId, {
    classId: trainingClass.id,
    participantId,
    passed: result.passed,
    ...(result.score === null ? {} : { score: result.score }),
    // The day as the city's midnight: the contract carries instants.
    testedOn: chinaMidnight(result.testedOn),
    recordedAt: result.recordedAt,
    routing: trainingRouting(programme, trainingClass),
  });

export const trainingCompleted = (
  programme: Programme,
  trainingClass: TrainingClass,
  trainee: Pick<
    StoredTrainee,
    'id' | 'participantId' | 'year' | 'targetGroups' | 'jurisdictionPath'
  >,
  minutes: number,
  certificateCode: string,
  completedAt: Date,
): OutboxEntry =>
  newEvent(activityEvents.TrainingCompleted, trainee.id, {
    completionId: trainee.id,
    participantId: trainee.participantId,
    classId: trainingClass.id,
    year: trainee.year,
    learningMinutes: minutes,
    certificateCode,
    completedAt,
    targetGroups: trainee.targetGroups.map((group) => trainingTargetGroupMapping.toProto(group)),
    traineeJurisdictionPath: [...trainee.jurisdictionPath],
    programmeTitle: programme.title,
    routing: trainingRouting(programme, trainingClass),
  });
