/**
 * Demo data for the local stack, loaded through the services' own REST APIs
 * (so it passes every rule a person's request would): in registration the
 * demo city's jurisdiction tree, people of every tier, and one learning
 * organization of each kind, some of them reviewed and recognized; in
 * activities a launched learning month, published activities, a knowledge
 * supermarket and a library paired with the enterprise. The stand-ins keep
 * nothing across restarts, so every start loads it afresh.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signLocalToken } from './dev-token.js';

const demoFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../demo/${name}`, import.meta.url), 'utf8'));

interface DemoOrganization {
  readonly decisions: readonly string[];
  readonly [field: string]: unknown;
}

export interface DemoSummary {
  readonly jurisdictions: number;
  readonly participants: number;
  readonly organizations: number;
  /** Absent when activities does not run. */
  readonly activities?: { campaigns: number; activities: number; places: number };
}

interface DemoActivity {
  /** Organized by the demo organization of this kind, or else by this department. */
  readonly organizerKind?: string;
  readonly organizerDepartment?: string;
  readonly startsInDays: number;
  readonly hours: number;
  readonly [field: string]: unknown;
}

interface DemoPlace {
  /** A library is paired with the demo organization of this kind. */
  readonly pairWithKind?: string;
  readonly [field: string]: unknown;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

async function call<T>(base: string, token: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      // Fresh each start: Redis keeps replayed answers across restarts, the stand-ins do not.
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`demo data: POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Loads the demo data into registration at `registrationUrl` and, when it
 * runs, into activities at `activitiesUrl`.
 */
export async function loadDemoData(
  registrationUrl: string,
  activitiesUrl?: string,
): Promise<DemoSummary> {
  const admin = await signLocalToken({ subject: 'demo-loader', roles: ['city_admin'] });
  const tree = demoFile('jurisdictions.json') as { items: unknown[] };
  await call(registrationUrl, admin, '/v1/jurisdictions:import', tree);

  const people = demoFile('participants.json') as unknown[];
  for (const person of people)
    await call(registrationUrl, admin, '/v1/participants:register-for', person);

  const organizations = demoFile('organizations.json') as DemoOrganization[];
  const organizationByKind = new Map<string, string>();
  for (const { decisions, ...organization } of organizations) {
    const { id } = await call<{ id: string }>(
      registrationUrl,
      admin,
      '/v1/organizations',
      organization,
    );
    organizationByKind.set(String(organization['kind']), id);
    for (const action of decisions)
      await call(registrationUrl, admin, `/v1/organizations/${id}:decide`, { action });
  }
  const registration = {
    jurisdictions: tree.items.length,
    participants: people.length,
    organizations: organizations.length,
  };
  if (activitiesUrl === undefined) return registration;
  return {
    ...registration,
    activities: await loadActivities(activitiesUrl, admin, organizationByKind),
  };
}

function organizationOf(organizationByKind: ReadonlyMap<string, string>, kind: string): string {
  const id = organizationByKind.get(kind);
  if (id === undefined) throw new Error(`demo data: no demo organization of kind ${kind}`);
  return id;
}

async function loadActivities(
  activitiesUrl: string,
  admin: string,
  organizationByKind: ReadonlyMap<string, string>,
): Promise<NonNullable<DemoSummary['activities']>> {
  const demo = demoFile('activities.json') as {
    campaigns: unknown[];
    activities: DemoActivity[];
    places: DemoPlace[];
  };
  for (const campaign of demo.campaigns) {
    const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/campaigns', campaign);
    await call(activitiesUrl, admin, `/v1/campaigns/${id}:launch`, {});
  }
  // Dated from today, so the listing always shows what is coming.
  const now = Date.now();
  for (const {
    organizerKind,
    organizerDepartment,
    startsInDays,
    hours,
    ...activity
  } of demo.activities) {
    const start = new Date(now + startsInDays * DAY_MS);
    const organizer =
      organizerKind === undefined
        ? { kind: 'department', department: organizerDepartment }
        : {
            kind: 'organization',
            organizationId: organizationOf(organizationByKind, organizerKind),
          };
    const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/activities', {
      ...activity,
      organizer,
      schedule: {
        sessions: [
          {
            start: start.toISOString(),
            end: new Date(start.getTime() + hours * HOUR_MS).toISOString(),
          },
        ],
      },
    });
    await call(activitiesUrl, admin, `/v1/activities/${id}:publish`, {});
  }
  for (const { pairWithKind, ...place } of demo.places) {
    const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/network/places', place);
    if (pairWithKind !== undefined)
      await call(activitiesUrl, admin, '/v1/network/pairings', {
        enterpriseId: organizationOf(organizationByKind, pairWithKind),
        libraryId: id,
      });
  }
  return {
    campaigns: demo.campaigns.length,
    activities: demo.activities.length,
    places: demo.places.length,
  };
}
