import { describe, expect, it } from 'vitest';
import {
  applyLectureSessionChange,
  type LectureSession,
  type LectureSessionChange,
  type LectureSessionFacts,
} from '../../../src/domain/lecture-sessions.js';

const at = (minute: number): Date => new Date(Date.UTC(2027, 3, 1, 8, minute));
const facts = (overrides: Partial<LectureSessionFacts> = {}): LectureSessionFacts => ({
  campaignId: 'month-2027',
  townshipCode: '330281001000',
  jurisdictionPath: ['330281000000', '330281001000', '330281001001'],
  startsAt: new Date(Date.UTC(2027, 3, 10, 1)),
  ...overrides,
});
const scheduled = (minute: number, overrides: Partial<LectureSessionFacts> = {}) =>
  ({
    sessionId: 's-1',
    status: 'scheduled',
    attendance: 0,
    version: at(minute),
    facts: facts(overrides),
  }) satisfies LectureSessionChange;
const cancelled = (minute: number, withFacts = true): LectureSessionChange => ({
  sessionId: 's-1',
  status: 'cancelled',
  attendance: 0,
  version: at(minute),
  facts: withFacts ? facts() : null,
});
const held = (minute: number, attendance: number): LectureSessionChange => ({
  sessionId: 's-1',
  status: 'held',
  attendance,
  version: at(minute),
  facts: facts(),
});

/** The copy after the changes in the order given. */
function replay(changes: readonly LectureSessionChange[]): LectureSession | null {
  let copy: LectureSession | null = null;
  for (const change of changes) copy = applyLectureSessionChange(copy, change) ?? copy;
  return copy;
}

describe('a lecture session copied from lectures’ events', () => {
  it('when a session is scheduled, then the copy holds its place, campaign and start', () => {
    expect(applyLectureSessionChange(null, scheduled(0))).toEqual({
      sessionId: 's-1',
      status: 'scheduled',
      attendance: 0,
      version: at(0),
      ...facts(),
    });
  });

  it('when a reschedule is newer, then it moves the session; when older than the copy, then nothing changes', () => {
    const later = new Date(Date.UTC(2027, 3, 12, 1));
    const copy = replay([scheduled(0), scheduled(5, { startsAt: later })]);
    expect(copy?.startsAt).toEqual(later);
    expect(applyLectureSessionChange(copy, scheduled(3))).toBeNull();
  });

  it('when the same change comes twice, then the second changes nothing', () => {
    const copy = replay([scheduled(0)]);
    expect(applyLectureSessionChange(copy, scheduled(0))).toBeNull();
  });

  it('when a stale reschedule arrives after the cancellation, then the session stays cancelled', () => {
    const copy = replay([scheduled(0), cancelled(10), scheduled(5, { startsAt: at(50) })]);
    expect(copy?.status).toBe('cancelled');
    expect(copy?.version).toEqual(at(10));
  });

  it('when a reschedule timed after the cancellation arrives, then a cancelled session is still not brought back', () => {
    const copy = replay([scheduled(0), cancelled(10), scheduled(20)]);
    expect(copy?.status).toBe('cancelled');
  });

  it('when the cancellation arrives first, then the scheduling that arrives after it changes nothing', () => {
    const copy = replay([cancelled(10), scheduled(0)]);
    expect(copy).toMatchObject({ status: 'cancelled', campaignId: 'month-2027' });
  });

  it('when a cancellation without the session arrives, then the copy keeps what it knew of the session', () => {
    const copy = replay([scheduled(0), cancelled(10, false)]);
    expect(copy).toMatchObject({ status: 'cancelled', ...facts() });
    expect(replay([cancelled(10, false)])).toMatchObject({
      status: 'cancelled',
      campaignId: null,
      townshipCode: null,
      jurisdictionPath: [],
    });
  });

  it('when the session is held, then its attendance is kept and a stale reschedule does not undo it', () => {
    const copy = replay([scheduled(0), held(30, 42), scheduled(20, { startsAt: at(59) })]);
    expect(copy).toMatchObject({ status: 'held', attendance: 42, version: at(30) });
  });

  it('whatever order the same changes arrive in, then the copy ends the same', () => {
    const [a, b, c] = [scheduled(0), scheduled(5, { townshipCode: '330281002000' }), cancelled(9)];
    const orders = [
      [a, b, c],
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
      [c, b, a],
    ];
    const ends = orders.map(replay);
    for (const end of ends) expect(end).toEqual(ends[0]);
    expect(ends[0]).toMatchObject({ status: 'cancelled', version: at(9) });
  });
});
