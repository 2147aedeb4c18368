/**
 * Registration's answers over gRPC: the jurisdiction tree (nodes cached
 * briefly in Redis, since every write checks a place), organizations (never
 * cached: a suspension applies at once), the department list (kept in
 * memory), participants by account (never cached: personal data) and sign-up
 * figures (never cached: a capacity change is checked against the current
 * count).
 */
import {
  jurisdictionLevelMapping,
  organizationKindMapping,
  tierMapping,
} from '@learning/contracts';
import { AppError, isAppError } from '@learning/errors';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { common, registration } from '@learning/proto';
import { redisKey, type RedisClient } from '@learning/redis';
import type {
  Audience,
  AudienceCriteria,
  AudienceMember,
  Contact,
  Contacts,
  Department,
  Departments,
  DirectoryOrganization,
  DirectoryParticipant,
  EnrollmentFigures,
  Enrollments,
  Jurisdiction,
  JurisdictionLevel,
  Jurisdictions,
  MembersPage,
  Officer,
  OfficerRole,
  Officers,
  Organization,
  OrganizationCountInArea,
  OrganizationCriteria,
  OrganizationDirectory,
  OrganizationMember,
  Organizations,
  OrganizationStatus,
  Participants,
} from './ports.js';
import { reusedFor } from './reuse.js';

const DEADLINE_MS = 2_000;
/** Places and departments change rarely; an officer's edit shows everywhere within this. */
const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
/** A subtree of a city with thousands of villages streams for longer than one unary call. */
const STREAM_DEADLINE_MS = 30_000;
/** GetContacts takes at most this many ids per call. */
const CONTACTS_PER_CALL = 500;
/** An audience of a whole city streams for minutes while the caller works through its pages. */
const AUDIENCE_DEADLINE_MS = 5 * 60_000;
/**
 * A city's 100,000 organizations stream while the caller gathers each page's
 * figures (the annual evaluation): longer than an audience; a caller that
 * still runs out of it resumes with `afterId`.
 */
const ORGANIZATION_STREAM_DEADLINE_MS = 30 * 60_000;

export interface RegistrationClientOptions {
  /**
   * The calling service's name: registration files its sign-ups under it (the
   * `owner` of its events), and its cache keys start with it.
   */
  readonly service: string;
  /** `host:port` */
  readonly address: string;
  readonly redis: RedisClient;
  readonly logger: Logger;
  /** How long a jurisdiction node (in Redis) or the department list (in memory) is reused; 5 minutes by default. */
  readonly cacheTtlMs?: number;
  readonly tokenProvider?: () => Promise<string> | string;
}

function jurisdictionOf(message: registration.Jurisdiction): Jurisdiction {
  const level =
    message.ref === undefined ? undefined : jurisdictionLevelMapping.fromProto(message.ref.level);
  if (message.ref === undefined || level === undefined)
    throw new AppError(
      'internal',
      'UPSTREAM_FAILED',
      'Registration described a jurisdiction incompletely.',
    );
  return {
    code: message.ref.code,
    name: message.name,
    level,
    path: [...message.ref.path, message.ref.code],
  };
}

const ORGANIZATION_STATUSES: Partial<Record<registration.OrganizationStatus, OrganizationStatus>> =
  {
    [registration.OrganizationStatus.ORGANIZATION_STATUS_APPLIED]: 'applied',
    [registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW]: 'under_review',
    [registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED]: 'recognized',
    [registration.OrganizationStatus.ORGANIZATION_STATUS_REJECTED]: 'rejected',
    [registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED]: 'suspended',
  };

function organizationOf(message: registration.OrganizationSummary): Organization {
  const kind =
    message.routing === undefined
      ? undefined
      : organizationKindMapping.fromProto(message.routing.kind);
  const status = ORGANIZATION_STATUSES[message.status];
  if (message.routing === undefined || kind === undefined || status === undefined)
    throw new AppError(
      'internal',
      'UPSTREAM_FAILED',
      'Registration described an organization incompletely.',
    );
  return {
    id: message.organizationId,
    name: message.name,
    kind,
    leadDepartment: message.routing.leadDepartment,
    jurisdictionPath: [...message.routing.jurisdictionPath],
    status,
  };
}

type DirectoryClient = GrpcClient<typeof registration.JurisdictionDirectoryServiceService>;
type OrganizationClient = GrpcClient<typeof registration.OrganizationDirectoryServiceService>;
type EnrollmentClient = GrpcClient<typeof registration.EnrollmentServiceService>;
type ParticipantClient = GrpcClient<typeof registration.ParticipantDirectoryServiceService>;
type OfficerClient = GrpcClient<typeof registration.OfficerDirectoryServiceService>;

class GrpcJurisdictions implements Jurisdictions {
  constructor(
    private readonly client: DirectoryClient,
    private readonly redis: RedisClient,
    private readonly service: string,
    private readonly cacheTtlMs: number,
  ) {}

  private keyOf(code: string): string {
    return redisKey(this.service, 'jurisdiction', code);
  }

  async find(codes: readonly string[]): Promise<ReadonlyMap<string, Jurisdiction>> {
    const wanted = [...new Set(codes)];
    const found = new Map<string, Jurisdiction>();
    if (wanted.length === 0) return found;
    // A cache that is down only costs registration a call.
    const cached = await this.redis
      .mGet(wanted.map((code) => this.keyOf(code)))
      .catch(() => wanted.map(() => null));
    const missing: string[] = [];
    wanted.forEach((code, index) => {
      const text = cached[index];
      if (text === null || text === undefined) missing.push(code);
      else found.set(code, JSON.parse(text) as Jurisdiction);
    });
    if (missing.length === 0) return found;
    const response = await this.client.call.getJurisdictions({ codes: missing });
    for (const message of response.jurisdictions) {
      const node = jurisdictionOf(message);
      found.set(node.code, node);
      await this.redis
        .set(this.keyOf(node.code), JSON.stringify(node), { PX: this.cacheTtlMs })
        .catch(() => undefined);
    }
    return found;
  }

  async *subtree(
    rootCode: string,
    levels: readonly JurisdictionLevel[] = [],
  ): AsyncIterable<Jurisdiction[]> {
    const pages = this.client.call.streamSubtree(
      { rootCode, levels: levels.map((level) => jurisdictionLevelMapping.toProto(level)) },
      { deadlineMs: STREAM_DEADLINE_MS },
    );
    for await (const page of pages) yield page.jurisdictions.map(jurisdictionOf);
  }
}

const ORGANIZATION_STATUSES_TO_PROTO: Readonly<
  Record<OrganizationStatus, registration.OrganizationStatus>
> = {
  applied: registration.OrganizationStatus.ORGANIZATION_STATUS_APPLIED,
  under_review: registration.OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW,
  recognized: registration.OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
  rejected: registration.OrganizationStatus.ORGANIZATION_STATUS_REJECTED,
  suspended: registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED,
};

/** Never cached: a run reads the organizations as they are when it runs. */
class GrpcOrganizationDirectory implements OrganizationDirectory {
  constructor(private readonly client: OrganizationClient) {}

  async *stream(
    criteria: OrganizationCriteria,
    options: { readonly afterId?: string; readonly pageSize?: number } = {},
  ): AsyncIterable<DirectoryOrganization[]> {
    const pages = this.client.call.streamOrganizations(
      {
        kind:
          criteria.kind === undefined
            ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
            : organizationKindMapping.toProto(criteria.kind),
        jurisdictionCode: criteria.jurisdictionCode ?? '',
        statuses: (criteria.statuses ?? []).map((status) => ORGANIZATION_STATUSES_TO_PROTO[status]),
        pageSize: options.pageSize ?? 0,
        afterId: options.afterId ?? '',
        organizationIds: [...(criteria.organizationIds ?? [])],
      },
      { deadlineMs: ORGANIZATION_STREAM_DEADLINE_MS },
    );
    for await (const page of pages) {
      const organizations = page.organizations.flatMap((entry) =>
        entry.organization === undefined
          ? []
          : [{ ...organizationOf(entry.organization), memberCount: entry.memberCount }],
      );
      if (organizations.length > 0) yield organizations;
    }
  }

  async countIn(
    jurisdictionCodes: readonly string[],
    statuses: readonly OrganizationStatus[],
  ): Promise<ReadonlyMap<string, OrganizationCountInArea>> {
    const counts = new Map<string, OrganizationCountInArea>();
    const codes = [...new Set(jurisdictionCodes)];
    if (codes.length === 0) return counts;
    const response = await this.client.call.countOrganizations({
      jurisdictionCodes: codes,
      statuses: statuses.map((status) => ORGANIZATION_STATUSES_TO_PROTO[status]),
    });
    for (const count of response.counts)
      counts.set(count.jurisdictionCode, { total: count.total, matching: count.matching });
    return counts;
  }
}

/** Never cached: a suspended organization must stop organizing at once. */
const MEMBER_ROLES: Partial<Record<registration.MembershipRole, OrganizationMember['role']>> = {
  [registration.MembershipRole.MEMBERSHIP_ROLE_MEMBER]: 'member',
  [registration.MembershipRole.MEMBERSHIP_ROLE_ADMIN]: 'admin',
};

const MEMBER_ROLES_TO_PROTO: Readonly<
  Record<OrganizationMember['role'], registration.MembershipRole>
> = {
  member: registration.MembershipRole.MEMBERSHIP_ROLE_MEMBER,
  admin: registration.MembershipRole.MEMBERSHIP_ROLE_ADMIN,
};

class GrpcOrganizations implements Organizations {
  constructor(private readonly client: OrganizationClient) {}

  async find(ids: readonly string[]): Promise<ReadonlyMap<string, Organization>> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, Organization>();
    if (wanted.length === 0) return found;
    const response = await this.client.call.getOrganizations({ ids: wanted });
    for (const message of response.organizations) {
      const organization = organizationOf(message);
      found.set(organization.id, organization);
    }
    return found;
  }

  async members(
    organizationId: string,
    page: { readonly size: number; readonly token: string },
    filter: { readonly roles?: readonly OrganizationMember['role'][] } = {},
  ): Promise<MembersPage | null> {
    try {
      const response = await this.client.call.listMembers({
        organizationId,
        page: { pageSize: page.size, pageToken: page.token },
        roles: (filter.roles ?? []).map((role) => MEMBER_ROLES_TO_PROTO[role]),
      });
      return {
        members: response.members.map((member) => ({
          participantId: member.participantId,
          role: MEMBER_ROLES[member.role] ?? 'member',
          joinedAt: member.joinedAt ?? new Date(0),
        })),
        nextPageToken: response.page?.nextPageToken ?? '',
      };
    } catch (error) {
      if (isAppError(error) && error.kind === 'not_found') return null;
      throw error;
    }
  }
}

/** The whole list, reused for a while: it changes rarely, and every organizer check reads it. */
class GrpcDepartments implements Departments {
  private readonly all: () => Promise<ReadonlyMap<string, Department>>;

  constructor(client: OrganizationClient, cacheTtlMs: number) {
    this.all = reusedFor(cacheTtlMs, async () => {
      const response = await client.call.getDepartments({});
      return new Map(response.departments.map(({ code, name }) => [code, { code, name }]));
    });
  }

  async find(codes: readonly string[]): Promise<ReadonlyMap<string, Department>> {
    const found = new Map<string, Department>();
    if (codes.length === 0) return found;
    const all = await this.all();
    for (const code of codes) {
      const department = all.get(code);
      if (department !== undefined) found.set(code, department);
    }
    return found;
  }
}

/** Never cached: the answer holds personal data, and a correction of the ID number applies at once. */
function participantOf(message: registration.DirectoryParticipant): DirectoryParticipant {
  return {
    id: message.id,
    accountSubject: message.accountSubject,
    name: message.name,
    jurisdictionPath: [...message.jurisdictionPath],
    birthDate: message.birthDate === '' ? null : message.birthDate,
    tier: tierMapping.fromProto(message.tier) ?? null,
    organizationIds: [...message.organizationIds],
  };
}

class GrpcParticipants implements Participants {
  constructor(private readonly client: ParticipantClient) {}

  async byAccounts(
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, DirectoryParticipant>> {
    const found = new Map<string, DirectoryParticipant>();
    const wanted = [...new Set(subjects)];
    if (wanted.length === 0) return found;
    const response = await this.client.call.getParticipants({ ids: [], accountSubjects: wanted });
    for (const message of response.participants)
      if (message.accountSubject !== '') found.set(message.accountSubject, participantOf(message));
    return found;
  }

  async byIds(ids: readonly string[]): Promise<ReadonlyMap<string, DirectoryParticipant>> {
    const found = new Map<string, DirectoryParticipant>();
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return found;
    const response = await this.client.call.getParticipants({ ids: wanted, accountSubjects: [] });
    for (const message of response.participants) found.set(message.id, participantOf(message));
    return found;
  }
}

/** Never cached: the answer holds personal data, and a withdrawn consent applies at once. */
class GrpcContacts implements Contacts {
  constructor(private readonly client: ParticipantClient) {}

  async byIds(ids: readonly string[]): Promise<ReadonlyMap<string, Contact>> {
    const found = new Map<string, Contact>();
    const wanted = [...new Set(ids)];
    for (let start = 0; start < wanted.length; start += CONTACTS_PER_CALL) {
      const response = await this.client.call.getContacts({
        ids: wanted.slice(start, start + CONTACTS_PER_CALL),
      });
      for (const contact of response.contacts)
        found.set(contact.participantId, {
          participantId: contact.participantId,
          language: contact.language,
          phone: contact.phone === '' ? null : contact.phone,
          email: contact.email === '' ? null : contact.email,
          wechatOpenId: contact.wechatOpenId === '' ? null : contact.wechatOpenId,
        });
    }
    return found;
  }
}

function criteriaToProto(criteria: AudienceCriteria): registration.CountAudienceRequest {
  return {
    tiers: criteria.tiers.map((tier) => tierMapping.toProto(tier)),
    jurisdictionCodes: [...criteria.jurisdictionCodes],
    organizationKinds: criteria.organizationKinds.map((kind) =>
      organizationKindMapping.toProto(kind),
    ),
    eventKey: criteria.eventKey ?? '',
  };
}

function audienceMemberOf(message: registration.AudienceMember): AudienceMember {
  return {
    id: message.id,
    tier: tierMapping.fromProto(message.tier) ?? null,
    jurisdictionPath: [...message.jurisdictionPath],
    language: message.language,
    notificationsConsent: message.notificationsConsent,
  };
}

class GrpcAudience implements Audience {
  constructor(private readonly client: ParticipantClient) {}

  /** Registration streams in ascending id order: a caller that stopped resumes with `afterId`. */
  async *stream(
    criteria: AudienceCriteria,
    options: { readonly afterId?: string; readonly pageSize?: number } = {},
  ): AsyncIterable<AudienceMember[]> {
    const pages = this.client.call.resolveAudience(
      {
        ...criteriaToProto(criteria),
        pageSize: options.pageSize ?? 0,
        afterId: options.afterId ?? '',
      },
      { deadlineMs: AUDIENCE_DEADLINE_MS },
    );
    for await (const page of pages)
      if (page.participants.length > 0) yield page.participants.map(audienceMemberOf);
  }

  async count(criteria: AudienceCriteria): Promise<number> {
    const response = await this.client.call.countAudience(criteriaToProto(criteria));
    return Number(response.count);
  }
}

const OFFICER_ROLES: Readonly<Record<OfficerRole, registration.OfficerRole>> = {
  city_admin: registration.OfficerRole.OFFICER_ROLE_CITY_ADMIN,
  department_officer: registration.OfficerRole.OFFICER_ROLE_DEPARTMENT_OFFICER,
  area_officer: registration.OfficerRole.OFFICER_ROLE_AREA_OFFICER,
};
const OFFICER_ROLES_FROM_PROTO = new Map(
  Object.entries(OFFICER_ROLES).map(([role, value]) => [value, role as OfficerRole]),
);

/** Never cached: the answer holds personal data, and an officer's new duty contact applies at once. */
class GrpcOfficers implements Officers {
  constructor(private readonly client: OfficerClient) {}

  async find(query: {
    readonly roles: readonly OfficerRole[];
    readonly jurisdictionCode?: string;
    readonly departmentCode?: string;
  }): Promise<readonly Officer[]> {
    const response = await this.client.call.findOfficers({
      roles: query.roles.map((role) => OFFICER_ROLES[role]),
      jurisdictionCode: query.jurisdictionCode ?? '',
      departmentCode: query.departmentCode ?? '',
    });
    return response.officers.map((officer) => ({
      subject: officer.subject,
      name: officer.name,
      // A role this build does not know grants nothing here.
      roles: officer.roles.flatMap((role) => {
        const known = OFFICER_ROLES_FROM_PROTO.get(role);
        return known === undefined ? [] : [known];
      }),
      jurisdictionCodes: [...officer.jurisdictionCodes],
      departmentCode: officer.departmentCode === '' ? null : officer.departmentCode,
      language: officer.language,
      phone: officer.phone === '' ? null : officer.phone,
      email: officer.email === '' ? null : officer.email,
    }));
  }
}

class GrpcEnrollments implements Enrollments {
  constructor(
    private readonly client: EnrollmentClient,
    private readonly owner: string,
  ) {}

  async figuresOf(eventIds: readonly string[]): Promise<ReadonlyMap<string, EnrollmentFigures>> {
    const figures = new Map<string, EnrollmentFigures>();
    if (eventIds.length === 0) return figures;
    const response = await this.client.call.getEnrollmentCounts({
      events: eventIds.map((eventId) => ({ owner: this.owner, eventId })),
    });
    for (const counts of response.counts)
      if (counts.event !== undefined)
        figures.set(counts.event.eventId, {
          confirmed: counts.confirmed,
          waitlisted: counts.waitlisted,
          checkedIn: counts.checkedIn,
          attended: counts.attended,
        });
    for (const id of eventIds)
      if (!figures.has(id))
        figures.set(id, { confirmed: 0, waitlisted: 0, checkedIn: 0, attended: 0 });
    return figures;
  }
}

export interface RegistrationClients {
  readonly jurisdictions: Jurisdictions;
  readonly organizations: Organizations;
  /** Organizations in bulk: whole-city streams and counts per area. */
  readonly organizationDirectory: OrganizationDirectory;
  readonly departments: Departments;
  readonly participants: Participants;
  readonly enrollments: Enrollments;
  /** Figures of events this service owns under another owner name (activities' training classes). */
  enrollmentsOf(owner: string): Enrollments;
  /** Unmasked, for the notifications service only: registration refuses any other caller. */
  readonly contacts: Contacts;
  readonly audience: Audience;
  /** Unmasked, for the notifications service only: registration refuses any other caller. */
  readonly officers: Officers;
  close(): void;
}

/** One client per registration service, all on the same address, deadline and token. */
export function connectRegistration(options: RegistrationClientOptions): RegistrationClients {
  const common = {
    address: options.address,
    logger: options.logger,
    deadlineMs: DEADLINE_MS,
    ...(options.tokenProvider === undefined ? {} : { tokenProvider: options.tokenProvider }),
  };
  const directory = createGrpcClient(registration.JurisdictionDirectoryServiceClient, {
    ...common,
    idempotentMethods: ['getJurisdictions', 'streamSubtree'],
  });
  const organizationDirectory = createGrpcClient(registration.OrganizationDirectoryServiceClient, {
    ...common,
    idempotentMethods: [
      'getOrganizations',
      'getDepartments',
      'listMembers',
      'streamOrganizations',
      'countOrganizations',
    ],
  });
  const participantDirectory = createGrpcClient(registration.ParticipantDirectoryServiceClient, {
    ...common,
    idempotentMethods: ['getParticipants', 'getContacts', 'countAudience'],
  });
  const officerDirectory = createGrpcClient(registration.OfficerDirectoryServiceClient, {
    ...common,
    idempotentMethods: ['findOfficers'],
  });
  const enrollmentService = createGrpcClient(registration.EnrollmentServiceClient, {
    ...common,
    idempotentMethods: ['getEnrollmentCounts'],
  });
  return {
    jurisdictions: new GrpcJurisdictions(
      directory,
      options.redis,
      options.service,
      options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    ),
    organizations: new GrpcOrganizations(organizationDirectory),
    organizationDirectory: new GrpcOrganizationDirectory(organizationDirectory),
    departments: new GrpcDepartments(
      organizationDirectory,
      options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    ),
    participants: new GrpcParticipants(participantDirectory),
    enrollments: new GrpcEnrollments(enrollmentService, options.service),
    enrollmentsOf: (owner) => new GrpcEnrollments(enrollmentService, owner),
    contacts: new GrpcContacts(participantDirectory),
    audience: new GrpcAudience(participantDirectory),
    officers: new GrpcOfficers(officerDirectory),
    close() {
      directory.close();
      organizationDirectory.close();
      participantDirectory.close();
      enrollmentService.close();
      officerDirectory.close();
    },
  };
}
