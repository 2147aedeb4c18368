/**
 * Sends a generated demo city (demo-city.ts) through the services' public
 * REST APIs, as an officer's requests would go, a few at a time, with a
 * progress bar: the jurisdiction tree, the participants, the organizations
 * with their review decisions and members, then (when activities runs) the
 * township supermarkets and village libraries and their enterprise pairings,
 * and the coming October's 金秋读书节 launched with an activity published in
 * every township and street.
 * Into a fresh stack: a second load of the same seed is refused as the same
 * ID numbers again (the stand-ins keep nothing across restarts).
 */
import { Presets, SingleBar } from 'cli-progress';
import pLimit from 'p-limit';
import { call } from './demo.js';
import { signLocalToken } from './dev-token.js';
import { FESTIVAL_CAMPAIGN, type DemoCity } from './demo-city.js';

export interface DemoCityTargets {
  readonly registrationUrl: string;
  /** Absent when activities does not run: no network places then. */
  readonly activitiesUrl?: string;
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
  /** The first organization loaded: whom the banner's org_admin token administers. */
  readonly firstOrganization?: { readonly id: string; readonly name: string };
}

/** Requests in flight at once: enough to keep a service busy, few enough for two cores. */
const DEFAULT_CONCURRENCY = 8;

/** How many requests loading `city` sends, for the progress bar's total. */
export function requestsFor(city: DemoCity, withActivities: boolean): number {
  const organizations = city.organizations.reduce(
    (total, organization) =>
      total + 1 + organization.decisions.length + organization.members.length,
    0,
  );
  // The festival: create and launch the campaign, then create and publish each activity.
  const network = withActivities
    ? city.places.length + city.pairings.length + 2 + 2 * city.festivalActivities.length
    : 0;
  return 1 + city.participants.length + organizations + network;
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
  }: { concurrency?: number; showProgress?: boolean } = {},
): Promise<DemoCitySummary> {
  const { registrationUrl, activitiesUrl } = targets;
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
    bar.start(requestsFor(city, activitiesUrl !== undefined), 0, { stage: 'jurisdictions' });
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

    stage('participants');
    const participantIds = await Promise.all(
      city.participants.map((person) =>
        limit(async () =>
          sent(
            call<{ id: string }>(registrationUrl, admin, '/v1/participants:register-for', person),
          ).then(({ id }) => id),
        ),
      ),
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
    return {
      jurisdictions: city.jurisdictions.length,
      participants: participantIds.length,
      organizations: organizationIds.length,
      memberships: city.organizations.reduce((total, { members }) => total + members.length, 0),
      places,
      pairings,
      festivalActivities,
      ...(organizationIds[0] === undefined || city.organizations[0] === undefined
        ? {}
        : { firstOrganization: { id: organizationIds[0], name: city.organizations[0].body.name } }),
    };
  } finally {
    if (showProgress) bar.stop();
  }
}
