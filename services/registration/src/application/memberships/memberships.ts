/**
 * An organization's admins, or the officers who may decide on it, set and end
 * its members' roles; whoever may see the organization may list its members.
 * Setting the role a member already has, or ending an ended membership,
 * changes nothing and publishes nothing, so retries are harmless.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal, Scope } from '@learning/auth';
import { organizationEvents } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { newEvent } from '@learning/events';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import { registration } from '@learning/proto';
import {
  assertMayManage,
  endMembership as endRule,
  membershipIdOf,
  setMembership as setRule,
  type MembershipChangeKind,
  type MembershipOutcome,
  type MembershipRole,
  type MembershipState,
  type MembershipStatus,
} from '../../domain/organizations.js';
import { domainCall } from '../errors.js';
import { participantNotFound } from '../participants/errors.js';
import { findVisible } from '../organizations/access.js';
import { changeOf, roleOf, routingOf } from '../organizations/events.js';
import { MEMBERSHIP_ALREADY_EXISTS } from './errors.js';
import type {
  OrganizationRepository,
  StoredOrganization,
} from '../organizations/organization-repository.js';
import type {
  MembershipPage,
  MembershipRepository,
  ParticipantDirectory,
  StoredMembership,
} from './membership-repository.js';

const AUDIT_ACTIONS: Readonly<Record<MembershipChangeKind, string>> = {
  joined: 'membership.join',
  role_changed: 'membership.change_role',
  ended: 'membership.end',
};
/** Two requests joining the same pair at once: the loser re-reads and applies its change again. */
const ATTEMPTS = 2;

export interface MembershipDeps {
  readonly organizations: OrganizationRepository;
  readonly memberships: MembershipRepository;
  readonly participants: ParticipantDirectory;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

const stateOf = (membership: StoredMembership | null): MembershipState | null =>
  membership === null
    ? null
    : {
        role: membership.role,
        status: membership.status,
        since: membership.since,
        endedAt: membership.endedAt,
      };

const isInsertRace = (error: unknown): boolean =>
  error instanceof AppError && error.code === MEMBERSHIP_ALREADY_EXISTS;

async function manageable(
  deps: MembershipDeps,
  principal: Principal,
  organizationId: string,
): Promise<{ organization: StoredOrganization; scope: Scope }> {
  const visible = await findVisible(deps.organizations, principal, organizationId);
  domainCall(() => {
    assertMayManage(principal, visible.organization);
  });
  return visible;
}

/** Reads the membership, applies `rule`, and writes the outcome with its event and audit record. */
async function apply(
  deps: MembershipDeps,
  principal: Principal,
  { organization, scope }: { organization: StoredOrganization; scope: Scope },
  participantId: string,
  rule: (current: MembershipState | null, now: Date) => MembershipOutcome | null,
): Promise<StoredMembership | null> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.memberships.get(scope, organization.id, participantId);
    const now = deps.clock();
    const outcome = domainCall(() => rule(stateOf(current), now));
    if (outcome === null) return null;
    if (outcome.change === null) return current;
    const membership = {
      organizationId: organization.id,
      participantId,
      organizationKind: organization.kind,
      jurisdictionPath: organization.jurisdictionPath,
      ...outcome.state,
    };
    const id = membershipIdOf(organization.id, participantId);
    const events = [
      newEvent(organizationEvents.membershipChanged, id, {
        organizationId: organization.id,
        participantId,
        routing: routingOf(organization),
        change: changeOf(outcome.change),
        role: roleOf(outcome.state.role),
        previousRole:
          outcome.change === 'role_changed' && current !== null
            ? roleOf(current.role)
            : registration.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED,
        changedBy: principal.subject,
        changedAt: now,
      }),
      deps.audit.entry({
        actor: actorOf(principal),
        action: AUDIT_ACTIONS[outcome.change],
        entityType: 'membership',
        entityId: id,
        jurisdictionPath: organization.jurisdictionPath,
        before: current === null ? null : { role: current.role, status: current.status },
        after: { role: outcome.state.role, status: outcome.state.status },
      }),
    ];
    try {
      return await deps.memberships.save(scope, {
        membership,
        expectedVersion: current?.version ?? null,
        events,
      });
    } catch (error) {
      if (attempt < ATTEMPTS && isInsertRace(error)) continue;
      throw error;
    }
  }
}

export function setMembership(deps: MembershipDeps) {
  return async (
    principal: Principal,
    organizationId: string,
    participantId: string,
    role: MembershipRole,
  ): Promise<StoredMembership> => {
    const visible = await manageable(deps, principal, organizationId);
    if (!(await deps.participants.exists(participantId))) throw participantNotFound();
    const stored = await apply(deps, principal, visible, participantId, (current, now) =>
      setRule(current, role, visible.organization.status, now),
    );
    // setRule always yields a state, so a membership exists now.
    if (stored === null) throw new Error('a membership set yielded no membership');
    return stored;
  };
}

export function endMembership(deps: MembershipDeps) {
  return async (
    principal: Principal,
    organizationId: string,
    participantId: string,
  ): Promise<void> => {
    const visible = await manageable(deps, principal, organizationId);
    await apply(deps, principal, visible, participantId, endRule);
  };
}

export interface ListMembershipsRequest {
  readonly status?: MembershipStatus;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function listMemberships(deps: Pick<MembershipDeps, 'organizations' | 'memberships'>) {
  return async (
    principal: Principal,
    organizationId: string,
    request: ListMembershipsRequest,
  ): Promise<MembershipPage> => {
    const { scope } = await findVisible(deps.organizations, principal, organizationId);
    return deps.memberships.list(scope, {
      organizationId,
      pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
      ...(request.status === undefined ? {} : { status: request.status }),
      ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
    });
  };
}

export type SetMembership = ReturnType<typeof setMembership>;
export type EndMembership = ReturnType<typeof endMembership>;
export type ListMemberships = ReturnType<typeof listMemberships>;
