/**
 * The port learning organizations are stored through. Every method takes the
 * Scope the caller reaches; a document outside it reads as absent.
 */
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type { OrganizationKind } from '../../domain/departments.js';
import type {
  LearningSystem,
  OrganizationStatus,
  StatusChange,
} from '../../domain/organizations.js';

export interface StoredOrganization {
  readonly id: string;
  readonly kind: OrganizationKind;
  readonly name: string;
  readonly creditCode: string | null;
  /** Codes from the city down to the organization's jurisdiction node. */
  readonly jurisdictionPath: readonly string[];
  readonly leadDepartment: string;
  readonly coDepartments: readonly string[];
  readonly learningSystem: LearningSystem | null;
  readonly status: OrganizationStatus;
  /** Every status it has had, oldest first; the first is its application. */
  readonly history: readonly StatusChange[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** A new organization with the events (and audit record) stored in the same write. */
export interface NewOrganization extends Omit<StoredOrganization, 'version'> {
  readonly events: readonly OutboxEntry[];
}

/** A change to apply only if the organization is still at `expectedVersion`. */
export interface OrganizationChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly name?: string;
  readonly learningSystem?: LearningSystem | null;
  /** Becomes the status and is appended to the history. */
  readonly status?: StatusChange;
  readonly events: readonly OutboxEntry[];
}

export interface OrganizationQuery {
  /** Only organizations in the subtree of this jurisdiction node. */
  readonly jurisdictionCode?: string;
  readonly kind?: OrganizationKind;
  readonly status?: OrganizationStatus;
  readonly leadDepartment?: string;
  /** Names starting with this text, literally; the page is then in name order, otherwise in id order. */
  readonly namePrefix?: string;
  /** Only these organizations (what an admin administers). */
  readonly organizationIds?: readonly string[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface OrganizationPage {
  readonly items: StoredOrganization[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface OrganizationRepository {
  get(scope: Scope, id: string): Promise<StoredOrganization | null>;
  /** The organizations among `ids` inside `scope`, in no particular order; unknown ids are left out. */
  byIds(scope: Scope, ids: readonly string[]): Promise<StoredOrganization[]>;
  /** Fails with ORGANIZATION_ALREADY_EXISTS when the credit code is taken, OUT_OF_SCOPE outside `scope`. */
  create(scope: Scope, organization: NewOrganization): Promise<StoredOrganization>;
  /** Fails with VERSION_CONFLICT when changed meanwhile, ORGANIZATION_NOT_FOUND outside `scope`. */
  change(scope: Scope, change: OrganizationChange): Promise<StoredOrganization>;
  search(scope: Scope, query: OrganizationQuery): Promise<OrganizationPage>;
}

/** Where a jurisdiction node is: its path from the city, or null when there is no such node. */
export interface JurisdictionPaths {
  pathOf(code: string): Promise<readonly string[] | null>;
}
