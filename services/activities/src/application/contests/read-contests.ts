/** One contest, or a page of them, within what the caller reaches. */
import { hasRole, type Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { findOpenCall, findReadable, listReach } from './access.js';
import type { ContestRepository, Page, StoredContest } from './ports.js';

export const DEFAULT_PAGE_SIZE = 50;

export interface ReadContestsDeps {
  readonly contests: ContestRepository;
}

export interface ContestView {
  readonly contest: StoredContest;
  /** `full` for those who manage or oversee it; `call` (no judging panel) for entrants and judges. */
  readonly detail: 'full' | 'call';
}

export function getContest(deps: ReadContestsDeps) {
  return async (principal: Principal, id: string): Promise<ContestView> => {
    try {
      return {
        contest: (await findReadable(deps.contests, principal, id)).contest,
        detail: 'full',
      };
    } catch (error) {
      // A contest is a public call for entries: entrants and judges read it wherever it runs.
      if (!(error instanceof AppError) || !hasRole(principal, 'participant', 'expert')) throw error;
      return { contest: await findOpenCall(deps.contests, id), detail: 'call' };
    }
  };
}

export interface ListContestsRequest {
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function listContests(deps: ReadContestsDeps) {
  return async (
    principal: Principal,
    request: ListContestsRequest,
  ): Promise<Page<StoredContest>> => {
    const reach = listReach(principal);
    if (reach === null) return { items: [], nextPageToken: null };
    return deps.contests.list(reach.scope, {
      ...(reach.organizerIds === undefined ? {} : { organizerIds: reach.organizerIds }),
      pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
      ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
    });
  };
}

export type GetContest = ReturnType<typeof getContest>;
export type ListContests = ReturnType<typeof listContests>;
