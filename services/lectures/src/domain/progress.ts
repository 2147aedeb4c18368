/**
 * A learner's progress through a lesson, from the heartbeats the portal
 * sends while the lesson plays (or the document is open). The server's clock
 * decides how much may be credited; the client only says where it is.
 *
 * - The first heartbeat starts the clock at its position and credits nothing.
 * - Each later heartbeat needs a greater sequence than the last accepted one;
 *   any other is a replay (PROGRESS_HEARTBEAT_REPLAYED) and changes nothing.
 * - Credit grows by the position's advance, but by at most the wall time since
 *   the last accepted heartbeat plus CREDIT_TOLERANCE of it (the portal's
 *   timers and the network jitter), and never beyond the lesson's length.
 *   Faster playback is therefore accepted and credited at wall time.
 * - An advance more than MAX_PLAYBACK_RATE × the wall time plus JITTER_SECONDS
 *   is not playback: it is refused (PROGRESS_CLAIM_EXCEEDS_WALL_TIME), and
 *   nothing changes. A jump the person made on purpose is sent with `seek`:
 *   it moves the position and restarts the clock, crediting nothing.
 * - Going back (re-watching) credits nothing for the jump; time spent
 *   re-watching is credited like any other, within the lesson's length.
 * - The progress completes once, when the credit first reaches the lesson's
 *   required seconds.
 */
import { conflict, invalid } from '@learning/domain';
import { requiredSeconds } from './lessons.js';

/** Credit may exceed the wall time by this share of it, never more. */
export const CREDIT_TOLERANCE = 0.1;
/** Beyond this playback rate an advance is a claim, not playback. */
export const MAX_PLAYBACK_RATE = 2;
/** Seconds of network and timer jitter allowed on top, in the refusal rule only (never credited). */
export const JITTER_SECONDS = 2;

export const PROGRESS_SEQUENCE_INVALID = 'PROGRESS_SEQUENCE_INVALID';
export const PROGRESS_POSITION_INVALID = 'PROGRESS_POSITION_INVALID';
export const PROGRESS_HEARTBEAT_REPLAYED = 'PROGRESS_HEARTBEAT_REPLAYED';
export const PROGRESS_CLAIM_EXCEEDS_WALL_TIME = 'PROGRESS_CLAIM_EXCEEDS_WALL_TIME';

export interface LessonTerms {
  readonly lengthSeconds: number;
  /** 0.5 to 1. */
  readonly requiredShare: number;
}

export interface Heartbeat {
  /** Strictly increasing per learner and lesson. */
  readonly sequence: number;
  /** Where the learner is in the lesson, in seconds. */
  readonly positionSeconds: number;
  /** The learner jumped here on purpose: move, credit nothing. */
  readonly seek: boolean;
}

export interface Progress {
  readonly lastSequence: number;
  /** The server's time of the last accepted heartbeat. */
  readonly lastHeartbeatAt: Date;
  readonly positionSeconds: number;
  readonly creditedSeconds: number;
  readonly completedAt: Date | null;
}

export interface Advance {
  readonly progress: Progress;
  /** Seconds this heartbeat added. */
  readonly creditedNow: number;
  /** True only for the heartbeat that completes the lesson. */
  readonly completesNow: boolean;
}

/** Milliseconds are the clock's grain; finer credit is noise. */
const toMillis = (seconds: number): number => Math.round(seconds * 1000) / 1000;

function assertHeartbeat(terms: LessonTerms, heartbeat: Heartbeat): void {
  if (!Number.isSafeInteger(heartbeat.sequence) || heartbeat.sequence < 1)
    throw invalid(PROGRESS_SEQUENCE_INVALID, 'A heartbeat’s sequence is a whole number from 1.');
  const position = heartbeat.positionSeconds;
  if (!Number.isFinite(position) || position < 0 || position > terms.lengthSeconds)
    throw invalid(
      PROGRESS_POSITION_INVALID,
      `The position is from 0 to the lesson’s length (${terms.lengthSeconds} s).`,
    );
}

/** The first heartbeat: the clock starts here, nothing is credited. */
export function firstHeartbeat(terms: LessonTerms, heartbeat: Heartbeat, now: Date): Progress {
  assertHeartbeat(terms, heartbeat);
  return {
    lastSequence: heartbeat.sequence,
    lastHeartbeatAt: now,
    positionSeconds: heartbeat.positionSeconds,
    creditedSeconds: 0,
    completedAt: null,
  };
}

/** A later heartbeat, judged against the last accepted one at `now` (the server's clock). */
export function nextHeartbeat(
  terms: LessonTerms,
  progress: Progress,
  heartbeat: Heartbeat,
  now: Date,
): Advance {
  assertHeartbeat(terms, heartbeat);
  if (heartbeat.sequence <= progress.lastSequence)
    throw conflict(
      PROGRESS_HEARTBEAT_REPLAYED,
      `Heartbeat ${heartbeat.sequence} is not after the last accepted one (${progress.lastSequence}).`,
    );
  // A clock that stepped back (another replica's) allows nothing rather than a negative span.
  const elapsed = Math.max(0, (now.getTime() - progress.lastHeartbeatAt.getTime()) / 1000);
  const advance = heartbeat.positionSeconds - progress.positionSeconds;
  if (!heartbeat.seek && advance > MAX_PLAYBACK_RATE * elapsed + JITTER_SECONDS)
    throw invalid(
      PROGRESS_CLAIM_EXCEEDS_WALL_TIME,
      `The position moved ${toMillis(advance)} s in ${toMillis(elapsed)} s; send a jump with seek.`,
    );
  const allowance = elapsed * (1 + CREDIT_TOLERANCE);
  const room = Math.max(0, terms.lengthSeconds - progress.creditedSeconds);
  const creditedNow = heartbeat.seek
    ? 0
    : toMillis(Math.min(Math.max(0, advance), allowance, room));
  const creditedSeconds = toMillis(progress.creditedSeconds + creditedNow);
  const completesNow =
    progress.completedAt === null &&
    creditedSeconds >= requiredSeconds(terms.lengthSeconds, terms.requiredShare);
  return {
    progress: {
      lastSequence: heartbeat.sequence,
      lastHeartbeatAt: now,
      positionSeconds: heartbeat.positionSeconds,
      creditedSeconds,
      completedAt: completesNow ? now : progress.completedAt,
    },
    creditedNow,
    completesNow,
  };
}
