import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_TOLERANCE,
  firstHeartbeat,
  JITTER_SECONDS,
  MAX_PLAYBACK_RATE,
  nextHeartbeat,
  PROGRESS_CLAIM_EXCEEDS_WALL_TIME,
  PROGRESS_HEARTBEAT_REPLAYED,
  PROGRESS_POSITION_INVALID,
  PROGRESS_SEQUENCE_INVALID,
  type Heartbeat,
  type LessonTerms,
  type Progress,
} from '../../../src/domain/progress.js';

const T0 = new Date('2026-04-01T08:00:00Z');
const later = (seconds: number, from: Date = T0) => new Date(from.getTime() + seconds * 1000);
const lesson: LessonTerms = { lengthSeconds: 600, requiredShare: 0.9 };
const beat = (sequence: number, positionSeconds: number, seek = false): Heartbeat => ({
  sequence,
  positionSeconds,
  seek,
});
const started = (position = 0, sequence = 1): Progress =>
  firstHeartbeat(lesson, beat(sequence, position), T0);

/** Plays `lesson` from `progress` in heartbeats every `every` seconds of wall time, at `rate`. */
function play(
  terms: LessonTerms,
  from: Progress,
  beats: number,
  every: number,
  rate = 1,
): { progress: Progress; completions: number } {
  let progress = from;
  let completions = 0;
  for (let i = 0; i < beats; i += 1) {
    const position = Math.min(terms.lengthSeconds, progress.positionSeconds + every * rate);
    const advance = nextHeartbeat(
      terms,
      progress,
      beat(progress.lastSequence + 1, position),
      later(every, progress.lastHeartbeatAt),
    );
    if (advance.completesNow) completions += 1;
    progress = advance.progress;
  }
  return { progress, completions };
}

describe('the first heartbeat', () => {
  it('when it arrives, then it starts the clock at its position and credits nothing', () => {
    expect(firstHeartbeat(lesson, beat(3, 120), T0)).toEqual({
      lastSequence: 3,
      lastHeartbeatAt: T0,
      positionSeconds: 120,
      creditedSeconds: 0,
      completedAt: null,
    });
  });

  it.each([
    [0, PROGRESS_SEQUENCE_INVALID],
    [-1, PROGRESS_SEQUENCE_INVALID],
    [1.5, PROGRESS_SEQUENCE_INVALID],
  ])('when the sequence is %s, then it is refused with %s', (sequence, code) => {
    expect(refusalOf(() => firstHeartbeat(lesson, beat(sequence, 0), T0))).toMatchObject({
      kind: 'invalid_argument',
      code,
    });
  });

  it.each([-0.001, 600.001, Number.NaN, Number.POSITIVE_INFINITY])(
    'when the position is %s, outside 0 to the length, then it is refused',
    (position) => {
      expect(refusalOf(() => firstHeartbeat(lesson, beat(1, position), T0))).toMatchObject({
        kind: 'invalid_argument',
        code: PROGRESS_POSITION_INVALID,
      });
    },
  );

  it('when the position is exactly the length, then it is accepted', () => {
    expect(firstHeartbeat(lesson, beat(1, 600), T0).positionSeconds).toBe(600);
  });
});

describe('a later heartbeat', () => {
  it('when the position advanced as much as the wall time, then that much is credited', () => {
    const advance = nextHeartbeat(lesson, started(), beat(2, 15), later(15));

    expect(advance.creditedNow).toBe(15);
    expect(advance.progress).toEqual({
      lastSequence: 2,
      lastHeartbeatAt: later(15),
      positionSeconds: 15,
      creditedSeconds: 15,
      completedAt: null,
    });
    expect(advance.completesNow).toBe(false);
  });

  it('when the position advanced a little more than the wall time, then the tolerance covers it and no more', () => {
    const within = nextHeartbeat(lesson, started(), beat(2, 16), later(15));
    const beyond = nextHeartbeat(lesson, started(), beat(2, 20), later(15));

    expect(within.creditedNow).toBe(16);
    expect(beyond.creditedNow).toBe(15 * (1 + CREDIT_TOLERANCE));
  });

  it('when played at double speed, then it is accepted but credited at wall time (plus the tolerance)', () => {
    const advance = nextHeartbeat(lesson, started(), beat(2, 30), later(15));

    expect(advance.progress.positionSeconds).toBe(30);
    expect(advance.creditedNow).toBeCloseTo(16.5, 6);
  });

  it('when the position moved more than the playback limit allows without seek, then it is refused', () => {
    const limit = MAX_PLAYBACK_RATE * 15 + JITTER_SECONDS;

    expect(nextHeartbeat(lesson, started(), beat(2, limit), later(15)).creditedNow).toBeCloseTo(
      16.5,
      6,
    );
    expect(
      refusalOf(() => nextHeartbeat(lesson, started(), beat(2, limit + 0.01), later(15))),
    ).toMatchObject({ kind: 'invalid_argument', code: PROGRESS_CLAIM_EXCEEDS_WALL_TIME });
  });

  it('when the learner jumps with seek, then the position moves, the clock restarts and nothing is credited', () => {
    const advance = nextHeartbeat(lesson, started(), beat(2, 500, true), later(15));

    expect(advance.creditedNow).toBe(0);
    expect(advance.progress).toMatchObject({
      positionSeconds: 500,
      creditedSeconds: 0,
      lastHeartbeatAt: later(15),
    });
  });

  it('when the learner went back, then the jump credits nothing and re-watching is credited again', () => {
    const at300 = play(lesson, started(), 20, 15).progress;
    const back = nextHeartbeat(
      lesson,
      at300,
      beat(at300.lastSequence + 1, 100),
      later(15, at300.lastHeartbeatAt),
    );

    expect(back.creditedNow).toBe(0);
    expect(back.progress.positionSeconds).toBe(100);
    const rewatched = nextHeartbeat(
      lesson,
      back.progress,
      beat(back.progress.lastSequence + 1, 115),
      later(15, back.progress.lastHeartbeatAt),
    );
    expect(rewatched.creditedNow).toBe(15);
  });

  it('when paused (the position stands), then nothing is credited however long the wait', () => {
    const advance = nextHeartbeat(lesson, started(60), beat(2, 60), later(3600));

    expect(advance.creditedNow).toBe(0);
  });

  it('when the server’s clock stepped back, then nothing is credited and an advance beyond the jitter is refused', () => {
    const before = later(-5);

    expect(nextHeartbeat(lesson, started(), beat(2, 1), before).creditedNow).toBe(0);
    expect(refusalOf(() => nextHeartbeat(lesson, started(), beat(2, 3), before))).toMatchObject({
      code: PROGRESS_CLAIM_EXCEEDS_WALL_TIME,
    });
  });

  it.each([1, 2])(
    'when the sequence is %s, not after the last accepted (2), then it is a replay and nothing is judged',
    (sequence) => {
      const progress = started(0, 2);

      expect(
        refusalOf(() => nextHeartbeat(lesson, progress, beat(sequence, 15), later(15))),
      ).toMatchObject({
        kind: 'conflict',
        code: PROGRESS_HEARTBEAT_REPLAYED,
      });
    },
  );

  it('when a sequence skips ahead, then it is accepted (lost heartbeats are not waited for)', () => {
    expect(nextHeartbeat(lesson, started(), beat(9, 15), later(15)).progress.lastSequence).toBe(9);
  });

  it('when the position is beyond the length, then it is refused before anything else', () => {
    expect(
      refusalOf(() => nextHeartbeat(lesson, started(), beat(1, 601), later(15))),
    ).toMatchObject({
      code: PROGRESS_POSITION_INVALID,
    });
  });
});

describe('credit and completion', () => {
  it('when a lesson is played through in real time, then it completes once, at the required share', () => {
    const { progress, completions } = play(lesson, started(), 40, 15);

    expect(completions).toBe(1);
    expect(progress.creditedSeconds).toBe(600);
    expect(progress.completedAt).not.toBeNull();
  });

  it('when the credit reaches exactly the required seconds, then that heartbeat completes it', () => {
    const at525 = play(lesson, started(), 35, 15).progress;
    expect(at525.creditedSeconds).toBe(525);
    expect(at525.completedAt).toBeNull();

    const advance = nextHeartbeat(
      lesson,
      at525,
      beat(at525.lastSequence + 1, 540),
      later(15, at525.lastHeartbeatAt),
    );

    expect(advance.progress.creditedSeconds).toBe(540);
    expect(advance.completesNow).toBe(true);
    expect(advance.progress.completedAt).toEqual(advance.progress.lastHeartbeatAt);
  });

  it('when the required share is not a whole number of seconds, then it is rounded up', () => {
    const odd: LessonTerms = { lengthSeconds: 601, requiredShare: 0.9 };
    const { progress } = play(odd, firstHeartbeat(odd, beat(1, 0), T0), 36, 15);
    expect(progress.creditedSeconds).toBe(540);
    const almost = nextHeartbeat(
      odd,
      progress,
      beat(progress.lastSequence + 1, 540.9),
      later(0.9, progress.lastHeartbeatAt),
    );
    expect(almost.progress.creditedSeconds).toBe(540.9);
    expect(almost.completesNow).toBe(false);
    const done = nextHeartbeat(
      odd,
      almost.progress,
      beat(almost.progress.lastSequence + 1, 541),
      later(0.1, almost.progress.lastHeartbeatAt),
    );
    expect(done.completesNow).toBe(true);
  });

  it('when played at double speed throughout, then the credit is the wall time and the lesson is not completed by half the time', () => {
    const { progress, completions } = play(lesson, started(), 20, 15, 2);

    expect(progress.positionSeconds).toBe(600);
    expect(progress.creditedSeconds).toBeCloseTo(330, 6);
    expect(completions).toBe(0);
  });

  it('when re-watching goes on after the length is credited, then the credit never passes the length and completion is not repeated', () => {
    const done = play(lesson, started(), 40, 15).progress;
    const back = nextHeartbeat(
      lesson,
      done,
      beat(done.lastSequence + 1, 0, true),
      later(1, done.lastHeartbeatAt),
    ).progress;
    const { progress, completions } = play(lesson, back, 40, 15);

    expect(progress.creditedSeconds).toBe(600);
    expect(completions).toBe(0);
    expect(progress.completedAt).toEqual(done.completedAt);
  });

  it('when heartbeats come many times a second, then the credit still follows the wall time', () => {
    const { progress } = play(lesson, started(), 600, 0.1, 1.09);

    expect(progress.creditedSeconds).toBeLessThanOrEqual(60 * (1 + CREDIT_TOLERANCE) + 1e-6);
    expect(progress.creditedSeconds).toBeGreaterThan(60);
  });

  it('when a lesson requires all of it, then only the full length completes it', () => {
    const all: LessonTerms = { lengthSeconds: 60, requiredShare: 1 };
    const { progress, completions } = play(all, firstHeartbeat(all, beat(1, 0), T0), 3, 15);
    expect(progress.creditedSeconds).toBe(45);
    expect(completions).toBe(0);
    expect(play(all, progress, 1, 15).completions).toBe(1);
  });
});
