import { describe, expect, it } from 'vitest';
import { heldCutoff, isHeldDue } from '../../../src/domain/held.js';

const ends = new Date('2026-04-10T11:00:00Z');
const HOUR = 3_600_000;

describe('when a session is held', () => {
  it('when the grace after its end has passed, then a scheduled session is due', () => {
    expect(
      isHeldDue({ status: 'scheduled', endsAt: ends }, new Date(ends.getTime() + HOUR), HOUR),
    ).toBe(true);
  });

  it('when the grace has not passed, then it is not due yet', () => {
    expect(
      isHeldDue({ status: 'scheduled', endsAt: ends }, new Date(ends.getTime() + HOUR - 1), HOUR),
    ).toBe(false);
  });

  it('when it is cancelled or held already, then it is never due', () => {
    const later = new Date(ends.getTime() + 10 * HOUR);
    expect(isHeldDue({ status: 'cancelled', endsAt: ends }, later, HOUR)).toBe(false);
    expect(isHeldDue({ status: 'held', endsAt: ends }, later, HOUR)).toBe(false);
  });

  it('when the cutoff is asked, then it is now less the grace', () => {
    expect(heldCutoff(new Date(ends.getTime() + HOUR), HOUR)).toEqual(ends);
  });
});
