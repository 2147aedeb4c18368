/**
 * The programme slice's codes (the public programme, materials and the
 * recording, experts' own sessions and the gRPC reads), each with its kind
 * and meaning; the README's programme error table is this catalogue.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  MATERIAL_FORBIDDEN,
  MATERIAL_LIMIT_REACHED,
  MATERIAL_SESSION_CANCELLED,
  RECORDING_BEFORE_START,
  RECORDING_URL_NOT_HTTPS,
} from '../../domain/programme.js';

export const SESSION_NOT_FOUND = 'SESSION_NOT_FOUND';
export const MATERIAL_NOT_FOUND = 'MATERIAL_NOT_FOUND';
export const MATERIAL_TOO_LARGE = 'MATERIAL_TOO_LARGE';
export const MATERIAL_TYPE_UNSUPPORTED = 'MATERIAL_TYPE_UNSUPPORTED';
export const PROGRAMME_SEARCH_EMPTY = 'PROGRAMME_SEARCH_EMPTY';
export const PROGRAMME_RANGE_INVALID = 'PROGRAMME_RANGE_INVALID';
export const EXPERT_NOT_IN_POOL = 'EXPERT_NOT_IN_POOL';
/** gRPC: a list without a 12-digit jurisdiction code or both ends of its range. */
export const PROGRAMME_QUERY_INVALID = 'PROGRAMME_QUERY_INVALID';
/** gRPC: a place the city's tree does not have. */
export const PROGRAMME_JURISDICTION_NOT_FOUND = 'PROGRAMME_JURISDICTION_NOT_FOUND';
/** gRPC: an id that cannot be a session's. */
export const SESSION_ID_INVALID = 'SESSION_ID_INVALID';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, CURSOR_INVALID, … */
export const programmeErrors = defineErrorCodes({
  [PROGRAMME_SEARCH_EMPTY]: {
    kind: 'invalid_argument',
    when: 'a search `q` with no letters, digits or characters to look for',
  },
  [PROGRAMME_RANGE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a range that ends before it starts',
  },
  [PROGRAMME_QUERY_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a list without a 12-digit jurisdiction code or both ends of its range',
  },
  [SESSION_ID_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a session id that is not a lower-case UUID',
  },
  [RECORDING_URL_NOT_HTTPS]: {
    kind: 'invalid_argument',
    when: 'a recording address that is not an `https://` URL',
  },
  [MATERIAL_TYPE_UNSUPPORTED]: {
    kind: 'invalid_argument',
    httpStatus: 415,
    when: 'a material that is not a PDF, presentation, Word document, image or plain text',
  },
  [MATERIAL_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'not the office, the manager of the session’s forum or one of its speakers',
  },
  [SESSION_NOT_FOUND]: { kind: 'not_found', when: 'no such session' },
  [MATERIAL_NOT_FOUND]: { kind: 'not_found', when: 'no such file among the session’s materials' },
  [EXPERT_NOT_IN_POOL]: {
    kind: 'not_found',
    when: 'an expert token whose account is not in the expert pool',
  },
  [PROGRAMME_JURISDICTION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'gRPC: a jurisdiction code that is not in the city’s tree',
  },
  [MATERIAL_SESSION_CANCELLED]: {
    kind: 'failed_precondition',
    when: 'adding to or withdrawing from the record of a cancelled session',
  },
  [MATERIAL_LIMIT_REACHED]: {
    kind: 'failed_precondition',
    when: 'a session that already has as many files as it may',
  },
  [RECORDING_BEFORE_START]: {
    kind: 'failed_precondition',
    when: 'a recording of a session that has not started',
  },
  [MATERIAL_TOO_LARGE]: { kind: 'payload_too_large', when: 'a file over the size limit' },
});

export const sessionNotFound = (): AppError =>
  programmeErrors.error(SESSION_NOT_FOUND, 'The session was not found.');

export const materialNotFound = (): AppError =>
  programmeErrors.error(MATERIAL_NOT_FOUND, 'The session has no such file.');
