/**
 * The awards slice's codes, each with its kind and meaning (`awardsErrors`;
 * the README's awards error table is its table).
 */
import { CALENDAR_DATE_INVALID } from '@learning/domain';
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  APPROVAL_NOMINATION_UNKNOWN,
  APPROVAL_NOT_OPEN,
  AWARD_PLACES_EXCEEDED,
  NOMINATION_ASSESSMENT_NOT_LOCKED,
  NOMINATION_CLOSED,
  NOMINATION_STANDARD_NOT_MET,
  NOMINEE_KIND_MISMATCH,
  REVIEW_CONFLICT_OF_INTEREST,
  REVIEW_NOT_OPEN,
  REVIEW_RECUSED,
  ROUND_AMOUNT_INVALID,
  ROUND_CLOSE_NOT_IN_YEAR,
  ROUND_CLOSE_PAST,
  ROUND_FUNDING_LINE_REQUIRED,
  ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY,
  ROUND_ORGANIZATION_KIND_REQUIRED,
} from '../../domain/awards.js';
import { FUNDING_LINE_EXHAUSTED, FUNDING_LINE_NOT_FOUND } from '../funding/errors.js';

export const ROUND_NOT_FOUND = 'ROUND_NOT_FOUND';
export const NOMINATION_NOT_FOUND = 'NOMINATION_NOT_FOUND';
export const NOMINEE_NOT_FOUND = 'NOMINEE_NOT_FOUND';
export const NOMINATION_EXISTS = 'NOMINATION_EXISTS';
export const ROUND_NOT_PUBLISHABLE = 'ROUND_NOT_PUBLISHABLE';

/** Besides these, the platform's codes (libs/errors): VALIDATION_FAILED, ROLE_REQUIRED, CURSOR_INVALID, VERSION_CONFLICT, … */
export const awardsErrors = defineErrorCodes({
  [CALENDAR_DATE_INVALID]: { kind: 'invalid_argument', when: 'a date that is not YYYY-MM-DD' },
  [ROUND_ORGANIZATION_KIND_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'an exemplary_organization round without organizationKind',
  },
  [ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY]: {
    kind: 'invalid_argument',
    when: 'organizationKind on a round that awards persons',
  },
  [ROUND_CLOSE_PAST]: { kind: 'invalid_argument', when: 'nominationsClose before today' },
  [ROUND_CLOSE_NOT_IN_YEAR]: {
    kind: 'invalid_argument',
    when: 'nominationsClose outside the round’s year and the year after',
  },
  [ROUND_AMOUNT_INVALID]: {
    kind: 'invalid_argument',
    when: 'materialAwardYuan not a decimal with at most two fraction digits from "0" to "1000000"',
  },
  [ROUND_FUNDING_LINE_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a material award above 0 without fundingLineId',
  },
  [NOMINEE_KIND_MISMATCH]: {
    kind: 'invalid_argument',
    when: 'a person nominated for organizations, an organization for persons, or an organization of another kind',
  },
  [APPROVAL_NOMINATION_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an approval naming a nomination that is not the round’s',
  },
  [REVIEW_CONFLICT_OF_INTEREST]: {
    kind: 'permission_denied',
    when: 'an expert scoring a nomination of an organization they belong to or administer, or of themselves',
  },
  [REVIEW_RECUSED]: {
    kind: 'permission_denied',
    when: 'an expert scoring a nomination they declared a recusal from',
  },
  [ROUND_NOT_FOUND]: { kind: 'not_found', when: 'no such round' },
  [NOMINATION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such nomination, or not one the caller may see',
  },
  [NOMINEE_NOT_FOUND]: {
    kind: 'not_found',
    when: 'registration knows no such organization or participant, or the caller may not nominate them',
  },
  [FUNDING_LINE_NOT_FOUND]: {
    kind: 'not_found',
    when: 'the round’s fundingLineId names no funding line of its year',
  },
  [NOMINATION_EXISTS]: {
    kind: 'conflict',
    when: 'the round already has a nomination of this nominee',
  },
  [NOMINATION_CLOSED]: {
    kind: 'conflict',
    when: 'a nomination after the round’s nominationsClose',
  },
  [AWARD_PLACES_EXCEEDED]: {
    kind: 'conflict',
    when: 'an approval that would award more than the round’s places',
  },
  [NOMINATION_ASSESSMENT_NOT_LOCKED]: {
    kind: 'failed_precondition',
    when: 'an exemplary organization without a locked assessment of the year',
  },
  [NOMINATION_STANDARD_NOT_MET]: {
    kind: 'failed_precondition',
    when: 'an exemplary organization whose locked assessment did not pass',
  },
  [REVIEW_NOT_OPEN]: {
    kind: 'failed_precondition',
    when: 'a review or recusal before nominations close or after publication',
  },
  [APPROVAL_NOT_OPEN]: {
    kind: 'failed_precondition',
    when: 'an approval before nominations close or after publication',
  },
  [ROUND_NOT_PUBLISHABLE]: {
    kind: 'failed_precondition',
    when: 'publishing a round that is published, still takes nominations, or has no award yet',
  },
  // Thrown by the funding slice's commitments (its catalogue, the same kind); listed here as the awards routes answer it.
  [FUNDING_LINE_EXHAUSTED]: {
    kind: 'failed_precondition',
    when: 'the round’s funding line has less left than the material award (awards approved before it stand)',
  },
});

export const roundNotFound = (): AppError =>
  awardsErrors.error(ROUND_NOT_FOUND, 'The award round was not found.');
export const nominationNotFound = (): AppError =>
  awardsErrors.error(NOMINATION_NOT_FOUND, 'The nomination was not found.');
export const nomineeNotFound = (): AppError =>
  awardsErrors.error(
    NOMINEE_NOT_FOUND,
    'No such organization or participant that you may nominate.',
  );
export const nominationExists = (): AppError =>
  awardsErrors.error(NOMINATION_EXISTS, 'The round already has a nomination of this nominee.');
export const fundingLineNotFound = (): AppError =>
  awardsErrors.error(FUNDING_LINE_NOT_FOUND, 'No such funding line in the round’s year.');
export const roundNotPublishable = (): AppError =>
  awardsErrors.error(
    ROUND_NOT_PUBLISHABLE,
    'A round is published once, after its nominations close and with at least one award.',
  );
export const reviewRecused = (): AppError =>
  awardsErrors.error(REVIEW_RECUSED, 'You declared a recusal from this nomination.');
