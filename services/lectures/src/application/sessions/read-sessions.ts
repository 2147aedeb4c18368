/**
 * One session, or a page of them, as the reader may see them: city admins
 * every session; department officers those of the forums their department's
 * series runs; forum managers those of their forums. Anything else reads as
 * not found (one) or is left out (a list).
 */
import type { Principal } from '@learning/auth';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { SessionStatus } from '../../domain/sessions.js';
import { findManaged, forumsReachedBy } from './access.js';
import { SESSION_RANGE_INVALID, sessionErrors } from './errors.js';
import type { ForumDirectory, SessionPage, SessionRepository, StoredSession } from './ports.js';

export interface ListSessionsRequest {
  readonly forumId?: string;
  readonly status?: SessionStatus;
  readonly from?: Date;
  readonly to?: Date;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function sessionReads(deps: { sessions: SessionRepository; forums: ForumDirectory }) {
  return {
    async get(principal: Principal, id: string): Promise<StoredSession> {
      return (await findManaged(deps, principal, id)).session;
    },

    async list(principal: Principal, request: ListSessionsRequest): Promise<SessionPage> {
      const { forumId, pageSize, pageToken, ...filters } = request;
      if (
        filters.from !== undefined &&
        filters.to !== undefined &&
        filters.to.getTime() <= filters.from.getTime()
      )
        throw sessionErrors.error(SESSION_RANGE_INVALID, '`to` must be after `from`.');
      const reached = await forumsReachedBy(deps.forums, principal);
      const forumIds =
        forumId === undefined
          ? reached
          : reached === undefined || reached.includes(forumId)
            ? [forumId]
            : [];
      if (forumIds !== undefined && forumIds.length === 0)
        return { items: [], nextPageToken: null };
      return deps.sessions.list({
        ...filters,
        ...(forumIds === undefined ? {} : { forumIds }),
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
    },

    /** For the seating source: any session, whoever asks (the caller is a service). */
    find: (id: string): Promise<StoredSession | null> => deps.sessions.get(id),
  };
}

export type SessionReads = ReturnType<typeof sessionReads>;
