import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  deliveryNotFound,
  filterOutOfScope,
  subscriptionDisabled,
  subscriptionNotFound,
  webhooksErrors,
} from '../../src/application/webhooks/errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the webhooks error codes', () => {
  it('when the README is read, then its webhooks table is the catalogue', () => {
    expect(webhooksErrors.tableProblems(readme, 'webhooks-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const errors = [
      subscriptionNotFound(),
      subscriptionDisabled(),
      filterOutOfScope('another department'),
      deliveryNotFound(),
    ];

    expect(errors.map((error) => error.httpStatus)).toEqual([404, 409, 403, 404]);
    expect(webhooksErrors.problemsOf(errors)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => webhooksErrors.with(platformErrors)).not.toThrow();
  });
});
