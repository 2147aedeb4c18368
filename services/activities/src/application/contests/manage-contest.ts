/**
 * An organizer sets the judging panel (until results are published) or
 * closes entries early; each change is one versioned write with its audit.
 */
import { domainCall } from '@learning/domain';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { closeEntries } from '../../domain/contests.js';
import { findManaged } from './access.js';

import type { ContestRepository, PanelJudge, StoredContest } from './ports.js';
import { contestAuditView, domainContestOf } from './views.js';

export interface ManageContestDeps {
  readonly contests: ContestRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

const alreadyPublished = (): AppError =>
  new AppError(
    'failed_precondition',
    'CONTEST_RESULTS_ALREADY_PUBLISHED',
    'The results of this contest are published.',
  );

export function setJudges(deps: ManageContestDeps) {
  return async (
    principal: Principal,
    id: string,
    request: { readonly version: number; readonly judges: readonly PanelJudge[] },
  ): Promise<StoredContest> => {
    const { contest, scope } = await findManaged(deps.contests, principal, id);
    if (contest.status === 'results_published') throw alreadyPublished();
    const judges = request.judges.map((judge) => ({
      judgeId: judge.judgeId,
      organizations: [...new Set(judge.organizations)],
    }));
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'contest.set_judges',
      entityType: 'contest',
      entityId: id,
      jurisdictionPath: contest.jurisdictionPath,
      before: contestAuditView(contest),
      after: contestAuditView({ ...contest, judges }),
    });
    return deps.contests.change(scope, {
      id,
      expectedVersion: request.version,
      updatedAt: deps.clock(),
      judges,
      events: [audit],
    });
  };
}

export function closeContestEntries(deps: ManageContestDeps) {
  return async (principal: Principal, id: string): Promise<StoredContest> => {
    const { contest, scope } = await findManaged(deps.contests, principal, id);
    const now = deps.clock();
    const entryWindow = domainCall(() => closeEntries(domainContestOf(contest), now));
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'contest.close_entries',
      entityType: 'contest',
      entityId: id,
      jurisdictionPath: contest.jurisdictionPath,
      before: contestAuditView(contest),
      after: contestAuditView({ ...contest, entryWindow }),
    });
    return deps.contests.change(scope, {
      id,
      expectedVersion: contest.version,
      updatedAt: now,
      entryWindow,
      events: [audit],
    });
  };
}

export type SetJudges = ReturnType<typeof setJudges>;
export type CloseContestEntries = ReturnType<typeof closeContestEntries>;
