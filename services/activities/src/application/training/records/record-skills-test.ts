/**
 * The organizer's record of a trainee's skills test. A test comes after
 * attendance: the person must have a counted session of the class (a
 * check-in registration accepted only for a confirmed enrollment), so a
 * result for someone never seated there is refused. The result lands on the
 * record of the latest year the person attended the class; when it passes
 * and the hours are met, the same write completes the record.
 */
import { actorOf } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { chinaDateOf, isRealDate } from '@learning/domain';
import { managesClass } from '../access.js';
import { completionOf, keepCertificate } from './completion.js';
import type { CountAttendanceDeps } from './count-attendance.js';
import { classNotFound, noAttendance, noSkillsTest, testDateInvalid } from './errors.js';
import { skillsTestRecorded } from './events.js';
import type { SkillsTestResult, StoredTrainee } from './ports.js';

export interface SkillsTestInput {
  readonly passed: boolean;
  readonly score?: number | null;
  /** `YYYY-MM-DD` in the city's calendar. */
  readonly testedOn: string;
}

const MAX_ATTEMPTS = 5;

const sameResult = (a: SkillsTestResult | null, b: SkillsTestResult): boolean =>
  a !== null &&
  a.classId === b.classId &&
  a.passed === b.passed &&
  a.score === b.score &&
  a.testedOn === b.testedOn;

/** A real day, today or before (the route's schema has checked the shape). */
function checkedTestDate(testedOn: string, today: string): string {
  const [year, month, day] = testedOn.split('-').map(Number);
  if (!isRealDate(year ?? 0, month ?? 0, day ?? 0) || testedOn > today) throw testDateInvalid();
  return testedOn;
}

export function recordSkillsTest(deps: CountAttendanceDeps) {
  const { trainees, programmes, classes, clock } = deps;
  return async (
    principal: Principal,
    classId: string,
    participantId: string,
    input: SkillsTestInput,
  ): Promise<StoredTrainee> => {
    const trainingClass = await classes.get(classId);
    const programme =
      trainingClass === null ? null : await programmes.get(trainingClass.programmeId);
    if (
      trainingClass === null ||
      programme === null ||
      !managesClass(principal, trainingClass, programme)
    )
      throw classNotFound();
    if (!programme.skillsTest) throw noSkillsTest();
    const now = clock();
    const testedOn = checkedTestDate(input.testedOn, chinaDateOf(now));

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const [current] = await trainees.ofClass(programme.id, trainingClass.id, [participantId]);
      if (current === undefined) throw noAttendance();
      const result: SkillsTestResult = {
        classId: trainingClass.id,
        passed: input.passed,
        score: input.score ?? null,
        testedOn,
        recordedBy: principal.subject,
        recordedAt: now,
      };
      // The same result again (a retried PUT) changes nothing and publishes nothing.
      if (sameResult(current.skillsTest, result)) {
        await keepCertificate(deps, current);
        return current;
      }
      const completed = completionOf(deps, programme, trainingClass, current, {
        minutes: current.minutes,
        testPassed: result.passed,
      });
      const events = [
        skillsTestRecorded(programme, trainingClass, current.id, participantId, result),
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'training_trainee.skills_test',
          entityType: 'training_trainee',
          entityId: current.id,
          jurisdictionPath: trainingClass.jurisdictionPath,
          before: current.skillsTest === null ? null : { ...current.skillsTest },
          after: { ...result },
        }),
        ...(completed?.events ?? []),
      ];
      const change = {
        skillsTest: result,
        ...(completed === null ? {} : { completion: completed.completion }),
      };
      if (await trainees.update(current.id, current.version, change, events)) {
        const after: StoredTrainee = {
          ...current,
          skillsTest: result,
          testPassed: result.passed,
          completion: completed?.completion ?? current.completion,
          version: current.version + 1,
        };
        await keepCertificate(deps, after);
        return after;
      }
    }
    throw new Error(
      `trainee record of ${participantId} kept changing under ${MAX_ATTEMPTS} attempts`,
    );
  };
}

export type RecordSkillsTest = ReturnType<typeof recordSkillsTest>;
