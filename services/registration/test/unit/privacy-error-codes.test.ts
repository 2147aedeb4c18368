import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  consentTextOutdated,
  dataExportNotFound,
  dataExportNotReady,
  erasureBlocked,
  erasureCheckUnavailable,
  erasureRequestNotFound,
  privacyErrors,
  recordRequired,
} from '../../src/application/privacy/errors.js';
import { checkConsentChoices } from '../../src/domain/privacy.js';
import { appRefusalOf } from './error-code-checks.js';

describe('the personal data rights’ error codes', () => {
  it('when the README is read, then its rights error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(privacyErrors.tableProblems(readme, 'privacy-errors')).toEqual([]);
  });

  it('when the slice throws, then each error has the status its catalogue entry gives', () => {
    expect(
      privacyErrors.problemsOf([
        recordRequired(),
        consentTextOutdated(['publicity']),
        dataExportNotFound(),
        dataExportNotReady(),
        erasureRequestNotFound(),
        erasureBlocked('blocked', []),
        erasureCheckUnavailable(['scoring']),
        appRefusalOf(() => {
          checkConsentChoices([
            { purpose: 'publicity', given: true, textVersion: 'v' },
            { purpose: 'publicity', given: false, textVersion: 'v' },
          ]);
        }),
      ]),
    ).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => privacyErrors.with(platformErrors)).not.toThrow();
  });
});
