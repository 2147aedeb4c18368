/**
 * One contest, or a page of them, within what the caller reaches; and the
 * public's list of the contests taking entries or with their results out.
 */
import { hasRole, type Principal, Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { Jurisdictions } from '../ports.js';
import { findOpenCall, findReadable, listReach } from './access.js';
import { jurisdictionUnknown } from './errors.js';
import type { ContestRepository, ContestStage, Page, StoredContest } from './ports.js';

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

const pageOf = (request: ListContestsRequest) => ({
  pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
  ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
});

export function listContests(deps: ReadContestsDeps) {
  return async (
    principal: Principal,
    request: ListContestsRequest,
  ): Promise<Page<StoredContest>> => {
    const reach = listReach(principal);
    if (reach === null) return { items: [], nextPageToken: null };
    return deps.contests.list(reach.scope, {
      ...(reach.organizerIds === undefined ? {} : { organizerIds: reach.organizerIds }),
      ...pageOf(request),
    });
  };
}

export interface PublicContestsDeps extends ReadContestsDeps {
  readonly jurisdictions: Jurisdictions;
  readonly clock: () => Date;
}

export interface PublicContestsRequest extends ListContestsRequest {
  /** `entries_open`: taking entries now; `results_published`: with results to read. */
  readonly stage: ContestStage['kind'];
  /** Only contests run in this jurisdiction's subtree. */
  readonly jurisdictionCode?: string;
}

/**
 * A public page token: the repository's cursor and the moment the listing was
 * first asked at, so every page of one listing asks "open at" the same time
 * (a cursor is valid only for the query that made it).
 */
const publicTokenOf = (asOf: Date, cursor: string): string =>
  Buffer.from(JSON.stringify([asOf.getTime(), cursor])).toString('base64url');

function publicCursorOf(token: string): { asOf: Date; cursor: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string'
    )
      return { asOf: new Date(parsed[0] as number), cursor: parsed[1] };
  } catch {
    // Not JSON: refused below like any other token this listing did not make.
  }
  throw new AppError('invalid_argument', 'CURSOR_INVALID', 'The page token is not valid.');
}

/** The public calls for entries and results; the callers see no panel and no entries. */
export function listPublicContests(deps: PublicContestsDeps) {
  return async (request: PublicContestsRequest): Promise<Page<StoredContest>> => {
    const code = request.jurisdictionCode;
    if (code !== undefined && !(await deps.jurisdictions.find([code])).has(code))
      throw jurisdictionUnknown('/jurisdiction');
    const { asOf, cursor } =
      request.pageToken === undefined
        ? { asOf: deps.clock(), cursor: undefined }
        : publicCursorOf(request.pageToken);
    const stage: ContestStage =
      request.stage === 'entries_open'
        ? { kind: 'entries_open', at: asOf }
        : { kind: 'results_published' };
    const page = await deps.contests.list(
      code === undefined ? Scope.cityWide() : Scope.within([code]),
      { stage, ...pageOf({ pageSize: request.pageSize, pageToken: cursor }) },
    );
    return {
      items: page.items,
      nextPageToken: page.nextPageToken === null ? null : publicTokenOf(asOf, page.nextPageToken),
    };
  };
}

export type GetContest = ReturnType<typeof getContest>;
export type ListContests = ReturnType<typeof listContests>;
export type ListPublicContests = ReturnType<typeof listPublicContests>;
