/**
 * The port the venue catalogue is stored through: the halls, libraries and
 * squares where activities are held, each at a jurisdiction node, so an
 * activity names a known place instead of retyping it.
 */
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';

export interface StoredVenue {
  readonly id: string;
  readonly name: string;
  readonly address: string | null;
  /** Codes from the city down to the venue's jurisdiction node. */
  readonly jurisdictionPath: readonly string[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly version: number;
}

/** A new venue with its audit record, stored in the same write. */
export interface NewVenue extends Omit<StoredVenue, 'version'> {
  readonly events: readonly OutboxEntry[];
}

export interface VenueQuery {
  /** Only venues in the subtree of this jurisdiction node. */
  readonly jurisdictionCode?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface VenuePage {
  readonly items: StoredVenue[];
  readonly nextPageToken: string | null;
}

export interface VenueRepository {
  get(scope: Scope, id: string): Promise<StoredVenue | null>;
  /** The venues among `ids` that exist; unknown ids are absent. */
  getMany(scope: Scope, ids: readonly string[]): Promise<StoredVenue[]>;
  /** Fails with OUT_OF_SCOPE outside `scope`. */
  create(scope: Scope, venue: NewVenue): Promise<StoredVenue>;
  list(scope: Scope, query: VenueQuery): Promise<VenuePage>;
}
