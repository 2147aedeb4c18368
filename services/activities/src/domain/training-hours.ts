/**
 * Training hours (ADR 0018): only a session check-in adds minutes, the
 * session's length, once per (enrollment, session); a trainee record is one
 * person in one programme in one calendar year of the city; a completion is
 * derived, never typed. Pure.
 */
import { chinaDateOf, chinaYearOf } from '@learning/domain';
import type { ClassSession, Programme } from './training.js';

/** Training certificates' verification codes read `TC26-…` (scoring's learning records' `LS26-…`). */
export const TRAINING_CERTIFICATE_CODE_KIND = 'TC';

/** The minutes a session counts for: its length, in whole minutes. */
export const sessionMinutes = (session: Pick<ClassSession, 'start' | 'end'>): number =>
  Math.max(0, Math.round((session.end.getTime() - session.start.getTime()) / 60_000));

/** The year a session's minutes count in: its start's calendar year in the city. */
export const trainingYearOf = (session: Pick<ClassSession, 'start'>): number =>
  chinaYearOf(session.start);

/** `YYYY-MM` of an instant in the city's calendar: the month the progress report counts it in. */
export const chinaMonthOf = (instant: Date): string => chinaDateOf(instant).slice(0, 7);

/** One trainee record per (programme, person, year). */
export const traineeRecordId = (programmeId: string, participantId: string, year: number): string =>
  `${programmeId}:${participantId}:${year}`;

/** The same check-in always has the same id: what makes a redelivery count nothing. */
export const attendanceIdOf = (enrollmentId: string, sessionId: string): string =>
  `${enrollmentId}:${sessionId}`;

/**
 * The township (or street) a home counts in: the path runs from the city
 * down, and townships and streets are the rank below it. A home registered
 * at the city alone counts at the city.
 */
export const townshipOf = (homePath: readonly string[]): string | null =>
  homePath[1] ?? homePath[0] ?? null;

export interface TraineeProgress {
  readonly minutes: number;
  /** Null before any test result. */
  readonly testPassed: boolean | null;
}

/** Minutes still missing before the programme's requirement; 0 when met. */
export const missingMinutes = (
  trainee: Pick<TraineeProgress, 'minutes'>,
  programme: Pick<Programme, 'requiredMinutes'>,
): number => Math.max(0, programme.requiredMinutes - trainee.minutes);

/** Whether the hours and, where the programme has one, a passed test are met. */
export const meetsCompletion = (
  trainee: TraineeProgress,
  programme: Pick<Programme, 'requiredMinutes' | 'skillsTest'>,
): boolean =>
  missingMinutes(trainee, programme) === 0 &&
  (!programme.skillsTest || trainee.testPassed === true);
