/**
 * Registration's SessionCheckedIn for a training class, counted into the
 * trainee's record of the programme and the session's year: the session's
 * minutes, once per (enrollment, session). A duplicate or a redelivery finds
 * its attendance id counted and changes nothing; two replicas at once write
 * conditionally on the version read, and the loser reads again.
 */
import { PermanentEventError } from '@learning/events';
import {
  attendanceIdOf,
  chinaMonthOf,
  sessionMinutes,
  townshipOf,
  traineeRecordId,
  trainingYearOf,
} from '../../../domain/training-hours.js';
import { TRAINING_OWNER } from '../../../domain/training.js';
import { completionOf, keepCertificate, type CompletionDeps } from './completion.js';
import { sessionAttended } from './events.js';
import type { StoredTrainee, TraineeRecords } from './ports.js';

export interface CountAttendanceDeps extends CompletionDeps {
  readonly trainees: TraineeRecords;
}

export interface SessionCheckIn {
  readonly owner: string;
  readonly classId: string;
  readonly sessionId: string;
  readonly enrollmentId: string;
  readonly participantId: string;
  readonly checkedInAt: Date;
}

export type CountOutcome = 'not_training' | 'counted' | 'already_counted';

/** Enough for any realistic burst of one person's check-ins racing across replicas. */
const MAX_ATTEMPTS = 8;

export function countAttendance(deps: CountAttendanceDeps) {
  const { trainees, programmes, classes, participants } = deps;
  return async (checkIn: SessionCheckIn): Promise<CountOutcome> => {
    if (checkIn.owner !== TRAINING_OWNER) return 'not_training';
    const trainingClass = await classes.get(checkIn.classId);
    if (trainingClass === null) throw new PermanentEventError('a check-in at an unknown class');
    const programme = await programmes.get(trainingClass.programmeId);
    if (programme === null)
      throw new PermanentEventError('a check-in at a class without its programme');
    const session = trainingClass.sessions.find((candidate) => candidate.id === checkIn.sessionId);
    if (session === undefined)
      throw new PermanentEventError('a check-in at a session the class does not have');
    const minutes = sessionMinutes(session);
    const year = trainingYearOf(session);
    const id = traineeRecordId(programme.id, checkIn.participantId, year);
    const attendanceId = attendanceIdOf(checkIn.enrollmentId, session.id);
    const facts = { ...checkIn, attendanceId, session, minutes };

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await trainees.get(id);
      if (current?.attendanceIds.includes(attendanceId) === true) {
        await keepCertificate(deps, current);
        return 'already_counted';
      }
      if (current === null) {
        const people = await participants.byIds([checkIn.participantId]);
        const person = people.get(checkIn.participantId);
        if (person === undefined)
          throw new PermanentEventError('a check-in by a participant registration does not know');
        const first: StoredTrainee = {
          id,
          programmeId: programme.id,
          participantId: checkIn.participantId,
          year,
          townshipCode: townshipOf(person.jurisdictionPath) ?? '',
          jurisdictionPath: [...person.jurisdictionPath],
          targetGroups: [...trainingClass.targetGroups],
          minutes: 0,
          attendanceIds: [],
          classIds: [],
          firstAttendedAt: checkIn.checkedInAt,
          trainedMonth: chinaMonthOf(session.start),
          testPassed: null,
          skillsTest: null,
          completion: null,
          version: 1,
        };
        const completed = completionOf(deps, programme, trainingClass, first, {
          minutes,
          testPassed: null,
        });
        const record: StoredTrainee = {
          ...first,
          minutes,
          attendanceIds: [attendanceId],
          classIds: [trainingClass.id],
          completion: completed?.completion ?? null,
        };
        const events = [
          sessionAttended(programme, trainingClass, record, facts, minutes),
          ...(completed?.events ?? []),
        ];
        if (await trainees.insert(record, events)) {
          await keepCertificate(deps, record);
          return 'counted';
        }
        continue;
      }
      const after = { minutes: current.minutes + minutes, testPassed: current.testPassed };
      const completed = completionOf(deps, programme, trainingClass, current, after);
      const events = [
        sessionAttended(programme, trainingClass, current, facts, after.minutes),
        ...(completed?.events ?? []),
      ];
      const change = {
        attendance: { id: attendanceId, classId: trainingClass.id, minutes },
        ...(completed === null ? {} : { completion: completed.completion }),
      };
      if (await trainees.update(id, current.version, change, events)) {
        if (completed !== null)
          await keepCertificate(deps, {
            ...current,
            minutes: after.minutes,
            completion: completed.completion,
          });
        return 'counted';
      }
    }
    // Transient: the consumer retries the event later.
    throw new Error(`trainee record ${id} kept changing under ${MAX_ATTEMPTS} attempts`);
  };
}

export type CountAttendance = ReturnType<typeof countAttendance>;
