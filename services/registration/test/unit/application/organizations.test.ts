/** The organization and membership use cases over in-memory fakes of our own ports. */
import { auditTrail } from '@learning/audit';
import { type Principal, scopeAllows, type Scope } from '@learning/auth';
import { organizationEvents } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  DepartmentTableReplacement,
  DepartmentTableRepository,
  StoredDepartmentTable,
} from '../../../src/application/departments/department-table-repository.js';
import type {
  MembershipRepository,
  MembershipWrite,
  StoredMembership,
} from '../../../src/application/memberships/membership-repository.js';
import { setMembership } from '../../../src/application/memberships/memberships.js';
import { decideOnOrganization } from '../../../src/application/organizations/decide-on-organization.js';
import type {
  NewOrganization,
  OrganizationChange,
  OrganizationPage,
  OrganizationRepository,
  StoredOrganization,
} from '../../../src/application/organizations/organization-repository.js';
import { registerOrganization } from '../../../src/application/organizations/register-organization.js';
import { DEFAULT_RESPONSIBILITY_TABLE } from '../../../src/domain/departments.js';
import { membershipIdOf } from '../../../src/domain/organizations.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const now = new Date('2025-04-10T02:00:00Z');
const audit = auditTrail('registration', topics.registrationAudit);

const principal = (overrides: Partial<Principal>): Principal => ({
  subject: 'someone',
  roles: [],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...overrides,
});
const applicant = principal({ subject: 'applicant', roles: ['org_admin'] });
const leadOfficer = principal({
  subject: 'lead',
  roles: ['department_officer'],
  cityWide: true,
  department: 'wenming-ban',
});

class FakeOrganizations implements OrganizationRepository {
  readonly stored = new Map<string, StoredOrganization>();
  readonly writes: OutboxEntry[][] = [];

  async get(scope: Scope, id: string): Promise<StoredOrganization | null> {
    const found = this.stored.get(id);
    return found !== undefined && scopeAllows(scope, found.jurisdictionPath) ? found : null;
  }

  async byIds(scope: Scope, ids: readonly string[]): Promise<StoredOrganization[]> {
    return [...this.stored.values()].filter(
      (found) => ids.includes(found.id) && scopeAllows(scope, found.jurisdictionPath),
    );
  }

  async create(_scope: Scope, organization: NewOrganization): Promise<StoredOrganization> {
    const { events, ...fields } = organization;
    const stored = { ...fields, version: 1 };
    this.stored.set(stored.id, stored);
    this.writes.push([...events]);
    return stored;
  }

  async change(_scope: Scope, change: OrganizationChange): Promise<StoredOrganization> {
    const current = this.stored.get(change.id);
    if (current?.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    const next: StoredOrganization = {
      ...current,
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.status === undefined
        ? {}
        : { status: change.status.status, history: [...current.history, change.status] }),
      version: current.version + 1,
    };
    this.stored.set(next.id, next);
    this.writes.push([...change.events]);
    return next;
  }

  async search(): Promise<OrganizationPage> {
    return { items: [...this.stored.values()], nextPageToken: null };
  }
}

class FakeTables implements DepartmentTableRepository {
  current_: StoredDepartmentTable = {
    table: DEFAULT_RESPONSIBILITY_TABLE,
    version: 1,
    updatedBy: null,
    updatedAt: null,
  };

  async current(): Promise<StoredDepartmentTable> {
    return this.current_;
  }

  async replace(replacement: DepartmentTableReplacement): Promise<StoredDepartmentTable> {
    this.current_ = {
      table: replacement.table,
      version: this.current_.version + 1,
      updatedBy: replacement.updatedBy,
      updatedAt: replacement.updatedAt,
    };
    return this.current_;
  }
}

class FakeMemberships implements MembershipRepository {
  readonly stored = new Map<string, StoredMembership>();
  readonly writes: MembershipWrite[] = [];
  /** Another request's insert, landing just before the next insert of ours. */
  raceOnNextInsert: StoredMembership | null = null;

  async get(
    _scope: Scope,
    organizationId: string,
    participantId: string,
  ): Promise<StoredMembership | null> {
    return this.stored.get(membershipIdOf(organizationId, participantId)) ?? null;
  }

  async save(_scope: Scope, write: MembershipWrite): Promise<StoredMembership> {
    const id = membershipIdOf(write.membership.organizationId, write.membership.participantId);
    if (write.expectedVersion === null && this.raceOnNextInsert !== null) {
      this.stored.set(id, this.raceOnNextInsert);
      this.raceOnNextInsert = null;
      throw new AppError('conflict', 'MEMBERSHIP_ALREADY_EXISTS', 'exists');
    }
    const version = (this.stored.get(id)?.version ?? 0) + 1;
    const stored = { ...write.membership, version };
    this.stored.set(id, stored);
    this.writes.push(write);
    return stored;
  }

  async list() {
    return { items: [...this.stored.values()], nextPageToken: null };
  }
}

describe('registerOrganization', () => {
  let organizations: FakeOrganizations;
  let tables: FakeTables;
  let register: ReturnType<typeof registerOrganization>;

  beforeEach(() => {
    organizations = new FakeOrganizations();
    tables = new FakeTables();
    let next = 0;
    register = registerOrganization({
      organizations,
      tables,
      audit,
      clock: () => now,
      jurisdictions: {
        pathOf: async (code) => (code === T1_V1 ? [CITY, T1, T1_V1] : null),
      },
      newId: () => `org-${String((next += 1))}`,
    });
  });

  it('when a family applies, then 妇联 leads it, it is applied, and the write carries the event and the audit record', async () => {
    const organization = await register(applicant, {
      kind: 'family',
      name: ' 张家 ',
      jurisdictionCode: T1_V1,
    });

    expect(organization).toMatchObject({
      name: '张家',
      leadDepartment: 'fulian',
      coDepartments: ['wenming-ban', 'jiaoyu-ju', 'minzheng-ju'],
      status: 'applied',
      creditCode: null,
      jurisdictionPath: [CITY, T1, T1_V1],
    });
    expect(organizations.writes[0]?.map((entry) => entry.type)).toEqual([
      organizationEvents.organizationRegistered.type,
      audit.event.type,
    ]);
  });

  it('when the table changes after a registration, then only the next registration follows it', async () => {
    const before = await register(applicant, {
      kind: 'family',
      name: 'A',
      jurisdictionCode: T1_V1,
    });
    await tables.replace({
      table: {
        ...DEFAULT_RESPONSIBILITY_TABLE,
        family: { lead: 'wenming-ban', coResponsible: ['fulian'] },
      },
      expectedVersion: 1,
      updatedBy: 'admin',
      updatedAt: now,
      events: [],
    });
    const after = await register(applicant, { kind: 'family', name: 'B', jurisdictionCode: T1_V1 });

    expect(organizations.stored.get(before.id)?.leadDepartment).toBe('fulian');
    expect(after.leadDepartment).toBe('wenming-ban');
  });

  it('when the jurisdiction is unknown, then JURISDICTION_UNKNOWN and nothing is written', async () => {
    const refusal = await register(applicant, {
      kind: 'family',
      name: 'A',
      jurisdictionCode: '330281009009',
    }).catch((error: unknown) => error);

    expect(refusal).toMatchObject({
      code: 'JURISDICTION_UNKNOWN',
      details: [{ field: '/jurisdictionCode', message: 'is not a known jurisdiction' }],
    });
    expect(organizations.stored.size).toBe(0);
  });

  it('when an area officer registers outside their township, then the write is asked in their own scope, which does not reach it', async () => {
    const created: Scope[] = [];
    organizations.create = async (scope, organization) => {
      created.push(scope);
      return FakeOrganizations.prototype.create.call(organizations, scope, organization);
    };
    const officer = principal({ roles: ['area_officer'], jurisdictions: ['330281002000'] });

    await register(officer, { kind: 'family', name: 'A', jurisdictionCode: T1_V1 });

    expect(created).toHaveLength(1);
    expect(scopeAllows(created[0] as Scope, [CITY, T1, T1_V1])).toBe(false);
  });
});

/** A community the applicant registered in T1_V1 through the use case, as the later steps find it. */
async function registeredCommunity(organizations: FakeOrganizations): Promise<string> {
  const register = registerOrganization({
    organizations,
    tables: new FakeTables(),
    audit,
    clock: () => now,
    jurisdictions: { pathOf: async () => [CITY, T1, T1_V1] },
  });
  return (await register(applicant, { kind: 'community', name: 'C', jurisdictionCode: T1_V1 })).id;
}

describe('decideOnOrganization', () => {
  let organizations: FakeOrganizations;
  let decideOn: ReturnType<typeof decideOnOrganization>;
  let id: string;

  beforeEach(async () => {
    organizations = new FakeOrganizations();
    id = await registeredCommunity(organizations);
    decideOn = decideOnOrganization({ organizations, audit, clock: () => now });
  });

  const eventTypesOf = (write: OutboxEntry[] | undefined) => write?.map((entry) => entry.type);

  it('when it is reviewed, recognized, suspended and reinstated, then each write carries its event and an audit record', async () => {
    for (const action of ['start_review', 'recognize', 'suspend', 'reinstate'] as const)
      await decideOn(leadOfficer, id, { action, reason: 'on site' });

    expect(organizations.writes.slice(1).map(eventTypesOf)).toEqual([
      [organizationEvents.organizationReviewStarted.type, audit.event.type],
      [organizationEvents.organizationRecognized.type, audit.event.type],
      [organizationEvents.organizationSuspended.type, audit.event.type],
      [organizationEvents.organizationRecognized.type, audit.event.type],
    ]);
    const reinstated = organizations.writes.at(-1)?.[0]?.data as { fromStatus: string };
    expect(reinstated.fromStatus).toBe('ORGANIZATION_STATUS_SUSPENDED');
    expect(organizations.stored.get(id)?.status).toBe('recognized');
  });

  it('when the officer decided on an older version, then VERSION_CONFLICT and nothing is written', async () => {
    await decideOn(leadOfficer, id, { action: 'start_review' });

    await expect(
      decideOn(leadOfficer, id, { action: 'recognize', version: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(organizations.stored.get(id)?.status).toBe('under_review');
  });

  it('when an area officer outside its township decides, then ORGANIZATION_NOT_FOUND', async () => {
    const outsider = principal({ roles: ['area_officer'], jurisdictions: ['330281002000'] });

    await expect(decideOn(outsider, id, { action: 'start_review' })).rejects.toMatchObject({
      code: 'ORGANIZATION_NOT_FOUND',
    });
  });
});

describe('setMembership', () => {
  let organizations: FakeOrganizations;
  let memberships: FakeMemberships;
  let set: ReturnType<typeof setMembership>;
  let id: string;
  let admin: Principal;

  beforeEach(async () => {
    organizations = new FakeOrganizations();
    memberships = new FakeMemberships();
    id = await registeredCommunity(organizations);
    admin = principal({ subject: 'org-admin', roles: ['org_admin'], organizations: [id] });
    set = setMembership({
      organizations,
      memberships,
      participants: { exists: async (participantId) => participantId !== 'ghost' },
      audit,
      clock: () => now,
    });
  });

  it('when the same role is set twice, then only the first writes', async () => {
    await set(admin, id, 'p-1', 'member');
    await set(admin, id, 'p-1', 'member');

    expect(memberships.writes).toHaveLength(1);
    expect(memberships.writes[0]?.events.map((entry) => entry.type)).toEqual([
      organizationEvents.membershipChanged.type,
      audit.event.type,
    ]);
  });

  it('when another request inserts the same pair first, then the change is applied on top of it', async () => {
    memberships.raceOnNextInsert = {
      organizationId: id,
      participantId: 'p-1',
      organizationKind: 'community',
      role: 'member',
      status: 'active',
      since: now,
      endedAt: null,
      jurisdictionPath: [CITY, T1, T1_V1],
      version: 1,
    };

    const stored = await set(admin, id, 'p-1', 'admin');

    expect(stored).toMatchObject({ role: 'admin', version: 2 });
    const change = memberships.writes[0]?.events[0]?.data as { change: string };
    expect(change.change).toBe('MEMBERSHIP_CHANGE_ROLE_CHANGED');
  });

  it('when the participant does not exist, then PARTICIPANT_NOT_FOUND and nothing is written', async () => {
    await expect(set(admin, id, 'ghost', 'member')).rejects.toMatchObject({
      code: 'PARTICIPANT_NOT_FOUND',
    });
    expect(memberships.writes).toHaveLength(0);
  });

  it('when the admin of another organization sets a member, then ORGANIZATION_NOT_FOUND', async () => {
    const other = principal({ roles: ['org_admin'], organizations: ['org-x'] });

    await expect(set(other, id, 'p-1', 'member')).rejects.toMatchObject({
      code: 'ORGANIZATION_NOT_FOUND',
    });
  });
});
