/**
 * The port an audience is read through: pages of participant references,
 * produced lazily so a city-wide audience never sits in memory at once.
 */
import type { OrganizationKind } from '../../domain/departments.js';
import type { Language, Tier } from '../../domain/participants.js';

/** Every given criterion must hold; an empty list does not restrict. */
export interface AudienceFilter {
  readonly tiers: readonly Tier[];
  /** Inside the subtree of any of these jurisdictions. */
  readonly jurisdictionRoots: readonly string[];
  /** An active member of an organization of any of these kinds. */
  readonly organizationKinds: readonly OrganizationKind[];
  /** Confirmed in this event (`<owner>:<eventId>`). */
  readonly eventKey?: string;
  /** Only participants whose id sorts strictly after this one: where a stopped fan-out resumes. */
  readonly afterId?: string;
}

export interface AudienceMember {
  readonly id: string;
  readonly tier: Tier;
  readonly jurisdictionPath: readonly string[];
  readonly language: Language;
  readonly notificationsConsent: boolean;
}

export interface AudienceSource {
  /**
   * The matching participants, each once, in ascending id order, in pages
   * of at most `pageSize`. Reading stops (and the database cursor closes) when the consumer stops
   * iterating or `signal` aborts.
   */
  pages(
    filter: AudienceFilter,
    pageSize: number,
    signal: AbortSignal,
  ): AsyncIterable<AudienceMember[]>;
  /** How many participants `pages` would yield now. */
  count(filter: AudienceFilter, signal: AbortSignal): Promise<number>;
}
