/**
 * An officer moves an organization through its life cycle (start review,
 * recognize, reject, suspend, reinstate): the domain decides whether they may
 * and whether the move is allowed; this records it with its event and audit
 * record in one write.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { organizationEvents } from '@learning/contracts';
import { newEvent, type EventDefinition } from '@learning/events';
import type { registration } from '@learning/proto';
import {
  decide,
  type OrganizationAction,
  type OrganizationEventType,
} from '../../domain/organizations.js';
import { domainCall } from '../errors.js';
import { findVisible } from './access.js';
import { versionConflict } from './errors.js';
import { auditViewOf, routingOf, statusOf } from './events.js';
import type { OrganizationRepository, StoredOrganization } from './organization-repository.js';

const DEFINITIONS: Readonly<
  Record<OrganizationEventType, EventDefinition<registration.OrganizationDecided>>
> = {
  OrganizationReviewStarted: organizationEvents.organizationReviewStarted,
  OrganizationRecognized: organizationEvents.organizationRecognized,
  OrganizationRejected: organizationEvents.organizationRejected,
  OrganizationSuspended: organizationEvents.organizationSuspended,
};

export interface DecideOnOrganizationRequest {
  readonly action: OrganizationAction;
  readonly reason?: string;
  /** When given, the decision applies only to this version (what the officer looked at). */
  readonly version?: number;
}

export interface DecideOnOrganizationDeps {
  readonly organizations: OrganizationRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export function decideOnOrganization(deps: DecideOnOrganizationDeps) {
  return async (
    principal: Principal,
    id: string,
    request: DecideOnOrganizationRequest,
  ): Promise<StoredOrganization> => {
    const { organization, scope } = await findVisible(deps.organizations, principal, id);
    if (request.version !== undefined && request.version !== organization.version)
      throw versionConflict();
    const now = deps.clock();
    const { change, event } = domainCall(() =>
      decide(organization, { action: request.action, reason: request.reason }, principal, now),
    );
    const after = { ...organization, status: change.status };
    const events = [
      newEvent(DEFINITIONS[event.type], id, {
        organizationId: id,
        routing: routingOf(organization),
        fromStatus: statusOf(organization.status),
        toStatus: statusOf(change.status),
        reason: change.reason ?? '',
        decidedBy: change.decidedBy,
        decidedAt: change.decidedAt,
        // Scoring credits a recognition once: a reinstatement earns nothing new.
        reinstatement: organization.status === 'suspended' && change.status === 'recognized',
      }),
      deps.audit.entry({
        actor: actorOf(principal),
        action: `organization.${request.action}`,
        entityType: 'organization',
        entityId: id,
        jurisdictionPath: organization.jurisdictionPath,
        before: auditViewOf(organization),
        after: auditViewOf(after),
        ...(change.reason === null ? {} : { reason: change.reason }),
      }),
    ];
    return deps.organizations.change(scope, {
      id,
      expectedVersion: organization.version,
      updatedAt: now,
      status: change,
      events,
    });
  };
}

export type DecideOnOrganization = ReturnType<typeof decideOnOrganization>;
