/** The delivery-status slice's codes (`deliveriesErrors`; the README's deliveries error table is its table). */
import { defineErrorCodes, type AppError } from '@learning/errors';
import { recipientErrors } from '../me.js';

export const DELIVERIES_FORBIDDEN = 'DELIVERIES_FORBIDDEN';

/** Besides these, the platform's codes (libs/errors): CURSOR_INVALID, ROLE_REQUIRED, … */
export const deliveriesErrors = defineErrorCodes({
  [DELIVERIES_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'the delivery log of another sender (a service sees its own; the campaign office sees all)',
  },
}).with(recipientErrors);

export const deliveriesForbidden = (): AppError =>
  deliveriesErrors.error(
    DELIVERIES_FORBIDDEN,
    'Only the campaign office, and a service for the notices it sent, may read this delivery log.',
  );
