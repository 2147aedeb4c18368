/** Lectures' session events into activities' copy, over an in-memory fake of the repository. */
import { PermanentEventError } from '@learning/events';
import { lectures } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import {
  LectureSessionConflictError,
  lectureSessionChanges,
  recordLectureSessionChange,
  type LectureSessionRepository,
} from '../../../src/application/campaigns/lecture-sessions.js';
import type { LectureSession } from '../../../src/domain/lecture-sessions.js';

const EVENT_TIME = '2027-04-01T08:00:00.000Z';

class FakeSessions implements LectureSessionRepository {
  readonly stored = new Map<string, LectureSession>();
  /** Writes by "another delivery" just before each of the next `n` replaces. */
  interleaved = 0;
  replaces = 0;

  get(sessionId: string): Promise<LectureSession | null> {
    return Promise.resolve(this.stored.get(sessionId) ?? null);
  }

  replace(next: LectureSession, readVersion: Date | null): Promise<boolean> {
    this.replaces += 1;
    const current = this.stored.get(next.sessionId);
    if (this.interleaved > 0) {
      this.interleaved -= 1;
      const bumped = new Date((current?.version.getTime() ?? 0) + 1);
      this.stored.set(next.sessionId, { ...(current ?? next), version: bumped });
      return Promise.resolve(false);
    }
    if ((current?.version.getTime() ?? null) !== (readVersion?.getTime() ?? null))
      return Promise.resolve(false);
    this.stored.set(next.sessionId, next);
    return Promise.resolve(true);
  }
}

const summary = (overrides: Partial<lectures.SessionSummary> = {}): lectures.SessionSummary =>
  lectures.SessionSummary.fromPartial({
    sessionId: 's-1',
    campaignId: 'month-2027',
    townshipCode: '330281001000',
    jurisdictionPath: ['330281000000', '330281001000'],
    startsAt: new Date('2027-04-10T01:00:00Z'),
    ...overrides,
  });

describe('recording lectures’ session events', () => {
  it('when a session is scheduled, then its own time is the version and an empty campaign is none', () => {
    const scheduledAt = new Date('2027-03-20T02:00:00Z');
    expect(
      lectureSessionChanges.scheduled(
        lectures.SessionScheduled.fromPartial({
          session: summary({ campaignId: '' }),
          scheduledAt,
        }),
        EVENT_TIME,
      ),
    ).toEqual({
      sessionId: 's-1',
      status: 'scheduled',
      attendance: 0,
      version: scheduledAt,
      facts: {
        campaignId: null,
        townshipCode: '330281001000',
        jurisdictionPath: ['330281000000', '330281001000'],
        startsAt: new Date('2027-04-10T01:00:00Z'),
      },
    });
  });

  it('when an event lacks its own time, then the envelope’s is the version', () => {
    const change = lectureSessionChanges.held(
      lectures.SessionHeld.fromPartial({ session: summary(), attendanceCount: 37 }),
      EVENT_TIME,
    );
    expect(change).toMatchObject({ status: 'held', attendance: 37, version: new Date(EVENT_TIME) });
  });

  it('when a reschedule moves the session, then the new start is taken; a cancellation without the session keeps none', () => {
    const startsAt = new Date('2027-04-12T01:00:00Z');
    expect(
      lectureSessionChanges.rescheduled(
        lectures.SessionRescheduled.fromPartial({ sessionId: 's-1', startsAt, session: summary() }),
        EVENT_TIME,
      ).facts?.startsAt,
    ).toEqual(startsAt);
    expect(
      lectureSessionChanges.cancelled(
        lectures.SessionCancelled.fromPartial({ sessionId: 's-1', reason: '讲师生病' }),
        EVENT_TIME,
      ),
    ).toMatchObject({ sessionId: 's-1', status: 'cancelled', facts: null });
  });

  it('when an event names no session, then it is a dead letter, not a retry', () => {
    expect(() =>
      lectureSessionChanges.cancelled(lectures.SessionCancelled.fromPartial({}), EVENT_TIME),
    ).toThrow(PermanentEventError);
    expect(() =>
      lectureSessionChanges.held(lectures.SessionHeld.fromPartial({}), EVENT_TIME),
    ).toThrow(PermanentEventError);
  });

  it('when another delivery writes between the read and the write, then the change is decided again on what it wrote', async () => {
    const sessions = new FakeSessions();
    const record = recordLectureSessionChange({ sessions });
    const scheduled = lectureSessionChanges.scheduled(
      lectures.SessionScheduled.fromPartial({
        session: summary(),
        scheduledAt: new Date('2027-03-20T02:00:00Z'),
      }),
      EVENT_TIME,
    );
    sessions.interleaved = 2;
    expect(await record(scheduled)).toBe(true);
    expect(sessions.replaces).toBe(3);
    expect(sessions.stored.get('s-1')).toMatchObject({ status: 'scheduled' });
    expect(await record(scheduled)).toBe(false);
  });

  it('when the session keeps changing under every attempt, then the delivery fails to be retried later', async () => {
    const sessions = new FakeSessions();
    sessions.interleaved = 100;
    const record = recordLectureSessionChange({ sessions });
    await expect(
      record(
        lectureSessionChanges.held(
          lectures.SessionHeld.fromPartial({ session: summary(), attendanceCount: 3 }),
          EVENT_TIME,
        ),
      ),
    ).rejects.toThrow(LectureSessionConflictError);
  });
});
