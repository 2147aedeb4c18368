import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_CANCEL_REASON_REQUIRED,
  ACTIVITY_CAPACITY_BELOW_ENROLLMENT,
  ACTIVITY_CAPACITY_INVALID,
  ACTIVITY_FORBIDDEN,
  ACTIVITY_NOT_ENDED,
  ACTIVITY_NOT_STARTED,
  ACTIVITY_REASON_TOO_LONG,
  ACTIVITY_SCHEDULE_REQUIRED,
  ACTIVITY_SCHEDULE_UNCHANGED,
  ACTIVITY_SIGN_UP_WINDOW_INVALID,
  ACTIVITY_TRANSITION_NOT_ALLOWED,
  ACTIVITY_VENUE_REQUIRED,
  advance,
  decide,
  dueTransitions,
  mayManage,
  MAX_REASON_LENGTH,
  SCHEDULER,
  type ActivityRecord,
  type Actor,
} from '../../../src/domain/activity-lifecycle.js';
import {
  SCHEDULE_ENDS_BEFORE_START,
  SCHEDULE_IN_PAST,
  type Schedule,
} from '../../../src/domain/schedule.js';
import { refusalOf } from '@learning/testing';

const at = (iso: string) => new Date(iso);
const schedule: Schedule = {
  kind: 'single',
  session: { start: at('2026-04-10T11:00:00Z'), end: at('2026-04-10T13:00:00Z') },
};
const before = at('2026-04-01T00:00:00Z');
const during = at('2026-04-10T12:00:00Z');
const after = at('2026-04-10T13:00:00Z');

const draft: ActivityRecord = {
  id: 'act-1',
  status: 'draft',
  organizer: {
    kind: 'organization',
    organizationId: 'org-1',
    organizationKind: 'community',
    leadDepartment: 'wenmingban',
  },
  jurisdictionPath: ['C', 'T1', 'V1'],
  venueId: 'venue-1',
  schedule,
  capacity: 30,
  signUpWindow: { opensAt: at('2026-04-01T00:00:00Z'), closesAt: at('2026-04-09T00:00:00Z') },
  enrollment: { confirmed: 0, waitlisted: 0 },
  cancellation: null,
};
const published: ActivityRecord = { ...draft, status: 'published' };
const underWay: ActivityRecord = { ...draft, status: 'under_way' };

const nobody: Actor = {
  subject: 'u-0',
  roles: [],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
};
const orgAdmin: Actor = {
  ...nobody,
  subject: 'u-org',
  roles: ['org_admin'],
  organizations: ['org-1'],
};
const otherOrgAdmin: Actor = { ...orgAdmin, subject: 'u-other', organizations: ['org-2'] };
const townshipOfficer: Actor = {
  ...nobody,
  subject: 'u-t1',
  roles: ['area_officer'],
  jurisdictions: ['T1'],
};
const otherTownshipOfficer: Actor = { ...townshipOfficer, subject: 'u-t2', jurisdictions: ['T2'] };
const cityAdmin: Actor = { ...nobody, subject: 'u-city', roles: ['city_admin'] };

describe('mayManage', () => {
  it('when an org admin administers the organizing organization, then they may move it', () => {
    expect(mayManage(orgAdmin, draft)).toBe(true);
  });

  it('when an org admin administers another organization, then they may not', () => {
    expect(mayManage(otherOrgAdmin, draft)).toBe(false);
  });

  it('when the org is listed but the person is not an org admin, then they may not', () => {
    expect(mayManage({ ...orgAdmin, roles: ['participant'] }, draft)).toBe(false);
  });

  it('when an area officer’s subtree contains the activity, then they may move it', () => {
    expect(mayManage(townshipOfficer, draft)).toBe(true);
    expect(mayManage({ ...townshipOfficer, jurisdictions: ['V1'] }, draft)).toBe(true);
  });

  it('when an area officer’s subtree is elsewhere, then they may not', () => {
    expect(mayManage(otherTownshipOfficer, draft)).toBe(false);
    // A village officer cannot reach up to the township's activities.
    expect(
      mayManage(
        { ...townshipOfficer, jurisdictions: ['V1'] },
        {
          ...draft,
          jurisdictionPath: ['C', 'T1'],
        },
      ),
    ).toBe(false);
  });

  it('when an area officer is city-wide or a city admin acts, then they may move it', () => {
    expect(mayManage({ ...otherTownshipOfficer, cityWide: true }, draft)).toBe(true);
    expect(mayManage(cityAdmin, draft)).toBe(true);
  });

  it('when a department organizes, then only an officer of that department may move it', () => {
    const byDepartment: ActivityRecord = {
      ...draft,
      organizer: { kind: 'department', department: 'jiaoyuju' },
    };
    const officer: Actor = { ...nobody, roles: ['department_officer'], department: 'jiaoyuju' };
    expect(mayManage(officer, byDepartment)).toBe(true);
    expect(mayManage({ ...officer, department: 'fulian' }, byDepartment)).toBe(false);
    expect(mayManage(officer, draft)).toBe(false);
  });
});

describe('decide: permission', () => {
  it('when a stranger tries any action, then it is refused as forbidden before anything else', () => {
    const error = refusalOf(() => decide(draft, { action: 'publish' }, otherOrgAdmin, before));
    expect(error.code).toBe(ACTIVITY_FORBIDDEN);
    expect(error.kind).toBe('permission_denied');
    // Even on a completed activity, the stranger learns nothing about its status.
    expect(
      refusalOf(() =>
        decide({ ...draft, status: 'completed' }, { action: 'cancel' }, otherOrgAdmin, before),
      ).code,
    ).toBe(ACTIVITY_FORBIDDEN);
  });

  it('when the scheduler tries to publish or cancel, then it is refused', () => {
    expect(refusalOf(() => decide(draft, { action: 'publish' }, SCHEDULER, before)).code).toBe(
      ACTIVITY_FORBIDDEN,
    );
    expect(refusalOf(() => decide(published, { action: 'cancel' }, SCHEDULER, before)).code).toBe(
      ACTIVITY_FORBIDDEN,
    );
  });
});

describe('decide: publish', () => {
  it('when a draft has a venue and a future schedule, then it is published with an event carrying routing data', () => {
    const { activity, event } = decide(draft, { action: 'publish' }, orgAdmin, before);
    expect(activity.status).toBe('published');
    expect(event).toMatchObject({
      type: 'ActivityPublished',
      activityId: 'act-1',
      data: {
        organizerKind: 'organization',
        organizationKind: 'community',
        leadDepartment: 'wenmingban',
        jurisdictionPath: ['C', 'T1', 'V1'],
        from: 'draft',
        to: 'published',
        by: 'u-org',
        next: { start: '2026-04-10T11:00:00.000Z', end: '2026-04-10T13:00:00.000Z' },
      },
    });
  });

  it('when a department organizes, then the event names it as lead department with no organization kind', () => {
    const { event } = decide(
      { ...draft, organizer: { kind: 'department', department: 'jiaoyuju' } },
      { action: 'publish' },
      cityAdmin,
      before,
    );
    expect(event?.data).toMatchObject({
      organizerKind: 'department',
      organizationKind: null,
      leadDepartment: 'jiaoyuju',
    });
  });

  it('when there is no venue, then publishing is refused', () => {
    expect(
      refusalOf(() => decide({ ...draft, venueId: null }, { action: 'publish' }, orgAdmin, before))
        .code,
    ).toBe(ACTIVITY_VENUE_REQUIRED);
    expect(
      refusalOf(() => decide({ ...draft, venueId: '  ' }, { action: 'publish' }, orgAdmin, before))
        .code,
    ).toBe(ACTIVITY_VENUE_REQUIRED);
  });

  it('when there is no schedule, then publishing is refused', () => {
    expect(
      refusalOf(() =>
        decide(
          { ...draft, schedule: null, signUpWindow: null },
          { action: 'publish' },
          orgAdmin,
          before,
        ),
      ).code,
    ).toBe(ACTIVITY_SCHEDULE_REQUIRED);
  });

  it('when the schedule is in the past, then publishing is refused', () => {
    expect(refusalOf(() => decide(draft, { action: 'publish' }, orgAdmin, during)).code).toBe(
      SCHEDULE_IN_PAST,
    );
  });

  it('when the schedule ends before it starts, then publishing is refused', () => {
    const backwards: Schedule = {
      kind: 'single',
      session: { start: at('2026-04-10T13:00:00Z'), end: at('2026-04-10T11:00:00Z') },
    };
    expect(
      refusalOf(() =>
        decide({ ...draft, schedule: backwards }, { action: 'publish' }, orgAdmin, before),
      ).code,
    ).toBe(SCHEDULE_ENDS_BEFORE_START);
  });

  it('when the capacity is not a whole number of seats, then publishing is refused', () => {
    for (const capacity of [0, -1, 2.5]) {
      expect(
        refusalOf(() => decide({ ...draft, capacity }, { action: 'publish' }, orgAdmin, before))
          .code,
      ).toBe(ACTIVITY_CAPACITY_INVALID);
    }
    expect(() =>
      decide({ ...draft, capacity: 'unlimited' }, { action: 'publish' }, orgAdmin, before),
    ).not.toThrow();
  });

  it('when the sign-up window closes before it opens or after the activity ends, then publishing is refused', () => {
    const reversed = { opensAt: at('2026-04-05T00:00:00Z'), closesAt: at('2026-04-04T00:00:00Z') };
    const tooLate = { opensAt: at('2026-04-01T00:00:00Z'), closesAt: at('2026-04-11T00:00:00Z') };
    for (const signUpWindow of [reversed, tooLate]) {
      expect(
        refusalOf(() => decide({ ...draft, signUpWindow }, { action: 'publish' }, orgAdmin, before))
          .code,
      ).toBe(ACTIVITY_SIGN_UP_WINDOW_INVALID);
    }
  });

  it('when the activity is already published, then publishing again is refused', () => {
    expect(refusalOf(() => decide(published, { action: 'publish' }, orgAdmin, before)).code).toBe(
      ACTIVITY_TRANSITION_NOT_ALLOWED,
    );
  });
});

describe('decide: start and complete', () => {
  it('when the start time has come, then the scheduler moves it under way', () => {
    const { activity, event } = decide(published, { action: 'start' }, SCHEDULER, during);
    expect(activity.status).toBe('under_way');
    expect(event).toMatchObject({ type: 'ActivityStarted', data: { by: SCHEDULER } });
  });

  it('when the start time has not come, then starting is refused', () => {
    expect(refusalOf(() => decide(published, { action: 'start' }, SCHEDULER, before)).code).toBe(
      ACTIVITY_NOT_STARTED,
    );
  });

  it('when a draft is started, then it is refused', () => {
    expect(refusalOf(() => decide(draft, { action: 'start' }, SCHEDULER, during)).code).toBe(
      ACTIVITY_TRANSITION_NOT_ALLOWED,
    );
  });

  it('when the activity has ended, then it may be completed', () => {
    const { activity, event } = decide(underWay, { action: 'complete' }, orgAdmin, after);
    expect(activity.status).toBe('completed');
    expect(event?.type).toBe('ActivityCompleted');
  });

  it('when the activity has not ended, then completing is refused', () => {
    const error = refusalOf(() => decide(underWay, { action: 'complete' }, orgAdmin, during));
    expect(error.code).toBe(ACTIVITY_NOT_ENDED);
    expect(error.kind).toBe('failed_precondition');
  });

  it('when a published activity that never started is completed, then it is refused', () => {
    expect(refusalOf(() => decide(published, { action: 'complete' }, SCHEDULER, after)).code).toBe(
      ACTIVITY_TRANSITION_NOT_ALLOWED,
    );
  });
});

describe('dueTransitions and advance', () => {
  it('when nothing is due, then the scheduler does nothing', () => {
    expect(dueTransitions(published, before)).toEqual([]);
    expect(dueTransitions(draft, after)).toEqual([]);
    expect(dueTransitions({ ...published, status: 'cancelled' }, after)).toEqual([]);
  });

  it('when a published activity has started, then it is due to start', () => {
    expect(dueTransitions(published, during)).toEqual(['start']);
  });

  it('when an under-way activity has ended, then it is due to complete', () => {
    expect(dueTransitions(underWay, after)).toEqual(['complete']);
  });

  it('when the scheduler was down through the whole activity, then it starts and completes it, both events in order', () => {
    const decisions = advance(published, after);
    expect(decisions.map((d) => d.event?.type)).toEqual(['ActivityStarted', 'ActivityCompleted']);
    expect(decisions.at(-1)?.activity.status).toBe('completed');
  });
});

describe('decide: cancel', () => {
  it('when nobody has signed up, then it is cancelled without a reason', () => {
    const { activity, event } = decide(published, { action: 'cancel' }, orgAdmin, before);
    expect(activity.status).toBe('cancelled');
    expect(activity.cancellation).toEqual({
      reason: null,
      cancelledBy: 'u-org',
      cancelledAt: before,
    });
    expect(event).toMatchObject({ type: 'ActivityCancelled', data: { reason: null, signedUp: 0 } });
  });

  it('when people have signed up and no reason is given, then cancelling is refused', () => {
    const signedUp = { ...published, enrollment: { confirmed: 3, waitlisted: 0 } };
    expect(refusalOf(() => decide(signedUp, { action: 'cancel' }, orgAdmin, before)).code).toBe(
      ACTIVITY_CANCEL_REASON_REQUIRED,
    );
    expect(
      refusalOf(() => decide(signedUp, { action: 'cancel', reason: '   ' }, orgAdmin, before)).code,
    ).toBe(ACTIVITY_CANCEL_REASON_REQUIRED);
  });

  it('when only waitlisted people have signed up, then a reason is still required', () => {
    const waiting = { ...published, enrollment: { confirmed: 0, waitlisted: 1 } };
    expect(refusalOf(() => decide(waiting, { action: 'cancel' }, orgAdmin, before)).code).toBe(
      ACTIVITY_CANCEL_REASON_REQUIRED,
    );
  });

  it('when people have signed up and a reason is given, then the event carries it and how many to tell', () => {
    const signedUp = { ...published, enrollment: { confirmed: 3, waitlisted: 2 } };
    const { event } = decide(
      signedUp,
      { action: 'cancel', reason: ' 场地维修 ' },
      orgAdmin,
      before,
    );
    expect(event?.data).toMatchObject({ reason: '场地维修', signedUp: 5, from: 'published' });
  });

  it('when the reason is too long, then it is refused', () => {
    expect(
      refusalOf(() =>
        decide(
          published,
          { action: 'cancel', reason: 'x'.repeat(MAX_REASON_LENGTH + 1) },
          orgAdmin,
          before,
        ),
      ).code,
    ).toBe(ACTIVITY_REASON_TOO_LONG);
  });

  it('when a draft is cancelled, then no event is published', () => {
    const { activity, event } = decide(draft, { action: 'cancel' }, orgAdmin, before);
    expect(activity.status).toBe('cancelled');
    expect(event).toBeNull();
  });

  it('when an under-way activity is cancelled, then it is allowed', () => {
    expect(decide(underWay, { action: 'cancel' }, orgAdmin, during).activity.status).toBe(
      'cancelled',
    );
  });

  it('when a completed or cancelled activity is cancelled, then it is refused', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      expect(
        refusalOf(() => decide({ ...draft, status }, { action: 'cancel' }, orgAdmin, after)).code,
      ).toBe(ACTIVITY_TRANSITION_NOT_ALLOWED);
    }
  });
});

describe('decide: reschedule', () => {
  const later: Schedule = {
    kind: 'single',
    session: { start: at('2026-04-12T11:00:00Z'), end: at('2026-04-12T13:00:00Z') },
  };

  it('when a published activity gets new future dates, then it stays published with them', () => {
    const { activity, event } = decide(
      published,
      { action: 'reschedule', schedule: later, reason: '雨天' },
      townshipOfficer,
      before,
    );
    expect(activity.status).toBe('published');
    expect(activity.schedule).toEqual(later);
    expect(event).toMatchObject({
      type: 'ActivityRescheduled',
      data: {
        from: 'published',
        to: 'published',
        reason: '雨天',
        previous: { start: '2026-04-10T11:00:00.000Z' },
        next: { start: '2026-04-12T11:00:00.000Z', end: '2026-04-12T13:00:00.000Z' },
      },
    });
  });

  it('when the new dates are in the past, then rescheduling is refused', () => {
    expect(
      refusalOf(() =>
        decide(
          published,
          { action: 'reschedule', schedule: later },
          orgAdmin,
          at('2026-04-12T12:00:00Z'),
        ),
      ).code,
    ).toBe(SCHEDULE_IN_PAST);
  });

  it('when the new dates end before they start, then rescheduling is refused', () => {
    const backwards: Schedule = {
      kind: 'single',
      session: { start: at('2026-04-12T13:00:00Z'), end: at('2026-04-12T11:00:00Z') },
    };
    expect(
      refusalOf(() =>
        decide(published, { action: 'reschedule', schedule: backwards }, orgAdmin, before),
      ).code,
    ).toBe(SCHEDULE_ENDS_BEFORE_START);
  });

  it('when the new dates are the same, then rescheduling is refused', () => {
    expect(
      refusalOf(() => decide(published, { action: 'reschedule', schedule }, orgAdmin, before)).code,
    ).toBe(ACTIVITY_SCHEDULE_UNCHANGED);
  });

  it('when the new dates end before the sign-up window closes, then rescheduling is refused', () => {
    const early: Schedule = {
      kind: 'single',
      session: { start: at('2026-04-05T11:00:00Z'), end: at('2026-04-05T13:00:00Z') },
    };
    expect(
      refusalOf(() =>
        decide(published, { action: 'reschedule', schedule: early }, orgAdmin, before),
      ).code,
    ).toBe(ACTIVITY_SIGN_UP_WINDOW_INVALID);
  });

  it('when a draft or an under-way activity is rescheduled, then it is refused', () => {
    for (const activity of [draft, underWay]) {
      expect(
        refusalOf(() =>
          decide(activity, { action: 'reschedule', schedule: later }, orgAdmin, before),
        ).code,
      ).toBe(ACTIVITY_TRANSITION_NOT_ALLOWED);
    }
  });
});

describe('decide: change capacity', () => {
  const enrolled = { ...published, enrollment: { confirmed: 20, waitlisted: 4 } };

  it('when the new capacity holds everyone confirmed, then it is changed without an event', () => {
    const { activity, event } = decide(
      enrolled,
      { action: 'change_capacity', capacity: 20 },
      orgAdmin,
      before,
    );
    expect(activity.capacity).toBe(20);
    expect(event).toBeNull();
  });

  it('when the new capacity is below current enrollment, then it is refused', () => {
    const error = refusalOf(() =>
      decide(enrolled, { action: 'change_capacity', capacity: 19 }, orgAdmin, before),
    );
    expect(error.code).toBe(ACTIVITY_CAPACITY_BELOW_ENROLLMENT);
    expect(error.kind).toBe('failed_precondition');
  });

  it('when the new capacity is unlimited, then it is accepted whatever the enrollment', () => {
    expect(
      decide(enrolled, { action: 'change_capacity', capacity: 'unlimited' }, orgAdmin, before)
        .activity.capacity,
    ).toBe('unlimited');
  });

  it('when the activity is completed, then its capacity cannot change', () => {
    expect(
      refusalOf(() =>
        decide(
          { ...enrolled, status: 'completed' },
          { action: 'change_capacity', capacity: 50 },
          orgAdmin,
          after,
        ),
      ).code,
    ).toBe(ACTIVITY_TRANSITION_NOT_ALLOWED);
  });
});
