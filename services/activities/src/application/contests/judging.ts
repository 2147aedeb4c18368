/**
 * Judging: the organizer assigns judges (all unassigned entries at once, or
 * one entry by hand), never a judge to an entry of their own organization;
 * an assigned judge scores an entry once against the rubric.
 */
import { domainCall } from '@learning/domain';
import { actorOf } from '@learning/audit';
import { hasRole, type Principal, Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import {
  assertJudgingOpen,
  assignJudge,
  assignJudges,
  CONTEST_DUPLICATE_SCORECARD,
  CONTEST_JUDGES_PER_ENTRY_INVALID,
  scoreEntry,
  type Judge,
} from '../../domain/contests.js';
import { findManaged, findOpenCall } from './access.js';
import {
  CONTEST_JUDGE_HAS_SCORED,
  CONTEST_JUDGE_NOT_ON_PANEL,
  contestErrors,
  entryNotFound,
} from './errors.js';
import type {
  ContestRepository,
  EntryRepository,
  StoredContest,
  StoredEntry,
  WriteDeps,
} from './ports.js';
import { domainContestOf, domainEntryOf, domainJudgeOf, entryAuditView } from './views.js';

export interface JudgingDeps extends WriteDeps {
  readonly contests: ContestRepository;
  readonly entries: EntryRepository;
}

function assignmentAudit(
  deps: JudgingDeps,
  principal: Principal,
  entry: StoredEntry,
  judges: readonly string[],
) {
  return deps.audit.entry({
    actor: actorOf(principal),
    action: 'contest_entry.assign_judges',
    entityType: 'contest_entry',
    entityId: entry.id,
    jurisdictionPath: entry.jurisdictionPath,
    before: entryAuditView(entry),
    after: entryAuditView({ ...entry, judges }),
  });
}

/** Gives every entry without judges its `judgesPerEntry` judges from the panel, load spread evenly. */
export function assignAllJudges(deps: JudgingDeps) {
  return async (principal: Principal, contestId: string): Promise<{ assigned: number }> => {
    const { contest, scope } = await findManaged(deps.contests, principal, contestId);
    const now = deps.clock();
    domainCall(() => {
      assertJudgingOpen(domainContestOf(contest), now);
    });
    const unassigned: StoredEntry[] = [];
    for await (const page of deps.entries.all(scope, contestId))
      unassigned.push(...page.filter((entry) => entry.judges.length === 0));
    const plan = domainCall(() =>
      assignJudges(
        unassigned.map(domainEntryOf),
        contest.judges.map(domainJudgeOf),
        contest.judgesPerEntry,
      ),
    );
    let assigned = 0;
    // One write per entry: each is its own aggregate, and a rerun picks up any left unassigned.
    for (const entry of unassigned) {
      const judges = plan.filter((a) => a.entryId === entry.id).map((a) => a.judgeId);
      const written = await deps.entries.assign(scope, {
        contestId,
        entryId: entry.id,
        judges,
        updatedAt: now,
        events: [assignmentAudit(deps, principal, entry, judges)],
      });
      if (written !== null) assigned += 1;
    }
    return { assigned };
  };
}

/** Sets one entry's judges by hand; each must be on the panel and free of conflict. */
export function assignEntryJudges(deps: JudgingDeps) {
  return async (
    principal: Principal,
    contestId: string,
    entryId: string,
    request: { readonly version: number; readonly judgeIds: readonly string[] },
  ): Promise<StoredEntry> => {
    const { contest, scope } = await findManaged(deps.contests, principal, contestId);
    const entry = await deps.entries.get(scope, contestId, entryId);
    if (entry === null) throw entryNotFound();
    const now = deps.clock();
    domainCall(() => {
      assertJudgingOpen(domainContestOf(contest), now);
    });
    const judgeIds = [...new Set(request.judgeIds)];
    if (judgeIds.length !== contest.judgesPerEntry)
      throw contestErrors.error(
        CONTEST_JUDGES_PER_ENTRY_INVALID,
        `Each entry of this contest has ${contest.judgesPerEntry} judges.`,
      );
    for (const judgeId of judgeIds) {
      const judge = contest.judges.find((member) => member.judgeId === judgeId);
      if (judge === undefined)
        throw contestErrors.error(
          CONTEST_JUDGE_NOT_ON_PANEL,
          'Only judges on the contest panel can be assigned.',
          { details: [{ field: '/judgeIds', message: `${judgeId} is not on the panel` }] },
        );
      domainCall(() => assignJudge(domainJudgeOf(judge), domainEntryOf(entry)));
    }
    if (entry.scorecards.some((card) => !judgeIds.includes(card.judgeId)))
      throw contestErrors.error(
        CONTEST_JUDGE_HAS_SCORED,
        'A judge who has scored the entry stays assigned to it.',
      );
    const written = await deps.entries.assign(scope, {
      contestId,
      entryId,
      expectedVersion: request.version,
      judges: judgeIds,
      updatedAt: now,
      events: [assignmentAudit(deps, principal, entry, judgeIds)],
    });
    if (written === null)
      throw new AppError(
        'aborted',
        'VERSION_CONFLICT',
        'The entry was changed by someone else; reload it and try again.',
      );
    return written;
  };
}

/** The judge as the rules see them: the panel's record of their organizations and their token's. */
function judgeOf(contest: StoredContest, principal: Principal): Judge | null {
  const member = contest.judges.find((judge) => judge.judgeId === principal.subject);
  if (member === undefined) return null;
  return {
    id: member.judgeId,
    organizations: [...new Set([...member.organizations, ...principal.organizations])],
  };
}

export function scoreContestEntry(deps: JudgingDeps) {
  return async (
    principal: Principal,
    contestId: string,
    entryId: string,
    points: Readonly<Record<string, number>>,
  ): Promise<StoredEntry> => {
    const contest = await findOpenCall(deps.contests, contestId);
    const judge = hasRole(principal, 'expert') ? judgeOf(contest, principal) : null;
    const entry = await deps.entries.get(Scope.cityWide(), contestId, entryId);
    // Only the contest's own judges learn that an entry exists.
    if (judge === null || entry === null) throw entryNotFound();
    const now = deps.clock();
    const card = domainCall(() =>
      scoreEntry(
        domainContestOf(contest),
        entry.judges.map((judgeId) => ({ entryId, judgeId })),
        judge,
        domainEntryOf(entry),
        points,
        now,
      ),
    );
    const scorecard = {
      judgeId: card.judgeId,
      points: card.points,
      weightedTotal: card.weightedTotal,
      scoredAt: now,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'contest_entry.score',
      entityType: 'contest_entry',
      entityId: entryId,
      jurisdictionPath: entry.jurisdictionPath,
      before: entryAuditView(entry),
      after: entryAuditView({ ...entry, scorecards: [...entry.scorecards, scorecard] }),
    });
    const written = await deps.entries.addScorecard(Scope.cityWide(), {
      contestId,
      entryId,
      scorecard,
      events: [audit],
    });
    if (written === null)
      throw contestErrors.error(
        CONTEST_DUPLICATE_SCORECARD,
        'You have scored this entry already; a scorecard is final.',
      );
    return written;
  };
}

export type AssignAllJudges = ReturnType<typeof assignAllJudges>;
export type AssignEntryJudges = ReturnType<typeof assignEntryJudges>;
export type ScoreContestEntry = ReturnType<typeof scoreContestEntry>;
