/**
 * A training class (培训班): who may run one under which programme, where,
 * for whom, and its sessions. A class's status past publishing is derived
 * from the clock (under way from the first session's start, completed at the
 * last one's end), so nothing has to move it. Pure.
 */
import {
  invalid,
  precondition,
  type JurisdictionLevel,
  type TrainingTargetGroup,
} from '@learning/domain';
import { assertNotInPast, learningMinutesOf, validateSchedule } from './schedule.js';
import type { ClassSession, ClassStatus, Programme, TrainingClass } from './training.js';

export const TRAINING_CLASS_PROGRAMME_NOT_OPEN = 'TRAINING_CLASS_PROGRAMME_NOT_OPEN';
export const TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA = 'TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA';
export const TRAINING_CLASS_PLACE_LEVEL_INVALID = 'TRAINING_CLASS_PLACE_LEVEL_INVALID';
export const TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME =
  'TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME';
export const TRAINING_CLASS_ORGANIZER_KIND_INVALID = 'TRAINING_CLASS_ORGANIZER_KIND_INVALID';
export const TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE = 'TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE';
export const TRAINING_CLASS_SESSION_UNKNOWN = 'TRAINING_CLASS_SESSION_UNKNOWN';
export const TRAINING_CLASS_CAPACITY_INVALID = 'TRAINING_CLASS_CAPACITY_INVALID';
export const TRAINING_CLASS_TRANSITION_NOT_ALLOWED = 'TRAINING_CLASS_TRANSITION_NOT_ALLOWED';
export const TRAINING_CLASS_NOT_DRAFT = 'TRAINING_CLASS_NOT_DRAFT';
export const TRAINING_CLASS_RESCHEDULE_EMPTY = 'TRAINING_CLASS_RESCHEDULE_EMPTY';

/** The learning organizations that run classes (§4.2–4.4): enterprises, communities, villages and towns. */
export const CLASS_ORGANIZATION_KINDS = ['enterprise', 'community', 'village_town'] as const;

/** A session as a request states it: an existing session keeps its id. */
export interface SessionInput {
  readonly id?: string;
  readonly start: Date;
  readonly end: Date;
  readonly topic: string;
}

/** Only a launched programme takes classes; a draft has no quotas yet, a closed one is over. */
export function assertProgrammeOpen(programme: Pick<Programme, 'status'>): void {
  if (programme.status !== 'launched')
    throw precondition(
      TRAINING_CLASS_PROGRAMME_NOT_OPEN,
      `The programme is ${programme.status}; classes open only under a launched programme.`,
    );
}

/** Held inside the programme's area, at a township or street or below (where people train). */
export function assertPlace(
  place: { readonly path: readonly string[]; readonly level: JurisdictionLevel },
  programme: Pick<Programme, 'jurisdictionPath'>,
): void {
  const root = programme.jurisdictionPath.at(-1);
  if (root === undefined || !place.path.includes(root))
    throw invalid(
      TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA,
      "The class's place is outside the programme's area.",
    );
  if (place.level === 'city')
    throw invalid(
      TRAINING_CLASS_PLACE_LEVEL_INVALID,
      'A class is held in a township or street, or a village or community.',
    );
}

/** Some of the programme's target groups, at least one, each once. */
export function targetGroupsOf(
  groups: readonly TrainingTargetGroup[],
  programme: Pick<Programme, 'targetGroups'>,
): TrainingTargetGroup[] {
  const outside = groups.filter((group) => !programme.targetGroups.includes(group));
  if (groups.length === 0 || outside.length > 0)
    throw invalid(
      TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME,
      `A class is for some of its programme's target groups (${programme.targetGroups.join(', ')}).`,
    );
  return [...new Set(groups)];
}

/** An organization may run classes when it is of a training kind; an enterprise's programme, only that enterprise. */
export function assertOrganizingOrganization(
  organization: { readonly id: string; readonly kind: string },
  programme: Pick<Programme, 'enterpriseId'>,
): void {
  if (!(CLASS_ORGANIZATION_KINDS as readonly string[]).includes(organization.kind))
    throw invalid(
      TRAINING_CLASS_ORGANIZER_KIND_INVALID,
      `Classes are run by a department or by an ${CLASS_ORGANIZATION_KINDS.join(', ')} learning organization.`,
    );
  if (programme.enterpriseId !== null && organization.id !== programme.enterpriseId)
    throw invalid(
      TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE,
      "An enterprise's own programme has classes run by that enterprise only.",
    );
}

/** Department-run classes are not an enterprise's own programme's. */
export function assertOrganizingDepartment(programme: Pick<Programme, 'enterpriseId'>): void {
  if (programme.enterpriseId !== null)
    throw invalid(
      TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE,
      "An enterprise's own programme has classes run by that enterprise only.",
    );
}

/** Seats: a whole number, 1 or more, or null for unlimited. */
export function capacityOf(capacity: number | null): number | null {
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1))
    throw invalid(
      TRAINING_CLASS_CAPACITY_INVALID,
      'Capacity is a whole number of seats, 1 or more, or null for unlimited.',
    );
  return capacity;
}

/**
 * The sessions, validated by the schedule rules every series follows (at
 * least one, at most MAX_SESSIONS, each ending after it starts, none
 * overlapping, none in the past) and sorted by start. A session that names
 * an id keeps it (registration's check-ins refer to it); a new one gets
 * `newId()`.
 */
export function scheduleSessions(
  inputs: readonly SessionInput[],
  existing: readonly ClassSession[],
  now: Date,
  newId: () => string,
): ClassSession[] {
  const known = new Set(existing.map((session) => session.id));
  const named = inputs.flatMap((input) => (input.id === undefined ? [] : [input.id]));
  if (named.some((id) => !known.has(id)) || new Set(named).size !== named.length)
    throw invalid(
      TRAINING_CLASS_SESSION_UNKNOWN,
      "A session's id is one of the class's sessions, named once; leave it out for a new session.",
    );
  const schedule = validateSchedule({ kind: 'series', sessions: inputs });
  assertNotInPast(schedule, now);
  return inputs
    .map((input) => ({
      id: input.id ?? newId(),
      start: input.start,
      end: input.end,
      topic: input.topic.trim(),
    }))
    .toSorted((a, b) => a.start.getTime() - b.start.getTime());
}

type Sessions = readonly Pick<ClassSession, 'start' | 'end'>[];

export const firstStartOf = (sessions: Sessions): Date =>
  new Date(Math.min(...sessions.map((session) => session.start.getTime())));

export const lastEndOf = (sessions: Sessions): Date =>
  new Date(Math.max(...sessions.map((session) => session.end.getTime())));

/** Every session's whole minutes added up; the weeks between them teach nothing. */
export const classMinutesOf = (sessions: Sessions): number =>
  learningMinutesOf({ kind: 'series', sessions });

export const sessionMinutesOf = (session: Pick<ClassSession, 'start' | 'end'>): number =>
  learningMinutesOf({ kind: 'single', session });

/**
 * The status as people see it at `now`: a published class is under way from
 * its first session's start and completed from its last session's end.
 */
export function statusAt(
  trainingClass: Pick<TrainingClass, 'status' | 'sessions'>,
  now: Date,
): ClassStatus {
  if (trainingClass.status !== 'published') return trainingClass.status;
  const at = now.getTime();
  if (at >= lastEndOf(trainingClass.sessions).getTime()) return 'completed';
  if (at >= firstStartOf(trainingClass.sessions).getTime()) return 'under_way';
  return 'published';
}

export type ClassMove = 'publish' | 'reschedule' | 'cancel';

/** Which moves each status allows: a class is moved only before it starts, cancelled until it ends. */
const MOVES: Readonly<Record<ClassStatus, readonly ClassMove[]>> = {
  draft: ['publish', 'cancel'],
  published: ['reschedule', 'cancel'],
  under_way: ['cancel'],
  completed: [],
  cancelled: [],
};

export function assertMove(status: ClassStatus, move: ClassMove): void {
  if (!MOVES[status].includes(move))
    throw precondition(
      TRAINING_CLASS_TRANSITION_NOT_ALLOWED,
      `A class that is ${status.replace('_', ' ')} cannot ${move === 'publish' ? 'be published' : move === 'cancel' ? 'be cancelled' : 'be rescheduled'}.`,
    );
}

export function assertDraft(status: ClassStatus): void {
  if (status !== 'draft')
    throw precondition(TRAINING_CLASS_NOT_DRAFT, 'Only a draft class can be edited.');
}

/** Sign-up is open from publishing until the first session starts. */
export const signUpWindowOf = (
  trainingClass: Pick<TrainingClass, 'publishedAt' | 'sessions'>,
): { readonly opensAt: Date; readonly closesAt: Date } | null =>
  trainingClass.publishedAt === null
    ? null
    : { opensAt: trainingClass.publishedAt, closesAt: firstStartOf(trainingClass.sessions) };

/** Whether two session lists are the same sessions at the same times. */
export const sameSessions = (a: Sessions, b: Sessions): boolean =>
  a.length === b.length &&
  a.every((session, index) => {
    const other = b[index];
    return (
      other !== undefined &&
      session.start.getTime() === other.start.getTime() &&
      session.end.getTime() === other.end.getTime()
    );
  });
