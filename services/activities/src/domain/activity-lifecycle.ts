/**
 * An activity's life cycle: draft → published → under way → completed, or
 * cancelled; a published activity may be rescheduled (it stays published,
 * with new dates). Who may move it, and when. The rules only decide: the
 * store applies the returned state and publishes the returned event.
 */
import { forbidden, invalid, precondition, isWithin, type AgeBand } from '@learning/domain';
import {
  assertNotInPast,
  endOf,
  hasEnded,
  hasStarted,
  sameSchedule,
  startOf,
  validateSchedule,
  type Schedule,
} from './schedule.js';

/** What an activity is: the reading programmes of §5 (干部夜学, 读书明理, 书香传递) have kinds of their own. */
export const ACTIVITY_KINDS = [
  'reading_club',
  'cadre_night_school',
  'reading_reasoning',
  'book_relay',
  'book_fair',
  'education_consultation',
  'training',
  'theme_practice',
  'other',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_STATUSES = [
  'draft',
  'published',
  'under_way',
  'completed',
  'cancelled',
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/**
 * Who acts; shaped like the platform's authenticated principal so the
 * application can pass one straight in.
 */
export interface Actor {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly cityWide: boolean;
  /** Roots of the subtrees the person may act in. */
  readonly jurisdictions: readonly string[];
  /** Ids of the organizations the person administers. */
  readonly organizations: readonly string[];
  readonly department?: string | undefined;
}

/** The in-process scheduler that starts and completes activities at their times. */
export const SCHEDULER = 'scheduler';
export type Mover = Actor | typeof SCHEDULER;

/** Who organizes, as a request names it: an organization by id, or a city department by code. */
export type OrganizerRef =
  | { readonly kind: 'organization'; readonly organizationId: string }
  | { readonly kind: 'department'; readonly department: string };

/**
 * An organization (with its kind and lead department as registration holds
 * them when the activity is created, so department subscriptions can filter
 * events) or a city department organizing in its own name.
 */
export type Organizer =
  | {
      readonly kind: 'organization';
      readonly organizationId: string;
      readonly organizationKind: string;
      readonly leadDepartment: string;
    }
  | { readonly kind: 'department'; readonly department: string };

export type Capacity = number | 'unlimited';

export interface SignUpWindow {
  readonly opensAt: Date;
  readonly closesAt: Date;
}

export interface Cancellation {
  readonly reason: string | null;
  readonly cancelledBy: string;
  readonly cancelledAt: Date;
}

/** What the rules need to know about an activity. */
export interface ActivityRecord {
  readonly id: string;
  readonly status: ActivityStatus;
  readonly organizer: Organizer;
  /** Ancestor codes from the city down to the activity's jurisdiction. */
  readonly jurisdictionPath: readonly string[];
  readonly venueId: string | null;
  readonly schedule: Schedule | null;
  readonly capacity: Capacity;
  readonly signUpWindow: SignUpWindow | null;
  /** Current sign-ups as registration reports them: seats held and people waiting. */
  readonly enrollment: { readonly confirmed: number; readonly waitlisted: number };
  readonly cancellation: Cancellation | null;
}

export type ActivityCommand =
  | { readonly action: 'publish' }
  | { readonly action: 'start' }
  | { readonly action: 'complete' }
  | { readonly action: 'cancel'; readonly reason?: string | undefined }
  | {
      readonly action: 'reschedule';
      readonly schedule: Schedule;
      readonly reason?: string | undefined;
    }
  | { readonly action: 'change_capacity'; readonly capacity: Capacity };

export type ActivityAction = ActivityCommand['action'];

export type ActivityEventType =
  | 'ActivityPublished'
  | 'ActivityStarted'
  | 'ActivityCompleted'
  | 'ActivityCancelled'
  | 'ActivityRescheduled';

/**
 * Every event carries the organizer's organization kind and lead department
 * and the jurisdiction path, so a department's consumer can filter what it owns.
 */
export interface ActivityEvent {
  readonly type: ActivityEventType;
  readonly activityId: string;
  readonly data: {
    readonly organizerKind: Organizer['kind'];
    /** null when a department organizes in its own name. */
    readonly organizationKind: string | null;
    readonly leadDepartment: string;
    readonly jurisdictionPath: readonly string[];
    readonly from: ActivityStatus;
    readonly to: ActivityStatus;
    readonly by: string;
    readonly at: string;
    /** Cancellation and rescheduling: the reason people are told, if any. */
    readonly reason?: string | null;
    /** Rescheduling: the previous and new overall dates. */
    readonly previous?: { readonly start: string; readonly end: string };
    readonly next?: { readonly start: string; readonly end: string };
    /** Cancellation: how many signed-up people (seated and waiting) must be told. */
    readonly signedUp?: number;
  };
}

export interface ActivityDecision {
  readonly activity: ActivityRecord;
  /** null when nothing public happened (a draft cancelled, a capacity changed). */
  readonly event: ActivityEvent | null;
}

export const ACTIVITY_FORBIDDEN = 'ACTIVITY_FORBIDDEN';
export const ACTIVITY_TRANSITION_NOT_ALLOWED = 'ACTIVITY_TRANSITION_NOT_ALLOWED';
export const ACTIVITY_VENUE_REQUIRED = 'ACTIVITY_VENUE_REQUIRED';
export const ACTIVITY_SCHEDULE_REQUIRED = 'ACTIVITY_SCHEDULE_REQUIRED';
export const ACTIVITY_NOT_STARTED = 'ACTIVITY_NOT_STARTED';
export const ACTIVITY_NOT_ENDED = 'ACTIVITY_NOT_ENDED';
export const ACTIVITY_CANCEL_REASON_REQUIRED = 'ACTIVITY_CANCEL_REASON_REQUIRED';
export const ACTIVITY_REASON_TOO_LONG = 'ACTIVITY_REASON_TOO_LONG';
export const ACTIVITY_CAPACITY_INVALID = 'ACTIVITY_CAPACITY_INVALID';
export const ACTIVITY_CAPACITY_BELOW_ENROLLMENT = 'ACTIVITY_CAPACITY_BELOW_ENROLLMENT';
export const ACTIVITY_SIGN_UP_WINDOW_INVALID = 'ACTIVITY_SIGN_UP_WINDOW_INVALID';
export const ACTIVITY_SCHEDULE_UNCHANGED = 'ACTIVITY_SCHEDULE_UNCHANGED';

export const MAX_REASON_LENGTH = 500;

/** The statuses each action may start from. */
const FROM: Readonly<Record<ActivityAction, readonly ActivityStatus[]>> = {
  publish: ['draft'],
  start: ['published'],
  complete: ['under_way'],
  cancel: ['draft', 'published', 'under_way'],
  reschedule: ['published'],
  change_capacity: ['draft', 'published', 'under_way'],
};

/** The scheduler moves activities along by time; every other action is a person's. */
const SCHEDULER_ACTIONS: readonly ActivityAction[] = ['start', 'complete'];

/**
 * Who may move an activity: a city admin; an area officer whose subtrees
 * contain the activity's jurisdiction; an admin of the organizing
 * organization; an officer of the organizing department.
 */
export function mayManage(actor: Actor, activity: ActivityRecord): boolean {
  return mayOrganize(actor, activity.organizer, activity.jurisdictionPath);
}

/**
 * Who may organize an activity for `organizer` at `jurisdictionPath` (and so
 * create it): the same people who may later manage it.
 */
export function mayOrganize(
  actor: Actor,
  organizer: OrganizerRef,
  jurisdictionPath: readonly string[],
): boolean {
  if (actor.roles.includes('city_admin')) return true;
  if (
    actor.roles.includes('area_officer') &&
    (actor.cityWide || isWithin(jurisdictionPath, actor.jurisdictions))
  ) {
    return true;
  }
  if (organizer.kind === 'organization') {
    return (
      actor.roles.includes('org_admin') && actor.organizations.includes(organizer.organizationId)
    );
  }
  return actor.roles.includes('department_officer') && actor.department === organizer.department;
}

export const ACTIVITY_AGE_BAND_INVALID = 'ACTIVITY_AGE_BAND_INVALID';

/** The oldest age a children's programme may name: pupils are under 19. */
export const MAX_PUPIL_AGE = 18;

/** A pupils' age band: whole years, youngest no older than oldest, within school age. */
export function validatePupilAgeBand(band: AgeBand): AgeBand {
  if (
    !Number.isInteger(band.min) ||
    !Number.isInteger(band.max) ||
    band.min < 0 ||
    band.max > MAX_PUPIL_AGE ||
    band.min > band.max
  ) {
    throw invalid(
      ACTIVITY_AGE_BAND_INVALID,
      `An age band is whole years from 0 to ${MAX_PUPIL_AGE}, the youngest no older than the oldest.`,
    );
  }
  return band;
}

/** A capacity is a whole number of seats, one or more, or "unlimited". */
export function validateCapacity(capacity: Capacity): Capacity {
  if (capacity !== 'unlimited' && (!Number.isInteger(capacity) || capacity < 1)) {
    throw invalid(
      ACTIVITY_CAPACITY_INVALID,
      'Capacity is a whole number of seats, one or more, or "unlimited".',
    );
  }
  return capacity;
}

/** Capacity may never fall below the seats already confirmed. */
export function assertCapacityHoldsEnrollment(capacity: Capacity, confirmed: number): void {
  if (capacity !== 'unlimited' && capacity < confirmed) {
    throw precondition(
      ACTIVITY_CAPACITY_BELOW_ENROLLMENT,
      `Capacity ${capacity} is below the ${confirmed} seats already confirmed.`,
    );
  }
}

/** The window opens before it closes and closes no later than the activity ends. */
export function assertSignUpWindow(window: SignUpWindow, schedule: Schedule): void {
  if (window.closesAt.getTime() <= window.opensAt.getTime()) {
    throw invalid(ACTIVITY_SIGN_UP_WINDOW_INVALID, 'The sign-up window closes before it opens.');
  }
  if (window.closesAt.getTime() > endOf(schedule).getTime()) {
    throw invalid(
      ACTIVITY_SIGN_UP_WINDOW_INVALID,
      'The sign-up window stays open after the activity ends.',
    );
  }
}

function reasonOf(raw: string | undefined): string | null {
  const reason = raw?.trim() ?? '';
  if (reason.length > MAX_REASON_LENGTH) {
    throw invalid(
      ACTIVITY_REASON_TOO_LONG,
      `A reason has at most ${MAX_REASON_LENGTH} characters.`,
    );
  }
  return reason === '' ? null : reason;
}

const span = (schedule: Schedule) => ({
  start: startOf(schedule).toISOString(),
  end: endOf(schedule).toISOString(),
});

function assertMayMove(activity: ActivityRecord, action: ActivityAction, by: Mover): void {
  if (by === SCHEDULER) {
    if (!SCHEDULER_ACTIONS.includes(action)) {
      throw forbidden(ACTIVITY_FORBIDDEN, `The scheduler cannot ${action} an activity.`);
    }
    return;
  }
  if (!mayManage(by, activity)) {
    throw forbidden(
      ACTIVITY_FORBIDDEN,
      'Only the organizer, an officer of its area or a city admin may change this activity.',
    );
  }
}

function requireSchedule(activity: ActivityRecord): Schedule {
  if (activity.schedule === null) {
    throw precondition(ACTIVITY_SCHEDULE_REQUIRED, 'The activity has no schedule yet.');
  }
  return activity.schedule;
}

/**
 * Applies a command: the activity's new state and the event to publish.
 * Permission is checked first, then the status, then the command's own rules,
 * so a stranger learns nothing about the activity's state.
 */
export function decide(
  activity: ActivityRecord,
  command: ActivityCommand,
  by: Mover,
  now: Date,
): ActivityDecision {
  assertMayMove(activity, command.action, by);
  if (!FROM[command.action].includes(activity.status)) {
    throw precondition(
      ACTIVITY_TRANSITION_NOT_ALLOWED,
      `An activity that is ${activity.status} cannot be moved by "${command.action}".`,
    );
  }
  const byName = by === SCHEDULER ? SCHEDULER : by.subject;
  const event = (
    type: ActivityEventType,
    to: ActivityStatus,
    extra: Partial<ActivityEvent['data']> = {},
  ): ActivityEvent => ({
    type,
    activityId: activity.id,
    data: {
      organizerKind: activity.organizer.kind,
      organizationKind:
        activity.organizer.kind === 'organization' ? activity.organizer.organizationKind : null,
      leadDepartment:
        activity.organizer.kind === 'organization'
          ? activity.organizer.leadDepartment
          : activity.organizer.department,
      jurisdictionPath: [...activity.jurisdictionPath],
      from: activity.status,
      to,
      by: byName,
      at: now.toISOString(),
      ...extra,
    },
  });

  switch (command.action) {
    case 'publish': {
      if (activity.venueId === null || activity.venueId.trim() === '') {
        throw precondition(ACTIVITY_VENUE_REQUIRED, 'An activity needs a venue to be published.');
      }
      if (activity.schedule === null) {
        throw precondition(
          ACTIVITY_SCHEDULE_REQUIRED,
          'An activity needs a schedule to be published.',
        );
      }
      const schedule = validateSchedule(activity.schedule);
      assertNotInPast(schedule, now);
      validateCapacity(activity.capacity);
      if (activity.signUpWindow !== null) assertSignUpWindow(activity.signUpWindow, schedule);
      return {
        activity: { ...activity, status: 'published', schedule },
        event: event('ActivityPublished', 'published', { next: span(schedule) }),
      };
    }
    case 'start': {
      if (!hasStarted(requireSchedule(activity), now)) {
        throw precondition(ACTIVITY_NOT_STARTED, 'The activity has not reached its start yet.');
      }
      return {
        activity: { ...activity, status: 'under_way' },
        event: event('ActivityStarted', 'under_way'),
      };
    }
    case 'complete': {
      if (!hasEnded(requireSchedule(activity), now)) {
        throw precondition(ACTIVITY_NOT_ENDED, 'The activity cannot be completed before it ends.');
      }
      return {
        activity: { ...activity, status: 'completed' },
        event: event('ActivityCompleted', 'completed'),
      };
    }
    case 'cancel': {
      const reason = reasonOf(command.reason);
      const signedUp = activity.enrollment.confirmed + activity.enrollment.waitlisted;
      if (signedUp > 0 && reason === null) {
        throw invalid(
          ACTIVITY_CANCEL_REASON_REQUIRED,
          'People have signed up: cancelling needs a reason to tell them.',
        );
      }
      const cancelled: ActivityRecord = {
        ...activity,
        status: 'cancelled',
        cancellation: { reason, cancelledBy: byName, cancelledAt: now },
      };
      // A draft was never public: nobody to tell, nothing to cascade.
      return {
        activity: cancelled,
        event:
          activity.status === 'draft'
            ? null
            : event('ActivityCancelled', 'cancelled', { reason, signedUp }),
      };
    }
    case 'reschedule': {
      const previous = requireSchedule(activity);
      const schedule = validateSchedule(command.schedule);
      assertNotInPast(schedule, now);
      if (sameSchedule(previous, schedule)) {
        throw invalid(
          ACTIVITY_SCHEDULE_UNCHANGED,
          'The new schedule is the same as the current one.',
        );
      }
      if (activity.signUpWindow !== null) assertSignUpWindow(activity.signUpWindow, schedule);
      const reason = reasonOf(command.reason);
      return {
        activity: { ...activity, schedule },
        event: event('ActivityRescheduled', 'published', {
          reason,
          previous: span(previous),
          next: span(schedule),
        }),
      };
    }
    case 'change_capacity': {
      const capacity = validateCapacity(command.capacity);
      assertCapacityHoldsEnrollment(capacity, activity.enrollment.confirmed);
      return { activity: { ...activity, capacity }, event: null };
    }
  }
}

/**
 * What the scheduler should apply now, in order. After downtime an activity
 * that both started and ended while nobody looked gets both steps, so both
 * events are published and consumers see the usual sequence.
 */
export function dueTransitions(activity: ActivityRecord, now: Date): ('start' | 'complete')[] {
  if (activity.schedule === null) return [];
  const ended = hasEnded(activity.schedule, now);
  if (activity.status === 'published' && hasStarted(activity.schedule, now)) {
    return ended ? ['start', 'complete'] : ['start'];
  }
  if (activity.status === 'under_way' && ended) return ['complete'];
  return [];
}

/** Runs the scheduler's due steps; the events in the order to publish them. */
export function advance(activity: ActivityRecord, now: Date): ActivityDecision[] {
  const decisions: ActivityDecision[] = [];
  let current = activity;
  for (const action of dueTransitions(activity, now)) {
    const decision = decide(current, { action }, SCHEDULER, now);
    decisions.push(decision);
    current = decision.activity;
  }
  return decisions;
}
