/** learning.registration.v1.EnrollmentService: eligibility, counts and rosters for the owning services. */
import type { GrpcServer } from '@learning/grpc';
import { registration } from '@learning/proto';
import {
  participantIdRequired,
  seatedEventRefInvalid,
} from '../../application/enrollments/errors.js';
import type { EnrollmentReads } from '../../application/enrollments/reads.js';
import { SEATED_EVENT_OWNERS, type SeatedEventOwner } from '../../domain/enrollment.js';

const ROSTER_PAGE_DEFAULT = 100;
const ROSTER_PAGE_MAX = 200;

function eventOf(ref: registration.SeatedEventRef | undefined): {
  owner: SeatedEventOwner;
  eventId: string;
} {
  const owner = SEATED_EVENT_OWNERS.find((candidate) => candidate === ref?.owner);
  if (ref === undefined || owner === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(ref.eventId))
    throw seatedEventRefInvalid();
  return { owner, eventId: ref.eventId };
}

const ROSTER_STATUS = {
  confirmed: registration.RosterStatus.ROSTER_STATUS_CONFIRMED,
  waitlisted: registration.RosterStatus.ROSTER_STATUS_WAITLISTED,
  cancelled: registration.RosterStatus.ROSTER_STATUS_CANCELLED,
} as const;

export function registerEnrollmentService(grpc: GrpcServer, reads: EnrollmentReads): void {
  grpc.addService(registration.EnrollmentServiceService, {
    async checkEligibility(request) {
      const { owner, eventId } = eventOf(request.event);
      if (request.participantId === '') throw participantIdRequired();
      const eligibility = await reads.eligibility(request.participantId, owner, eventId);
      return eligibility.eligible
        ? { eligible: true, refusals: [] }
        : {
            eligible: false,
            refusals: eligibility.refusals.map((r) => ({ code: r.code, reason: r.reason })),
          };
    },

    async getEnrollmentCounts(request) {
      const events = request.events.map(eventOf);
      const counts = await reads.counts(events);
      return {
        counts: counts.map((count, index) => ({
          event: request.events[index],
          confirmed: count.confirmed,
          waitlisted: count.waitlisted,
          checkedIn: count.checkedIn,
          attended: count.attended,
        })),
      };
    },

    async listRoster(request) {
      const { owner, eventId } = eventOf(request.event);
      const pageSize = Math.min(request.page?.pageSize || ROSTER_PAGE_DEFAULT, ROSTER_PAGE_MAX);
      const token = request.page?.pageToken ?? '';
      const page = await reads.rosterForService(owner, eventId, {
        pageSize,
        ...(token === '' ? {} : { pageToken: token }),
      });
      return {
        entries: page.items.map((enrollment) => ({
          enrollmentId: enrollment.id,
          participantId: enrollment.participantId,
          status: ROSTER_STATUS[enrollment.status],
          sequence: String(enrollment.sequence),
          checkedIn: enrollment.checkedInAt !== null,
          attended: enrollment.attendedAt !== null,
        })),
        page: { nextPageToken: page.nextCursor ?? '' },
      };
    },
  });
}
