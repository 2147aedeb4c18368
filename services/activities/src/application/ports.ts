/**
 * What the activities slices ask outside themselves: registration, the system
 * of record for places and sign-ups (its ports are `@learning/registration-client`'s),
 * and the campaigns slice.
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
  Organization,
  Organizations,
  OrganizationStatus,
  Participants,
} from '@learning/registration-client';

/** What an activity needs of the campaign it joins (the campaigns slice answers it). */
export interface CampaignSummary {
  readonly id: string;
  readonly title: string;
  readonly status: 'draft' | 'launched' | 'closed';
  /** Code of the department that owns the campaign. */
  readonly ownerDepartment: string;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  /** Codes from the city down to the root of the subtree the campaign covers. */
  readonly scopePath: readonly string[];
  /** First and last day, `YYYY-MM-DD` in the city's calendar. */
  readonly startsOn: string;
  readonly endsOn: string;
}

export interface CampaignDirectory {
  /** Null when there is no such campaign. */
  find(id: string): Promise<CampaignSummary | null>;
}
