/**
 * The training classes' codes, each with its kind and meaning (the README's
 * training class error table is this table). Besides these, the platform's
 * (libs/errors): JURISDICTION_UNKNOWN, VERSION_CONFLICT, UPSTREAM_UNAVAILABLE, …
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  SCHEDULE_EMPTY,
  SCHEDULE_ENDS_BEFORE_START,
  SCHEDULE_IN_PAST,
  SCHEDULE_INVALID_INSTANT,
  SCHEDULE_SESSIONS_OVERLAP,
  SCHEDULE_TOO_MANY_SESSIONS,
} from '../../../domain/schedule.js';
import {
  TRAINING_CLASS_CAPACITY_INVALID,
  TRAINING_CLASS_NOT_DRAFT,
  TRAINING_CLASS_ORGANIZER_KIND_INVALID,
  TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE,
  TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA,
  TRAINING_CLASS_PLACE_LEVEL_INVALID,
  TRAINING_CLASS_PROGRAMME_NOT_OPEN,
  TRAINING_CLASS_RESCHEDULE_EMPTY,
  TRAINING_CLASS_SESSION_UNKNOWN,
  TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME,
  TRAINING_CLASS_TRANSITION_NOT_ALLOWED,
} from '../../../domain/training-classes.js';

export const TRAINING_CLASS_NOT_FOUND = 'TRAINING_CLASS_NOT_FOUND';
export const TRAINING_CLASS_FORBIDDEN = 'TRAINING_CLASS_FORBIDDEN';
export const TRAINING_CLASS_CAPACITY_BELOW_ENROLLMENT = 'TRAINING_CLASS_CAPACITY_BELOW_ENROLLMENT';
export const TRAINING_CLASS_PROGRAMME_UNKNOWN = 'TRAINING_CLASS_PROGRAMME_UNKNOWN';
export const TRAINING_CLASS_ORGANIZER_UNKNOWN = 'TRAINING_CLASS_ORGANIZER_UNKNOWN';
export const TRAINING_CLASS_ORGANIZER_NOT_ACTIVE = 'TRAINING_CLASS_ORGANIZER_NOT_ACTIVE';
export const TRAINING_CLASS_EXPERT_UNKNOWN = 'TRAINING_CLASS_EXPERT_UNKNOWN';
export const TRAINING_CLASS_CHANGE_EMPTY = 'TRAINING_CLASS_CHANGE_EMPTY';
export const TRAINING_CLASS_VERSION_REQUIRED = 'TRAINING_CLASS_VERSION_REQUIRED';
/** gRPC: the seating read takes only an id that can be a class's. */
export const TRAINING_CLASS_ID_INVALID = 'TRAINING_CLASS_ID_INVALID';

export const trainingClassErrors = defineErrorCodes({
  [SCHEDULE_INVALID_INSTANT]: {
    kind: 'invalid_argument',
    when: 'a session whose start or end is not a date',
  },
  [SCHEDULE_ENDS_BEFORE_START]: {
    kind: 'invalid_argument',
    when: 'a session that ends before, or when, it starts',
  },
  [SCHEDULE_EMPTY]: { kind: 'invalid_argument', when: 'a class without sessions' },
  [SCHEDULE_TOO_MANY_SESSIONS]: {
    kind: 'invalid_argument',
    when: 'more sessions than the limit',
  },
  [SCHEDULE_SESSIONS_OVERLAP]: { kind: 'invalid_argument', when: 'two sessions overlap' },
  [SCHEDULE_IN_PAST]: { kind: 'invalid_argument', when: 'a first session that starts in the past' },
  [TRAINING_CLASS_SESSION_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a session id that is not one of the class’s, or named twice',
  },
  [TRAINING_CLASS_CAPACITY_INVALID]: {
    kind: 'invalid_argument',
    when: 'a capacity that is not a whole number of seats, 1 or more, or null',
  },
  [TRAINING_CLASS_PROGRAMME_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a programme that does not exist',
  },
  [TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA]: {
    kind: 'invalid_argument',
    when: 'a place outside the programme’s area',
  },
  [TRAINING_CLASS_PLACE_LEVEL_INVALID]: {
    kind: 'invalid_argument',
    when: 'a place above a township or street',
  },
  [TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME]: {
    kind: 'invalid_argument',
    when: 'no target group, or one the programme is not for',
  },
  [TRAINING_CLASS_ORGANIZER_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an organizing organization registration does not know',
  },
  [TRAINING_CLASS_ORGANIZER_KIND_INVALID]: {
    kind: 'invalid_argument',
    when: 'an organization that is not an enterprise, community or village-town organization',
  },
  [TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE]: {
    kind: 'invalid_argument',
    when: 'a class of an enterprise’s own programme run by anyone but that enterprise',
  },
  [TRAINING_CLASS_EXPERT_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a trainer naming an expert the lectures service does not have, or has retired',
  },
  [TRAINING_CLASS_CHANGE_EMPTY]: {
    kind: 'invalid_argument',
    when: 'a change that changes nothing',
  },
  [TRAINING_CLASS_RESCHEDULE_EMPTY]: {
    kind: 'invalid_argument',
    when: 'a reschedule that moves no session and changes no capacity',
  },
  [TRAINING_CLASS_VERSION_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a draft change without a well-formed If-Match (the ETag read)',
  },
  [TRAINING_CLASS_ID_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a seated event id that is not a lower-case UUID',
  },
  [TRAINING_CLASS_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'drafting a class for an organization or department that is not yours, under a programme you do not lead',
  },
  [TRAINING_CLASS_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such class, or one the caller may not see',
  },
  [TRAINING_CLASS_PROGRAMME_NOT_OPEN]: {
    kind: 'failed_precondition',
    when: 'a programme that is not launched (a draft, or closed)',
  },
  [TRAINING_CLASS_ORGANIZER_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'an organizing organization that is rejected or suspended',
  },
  [TRAINING_CLASS_CAPACITY_BELOW_ENROLLMENT]: {
    kind: 'failed_precondition',
    when: 'a capacity below the seats already confirmed',
  },
  [TRAINING_CLASS_NOT_DRAFT]: {
    kind: 'failed_precondition',
    when: 'editing a class that is no longer a draft',
  },
  [TRAINING_CLASS_TRANSITION_NOT_ALLOWED]: {
    kind: 'failed_precondition',
    when: 'a move the class’s status does not allow (publishing twice, cancelling twice, moving a class under way)',
  },
});

export const trainingClassNotFound = (): AppError =>
  trainingClassErrors.error(TRAINING_CLASS_NOT_FOUND, 'The training class was not found.');
