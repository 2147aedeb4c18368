/**
 * The sessions slice's codes, its domain's scheduling rules' included, each
 * with its kind and meaning (`sessionErrors`; the README's session error
 * table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  SESSION_CAMPAIGN_NOT_LAUNCHED,
  SESSION_CAPACITY_INVALID,
  SESSION_FORUM_NOT_ACTIVE,
  SESSION_FORUM_UNKNOWN,
  SESSION_IN_PAST,
  SESSION_LENGTH_INVALID,
  SESSION_OUTSIDE_CAMPAIGN_DATES,
  SESSION_OUTSIDE_CAMPAIGN_SCOPE,
  SESSION_SIGN_UP_WINDOW_INVALID,
  SESSION_SPEAKER_CLASH,
  SESSION_SPEAKER_NOT_ACTIVE,
  SESSION_SPEAKER_NOT_IN_POOL,
  SESSION_SPEAKER_OUT_OF_RADIUS,
  SESSION_SPEAKER_UNAVAILABLE,
  SESSION_TIMES_INVALID,
  SESSION_VENUE_CLASH,
  SESSION_VENUE_NOT_IN_TOWNSHIP,
} from '../../domain/scheduling.js';

export const SESSION_NOT_FOUND = 'SESSION_NOT_FOUND';
export const SESSION_FORBIDDEN = 'SESSION_FORBIDDEN';
export const SESSION_VENUE_UNKNOWN = 'SESSION_VENUE_UNKNOWN';
export const SESSION_CAMPAIGN_UNKNOWN = 'SESSION_CAMPAIGN_UNKNOWN';
export const SESSION_AUDIENCE_REQUIRED = 'SESSION_AUDIENCE_REQUIRED';
export const SESSION_NOT_SCHEDULED = 'SESSION_NOT_SCHEDULED';
export const SESSION_CHANGE_EMPTY = 'SESSION_CHANGE_EMPTY';
export const SESSION_REASON_REQUIRED = 'SESSION_REASON_REQUIRED';
export const SESSION_CAPACITY_BELOW_ENROLLMENT = 'SESSION_CAPACITY_BELOW_ENROLLMENT';
export const SESSION_RANGE_INVALID = 'SESSION_RANGE_INVALID';
/** gRPC: the seating read takes only an id that can be a session's. */
export const SESSION_ID_INVALID = 'SESSION_ID_INVALID';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, UPSTREAM_FAILED, … */
export const sessionErrors = defineErrorCodes({
  [SESSION_TIMES_INVALID]: {
    kind: 'invalid_argument',
    when: 'a session that ends before, or when, it starts',
  },
  [SESSION_IN_PAST]: { kind: 'invalid_argument', when: 'a session that would start in the past' },
  [SESSION_LENGTH_INVALID]: {
    kind: 'invalid_argument',
    when: 'a session shorter than 15 minutes or longer than 8 hours',
  },
  [SESSION_SIGN_UP_WINDOW_INVALID]: {
    kind: 'invalid_argument',
    when: 'a sign-up window that does not open before it closes, or closes after the start',
  },
  [SESSION_CAPACITY_INVALID]: {
    kind: 'invalid_argument',
    when: 'a capacity that is not a whole number of seats, 1 or more, or `unlimited`',
  },
  [SESSION_FORUM_UNKNOWN]: { kind: 'invalid_argument', when: 'no forum with that id' },
  [SESSION_SPEAKER_NOT_IN_POOL]: {
    kind: 'invalid_argument',
    when: 'a speaker id that is not in the expert pool',
  },
  [SESSION_VENUE_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a `venueId` that is not in the venue catalogue',
  },
  [SESSION_VENUE_NOT_IN_TOWNSHIP]: {
    kind: 'invalid_argument',
    when: 'a venue that is not inside a township (乡镇) or street (街道)',
  },
  [SESSION_CAMPAIGN_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'no launched or closed campaign with that id',
  },
  [SESSION_OUTSIDE_CAMPAIGN_DATES]: {
    kind: 'invalid_argument',
    when: 'a session not within the campaign’s first and last day',
  },
  [SESSION_OUTSIDE_CAMPAIGN_SCOPE]: {
    kind: 'invalid_argument',
    when: 'a venue outside the campaign’s area',
  },
  [SESSION_AUDIENCE_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'no target tier given and none on the forum',
  },
  [SESSION_CHANGE_EMPTY]: {
    kind: 'invalid_argument',
    when: 'a reschedule that changes nothing',
  },
  [SESSION_REASON_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a reschedule or cancellation without a reason',
  },
  [SESSION_RANGE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a list range whose `to` is not after its `from`',
  },
  [SESSION_ID_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a session id that is not a lower-case UUID',
  },
  [SESSION_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'not the office nor a manager of the session’s forum',
  },
  [SESSION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such session, or one the caller may not see',
  },
  [SESSION_FORUM_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'a forum that is retired',
  },
  [SESSION_SPEAKER_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'a speaker who has retired from the pool',
  },
  [SESSION_SPEAKER_CLASH]: {
    kind: 'failed_precondition',
    when: 'a speaker who lectures elsewhere then, travel time between the venues included',
  },
  [SESSION_VENUE_CLASH]: {
    kind: 'failed_precondition',
    when: 'a venue that hosts another session then',
  },
  [SESSION_SPEAKER_UNAVAILABLE]: {
    kind: 'failed_precondition',
    when: 'a session outside one of a speaker’s availability windows',
  },
  [SESSION_SPEAKER_OUT_OF_RADIUS]: {
    kind: 'failed_precondition',
    when: 'a city-only speaker at a countryside venue',
  },
  [SESSION_CAMPAIGN_NOT_LAUNCHED]: {
    kind: 'failed_precondition',
    when: 'joining a campaign that is closed',
  },
  [SESSION_NOT_SCHEDULED]: {
    kind: 'failed_precondition',
    when: 'rescheduling or cancelling a session that is held or cancelled',
  },
  [SESSION_CAPACITY_BELOW_ENROLLMENT]: {
    kind: 'failed_precondition',
    when: 'a capacity below the seats already confirmed',
  },
});

export const sessionNotFound = (): AppError =>
  sessionErrors.error(SESSION_NOT_FOUND, 'The session was not found.');
