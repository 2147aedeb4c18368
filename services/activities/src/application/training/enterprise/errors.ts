/**
 * Enterprises' own training reports: their codes, each with its kind and
 * meaning (`enterpriseReportErrors`; the README's table under "Training:
 * enterprises' own training" is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  ENTERPRISE_REPORT_FIGURES_INCONSISTENT,
  ENTERPRISE_REPORT_SPEND_INVALID,
  ENTERPRISE_REPORT_YEAR_INVALID,
} from '../../../domain/enterprise-training.js';

export const ENTERPRISE_REPORT_NOT_ENTERPRISE = 'ENTERPRISE_REPORT_NOT_ENTERPRISE';
export const ENTERPRISE_REPORT_REVISION_INVALID = 'ENTERPRISE_REPORT_REVISION_INVALID';
export const ENTERPRISE_REPORT_NOT_ADMIN = 'ENTERPRISE_REPORT_NOT_ADMIN';
export const ENTERPRISE_REPORT_NOT_FOUND = 'ENTERPRISE_REPORT_NOT_FOUND';
export const ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND = 'ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND';
export const ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE = 'ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE';
export const ENTERPRISE_REPORT_REVISION_REQUIRED = 'ENTERPRISE_REPORT_REVISION_REQUIRED';
export const ENTERPRISE_REPORT_REVISIONS_EXHAUSTED = 'ENTERPRISE_REPORT_REVISIONS_EXHAUSTED';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, ROLE_REQUIRED, JURISDICTION_UNKNOWN, … */
export const enterpriseReportErrors = defineErrorCodes({
  [ENTERPRISE_REPORT_SPEND_INVALID]: {
    kind: 'invalid_argument',
    when: 'spend that is not yuan as a plain decimal ≥ 0 with at most two fraction digits ("12.345", "-1", "1e3")',
  },
  [ENTERPRISE_REPORT_YEAR_INVALID]: {
    kind: 'invalid_argument',
    when: 'a year before 2000 or after this one',
  },
  [ENTERPRISE_REPORT_FIGURES_INCONSISTENT]: {
    kind: 'invalid_argument',
    when: 'trainees without minutes or minutes without trainees, or more minutes than the trainees could attend in a year',
  },
  [ENTERPRISE_REPORT_NOT_ENTERPRISE]: {
    kind: 'invalid_argument',
    when: 'a report for a learning organization that is not an enterprise',
  },
  [ENTERPRISE_REPORT_REVISION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not the ETag of a revision, such as "3"',
  },
  [ENTERPRISE_REPORT_NOT_ADMIN]: {
    kind: 'permission_denied',
    when: 'reporting for an organization you do not administer',
  },
  [ENTERPRISE_REPORT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no report for that enterprise and year, or one the caller may not see',
  },
  [ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'reporting for an organization registration does not know',
  },
  [ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'reporting for an enterprise that is rejected or suspended',
  },
  [ENTERPRISE_REPORT_REVISION_REQUIRED]: {
    kind: 'failed_precondition',
    when: 'changing a reported year without If-Match naming the revision last read',
  },
  [ENTERPRISE_REPORT_REVISIONS_EXHAUSTED]: {
    kind: 'failed_precondition',
    when: 'a revision beyond the 100 a year’s report may have',
  },
});

export const reportNotFound = (): AppError =>
  enterpriseReportErrors.error(
    ENTERPRISE_REPORT_NOT_FOUND,
    'There is no training report for that enterprise and year.',
  );

export const revisionInvalid = (): AppError =>
  enterpriseReportErrors.error(
    ENTERPRISE_REPORT_REVISION_INVALID,
    'If-Match must be the ETag last read, such as "3".',
  );
