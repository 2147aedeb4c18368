/** The preferences slice's codes (`preferencesErrors`; the README's preferences error table is its table). */
import { defineErrorCodes, type AppError } from '@learning/errors';
import { recipientErrors } from '../me.js';

export const PREFERENCES_TIME_ZONE_INVALID = 'PREFERENCES_TIME_ZONE_INVALID';
export const PREFERENCES_QUIET_HOURS_INVALID = 'PREFERENCES_QUIET_HOURS_INVALID';
export const PREFERENCES_REVISION_CONFLICT = 'PREFERENCES_REVISION_CONFLICT';

/** Besides these, the platform's codes (libs/errors): VALIDATION_FAILED, ROLE_REQUIRED, … */
export const preferencesErrors = defineErrorCodes({
  [PREFERENCES_TIME_ZONE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a time zone that is not an IANA name (`Asia/Shanghai`, `Europe/Berlin`)',
  },
  [PREFERENCES_QUIET_HOURS_INVALID]: {
    kind: 'invalid_argument',
    when: 'quiet hours that start when they end (an empty window); leave them out instead',
  },
  [PREFERENCES_REVISION_CONFLICT]: {
    kind: 'conflict',
    when: 'the revision sent is not the stored one: someone saved in between; read and try again',
  },
}).with(recipientErrors);

export const timeZoneInvalid = (): AppError =>
  preferencesErrors.error(
    PREFERENCES_TIME_ZONE_INVALID,
    'The time zone is not one we know; use an IANA name such as Asia/Shanghai.',
    { details: [{ field: '/timeZone', message: 'is not an IANA time zone' }] },
  );

export const quietHoursInvalid = (): AppError =>
  preferencesErrors.error(
    PREFERENCES_QUIET_HOURS_INVALID,
    'Quiet hours must end at another time than they start.',
    { details: [{ field: '/quietHours', message: 'starts when it ends' }] },
  );

export const revisionConflict = (): AppError =>
  preferencesErrors.error(
    PREFERENCES_REVISION_CONFLICT,
    'Your preferences were changed elsewhere since you read them; read them again and retry.',
  );
