import { randomBytes } from 'node:crypto';
import { checkVerificationCode, issueVerificationCode } from '@learning/domain';
import { describe, expect, it } from 'vitest';
import {
  attendanceIdOf,
  chinaMonthOf,
  meetsCompletion,
  missingMinutes,
  sessionMinutes,
  townshipOf,
  traineeRecordId,
  TRAINING_CERTIFICATE_CODE_KIND,
  trainingYearOf,
} from '../../../src/domain/training-hours.js';

const session = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

describe('training hours', () => {
  it('when a session runs from 09:00 to 11:30, then it counts 150 minutes', () => {
    expect(sessionMinutes(session('2026-03-01T01:00:00Z', '2026-03-01T03:30:00Z'))).toBe(150);
  });

  it('when a session ends some seconds off the minute, then it counts the nearest whole minute', () => {
    expect(sessionMinutes(session('2026-03-01T01:00:00Z', '2026-03-01T01:44:40Z'))).toBe(45);
    expect(sessionMinutes(session('2026-03-01T01:00:00Z', '2026-03-01T01:44:20Z'))).toBe(44);
  });

  it('when a session starts late on 31 December in UTC but on 1 January in China, then it counts in the new year', () => {
    const newYearsNight = session('2025-12-31T16:30:00Z', '2025-12-31T18:30:00Z');

    expect(trainingYearOf(newYearsNight)).toBe(2026);
    expect(chinaMonthOf(newYearsNight.start)).toBe('2026-01');
  });

  it('when a session starts at 07:59 on 1 January in China, then it still counts in that year, not the last', () => {
    expect(trainingYearOf(session('2025-12-31T23:59:00Z', '2026-01-01T01:00:00Z'))).toBe(2026);
    expect(trainingYearOf(session('2025-12-31T15:59:00Z', '2025-12-31T17:00:00Z'))).toBe(2025);
    expect(chinaMonthOf(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04');
  });

  it('when ids are made, then the record is per programme, person and year and the attendance per enrollment and session', () => {
    expect(traineeRecordId('p', 'x', 2026)).toBe('p:x:2026');
    expect(attendanceIdOf('e', 's1')).toBe('e:s1');
  });

  it('when a home is in a village, then its township is the rank below the city; at the city alone, the city', () => {
    expect(townshipOf(['330281000000', '330281001000', '330281001004'])).toBe('330281001000');
    expect(townshipOf(['330281000000'])).toBe('330281000000');
    expect(townshipOf([])).toBeNull();
  });
});

describe('completion', () => {
  const programme = { requiredMinutes: 480, skillsTest: false };
  const tested = { ...programme, skillsTest: true };

  it('when the minutes reach the requirement and there is no test, then it is complete', () => {
    expect(meetsCompletion({ minutes: 479, testPassed: null }, programme)).toBe(false);
    expect(meetsCompletion({ minutes: 480, testPassed: null }, programme)).toBe(true);
    expect(meetsCompletion({ minutes: 600, testPassed: false }, programme)).toBe(true);
  });

  it('when the programme has a test, then the hours alone are not enough: the test must be passed', () => {
    expect(meetsCompletion({ minutes: 480, testPassed: null }, tested)).toBe(false);
    expect(meetsCompletion({ minutes: 480, testPassed: false }, tested)).toBe(false);
    expect(meetsCompletion({ minutes: 480, testPassed: true }, tested)).toBe(true);
    expect(meetsCompletion({ minutes: 470, testPassed: true }, tested)).toBe(false);
  });

  it('when minutes are missing, then how many is told; none once met', () => {
    expect(missingMinutes({ minutes: 300 }, programme)).toBe(180);
    expect(missingMinutes({ minutes: 900 }, programme)).toBe(0);
  });

  it("when a certificate code is made with the training kind, then it reads TC and the year and checks only as training's", () => {
    const key = randomBytes(32);
    const code = issueVerificationCode(key, TRAINING_CERTIFICATE_CODE_KIND, 2026, randomBytes(10));

    expect(code).toMatch(/^TC26-/);
    expect(checkVerificationCode(key, TRAINING_CERTIFICATE_CODE_KIND, code)).toBe(code);
    expect(checkVerificationCode(key, 'LS', code)).toBeNull();
  });
});
