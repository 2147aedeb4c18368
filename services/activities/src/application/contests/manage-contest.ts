/**
 * An organizer sets the judging panel (until results are published) or
 * closes entries early; each change is one versioned write with its audit.
 */
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import type { AppError } from '@learning/errors';
import { closeEntries, CONTEST_RESULTS_ALREADY_PUBLISHED } from '../../domain/contests.js';
import { findManaged } from './access.js';
import { changeContest } from './audited-change.js';
import { contestErrors } from './errors.js';
import type { ContestRepository, PanelJudge, StoredContest, WriteDeps } from './ports.js';
import { domainContestOf } from './views.js';

export interface ManageContestDeps extends WriteDeps {
  readonly contests: ContestRepository;
}

const alreadyPublished = (): AppError =>
  contestErrors.error(
    CONTEST_RESULTS_ALREADY_PUBLISHED,
    'The results of this contest are published.',
  );

export function setJudges(deps: ManageContestDeps) {
  return async (
    principal: Principal,
    id: string,
    request: { readonly version: number; readonly judges: readonly PanelJudge[] },
  ): Promise<StoredContest> => {
    const access = await findManaged(deps.contests, principal, id);
    if (access.contest.status === 'results_published') throw alreadyPublished();
    const judges = request.judges.map((judge) => ({
      judgeId: judge.judgeId,
      organizations: [...new Set(judge.organizations)],
    }));
    return changeContest(deps, principal, access, {
      action: 'contest.set_judges',
      expectedVersion: request.version,
      updatedAt: deps.clock(),
      after: { ...access.contest, judges },
      fields: { judges },
    });
  };
}

export function closeContestEntries(deps: ManageContestDeps) {
  return async (principal: Principal, id: string): Promise<StoredContest> => {
    const access = await findManaged(deps.contests, principal, id);
    const now = deps.clock();
    const entryWindow = domainCall(() => closeEntries(domainContestOf(access.contest), now));
    return changeContest(deps, principal, access, {
      action: 'contest.close_entries',
      expectedVersion: access.contest.version,
      updatedAt: now,
      after: { ...access.contest, entryWindow },
      fields: { entryWindow },
    });
  };
}

export type SetJudges = ReturnType<typeof setJudges>;
export type CloseContestEntries = ReturnType<typeof closeContestEntries>;
