/**
 * The stable codes of the membership slice, each with its kind and meaning
 * (`membershipErrors`). The README's membership error table is this
 * catalogue's table; a unit test keeps the two the same.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import { MEMBERSHIP_ORGANIZATION_CLOSED } from '../../domain/organizations.js';

/**
 * Given by the membership repository (libs/mongo) when the pair was joined
 * meanwhile; a request that loses that race twice running gets it.
 */
export const MEMBERSHIP_ALREADY_EXISTS = 'MEMBERSHIP_ALREADY_EXISTS';
export const MEMBERS_PAGE_SIZE_INVALID = 'MEMBERS_PAGE_SIZE_INVALID';
export const MEMBER_ROLES_INVALID = 'MEMBER_ROLES_INVALID';

/**
 * Besides these, the organization slice's (ORGANIZATION_NOT_FOUND,
 * ORGANIZATION_MANAGE_FORBIDDEN), the participant slice's
 * PARTICIPANT_NOT_FOUND and the platform's.
 */
export const membershipErrors = defineErrorCodes({
  [MEMBERSHIP_ORGANIZATION_CLOSED]: {
    kind: 'failed_precondition',
    when: 'a new member of a rejected organization',
  },
  [MEMBERSHIP_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'the same member joined by two requests at once, lost twice running; retry',
  },
  [MEMBERS_PAGE_SIZE_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: `ListMembers` with a page size above 500 or below 0',
  },
  [MEMBER_ROLES_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: `ListMembers` with an unspecified or unknown role in `roles`',
  },
});

export const memberRolesInvalid = (): AppError =>
  membershipErrors.error(
    MEMBER_ROLES_INVALID,
    'Filter members by known roles only (member, admin).',
    { details: [{ field: '/roles', message: 'holds an unspecified or unknown role' }] },
  );

export const membersPageSizeInvalid = (max: number): AppError =>
  membershipErrors.error(
    MEMBERS_PAGE_SIZE_INVALID,
    `A page holds 1 to ${max} members (0 for the default).`,
    { details: [{ field: '/page/pageSize', message: `outside 0..${max}` }] },
  );
