/**
 * What the lectures slices ask outside themselves: registration, the system
 * of record for places, departments and people (its ports are
 * `@learning/registration-client`'s), and activities, the owner of the venue
 * catalogue and of campaigns.
 */
import type { ContentCategory, Tier } from '@learning/domain';

export type {
  Department,
  Departments,
  DirectoryParticipant,
  EnrollmentFigures,
  Enrollments,
  Jurisdiction,
  JurisdictionLevel,
  Jurisdictions,
  Participants,
} from '@learning/registration-client';

/** A venue of the platform's catalogue, which activities owns (decision 0015). */
export interface CatalogueVenue {
  readonly id: string;
  readonly name: string;
  readonly address: string | null;
  /** Codes from the city down to the venue's own node. */
  readonly jurisdictionPath: readonly string[];
}

export interface Venues {
  /** The catalogued venues among `ids` (at most 100), by id; unknown ids are absent. */
  find(ids: readonly string[]): Promise<ReadonlyMap<string, CatalogueVenue>>;
}

/** A launched or closed campaign of activities', as a session that counts toward it needs it. */
export interface CampaignSummary {
  readonly id: string;
  readonly title: string;
  readonly status: 'launched' | 'closed';
  readonly ownerDepartment: string;
  /** Codes from the city down to the root of the subtree it covers. */
  readonly scopePath: readonly string[];
  /** First and last day, `YYYY-MM-DD` in China time. */
  readonly startsOn: string;
  readonly endsOn: string;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
}

export interface Campaigns {
  /** null when there is no such campaign, or it is a draft. */
  find(id: string): Promise<CampaignSummary | null>;
}
