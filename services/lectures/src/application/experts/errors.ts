/**
 * The expert pool's codes, each with its kind and meaning (`expertErrors`;
 * the README's expert error table is its table), and where the slice turns
 * its own refusals into AppErrors.
 */
import { EMAIL_FORMAT, PHONE_FORMAT } from '@learning/domain';
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  EXPERT_AVAILABILITY_OVERLAP,
  EXPERT_AVAILABILITY_TOO_MANY,
  EXPERT_AVAILABILITY_WINDOW_INVALID,
  EXPERT_LANGUAGE_DUPLICATE,
  EXPERT_LANGUAGE_INVALID,
} from '../../domain/expert-profile.js';

export const EXPERT_NOT_FOUND = 'EXPERT_NOT_FOUND';
export const EXPERT_ALREADY_EXISTS = 'EXPERT_ALREADY_EXISTS';
export const EXPERT_PERSON_UNKNOWN = 'EXPERT_PERSON_UNKNOWN';
export const EXPERT_CHANGE_EMPTY = 'EXPERT_CHANGE_EMPTY';
export const EXPERT_NOT_OWN = 'EXPERT_NOT_OWN';
export const EXPERT_ALREADY_RETIRED = 'EXPERT_ALREADY_RETIRED';
export const EXPERT_NOT_RETIRED = 'EXPERT_NOT_RETIRED';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, CURSOR_INVALID, … */
export const expertErrors = defineErrorCodes({
  [EXPERT_PERSON_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an account subject registration knows no participant of',
  },
  [EXPERT_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'a change that changes nothing' },
  [EXPERT_AVAILABILITY_WINDOW_INVALID]: {
    kind: 'invalid_argument',
    when: 'an availability window that does not end after it starts',
  },
  [EXPERT_AVAILABILITY_OVERLAP]: {
    kind: 'invalid_argument',
    when: 'two availability windows that overlap',
  },
  [EXPERT_AVAILABILITY_TOO_MANY]: {
    kind: 'invalid_argument',
    when: 'more than 100 availability windows',
  },
  [EXPERT_LANGUAGE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a language that is not a BCP 47 tag (zh-CN, en, …)',
  },
  [EXPERT_LANGUAGE_DUPLICATE]: {
    kind: 'invalid_argument',
    when: 'one language twice (after canonical casing)',
  },
  [PHONE_FORMAT]: { kind: 'invalid_argument', when: 'not a mainland mobile number' },
  [EMAIL_FORMAT]: { kind: 'invalid_argument', when: 'not an e-mail address' },
  [EXPERT_NOT_OWN]: {
    kind: 'permission_denied',
    when: 'an expert asking for another expert’s profile or sessions',
  },
  [EXPERT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such expert (publicly: also a retired one; at /me: the caller is not in the pool)',
  },
  [EXPERT_ALREADY_EXISTS]: { kind: 'conflict', when: 'the person is in the pool already' },
  [EXPERT_ALREADY_RETIRED]: { kind: 'failed_precondition', when: 'retiring a retired expert' },
  [EXPERT_NOT_RETIRED]: { kind: 'failed_precondition', when: 'reactivating an active expert' },
});

export const expertNotFound = (): AppError =>
  expertErrors.error(EXPERT_NOT_FOUND, 'The expert was not found.');

export const expertAlreadyExists = (): AppError =>
  expertErrors.error(EXPERT_ALREADY_EXISTS, 'That person is in the expert pool already.', {
    details: [{ field: '/accountSubject', message: 'is already in the pool' }],
  });

export const expertChangeEmpty = (): AppError =>
  expertErrors.error(EXPERT_CHANGE_EMPTY, 'Name at least one field to change.');
