/** Event payloads and audit views of organizations and memberships: what others may see of them. */
import { registration } from '@learning/proto';
import type {
  MembershipChangeKind,
  MembershipRole,
  OrganizationStatus,
} from '../../domain/organizations.js';
import { organizationKindToProto } from '../proto-mapping.js';
import type { StoredOrganization } from './organization-repository.js';

const STATUSES: Readonly<Record<OrganizationStatus, registration.OrganizationStatus>> = {
  applied: registration.OrganizationStatus.ORGANIZATION_STATUS_APPLIED,
  under_review: registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW,
  recognized: registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
  rejected: registration.OrganizationStatus.ORGANIZATION_STATUS_REJECTED,
  suspended: registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED,
};

const ROLES: Readonly<Record<MembershipRole, registration.MembershipRole>> = {
  member: registration.MembershipRole.MEMBERSHIP_ROLE_MEMBER,
  admin: registration.MembershipRole.MEMBERSHIP_ROLE_ADMIN,
};

const CHANGES: Readonly<Record<MembershipChangeKind, registration.MembershipChange>> = {
  joined: registration.MembershipChange.MEMBERSHIP_CHANGE_JOINED,
  role_changed: registration.MembershipChange.MEMBERSHIP_CHANGE_ROLE_CHANGED,
  ended: registration.MembershipChange.MEMBERSHIP_CHANGE_ENDED,
};

type Routed = Pick<
  StoredOrganization,
  'kind' | 'leadDepartment' | 'coDepartments' | 'jurisdictionPath'
>;

export const routingOf = (organization: Routed): registration.OrganizationRouting => ({
  kind: organizationKindToProto(organization.kind),
  leadDepartment: organization.leadDepartment,
  coDepartments: [...organization.coDepartments],
  jurisdictionPath: [...organization.jurisdictionPath],
});

export const statusOf = (status: OrganizationStatus): registration.OrganizationStatus =>
  STATUSES[status];

export const roleOf = (role: MembershipRole): registration.MembershipRole => ROLES[role];

export const changeOf = (change: MembershipChangeKind): registration.MembershipChange =>
  CHANGES[change];

/** What the audit log keeps of an organization: it holds no personal data. */
export const auditViewOf = (organization: Omit<StoredOrganization, 'version'>) => ({
  kind: organization.kind,
  name: organization.name,
  creditCode: organization.creditCode,
  jurisdictionPath: [...organization.jurisdictionPath],
  leadDepartment: organization.leadDepartment,
  coDepartments: [...organization.coDepartments],
  learningSystem: organization.learningSystem,
  status: organization.status,
});
