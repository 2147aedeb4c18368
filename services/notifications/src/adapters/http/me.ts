/** Who may call a person's own notification routes: participants and officers (whose inbox is keyed by subject). */
import { ORGANIZER_ROLES, type Role } from '@learning/auth';

export const OWN_ROUTE_ROLES: readonly Role[] = ['participant', ...ORGANIZER_ROLES];

export const OWN_ROUTE_TEXT =
  'Your own: participants by their registration, officers (not participants) by their account.';
