/**
 * The port programmes are stored through. Who sees which programme is decided
 * by leadership and area (access.ts), so the repository reads city-wide and
 * narrows lists by the reader's `ProgrammeVisibility`.
 */
import type { ContentCategory, TrainingTargetGroup } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { Programme, ProgrammeStatus, TownshipQuota } from '../../../domain/training.js';

export interface StoredProgramme extends Programme {
  readonly createdBy: string;
  readonly updatedAt: Date;
}

/** A new programme with its audit record stored in the same write. */
export interface NewProgramme extends Omit<StoredProgramme, 'version'> {
  readonly events: readonly OutboxEntry[];
}

/** What a change may set: the plan, the quotas, the status and its stamp. */
export type ProgrammeFields = Pick<
  StoredProgramme,
  | 'title'
  | 'description'
  | 'jurisdictionPath'
  | 'firstYear'
  | 'lastYear'
  | 'targetGroups'
  | 'categories'
  | 'requiredMinutes'
  | 'skillsTest'
  | 'status'
  | 'launchedAt'
> & { readonly quotas: readonly TownshipQuota[] };

/** A change to apply only if the programme is still at `expectedVersion`. */
export interface ProgrammeChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<ProgrammeFields>;
  readonly events: readonly OutboxEntry[];
}

/** An area officer's reach: launched and closed programmes whose area overlaps theirs. */
export interface AreaReach {
  readonly cityWide: boolean;
  /** The officer's own codes: programmes inside these areas. */
  readonly codes: readonly string[];
  /** The paths of those codes, from the city down: programmes covering one of these areas. */
  readonly paths: readonly (readonly string[])[];
}

/** Which programmes a reader may see: any matching one of the parts. */
export type ProgrammeVisibility =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'some';
      readonly leadDepartments: readonly string[];
      readonly enterpriseIds: readonly string[];
      readonly area: AreaReach | null;
    };

export interface ProgrammeQuery {
  readonly visibility: ProgrammeVisibility;
  /** Programmes running in this year. */
  readonly year?: number;
  readonly leadDepartment?: string;
  readonly status?: ProgrammeStatus;
  readonly targetGroup?: TrainingTargetGroup;
  readonly category?: ContentCategory;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ProgrammePage {
  readonly items: StoredProgramme[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface ProgrammeRepository {
  get(id: string): Promise<StoredProgramme | null>;
  create(programme: NewProgramme): Promise<StoredProgramme>;
  /** Fails with VERSION_CONFLICT when changed meanwhile, PROGRAMME_NOT_FOUND when gone. */
  change(change: ProgrammeChange): Promise<StoredProgramme>;
  /** Newest first (by creation), then id. */
  search(query: ProgrammeQuery): Promise<ProgrammePage>;
}
