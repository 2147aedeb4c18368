/**
 * Demo data for the local stack, loaded through the services' own REST APIs
 * (so it passes every rule a person's request would): in registration the
 * demo city's jurisdiction tree, people of every tier, and one learning
 * organization of each kind, some of them reviewed and recognized; in
 * activities a launched learning month, published activities, a knowledge
 * supermarket and a library paired with the enterprise; in lectures the
 * series 玉海大讲坛 with a forum of each kind, a dozen experts (each a person
 * registered in registration), sessions at venues in the city's streets and
 * its rural townships, and published library lessons; in scoring the
 * campaign office's credit rules, the year's indicator systems and funding (the allocation's
 * lines, an awards line among them, and a few sponsorships and donations);
 * in notifications a few people's
 * preferences, a department's webhook to the local receiver and an
 * announcement to a township. The stand-ins keep nothing across restarts,
 * so every start loads it afresh.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DAY_MS, HOUR_MS } from '@learning/domain';
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
  /** Absent when activities does not run. */
  readonly training?: { programmes: number; classes: number };
  /** Absent when lectures (or activities, which keeps its venues) does not run. */
  readonly lectures?: {
    forums: number;
    experts: number;
    venues: number;
    sessions: number;
    lessons: number;
  };
  /** Absent when scoring does not run. */
  readonly scoring?: {
    rules: number;
    indicatorSystems: number;
    fundingLines: number;
    receipts: number;
    assessments: number;
  };
  /** Absent when notifications does not run. */
  readonly notifications?: { readers: number; webhooks: number; announcements: number };
}

/** Where the services answer; activities, lectures and scoring only when they run. */
export interface DemoTargets {
  readonly registrationUrl: string;
  readonly activitiesUrl?: string;
  readonly lecturesUrl?: string;
  readonly scoringUrl?: string;
  /**
   * Set when scoring runs on the day before's clock (the-day-before.ts): the
   * office's rules are then written "yesterday", so they are in force today,
   * and this is called once they are, to start scoring again on today's clock
   * before anything else reaches it.
   */
  readonly scoringDayBefore?: { readonly bringToToday: () => Promise<void> };
  /** With the receiver its demo webhooks are delivered to. */
  readonly notifications?: { readonly url: string; readonly webhookReceiverUrl: string };
}

/**
 * infra/local/demo/notifications.json: people who register themselves (so
 * their own token finds their inbox) and save their preferences, department
 * webhooks to the local receiver, and the office's announcements.
 */
export interface DemoNotifications {
  readonly readers: readonly ({
    /** The `sub` of the reader's own token. */
    readonly accountSubject: string;
    /** PUT /v1/me/preferences body. */
    readonly preferences: Record<string, unknown>;
  } & Record<string, unknown>)[];
  readonly webhooks: readonly ({
    readonly ownerDepartment: string;
    /** Where on the local receiver it is delivered. */
    readonly path: string;
  } & Record<string, unknown>)[];
  /** POST /v1/announcements bodies. */
  readonly announcements: readonly ({
    readonly subject: { readonly 'zh-CN': string };
  } & Record<string, unknown>)[];
}

/** infra/local/demo/credit-rules.json: `rules` are POST /v1/credit-rules bodies. */
export interface DemoCreditRules {
  /** A rule's `campaignId` that is a key here stands for the campaign of this title. */
  readonly campaigns: Readonly<Record<string, string>>;
  readonly rules: readonly ({
    readonly name: string;
    readonly source: string;
    readonly campaignId?: string;
  } & Record<string, unknown>)[];
}

interface DemoExpert {
  /** The `sub` of the expert's own token: they register themselves under it. */
  readonly accountSubject: string;
  readonly name: string;
  readonly tier: string;
  readonly homeJurisdiction: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly employer: string;
  readonly title: string;
  readonly fields: readonly string[];
  readonly specialties: readonly string[];
  readonly travelRadius: string;
}

interface DemoSession {
  /** The keys of its forum and venue in the same file. */
  readonly forum: string;
  readonly venue: string;
  /** 1-based positions in the file's experts. */
  readonly speakers: readonly number[];
  readonly startsInDays: number;
  readonly hours: number;
  readonly [field: string]: unknown;
}

interface DemoLectures {
  readonly series: unknown;
  readonly forums: readonly ({ readonly key: string } & Record<string, unknown>)[];
  readonly experts: readonly DemoExpert[];
  readonly venues: readonly ({ readonly key: string } & Record<string, unknown>)[];
  readonly sessions: readonly DemoSession[];
  readonly lessons: readonly unknown[];
}

interface DemoActivity {
  /** Organized by the demo organization of this kind, or else by this department. */
  readonly organizerKind?: string;
  readonly organizerDepartment?: string;
  readonly startsInDays: number;
  readonly hours: number;
  readonly [field: string]: unknown;
}

interface DemoTrainingClass {
  /** Organized by the demo organization of this kind, or else by this department. */
  readonly organizerKind?: string;
  readonly organizerDepartment?: string;
  readonly startsInDays: number;
  /** Weekly sessions of `hours` each, on the afternoon of the same weekday. */
  readonly sessions: number;
  readonly hours: number;
  readonly topics: readonly string[];
  readonly [field: string]: unknown;
}

interface DemoProgramme {
  /** It runs from this year for `years` years. */
  readonly years: number;
  readonly quotas: readonly { jurisdictionCode: string; people: number }[];
  readonly classes: readonly DemoTrainingClass[];
  readonly [field: string]: unknown;
}

interface DemoPlace {
  /** A library is paired with the demo organization of this kind. */
  readonly pairWithKind?: string;
  readonly [field: string]: unknown;
}

/** A JSON request to a service as the given token, with a fresh Idempotency-Key; throws on any refusal. */
export async function call<T>(
  base: string,
  token: string,
  path: string,
  body: unknown,
  method: 'POST' | 'PUT' = 'POST',
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      // Fresh each start: Redis keeps replayed answers across restarts, the stand-ins do not.
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`demo data: ${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The answer, or undefined when it is 404. */
async function find<T>(base: string, token: string, path: string): Promise<T | undefined> {
  const response = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`demo data: GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function get<T>(base: string, token: string, path: string): Promise<T> {
  const found = await find<T>(base, token, path);
  if (found === undefined) throw new Error(`demo data: GET ${path} answered 404`);
  return found;
}

/** Every item of a paged listing (`items`, `nextPageToken`), a hundred a page. */
async function everyItem<T>(base: string, token: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | null = null;
  do {
    const query: string = pageToken === null ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
    const page: { items: T[]; nextPageToken: string | null } = await get(
      base,
      token,
      `${path}?pageSize=100${query}`,
    );
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== null);
  return items;
}

/**
 * Loads the demo data into registration and, when they run, into activities
 * lectures (whose sessions take place at venues of activities' catalogue) and
 * scoring (whose campaign bonuses name activities' campaigns).
 */
export async function loadDemoData({
  registrationUrl,
  activitiesUrl,
  lecturesUrl,
  scoringUrl,
  scoringDayBefore,
  notifications,
}: DemoTargets): Promise<DemoSummary> {
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
  // Before activities, so the department's webhook is there when its demo activity is published.
  const registration = {
    jurisdictions: tree.items.length,
    participants: people.length,
    organizations: organizations.length,
    ...(notifications === undefined
      ? {}
      : {
          notifications: await loadNotifications(
            { ...notifications, registrationUrl },
            admin,
            demoFile('notifications.json') as DemoNotifications,
          ),
        }),
  };
  if (activitiesUrl === undefined) return registration;
  const { campaignIdByTitle, ...activities } = await loadActivities(
    activitiesUrl,
    admin,
    organizationByKind,
  );
  return {
    ...registration,
    activities,
    training: await loadTraining(activitiesUrl, admin, organizationByKind),
    ...(lecturesUrl === undefined
      ? {}
      : { lectures: await loadLectures(lecturesUrl, activitiesUrl, registrationUrl, admin) }),
    ...(scoringUrl === undefined
      ? {}
      : {
          scoring: {
            ...(await loadCreditRules(
              scoringUrl,
              // Scoring refuses a token issued after its own now.
              scoringDayBefore === undefined
                ? admin
                : await signLocalToken({
                    subject: 'demo-loader',
                    roles: ['city_admin'],
                    asOf: new Date(Date.now() - DAY_MS),
                  }),
              campaignIdByTitle,
            ).finally(() => scoringDayBefore?.bringToToday())),
            ...(await loadIndicatorSystems(scoringUrl, admin, new Date())),
            ...(await loadFunding(scoringUrl, admin, new Date())),
            ...(await computeAssessments(scoringUrl, admin, new Date())),
          },
        }),
  };
}

/**
 * The demo rules as POST bodies, each campaign key replaced by the id of the
 * campaign of that title; a rule naming a campaign the demo has no id for is
 * an error, not a rule silently left out.
 */
export function demoCreditRuleBodies(
  demo: DemoCreditRules,
  campaignIdByTitle: ReadonlyMap<string, string>,
): DemoCreditRules['rules'] {
  return demo.rules.map((rule) => {
    if (rule.campaignId === undefined) return rule;
    const title = demo.campaigns[rule.campaignId];
    const id = title === undefined ? undefined : campaignIdByTitle.get(title);
    if (id === undefined)
      throw new Error(
        `demo data: credit-rules.json's "${rule.name}" names campaign "${rule.campaignId}", which the demo did not create`,
      );
    return { ...rule, campaignId: id };
  });
}

/**
 * Sends the office's demo rules to scoring, leaving out those already there
 * (same source and name), so loading twice changes nothing: a second POST
 * would only be refused as overlapping.
 */
export async function loadCreditRules(
  scoringUrl: string,
  admin: string,
  campaignIdByTitle: ReadonlyMap<string, string>,
): Promise<{ rules: number }> {
  const bodies = demoCreditRuleBodies(
    demoFile('credit-rules.json') as DemoCreditRules,
    campaignIdByTitle,
  );
  const existing = new Set(
    (await everyItem<{ source: string; name: string }>(scoringUrl, admin, '/v1/credit-rules')).map(
      (rule) => `${rule.source}\n${rule.name}`,
    ),
  );
  for (const body of bodies)
    if (!existing.has(`${body.source}\n${body.name}`))
      await call(scoringUrl, admin, '/v1/credit-rules', body);
  return { rules: bodies.length };
}

/** The city (China, UTC+8) date of an instant. */
const cityDateOf = (instant: Date): string =>
  new Date(instant.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10);

/**
 * infra/local/demo/indicator-systems.json: one system per organization kind
 * and one for the areas, as POST /v1/indicator-systems bodies without the
 * year, which is the city's current one when loaded.
 */
export interface DemoIndicatorSystems {
  readonly systems: readonly ({
    readonly target: string;
    readonly name: string;
    readonly passMark: string;
    readonly indicators: readonly {
      readonly key: string;
      readonly weight: string;
      readonly method: Record<string, unknown>;
    }[];
  } & Record<string, unknown>)[];
}

/**
 * Sends the year's demo indicator systems to scoring (which checks each
 * against its metric catalogue), leaving out the targets that already have
 * one that year, so loading twice changes nothing: a second POST would only
 * be refused as INDICATOR_SYSTEM_EXISTS.
 */
export async function loadIndicatorSystems(
  scoringUrl: string,
  admin: string,
  now: Date,
): Promise<{ indicatorSystems: number }> {
  const year = Number(cityDateOf(now).slice(0, 4));
  const demo = demoFile('indicator-systems.json') as DemoIndicatorSystems;
  const existing = new Set(
    (await everyItem<{ year: number; target: string }>(scoringUrl, admin, '/v1/indicator-systems'))
      .filter((system) => system.year === year)
      .map((system) => system.target),
  );
  for (const system of demo.systems)
    if (!existing.has(system.target))
      await call(scoringUrl, admin, '/v1/indicator-systems', { ...system, year });
  return { indicatorSystems: demo.systems.length };
}

/** A year's run takes this long at most on the demo's few hundred subjects. */
const ASSESSMENT_RUN_TIMEOUT_MS = 120_000;

/**
 * Computes the year's assessments of every target the demo set a system for,
 * one run after the other, and waits for each: the console's rankings and the
 * assessments' explanations have something to show from the first minute.
 * Running again recomputes to the same readings and writes nothing.
 */
export async function computeAssessments(
  scoringUrl: string,
  admin: string,
  now: Date,
  /** Only these targets (the generated city's history reassesses the areas); all when absent. */
  targets?: readonly string[],
): Promise<{ assessments: number }> {
  const year = Number(cityDateOf(now).slice(0, 4));
  const demo = demoFile('indicator-systems.json') as DemoIndicatorSystems;
  let assessments = 0;
  for (const { target } of demo.systems) {
    if (targets !== undefined && !targets.includes(target)) continue;
    const started = await call<{ id: string }>(scoringUrl, admin, '/v1/assessments/runs', {
      year,
      target,
    });
    const deadline = Date.now() + ASSESSMENT_RUN_TIMEOUT_MS;
    for (;;) {
      const run = await get<{ status: string; subjects: number }>(
        scoringUrl,
        admin,
        `/v1/assessments/runs/${started.id}`,
      );
      if (run.status === 'succeeded') {
        assessments += run.subjects;
        break;
      }
      if (run.status === 'failed' || Date.now() > deadline)
        throw new Error(`demo data: the ${target} assessment run ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { assessments };
}

/** infra/local/demo/funding.json: the allocation's lines and receipts, for whatever year the demo runs in. */
export interface DemoFunding {
  readonly lines: readonly {
    readonly code: string;
    readonly name: string;
    readonly purpose: string;
    readonly amountYuan: string;
  }[];
  readonly receipts: readonly {
    readonly source: 'sponsorship' | 'donation';
    readonly donor: string;
    readonly amountYuan: string;
    readonly inKind?: string;
    readonly programme: string;
    readonly jurisdictionCode: string;
    /** `MM-DD` of the demo's year; a day still ahead is received today instead. */
    readonly monthDay: string;
  }[];
}

/** The demo's funding as POST bodies for the city year of `now`, no receipt dated after today. */
export function demoFundingBodies(demo: DemoFunding, now: Date) {
  const today = cityDateOf(now);
  const year = Number(today.slice(0, 4));
  return {
    year,
    lines: demo.lines.map((line) => ({ year, ...line })),
    receipts: demo.receipts.map(({ monthDay, ...receipt }) => {
      const day = `${String(year)}-${monthDay}`;
      return { ...receipt, receivedOn: day > today ? today : day };
    }),
  };
}

/**
 * Sends the year's lines absent from scoring (by code) and, when the year
 * had no lines yet, the receipts: loading twice changes nothing.
 */
export async function loadFunding(
  scoringUrl: string,
  admin: string,
  now: Date,
): Promise<{ fundingLines: number; receipts: number }> {
  const bodies = demoFundingBodies(demoFile('funding.json') as DemoFunding, now);
  const existing = (
    await everyItem<{ year: number; code: string }>(scoringUrl, admin, '/v1/funding/lines')
  ).filter((line) => line.year === bodies.year);
  const codes = new Set(existing.map((line) => line.code));
  for (const line of bodies.lines)
    if (!codes.has(line.code)) await call(scoringUrl, admin, '/v1/funding/lines', line);
  if (existing.length === 0)
    for (const receipt of bodies.receipts)
      await call(scoringUrl, admin, '/v1/funding/receipts', receipt);
  return { fundingLines: bodies.lines.length, receipts: bodies.receipts.length };
}

/** The reader the banner's inbox curl signs in as: at home where the demo announcement goes. */
export const DEMO_READER = 'demo-reader-01';

/** The accounts of notifications.json's readers, who sign in at the stack's OpenID provider too. */
export const demoReaders = (): string[] =>
  (demoFile('notifications.json') as DemoNotifications).readers.map(
    ({ accountSubject }) => accountSubject,
  );

/** The first expert of lectures.json: whom the banner's expert token acts as. */
export const DEMO_EXPERT = 'demo-expert-01';

/** What a person's own token is: the stack's, signed with its key. */
const participantToken = (subject: string): Promise<string> =>
  signLocalToken({ subject, roles: ['participant'] });

/**
 * Loads the notifications demo. Each reader registers themselves in
 * registration unless their account already has a record, then saves their
 * preferences (a PUT: the same body twice stores the same); a webhook whose
 * owner and URL are already subscribed, and an announcement whose subject
 * the office already sent, are left out. So loading twice changes nothing.
 */
export async function loadNotifications(
  targets: { url: string; registrationUrl: string; webhookReceiverUrl: string },
  admin: string,
  demo: DemoNotifications,
  ownToken: (subject: string) => Promise<string> = participantToken,
): Promise<NonNullable<DemoSummary['notifications']>> {
  const { url, registrationUrl, webhookReceiverUrl } = targets;
  for (const { accountSubject, preferences, ...registration } of demo.readers) {
    const own = await ownToken(accountSubject);
    if ((await find(registrationUrl, own, '/v1/me/participant')) === undefined)
      await call(registrationUrl, own, '/v1/participants', registration);
    await call(url, own, '/v1/me/preferences', preferences, 'PUT');
  }

  const subscribed = new Set(
    (await everyItem<{ owner: string; url: string }>(url, admin, '/v1/webhook-subscriptions')).map(
      (subscription) => `${subscription.owner}\n${subscription.url}`,
    ),
  );
  for (const { path, ...webhook } of demo.webhooks) {
    const target = `${webhookReceiverUrl}${path}`;
    if (!subscribed.has(`department:${webhook.ownerDepartment}\n${target}`))
      await call(url, admin, '/v1/webhook-subscriptions', { ...webhook, url: target });
  }

  const announced = new Set(
    (await everyItem<{ subject: Record<string, string> }>(url, admin, '/v1/announcements')).map(
      (announcement) => announcement.subject['zh-CN'],
    ),
  );
  for (const announcement of demo.announcements)
    if (!announced.has(announcement.subject['zh-CN']))
      await call(url, admin, '/v1/announcements', announcement);

  return {
    readers: demo.readers.length,
    webhooks: demo.webhooks.length,
    announcements: demo.announcements.length,
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
): Promise<NonNullable<DemoSummary['activities']> & { campaignIdByTitle: Map<string, string> }> {
  const demo = demoFile('activities.json') as {
    campaigns: { title: string }[];
    activities: DemoActivity[];
    places: DemoPlace[];
  };
  const campaignIdByTitle = new Map<string, string>();
  for (const campaign of demo.campaigns) {
    const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/campaigns', campaign);
    await call(activitiesUrl, admin, `/v1/campaigns/${id}:launch`, {});
    campaignIdByTitle.set(campaign.title, id);
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
    campaignIdByTitle,
  };
}

/** Training programmes launched for this year on, with this year's quotas and their classes published. */
async function loadTraining(
  activitiesUrl: string,
  admin: string,
  organizationByKind: ReadonlyMap<string, string>,
): Promise<NonNullable<DemoSummary['training']>> {
  const demo = demoFile('training.json') as { programmes: DemoProgramme[] };
  const now = Date.now();
  const firstYear = new Date(now + 8 * HOUR_MS).getUTCFullYear();
  let classes = 0;
  for (const { years, quotas, classes: programmeClasses, ...programme } of demo.programmes) {
    const { id: programmeId } = await call<{ id: string }>(
      activitiesUrl,
      admin,
      '/v1/training/programmes',
      { ...programme, firstYear, lastYear: firstYear + years - 1 },
    );
    await call(
      activitiesUrl,
      admin,
      `/v1/training/programmes/${programmeId}/quotas/${firstYear}`,
      { quotas },
      'PUT',
    );
    await call(activitiesUrl, admin, `/v1/training/programmes/${programmeId}:launch`, {});
    for (const {
      organizerKind,
      organizerDepartment,
      startsInDays,
      sessions,
      hours,
      topics,
      ...trainingClass
    } of programmeClasses) {
      const organizer =
        organizerKind === undefined
          ? { kind: 'department', departmentCode: organizerDepartment }
          : {
              kind: 'organization',
              organizationId: organizationOf(organizationByKind, organizerKind),
            };
      const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/training/classes', {
        ...trainingClass,
        programmeId,
        organizer,
        sessions: Array.from({ length: sessions }, (_, week) => {
          const start = afternoonIn(now, startsInDays + 7 * week);
          return {
            start: start.toISOString(),
            end: new Date(start.getTime() + hours * HOUR_MS).toISOString(),
            topic: topics[week] ?? '',
          };
        }),
      });
      await call(activitiesUrl, admin, `/v1/training/classes/${id}:publish`, {});
      classes += 1;
    }
  }
  return { programmes: demo.programmes.length, classes };
}

function keyed(ids: ReadonlyMap<string, string>, what: string, key: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`demo data: lectures.json names no ${what} "${key}"`);
  return id;
}

/** 14:00 China time (UTC+8), `days` days from the day of `now`: a lecture's afternoon. */
function afternoonIn(now: number, days: number): Date {
  const chinaOffset = 8 * HOUR_MS;
  const chinaMidnight = Math.floor((now + chinaOffset) / DAY_MS) * DAY_MS - chinaOffset;
  return new Date(chinaMidnight + days * DAY_MS + 14 * HOUR_MS);
}

/** How far ahead each expert is available: past the last demo session. */
export const AVAILABLE_FOR_DAYS = 60;

async function loadLectures(
  lecturesUrl: string,
  activitiesUrl: string,
  registrationUrl: string,
  admin: string,
): Promise<NonNullable<DemoSummary['lectures']>> {
  const demo = demoFile('lectures.json') as DemoLectures;
  const series = await call<{ id: string }>(lecturesUrl, admin, '/v1/series', demo.series);
  const forumIds = new Map<string, string>();
  for (const { key, ...forum } of demo.forums) {
    const { id } = await call<{ id: string }>(
      lecturesUrl,
      admin,
      `/v1/series/${series.id}/forums`,
      forum,
    );
    forumIds.set(key, id);
  }

  const now = Date.now();
  const available = [
    {
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + AVAILABLE_FOR_DAYS * DAY_MS).toISOString(),
    },
  ];
  const expertIds: string[] = [];
  for (const expert of demo.experts) {
    // The pool takes only people registration knows: each expert registers
    // themselves first, with their own token, as the portal would.
    const own = await signLocalToken({ subject: expert.accountSubject, roles: ['participant'] });
    await call(registrationUrl, own, '/v1/participants', {
      name: expert.name,
      tier: expert.tier,
      homeJurisdiction: expert.homeJurisdiction,
      idNumber: expert.idNumber,
      phone: expert.phone,
      language: 'zh-CN',
      consent: { notifications: true },
      employer: expert.employer,
    });
    const { id } = await call<{ id: string }>(lecturesUrl, admin, '/v1/experts', {
      accountSubject: expert.accountSubject,
      displayName: expert.name,
      title: expert.title,
      employer: expert.employer,
      fields: expert.fields,
      specialties: expert.specialties,
      languages: ['zh-CN'],
      travelRadius: expert.travelRadius,
      phone: expert.phone,
      availability: available,
    });
    expertIds.push(id);
  }

  const venueIds = new Map<string, string>();
  for (const { key, ...venue } of demo.venues) {
    const { id } = await call<{ id: string }>(activitiesUrl, admin, '/v1/venues', venue);
    venueIds.set(key, id);
  }

  for (const { forum, venue, speakers, startsInDays, hours, ...session } of demo.sessions) {
    const startsAt = afternoonIn(now, startsInDays);
    await call(lecturesUrl, admin, '/v1/sessions', {
      ...session,
      forumId: keyed(forumIds, 'forum', forum),
      venueId: keyed(venueIds, 'venue', venue),
      speakerIds: speakers.map((position) => {
        const id = expertIds[position - 1];
        if (id === undefined) throw new Error(`demo data: lectures.json has no expert ${position}`);
        return id;
      }),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + hours * HOUR_MS).toISOString(),
      // Open from now, closed an hour before the start, so the demo takes sign-ups at once.
      signUpWindow: {
        opensAt: new Date(now).toISOString(),
        closesAt: new Date(startsAt.getTime() - HOUR_MS).toISOString(),
      },
    });
  }

  for (const lesson of demo.lessons) {
    const { id } = await call<{ id: string }>(lecturesUrl, admin, '/v1/lessons', lesson);
    await call(lecturesUrl, admin, `/v1/lessons/${id}:publish`, {});
  }
  return {
    forums: demo.forums.length,
    experts: demo.experts.length,
    venues: demo.venues.length,
    sessions: demo.sessions.length,
    lessons: demo.lessons.length,
  };
}
