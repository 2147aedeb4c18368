/**
 * The port campaigns are stored through. Campaigns are the city's programmes,
 * read by everyone once launched: who sees a draft is decided by ownership
 * (see access.ts), not by a jurisdiction scope.
 */
import type { OutboxEntry } from '@learning/events';
import type { ContentCategory, Tier } from '@learning/domain';
import type {
  CampaignGoal,
  CampaignStatus,
  SubCampaign,
  YearlyRule,
} from '../../domain/recurrence.js';

export interface StoredCampaign {
  readonly id: string;
  /** Stable across the editions of a recurring series; the campaign's own id for a one-off. */
  readonly seriesId: string;
  readonly year: number;
  readonly title: string;
  readonly description: string;
  readonly ownerDepartment: string;
  /** null for a one-off campaign. */
  readonly rule: YearlyRule | null;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  /** The root of the subtree the campaign covers, and its path from the city down. */
  readonly jurisdictionCode: string;
  readonly jurisdictionPath: readonly string[];
  readonly goals: readonly CampaignGoal[];
  readonly subCampaigns: readonly SubCampaign[];
  readonly status: CampaignStatus;
  /** The edition this one was created from. */
  readonly previousEditionId: string | null;
  readonly launchedAt: Date | null;
  readonly launchedBy: string | null;
  readonly closedAt: Date | null;
  readonly closedBy: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** A new campaign with its audit record (and any events) stored in the same write. */
export interface NewCampaign extends Omit<StoredCampaign, 'version'> {
  readonly events: readonly OutboxEntry[];
}

/** What an officer plans of a campaign; its series, year and owner are fixed when it is created. */
export type CampaignPlanFields = Pick<
  StoredCampaign,
  | 'title'
  | 'description'
  | 'startsOn'
  | 'endsOn'
  | 'targetTiers'
  | 'categories'
  | 'jurisdictionCode'
  | 'goals'
  | 'subCampaigns'
>;

/** What a change may set: the plan, the scope's path, and the status with who moved it when. */
export type CampaignFields = CampaignPlanFields &
  Pick<
    StoredCampaign,
    'jurisdictionPath' | 'status' | 'launchedAt' | 'launchedBy' | 'closedAt' | 'closedBy'
  >;

/** A change to apply only if the campaign is still at `expectedVersion`. */
export interface CampaignChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<CampaignFields>;
  readonly events: readonly OutboxEntry[];
}

/** Which campaigns a reader may see. */
export type CampaignVisibility =
  | { readonly kind: 'all' }
  | { readonly kind: 'launched' }
  /** Launched and closed ones, and every campaign of this department, drafts included. */
  | { readonly kind: 'launched_or_owned'; readonly department: string };

export interface CampaignQuery {
  readonly visibility: CampaignVisibility;
  readonly year?: number;
  readonly status?: CampaignStatus;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly ownerDepartment?: string;
  /** Only campaigns whose scope root is one of these codes (a place's path: what covers it). */
  readonly scopeRootIn?: readonly string[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface CampaignPage {
  readonly items: StoredCampaign[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface CampaignRepository {
  get(id: string): Promise<StoredCampaign | null>;
  /** The edition of `seriesId` in `year`, if it exists. */
  findEdition(seriesId: string, year: number): Promise<StoredCampaign | null>;
  /** Fails with CAMPAIGN_ALREADY_EXISTS when the series already has that year's edition. */
  create(campaign: NewCampaign): Promise<StoredCampaign>;
  /** Fails with VERSION_CONFLICT when changed meanwhile, CAMPAIGN_NOT_FOUND when gone. */
  change(change: CampaignChange): Promise<StoredCampaign>;
  /** In order of the first day, then id. */
  search(query: CampaignQuery): Promise<CampaignPage>;
}
