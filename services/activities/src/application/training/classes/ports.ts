/** What the classes part stores and asks outside itself. */
import type { Scope } from '@learning/auth';
import type { ContentCategory, Page } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { TrainingClass } from '../../../domain/training.js';

/** A class as stored: the class, plus what lists and routing need beside it. */
export interface StoredClass extends TrainingClass {
  /** The programme's lead department, copied for routing and for the department's list. */
  readonly leadDepartment: string;
  /** The programme's categories, copied for the public list and for seating. */
  readonly categories: readonly ContentCategory[];
  readonly createdBy: string;
  readonly updatedAt: Date;
  readonly cancelledAt: Date | null;
  readonly cancellationReason: string | null;
}

export type NewClass = Omit<StoredClass, 'version'> & { readonly events: readonly OutboxEntry[] };

/** The fields a write replaces, beside its events. */
export type ClassChange = Partial<
  Pick<
    StoredClass,
    | 'title'
    | 'description'
    | 'venueName'
    | 'address'
    | 'sessions'
    | 'capacity'
    | 'targetGroups'
    | 'trainers'
    | 'status'
    | 'publishedAt'
    | 'cancelledAt'
    | 'cancellationReason'
  >
> & { readonly updatedAt: Date };

/** Who sees which classes in a manager's list; each part is ORed, `all` sees everything. */
export interface ClassVisibility {
  readonly all: boolean;
  /** Classes of programmes these departments lead, or that they organize. */
  readonly departments: readonly string[];
  /** Classes these organizations organize. */
  readonly organizations: readonly string[];
  /** Classes held in these subtrees. */
  readonly areas: readonly string[];
}

export interface ClassQuery {
  readonly programmeId?: string;
  readonly status?: TrainingClass['status'];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface PublicClassQuery {
  /** Only classes whose sign-up has not closed at this instant (their first session is later). */
  readonly openAfter: Date;
  readonly jurisdictionCode?: string;
  readonly targetGroup?: TrainingClass['targetGroups'][number];
  readonly category?: ContentCategory;
  readonly from?: Date;
  readonly to?: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ClassRepository {
  create(scope: Scope, trainingClass: NewClass): Promise<StoredClass>;
  get(id: string): Promise<StoredClass | null>;
  /** Applies `change` if the class is still at `expectedVersion`; VERSION_CONFLICT otherwise. */
  change(
    id: string,
    expectedVersion: number,
    change: ClassChange,
    events: readonly OutboxEntry[],
  ): Promise<StoredClass>;
  /** Newest first. */
  list(visibility: ClassVisibility, query: ClassQuery): Promise<Page<StoredClass>>;
  /** Published public classes by first session, earliest first. */
  listPublic(query: PublicClassQuery): Promise<Page<StoredClass>>;
}

export interface Expert {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

/** The lectures service's expert pool. */
export interface ExpertDirectory {
  /** The experts among `ids` it has, by id; unknown ids are absent. */
  find(ids: readonly string[]): Promise<ReadonlyMap<string, Expert>>;
}

/** Drops the public pages when a published class changes. */
export interface PublicClassPages {
  invalidate(): Promise<void>;
}
