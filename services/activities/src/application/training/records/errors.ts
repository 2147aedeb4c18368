/**
 * The codes of training's hours, completions and certificates
 * (`trainingRecordErrors`; the README's training-records error table is its
 * table). Besides these, the platform's (ROLE_REQUIRED, VALIDATION_FAILED, …).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';

export const TRAINING_CLASS_NOT_FOUND = 'TRAINING_CLASS_NOT_FOUND';
export const TRAINING_NO_ATTENDANCE = 'TRAINING_NO_ATTENDANCE';
export const TRAINING_NO_SKILLS_TEST = 'TRAINING_NO_SKILLS_TEST';
export const TRAINING_TEST_DATE_INVALID = 'TRAINING_TEST_DATE_INVALID';
export const TRAINING_PARTICIPANT_UNKNOWN = 'TRAINING_PARTICIPANT_UNKNOWN';
export const TRAINING_CERTIFICATE_CODE_INVALID = 'TRAINING_CERTIFICATE_CODE_INVALID';
export const TRAINING_CERTIFICATE_NOT_FOUND = 'TRAINING_CERTIFICATE_NOT_FOUND';
export const TRAINING_COMPLETIONS_YEAR_INVALID = 'TRAINING_COMPLETIONS_YEAR_INVALID';
export const TRAINING_COMPLETIONS_PARTICIPANT_INVALID = 'TRAINING_COMPLETIONS_PARTICIPANT_INVALID';

export const trainingRecordErrors = defineErrorCodes({
  [TRAINING_TEST_DATE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a skills test dated in the future, or not a real calendar day',
  },
  [TRAINING_CERTIFICATE_CODE_INVALID]: {
    kind: 'invalid_argument',
    when: 'not a training certificate code the city issued: malformed, mistyped or altered (checked before any look-up)',
  },
  [TRAINING_COMPLETIONS_YEAR_INVALID]: {
    kind: 'invalid_argument',
    when: 'completions asked for a year outside 2000–2100 (0 asks for every year)',
  },
  [TRAINING_COMPLETIONS_PARTICIPANT_INVALID]: {
    kind: 'invalid_argument',
    when: 'completions asked for an empty or malformed participant id',
  },
  [TRAINING_PARTICIPANT_UNKNOWN]: {
    kind: 'not_found',
    when: 'the signed-in account is not a registered participant',
  },
  [TRAINING_CLASS_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such training class, or one the caller may not manage or read',
  },
  [TRAINING_CERTIFICATE_NOT_FOUND]: {
    kind: 'not_found',
    when: 'a certificate code that checks but was never issued by this deployment',
  },
  [TRAINING_NO_SKILLS_TEST]: {
    kind: 'failed_precondition',
    when: 'a skills test result for a class whose programme has no skills test',
  },
  [TRAINING_NO_ATTENDANCE]: {
    kind: 'failed_precondition',
    when: 'a skills test result for someone who attended none of the class’s sessions yet',
  },
});

export const classNotFound = (): AppError =>
  trainingRecordErrors.error(TRAINING_CLASS_NOT_FOUND, 'The training class was not found.');

export const noSkillsTest = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_NO_SKILLS_TEST,
    "This class's programme has no skills test: completion needs the hours alone.",
  );

export const noAttendance = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_NO_ATTENDANCE,
    'This person has not attended any session of the class yet: a test comes after attendance.',
  );

export const testDateInvalid = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_TEST_DATE_INVALID,
    'The test date must be a real day, today or earlier.',
    { details: [{ field: 'testedOn', message: 'must be a real day, not in the future' }] },
  );

export const participantUnknown = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_PARTICIPANT_UNKNOWN,
    'Your account is not registered as a participant yet.',
  );

export const certificateCodeInvalid = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_CERTIFICATE_CODE_INVALID,
    'This is not a valid certificate code. Check that it was typed exactly as printed.',
  );

export const certificateNotFound = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_CERTIFICATE_NOT_FOUND,
    'No training certificate was issued with this code.',
  );

export const completionsYearInvalid = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_COMPLETIONS_YEAR_INVALID,
    'The year must be between 2000 and 2100, or 0 for every year.',
  );

export const completionsParticipantInvalid = (): AppError =>
  trainingRecordErrors.error(
    TRAINING_COMPLETIONS_PARTICIPANT_INVALID,
    'The participant id must be a UUID.',
  );
