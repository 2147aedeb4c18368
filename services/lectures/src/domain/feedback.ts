/**
 * Feedback on a lecture session: a rating from 1 to 5 and an optional short
 * comment, once per attendee, from the session's start on. A comment that
 * contains a blocked word is kept but flagged, and shown to no one but the
 * forum's managers until one of them reviews it. Aggregates count ratings
 * only of feedback whose author's attendance still stands.
 */
import { forbidden, invalid, precondition } from '@learning/domain';
import type { SessionStatus } from './sessions.js';

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

/** Characters (code points) a comment may have once normalized to NFC. */
export const COMMENT_MAX_LENGTH = 500;

/**
 * `none`: no comment. `published`: shown in the lists. `pending_review`:
 * flagged, waiting for a manager. `hidden`: a manager kept it out of the lists.
 */
export const COMMENT_STATUSES = ['none', 'published', 'pending_review', 'hidden'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const REVIEW_DECISIONS = ['publish', 'hide'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const FEEDBACK_RATING_INVALID = 'FEEDBACK_RATING_INVALID';
export const FEEDBACK_COMMENT_TOO_LONG = 'FEEDBACK_COMMENT_TOO_LONG';
export const FEEDBACK_NOT_ATTENDEE = 'FEEDBACK_NOT_ATTENDEE';
export const FEEDBACK_SESSION_NOT_STARTED = 'FEEDBACK_SESSION_NOT_STARTED';
export const FEEDBACK_SESSION_CANCELLED = 'FEEDBACK_SESSION_CANCELLED';
export const FEEDBACK_NOT_FLAGGED = 'FEEDBACK_NOT_FLAGGED';

/** A whole number from 1 to 5. */
export function validateRating(rating: number): Rating {
  if (!Number.isInteger(rating) || rating < RATING_MIN || rating > RATING_MAX)
    throw invalid(
      FEEDBACK_RATING_INVALID,
      `A rating is a whole number from ${RATING_MIN} to ${RATING_MAX}.`,
    );
  return rating as Rating;
}

/** Characters as JSON Schema's maxLength counts them: code points, not UTF-16 units. */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const codePoints = (text: string): number =>
  text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);

/**
 * The comment as stored: NFC, trimmed; null when there is none or it is blank.
 * Counted in code points after normalization, so a decomposed é is one character.
 */
export function normalizeComment(comment: string | null | undefined): string | null {
  if (comment === null || comment === undefined) return null;
  const normalized = comment.normalize('NFC').trim();
  if (normalized.length === 0) return null;
  if (codePoints(normalized) > COMMENT_MAX_LENGTH)
    throw invalid(
      FEEDBACK_COMMENT_TOO_LONG,
      `A comment has at most ${COMMENT_MAX_LENGTH} characters.`,
    );
  return normalized;
}

export interface RateableSession {
  readonly status: SessionStatus;
  readonly startsAt: Date;
}

/** A session can be rated from its start on, unless it was cancelled. */
export function assertRateable(session: RateableSession, now: Date): void {
  if (session.status === 'cancelled')
    throw precondition(FEEDBACK_SESSION_CANCELLED, 'A cancelled session cannot be rated.');
  if (now.getTime() < session.startsAt.getTime())
    throw precondition(FEEDBACK_SESSION_NOT_STARTED, 'A session can be rated once it has started.');
}

/**
 * Only people registration recorded as attending rate a session: the
 * attendee's participant id, which the feedback keeps so the person's rights
 * reach it even once the attendance is withdrawn.
 */
export function attendingParticipant(participantId: string | null): string {
  if (participantId === null)
    throw forbidden(FEEDBACK_NOT_ATTENDEE, 'Only people who attended the session can rate it.');
  return participantId;
}

/**
 * Text folded for matching: compatibility forms unified (full-width letters,
 * ligatures), case folded, and everything but letters and digits dropped, so
 * spacing, punctuation, symbols or zero-width characters between the
 * characters of a word do not hide it ("傻 逼", "S.P.A.M", "ｓｐａｍ").
 */
export const foldForMatching = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** The blocked words folded as comments are, blanks and repeats dropped. */
export const foldedWordList = (words: readonly string[]): readonly string[] => [
  ...new Set(words.map(foldForMatching).filter((word) => word.length > 0)),
];

/** Whether the comment contains a word of the (folded) list. */
export const containsBlockedWord = (comment: string, foldedWords: readonly string[]): boolean => {
  const folded = foldForMatching(comment);
  return foldedWords.some((word) => folded.includes(word));
};

/** How a new comment starts: published, or held for review when it contains a blocked word. */
export function commentStatusOf(
  comment: string | null,
  foldedWords: readonly string[],
): { readonly status: CommentStatus; readonly flagged: boolean } {
  if (comment === null) return { status: 'none', flagged: false };
  const flagged = containsBlockedWord(comment, foldedWords);
  return { status: flagged ? 'pending_review' : 'published', flagged };
}

/**
 * A manager's review of a flagged comment: shown or kept hidden. A decision
 * may be changed later; a comment that was never flagged has nothing to review.
 */
export function reviewedStatus(flagged: boolean, decision: ReviewDecision): CommentStatus {
  if (!flagged) throw precondition(FEEDBACK_NOT_FLAGGED, 'Only a flagged comment is reviewed.');
  return decision === 'publish' ? 'published' : 'hidden';
}

/** Ratings counted per value, 1 to 5. */
export type Distribution = Readonly<Record<`${Rating}`, number>>;

export interface RatingSummary {
  readonly count: number;
  /** Rounded to two decimals; null when nobody rated. */
  readonly mean: number | null;
  readonly distribution: Distribution;
}

/** Count, mean and distribution from counts per rating value (values outside 1–5 are ignored). */
export function summarize(countsByRating: ReadonlyMap<number, number>): RatingSummary {
  const distribution = Object.fromEntries(
    RATINGS.map((rating) => [String(rating), countsByRating.get(rating) ?? 0]),
  ) as Record<`${Rating}`, number>;
  const count = RATINGS.reduce((sum, rating) => sum + distribution[`${rating}`], 0);
  const total = RATINGS.reduce((sum, rating) => sum + rating * distribution[`${rating}`], 0);
  return {
    count,
    mean: count === 0 ? null : Math.round((total / count) * 100) / 100,
    distribution,
  };
}
