/**
 * What the activities slices ask outside themselves: registration, the system
 * of record for places and sign-ups, and the campaigns slice.
 */
import type { ContentCategory, JurisdictionLevel, OrganizationKind, Tier } from '@learning/domain';

export type { JurisdictionLevel } from '@learning/domain';

export interface Jurisdiction {
  readonly code: string;
  readonly name: string;
  readonly level: JurisdictionLevel;
  /** Codes from the city down to this node itself. */
  readonly path: readonly string[];
}

export interface Jurisdictions {
  /** The known nodes among `codes`, by code; unknown codes are absent. */
  find(codes: readonly string[]): Promise<ReadonlyMap<string, Jurisdiction>>;
  /**
   * Every node of the subtree under `rootCode` (itself included), optionally
   * only of `levels`, in pages; NOT_FOUND (AppError) when the root is unknown.
   */
  subtree(rootCode: string, levels?: readonly JurisdictionLevel[]): AsyncIterable<Jurisdiction[]>;
}

export type OrganizationStatus =
  'applied' | 'under_review' | 'recognized' | 'rejected' | 'suspended';

/** A learning organization as registration holds it: its kind and lead department are the routing of what it organizes. */
export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly leadDepartment: string;
  /** Codes from the city down to the organization's own node. */
  readonly jurisdictionPath: readonly string[];
  readonly status: OrganizationStatus;
}

export interface Organizations {
  /** The known organizations among `ids`, by id; unknown ids are absent. */
  find(ids: readonly string[]): Promise<ReadonlyMap<string, Organization>>;
}

export interface EnrollmentFigures {
  readonly confirmed: number;
  readonly waitlisted: number;
  readonly checkedIn: number;
  readonly attended: number;
}

export interface Enrollments {
  /** Registration's figures for each activity; an activity nobody signed up for has zeros. */
  figuresOf(activityIds: readonly string[]): Promise<ReadonlyMap<string, EnrollmentFigures>>;
}

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
