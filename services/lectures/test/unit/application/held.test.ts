import { lectures } from '@learning/proto';
import { captureLogger } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { markHeld } from '../../../src/application/held/mark-held.js';
import { FakeAttendance, FakeSessions, session, T1 } from './feedback-fakes.js';

const HOUR = 3_600_000;
const ENDS = new Date('2026-04-10T11:00:00Z');

function world() {
  const sessions = new FakeSessions(
    session({ id: 's-due', endsAt: ENDS }),
    session({ id: 's-grace', endsAt: new Date(ENDS.getTime() + 30 * 60_000) }),
    session({ id: 's-cancelled', endsAt: ENDS, status: 'cancelled' }),
  );
  const attendance = new FakeAttendance();
  for (const subject of ['ann', 'bob'])
    void attendance.add({
      enrollmentId: `en-${subject}`,
      sessionId: 's-due',
      participantId: `p-${subject}`,
      accountSubject: subject,
      attendedAt: ENDS,
      townshipCode: T1,
      recordedAt: ENDS,
    });
  const { logger, lines } = captureLogger();
  const mark = markHeld({ sessions, attendance, logger, graceMs: HOUR, pageSize: 1 });
  return { sessions, mark, lines };
}

describe('marking sessions held', () => {
  it('when a session ended the grace ago, then it is marked held with its attendance and SessionHeld carries the count', async () => {
    const { sessions, mark } = world();
    const now = new Date(ENDS.getTime() + HOUR);

    expect(await mark(now, new AbortController().signal)).toBe(1);

    const held = sessions.held.get('s-due');
    expect(held?.count).toBe(2);
    const event = held?.events[0];
    expect(event?.type).toBe('lectures.session.held.v1');
    expect(lectures.SessionHeld.fromJSON(event?.data)).toMatchObject({
      attendanceCount: 2,
      session: { sessionId: 's-due', townshipCode: T1 },
    });
    expect(sessions.held.has('s-grace')).toBe(false);
    expect(sessions.held.has('s-cancelled')).toBe(false);
  });

  it('when the run repeats, then nothing is marked or published twice', async () => {
    const { sessions, mark } = world();
    const now = new Date(ENDS.getTime() + 2 * HOUR);

    expect(await mark(now, new AbortController().signal)).toBe(2);
    expect(await mark(now, new AbortController().signal)).toBe(0);
    expect([...sessions.held.keys()].sort()).toEqual(['s-due', 's-grace']);
  });

  it('when one session cannot be marked, then it is logged, the rest are marked, and the run ends', async () => {
    const { sessions, mark, lines } = world();
    sessions.failing.add('s-due');

    expect(await mark(new Date(ENDS.getTime() + 2 * HOUR), new AbortController().signal)).toBe(1);
    expect(sessions.held.has('s-grace')).toBe(true);
    expect(lines.some((line) => line['sessionId'] === 's-due')).toBe(true);
  });

  it('when the worker is stopping, then nothing more is marked', async () => {
    const { sessions, mark } = world();
    const stopping = new AbortController();
    stopping.abort();

    expect(await mark(new Date(ENDS.getTime() + 2 * HOUR), stopping.signal)).toBe(0);
    expect(sessions.held.size).toBe(0);
  });
});
