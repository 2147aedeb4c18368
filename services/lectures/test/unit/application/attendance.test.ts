import { describe, expect, it } from 'vitest';
import { keepAttendance } from '../../../src/application/attendance/keep-attendance.js';
import { submitFeedback } from '../../../src/application/feedback/submit-feedback.js';
import {
  FakeAttendance,
  FakeFeedback,
  FakeSessions,
  person,
  session,
  T1,
} from './feedback-fakes.js';

const NOW = new Date('2026-04-10T12:00:00Z');

function world() {
  const sessions = new FakeSessions(session());
  const attendance = new FakeAttendance();
  const feedback = new FakeFeedback();
  const keep = keepAttendance({ sessions, attendance, feedback, clock: () => NOW });
  const submit = submitFeedback({
    sessions,
    attendance,
    feedback,
    blockedWords: [],
    clock: () => NOW,
  });
  return { attendance, feedback, keep, submit };
}

const recorded = {
  enrollmentId: 'en-1',
  sessionId: 's-1',
  participantId: 'p-1',
  accountSubject: 'ann',
  attendedAt: new Date('2026-04-10T11:30:00Z'),
};

describe('keeping the attendance copy', () => {
  it("when attendance is recorded, then it is kept with the session's township, once however often it comes", async () => {
    const { attendance, keep } = world();

    expect(await keep.record(recorded)).toBe('recorded');
    expect(await keep.record(recorded)).toBe('already_recorded');

    expect([...attendance.records.values()]).toEqual([
      { ...recorded, townshipCode: T1, recordedAt: NOW },
    ]);
  });

  it('when the session is unknown, then nothing is kept and the outcome says so', async () => {
    const { attendance, keep } = world();

    expect(await keep.record({ ...recorded, sessionId: 's-none' })).toBe('unknown_session');
    expect(attendance.records.size).toBe(0);
  });

  it('when attendance is withdrawn, then the record goes and the feedback given stays stored but out of the aggregates; a repeat changes nothing', async () => {
    const { attendance, feedback, keep, submit } = world();
    await keep.record(recorded);
    const given = await submit(person('ann'), 's-1', { rating: 5, comment: '好' });

    expect(await keep.withdraw('en-1')).toBe(true);
    expect(await keep.withdraw('en-1')).toBe(false);

    expect(attendance.records.size).toBe(0);
    expect(feedback.stored.get(given.id)?.withdrawn).toBe(true);
    expect((await feedback.summary({ sessionId: 's-1' })).count).toBe(0);
  });

  it('when attendance is recorded again after a withdrawal, then the feedback counts again', async () => {
    const { feedback, keep, submit } = world();
    await keep.record(recorded);
    const given = await submit(person('ann'), 's-1', { rating: 4 });
    await keep.withdraw('en-1');

    expect(await keep.record({ ...recorded, enrollmentId: 'en-2' })).toBe('recorded');

    expect(feedback.stored.get(given.id)?.withdrawn).toBe(false);
    expect((await feedback.summary({ sessionId: 's-1' })).count).toBe(1);
  });
});
