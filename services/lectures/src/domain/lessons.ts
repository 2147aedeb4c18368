/**
 * A lesson of the online learning library (学习网): a video or a document
 * with a length in seconds (a document states its reading time), the share
 * of it a learner must be credited with to complete it, and its life cycle
 * (draft, published, withdrawn).
 */
import { invalid, precondition } from '@learning/domain';

export const LESSON_KINDS = ['video', 'document'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

export const LESSON_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

export const DEFAULT_REQUIRED_SHARE = 0.9;
export const MIN_REQUIRED_SHARE = 0.5;
export const MAX_REQUIRED_SHARE = 1;
/** Twelve hours: longer is a mistake, not a lesson. */
export const MAX_LESSON_SECONDS = 12 * 3600;

export const LESSON_LENGTH_INVALID = 'LESSON_LENGTH_INVALID';
export const LESSON_REQUIRED_SHARE_INVALID = 'LESSON_REQUIRED_SHARE_INVALID';
export const LESSON_CONTENT_URL_INVALID = 'LESSON_CONTENT_URL_INVALID';
export const LESSON_TRANSITION_NOT_ALLOWED = 'LESSON_TRANSITION_NOT_ALLOWED';

export type LessonAction = 'publish' | 'withdraw';

/** A whole number of seconds from 1 to twelve hours. */
export function assertLength(seconds: number): void {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_LESSON_SECONDS)
    throw invalid(
      LESSON_LENGTH_INVALID,
      `A lesson lasts a whole number of seconds from 1 to ${MAX_LESSON_SECONDS}.`,
    );
}

/** From half the lesson to all of it. */
export function assertRequiredShare(share: number): void {
  if (!Number.isFinite(share) || share < MIN_REQUIRED_SHARE || share > MAX_REQUIRED_SHARE)
    throw invalid(
      LESSON_REQUIRED_SHARE_INVALID,
      `The share required to complete a lesson is from ${MIN_REQUIRED_SHARE} to ${MAX_REQUIRED_SHARE}.`,
    );
}

/** Learners' browsers load the content: only https, so no page of the portal mixes content. */
export function assertContentUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(LESSON_CONTENT_URL_INVALID, 'The content URL is not a URL.');
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '')
    throw invalid(LESSON_CONTENT_URL_INVALID, 'The content URL must be an https:// address.');
}

/**
 * Seconds a learner must be credited with: the share of the length, rounded
 * up to a whole second (so 0.9 of 601 s is 541 s, never 540.9).
 */
export function requiredSeconds(lengthSeconds: number, requiredShare: number): number {
  // Rounded to microseconds first: 0.7 × 100 is 70.00000000000001 in binary.
  return Math.ceil(Math.round(lengthSeconds * requiredShare * 1e6) / 1e6);
}

/** The status after `action`; a draft or withdrawn lesson is published, a published one withdrawn. */
export function nextStatus(status: LessonStatus, action: LessonAction): LessonStatus {
  if (action === 'publish' && status !== 'published') return 'published';
  if (action === 'withdraw' && status === 'published') return 'withdrawn';
  throw precondition(
    LESSON_TRANSITION_NOT_ALLOWED,
    `A ${status} lesson cannot be ${action === 'publish' ? 'published' : 'withdrawn'}.`,
  );
}
