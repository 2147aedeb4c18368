/**
 * learning.seating.v1.SeatedEventSourceService for lecture sessions: what
 * registration asks on every sign-up (capacity, window, times, audience,
 * status) and what attendance carries on to scoring (categories, campaign,
 * the session's length as its learning minutes). A session is for its target
 * tiers city-wide: the area root is the city's code, the first of its path
 * (lectures reach the whole city; the venue's place decides only who runs
 * it). Unknown ids are NOT_FOUND.
 */
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import type { GrpcServer } from '@learning/grpc';
import { isUuid } from '@learning/http';
import { seating } from '@learning/proto';
import {
  SESSION_ID_INVALID,
  sessionErrors,
  sessionNotFound,
} from '../../application/sessions/errors.js';
import { capacityOf } from '../../application/sessions/events.js';
import type { StoredSession } from '../../application/sessions/ports.js';
import type { SessionReads } from '../../application/sessions/read-sessions.js';
import { learningMinutesOf } from '../../domain/scheduling.js';
import type { SessionStatus } from '../../domain/sessions.js';

const STATUSES: Readonly<Record<SessionStatus, seating.SeatedEventStatus>> = {
  scheduled: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
  held: seating.SeatedEventStatus.SEATED_EVENT_STATUS_COMPLETED,
  cancelled: seating.SeatedEventStatus.SEATED_EVENT_STATUS_CANCELLED,
};

export function seatedEventOf(session: StoredSession): seating.SeatedEvent {
  return {
    eventId: session.id,
    title: session.title,
    capacity: capacityOf(session),
    signUpOpensAt: session.signUpOpensAt,
    signUpClosesAt: session.signUpClosesAt,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    audience: {
      targetTiers: session.targetTiers.map((tier) => tierMapping.toProto(tier)),
      areaRootCodes: session.jurisdictionPath.slice(0, 1),
      pupilAgeBand: undefined,
      organizationIds: [],
    },
    status: STATUSES[session.status],
    jurisdictionPath: [...session.jurisdictionPath],
    organizerOrganizationId: '',
    categories: session.categories.map((category) => contentCategoryMapping.toProto(category)),
    campaignId: session.campaignId ?? '',
    learningMinutes: learningMinutesOf(session),
    sessions: [],
  };
}

export function registerSeatedEventSource(
  grpc: GrpcServer,
  reads: Pick<SessionReads, 'find'>,
): void {
  grpc.addService(seating.SeatedEventSourceServiceService, {
    async getSeatedEvent(request) {
      if (!isUuid(request.eventId))
        throw sessionErrors.error(SESSION_ID_INVALID, 'A session id is a lower-case UUID.');
      const session = await reads.find(request.eventId);
      if (session === null) throw sessionNotFound();
      return { event: seatedEventOf(session) };
    },
  });
}
