import { AppError } from '@learning/errors';
import { TOKEN_INVALID, type Principal, type Role } from './principal.js';

export const ROLE_REQUIRED = 'ROLE_REQUIRED';

/** The city's, a department's and an area's officers: who oversee what happens in their scope. */
export const OFFICER_ROLES = [
  'city_admin',
  'department_officer',
  'area_officer',
] as const satisfies readonly Role[];

/** Officers and learning organizations' admins: who organize activities and staff events. */
export const ORGANIZER_ROLES = [...OFFICER_ROLES, 'org_admin'] as const satisfies readonly Role[];

export const hasRole = (principal: Principal, ...roles: readonly Role[]): boolean =>
  roles.some((role) => principal.roles.includes(role));

/** Throws a `permission_denied` AppError unless the principal holds one of `roles`. */
export function requireRole(principal: Principal, ...roles: readonly Role[]): void {
  if (!hasRole(principal, ...roles)) {
    throw new AppError(
      'permission_denied',
      ROLE_REQUIRED,
      'Your account is not allowed to do this.',
    );
  }
}

/**
 * Whether the principal may act on a node whose path (ancestor codes from the
 * city root down to the node itself) is `jurisdictionPath`: city-wide, or one
 * of its jurisdictions is the node or one of its ancestors.
 */
export function mayActIn(principal: Principal, jurisdictionPath: readonly string[]): boolean {
  return (
    principal.cityWide || jurisdictionPath.some((code) => principal.jurisdictions.includes(code))
  );
}

/**
 * The token of an `Authorization: Bearer <token>` value (HTTP header or gRPC
 * metadata); undefined when absent, an AppError when another scheme is used.
 */
export function bearerToken(authorization: unknown): string | undefined {
  if (authorization === undefined || authorization === '') return undefined;
  if (typeof authorization !== 'string') {
    throw new AppError(
      'unauthenticated',
      TOKEN_INVALID,
      'The Authorization header must be sent once, as "Bearer <token>".',
    );
  }
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(authorization);
  if (match?.[1] === undefined) {
    throw new AppError(
      'unauthenticated',
      TOKEN_INVALID,
      'The Authorization header must be "Bearer <token>".',
    );
  }
  return match[1];
}
