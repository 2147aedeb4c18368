/**
 * What the enrollment events tell of their event, so a consumer (notifications)
 * can word and time its notices without asking the owner itself: the owner's
 * cached answer, and the organizer's kind and lead department from
 * registration's own organization record.
 */
import { Scope } from '@learning/auth';
import type { Logger } from '@learning/logger';
import type { OrganizationKind } from '../../domain/departments.js';
import type { SeatedEventOwner } from '../../domain/enrollment.js';
import type { OrganizationRepository } from '../organizations/organization-repository.js';
import type { SeatedEventSource } from './ports.js';

export interface EnrollmentEventSummary {
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly jurisdictionPath: readonly string[];
  readonly organizerOrganizationId: string | null;
  /** Null when no organization organizes it, or registration no longer knows it. */
  readonly organizer: { readonly kind: OrganizationKind; readonly leadDepartment: string } | null;
}

/** The summary of an event; null when its owner cannot say now (the event is then published without one). */
export type EventSummaries = (
  owner: SeatedEventOwner,
  eventId: string,
) => Promise<EnrollmentEventSummary | null>;

const organizerScope = Scope.system('enrollment event summary');

export function eventSummaries(deps: {
  readonly source: SeatedEventSource;
  readonly organizations: Pick<OrganizationRepository, 'get'>;
  readonly logger: Logger;
}): EventSummaries {
  return async (owner, eventId) => {
    try {
      const info = await deps.source.get(owner, eventId);
      const organization =
        info.organizerOrganizationId === null
          ? null
          : await deps.organizations.get(organizerScope, info.organizerOrganizationId);
      return {
        title: info.title,
        startsAt: info.startsAt,
        endsAt: info.endsAt,
        jurisdictionPath: info.jurisdictionPath,
        organizerOrganizationId: info.organizerOrganizationId,
        organizer:
          organization === null
            ? null
            : { kind: organization.kind, leadDepartment: organization.leadDepartment },
      };
    } catch (error) {
      // A change of seat must not wait on an owner that is down: the event goes out without its summary.
      deps.logger.warn(
        { owner, eventId, err: error },
        'enrollment event published without its event summary',
      );
      return null;
    }
  };
}
