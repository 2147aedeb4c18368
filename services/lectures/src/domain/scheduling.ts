/**
 * The scheduling rules of a lecture session, pure: the application reads the
 * forum, the speakers, the venue, the campaign and the nearby calendar, and
 * these decide. Each refusal has a stable code and a message that names what
 * it clashes with (the other session by title and id, the speaker by name).
 */
import {
  addDays,
  chinaMidnight,
  invalid,
  MINUTE_MS,
  precondition,
  type CalendarDate,
} from '@learning/domain';
import type { ForumStatus } from './catalogue.js';
import type { AvailabilityWindow, ExpertStatus, TravelRadius } from './experts.js';
import type { VenueSetting } from './sessions.js';

export const SESSION_TIMES_INVALID = 'SESSION_TIMES_INVALID';
export const SESSION_IN_PAST = 'SESSION_IN_PAST';
export const SESSION_LENGTH_INVALID = 'SESSION_LENGTH_INVALID';
export const SESSION_SIGN_UP_WINDOW_INVALID = 'SESSION_SIGN_UP_WINDOW_INVALID';
export const SESSION_CAPACITY_INVALID = 'SESSION_CAPACITY_INVALID';
export const SESSION_SPEAKER_CLASH = 'SESSION_SPEAKER_CLASH';
export const SESSION_VENUE_CLASH = 'SESSION_VENUE_CLASH';
export const SESSION_SPEAKER_UNAVAILABLE = 'SESSION_SPEAKER_UNAVAILABLE';
export const SESSION_SPEAKER_OUT_OF_RADIUS = 'SESSION_SPEAKER_OUT_OF_RADIUS';
export const SESSION_SPEAKER_NOT_IN_POOL = 'SESSION_SPEAKER_NOT_IN_POOL';
export const SESSION_SPEAKER_NOT_ACTIVE = 'SESSION_SPEAKER_NOT_ACTIVE';
export const SESSION_FORUM_UNKNOWN = 'SESSION_FORUM_UNKNOWN';
export const SESSION_FORUM_NOT_ACTIVE = 'SESSION_FORUM_NOT_ACTIVE';
export const SESSION_CAMPAIGN_NOT_LAUNCHED = 'SESSION_CAMPAIGN_NOT_LAUNCHED';
export const SESSION_OUTSIDE_CAMPAIGN_DATES = 'SESSION_OUTSIDE_CAMPAIGN_DATES';
export const SESSION_OUTSIDE_CAMPAIGN_SCOPE = 'SESSION_OUTSIDE_CAMPAIGN_SCOPE';
export const SESSION_VENUE_NOT_IN_TOWNSHIP = 'SESSION_VENUE_NOT_IN_TOWNSHIP';

/**
 * The limits a session's times and a speaker's travel are checked against.
 * Travel minutes are the least gap between the end of one of a speaker's
 * sessions and the start of the next (either order), by the two venues.
 */
export interface SchedulingRules {
  /** Shortest session, minutes. */
  readonly minMinutes: number;
  /** Longest session, minutes: a lecture is not a day's training. */
  readonly maxMinutes: number;
  /** Between two venues of one township or street: across a town, on foot or a short ride. */
  readonly sameTownshipMinutes: number;
  /** Between two city venues of different streets: across town by car or bus. */
  readonly cityMinutes: number;
  /** When either venue is in the countryside: country roads, to or from the city. */
  readonly countrysideMinutes: number;
}

export const DEFAULT_SCHEDULING_RULES: SchedulingRules = {
  minMinutes: 15,
  maxMinutes: 8 * 60,
  sameTownshipMinutes: 30,
  cityMinutes: 60,
  countrysideMinutes: 120,
};

/** The longest gap any pair of venues needs: how far around a session the calendar is read. */
export const maxTravelMinutes = (rules: SchedulingRules): number =>
  Math.max(rules.sameTownshipMinutes, rules.cityMinutes, rules.countrysideMinutes);

/**
 * The part of the calendar a plan can clash with: a session that began up to
 * the longest length (and the travel) before it may still be on.
 */
export function calendarAround(plan: TimeSpan, rules: SchedulingRules): { from: Date; to: Date } {
  const travel = maxTravelMinutes(rules) * MINUTE_MS;
  return {
    from: new Date(plan.startsAt.getTime() - rules.maxMinutes * MINUTE_MS - travel),
    to: new Date(plan.endsAt.getTime() + travel),
  };
}

export interface TimeSpan {
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** Where a session is held, as travel and the clash checks see it. */
export interface VenuePlace {
  readonly id: string;
  readonly setting: VenueSetting;
  /** The township or street the venue is in. */
  readonly townshipCode: string;
}

/** A session already in the calendar, as the clash checks see it. */
export interface CalendarEntry extends TimeSpan {
  readonly id: string;
  readonly title: string;
  readonly speakerIds: readonly string[];
  readonly venue: VenuePlace;
}

export interface SpeakerFacts {
  readonly id: string;
  readonly displayName: string;
  readonly status: ExpertStatus;
  readonly travelRadius: TravelRadius;
  readonly availability: readonly AvailabilityWindow[];
}

export interface ForumFacts {
  readonly id: string;
  readonly name: string;
  readonly status: ForumStatus;
}

export interface CampaignFacts {
  readonly id: string;
  readonly title: string;
  readonly status: 'launched' | 'closed';
  /** From the city down to the root of the subtree it covers. */
  readonly scopePath: readonly string[];
  readonly startsOn: CalendarDate;
  readonly endsOn: CalendarDate;
}

/** null: unlimited. */
export type Capacity = number | null;

export interface SignUpWindow {
  readonly opensAt: Date;
  readonly closesAt: Date;
}

/**
 * The minutes of learning a session holds, as attendance is credited: its
 * length in whole minutes, a part-minute left out.
 */
export const learningMinutesOf = (span: TimeSpan): number =>
  Math.floor((span.endsAt.getTime() - span.startsAt.getTime()) / MINUTE_MS);

const validInstant = (date: Date): boolean => !Number.isNaN(date.getTime());
const iso = (date: Date): string => date.toISOString();

/** Start before end, not in the past, between the shortest and longest session. */
export function validateTimes(span: TimeSpan, now: Date, rules: SchedulingRules): void {
  if (!validInstant(span.startsAt) || !validInstant(span.endsAt))
    throw invalid(SESSION_TIMES_INVALID, 'The session needs a start and an end that are dates.');
  if (span.endsAt.getTime() <= span.startsAt.getTime())
    throw invalid(SESSION_TIMES_INVALID, 'The session must end after it starts.');
  if (span.startsAt.getTime() < now.getTime())
    throw invalid(SESSION_IN_PAST, `The session would start in the past (${iso(span.startsAt)}).`);
  const minutes = (span.endsAt.getTime() - span.startsAt.getTime()) / MINUTE_MS;
  if (minutes < rules.minMinutes || minutes > rules.maxMinutes)
    throw invalid(
      SESSION_LENGTH_INVALID,
      `A session lasts ${rules.minMinutes} to ${rules.maxMinutes} minutes; this one ${minutes}.`,
    );
}

/** Sign-up opens before it closes, and closes no later than the start. */
export function validateSignUpWindow(window: SignUpWindow, startsAt: Date): void {
  if (!validInstant(window.opensAt) || !validInstant(window.closesAt))
    throw invalid(SESSION_SIGN_UP_WINDOW_INVALID, 'The sign-up window needs two dates.');
  if (window.opensAt.getTime() >= window.closesAt.getTime())
    throw invalid(SESSION_SIGN_UP_WINDOW_INVALID, 'Sign-up must open before it closes.');
  if (window.closesAt.getTime() > startsAt.getTime())
    throw invalid(
      SESSION_SIGN_UP_WINDOW_INVALID,
      'Sign-up must close no later than the session starts.',
    );
}

/** A whole number of seats, at least one; null is unlimited. */
export function validateCapacity(capacity: Capacity): void {
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1))
    throw invalid(
      SESSION_CAPACITY_INVALID,
      'Capacity is a whole number of seats, 1 or more, or unlimited.',
    );
}

/** The least gap, in minutes, a speaker needs between sessions at `a` and at `b`. */
export function travelMinutes(a: VenuePlace, b: VenuePlace, rules: SchedulingRules): number {
  if (a.id === b.id) return 0;
  if (a.setting === 'countryside' || b.setting === 'countryside') {
    // Two venues of one rural township are still a short ride apart.
    return a.townshipCode === b.townshipCode ? rules.sameTownshipMinutes : rules.countrysideMinutes;
  }
  return a.townshipCode === b.townshipCode ? rules.sameTownshipMinutes : rules.cityMinutes;
}

/** The span around `span` a speaker needs free, travel included, when coming from or going to `other`. */
const overlapsWithGap = (span: TimeSpan, other: TimeSpan, gapMinutes: number): boolean => {
  const gap = gapMinutes * MINUTE_MS;
  return (
    other.startsAt.getTime() < span.endsAt.getTime() + gap &&
    span.startsAt.getTime() < other.endsAt.getTime() + gap
  );
};

/**
 * No speaker is in two places at once: every other session of a speaker
 * (`calendar`, the session being moved excluded) ends at least the travel
 * time before this one starts, or starts at least that long after it ends.
 */
export function assertNoSpeakerClash(
  span: TimeSpan,
  venue: VenuePlace,
  speakers: readonly Pick<SpeakerFacts, 'id' | 'displayName'>[],
  calendar: readonly CalendarEntry[],
  rules: SchedulingRules,
): void {
  for (const speaker of speakers)
    for (const other of calendar) {
      if (!other.speakerIds.includes(speaker.id)) continue;
      const gap = travelMinutes(venue, other.venue, rules);
      if (overlapsWithGap(span, other, gap))
        throw precondition(
          SESSION_SPEAKER_CLASH,
          `${speaker.displayName} (${speaker.id}) speaks at "${other.title}" (${other.id}) from ` +
            `${iso(other.startsAt)} to ${iso(other.endsAt)}` +
            (gap === 0 ? '.' : `, and needs ${gap} minutes to travel between the venues.`),
        );
    }
}

/** A venue hosts one session at a time (one may start when the previous ends). */
export function assertNoVenueClash(
  span: TimeSpan,
  venue: VenuePlace,
  calendar: readonly CalendarEntry[],
): void {
  const other = calendar.find(
    (entry) => entry.venue.id === venue.id && overlapsWithGap(span, entry, 0),
  );
  if (other !== undefined)
    throw precondition(
      SESSION_VENUE_CLASH,
      `The venue hosts "${other.title}" (${other.id}) from ${iso(other.startsAt)} to ` +
        `${iso(other.endsAt)}.`,
    );
}

/** Every speaker is in the pool and active; `found` holds the pool's records of the ids asked. */
export function assertSpeakersInPool(
  speakerIds: readonly string[],
  found: ReadonlyMap<string, SpeakerFacts>,
): SpeakerFacts[] {
  return speakerIds.map((id) => {
    const speaker = found.get(id);
    if (speaker === undefined)
      throw invalid(SESSION_SPEAKER_NOT_IN_POOL, `Speaker ${id} is not in the expert pool.`);
    if (speaker.status !== 'active')
      throw precondition(
        SESSION_SPEAKER_NOT_ACTIVE,
        `${speaker.displayName} (${id}) has retired from the expert pool.`,
      );
    return speaker;
  });
}

/** The session lies wholly inside one of each speaker's availability windows. */
export function assertWithinAvailability(span: TimeSpan, speakers: readonly SpeakerFacts[]): void {
  for (const speaker of speakers) {
    const inside = speaker.availability.some(
      (window) =>
        window.startsAt.getTime() <= span.startsAt.getTime() &&
        span.endsAt.getTime() <= window.endsAt.getTime(),
    );
    if (!inside)
      throw precondition(
        SESSION_SPEAKER_UNAVAILABLE,
        `${speaker.displayName} (${speaker.id}) is not available from ${iso(span.startsAt)} to ` +
          `${iso(span.endsAt)}.`,
      );
  }
}

/** An expert who travels in the city only is not sent to a countryside venue. */
export function assertTravelRadius(venue: VenuePlace, speakers: readonly SpeakerFacts[]): void {
  if (venue.setting !== 'countryside') return;
  const homebound = speakers.find((speaker) => speaker.travelRadius === 'city');
  if (homebound !== undefined)
    throw precondition(
      SESSION_SPEAKER_OUT_OF_RADIUS,
      `${homebound.displayName} (${homebound.id}) lectures in the city only; the venue is in ` +
        'the countryside.',
    );
}

/** The forum exists and still holds sessions. */
export function assertForumActive<F extends ForumFacts>(forumId: string, forum: F | null): F {
  if (forum === null)
    throw invalid(SESSION_FORUM_UNKNOWN, `There is no forum with the id ${forumId}.`);
  if (forum.status !== 'active')
    throw precondition(
      SESSION_FORUM_NOT_ACTIVE,
      `The forum "${forum.name}" is retired; it holds no new sessions.`,
    );
  return forum;
}

/**
 * A campaign a session counts toward is launched (not yet closed), runs on
 * the session's dates (China dates, both ends included) and covers the venue.
 */
export function assertCampaignFits(
  campaign: CampaignFacts,
  span: TimeSpan,
  venuePath: readonly string[],
): void {
  if (campaign.status !== 'launched')
    throw precondition(
      SESSION_CAMPAIGN_NOT_LAUNCHED,
      `The campaign "${campaign.title}" is closed; sessions can no longer join it.`,
    );
  const opens = chinaMidnight(campaign.startsOn);
  const closes = chinaMidnight(addDays(campaign.endsOn, 1));
  if (span.startsAt.getTime() < opens.getTime() || span.endsAt.getTime() > closes.getTime())
    throw invalid(
      SESSION_OUTSIDE_CAMPAIGN_DATES,
      `The campaign "${campaign.title}" runs from ${campaign.startsOn} to ${campaign.endsOn}.`,
    );
  const root = campaign.scopePath.at(-1);
  if (root !== undefined && !venuePath.includes(root))
    throw invalid(
      SESSION_OUTSIDE_CAMPAIGN_SCOPE,
      `The venue is outside the area of the campaign "${campaign.title}".`,
    );
}

/**
 * The township-rank node of a place (the second code of its path, under the
 * city): the unit of travel and of coverage.
 */
export function townshipCodeOf(path: readonly string[]): string {
  const code = path[1];
  if (code === undefined)
    throw invalid(
      SESSION_VENUE_NOT_IN_TOWNSHIP,
      'The venue must be inside a township or street, not at the city level.',
    );
  return code;
}

/** A street (街道) is the city; a township (乡镇) the countryside. */
export function settingOf(level: string): VenueSetting {
  if (level === 'street') return 'city';
  if (level === 'township') return 'countryside';
  throw invalid(
    SESSION_VENUE_NOT_IN_TOWNSHIP,
    `The venue's place under the city is a ${level}, not a township or street.`,
  );
}

/** Everything a proposed session is checked against. */
export interface SessionPlan extends TimeSpan {
  readonly venue: VenuePlace;
  readonly venuePath: readonly string[];
  readonly capacity: Capacity;
  readonly signUpWindow: SignUpWindow;
}

export interface SchedulingFacts {
  readonly now: Date;
  readonly forumId: string;
  readonly forum: ForumFacts | null;
  readonly speakerIds: readonly string[];
  /** The pool's records of the speakers asked for (absent ids are not in it). */
  readonly speakers: ReadonlyMap<string, SpeakerFacts>;
  /** The campaign named and its facts; undefined when none is named. */
  readonly campaign?: CampaignFacts;
  /** The speakers' and the venue's sessions near the plan, the session being moved excluded. */
  readonly calendar: readonly CalendarEntry[];
}

/**
 * Every rule, the plan's own first (cheap, no reads needed), then the forum,
 * speakers, campaign and the calendar. Throws the first refusal.
 */
export function checkSession(
  plan: SessionPlan,
  facts: SchedulingFacts,
  rules: SchedulingRules,
): void {
  validateTimes(plan, facts.now, rules);
  validateSignUpWindow(plan.signUpWindow, plan.startsAt);
  validateCapacity(plan.capacity);
  assertForumActive(facts.forumId, facts.forum);
  const speakers = assertSpeakersInPool(facts.speakerIds, facts.speakers);
  if (facts.campaign !== undefined) assertCampaignFits(facts.campaign, plan, plan.venuePath);
  assertTravelRadius(plan.venue, speakers);
  assertWithinAvailability(plan, speakers);
  assertNoVenueClash(plan, plan.venue, facts.calendar);
  assertNoSpeakerClash(plan, plan.venue, speakers, facts.calendar, rules);
}
