/**
 * What a service asks registration, the system of record for places,
 * organizations and sign-ups, in the service's own terms: the application
 * layer depends on these, the gRPC client (client.ts) implements them.
 */
import type { CalendarDate, JurisdictionLevel, OrganizationKind, Tier } from '@learning/domain';

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

/** An organization as a whole-city run walks them: with its active members now. */
export interface DirectoryOrganization extends Organization {
  readonly memberCount: number;
}

export interface OrganizationCriteria {
  /** Absent: every kind. */
  readonly kind?: OrganizationKind;
  /** Only organizations in this node's subtree; absent: the whole city. */
  readonly jurisdictionCode?: string;
  /** Only these statuses; absent or empty: any. */
  readonly statuses?: readonly OrganizationStatus[];
  /** Only these organizations (at most 1000); absent or empty: any. */
  readonly organizationIds?: readonly string[];
}

export interface OrganizationCountInArea {
  /** Every organization in the subtree. */
  readonly total: number;
  /** Those of the statuses asked for. */
  readonly matching: number;
}

/** Organizations in bulk, for runs over the whole city (the annual evaluation). */
export interface OrganizationDirectory {
  /**
   * Every organization matching `criteria` with its member count, ascending by
   * id, in pages of at most `pageSize` (registration's default 500); from just
   * after `afterId` when given.
   */
  stream(
    criteria: OrganizationCriteria,
    options?: { readonly afterId?: string; readonly pageSize?: number },
  ): AsyncIterable<DirectoryOrganization[]>;
  /** For each code (at most 1000), the organizations in its subtree; unknown codes count zero. */
  countIn(
    jurisdictionCodes: readonly string[],
    statuses: readonly OrganizationStatus[],
  ): Promise<ReadonlyMap<string, OrganizationCountInArea>>;
}

export interface OrganizationMember {
  readonly participantId: string;
  readonly role: 'member' | 'admin';
  readonly joinedAt: Date;
}

export interface MembersPage {
  readonly members: readonly OrganizationMember[];
  /** Empty on the last page. */
  readonly nextPageToken: string;
}

export interface Organizations {
  /** The known organizations among `ids`, by id; unknown ids are absent. */
  find(ids: readonly string[]): Promise<ReadonlyMap<string, Organization>>;
  /**
   * One page of an organization's current members, only those holding any of
   * `filter.roles` when given; null when registration knows no such organization.
   */
  members(
    organizationId: string,
    page: { readonly size: number; readonly token: string },
    filter?: { readonly roles?: readonly OrganizationMember['role'][] },
  ): Promise<MembersPage | null>;
}

export interface EnrollmentFigures {
  readonly confirmed: number;
  readonly waitlisted: number;
  readonly checkedIn: number;
  readonly attended: number;
}

export interface Enrollments {
  /** Registration's figures for each of this service's events; an event nobody signed up for has zeros. */
  figuresOf(eventIds: readonly string[]): Promise<ReadonlyMap<string, EnrollmentFigures>>;
}

/** A city department, as registration lists them. */
export interface Department {
  /** Stable, pinyin: `jiaoyu-ju`. */
  readonly code: string;
  readonly name: string;
}

export interface Departments {
  /** The known departments among `codes`, by code; unknown codes are absent. */
  find(codes: readonly string[]): Promise<ReadonlyMap<string, Department>>;
}

/**
 * A participant as a service acting for them needs them. `birthDate` is
 * personal data: use it for the check at hand, never cache, log or show it
 * to anyone but the person.
 */
export interface DirectoryParticipant {
  readonly id: string;
  /** The token subject of the person's own account. */
  readonly accountSubject: string;
  readonly name: string;
  /** Codes from the city down to the home node. */
  readonly jurisdictionPath: readonly string[];
  /** Read from the verified ID number; null when none is on record. */
  readonly birthDate: CalendarDate | null;
  /** Null only when registration sent a tier this build does not know. */
  readonly tier: Tier | null;
  /** The learning organizations the person is a member of now. */
  readonly organizationIds: readonly string[];
}

export interface Participants {
  /** The registered participants whose own accounts are `subjects` (at most 100), by subject; others are absent. */
  byAccounts(subjects: readonly string[]): Promise<ReadonlyMap<string, DirectoryParticipant>>;
  /** The registered participants among `ids` (at most 100), by id; others are absent. */
  byIds(ids: readonly string[]): Promise<ReadonlyMap<string, DirectoryParticipant>>;
}

/** The notification channels a person can consent to beyond the in-app inbox. */
export type ContactChannel = 'sms' | 'email' | 'wechat';

/**
 * How to reach a consenting participant, unmasked: given to the notifications
 * service only. Personal data: use it to send, never log, cache or show it.
 * An address is present only when the person consented to its channel.
 */
export interface Contact {
  readonly participantId: string;
  /** "zh-CN" or "en". */
  readonly language: string;
  /** The 11-digit mainland mobile number. */
  readonly phone: string | null;
  readonly email: string | null;
  /** The person's openid at the city's WeChat official account. */
  readonly wechatOpenId: string | null;
}

export interface Contacts {
  /** The contacts of `ids` (at most 500) that have at least one consented address, by participant id. */
  byIds(ids: readonly string[]): Promise<ReadonlyMap<string, Contact>>;
}

/** Who an announcement or a fan-out reaches: every criterion must hold, an empty list is no criterion. */
export interface AudienceCriteria {
  readonly tiers: readonly Tier[];
  /** Homes inside the subtree of any of these codes. */
  readonly jurisdictionCodes: readonly string[];
  /** An active member of an organization of any of these kinds. */
  readonly organizationKinds: readonly OrganizationKind[];
  /** Confirmed in this event, `<owner>:<eventId>`. */
  readonly eventKey?: string;
}

/** Enough to address a participant in a fan-out, without personal data. */
export interface AudienceMember {
  readonly id: string;
  readonly tier: Tier | null;
  readonly jurisdictionPath: readonly string[];
  readonly language: string;
  readonly notificationsConsent: boolean;
}

export interface Audience {
  /**
   * Every participant matching `criteria`, in ascending id order, in pages of
   * at most `pageSize`; from just after `afterId` when given, so a fan-out
   * stopped mid-way resumes where it stopped.
   */
  stream(
    criteria: AudienceCriteria,
    options?: { readonly afterId?: string; readonly pageSize?: number },
  ): AsyncIterable<AudienceMember[]>;
  /** How many participants match `criteria` now: the size an office sees before it sends. */
  count(criteria: AudienceCriteria): Promise<number>;
}

export type OfficerRole = 'city_admin' | 'department_officer' | 'area_officer';

/** An officer who registered a duty contact with registration. Personal data as in `Contact`. */
export interface Officer {
  /** The token subject of the officer's account. */
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly OfficerRole[];
  /** The jurisdiction codes the officer's scope covers (empty for city-wide roles). */
  readonly jurisdictionCodes: readonly string[];
  /** The department a department officer works for; null otherwise. */
  readonly departmentCode: string | null;
  readonly language: string;
  readonly phone: string | null;
  readonly email: string | null;
}

export interface Officers {
  /**
   * The officers to tell about something at `jurisdictionCode` (those whose
   * scope covers it, and the city-wide ones) or of `departmentCode`, having
   * any of `roles`.
   */
  find(query: {
    readonly roles: readonly OfficerRole[];
    readonly jurisdictionCode?: string;
    readonly departmentCode?: string;
  }): Promise<readonly Officer[]>;
}
