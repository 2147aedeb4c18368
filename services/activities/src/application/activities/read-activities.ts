/**
 * Reading activities: one, or a list, within what an officer or organizer
 * reaches; the public portal's list of what is on (published and under way,
 * searchable in Chinese); and what other services ask over gRPC.
 */
import { type Principal, Scope } from '@learning/auth';
import { JURISDICTION_UNKNOWN, platformErrors } from '@learning/errors';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { ActivityStatus } from '../../domain/activity-lifecycle.js';
import { queryGrams } from '@learning/search';
import type { Jurisdictions } from '../ports.js';
import { findVisible, reachesOf } from './access.js';
import type {
  ActivityPage,
  ActivityQuery,
  ActivityRepository,
  PublicActivityQuery,
  StoredActivity,
} from './activity-repository.js';
import { ACTIVITY_RANGE_INVALID, ACTIVITY_SEARCH_EMPTY, activityNotFound } from './errors.js';
import { invalidAt } from '../errors.js';

/** What the public listing offers: what one can still go to. */
const ON_STATUSES: readonly ActivityStatus[] = ['published', 'under_way'];
/** What other services list as taking place (completed ones included, for reports). */
const HELD_STATUSES: readonly ActivityStatus[] = ['published', 'under_way', 'completed'];

export interface ReadActivitiesDeps {
  readonly activities: ActivityRepository;
  readonly jurisdictions: Jurisdictions;
}

/** An officer's or organizer's filters; their reach adds the rest. */
export interface ListActivitiesRequest extends Omit<
  ActivityQuery,
  'organizerIds' | 'leadDepartment' | 'pageSize'
> {
  readonly pageSize?: number;
}

/** The public's filters, with words to search for instead of grams. */
export interface PublicListRequest extends Omit<
  PublicActivityQuery,
  'grams' | 'statuses' | 'pageSize'
> {
  /** Words to find in the title or description. */
  readonly q?: string;
  readonly pageSize?: number;
}

export interface HeldRequest {
  readonly jurisdictionCode: string;
  readonly from: Date;
  readonly to: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

function checkRange(from: Date | undefined, to: Date | undefined): void {
  if (from !== undefined && to !== undefined && to.getTime() <= from.getTime())
    throw invalidAt(ACTIVITY_RANGE_INVALID, 'The range ends before it starts.', '/to');
}

export function activityReads(deps: ReadActivitiesDeps) {
  const publicScope = Scope.system('public activities');
  const getPublic = async (id: string): Promise<StoredActivity> => {
    const activity = await deps.activities.get(publicScope, id);
    // Never a draft, nor a draft cancelled before it was ever published.
    if (activity === null || activity.publishedAt === null) throw activityNotFound();
    return activity;
  };
  return {
    async get(principal: Principal, id: string): Promise<StoredActivity> {
      return (await findVisible(deps.activities, principal, id)).activity;
    },

    /** An officer's or organizer's list: their widest reach, in creation order, newest first. */
    async list(principal: Principal, request: ListActivitiesRequest): Promise<ActivityPage> {
      const [reach] = reachesOf(principal);
      if (reach === undefined) return { items: [], nextPageToken: null };
      const { pageSize, ...filters } = request;
      return deps.activities.list(reach.scope, {
        ...filters,
        ...reach.filter,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
    },

    /** Anyone: an activity once published, whatever became of it. */
    getPublic,

    /** Anyone: what is on, earliest first, filtered and searched. */
    async listPublic(request: PublicListRequest): Promise<ActivityPage> {
      const { q, pageSize, ...filters } = request;
      checkRange(filters.from, filters.to);
      let grams: string[] | undefined;
      if (q !== undefined) {
        grams = queryGrams(q);
        if (grams.length === 0)
          throw invalidAt(
            ACTIVITY_SEARCH_EMPTY,
            'The search has no letters, digits or characters to look for.',
            '/q',
          );
      }
      return deps.activities.listPublic({
        ...filters,
        ...(grams === undefined ? {} : { grams }),
        statuses: ON_STATUSES,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
    },

    /** For other services: an activity once published; NOT_FOUND for drafts. */
    getHeld: getPublic,

    /** For other services: what takes place in a subtree within [from, to); INVALID_ARGUMENT for an unknown place. */
    async listHeld(request: HeldRequest): Promise<ActivityPage> {
      checkRange(request.from, request.to);
      const known = await deps.jurisdictions.find([request.jurisdictionCode]);
      if (!known.has(request.jurisdictionCode))
        throw platformErrors.error(
          JURISDICTION_UNKNOWN,
          'There is no jurisdiction with that code.',
        );
      return deps.activities.listPublic({ ...request, statuses: HELD_STATUSES });
    },
  };
}

export type ActivityReads = ReturnType<typeof activityReads>;
