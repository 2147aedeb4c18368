/**
 * The organizer publishes the ranking once, when every assigned judge has
 * scored: results, ContestResultsPublished and the audit record are one
 * versioned write of the contest, so a second publication (even a racing
 * one) finds it published and is refused. Anyone may read published results.
 */
import { domainCall } from '@learning/domain';
import { type Principal, Scope } from '@learning/auth';
import { activityEvents, contentCategoryMapping } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { newEvent } from '@learning/events';
import { publishResults, type Scorecard } from '../../domain/contests.js';
import { findManaged } from './access.js';
import { changeContest } from './audited-change.js';
import { CONTEST_RESULTS_NOT_PUBLISHED, contestErrors, contestNotFound } from './errors.js';
import type {
  ContestRepository,
  EntryRepository,
  Page,
  StoredContest,
  StoredEntry,
  StoredRanking,
  WriteDeps,
} from './ports.js';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import { domainContestOf, domainEntryOf } from './views.js';

export interface ResultsDeps extends WriteDeps {
  readonly contests: ContestRepository;
  readonly entries: EntryRepository;
}

export function publishContestResults(deps: ResultsDeps) {
  return async (principal: Principal, contestId: string): Promise<StoredContest> => {
    const access = await findManaged(deps.contests, principal, contestId);
    const { contest, scope } = access;
    const entries: StoredEntry[] = [];
    for await (const page of deps.entries.all(scope, contestId)) entries.push(...page);
    const now = deps.clock();
    const { results } = domainCall(() =>
      publishResults(
        domainContestOf(contest),
        entries.map(domainEntryOf),
        entries.flatMap((entry) => entry.judges.map((judgeId) => ({ entryId: entry.id, judgeId }))),
        entries.flatMap((entry) =>
          entry.scorecards.map((card): Scorecard => ({
            entryId: entry.id,
            judgeId: card.judgeId,
            points: card.points,
            weightedTotal: card.weightedTotal,
          })),
        ),
        now,
      ),
    );
    const participantOf = new Map(entries.map((entry) => [entry.id, entry.participantId]));
    const rankings: StoredRanking[] = results.map((result) => ({
      entryId: result.entryId,
      participantId: participantOf.get(result.entryId) ?? '',
      rank: result.rank,
      average: result.average,
      scorecards: result.scorecards,
    }));
    const published = newEvent(activityEvents.ContestResultsPublished, contestId, {
      contestId,
      title: contest.title,
      rankings: rankings.map((ranking) => ({
        entryId: ranking.entryId,
        participantId: ranking.participantId,
        rank: ranking.rank,
        scoreMillis: String(Math.round(ranking.average * 1000)),
      })),
      publishedAt: now,
      jurisdictionPath: [...contest.jurisdictionPath],
      campaignId: contest.campaignId ?? '',
      leadDepartment: contest.leadDepartment,
      categories: contest.categories.map((category) => contentCategoryMapping.toProto(category)),
    });
    return changeContest(deps, principal, access, {
      action: 'contest.publish_results',
      expectedVersion: contest.version,
      updatedAt: now,
      after: { ...contest, status: 'results_published' },
      fields: { publication: { results: rankings, publishedAt: now } },
      events: [published],
    });
  };
}

export interface PublishedResults {
  readonly contest: StoredContest;
  readonly page: Page<StoredRanking>;
}

export const CURSOR_INVALID = 'CURSOR_INVALID';

/** The page token of the public results: the position of the next ranking. */
const tokenOf = (offset: number): string => Buffer.from(`r${offset}`).toString('base64url');

function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^r(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (match?.[1] === undefined)
    throw new AppError('invalid_argument', CURSOR_INVALID, 'The page token is not valid.');
  return Number(match[1]);
}

export function readPublishedResults(deps: Pick<ResultsDeps, 'contests'>) {
  return async (
    contestId: string,
    request: { readonly pageSize?: number; readonly pageToken?: string },
  ): Promise<PublishedResults> => {
    const offset = offsetOf(request.pageToken);
    const contest = await deps.contests.get(Scope.cityWide(), contestId);
    if (contest === null) throw contestNotFound();
    if (contest.results === null)
      throw contestErrors.error(
        CONTEST_RESULTS_NOT_PUBLISHED,
        'The results of this contest are not published yet.',
      );
    const size = request.pageSize ?? DEFAULT_PAGE_SIZE;
    const items = contest.results.slice(offset, offset + size);
    const next = offset + size;
    return {
      contest,
      page: { items, nextPageToken: next < contest.results.length ? tokenOf(next) : null },
    };
  };
}

export type PublishContestResults = ReturnType<typeof publishContestResults>;
export type ReadPublishedResults = ReturnType<typeof readPublishedResults>;
