/**
 * The stable codes of the organization slice, each with its kind and meaning
 * (`organizationErrors`), and the errors behind them. The README's
 * organization error table is this catalogue's table; a unit test keeps the
 * two the same.
 */
import { defineErrorCodes, platformErrors, type AppError } from '@learning/errors';
import {
  ORGANIZATION_CREDIT_CODE_INVALID,
  ORGANIZATION_DECISION_FORBIDDEN,
  ORGANIZATION_MANAGE_FORBIDDEN,
  ORGANIZATION_REASON_REQUIRED,
  ORGANIZATION_TRANSITION_NOT_ALLOWED,
} from '../../domain/organizations.js';

export const ORGANIZATION_NOT_FOUND = 'ORGANIZATION_NOT_FOUND';
/** Given by the organization repository (libs/mongo) when the credit code is taken. */
export const ORGANIZATION_ALREADY_EXISTS = 'ORGANIZATION_ALREADY_EXISTS';
export const ORGANIZATION_CHANGE_EMPTY = 'ORGANIZATION_CHANGE_EMPTY';
export const ORGANIZATION_QUERY_INVALID = 'ORGANIZATION_QUERY_INVALID';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, OUT_OF_SCOPE, VERSION_CONFLICT, … */
export const organizationErrors = defineErrorCodes({
  [ORGANIZATION_CREDIT_CODE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a unified social credit code that is not 18 characters of its alphabet with the GB 32100 check character',
  },
  [ORGANIZATION_CHANGE_EMPTY]: {
    kind: 'invalid_argument',
    when: 'an edit that names neither `name` nor `learningSystem`',
  },
  [ORGANIZATION_REASON_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a rejection or suspension without a reason',
  },
  [ORGANIZATION_QUERY_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: `GetOrganizations` for more than 1,000 ids; `StreamOrganizations`/`CountOrganizations` with an unknown kind or status, or out-of-range sizes',
  },
  [ORGANIZATION_MANAGE_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'an edit or member change by someone who sees the organization but is not its admin, lead-department officer, area officer over it or a city admin',
  },
  [ORGANIZATION_DECISION_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'a decision by an officer who is not of the lead department, an area officer over it or a city admin',
  },
  [ORGANIZATION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such organization, or outside your reach',
  },
  [ORGANIZATION_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'the credit code is already registered',
  },
  [ORGANIZATION_TRANSITION_NOT_ALLOWED]: {
    kind: 'failed_precondition',
    when: 'a decision the organization’s status does not allow (e.g. recognizing a rejected one)',
  },
});

export const organizationNotFound = (): AppError =>
  organizationErrors.error(ORGANIZATION_NOT_FOUND, 'The organization was not found.');

export const organizationChangeEmpty = (): AppError =>
  organizationErrors.error(
    ORGANIZATION_CHANGE_EMPTY,
    'Name a field to change: name or learningSystem.',
  );

export const organizationQueryInvalid = (maxIds: number): AppError =>
  organizationErrors.error(
    ORGANIZATION_QUERY_INVALID,
    `Ask for at most ${maxIds} organizations at a time.`,
    { details: [{ field: '/ids', message: `more than ${maxIds} ids` }] },
  );

export const versionConflict = (): AppError =>
  platformErrors.error(
    'VERSION_CONFLICT',
    'The organization was changed by someone else; reload it and try again.',
  );

/** A directory stream or count asked for something it cannot answer (a bad page size, an unknown status). */
export const organizationFilterInvalid = (field: string, message: string): AppError =>
  organizationErrors.error(ORGANIZATION_QUERY_INVALID, `The request's ${field} ${message}.`, {
    details: [{ field, message }],
  });
