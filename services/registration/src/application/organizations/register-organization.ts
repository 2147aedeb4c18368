/**
 * An org admin or an officer applies to register a learning organization. Its
 * lead and co-responsible departments come from the table in force now and
 * stay with it. Officers with a jurisdiction scope register only inside it;
 * an org admin may apply anywhere (the review is the check).
 *
 * The applicant does not become a member here: one change is one document
 * write, and who administers an organization is granted by its token's `orgs`
 * claim. Members, admins among them, are added with the membership routes.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import { organizationEvents } from '@learning/contracts';
import { newEvent } from '@learning/events';
import { routeOrganization, type OrganizationKind } from '../../domain/departments.js';
import { applicationOf, parseCreditCode, type LearningSystem } from '../../domain/organizations.js';
import type { DepartmentTableRepository } from '../departments/department-table-repository.js';
import { domainCall, jurisdictionUnknown } from '../errors.js';
import { officerScope } from './access.js';
import { auditViewOf, routingOf } from './events.js';
import type {
  JurisdictionPaths,
  NewOrganization,
  OrganizationRepository,
  StoredOrganization,
} from './organization-repository.js';

export interface RegisterOrganizationRequest {
  readonly kind: OrganizationKind;
  readonly name: string;
  readonly jurisdictionCode: string;
  readonly creditCode?: string;
  readonly learningSystem?: LearningSystem | null;
}

export interface RegisterOrganizationDeps {
  readonly organizations: OrganizationRepository;
  readonly jurisdictions: JurisdictionPaths;
  readonly tables: DepartmentTableRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export function registerOrganization(deps: RegisterOrganizationDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    request: RegisterOrganizationRequest,
  ): Promise<StoredOrganization> => {
    const creditCode =
      request.creditCode === undefined
        ? null
        : domainCall(() => parseCreditCode(request.creditCode ?? ''));
    const jurisdictionPath = await deps.jurisdictions.pathOf(request.jurisdictionCode);
    if (jurisdictionPath === null) throw jurisdictionUnknown('/jurisdictionCode');
    const { table } = await deps.tables.current();
    const { lead, coResponsible } = routeOrganization(request.kind, table);
    const id = newId();
    const now = deps.clock();
    const organization: Omit<NewOrganization, 'events'> = {
      id,
      kind: request.kind,
      name: request.name.trim(),
      creditCode,
      jurisdictionPath: [...jurisdictionPath],
      leadDepartment: lead,
      coDepartments: coResponsible,
      learningSystem: request.learningSystem ?? null,
      status: 'applied',
      history: [applicationOf(principal.subject, now)],
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    const events = [
      newEvent(organizationEvents.organizationRegistered, id, {
        organizationId: id,
        routing: routingOf(organization),
        name: organization.name,
        registeredBy: principal.subject,
        registeredAt: now,
      }),
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'organization.register',
        entityType: 'organization',
        entityId: id,
        jurisdictionPath,
        before: null,
        after: auditViewOf(organization),
      }),
    ];
    return deps.organizations.create(officerScope(principal) ?? Scope.cityWide(), {
      ...organization,
      events,
    });
  };
}

export type RegisterOrganization = ReturnType<typeof registerOrganization>;
