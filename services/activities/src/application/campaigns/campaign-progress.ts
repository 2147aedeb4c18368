/**
 * A campaign's progress against its goals: its activities (published, under
 * way or completed: not drafts, not cancelled ones) and its lecture sessions
 * (scheduled or held, not cancelled: the April learning month counts them)
 * per township of its scope, and the participants they reached (attendance
 * registration recorded, at activities and at held lecture sessions alike:
 * both are the campaign's events, each attendance recorded once, under its
 * owner). activities_per_township is met when the township with the fewest has
 * reached the target: the office wants every township covered, not a high
 * average. lecture_sessions is the number of sessions in the counted scope.
 *
 * Progress is an office figure. City admins and the owner department see the
 * whole scope; an area officer sees the part of it inside their subtree (the
 * goals measured over that part), and a campaign outside it is not found to
 * them, as it is to everyone else.
 */
import type { Principal } from '@learning/auth';
import { mayManageCampaign } from '../../domain/recurrence.js';
import type { Jurisdictions } from '../ports.js';
import type { CampaignRepository, StoredCampaign } from './campaign-repository.js';
import { campaignNotFound } from './errors.js';

export interface ActivityFigures {
  readonly activities: number;
  readonly participantsReached: number;
}

/** The activities slice's documents, counted for one campaign. */
export interface CampaignActivityFigures {
  /**
   * Totals over the campaign's activities inside the subtrees of `roots`, and
   * per township among `townshipCodes`.
   */
  figuresOf(
    campaignId: string,
    roots: readonly string[],
    townshipCodes: readonly string[],
  ): Promise<{ total: ActivityFigures; byTownship: ReadonlyMap<string, ActivityFigures> }>;
}

export interface LectureFigures {
  readonly lectureSessions: number;
  /** Attendance of its held sessions. */
  readonly lectureAttendance: number;
}

/** Activities' copy of the lectures service's sessions, counted for one campaign. */
export interface CampaignLectureFigures {
  /** As CampaignActivityFigures.figuresOf, over the campaign's lecture sessions. */
  figuresOf(
    campaignId: string,
    roots: readonly string[],
    townshipCodes: readonly string[],
  ): Promise<{ total: LectureFigures; byTownship: ReadonlyMap<string, LectureFigures> }>;
}

/** `participantsReached` counts attendance at activities and at lecture sessions. */
export interface TownshipProgress extends ActivityFigures, LectureFigures {
  readonly jurisdictionCode: string;
}

export interface GoalProgress {
  readonly metric: string;
  readonly target: number;
  readonly achieved: number;
  readonly met: boolean;
}

export interface CampaignProgress extends ActivityFigures, LectureFigures {
  readonly campaignId: string;
  /** The roots of what is counted: the campaign's scope, or the reader's part of it. */
  readonly countedWithin: readonly string[];
  readonly townships: readonly TownshipProgress[];
  readonly townshipsInScope: number;
  readonly townshipsWithoutActivities: readonly string[];
  readonly goals: readonly GoalProgress[];
}

export interface CampaignProgressDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
  readonly figures: CampaignActivityFigures;
  readonly lectures: CampaignLectureFigures;
}

const NO_LECTURES: LectureFigures = { lectureSessions: 0, lectureAttendance: 0 };
const NO_ACTIVITIES: ActivityFigures = { activities: 0, participantsReached: 0 };

/** Both kinds of figures of one place, the participants reached summed over them. */
const combined = (activities: ActivityFigures, lectures: LectureFigures) => ({
  activities: activities.activities,
  lectureSessions: lectures.lectureSessions,
  lectureAttendance: lectures.lectureAttendance,
  participantsReached: activities.participantsReached + lectures.lectureAttendance,
});

/** The roots of the part of the campaign's scope `reader` may count; none when no part. */
async function rootsInView(
  jurisdictions: Jurisdictions,
  reader: Principal,
  campaign: StoredCampaign,
): Promise<readonly string[]> {
  const whole = [campaign.jurisdictionCode];
  if (mayManageCampaign(reader, campaign.ownerDepartment)) return whole;
  if (!reader.roles.includes('area_officer') || campaign.status === 'draft') return [];
  if (
    reader.cityWide ||
    reader.jurisdictions.some((code) => campaign.jurisdictionPath.includes(code))
  )
    return whole;
  // The officer's subtrees that lie inside the campaign's scope.
  const nodes = await jurisdictions.find(reader.jurisdictions);
  return [...nodes.values()]
    .filter((node) => node.path.includes(campaign.jurisdictionCode))
    .map((node) => node.code)
    .sort();
}

export function getCampaignProgress(deps: CampaignProgressDeps) {
  return async (principal: Principal, id: string): Promise<CampaignProgress> => {
    const campaign = await deps.campaigns.get(id);
    if (campaign === null) throw campaignNotFound();
    const roots = await rootsInView(deps.jurisdictions, principal, campaign);
    if (roots.length === 0) throw campaignNotFound();
    const townshipCodes = new Set<string>();
    for (const root of roots)
      for await (const page of deps.jurisdictions.subtree(root, ['township', 'street']))
        for (const node of page) townshipCodes.add(node.code);
    const codes = [...townshipCodes].sort();
    const [activities, lectures] = await Promise.all([
      deps.figures.figuresOf(id, roots, codes),
      deps.lectures.figuresOf(id, roots, codes),
    ]);
    const total = combined(activities.total, lectures.total);
    const townships = codes.map((code) => ({
      jurisdictionCode: code,
      ...combined(
        activities.byTownship.get(code) ?? NO_ACTIVITIES,
        lectures.byTownship.get(code) ?? NO_LECTURES,
      ),
    }));
    const fewest = townships.reduce(
      (least, township) => Math.min(least, township.activities),
      townships.length === 0 ? 0 : Number.POSITIVE_INFINITY,
    );
    const achievedOf = (metric: string): number => {
      if (metric === 'participants_reached') return total.participantsReached;
      if (metric === 'lecture_sessions') return total.lectureSessions;
      return fewest;
    };
    return {
      campaignId: id,
      countedWithin: roots,
      ...total,
      townships,
      townshipsInScope: codes.length,
      townshipsWithoutActivities: townships
        .filter((township) => township.activities === 0)
        .map((township) => township.jurisdictionCode),
      goals: campaign.goals.map((goal) => {
        const achieved = achievedOf(goal.metric);
        return { ...goal, achieved, met: achieved >= goal.target };
      }),
    };
  };
}

export type GetCampaignProgress = ReturnType<typeof getCampaignProgress>;
