import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { deliveriesErrors, deliveriesForbidden } from '../../src/application/deliveries/errors.js';
import { entryNotFound, inboxErrors } from '../../src/application/inbox/errors.js';
import { recipientNotRegistered } from '../../src/application/me.js';
import {
  preferencesErrors,
  quietHoursInvalid,
  revisionConflict,
  timeZoneInvalid,
} from '../../src/application/preferences/errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the preferences, inbox and deliveries error codes', () => {
  it('when the README is read, then its preferences, inbox and deliveries tables are the catalogues', () => {
    expect(preferencesErrors.tableProblems(readme, 'preferences-errors')).toEqual([]);
    expect(inboxErrors.tableProblems(readme, 'inbox-errors')).toEqual([]);
    expect(deliveriesErrors.tableProblems(readme, 'deliveries-errors')).toEqual([]);
  });

  it('when the slices refuse, then each error has the status its catalogue entry gives', () => {
    const preferences = [
      timeZoneInvalid(),
      quietHoursInvalid(),
      revisionConflict(),
      recipientNotRegistered(),
    ];
    expect(preferences.map((error) => error.httpStatus)).toEqual([400, 400, 409, 404]);
    expect(preferencesErrors.problemsOf(preferences)).toEqual([]);
    expect(entryNotFound().httpStatus).toBe(404);
    expect(inboxErrors.problemsOf([entryNotFound(), recipientNotRegistered()])).toEqual([]);
    expect(deliveriesForbidden().httpStatus).toBe(403);
    expect(deliveriesErrors.problemsOf([deliveriesForbidden(), recipientNotRegistered()])).toEqual(
      [],
    );
  });

  it('when merged with each other and the platform catalogue, then no code means two things', () => {
    expect(() =>
      preferencesErrors.with(inboxErrors).with(deliveriesErrors).with(platformErrors),
    ).not.toThrow();
  });
});
