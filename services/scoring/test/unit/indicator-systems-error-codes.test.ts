import { readFileSync } from 'node:fs';
import { AppError, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  indicatorSystemErrors,
  INDICATOR_SYSTEM_REVISION_INVALID,
  systemExists,
  systemFrozen,
  systemNotFound,
  versionNotFound,
  yearInvalid,
} from '../../src/application/indicator-systems/errors.js';
import { checkIndicatorSystem, type IndicatorMethod } from '../../src/domain/evaluation.js';

/** What the domain check refuses `system` with. */
const refusalOf = (system: Parameters<typeof checkIndicatorSystem>[0]): AppError => {
  try {
    checkIndicatorSystem(system);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the system was accepted');
};

const yesNo: IndicatorMethod = { kind: 'yes_no', metric: 'recognized' };
const one = (method: IndicatorMethod, weight = 10_000, key = 'k') => ({
  key,
  name: '指标',
  weight,
  method,
});
const enterprise = (indicators: ReturnType<typeof one>[], passMark = 6000) => ({
  target: 'enterprise' as const,
  passMark,
  indicators,
});

describe('the indicator systems error codes', () => {
  it('when the README is read, then its indicator systems error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(indicatorSystemErrors.tableProblems(readme, 'indicator-systems-errors')).toEqual([]);
  });

  it('when the slice and the domain refuse, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      systemNotFound(),
      versionNotFound(3),
      systemFrozen(),
      systemExists({ id: 'x', name: '体系', year: 2026, target: 'enterprise' }),
      yearInvalid(2027),
      indicatorSystemErrors.error(INDICATOR_SYSTEM_REVISION_INVALID, 'If-Match'),
      refusalOf(enterprise([])),
      refusalOf(enterprise([one(yesNo, 5000)])),
      refusalOf(enterprise([one(yesNo, 0)])),
      refusalOf(enterprise([one(yesNo, 10_000, 'Bad Key')])),
      refusalOf(enterprise([one({ kind: 'yes_no', metric: 'supermarket' })])),
      refusalOf(enterprise([one({ kind: 'yes_no', metric: 'members' })])),
      refusalOf(
        enterprise([one({ kind: 'yes_no', metric: 'nothing' } as unknown as IndicatorMethod)]),
      ),
      refusalOf(enterprise([one(yesNo)], 10_001)),
    ];

    expect(refusals.map((error) => error.code).sort()).toEqual(
      [...indicatorSystemErrors.codes].sort(),
    );
    expect(indicatorSystemErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => indicatorSystemErrors.with(platformErrors)).not.toThrow();
  });
});
