/**
 * Attendance recorded by registration (activities, lectures, training) and
 * its withdrawal. Withdrawal and re-recording are ordered by the times the
 * events carry, not by arrival: an attendance recorded after a withdrawal
 * counts again, an older one does not, and a withdrawal older than the
 * latest recording is ignored.
 *
 * A training class's attendance is not credited here: the class is the
 * seated event, so its span would count the weeks between its sessions.
 * The activities service's TrainingSessionAttended credits each session
 * (decision 0018); registration's events for the owner `training` are
 * skipped, neither credited nor dead-lettered.
 */
import { MINUTE_MS } from '@learning/domain';
import { tierMapping } from '@learning/contracts';
import { PermanentEventError } from '@learning/events';
import type { registration } from '@learning/proto';
import type { SourceKind } from '../../domain/facts.js';
import type { HolderPlace } from './ports.js';
import {
  campaignOf,
  factOf,
  firstCategory,
  isErasedPerson,
  personPlace,
  required,
  type SourceDeps,
  type SourceEvent,
} from './store-fact.js';

const SOURCE_OF_OWNER: Readonly<Record<string, SourceKind>> = {
  activities: 'activity_attended',
  lectures: 'lecture_attended',
};

/** Owners whose attendance another event credits (see above). */
const CREDITED_BY_SESSION = 'training';

function sourceOf(owner: string | undefined): SourceKind {
  const source = owner === undefined ? undefined : SOURCE_OF_OWNER[owner];
  // Dead-lettered rather than dropped: once scoring credits that owner, the group's replay brings it back.
  if (source === undefined)
    throw new PermanentEventError('an attendance at an event of an owner scoring does not credit');
  return source;
}

const sourceIdOf = (enrollmentId: string): string => `attendance:${enrollmentId}`;

function minutesOf(attended: registration.AttendedEvent | undefined): number {
  if (attended === undefined) return 0;
  if (attended.learningMinutes > 0) return attended.learningMinutes;
  const { startsAt, endsAt } = attended;
  if (startsAt === undefined || endsAt === undefined || endsAt <= startsAt) return 0;
  return Math.floor((endsAt.getTime() - startsAt.getTime()) / MINUTE_MS);
}

export const recordAttendance =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<registration.AttendanceRecorded>): Promise<void> => {
    if (data.event?.owner === CREDITED_BY_SESSION) return;
    const enrollmentId = required(data.enrollmentId, 'the enrollment of an attendance');
    const participantId = required(data.participantId, 'the participant of an attendance');
    const attendedAt = required(data.attendedAt, 'the time of an attendance');
    if (await isErasedPerson(deps, participantId)) return;
    const source = sourceOf(data.event?.owner);
    const attended = data.attendedEvent;
    // Credits count when the learning happened (caps per day, rule versions), not when an officer recorded it.
    const occurredAt = attended?.startsAt ?? attendedAt;
    // Events from before `attendee` existed: the directory's answer now is the best there is.
    const place: HolderPlace =
      data.attendee === undefined
        ? await personPlace(deps, participantId)
        : {
            tier: tierMapping.fromProto(data.attendee.tier) ?? null,
            jurisdictionPath: data.attendee.jurisdictionPath,
            organizationIds: data.attendee.organizationIds,
          };
    const { outcome, fact } = await deps.facts.recordAttendance({
      attendedAt,
      fact: factOf({
        sourceId: sourceIdOf(enrollmentId),
        source,
        holder: { kind: 'person', id: participantId },
        sourceEventId: id,
        occurredAt,
        category: firstCategory(attended?.categories ?? []),
        tier: place.tier,
        minutes: minutesOf(attended),
        campaignId: campaignOf(attended?.campaignId),
        jurisdictionPath: place.jurisdictionPath,
        organizationIds: place.organizationIds,
        title:
          attended?.title === undefined || attended.title === ''
            ? (data.event?.eventId ?? enrollmentId)
            : attended.title,
      }),
    });
    if (outcome === 'stored') deps.metrics.factStored(source);
    await deps.evaluate(fact.holder, fact.year);
  };

interface WithdrawalInput {
  readonly eventId: string;
  readonly enrollmentId: string;
  readonly participantId: string;
  readonly owner: string | undefined;
  readonly attendedAt: Date | null;
  readonly withdrawnAt: Date;
}

const withdraw = async (deps: SourceDeps, input: WithdrawalInput): Promise<void> => {
  // Registration's events for a class credit nothing (see above), so they withdraw nothing.
  if (input.owner === CREDITED_BY_SESSION) return;
  const participantId = required(input.participantId, 'the participant of a withdrawal');
  if (await isErasedPerson(deps, participantId)) return;
  const fact = await deps.facts.withdraw({
    sourceId: sourceIdOf(required(input.enrollmentId, 'the enrollment of a withdrawal')),
    source: sourceOf(input.owner),
    holder: { kind: 'person', id: participantId },
    sourceEventId: input.eventId,
    attendedAt: input.attendedAt,
    withdrawnAt: input.withdrawnAt,
  });
  // A stub holds no credits; the attendance it waits for evaluates when it arrives.
  if (fact !== null) await deps.evaluate(fact.holder, fact.year);
};

export const withdrawAttendance =
  (deps: SourceDeps) =>
  ({ id, time, data }: SourceEvent<registration.AttendanceWithdrawn>): Promise<void> =>
    withdraw(deps, {
      eventId: id,
      enrollmentId: data.enrollmentId,
      participantId: data.participantId,
      owner: data.event?.owner,
      attendedAt: data.attendedAt ?? null,
      withdrawnAt: data.withdrawnAt ?? new Date(time),
    });

/** Before AttendanceWithdrawn existed, an invalidated check-in said so with `attendance_withdrawn`. */
export const withdrawInvalidatedCheckIn =
  (deps: SourceDeps) =>
  async ({ id, time, data }: SourceEvent<registration.CheckInInvalidated>): Promise<void> => {
    if (!data.attendanceWithdrawn) return;
    await withdraw(deps, {
      eventId: id,
      enrollmentId: data.enrollmentId,
      participantId: data.participantId,
      owner: data.event?.owner,
      attendedAt: null,
      withdrawnAt: data.invalidatedAt ?? new Date(time),
    });
  };
