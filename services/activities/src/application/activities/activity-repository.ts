/**
 * The port activities are stored through. Reads and writes take the Scope the
 * caller reaches; a document outside it reads as absent. Each change is one
 * single-document write carrying its events and audit record (the outbox).
 */
import type { AgeBand, ContentCategory, Tier } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type {
  ActivityKind,
  ActivityStatus,
  Cancellation,
  Capacity,
  Organizer,
  SignUpWindow,
} from '../../domain/activity-lifecycle.js';
import type { Schedule } from '../../domain/schedule.js';

/** Where an activity is held; an id of its own so the life cycle can require "a venue". */
export interface Venue {
  readonly id: string;
  readonly name: string;
  readonly address: string | null;
}

/** What an organizer may edit while the activity is a draft. */
export interface ActivityFields {
  readonly title: string;
  readonly description: string;
  readonly kind: ActivityKind;
  readonly venue: Venue | null;
  readonly schedule: Schedule | null;
  readonly capacity: Capacity;
  readonly signUpWindow: SignUpWindow | null;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  /** For pupils' programmes: the ages admitted. */
  readonly ageBand: AgeBand | null;
  readonly campaignId: string | null;
}

export interface StoredActivity extends ActivityFields {
  readonly id: string;
  readonly organizer: Organizer;
  /** Codes from the city down to the activity's jurisdiction node. */
  readonly jurisdictionPath: readonly string[];
  readonly status: ActivityStatus;
  readonly cancellation: Cancellation | null;
  readonly publishedAt: Date | null;
  /** Attendance registration has recorded, counted once per enrollment. */
  readonly attended: number;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** A new activity (always a draft) with the records stored in the same write. */
export interface NewActivity extends Omit<StoredActivity, 'version' | 'attended'> {
  readonly events: readonly OutboxEntry[];
}

/** A change applied only if the activity is still at `expectedVersion`. */
export interface ActivityChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly fields?: Partial<ActivityFields>;
  readonly status?: ActivityStatus;
  readonly cancellation?: Cancellation;
  readonly publishedAt?: Date;
  readonly events: readonly OutboxEntry[];
}

/** An officer's or organizer's list. */
export interface ActivityQuery {
  /** Only activities in the subtree of this jurisdiction node. */
  readonly jurisdictionCode?: string;
  readonly status?: ActivityStatus;
  readonly kind?: ActivityKind;
  readonly campaignId?: string;
  /** Only activities organized by these organizations or departments (an organizer's reach). */
  readonly organizerIds?: readonly string[];
  /** Only activities this department leads (a department officer's reach). */
  readonly leadDepartment?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

/** The public portal's list: published and under-way activities only, earliest first. */
export interface PublicActivityQuery {
  readonly jurisdictionCode?: string;
  /** Taking place at least partly within [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly kind?: ActivityKind;
  /** Every gram must be among the activity's (see `@learning/search`). */
  readonly grams?: readonly string[];
  /** Which statuses to include; the public portal passes published and under_way. */
  readonly statuses: readonly ActivityStatus[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ActivityPage {
  readonly items: StoredActivity[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface ActivityRepository {
  get(scope: Scope, id: string): Promise<StoredActivity | null>;
  /** Fails with OUT_OF_SCOPE outside `scope`. */
  create(scope: Scope, activity: NewActivity): Promise<StoredActivity>;
  /** Fails with VERSION_CONFLICT when changed meanwhile, ACTIVITY_NOT_FOUND outside `scope`. */
  change(scope: Scope, change: ActivityChange): Promise<StoredActivity>;
  list(scope: Scope, query: ActivityQuery): Promise<ActivityPage>;
  listPublic(query: PublicActivityQuery): Promise<ActivityPage>;
  /** Published activities whose start has passed and under-way ones whose end has, earliest first. */
  due(now: Date, limit: number): Promise<StoredActivity[]>;
  /** Counts one enrollment's attendance once; false when it was counted before or there is no such activity. */
  recordAttendance(activityId: string, enrollmentId: string): Promise<boolean>;
}
