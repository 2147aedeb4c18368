import { activityEvents } from '@learning/contracts';
import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { findVisible, reachesOf } from '../../../src/application/activities/access.js';
import {
  createActivity,
  type CreateActivityRequest,
} from '../../../src/application/activities/create-activity.js';
import { moveActivity, transition } from '../../../src/application/activities/move-activity.js';
import { activityReads } from '../../../src/application/activities/read-activities.js';
import { recordAttendance } from '../../../src/application/activities/record-attendance.js';
import { updateDraft } from '../../../src/application/activities/update-draft.js';
import {
  mayOrganize,
  SCHEDULER,
  validatePupilAgeBand,
} from '../../../src/domain/activity-lifecycle.js';
import {
  audit,
  campaign,
  CITY,
  FakeActivities,
  FakeCampaigns,
  FakeEnrollments,
  fakeDepartments,
  fakeJurisdictions,
  FakeOrganizations,
  FakePublicPages,
  fakeVenues,
  KNOWN_VENUE,
  principal,
  T1,
  T1_V1,
  T2,
} from './activities-fakes.js';

const NOW = new Date('2026-04-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;
const ORG = '0b0b0000-0000-4000-8000-00000000000a';
const OTHER_ORG = '0b0b0000-0000-4000-8000-00000000000b';

const adminOf = (org: string) =>
  principal({ subject: `admin-${org}`, roles: ['org_admin'], organizations: [org] });
const officerOf = (root: string) =>
  principal({ subject: `officer-${root}`, roles: ['area_officer'], jurisdictions: [root] });
const cityAdmin = principal({ subject: 'city', roles: ['city_admin'], cityWide: true });
const departmentOfficer = principal({
  subject: 'dept',
  roles: ['department_officer'],
  department: 'wenming-ban',
});

const session = (startIn: number, endIn: number) => ({
  kind: 'single' as const,
  session: { start: new Date(NOW.getTime() + startIn), end: new Date(NOW.getTime() + endIn) },
});

const request = (overrides: Partial<CreateActivityRequest> = {}): CreateActivityRequest => ({
  title: ' 社区读书会 ',
  description: '每周一次',
  kind: 'reading_club',
  organizer: { kind: 'organization', organizationId: ORG },
  jurisdictionCode: T1_V1,
  venue: { name: '礼堂' },
  schedule: session(24 * HOUR, 26 * HOUR),
  capacity: 10,
  targetTiers: ['ordinary_citizen'],
  ...overrides,
});

describe('activities use cases', () => {
  let activities: FakeActivities;
  let enrollments: FakeEnrollments;
  let campaigns: FakeCampaigns;
  let organizations: FakeOrganizations;
  let publicPages: FakePublicPages;
  let now: Date;
  const clock = () => now;
  let ids = 0;
  const newId = () => `0a0a0000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

  beforeEach(() => {
    activities = new FakeActivities();
    enrollments = new FakeEnrollments();
    campaigns = new FakeCampaigns();
    organizations = new FakeOrganizations();
    organizations.register(ORG);
    organizations.register(OTHER_ORG);
    publicPages = new FakePublicPages();
    now = NOW;
  });

  const create = (overrides: Partial<CreateActivityRequest> = {}, by = adminOf(ORG)) =>
    createActivity({
      activities,
      jurisdictions: fakeJurisdictions,
      organizations,
      departments: fakeDepartments,
      campaigns,
      venues: fakeVenues,
      audit,
      clock,
      newId,
    })(by, request(overrides));
  const move = () => moveActivity({ activities, publicPages, enrollments, audit, clock });

  describe('drafting', () => {
    it('when an org admin drafts for their organization, then a draft with the place path, an inline venue id and an audit record is stored', async () => {
      const draft = await create();
      expect(draft).toMatchObject({
        status: 'draft',
        title: '社区读书会',
        jurisdictionPath: [CITY, T1, T1_V1],
        venue: { name: '礼堂', address: null },
        campaignId: null,
      });
      expect(draft.venue?.id).toMatch(/^0a0a/);
      expect(activities.typesWritten()).toEqual([audit.event.type]);
    });

    it('when an organization organizes, then its kind and lead department are registration’s', async () => {
      organizations.register(ORG, { kind: 'family', leadDepartment: 'fulian' });
      expect((await create()).organizer).toEqual({
        kind: 'organization',
        organizationId: ORG,
        organizationKind: 'family',
        leadDepartment: 'fulian',
      });
    });

    it('when the organization is not registered, then ACTIVITY_ORGANIZER_UNKNOWN; when it is rejected or suspended, then ACTIVITY_ORGANIZER_NOT_ACTIVE; nothing is stored', async () => {
      organizations.known.delete(ORG);
      expect(await rejectionOf(create())).toMatchObject({
        code: 'ACTIVITY_ORGANIZER_UNKNOWN',
        kind: 'invalid_argument',
      });
      for (const status of ['rejected', 'suspended'] as const) {
        organizations.register(ORG, { status });
        expect(await rejectionOf(create())).toMatchObject({
          code: 'ACTIVITY_ORGANIZER_NOT_ACTIVE',
          kind: 'failed_precondition',
        });
      }
      expect(activities.outbox).toEqual([]);
      for (const status of ['applied', 'under_review'] as const) {
        organizations.register(ORG, { status });
        expect((await create()).status).toBe('draft');
      }
    });

    it('when another organization’s admin names an unknown organization, then ACTIVITY_FORBIDDEN before anything is looked up', async () => {
      organizations.known.delete(ORG);
      expect(await rejectionOf(create({}, adminOf(OTHER_ORG)))).toMatchObject({
        code: 'ACTIVITY_FORBIDDEN',
      });
    });

    it('when a catalogued venue is named, then its name is copied; an unknown one is ACTIVITY_VENUE_UNKNOWN', async () => {
      expect((await create({ venue: { venueId: KNOWN_VENUE } })).venue).toEqual({
        id: KNOWN_VENUE,
        name: '农家书屋',
        address: '村委会二楼',
      });
      expect(
        await rejectionOf(create({ venue: { venueId: '0c0c0000-0000-4000-8000-000000000002' } })),
      ).toMatchObject({ code: 'ACTIVITY_VENUE_UNKNOWN', kind: 'invalid_argument' });
    });

    it('when the place is unknown, then JURISDICTION_UNKNOWN and nothing is stored', async () => {
      const error = await rejectionOf(create({ jurisdictionCode: '330281999999' }));
      expect(error).toMatchObject({
        code: 'JURISDICTION_UNKNOWN',
        kind: 'invalid_argument',
      });
      expect(activities.stored.size).toBe(0);
    });

    it('when someone organizes for another organization or outside their area, then ACTIVITY_FORBIDDEN', async () => {
      expect(await rejectionOf(create({}, adminOf(OTHER_ORG)))).toMatchObject({
        code: 'ACTIVITY_FORBIDDEN',
      });
      expect(await rejectionOf(create({}, officerOf(T2)))).toMatchObject({
        code: 'ACTIVITY_FORBIDDEN',
      });
      expect((await create({}, officerOf(T1))).status).toBe('draft');
    });

    it('when the schedule is in the past or ends before it starts, then the schedule rule’s code', async () => {
      expect(await rejectionOf(create({ schedule: session(-HOUR, HOUR) }))).toMatchObject({
        code: 'SCHEDULE_IN_PAST',
      });
      expect(await rejectionOf(create({ schedule: session(2 * HOUR, HOUR) }))).toMatchObject({
        code: 'SCHEDULE_ENDS_BEFORE_START',
      });
    });

    it('when it joins a campaign, then the campaign must exist, be open and cover the place', async () => {
      const id = campaign().id;
      expect(await rejectionOf(create({ campaignId: id }))).toMatchObject({
        code: 'ACTIVITY_CAMPAIGN_UNKNOWN',
      });
      campaigns.campaigns.set(id, campaign({ status: 'closed' }));
      expect(await rejectionOf(create({ campaignId: id }))).toMatchObject({
        code: 'ACTIVITY_CAMPAIGN_CLOSED',
      });
      campaigns.campaigns.set(id, campaign({ scopePath: [CITY, T2] }));
      expect(await rejectionOf(create({ campaignId: id }))).toMatchObject({
        code: 'ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE',
      });
      campaigns.campaigns.set(id, campaign());
      expect((await create({ campaignId: id })).campaignId).toBe(id);
    });

    it('when a published activity is edited as a draft, then ACTIVITY_NOT_DRAFT', async () => {
      const draft = await create();
      const edit = updateDraft({ activities, campaigns, venues: fakeVenues, audit, clock, newId });
      const edited = await edit(adminOf(ORG), draft.id, { version: 1, title: '读书明理' });
      expect(edited).toMatchObject({ title: '读书明理', version: 2 });
      await move()(adminOf(ORG), draft.id, { action: 'publish' });
      expect(
        await rejectionOf(edit(adminOf(ORG), draft.id, { version: 3, title: 'x' })),
      ).toMatchObject({
        code: 'ACTIVITY_NOT_DRAFT',
      });
    });
  });

  describe('moving along the life cycle', () => {
    it('when published, then the state, ActivityPublished (naming its venue) and the audit record are written together', async () => {
      const draft = await create();
      const published = await move()(adminOf(ORG), draft.id, { action: 'publish' });
      expect(published).toMatchObject({ status: 'published', publishedAt: NOW, version: 2 });
      expect(activities.typesWritten().slice(-2)).toEqual([
        activityEvents.ActivityPublished.type,
        audit.event.type,
      ]);
      const event = activities.outbox.find(
        (entry) => entry.type === activityEvents.ActivityPublished.type,
      );
      expect(activityEvents.ActivityPublished.codec.fromJSON(event?.data).venueName).toBe('礼堂');
      expect(enrollments.asked).toBe(0);
    });

    it('when people have signed up, then cancelling asks registration and needs a reason; the event says how many', async () => {
      const draft = await create();
      await move()(adminOf(ORG), draft.id, { action: 'publish' });
      enrollments.figures = { confirmed: 3, waitlisted: 1, checkedIn: 0, attended: 0 };
      expect(await rejectionOf(move()(adminOf(ORG), draft.id, { action: 'cancel' }))).toMatchObject(
        {
          code: 'ACTIVITY_CANCEL_REASON_REQUIRED',
        },
      );
      await move()(adminOf(ORG), draft.id, { action: 'cancel', reason: '暴雨' });
      const event = activities.outbox.find(
        (entry) => entry.type === activityEvents.ActivityCancelled.type,
      );
      expect(activityEvents.ActivityCancelled.codec.fromJSON(event?.data)).toMatchObject({
        signedUp: 4,
        reason: '暴雨',
        organizerId: ORG,
        leadDepartment: 'wenming-ban',
      });
    });

    it('when the capacity of a published activity changes, then registration is told by a reschedule with the capacity; of a draft, nobody is', async () => {
      const draft = await create();
      await move()(adminOf(ORG), draft.id, { action: 'change_capacity', capacity: 5 });
      expect(activities.typesWritten()).not.toContain(activityEvents.ActivityRescheduled.type);
      await move()(adminOf(ORG), draft.id, { action: 'publish' });
      enrollments.figures = { confirmed: 6, waitlisted: 0, checkedIn: 0, attended: 0 };
      expect(
        await rejectionOf(
          move()(adminOf(ORG), draft.id, { action: 'change_capacity', capacity: 5 }),
        ),
      ).toMatchObject({ code: 'ACTIVITY_CAPACITY_BELOW_ENROLLMENT' });
      await move()(adminOf(ORG), draft.id, { action: 'change_capacity', capacity: 'unlimited' });
      const event = activities.outbox.find(
        (entry) => entry.type === activityEvents.ActivityRescheduled.type,
      );
      expect(activityEvents.ActivityRescheduled.codec.fromJSON(event?.data)).toMatchObject({
        capacity: undefined,
        capacityUnlimited: true,
        venueName: '礼堂',
      });
    });

    it('when a change can show on the public pages, then they are dropped after it; a draft’s changes and refusals leave them', async () => {
      const draft = await create();
      await move()(adminOf(ORG), draft.id, { action: 'change_capacity', capacity: 5 });
      await move()(adminOf(ORG), draft.id, { action: 'cancel' });
      expect(publicPages.invalidations).toBe(0);
      const other = await create();
      await move()(adminOf(ORG), other.id, { action: 'publish' });
      expect(publicPages.invalidations).toBe(1);
      await move()(adminOf(ORG), other.id, { action: 'change_capacity', capacity: 8 });
      expect(publicPages.invalidations).toBe(2);
      await rejectionOf(move()(adminOf(ORG), other.id, { action: 'publish' }));
      expect(publicPages.invalidations).toBe(2);
      await move()(adminOf(ORG), other.id, { action: 'cancel', reason: '暴雨' });
      expect(publicPages.invalidations).toBe(3);
    });

    it('when the version given is not the current one, then VERSION_CONFLICT and nothing is written', async () => {
      const draft = await create();
      const before = activities.outbox.length;
      expect(
        await rejectionOf(move()(adminOf(ORG), draft.id, { action: 'publish' }, 7)),
      ).toMatchObject({
        code: 'VERSION_CONFLICT',
      });
      expect(activities.outbox.length).toBe(before);
    });

    it('when someone outside its reach moves it, then ACTIVITY_NOT_FOUND; a lead department that may read but not manage gets ACTIVITY_FORBIDDEN', async () => {
      const draft = await create();
      expect(
        await rejectionOf(move()(adminOf(OTHER_ORG), draft.id, { action: 'publish' })),
      ).toMatchObject({
        code: 'ACTIVITY_NOT_FOUND',
      });
      expect(
        await rejectionOf(move()(officerOf(T2), draft.id, { action: 'publish' })),
      ).toMatchObject({
        code: 'ACTIVITY_NOT_FOUND',
      });
      expect(
        await rejectionOf(move()(departmentOfficer, draft.id, { action: 'publish' })),
      ).toMatchObject({
        code: 'ACTIVITY_FORBIDDEN',
      });
    });

    it('when the scheduler moves it, then only when due, with the event and no person’s audit record; completion carries attendance', async () => {
      const draft = await create();
      await move()(adminOf(ORG), draft.id, { action: 'publish' });
      const step = transition({ activities, publicPages });
      expect(await rejectionOf(step(draft.id, 'start', SCHEDULER, NOW))).toMatchObject({
        code: 'ACTIVITY_NOT_STARTED',
      });
      const before = activities.outbox.length;
      const dropped = publicPages.invalidations;
      await step(draft.id, 'start', SCHEDULER, new Date(NOW.getTime() + 25 * HOUR));
      expect(publicPages.invalidations).toBe(dropped + 1);
      expect(activities.typesWritten().slice(before)).toEqual([
        activityEvents.ActivityStarted.type,
      ]);
      await recordAttendance({ activities })({
        owner: 'activities',
        eventId: draft.id,
        enrollmentId: 'e-1',
      });
      expect(
        await recordAttendance({ activities })({
          owner: 'lectures',
          eventId: draft.id,
          enrollmentId: 'e-2',
        }),
      ).toBe(false);
      const completed = await step(
        draft.id,
        'complete',
        SCHEDULER,
        new Date(NOW.getTime() + 27 * HOUR),
      );
      expect(completed.status).toBe('completed');
      const event = activities.outbox.at(-1);
      expect(activityEvents.ActivityCompleted.codec.fromJSON(event?.data)).toMatchObject({
        attended: 1,
      });
      expect(
        await rejectionOf(step('0a0a0000-0000-4000-8000-999999999999', 'start', SCHEDULER, NOW)),
      ).toMatchObject({
        code: 'ACTIVITY_NOT_FOUND',
      });
    });
  });

  describe('reads and reach', () => {
    it('when the public searches, then the query becomes grams and only what is on is asked for; a search of nothing is refused', async () => {
      const reads = activityReads({ activities, jurisdictions: fakeJurisdictions });
      await reads.listPublic({ q: '书香传递' });
      expect(activities.lastPublicQuery).toMatchObject({
        grams: ['书香', '香传', '传递'],
        statuses: ['published', 'under_way'],
        pageSize: 50,
      });
      expect(await rejectionOf(reads.listPublic({ q: '……' }))).toMatchObject({
        code: 'ACTIVITY_SEARCH_EMPTY',
      });
      expect(
        await rejectionOf(reads.listPublic({ from: new Date(NOW.getTime() + HOUR), to: NOW })),
      ).toMatchObject({ code: 'ACTIVITY_RANGE_INVALID' });
    });

    it('when a draft, even a cancelled one, is asked for publicly or by another service, then it is not found', async () => {
      const draft = await create();
      const reads = activityReads({ activities, jurisdictions: fakeJurisdictions });
      expect(await rejectionOf(reads.getPublic(draft.id))).toMatchObject({
        code: 'ACTIVITY_NOT_FOUND',
      });
      const dropped = await create();
      await move()(adminOf(ORG), dropped.id, { action: 'cancel' });
      expect(await rejectionOf(reads.getHeld(dropped.id))).toMatchObject({
        code: 'ACTIVITY_NOT_FOUND',
      });
      await move()(adminOf(ORG), draft.id, { action: 'publish' });
      expect((await reads.getHeld(draft.id)).status).toBe('published');
    });

    it('when reaches are worked out, then each role has its own, a participant none', async () => {
      expect(reachesOf(principal({ subject: 'p', roles: ['participant'] }))).toEqual([]);
      expect(reachesOf(adminOf(ORG))[0]?.filter).toEqual({ organizerIds: [ORG] });
      expect(reachesOf(departmentOfficer)[0]?.filter).toEqual({ leadDepartment: 'wenming-ban' });
      expect(reachesOf(cityAdmin)).toHaveLength(1);
      const draft = await create();
      expect((await findVisible(activities, departmentOfficer, draft.id)).activity.id).toBe(
        draft.id,
      );
      expect(
        await rejectionOf(
          findVisible(
            activities,
            principal({ subject: 'd2', roles: ['department_officer'], department: 'jiaoyu-ju' }),
            draft.id,
          ),
        ),
      ).toMatchObject({ code: 'ACTIVITY_NOT_FOUND' });
    });
  });
});

describe('who may organize, and age bands', () => {
  const organizer = {
    kind: 'organization' as const,
    organizationId: ORG,
    organizationKind: 'family',
    leadDepartment: 'fulian',
  };
  it('when the organizer is the actor’s own organization or department, or the place is in their area, then they may', () => {
    expect(mayOrganize(adminOf(ORG), organizer, [CITY, T2])).toBe(true);
    expect(mayOrganize(adminOf(OTHER_ORG), organizer, [CITY, T2])).toBe(false);
    expect(mayOrganize(officerOf(T2), organizer, [CITY, T2])).toBe(true);
    expect(mayOrganize(officerOf(T1), organizer, [CITY, T2])).toBe(false);
    expect(
      mayOrganize(departmentOfficer, { kind: 'department', department: 'wenming-ban' }, [CITY]),
    ).toBe(true);
    expect(
      mayOrganize(departmentOfficer, { kind: 'department', department: 'fulian' }, [CITY]),
    ).toBe(false);
    expect(mayOrganize(cityAdmin, organizer, [CITY])).toBe(true);
  });

  it('when an age band is reversed, fractional or beyond school age, then ACTIVITY_AGE_BAND_INVALID', () => {
    expect(validatePupilAgeBand({ min: 6, max: 12 })).toEqual({ min: 6, max: 12 });
    for (const band of [
      { min: 12, max: 6 },
      { min: 6.5, max: 12 },
      { min: 6, max: 19 },
      { min: -1, max: 5 },
    ])
      expect(() => validatePupilAgeBand(band)).toThrow(
        expect.objectContaining({ code: 'ACTIVITY_AGE_BAND_INVALID' }),
      );
  });
});
