/** learning.lectures.v1.LectureProgrammeService: a place's programme and a session's facts, for other services. */
import type { GrpcServer } from '@learning/grpc';
import { isJurisdictionCode, isUuid } from '@learning/http';
import { lectures } from '@learning/proto';
import {
  PROGRAMME_QUERY_INVALID,
  programmeErrors,
  SESSION_ID_INVALID,
} from '../../application/programme/errors.js';
import type { ProgrammeReads, SessionView } from '../../application/programme/read-programme.js';
import { sessionSummaryOf } from '../../application/session-summary.js';
import type { SessionStatus } from '../../domain/sessions.js';

const PAGE_DEFAULT = 100;
const PAGE_MAX = 200;

const STATUSES: Readonly<Record<SessionStatus, lectures.SessionStatus>> = {
  scheduled: lectures.SessionStatus.SESSION_STATUS_SCHEDULED,
  held: lectures.SessionStatus.SESSION_STATUS_HELD,
  cancelled: lectures.SessionStatus.SESSION_STATUS_CANCELLED,
};

const toProto = ({ session, forumName }: SessionView): lectures.ProgrammeSession => ({
  summary: sessionSummaryOf(session),
  status: STATUSES[session.status],
  capacity: session.capacity ?? undefined,
  attendanceCount: session.status === 'held' ? (session.attendanceCount ?? 0) : undefined,
  heldAt: session.heldAt ?? undefined,
  forumName,
  venueName: session.venue.name,
  signUpOpensAt: session.signUpOpensAt,
  signUpClosesAt: session.signUpClosesAt,
  liveStreamUrl: session.liveStreamUrl ?? '',
  cancellationReason: session.cancellation?.reason ?? '',
});

export function registerLectureProgrammeService(grpc: GrpcServer, reads: ProgrammeReads): void {
  grpc.addService(lectures.LectureProgrammeServiceService, {
    async listProgramme(request) {
      if (
        !isJurisdictionCode(request.jurisdictionCode) ||
        request.from === undefined ||
        request.to === undefined
      )
        throw programmeErrors.error(
          PROGRAMME_QUERY_INVALID,
          'Name a 12-digit jurisdiction code and both ends of the range.',
        );
      const token = request.page?.pageToken ?? '';
      const page = await reads.listInPlace({
        jurisdictionCode: request.jurisdictionCode,
        from: request.from,
        to: request.to,
        pageSize: Math.min(request.page?.pageSize || PAGE_DEFAULT, PAGE_MAX),
        ...(token === '' ? {} : { pageToken: token }),
      });
      return {
        sessions: page.items.map(toProto),
        page: { nextPageToken: page.nextPageToken ?? '' },
      };
    },

    async getSession(request) {
      if (!isUuid(request.sessionId))
        throw programmeErrors.error(SESSION_ID_INVALID, 'A session id is a lower-case UUID.');
      return { session: toProto(await reads.getPublic(request.sessionId)) };
    },
  });
}
