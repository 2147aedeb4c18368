/** The port memberships are stored through, and the one question asked of participants. */
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type { OrganizationKind } from '../../domain/departments.js';
import type { MembershipRole, MembershipStatus } from '../../domain/organizations.js';

export interface StoredMembership {
  readonly organizationId: string;
  readonly participantId: string;
  readonly organizationKind: OrganizationKind;
  readonly role: MembershipRole;
  readonly status: MembershipStatus;
  readonly since: Date;
  readonly endedAt: Date | null;
  /** The organization's path. */
  readonly jurisdictionPath: readonly string[];
  readonly version: number;
}

/** A membership to insert (`expectedVersion` null) or to change from the stored version given. */
export interface MembershipWrite {
  readonly membership: Omit<StoredMembership, 'version'>;
  readonly expectedVersion: number | null;
  readonly events: readonly OutboxEntry[];
}

export interface MembershipQuery {
  readonly organizationId: string;
  readonly status?: MembershipStatus;
  /** Only memberships holding one of these roles; absent: any role. */
  readonly roles?: readonly MembershipRole[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface MembershipPage {
  /** In participant order within the organization. */
  readonly items: StoredMembership[];
  readonly nextPageToken: string | null;
}

export interface MembershipRepository {
  get(
    scope: Scope,
    organizationId: string,
    participantId: string,
  ): Promise<StoredMembership | null>;
  /**
   * Inserts or changes one membership with its events. A concurrent insert of
   * the same pair fails with MEMBERSHIP_ALREADY_EXISTS, a stale change with
   * VERSION_CONFLICT.
   */
  save(scope: Scope, write: MembershipWrite): Promise<StoredMembership>;
  list(scope: Scope, query: MembershipQuery): Promise<MembershipPage>;
}

/** Who belongs where now, for what snapshots a person (the directory, attendance). */
export interface CurrentMemberships {
  /** Each participant's current organizations (any role), in one read; participants with none are absent. */
  organizationsOf(
    scope: Scope,
    participantIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly string[]>>;
}

export interface ParticipantDirectory {
  /** Whether a participant with this id is registered. */
  exists(participantId: string): Promise<boolean>;
}
