/**
 * Sends a generated demo city (demo-city.ts) through the services' public
 * REST APIs, as an officer's requests would go, a few at a time, with a
 * progress bar: the jurisdiction tree, the participants, the organizations
 * with their review decisions and members, then (when activities runs) the
 * township supermarkets and village libraries and their enterprise pairings,
 * and the coming October's 金秋读书节 launched with an activity published in
 * every township and street; and its history: a short activity of today in
 * every township, signed up for by residents (who registered themselves, as
 * the portal would, so they have accounts to sign up with), attendance
 * confirmed by an officer once it ended (credited by the demo's rule for
 * activities, which the stack writes on the day before's clock so it is in
 * force today: stack.ts, the-day-before.ts), and (when scoring runs) the
 * areas assessed again, the generated townships among them.
 * Into a fresh stack: a second load of the same seed is refused as the same
 * ID numbers again (the stand-ins keep nothing across restarts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import pLimit from 'p-limit';
import { call, computeAssessments } from './demo.js';
import { signLocalToken } from './dev-token.js';
import { accountSubjectOf, FESTIVAL_CAMPAIGN, type DemoCity } from './demo-city.js';

export interface DemoCityTargets {
  readonly registrationUrl: string;
  /** Absent when activities does not run: no network places and no history then. */
  readonly activitiesUrl?: string;
  /** Absent when scoring does not run: no assessment of the generated townships then. */
  readonly scoringUrl?: string;
}

export interface DemoCitySummary {
  readonly jurisdictions: number;
  readonly participants: number;
  readonly organizations: number;
  readonly memberships: number;
  readonly places: number;
  readonly pairings: number;
  /** The October festival's activities, published; 0 without activities. */
  readonly festivalActivities: number;
  /** History: today's short activities, their sign-ups and the attendances confirmed; zeros without activities. */
  readonly history: {
    readonly activities: number;
    readonly signUps: number;
    readonly attendances: number;
    /** Areas (townships and streets) assessed after it; 0 without scoring. */
    readonly assessedAreas: number;
  };
  /** The first organization loaded: whom the banner's org_admin token administers. */
  readonly firstOrganization?: { readonly id: string; readonly name: string };
}

/** Requests in flight at once: enough to keep a service busy, few enough for two cores. */
const DEFAULT_CONCURRENCY = 8;

/**
 * Today's activities start this long after they are created (time to publish
 * them all, since a schedule may not start in the past) and last a minute,
 * the shortest that counts a whole learning minute: the load waits for their
 * end, mostly while it sends the rest of the city (and, scheduled with
 * scheduleDemoCityHistory before it, the hand-written demo).
 */
export const HISTORY_LEAD_MS = 5_000;
export const HISTORY_LENGTH_MS = 60_000;

/** Positions of the people who take part in the city's history: they register themselves. */
export const historyPeopleOf = (city: DemoCity): ReadonlySet<number> =>
  new Set(city.recentActivities.flatMap((activity) => activity.signUps));

/** Today's activities of the city's history, published, with whom they await. */
export interface ScheduledHistory {
  readonly activities: readonly {
    readonly id: string;
    readonly end: Date;
    readonly signUps: readonly number[];
    readonly attended: readonly number[];
  }[];
}

/**
 * Imports the city's tree and publishes today's activities of its history,
 * so their minute can run while other demo data loads; loadDemoCity then
 * signs people up and waits for the end.
 */
export async function scheduleDemoCityHistory(
  { registrationUrl, activitiesUrl }: Required<Omit<DemoCityTargets, 'scoringUrl'>>,
  city: DemoCity,
  { concurrency = DEFAULT_CONCURRENCY }: { concurrency?: number } = {},
): Promise<ScheduledHistory> {
  const admin = await signLocalToken({ subject: 'demo-loader', roles: ['city_admin'] });
  const limit = pLimit(concurrency);
  await call(registrationUrl, admin, '/v1/jurisdictions:import', { items: city.jurisdictions });
  const activities = await Promise.all(
    city.recentActivities.map(({ signUps, attended, ...activity }) =>
      limit(async () => {
        const start = new Date(Date.now() + HISTORY_LEAD_MS);
        const end = new Date(start.getTime() + HISTORY_LENGTH_MS);
        const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/activities', {
          ...activity,
          schedule: { sessions: [{ start: start.toISOString(), end: end.toISOString() }] },
          // Open until the end, so the load's sign-ups may arrive after the start.
          signUpWindow: { opensAt: new Date().toISOString(), closesAt: end.toISOString() },
        });
        await call(activitiesUrl, admin, `/v1/activities/${id}:publish`, {});
        return { id, end, signUps, attended };
      }),
    ),
  );
  return { activities };
}

/**
 * How many requests loading `city` sends, for the progress bar's total;
 * `scheduled` when its history's activities were published beforehand.
 */
export function requestsFor(
  city: DemoCity,
  withActivities: boolean,
  scheduled = false,
  withHistory = true,
): number {
  const organizations = city.organizations.reduce(
    (total, organization) =>
      total + 1 + organization.decisions.length + organization.members.length,
    0,
  );
  // The festival: create and launch the campaign, then create and publish each activity.
  const network = withActivities
    ? city.places.length + city.pairings.length + 2 + 2 * city.festivalActivities.length
    : 0;
  // History: create and publish each, a sign-up each, one attendance call per activity anyone came to.
  const history =
    withActivities && withHistory
      ? city.recentActivities.reduce(
          (total, { signUps, attended }) =>
            total + (scheduled ? 0 : 2) + signUps.length + (attended.length > 0 ? 1 : 0),
          0,
        )
      : 0;
  return 1 + city.participants.length + organizations + network + history;
}

/** The year of the next October still wholly ahead, in the city's time (UTC+8): no activity dated in the past. */
export function comingOctoberYear(now: Date): number {
  const city = new Date(now.getTime() + 8 * 3_600_000);
  return city.getUTCMonth() < 9 ? city.getUTCFullYear() : city.getUTCFullYear() + 1;
}

export async function loadDemoCity(
  targets: DemoCityTargets,
  city: DemoCity,
  {
    concurrency = DEFAULT_CONCURRENCY,
    showProgress = process.stderr.isTTY,
    history,
    includeHistory = true,
  }: {
    concurrency?: number;
    showProgress?: boolean;
    /** False: no sign-ups and attendance of today (they wait a minute for the activities to end). */
    includeHistory?: boolean;
    /** From scheduleDemoCityHistory; loadDemoCity publishes the history's activities itself when absent. */
    history?: ScheduledHistory;
  } = {},
): Promise<DemoCitySummary> {
  const { registrationUrl, activitiesUrl, scoringUrl } = targets;
  const withHistory = activitiesUrl !== undefined && includeHistory;
  const admin = await signLocalToken({ subject: 'demo-loader', roles: ['city_admin'] });
  const limit = pLimit(concurrency);
  // On stderr, so a caller's stdout (the banner, a script's pipe) stays clean.
  const bar = new SingleBar(
    {
      format: '[demo] {bar} {value}/{total} requests  {stage}',
      stream: process.stderr,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
  if (showProgress)
    bar.start(
      requestsFor(city, activitiesUrl !== undefined, history !== undefined, withHistory),
      0,
      {
        stage: 'jurisdictions',
      },
    );
  const sent = async <T>(request: Promise<T>): Promise<T> => {
    const answer = await request;
    if (showProgress) bar.increment();
    return answer;
  };
  const stage = (name: string): void => {
    if (showProgress) bar.update({ stage: name });
  };

  try {
    await sent(
      call(registrationUrl, admin, '/v1/jurisdictions:import', { items: city.jurisdictions }),
    );

    // First, so their minute runs while the rest of the city loads.
    stage("history: today's activities");
    let scheduled = history;
    if (scheduled === undefined && withHistory) {
      scheduled = await scheduleDemoCityHistory({ registrationUrl, activitiesUrl }, city, {
        concurrency,
      });
      if (showProgress) bar.increment(2 * scheduled.activities.length);
    }
    const recent = withHistory ? (scheduled?.activities ?? []) : [];

    stage('participants');
    const historyPeople = withHistory ? historyPeopleOf(city) : new Set<number>();
    const ownTokens = new Map<number, string>();
    const participantIds = await Promise.all(
      city.participants.map((person, position) =>
        limit(async () => {
          if (!historyPeople.has(position))
            return sent(
              call<{ id: string }>(registrationUrl, admin, '/v1/participants:register-for', person),
            ).then(({ id }) => id);
          // Signing up takes the person's own account: they register themselves, as on the portal.
          const own = await signLocalToken({
            subject: accountSubjectOf(city.seed, position),
            roles: ['participant'],
          });
          ownTokens.set(position, own);
          return sent(call<{ id: string }>(registrationUrl, own, '/v1/participants', person)).then(
            ({ id }) => id,
          );
        }),
      ),
    );

    stage('history: sign-ups');
    const enrolled = await Promise.all(
      recent.map(async ({ id, end, signUps, attended }) => {
        const enrollmentIds = await Promise.all(
          signUps.map((position) =>
            limit(async () => {
              const own = ownTokens.get(position);
              if (own === undefined)
                throw new Error(`demo city: history sign-up ${position} has no account`);
              const enrollment = await sent(
                call<{ id: string; status: string }>(registrationUrl, own, '/v1/enrollments', {
                  owner: 'activities',
                  eventId: id,
                }),
              );
              if (enrollment.status !== 'confirmed')
                throw new Error(`demo city: a history sign-up is ${enrollment.status}`);
              return [position, enrollment.id] as const;
            }),
          ),
        );
        const enrollmentOf = new Map(enrollmentIds);
        return {
          id,
          end,
          signUps: signUps.length,
          attendedEnrollments: attended.map((position) => enrollmentOf.get(position) ?? ''),
        };
      }),
    );

    stage('organizations and members');
    const organizationIds = await Promise.all(
      city.organizations.map(({ body, decisions, members }) =>
        limit(async () => {
          const { id } = await sent(
            call<{ id: string }>(registrationUrl, admin, '/v1/organizations', body),
          );
          for (const action of decisions)
            await sent(call(registrationUrl, admin, `/v1/organizations/${id}:decide`, { action }));
          for (const [order, position] of members.entries()) {
            const participantId = participantIds[position];
            if (participantId === undefined)
              throw new Error(`demo city: organization member ${position} is no participant`);
            await sent(
              call(
                registrationUrl,
                admin,
                `/v1/organizations/${id}/members/${participantId}`,
                { role: order === 0 ? 'admin' : 'member' },
                'PUT',
              ),
            );
          }
          return id;
        }),
      ),
    );

    let places = 0;
    let pairings = 0;
    let festivalActivities = 0;
    if (activitiesUrl !== undefined) {
      stage('supermarkets and libraries');
      const placeIds = await Promise.all(
        city.places.map((place) =>
          limit(async () =>
            sent(call<{ id: string }>(activitiesUrl, admin, '/v1/network/places', place)).then(
              ({ id }) => id,
            ),
          ),
        ),
      );
      places = placeIds.length;
      stage('百村百企百书架 pairings');
      await Promise.all(
        city.pairings.map(({ enterprise, library }) =>
          limit(async () =>
            sent(
              call(activitiesUrl, admin, '/v1/network/pairings', {
                enterpriseId: organizationIds[enterprise],
                libraryId: placeIds[library],
              }),
            ),
          ),
        ),
      );
      pairings = city.pairings.length;

      stage('金秋读书节');
      const year = comingOctoberYear(new Date());
      const { id: campaignId } = await sent(
        call<{ id: string }>(activitiesUrl, admin, '/v1/campaigns', {
          ...FESTIVAL_CAMPAIGN,
          title: `${year} ${FESTIVAL_CAMPAIGN.title}`,
          startsOn: `${year}-10-01`,
          endsOn: `${year}-10-31`,
        }),
      );
      await sent(call(activitiesUrl, admin, `/v1/campaigns/${campaignId}:launch`, {}));
      await Promise.all(
        city.festivalActivities.map(({ octoberDay, hours, ...activity }) =>
          limit(async () => {
            // 14:00 China time is 06:00 UTC.
            const start = new Date(Date.UTC(year, 9, octoberDay, 6));
            const { id } = await sent(
              call<{ id: string }>(activitiesUrl, admin, '/v1/activities', {
                ...activity,
                campaignId,
                schedule: {
                  sessions: [
                    {
                      start: start.toISOString(),
                      end: new Date(start.getTime() + hours * 3_600_000).toISOString(),
                    },
                  ],
                },
              }),
            );
            await sent(call(activitiesUrl, admin, `/v1/activities/${id}:publish`, {}));
          }),
        ),
      );
      festivalActivities = city.festivalActivities.length;
    }

    let attendances = 0;
    const lastEnd = Math.max(0, ...enrolled.map(({ end }) => end.getTime()));
    if (enrolled.length > 0) {
      stage("history: waiting for today's activities to end");
      // A second past the end: registration compares with its own clock.
      await sleep(Math.max(0, lastEnd + 1_000 - Date.now()));
      stage('history: attendance');
      for (const { id, attendedEnrollments } of enrolled) {
        if (attendedEnrollments.length === 0) continue;
        const answer = await sent(
          call<{ recorded: number; refused: unknown[] }>(
            registrationUrl,
            admin,
            `/v1/events/activities/${id}/attendance`,
            { by: 'officer', enrollmentIds: attendedEnrollments },
          ),
        );
        if (answer.refused.length > 0)
          throw new Error(`demo city: attendance refused: ${JSON.stringify(answer.refused)}`);
        attendances += answer.recorded;
      }
    }
    const assessedAreas =
      scoringUrl === undefined || activitiesUrl === undefined
        ? 0
        : (await computeAssessments(scoringUrl, admin, new Date(), ['area'])).assessments;

    return {
      jurisdictions: city.jurisdictions.length,
      participants: participantIds.length,
      organizations: organizationIds.length,
      memberships: city.organizations.reduce((total, { members }) => total + members.length, 0),
      places,
      pairings,
      festivalActivities,
      history: {
        activities: enrolled.length,
        signUps: enrolled.reduce((total, { signUps }) => total + signUps, 0),
        attendances,
        assessedAreas,
      },
      ...(organizationIds[0] === undefined || city.organizations[0] === undefined
        ? {}
        : { firstOrganization: { id: organizationIds[0], name: city.organizations[0].body.name } }),
    };
  } finally {
    if (showProgress) bar.stop();
  }
}
