/** In-memory stand-ins for the activities slice's ports, recording what was written. */
import { auditTrail } from '@learning/audit';
import { type Principal, scopeAllows, type Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import type {
  ActivityChange,
  ActivityPage,
  ActivityQuery,
  ActivityRepository,
  NewActivity,
  PublicActivityQuery,
  StoredActivity,
} from '../../../src/application/activities/activity-repository.js';
import type { MembersPage } from '@learning/registration-client';
import type { VenueLookup } from '../../../src/application/activities/create-activity.js';
import type {
  CampaignDirectory,
  CampaignSummary,
  Department,
  Departments,
  EnrollmentFigures,
  Enrollments,
  Jurisdiction,
  Jurisdictions,
  Organization,
  Organizations,
} from '../../../src/application/ports.js';

export const CITY = '330281000000';
export const T1 = '330281001000';
export const T1_V1 = '330281001001';
export const T2 = '330281002000';

export class FakeActivities implements ActivityRepository {
  readonly stored = new Map<string, StoredActivity>();
  readonly outbox: OutboxEntry[] = [];
  lastPublicQuery: PublicActivityQuery | undefined;

  async get(scope: Scope, id: string): Promise<StoredActivity | null> {
    const found = this.stored.get(id);
    return found !== undefined && scopeAllows(scope, found.jurisdictionPath) ? found : null;
  }

  async create(_scope: Scope, activity: NewActivity): Promise<StoredActivity> {
    const { events, ...fields } = activity;
    const stored: StoredActivity = { ...fields, attended: 0, version: 1 };
    this.stored.set(stored.id, stored);
    this.outbox.push(...events);
    return stored;
  }

  async change(scope: Scope, change: ActivityChange): Promise<StoredActivity> {
    const current = await this.get(scope, change.id);
    if (current === null) throw new AppError('not_found', 'ACTIVITY_NOT_FOUND', 'not found');
    if (current.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed meanwhile');
    const next: StoredActivity = {
      ...current,
      ...change.fields,
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.cancellation === undefined ? {} : { cancellation: change.cancellation }),
      ...(change.publishedAt === undefined ? {} : { publishedAt: change.publishedAt }),
      updatedAt: change.updatedAt,
      version: current.version + 1,
    };
    this.stored.set(next.id, next);
    this.outbox.push(...change.events);
    return next;
  }

  async list(_scope: Scope, _query: ActivityQuery): Promise<ActivityPage> {
    return { items: [...this.stored.values()], nextPageToken: null };
  }

  async listPublic(query: PublicActivityQuery): Promise<ActivityPage> {
    this.lastPublicQuery = query;
    return { items: [], nextPageToken: null };
  }

  async due(): Promise<StoredActivity[]> {
    return [];
  }

  async recordAttendance(activityId: string): Promise<boolean> {
    const found = this.stored.get(activityId);
    if (found === undefined) return false;
    this.stored.set(activityId, { ...found, attended: found.attended + 1 });
    return true;
  }

  typesWritten(): string[] {
    return this.outbox.map((entry) => entry.type);
  }
}

const node = (path: string[]): Jurisdiction => ({
  code: path.at(-1) ?? '',
  name: 'place',
  level: path.length === 1 ? 'city' : path.length === 2 ? 'township' : 'village',
  path,
});

export const fakeJurisdictions: Jurisdictions = {
  async find(codes) {
    const known = [[CITY], [CITY, T1], [CITY, T1, T1_V1], [CITY, T2]].map(node);
    return new Map(known.filter((n) => codes.includes(n.code)).map((n) => [n.code, n]));
  },
  async *subtree() {
    yield [];
  },
};

/** Registration's organizations: a community one led by 文明办 unless a test registers others. */
export class FakeOrganizations implements Organizations {
  readonly known = new Map<string, Organization>();
  register(id: string, overrides: Partial<Organization> = {}): void {
    this.known.set(id, {
      id,
      name: '学习型社区',
      kind: 'community',
      leadDepartment: 'wenming-ban',
      jurisdictionPath: [CITY, T1, T1_V1],
      status: 'recognized',
      ...overrides,
    });
  }
  async find(ids: readonly string[]): Promise<ReadonlyMap<string, Organization>> {
    return new Map([...this.known].filter(([id]) => ids.includes(id)));
  }
  /** Activities never lists members: a known organization has none here. */
  async members(organizationId: string): Promise<MembersPage | null> {
    return this.known.has(organizationId) ? { members: [], nextPageToken: '' } : null;
  }
}

/** Registration's department list: the departments these tests name, not `zzz-no-such-dept`. */
export const fakeDepartments: Departments = {
  async find(codes) {
    const known: readonly Department[] = [
      { code: 'wenming-ban', name: '文明办' },
      { code: 'xuanchuan-bu', name: '宣传部' },
      { code: 'jiaoyu-ju', name: '教育局' },
      { code: 'fulian', name: '妇联' },
    ];
    return new Map(known.filter((d) => codes.includes(d.code)).map((d) => [d.code, d]));
  },
};

/** Counts how often the public pages were dropped. */
export class FakePublicPages {
  invalidations = 0;
  async invalidate(): Promise<void> {
    this.invalidations += 1;
  }
}

export class FakeEnrollments implements Enrollments {
  figures: EnrollmentFigures = { confirmed: 0, waitlisted: 0, checkedIn: 0, attended: 0 };
  asked = 0;
  async figuresOf(ids: readonly string[]): Promise<ReadonlyMap<string, EnrollmentFigures>> {
    this.asked += 1;
    return new Map(ids.map((id) => [id, this.figures]));
  }
}

export class FakeCampaigns implements CampaignDirectory {
  readonly campaigns = new Map<string, CampaignSummary>();
  async find(id: string): Promise<CampaignSummary | null> {
    return this.campaigns.get(id) ?? null;
  }
}

export const campaign = (overrides: Partial<CampaignSummary> = {}): CampaignSummary => ({
  id: 'c0a80000-0000-4000-8000-000000000001',
  title: '全民学习月',
  status: 'launched',
  ownerDepartment: 'xuanchuan-bu',
  targetTiers: ['ordinary_citizen'],
  categories: ['ethics_etiquette'],
  scopePath: [CITY, T1],
  startsOn: '2026-04-01',
  endsOn: '2026-04-30',
  ...overrides,
});

export const KNOWN_VENUE = '0c0c0000-0000-4000-8000-000000000001';

export const fakeVenues: VenueLookup = {
  async find(id) {
    return id === KNOWN_VENUE ? { id, name: '农家书屋', address: '村委会二楼' } : null;
  },
};

export const audit = auditTrail('activities', topics.activitiesAudit);

export const principal = (
  fields: Partial<Principal> & Pick<Principal, 'subject' | 'roles'>,
): Principal => ({
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...fields,
});
