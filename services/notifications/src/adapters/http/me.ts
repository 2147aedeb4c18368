/** Who may call a person's own notification routes: participants and officers (whose inbox is keyed by subject). */
import type { Role } from '@learning/auth';

export const OWN_ROUTE_ROLES: readonly Role[] = [
  'participant',
  'city_admin',
  'department_officer',
  'area_officer',
  'org_admin',
];

export const OWN_ROUTE_TEXT =
  'Your own: participants by their registration, officers (not participants) by their account.';
