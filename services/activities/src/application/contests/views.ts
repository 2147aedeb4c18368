/** The domain's view of stored contests and entries, and what the audit log keeps of them. */
import type { Contest, Entry, Judge } from '../../domain/contests.js';
import type { PanelJudge, StoredContest, StoredEntry } from './ports.js';

export const domainContestOf = (contest: StoredContest): Contest => ({
  id: contest.id,
  status: contest.status,
  entryWindow: contest.entryWindow,
  ageBand: contest.ageBand,
  ageReferenceDate: contest.ageReferenceDate,
  rubric: contest.rubric,
});

export const domainEntryOf = (entry: StoredEntry): Entry => ({
  id: entry.id,
  organizationId: entry.organizationId,
});

export const domainJudgeOf = (judge: PanelJudge): Judge => ({
  id: judge.judgeId,
  organizations: judge.organizations,
});

/** What the audit log keeps of a contest: it holds no personal data. */
export const contestAuditView = (contest: Omit<StoredContest, 'version'>) => ({
  title: contest.title,
  organizer: { ...contest.organizer },
  leadDepartment: contest.leadDepartment,
  jurisdictionPath: [...contest.jurisdictionPath],
  entryWindow: {
    opensAt: contest.entryWindow.opensAt.toISOString(),
    closesAt: contest.entryWindow.closesAt.toISOString(),
  },
  ageBand: { ...contest.ageBand },
  rubric: contest.rubric.map((criterion) => ({ ...criterion })),
  judgesPerEntry: contest.judgesPerEntry,
  judges: contest.judges.map((judge) => judge.judgeId),
  campaignId: contest.campaignId,
  categories: [...contest.categories],
  status: contest.status,
});

/** What the audit log keeps of an entry: never the letter or the birth date. */
export const entryAuditView = (entry: Omit<StoredEntry, 'version'>) => ({
  contestId: entry.contestId,
  organizationId: entry.organizationId,
  attachment: entry.attachment === null ? null : entry.attachment.fileRef,
  judges: [...entry.judges],
  scorecards: entry.scorecards.map((card) => ({
    judgeId: card.judgeId,
    weightedTotal: card.weightedTotal,
  })),
});
