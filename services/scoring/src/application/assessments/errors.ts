/**
 * The assessments slice's codes, each with its kind and meaning
 * (`assessmentErrors`; the README's assessments error table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';

export const ASSESSMENT_NOT_FOUND = 'ASSESSMENT_NOT_FOUND';
export const ASSESSMENT_SYSTEM_MISSING = 'ASSESSMENT_SYSTEM_MISSING';
export const ASSESSMENT_LOCKED = 'ASSESSMENT_LOCKED';
export const ASSESSMENT_UNDER_APPEAL = 'ASSESSMENT_UNDER_APPEAL';
export const ASSESSMENT_NOT_LOCKED = 'ASSESSMENT_NOT_LOCKED';
export const ASSESSMENT_ALREADY_CORRECTED = 'ASSESSMENT_ALREADY_CORRECTED';
export const ASSESSMENT_REVISION_CONFLICT = 'ASSESSMENT_REVISION_CONFLICT';
export const ASSESSMENT_REVISION_INVALID = 'ASSESSMENT_REVISION_INVALID';
export const ASSESSMENT_RUN_NOT_FOUND = 'ASSESSMENT_RUN_NOT_FOUND';
export const APPEAL_ALREADY_OPEN = 'APPEAL_ALREADY_OPEN';
export const APPEAL_NOT_OPEN = 'APPEAL_NOT_OPEN';
export const APPEAL_NOT_ALLOWED = 'APPEAL_NOT_ALLOWED';
export const APPEAL_INDICATOR_UNKNOWN = 'APPEAL_INDICATOR_UNKNOWN';
export const INSPECTION_SUBJECT_NOT_FOUND = 'INSPECTION_SUBJECT_NOT_FOUND';
export const INSPECTION_OUT_OF_SCOPE = 'INSPECTION_OUT_OF_SCOPE';
export const INSPECTION_DATE_INVALID = 'INSPECTION_DATE_INVALID';
export const ASSESSMENT_SUBJECT_INVALID = 'ASSESSMENT_SUBJECT_INVALID';

/** Besides these, the platform's codes (libs/errors): ROLE_REQUIRED, VALIDATION_FAILED, CURSOR_INVALID, … */
export const assessmentErrors = defineErrorCodes({
  [ASSESSMENT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'an assessment that does not exist, or that the caller may not see',
  },
  [ASSESSMENT_SYSTEM_MISSING]: {
    kind: 'failed_precondition',
    when: 'computing a year for a target the office has set no indicator system for',
  },
  [ASSESSMENT_LOCKED]: {
    kind: 'failed_precondition',
    when: 'recomputing, appealing or locking an assessment that is locked (correct it instead)',
  },
  [ASSESSMENT_UNDER_APPEAL]: {
    kind: 'failed_precondition',
    when: 'recomputing or locking an assessment whose appeal the office has not decided',
  },
  [ASSESSMENT_NOT_LOCKED]: {
    kind: 'failed_precondition',
    when: 'correcting an assessment that is not locked (it still follows its data)',
  },
  [ASSESSMENT_ALREADY_CORRECTED]: {
    kind: 'failed_precondition',
    when: 'correcting an assessment a correction already replaced (correct the current one)',
  },
  [ASSESSMENT_REVISION_CONFLICT]: {
    kind: 'aborted',
    when: 'locking at a revision (If-Match) the assessment no longer has: it was recomputed meanwhile',
  },
  [ASSESSMENT_REVISION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not an ETag the assessment gave, such as "3"',
  },
  [ASSESSMENT_RUN_NOT_FOUND]: {
    kind: 'not_found',
    when: 'a computation run that is unknown, or finished more than a day ago',
  },
  [APPEAL_ALREADY_OPEN]: {
    kind: 'failed_precondition',
    when: 'appealing an assessment whose appeal is not decided yet',
  },
  [APPEAL_NOT_OPEN]: {
    kind: 'failed_precondition',
    when: 'deciding an appeal on an assessment that is not under appeal',
  },
  [APPEAL_NOT_ALLOWED]: {
    kind: 'permission_denied',
    when: 'appealing an assessment by someone who does not administer its organization (areas are not appealed)',
  },
  [APPEAL_INDICATOR_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an appeal naming an indicator the assessment does not have',
  },
  [INSPECTION_SUBJECT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'an inspection of an organization or area registration does not know, or the caller may not see',
  },
  [INSPECTION_OUT_OF_SCOPE]: {
    kind: 'permission_denied',
    when: 'an officer entering an inspection of a subject outside their area or their department’s kinds',
  },
  [INSPECTION_DATE_INVALID]: {
    kind: 'invalid_argument',
    when: 'an inspection dated after today in the city (a day the calendar lacks is CALENDAR_DATE_INVALID)',
  },
  [ASSESSMENT_SUBJECT_INVALID]: {
    kind: 'invalid_argument',
    when: 'a subject id that is not an organization id (UUID) or a jurisdiction code (digits), or a year out of range',
  },
});

export const assessmentNotFound = (): AppError =>
  assessmentErrors.error(ASSESSMENT_NOT_FOUND, 'There is no such assessment.');

export const systemMissing = (year: number, target: string): AppError =>
  assessmentErrors.error(
    ASSESSMENT_SYSTEM_MISSING,
    `No indicator system is set for ${target} in ${String(year)}: set one before computing.`,
  );

export const assessmentLocked = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_LOCKED,
    'The assessment is locked and never changes: file a correction to change its result.',
  );

export const assessmentUnderAppeal = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_UNDER_APPEAL,
    'The assessment is under appeal: decide the appeal first.',
  );

export const assessmentNotLocked = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_NOT_LOCKED,
    'Only a locked assessment is corrected; this one still follows its data.',
  );

export const alreadyCorrected = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_ALREADY_CORRECTED,
    'A correction already replaced this assessment: correct the current one.',
  );

export const revisionConflict = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_REVISION_CONFLICT,
    'The assessment was recomputed since you read it; read it again and lock what you saw.',
  );

export const revisionInvalid = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_REVISION_INVALID,
    'If-Match must be the ETag last read, such as "3".',
  );

export const runNotFound = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_RUN_NOT_FOUND,
    'There is no such run; its progress is kept for a day after it ends.',
  );

export const appealAlreadyOpen = (): AppError =>
  assessmentErrors.error(
    APPEAL_ALREADY_OPEN,
    'An appeal of this assessment is open; wait for the office’s decision.',
  );

export const appealNotOpen = (): AppError =>
  assessmentErrors.error(APPEAL_NOT_OPEN, 'The assessment is not under appeal.');

export const appealNotAllowed = (): AppError =>
  assessmentErrors.error(
    APPEAL_NOT_ALLOWED,
    'Only the admins of the assessed organization may appeal its assessment.',
  );

export const appealIndicatorUnknown = (key: string): AppError =>
  assessmentErrors.error(APPEAL_INDICATOR_UNKNOWN, `The assessment has no indicator "${key}".`, {
    details: [{ field: '/indicatorKeys', message: `names no indicator of the assessment` }],
  });

export const inspectionSubjectNotFound = (): AppError =>
  assessmentErrors.error(
    INSPECTION_SUBJECT_NOT_FOUND,
    'There is no such organization or area to inspect.',
  );

export const inspectionOutOfScope = (): AppError =>
  assessmentErrors.error(
    INSPECTION_OUT_OF_SCOPE,
    'You may inspect only organizations and areas within your area or your department’s kinds.',
  );

export const inspectionDateInvalid = (): AppError =>
  assessmentErrors.error(
    INSPECTION_DATE_INVALID,
    'An inspection is entered once it took place: today or earlier in the city.',
    { details: [{ field: '/inspectedOn', message: 'is in the future' }] },
  );

export const subjectInvalid = (): AppError =>
  assessmentErrors.error(
    ASSESSMENT_SUBJECT_INVALID,
    'An organization is named by its id (a UUID), an area by its jurisdiction code (digits); years run 2000–2100.',
  );
