/**
 * One notice on one channel for one person: its id, and how failed sends are
 * retried. The id is the claim (decision 0017): inserted once, so a notice
 * seen twice is sent once.
 */
import type { Channel } from './notices.js';

export const deliveryIdOf = (noticeId: string, recipient: string, channel: Channel): string =>
  `${noticeId}:${recipient}:${channel}`;

/**
 * The source event a notice answers: its id is `<event id>` or
 * `<event id>:<suffix>`; a digest (`digest:…`) answers none.
 */
export const sourceEventIdOf = (noticeId: string): string =>
  noticeId.startsWith('digest:') ? '' : (noticeId.split(':')[0] ?? '');

/** Sends of one delivery, the first included, before a retryable failure counts as final. */
export const MAX_SEND_ATTEMPTS = 5;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/**
 * When a delivery whose `attempts`-th send failed retryably is sent again, or
 * null when it has had its attempts: a minute, doubling, at most an hour.
 */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_SEND_ATTEMPTS) return null;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS);
  return new Date(now.getTime() + delay);
}
