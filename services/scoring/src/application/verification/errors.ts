/**
 * The verification slice's codes (`verificationErrors`; the README's
 * verification error table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';

export const VERIFICATION_CODE_INVALID = 'VERIFICATION_CODE_INVALID';
export const VERIFICATION_CODE_UNKNOWN = 'VERIFICATION_CODE_UNKNOWN';
export const VERIFICATION_SHARING_WITHDRAWN = 'VERIFICATION_SHARING_WITHDRAWN';

export const verificationErrors = defineErrorCodes({
  [VERIFICATION_CODE_INVALID]: {
    kind: 'invalid_argument',
    when: 'not a code the city issued: malformed, mistyped or altered (checked before any look-up)',
  },
  [VERIFICATION_CODE_UNKNOWN]: {
    kind: 'not_found',
    when: 'a code that checks but was never issued by this deployment',
  },
  [VERIFICATION_SHARING_WITHDRAWN]: {
    kind: 'not_found',
    when: 'the person withdrew their consent to employers verifying their record: their codes no longer answer',
  },
});

export const codeInvalid = (): AppError =>
  verificationErrors.error(
    VERIFICATION_CODE_INVALID,
    'This is not a valid verification code. Check that it was typed exactly as printed.',
  );

export const codeUnknown = (): AppError =>
  verificationErrors.error(VERIFICATION_CODE_UNKNOWN, 'No record was issued with this code.');

export const sharingWithdrawn = (): AppError =>
  verificationErrors.error(
    VERIFICATION_SHARING_WITHDRAWN,
    'The person this record belongs to no longer allows it to be verified.',
  );
