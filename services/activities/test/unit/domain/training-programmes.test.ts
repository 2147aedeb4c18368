import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertChangeable,
  assertMayClose,
  assertMayLaunch,
  assertProgrammeYear,
  PROGRAMME_ALREADY_ENDED,
  PROGRAMME_CLOSED,
  PROGRAMME_NOT_DRAFT,
  PROGRAMME_NOT_LAUNCHED,
  PROGRAMME_REQUIRED_MINUTES_INVALID,
  PROGRAMME_YEAR_OUTSIDE,
  PROGRAMME_YEARS_INVALID,
  validateProgrammePlan,
} from '../../../src/domain/training-programmes.js';
import { MAX_PROGRAMME_YEARS } from '../../../src/domain/training.js';

const plan = { firstYear: 2026, lastYear: 2030, requiredMinutes: 40 * 60 };

describe('a programme’s plan', () => {
  it('when it runs five years and asks 40 hours, then it is valid', () => {
    expect(() => {
      validateProgrammePlan(plan);
    }).not.toThrow();
  });

  it(`when it runs more than ${MAX_PROGRAMME_YEARS} years, ends before it starts, or leaves 2000–2100, then PROGRAMME_YEARS_INVALID`, () => {
    for (const years of [
      { firstYear: 2026, lastYear: 2026 + MAX_PROGRAMME_YEARS },
      { firstYear: 2027, lastYear: 2026 },
      { firstYear: 1999, lastYear: 2001 },
      { firstYear: 2099, lastYear: 2101 },
    ])
      expect(
        refusalOf(() => {
          validateProgrammePlan({ ...plan, ...years });
        }).code,
      ).toBe(PROGRAMME_YEARS_INVALID);
    expect(() => {
      validateProgrammePlan({ ...plan, lastYear: 2026 + MAX_PROGRAMME_YEARS - 1 });
    }).not.toThrow();
  });

  it('when the required minutes are not a whole number from 1 to 60,000, then PROGRAMME_REQUIRED_MINUTES_INVALID', () => {
    for (const requiredMinutes of [0, 1.5, 60_001])
      expect(
        refusalOf(() => {
          validateProgrammePlan({ ...plan, requiredMinutes });
        }).code,
      ).toBe(PROGRAMME_REQUIRED_MINUTES_INVALID);
  });
});

describe('a programme’s status moves', () => {
  it('when a draft whose last year is not over is launched, then it may be', () => {
    expect(() => {
      assertMayLaunch({ status: 'draft', lastYear: 2026 }, 2026);
    }).not.toThrow();
  });

  it('when a launched programme is launched again, then PROGRAMME_NOT_DRAFT', () => {
    expect(
      refusalOf(() => {
        assertMayLaunch({ status: 'launched', lastYear: 2030 }, 2026);
      }).code,
    ).toBe(PROGRAMME_NOT_DRAFT);
  });

  it('when its last year is over, then PROGRAMME_ALREADY_ENDED', () => {
    expect(
      refusalOf(() => {
        assertMayLaunch({ status: 'draft', lastYear: 2025 }, 2026);
      }).code,
    ).toBe(PROGRAMME_ALREADY_ENDED);
  });

  it('when a draft or closed programme is closed, then PROGRAMME_NOT_LAUNCHED; a launched one closes', () => {
    expect(
      refusalOf(() => {
        assertMayClose({ status: 'draft' });
      }).code,
    ).toBe(PROGRAMME_NOT_LAUNCHED);
    expect(
      refusalOf(() => {
        assertMayClose({ status: 'closed' });
      }).code,
    ).toBe(PROGRAMME_NOT_LAUNCHED);
    expect(() => {
      assertMayClose({ status: 'launched' });
    }).not.toThrow();
  });

  it('when a closed programme would change, then PROGRAMME_CLOSED; drafts and launched ones change', () => {
    expect(
      refusalOf(() => {
        assertChangeable('closed');
      }).code,
    ).toBe(PROGRAMME_CLOSED);
    expect(() => {
      assertChangeable('draft');
      assertChangeable('launched');
    }).not.toThrow();
  });

  it('when a year outside the programme is named, then PROGRAMME_YEAR_OUTSIDE', () => {
    expect(
      refusalOf(() => {
        assertProgrammeYear(plan, 2031);
      }).code,
    ).toBe(PROGRAMME_YEAR_OUTSIDE);
    expect(
      refusalOf(() => {
        assertProgrammeYear(plan, 2025);
      }).code,
    ).toBe(PROGRAMME_YEAR_OUTSIDE);
    expect(() => {
      assertProgrammeYear(plan, 2030);
    }).not.toThrow();
  });
});
