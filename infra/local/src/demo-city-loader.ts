/**
 * Sends a generated demo city (demo-city.ts) through the services' public
 * REST APIs, as an officer's requests would go, a few at a time, with a
 * progress bar: the jurisdiction tree, the participants, the organizations
 * with their review decisions and members, then (when activities runs) the
 * township supermarkets and village libraries and their enterprise pairings.
 * Into a fresh stack: a second load of the same seed is refused as the same
 * ID numbers again (the stand-ins keep nothing across restarts).
 */
import { Presets, SingleBar } from 'cli-progress';
import pLimit from 'p-limit';
import { call } from './demo.js';
import { signLocalToken } from './dev-token.js';
import type { DemoCity } from './demo-city.js';

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
  const network = withActivities ? city.places.length + city.pairings.length : 0;
  return 1 + city.participants.length + organizations + network;
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
    }
    return {
      jurisdictions: city.jurisdictions.length,
      participants: participantIds.length,
      organizations: organizationIds.length,
      memberships: city.organizations.reduce((total, { members }) => total + members.length, 0),
      places,
      pairings,
      ...(organizationIds[0] === undefined || city.organizations[0] === undefined
        ? {}
        : { firstOrganization: { id: organizationIds[0], name: city.organizations[0].body.name } }),
    };
  } finally {
    if (showProgress) bar.stop();
  }
}
