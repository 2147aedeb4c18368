/**
 * Its admins, or the officers who may decide on it, edit an organization's
 * name and learning system profile. Kind, jurisdiction and departments are
 * fixed at registration; status moves only by decisions.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { assertMayManage, type LearningSystem } from '../../domain/organizations.js';
import { domainCall } from '../errors.js';
import { findVisible } from './access.js';
import { organizationChangeEmpty } from './errors.js';
import { auditViewOf } from './events.js';
import type { OrganizationRepository, StoredOrganization } from './organization-repository.js';

export interface ChangeOrganizationRequest {
  /** The version the editor read. */
  readonly version: number;
  readonly name?: string;
  /** null removes the profile. */
  readonly learningSystem?: LearningSystem | null;
}

export interface ChangeOrganizationDeps {
  readonly organizations: OrganizationRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export function changeOrganization(deps: ChangeOrganizationDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeOrganizationRequest,
  ): Promise<StoredOrganization> => {
    if (request.name === undefined && request.learningSystem === undefined)
      throw organizationChangeEmpty();
    const { organization, scope } = await findVisible(deps.organizations, principal, id);
    domainCall(() => {
      assertMayManage(principal, organization);
    });
    const now = deps.clock();
    const name = request.name?.trim();
    const after = {
      ...organization,
      ...(name === undefined ? {} : { name }),
      ...(request.learningSystem === undefined ? {} : { learningSystem: request.learningSystem }),
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'organization.change',
      entityType: 'organization',
      entityId: id,
      jurisdictionPath: organization.jurisdictionPath,
      before: auditViewOf(organization),
      after: auditViewOf(after),
    });
    return deps.organizations.change(scope, {
      id,
      expectedVersion: request.version,
      updatedAt: now,
      ...(name === undefined ? {} : { name }),
      ...(request.learningSystem === undefined ? {} : { learningSystem: request.learningSystem }),
      events: [audit],
    });
  };
}

export type ChangeOrganization = ReturnType<typeof changeOrganization>;
