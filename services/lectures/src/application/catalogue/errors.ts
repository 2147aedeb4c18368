/**
 * The catalogue slice's codes (series, forums, lecture types), each with its
 * kind and meaning (`catalogueErrors`; the README's catalogue error table is
 * its table), and where the slice turns its own refusals into AppErrors.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  CATALOGUE_OFFICE_ONLY,
  FORUM_FIELD_OFFICE_ONLY,
  FORUM_MANAGE_FORBIDDEN,
} from '../../domain/forums.js';

export const SERIES_NOT_FOUND = 'SERIES_NOT_FOUND';
export const SERIES_ALREADY_EXISTS = 'SERIES_ALREADY_EXISTS';
export const FORUM_NOT_FOUND = 'FORUM_NOT_FOUND';
export const FORUM_ALREADY_EXISTS = 'FORUM_ALREADY_EXISTS';
export const FORUM_ALREADY_RETIRED = 'FORUM_ALREADY_RETIRED';
export const FORUM_NOT_RETIRED = 'FORUM_NOT_RETIRED';
export const CATALOGUE_CHANGE_EMPTY = 'CATALOGUE_CHANGE_EMPTY';
export const DEPARTMENT_UNKNOWN = 'DEPARTMENT_UNKNOWN';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, CURSOR_INVALID, … */
export const catalogueErrors = defineErrorCodes({
  [CATALOGUE_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'a change that changes nothing' },
  [DEPARTMENT_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an owner or lead department registration does not list',
  },
  [CATALOGUE_OFFICE_ONLY]: {
    kind: 'permission_denied',
    when: 'not a city admin, nor an officer of the series’ owner department',
  },
  [FORUM_MANAGE_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'a forum manager acting on a forum they do not manage',
  },
  [FORUM_FIELD_OFFICE_ONLY]: {
    kind: 'permission_denied',
    when: 'a forum manager changing the name, managers, lead department or status',
  },
  [SERIES_NOT_FOUND]: { kind: 'not_found', when: 'no such series' },
  [FORUM_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such forum (publicly: also a retired one)',
  },
  [SERIES_ALREADY_EXISTS]: { kind: 'conflict', when: 'a series of that name exists already' },
  [FORUM_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'the series has a forum of that name already',
  },
  [FORUM_ALREADY_RETIRED]: { kind: 'failed_precondition', when: 'retiring a retired forum' },
  [FORUM_NOT_RETIRED]: { kind: 'failed_precondition', when: 'reactivating an active forum' },
});

export const seriesNotFound = (): AppError =>
  catalogueErrors.error(SERIES_NOT_FOUND, 'The lecture series was not found.');

export const forumNotFound = (): AppError =>
  catalogueErrors.error(FORUM_NOT_FOUND, 'The forum was not found.');

export const changeEmpty = (): AppError =>
  catalogueErrors.error(CATALOGUE_CHANGE_EMPTY, 'Name at least one field to change.');

/** 400 DEPARTMENT_UNKNOWN at `field` (a JSON pointer). */
export const departmentUnknown = (code: string, field: string): AppError => {
  const message = `There is no city department with the code "${code}"; use a code from registration's GET /v1/departments.`;
  return catalogueErrors.error(DEPARTMENT_UNKNOWN, message, { details: [{ field, message }] });
};
