/**
 * The stable codes of a person's rights over their data (consents, their
 * copy, closing their account), each with its kind and meaning
 * (`privacyErrors`). The README's table is this catalogue's; a unit test
 * keeps the two the same.
 */
import { defineErrorCodes, type AppError, type FieldIssue } from '@learning/errors';
import { CONSENT_PURPOSE_REPEATED, CONSENT_TEXT_OUTDATED } from '../../domain/privacy.js';

export const DATA_EXPORT_NOT_FOUND = 'DATA_EXPORT_NOT_FOUND';
export const DATA_EXPORT_NOT_READY = 'DATA_EXPORT_NOT_READY';
export const ERASURE_REQUEST_NOT_FOUND = 'ERASURE_REQUEST_NOT_FOUND';
export const ERASURE_BLOCKED = 'ERASURE_BLOCKED';
export const ERASURE_CHECK_UNAVAILABLE = 'ERASURE_CHECK_UNAVAILABLE';
export const RECORD_REQUIRED = 'RECORD_REQUIRED';

export const privacyErrors = defineErrorCodes({
  [CONSENT_PURPOSE_REPEATED]: {
    kind: 'invalid_argument',
    when: 'a consent change that names one purpose twice',
  },
  [RECORD_REQUIRED]: {
    kind: 'not_found',
    when: 'your account has no participant record: there is nothing to consent, copy or erase',
  },
  [DATA_EXPORT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no copy with that id for your account (another person’s, removed after its retention, or never made)',
  },
  [ERASURE_REQUEST_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no request to close the account with that id for your account',
  },
  [CONSENT_TEXT_OUTDATED]: {
    kind: 'failed_precondition',
    when: 'a consent given or withdrawn against a text version that is not the current one: read `GET /v1/consent-texts` and show it',
  },
  [DATA_EXPORT_NOT_READY]: {
    kind: 'failed_precondition',
    when: 'the archive or summary of a copy some service has not answered for yet: see its progress',
  },
  [ERASURE_BLOCKED]: {
    kind: 'failed_precondition',
    when: 'closing the account would cut something open short; each detail names the service and obligation, explained, with when it resolves',
  },
  [ERASURE_CHECK_UNAVAILABLE]: {
    kind: 'unavailable',
    when: 'a service could not be asked what closing the account would cut short; try again later',
  },
});

export const recordRequired = (): AppError =>
  privacyErrors.error(
    RECORD_REQUIRED,
    'Your account has no participant record, so there is nothing of yours to show, copy or erase here.',
  );

export const consentTextOutdated = (purposes: readonly string[]): AppError =>
  privacyErrors.error(
    CONSENT_TEXT_OUTDATED,
    `The consent text you answered is not the current one for ${purposes.join(', ')}. ` +
      'Read the current text (GET /v1/consent-texts) and answer again.',
  );

export const dataExportNotFound = (): AppError =>
  privacyErrors.error(DATA_EXPORT_NOT_FOUND, 'There is no copy of your data with that id.');

export const dataExportNotReady = (): AppError =>
  privacyErrors.error(
    DATA_EXPORT_NOT_READY,
    'Your copy is still being gathered; its progress shows which services have answered.',
  );

export const erasureRequestNotFound = (): AppError =>
  privacyErrors.error(
    ERASURE_REQUEST_NOT_FOUND,
    'There is no request to close your account with that id.',
  );

export const erasureBlocked = (message: string, details: readonly FieldIssue[]): AppError =>
  privacyErrors.error(ERASURE_BLOCKED, message, { details });

export const erasureCheckUnavailable = (services: readonly string[]): AppError =>
  privacyErrors.error(
    ERASURE_CHECK_UNAVAILABLE,
    `Whether closing your account would cut something short could not be checked with ${services.join(', ')}. Please try again later; nothing was changed.`,
    { retryAfterSeconds: 60 },
  );
