/**
 * The activities slice's codes (venues' and the gRPC reads' included), each
 * with its kind and meaning (`activityErrors`; the README's activity error
 * table is its table), and where the slice turns its own refusals into
 * AppErrors.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  ACTIVITY_AGE_BAND_INVALID,
  ACTIVITY_CANCEL_REASON_REQUIRED,
  ACTIVITY_CAPACITY_BELOW_ENROLLMENT,
  ACTIVITY_CAPACITY_INVALID,
  ACTIVITY_FORBIDDEN,
  ACTIVITY_NOT_ENDED,
  ACTIVITY_NOT_STARTED,
  ACTIVITY_REASON_TOO_LONG,
  ACTIVITY_SCHEDULE_REQUIRED,
  ACTIVITY_SCHEDULE_UNCHANGED,
  ACTIVITY_SIGN_UP_WINDOW_INVALID,
  ACTIVITY_TRANSITION_NOT_ALLOWED,
  ACTIVITY_VENUE_REQUIRED,
} from '../../domain/activity-lifecycle.js';
import {
  SCHEDULE_EMPTY,
  SCHEDULE_ENDS_BEFORE_START,
  SCHEDULE_IN_PAST,
  SCHEDULE_INVALID_INSTANT,
  SCHEDULE_SESSIONS_OVERLAP,
  SCHEDULE_TOO_MANY_SESSIONS,
} from '../../domain/schedule.js';

export const ACTIVITY_NOT_FOUND = 'ACTIVITY_NOT_FOUND';
export const ACTIVITY_VENUE_UNKNOWN = 'ACTIVITY_VENUE_UNKNOWN';
export const ACTIVITY_CAMPAIGN_UNKNOWN = 'ACTIVITY_CAMPAIGN_UNKNOWN';
export const ACTIVITY_CAMPAIGN_CLOSED = 'ACTIVITY_CAMPAIGN_CLOSED';
export const ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE = 'ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE';
export const ACTIVITY_NOT_DRAFT = 'ACTIVITY_NOT_DRAFT';
export const ACTIVITY_CHANGE_EMPTY = 'ACTIVITY_CHANGE_EMPTY';
export const ACTIVITY_AUDIENCE_REQUIRED = 'ACTIVITY_AUDIENCE_REQUIRED';
export const ACTIVITY_SEARCH_EMPTY = 'ACTIVITY_SEARCH_EMPTY';
export const ACTIVITY_RANGE_INVALID = 'ACTIVITY_RANGE_INVALID';
export const ACTIVITY_ORGANIZER_UNKNOWN = 'ACTIVITY_ORGANIZER_UNKNOWN';
export const ACTIVITY_ORGANIZER_NOT_ACTIVE = 'ACTIVITY_ORGANIZER_NOT_ACTIVE';
/** gRPC: `ListActivities` without a place or both ends of its range. */
export const ACTIVITY_LIST_QUERY_INVALID = 'ACTIVITY_LIST_QUERY_INVALID';
/** gRPC: the seating reads take only an id that can be an activity's. */
export const ACTIVITY_ID_INVALID = 'ACTIVITY_ID_INVALID';

/** gRPC: `GetVenues` takes 1 to 100 ids. */
export const VENUE_IDS_INVALID = 'VENUE_IDS_INVALID';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, VERSION_CONFLICT, … */
export const activityErrors = defineErrorCodes({
  [SCHEDULE_INVALID_INSTANT]: {
    kind: 'invalid_argument',
    when: 'a session whose start or end is not a date',
  },
  [SCHEDULE_ENDS_BEFORE_START]: {
    kind: 'invalid_argument',
    when: 'a session that ends before, or when, it starts',
  },
  [SCHEDULE_EMPTY]: { kind: 'invalid_argument', when: 'a series without dates' },
  [SCHEDULE_TOO_MANY_SESSIONS]: {
    kind: 'invalid_argument',
    when: 'a series of more dates than the limit',
  },
  [SCHEDULE_SESSIONS_OVERLAP]: { kind: 'invalid_argument', when: 'two dates of a series overlap' },
  [SCHEDULE_IN_PAST]: { kind: 'invalid_argument', when: 'a schedule that starts in the past' },
  [ACTIVITY_SCHEDULE_UNCHANGED]: {
    kind: 'invalid_argument',
    when: 'a reschedule to the schedule the activity has',
  },
  [ACTIVITY_SIGN_UP_WINDOW_INVALID]: {
    kind: 'invalid_argument',
    when: 'a sign-up window that closes before it opens, or after the activity ends',
  },
  [ACTIVITY_AGE_BAND_INVALID]: {
    kind: 'invalid_argument',
    when: 'an age band that is not whole years from 0 to the pupils’ maximum, youngest first',
  },
  [ACTIVITY_CAPACITY_INVALID]: {
    kind: 'invalid_argument',
    when: 'a capacity that is not a whole number of seats, 1 or more, or `unlimited`',
  },
  [ACTIVITY_CANCEL_REASON_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'cancelling without a reason once people have signed up',
  },
  [ACTIVITY_REASON_TOO_LONG]: { kind: 'invalid_argument', when: 'a reason over its length limit' },
  [ACTIVITY_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'a change that changes nothing' },
  [ACTIVITY_VENUE_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a `venueId` that is not in the venue catalogue',
  },
  [ACTIVITY_ORGANIZER_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an organizing organization registration does not know',
  },
  [ACTIVITY_CAMPAIGN_UNKNOWN]: { kind: 'invalid_argument', when: 'no campaign with that id' },
  [ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE]: {
    kind: 'invalid_argument',
    when: 'the activity’s place is not under the campaign’s area',
  },
  [ACTIVITY_SEARCH_EMPTY]: {
    kind: 'invalid_argument',
    when: 'a search `q` with no letters, digits or characters to look for',
  },
  [ACTIVITY_RANGE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a range that ends before it starts',
  },
  [ACTIVITY_LIST_QUERY_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a list without a 12-digit jurisdiction code or both ends of its range',
  },
  [ACTIVITY_ID_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: an activity id that is not a lower-case UUID',
  },
  [VENUE_IDS_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a venue lookup of no ids or more than 100',
  },
  [ACTIVITY_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'not the organizer, an officer of its area or a city admin',
  },
  [ACTIVITY_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such activity, or one the caller may not see',
  },
  [ACTIVITY_NOT_DRAFT]: {
    kind: 'failed_precondition',
    when: 'changing an activity that is no longer a draft',
  },
  [ACTIVITY_TRANSITION_NOT_ALLOWED]: {
    kind: 'failed_precondition',
    when: 'a move the activity’s status does not allow',
  },
  [ACTIVITY_VENUE_REQUIRED]: {
    kind: 'failed_precondition',
    when: 'publishing without a venue',
  },
  [ACTIVITY_SCHEDULE_REQUIRED]: {
    kind: 'failed_precondition',
    when: 'publishing or moving an activity without a schedule',
  },
  [ACTIVITY_AUDIENCE_REQUIRED]: {
    kind: 'failed_precondition',
    when: 'publishing without a target tier',
  },
  [ACTIVITY_NOT_STARTED]: {
    kind: 'failed_precondition',
    when: 'starting before the activity’s start',
  },
  [ACTIVITY_NOT_ENDED]: { kind: 'failed_precondition', when: 'completing before the end' },
  [ACTIVITY_CAPACITY_BELOW_ENROLLMENT]: {
    kind: 'failed_precondition',
    when: 'a capacity below the seats already confirmed',
  },
  [ACTIVITY_ORGANIZER_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'an organizing organization that is rejected or suspended',
  },
  [ACTIVITY_CAMPAIGN_CLOSED]: {
    kind: 'failed_precondition',
    when: 'joining a campaign that is closed',
  },
});

export const activityNotFound = (): AppError =>
  activityErrors.error(ACTIVITY_NOT_FOUND, 'The activity was not found.');
