import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  accountAlreadyRegistered,
  participantAlreadyClaimed,
  participantAlreadyRegistered,
  participantClaimRefused,
  participantClaimRequired,
  participantErrors,
  participantNotFound,
} from '../../src/application/participants/errors.js';

describe('the participant error codes', () => {
  it('when the README is read, then its participant error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(participantErrors.tableProblems(readme, 'participant-errors')).toEqual([]);
  });

  it('when the slice throws, then each error has the status its catalogue entry gives', () => {
    expect(
      participantErrors.problemsOf([
        participantNotFound(),
        participantAlreadyRegistered(),
        participantClaimRequired(),
        participantAlreadyClaimed(),
        participantClaimRefused(),
        accountAlreadyRegistered(),
      ]),
    ).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => participantErrors.with(platformErrors)).not.toThrow();
  });
});
