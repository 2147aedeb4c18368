/**
 * The rules slice's codes, each with its kind and meaning (`rulesErrors`;
 * the README's rules error table is its table).
 */
import { CALENDAR_DATE_INVALID } from '@learning/domain';
import { defineErrorCodes, type AppError } from '@learning/errors';
import { CREDITS_INVALID } from '../../domain/credits.js';
import {
  RULE_ALREADY_ENDS,
  RULE_BASIS_NOT_FOR_BONUS,
  RULE_BASIS_NOT_FOR_SOURCE,
  RULE_BASIS_REQUIRED,
  RULE_BONUS_PERCENT_INVALID,
  RULE_BONUS_PERCENT_NOT_FOR_BASE,
  RULE_CAMPAIGN_NOT_FOR_BASE,
  RULE_CAMPAIGN_REQUIRED,
  RULE_CAP_INVALID,
  RULE_CAPS_INCONSISTENT,
  RULE_CATEGORIES_INVALID,
  RULE_CREDITS_INVALID,
  RULE_EFFECTIVE_FROM_TOO_SOON,
  RULE_EFFECTIVE_TO_BEFORE_FROM,
  RULE_EFFECTIVE_TOO_FAR,
  RULE_NAME_INVALID,
  RULE_OVERLAP,
  RULE_RANK_BANDS_INVALID,
  RULE_RETIREMENT_BEFORE_START,
  RULE_RETIREMENT_PAST,
  RULE_SOURCE_INVALID,
  RULE_TIERS_INVALID,
  RULE_TIERS_NOT_FOR_ORGANIZATIONS,
} from '../../domain/rule-book.js';

export const RULE_NOT_FOUND = 'RULE_NOT_FOUND';
export const RULE_REVISION_INVALID = 'RULE_REVISION_INVALID';
export const RULE_BOOK_BUSY = 'RULE_BOOK_BUSY';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, CURSOR_INVALID, … */
export const rulesErrors = defineErrorCodes({
  [CALENDAR_DATE_INVALID]: { kind: 'invalid_argument', when: 'a date that is not YYYY-MM-DD' },
  [CREDITS_INVALID]: {
    kind: 'invalid_argument',
    when: 'an amount that is not a decimal with at most two fraction digits',
  },
  [RULE_NAME_INVALID]: {
    kind: 'invalid_argument',
    when: 'a blank name, or one over 100 characters',
  },
  [RULE_SOURCE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a source that is not one of the eight',
  },
  [RULE_CATEGORIES_INVALID]: {
    kind: 'invalid_argument',
    when: 'a category named twice or not one of the four',
  },
  [RULE_TIERS_INVALID]: { kind: 'invalid_argument', when: 'a tier named twice or unknown' },
  [RULE_TIERS_NOT_FOR_ORGANIZATIONS]: {
    kind: 'invalid_argument',
    when: 'tiers on a source that credits organizations (donations, recognition, organizing)',
  },
  [RULE_CAMPAIGN_REQUIRED]: { kind: 'invalid_argument', when: 'a bonus rule without its campaign' },
  [RULE_CAMPAIGN_NOT_FOR_BASE]: { kind: 'invalid_argument', when: 'a base rule naming a campaign' },
  [RULE_BASIS_REQUIRED]: { kind: 'invalid_argument', when: 'a base rule without a basis' },
  [RULE_BASIS_NOT_FOR_BONUS]: { kind: 'invalid_argument', when: 'a bonus rule with a basis' },
  [RULE_BASIS_NOT_FOR_SOURCE]: {
    kind: 'invalid_argument',
    when: 'per_hour on a source not counted in time, per_unit other than on book_donated, by_rank other than on contest_placed',
  },
  [RULE_CREDITS_INVALID]: {
    kind: 'invalid_argument',
    when: 'credits of 0 or less, or more than 1000 (below zero exists only as reversals)',
  },
  [RULE_RANK_BANDS_INVALID]: {
    kind: 'invalid_argument',
    when: 'no rank bands, more than 20, or upToRank not whole, from 1 and strictly ascending',
  },
  [RULE_CAP_INVALID]: { kind: 'invalid_argument', when: 'a cap of 0 (omit it) or below zero' },
  [RULE_CAPS_INCONSISTENT]: { kind: 'invalid_argument', when: 'a daily cap above the yearly cap' },
  [RULE_BONUS_PERCENT_INVALID]: {
    kind: 'invalid_argument',
    when: 'a bonus without a whole percentage from 1 to 500',
  },
  [RULE_BONUS_PERCENT_NOT_FOR_BASE]: {
    kind: 'invalid_argument',
    when: 'a base rule with a bonus percentage',
  },
  [RULE_EFFECTIVE_FROM_TOO_SOON]: {
    kind: 'invalid_argument',
    when: 'a version starting today or earlier (tomorrow at the earliest)',
  },
  [RULE_EFFECTIVE_TO_BEFORE_FROM]: {
    kind: 'invalid_argument',
    when: 'a version ending before it starts',
  },
  [RULE_EFFECTIVE_TOO_FAR]: {
    kind: 'invalid_argument',
    when: 'a version starting or ending more than five years ahead',
  },
  [RULE_RETIREMENT_PAST]: { kind: 'invalid_argument', when: 'a retirement before today' },
  [RULE_RETIREMENT_BEFORE_START]: {
    kind: 'invalid_argument',
    when: 'a retirement before the rule’s first day',
  },
  [RULE_REVISION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not the ETag of a revision, such as "3"',
  },
  [RULE_NOT_FOUND]: { kind: 'not_found', when: 'no such rule' },
  [RULE_OVERLAP]: {
    kind: 'conflict',
    when: 'the rule would overlap another (named in the message): same kind, source and campaign, shared categories, tiers and days',
  },
  [RULE_ALREADY_ENDS]: {
    kind: 'failed_precondition',
    when: 'a retirement on or after the day the rule already ends',
  },
  [RULE_BOOK_BUSY]: {
    kind: 'aborted',
    when: 'another change to the rules of the same source was being written for two seconds; try again',
  },
});

export const ruleNotFound = (): AppError =>
  rulesErrors.error(RULE_NOT_FOUND, 'The credit rule was not found.');

export const revisionInvalid = (): AppError =>
  rulesErrors.error(RULE_REVISION_INVALID, 'If-Match must be the ETag last read, such as "3".');
