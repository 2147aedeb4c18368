/** What activities asks registration, the system of record for places and sign-ups. */

export type JurisdictionLevel = 'city' | 'township' | 'street' | 'village' | 'community';

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
