/**
 * A campaign's progress against its goals: its activities (published, under
 * way or completed: not drafts, not cancelled ones) per township of its scope, and the participants they reached
 * (attendance registration recorded). activities_per_township is met when
 * the township with the fewest has reached the target: the office wants
 * every township covered, not a high average.
 */
import type { Principal } from '@learning/auth';
import type { Jurisdictions } from '../ports.js';
import { findVisible } from './access.js';
import type { CampaignRepository } from './campaign-repository.js';

export interface ActivityFigures {
  readonly activities: number;
  readonly participantsReached: number;
}

/** The activities slice's documents, counted for one campaign. */
export interface CampaignActivityFigures {
  /** Totals over all the campaign's activities, and per township among `townshipCodes`. */
  figuresOf(
    campaignId: string,
    townshipCodes: readonly string[],
  ): Promise<{ total: ActivityFigures; byTownship: ReadonlyMap<string, ActivityFigures> }>;
}

export interface TownshipProgress extends ActivityFigures {
  readonly jurisdictionCode: string;
}

export interface GoalProgress {
  readonly metric: string;
  readonly target: number;
  readonly achieved: number;
  readonly met: boolean;
}

export interface CampaignProgress extends ActivityFigures {
  readonly campaignId: string;
  readonly townships: readonly TownshipProgress[];
  readonly townshipsInScope: number;
  readonly townshipsWithoutActivities: readonly string[];
  readonly goals: readonly GoalProgress[];
}

export interface CampaignProgressDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
  readonly figures: CampaignActivityFigures;
}

export function getCampaignProgress(deps: CampaignProgressDeps) {
  return async (principal: Principal | undefined, id: string): Promise<CampaignProgress> => {
    const campaign = await findVisible(deps.campaigns, principal, id);
    const townshipCodes: string[] = [];
    for await (const page of deps.jurisdictions.subtree(campaign.jurisdictionCode, [
      'township',
      'street',
    ]))
      townshipCodes.push(...page.map((node) => node.code));
    townshipCodes.sort();
    const { total, byTownship } = await deps.figures.figuresOf(id, townshipCodes);
    const townships = townshipCodes.map((code) => ({
      jurisdictionCode: code,
      activities: byTownship.get(code)?.activities ?? 0,
      participantsReached: byTownship.get(code)?.participantsReached ?? 0,
    }));
    const fewest = townships.reduce(
      (least, township) => Math.min(least, township.activities),
      townships.length === 0 ? 0 : Number.POSITIVE_INFINITY,
    );
    const achievedOf = (metric: string): number =>
      metric === 'participants_reached' ? total.participantsReached : fewest;
    return {
      campaignId: id,
      ...total,
      townships,
      townshipsInScope: townshipCodes.length,
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
