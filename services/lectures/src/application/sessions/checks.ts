/**
 * Reads what the scheduling rules need, and only that: the venue from the
 * catalogue and its township-rank node from registration, the speakers from
 * the pool, the campaign from activities, and the calendar near the plan (the
 * speakers' and the venue's sessions that could clash, travel time included).
 */
import { domainCall } from '@learning/domain';
import {
  checkSession,
  calendarAround,
  SESSION_VENUE_NOT_IN_TOWNSHIP,
  settingOf,
  townshipCodeOf,
  validateCapacity,
  validateSignUpWindow,
  validateTimes,
  type SchedulingRules,
  type SessionPlan,
} from '../../domain/scheduling.js';
import type { Campaigns, Jurisdictions, Venues } from '../ports.js';
import { SESSION_CAMPAIGN_UNKNOWN, SESSION_VENUE_UNKNOWN, sessionErrors } from './errors.js';
import type { ExpertDirectory, ForumRecord, SessionRepository, SessionVenue } from './ports.js';

export interface SchedulingDeps {
  readonly sessions: SessionRepository;
  readonly experts: ExpertDirectory;
  readonly venues: Venues;
  readonly campaigns: Campaigns;
  readonly jurisdictions: Jurisdictions;
  readonly rules: SchedulingRules;
  readonly clock: () => Date;
}

export interface PlacedVenue {
  readonly venue: SessionVenue;
  /** The venue's place, from the city down: the session's jurisdiction path. */
  readonly path: readonly string[];
}

/** The catalogued venue, with whether it is in the city or the countryside. */
export async function placeVenue(
  deps: Pick<SchedulingDeps, 'venues' | 'jurisdictions'>,
  venueId: string,
): Promise<PlacedVenue> {
  const found = (await deps.venues.find([venueId])).get(venueId);
  if (found === undefined)
    throw sessionErrors.error(SESSION_VENUE_UNKNOWN, 'There is no venue with that id.', {
      details: [{ field: '/venueId', message: 'not in the venue catalogue' }],
    });
  const townshipCode = domainCall(() => townshipCodeOf(found.jurisdictionPath));
  const township = (await deps.jurisdictions.find([townshipCode])).get(townshipCode);
  if (township === undefined)
    throw sessionErrors.error(
      SESSION_VENUE_NOT_IN_TOWNSHIP,
      'Registration does not know the township or street the venue is in.',
    );
  return {
    venue: {
      id: found.id,
      name: found.name,
      address: found.address,
      setting: domainCall(() => settingOf(township.level)),
      townshipCode,
    },
    path: [...found.jurisdictionPath],
  };
}

export interface PlanToCheck extends SessionPlan {
  readonly forumId: string;
  readonly forum: ForumRecord | null;
  readonly speakerIds: readonly string[];
  readonly campaignId: string | null;
  /** The session being moved. */
  readonly excludeId?: string;
}

/** The plan's own fields, before anything is read for it. */
export function checkOwnFields(
  plan: Pick<SessionPlan, 'startsAt' | 'endsAt' | 'signUpWindow' | 'capacity'>,
  deps: Pick<SchedulingDeps, 'rules' | 'clock'>,
): void {
  domainCall(() => {
    validateTimes(plan, deps.clock(), deps.rules);
    validateSignUpWindow(plan.signUpWindow, plan.startsAt);
    validateCapacity(plan.capacity);
  });
}

/**
 * Every scheduling rule over the plan; throws the first refusal. Returns the
 * speakers' display names in speaker order, read for the rules anyway, so the
 * session's events name them.
 */
export async function checkPlan(deps: SchedulingDeps, plan: PlanToCheck): Promise<string[]> {
  checkOwnFields(plan, deps);
  const [speakers, campaign, calendar] = await Promise.all([
    deps.experts.find(plan.speakerIds),
    plan.campaignId === null ? Promise.resolve(undefined) : deps.campaigns.find(plan.campaignId),
    deps.sessions.calendar({
      speakerIds: plan.speakerIds,
      venueId: plan.venue.id,
      ...calendarAround(plan, deps.rules),
      ...(plan.excludeId === undefined ? {} : { excludeId: plan.excludeId }),
    }),
  ]);
  if (campaign === null)
    throw sessionErrors.error(
      SESSION_CAMPAIGN_UNKNOWN,
      'There is no launched campaign with that id.',
      { details: [{ field: '/campaignId', message: 'not a launched or closed campaign' }] },
    );
  domainCall(() => {
    checkSession(
      plan,
      {
        now: deps.clock(),
        forumId: plan.forumId,
        forum: plan.forum,
        speakerIds: plan.speakerIds,
        speakers,
        ...(campaign === undefined ? {} : { campaign }),
        calendar,
      },
      deps.rules,
    );
  });
  return plan.speakerIds.map((id) => speakers.get(id)?.displayName ?? '');
}
