import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { lectureEvents } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { topics } from '@learning/events';
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  CampaignSummary,
  CatalogueVenue,
  EnrollmentFigures,
  Jurisdiction,
} from '../../../src/application/ports.js';
import {
  cancelSession,
  rescheduleSession,
} from '../../../src/application/sessions/change-session.js';
import type {
  CalendarWindow,
  ForumRecord,
  NewSession,
  SessionChange,
  SessionQuery,
  SessionRepository,
  StoredSession,
} from '../../../src/application/sessions/ports.js';
import { sessionReads } from '../../../src/application/sessions/read-sessions.js';
import { scheduleSession } from '../../../src/application/sessions/schedule-session.js';
import {
  DEFAULT_SCHEDULING_RULES as RULES,
  type CalendarEntry,
  type SpeakerFacts,
} from '../../../src/domain/scheduling.js';

const NOW = new Date('2027-04-01T00:00:00Z');
const HOUR = 60 * 60_000;
const CITY = '330281000000';
const STREET = '330281101000';
const TOWNSHIP = '330281001000';

const person = (subject: string, extra: Partial<Principal> = {}): Principal => ({
  subject,
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...extra,
});
const admin = person('admin', { roles: ['city_admin'], cityWide: true });
const manager = person('manager-1');
const officer = person('officer', { roles: ['department_officer'], department: 'xuanchuan-bu' });

class FakeSessions implements SessionRepository {
  readonly stored = new Map<string, StoredSession>();
  readonly windows: CalendarWindow[] = [];
  readonly created: NewSession[] = [];
  readonly changes: SessionChange[] = [];
  readonly queries: SessionQuery[] = [];
  calendarEntries: CalendarEntry[] = [];

  get(id: string) {
    return Promise.resolve(this.stored.get(id) ?? null);
  }
  create(session: NewSession) {
    this.created.push(session);
    const stored: StoredSession = {
      ...session,
      version: 1,
    };
    this.stored.set(session.id, stored);
    return Promise.resolve(stored);
  }
  change(change: SessionChange) {
    const current = this.stored.get(change.id);
    if (current === undefined) throw new Error('no such session');
    if (current.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    this.changes.push(change);
    const next = {
      ...current,
      ...change.set,
      updatedAt: change.updatedAt,
      version: current.version + 1,
    };
    this.stored.set(change.id, next);
    return Promise.resolve(next);
  }
  list(query: SessionQuery) {
    this.queries.push(query);
    return Promise.resolve({ items: [...this.stored.values()], nextPageToken: null });
  }
  calendar(window: CalendarWindow) {
    this.windows.push(window);
    return Promise.resolve(this.calendarEntries);
  }
}

const forum = (overrides: Partial<ForumRecord> = {}): ForumRecord => ({
  id: 'forum-1',
  name: '人文讲坛',
  status: 'active',
  managerSubjects: ['manager-1'],
  leadDepartment: 'wenming-ban',
  ownerDepartment: 'xuanchuan-bu',
  targetTiers: ['ordinary_citizen'],
  categories: ['science_culture_skills'],
  ...overrides,
});

const wang: SpeakerFacts = {
  id: 'wang',
  displayName: '王教授',
  status: 'active',
  travelRadius: 'countryside',
  availability: [{ startsAt: NOW, endsAt: new Date(NOW.getTime() + 365 * 24 * HOUR) }],
};

const catalogue: Record<string, CatalogueVenue> = {
  hall: {
    id: 'hall',
    name: '城东礼堂',
    address: null,
    jurisdictionPath: [CITY, STREET, `${STREET.slice(0, 9)}001`],
  },
  village: {
    id: 'village',
    name: '一村礼堂',
    address: '一村',
    jurisdictionPath: [CITY, TOWNSHIP, '330281001001'],
  },
  city: { id: 'city', name: '市府', address: null, jurisdictionPath: [CITY] },
};
const places: Record<string, Jurisdiction> = {
  [STREET]: { code: STREET, name: '城东街道', level: 'street', path: [CITY, STREET] },
  [TOWNSHIP]: { code: TOWNSHIP, name: '一镇', level: 'township', path: [CITY, TOWNSHIP] },
};

function setUp(forums: ForumRecord[] = [forum()]) {
  const sessions = new FakeSessions();
  const campaigns = new Map<string, CampaignSummary>();
  const figures = new Map<string, EnrollmentFigures>();
  const deps = {
    sessions,
    forums: {
      find: (id: string) => Promise.resolve(forums.find((f) => f.id === id) ?? null),
      reachedBy: (subject: string, department: string | undefined) =>
        Promise.resolve(
          forums
            .filter((f) => f.managerSubjects.includes(subject) || f.ownerDepartment === department)
            .map((f) => f.id),
        ),
    },
    experts: {
      find: (ids: readonly string[]) =>
        Promise.resolve(new Map(ids.filter((id) => id === 'wang').map((id) => [id, wang]))),
    },
    venues: {
      find: (ids: readonly string[]) =>
        Promise.resolve(
          new Map(
            ids.flatMap((id) =>
              catalogue[id] === undefined ? [] : [[id, catalogue[id]] as const],
            ),
          ),
        ),
    },
    campaigns: { find: (id: string) => Promise.resolve(campaigns.get(id) ?? null) },
    jurisdictions: {
      find: (codes: readonly string[]) =>
        Promise.resolve(
          new Map(
            codes.flatMap((code) =>
              places[code] === undefined ? [] : [[code, places[code]] as const],
            ),
          ),
        ),
      subtree: () => {
        throw new Error('not used');
      },
    },
    enrollments: {
      figuresOf: (ids: readonly string[]) =>
        Promise.resolve(
          new Map(
            ids.map((id) => [
              id,
              figures.get(id) ?? { confirmed: 0, waitlisted: 0, checkedIn: 0, attended: 0 },
            ]),
          ),
        ),
    },
    rules: RULES,
    audit: auditTrail('lectures', topics.lecturesAudit),
    clock: () => NOW,
    newId: () => 'session-1',
  };
  return { deps, sessions, campaigns, figures };
}

const request = (overrides: Record<string, unknown> = {}) => ({
  forumId: 'forum-1',
  lectureType: 'theory' as const,
  title: ' 宋韵文化 ',
  description: '城市精神',
  venueId: 'hall',
  startsAt: new Date('2027-04-10T02:00:00Z'),
  endsAt: new Date('2027-04-10T04:00:00Z'),
  speakerIds: ['wang', 'wang'],
  capacity: 100,
  ...overrides,
});

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('scheduling a session', () => {
  let world: ReturnType<typeof setUp>;
  beforeEach(() => {
    world = setUp();
  });

  it('when the forum’s manager schedules, then the session is stored with the venue’s setting, the forum’s audience and lead department, its grams, its event and audit record', async () => {
    const session = await scheduleSession(world.deps)(manager, request());

    expect(session).toMatchObject({
      id: 'session-1',
      title: '宋韵文化',
      leadDepartment: 'wenming-ban',
      jurisdictionPath: catalogue['hall']?.jurisdictionPath,
      venue: { id: 'hall', setting: 'city', townshipCode: STREET },
      speakerIds: ['wang'],
      targetTiers: ['ordinary_citizen'],
      categories: ['science_culture_skills'],
      signUpOpensAt: NOW,
      signUpClosesAt: new Date('2027-04-10T02:00:00Z'),
      status: 'scheduled',
    });
    const [created] = world.sessions.created;
    expect(created?.grams).toContain('宋韵');
    expect(created?.events.map((event) => event.type)).toEqual([
      lectureEvents.SessionScheduled.type,
      'lectures.audit.recorded.v1',
    ]);
    const scheduled = lectureEvents.SessionScheduled.codec.fromJSON(created?.events[0]?.data);
    expect(scheduled.session).toMatchObject({
      venueId: 'hall',
      venueName: '城东礼堂',
      speakerIds: ['wang'],
      speakerNames: ['王教授'],
    });
  });

  it('when the calendar is read, then only the speakers’ and the venue’s sessions near the plan are asked for', async () => {
    await scheduleSession(world.deps)(manager, request());

    const longest = (RULES.maxMinutes + RULES.countrysideMinutes) * 60_000;
    expect(world.sessions.windows).toEqual([
      {
        speakerIds: ['wang'],
        venueId: 'hall',
        from: new Date(new Date('2027-04-10T02:00:00Z').getTime() - longest),
        to: new Date(
          new Date('2027-04-10T04:00:00Z').getTime() + RULES.countrysideMinutes * 60_000,
        ),
      },
    ]);
  });

  it('when a township venue is chosen, then the setting is countryside', async () => {
    const session = await scheduleSession(world.deps)(admin, request({ venueId: 'village' }));
    expect(session.venue).toMatchObject({ setting: 'countryside', townshipCode: TOWNSHIP });
  });

  it('when someone manages neither the forum nor the office, then SESSION_FORBIDDEN and nothing is stored; the series’ department officer may', async () => {
    expect(await codeOf(scheduleSession(world.deps)(person('stranger'), request()))).toBe(
      'SESSION_FORBIDDEN',
    );
    expect(world.sessions.created).toEqual([]);
    await scheduleSession(world.deps)(officer, request());
    expect(world.sessions.created).toHaveLength(1);
  });

  it('when a rule, the venue or the campaign fails, then its code comes out and nothing is stored', async () => {
    world.campaigns.set('closed', {
      id: 'closed',
      title: '读书节',
      status: 'closed',
      ownerDepartment: 'xuanchuan-bu',
      scopePath: [CITY],
      startsOn: '2027-04-01',
      endsOn: '2027-04-30',
      targetTiers: [],
      categories: [],
    });
    const schedule = scheduleSession(world.deps);
    expect(await codeOf(schedule(manager, request({ venueId: 'nowhere' })))).toBe(
      'SESSION_VENUE_UNKNOWN',
    );
    expect(await codeOf(schedule(manager, request({ venueId: 'city' })))).toBe(
      'SESSION_VENUE_NOT_IN_TOWNSHIP',
    );
    expect(await codeOf(schedule(manager, request({ campaignId: 'missing' })))).toBe(
      'SESSION_CAMPAIGN_UNKNOWN',
    );
    expect(await codeOf(schedule(manager, request({ campaignId: 'closed' })))).toBe(
      'SESSION_CAMPAIGN_NOT_LAUNCHED',
    );
    expect(await codeOf(schedule(manager, request({ speakerIds: ['ghost'] })))).toBe(
      'SESSION_SPEAKER_NOT_IN_POOL',
    );
    expect(await codeOf(schedule(manager, request({ forumId: 'nope' })))).toBe(
      'SESSION_FORUM_UNKNOWN',
    );
    expect(await codeOf(schedule(manager, request({ capacity: 0 })))).toBe(
      'SESSION_CAPACITY_INVALID',
    );
    world.sessions.calendarEntries = [
      {
        id: 'other',
        title: '别的讲座',
        speakerIds: [],
        venue: { id: 'hall', setting: 'city', townshipCode: STREET },
        startsAt: new Date('2027-04-10T03:00:00Z'),
        endsAt: new Date('2027-04-10T05:00:00Z'),
      },
    ];
    expect(await codeOf(schedule(manager, request()))).toBe('SESSION_VENUE_CLASH');
    expect(world.sessions.created).toEqual([]);
  });

  it('when neither the request nor the forum names a tier, then SESSION_AUDIENCE_REQUIRED', async () => {
    const bare = setUp([forum({ targetTiers: [] })]);
    expect(await codeOf(scheduleSession(bare.deps)(manager, request()))).toBe(
      'SESSION_AUDIENCE_REQUIRED',
    );
  });
});

describe('rescheduling and cancelling', () => {
  let world: ReturnType<typeof setUp>;
  let session: StoredSession;
  beforeEach(async () => {
    world = setUp();
    session = await scheduleSession(world.deps)(manager, request());
  });

  it('when moved, then the calendar is read without the session itself, the window closes by the new start, and SessionRescheduled goes out with the write', async () => {
    const earlier = {
      startsAt: new Date('2027-04-09T02:00:00Z'),
      endsAt: new Date('2027-04-09T04:00:00Z'),
    };
    const moved = await rescheduleSession(world.deps)(manager, session.id, {
      version: 1,
      reason: ' 改期 ',
      ...earlier,
    });

    expect(world.sessions.windows.at(-1)?.excludeId).toBe(session.id);
    expect(moved).toMatchObject({
      ...earlier,
      signUpOpensAt: NOW,
      signUpClosesAt: earlier.startsAt,
      version: 2,
    });
    const [change] = world.sessions.changes;
    expect(change?.events.map((event) => event.type)).toEqual([
      lectureEvents.SessionRescheduled.type,
      'lectures.audit.recorded.v1',
    ]);
    expect(change?.events[0]?.data).toMatchObject({ reason: '改期', sessionId: session.id });
    const rescheduled = lectureEvents.SessionRescheduled.codec.fromJSON(change?.events[0]?.data);
    expect(rescheduled.session).toMatchObject({
      venueName: '城东礼堂',
      speakerNames: ['王教授'],
    });
  });

  it('when the version is stale, the change empty, the reason blank or the capacity below the confirmed seats, then each is refused', async () => {
    const reschedule = rescheduleSession(world.deps);
    expect(
      await codeOf(reschedule(manager, session.id, { version: 2, reason: '改', capacity: 50 })),
    ).toBe('VERSION_CONFLICT');
    expect(await codeOf(reschedule(manager, session.id, { version: 1, reason: '改' }))).toBe(
      'SESSION_CHANGE_EMPTY',
    );
    expect(
      await codeOf(reschedule(manager, session.id, { version: 1, reason: '  ', capacity: 50 })),
    ).toBe('SESSION_REASON_REQUIRED');
    world.figures.set(session.id, { confirmed: 60, waitlisted: 0, checkedIn: 0, attended: 0 });
    expect(
      await codeOf(reschedule(manager, session.id, { version: 1, reason: '改', capacity: 50 })),
    ).toBe('SESSION_CAPACITY_BELOW_ENROLLMENT');
    expect(
      await codeOf(
        reschedule(person('stranger'), session.id, { version: 1, reason: '改', capacity: 500 }),
      ),
    ).toBe('SESSION_NOT_FOUND');
    expect(world.sessions.changes).toEqual([]);
  });

  it('when cancelled with a reason, then SessionCancelled goes out; cancelling again is SESSION_NOT_SCHEDULED', async () => {
    const cancel = cancelSession(world.deps);
    expect(await codeOf(cancel(manager, session.id, { reason: '' }))).toBe(
      'SESSION_REASON_REQUIRED',
    );
    const cancelled = await cancel(manager, session.id, { reason: '场地维修' });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: '场地维修', cancelledBy: 'manager-1' },
    });
    expect(world.sessions.changes[0]?.events[0]?.type).toBe(lectureEvents.SessionCancelled.type);
    expect(await codeOf(cancel(manager, session.id, { reason: '再次' }))).toBe(
      'SESSION_NOT_SCHEDULED',
    );
  });
});

describe('reading sessions', () => {
  it('when a manager lists, then only their forums are asked for; a forum they do not reach answers empty without a query; a city admin asks for all', async () => {
    const world = setUp([
      forum(),
      forum({ id: 'forum-2', managerSubjects: ['manager-2'], ownerDepartment: 'other' }),
    ]);
    const reads = sessionReads(world.deps);

    await reads.list(manager, {});
    expect(world.sessions.queries.at(-1)?.forumIds).toEqual(['forum-1']);
    expect(await reads.list(manager, { forumId: 'forum-2' })).toEqual({
      items: [],
      nextPageToken: null,
    });
    expect(world.sessions.queries).toHaveLength(1);
    await reads.list(admin, {});
    expect(world.sessions.queries.at(-1)?.forumIds).toBeUndefined();
    expect(
      await codeOf(reads.list(admin, { from: new Date('2027-05-01'), to: new Date('2027-04-01') })),
    ).toBe('SESSION_RANGE_INVALID');
  });
});
