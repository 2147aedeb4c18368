/** The activity routes: translate HTTP to the use cases and back, deciding nothing. */
import { ORGANIZER_ROLES } from '@learning/auth';
import { CONTENT_CATEGORIES, TIERS } from '@learning/domain';
import {
  JurisdictionCode,
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  publicPageKey,
  publicPageSender,
  Text,
  Title,
  UUID_PATTERN,
  Uuid,
  type CachedPages,
  type HttpServer,
  PUBLIC_PORTAL_TAG,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import type { StoredActivity } from '../../application/activities/activity-repository.js';
import type { CreateActivity } from '../../application/activities/create-activity.js';
import type { MoveActivity } from '../../application/activities/move-activity.js';
import type { ActivityReads } from '../../application/activities/read-activities.js';
import type { UpdateDraft } from '../../application/activities/update-draft.js';
import type { StoredVenue } from '../../application/activities/venue-repository.js';
import type { VenueCatalogue } from '../../application/activities/venues.js';
import {
  ACTIVITY_KINDS,
  ACTIVITY_STATUSES,
  MAX_REASON_LENGTH,
  type ActivityCommand,
} from '../../domain/activity-lifecycle.js';
import { MAX_SESSIONS, sessionsOf, type Schedule } from '../../domain/schedule.js';

export interface ActivityUseCases {
  createActivity: CreateActivity;
  updateDraft: UpdateDraft;
  moveActivity: MoveActivity;
  reads: ActivityReads;
  venues: VenueCatalogue;
  /** Rendered public pages shared by every replica (adapters/redis/public-activity-pages.ts). */
  publicPages: CachedPages;
  /** `cache-control: max-age` of the public pages. */
  publicMaxAgeSeconds: number;
}

const TAG = 'activities';
const ORGANIZERS = ORGANIZER_ROLES;

const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: 'A department code.' });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Kind = enumOf(
  ACTIVITY_KINDS,
  'reading_club, cadre_night_school (干部夜学), reading_reasoning (读书明理), book_relay (书香传递), ' +
    'book_fair, education_consultation, training, theme_practice, other.',
);
const Status = enumOf(ACTIVITY_STATUSES);
const TierField = enumOf(TIERS);
const Category = enumOf(CONTENT_CATEGORIES);

const Organizer = Type.Union(
  [
    Type.Object(
      { kind: Type.Literal('organization'), organizationId: Uuid },
      { additionalProperties: false },
    ),
    Type.Object(
      { kind: Type.Literal('department'), department: Code },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'A learning organization registered with registration (its kind and lead department are ' +
      "registration's), or a city department. Org admins name an organization they administer; " +
      'department officers their department.',
  },
);
const InlineVenue = Type.Object(
  {
    name: Name(200),
    address: Type.Optional(Type.Union([Title(300, { description: 'The address.' }), Type.Null()])),
  },
  { additionalProperties: false },
);
const Venue = Type.Union(
  [Type.Object({ venueId: Uuid }, { additionalProperties: false }), InlineVenue],
  { description: 'A catalogued venue (GET /v1/venues) by id, or a place described inline.' },
);
const ScheduleBody = Type.Object(
  {
    sessions: Type.Array(
      Type.Object({ start: Instant, end: Instant }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: MAX_SESSIONS,
        description: 'One session, or the dates of a series.',
      },
    ),
  },
  { additionalProperties: false },
);
const Capacity = Type.Union([
  Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  Type.Literal('unlimited'),
]);
const Window = Type.Object(
  { opensAt: Instant, closesAt: Instant },
  { additionalProperties: false },
);
const AgeBand = Type.Object(
  {
    min: Type.Integer({ minimum: 0, maximum: 18 }),
    max: Type.Integer({ minimum: 0, maximum: 18 }),
  },
  { additionalProperties: false },
);
const Tiers = Type.Array(TierField, { maxItems: TIERS.length, uniqueItems: true });
const Categories = Type.Array(Category, { maxItems: CONTENT_CATEGORIES.length, uniqueItems: true });

const draftFields = {
  title: Title(200),
  description: Type.Optional(Text(4000)),
  kind: Kind,
  venue: Type.Optional(Type.Union([Venue, Type.Null()])),
  schedule: Type.Optional(Type.Union([ScheduleBody, Type.Null()])),
  capacity: Type.Optional(Capacity),
  signUpWindow: Type.Optional(Type.Union([Window, Type.Null()])),
  targetTiers: Type.Optional(Tiers),
  categories: Type.Optional(Categories),
  ageBand: Type.Optional(Type.Union([AgeBand, Type.Null()])),
  campaignId: Type.Optional(Type.Union([Uuid, Type.Null()])),
};

const CreateBody = Type.Object(
  { ...draftFields, organizer: Organizer, jurisdictionCode: JurisdictionCode },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
    ...draftFields,
    title: Type.Optional(draftFields.title),
    kind: Type.Optional(draftFields.kind),
  },
  { additionalProperties: false },
);
const Version = Type.Optional(
  Type.Integer({ minimum: 1, description: 'Act only if it is still at this version.' }),
);
const Reason = Type.Optional(Text(MAX_REASON_LENGTH));
const EmptyBody = Type.Object({ version: Version }, { additionalProperties: false });
const CancelBody = Type.Object(
  { version: Version, reason: Reason },
  { additionalProperties: false },
);
const RescheduleBody = Type.Object(
  { version: Version, schedule: ScheduleBody, reason: Reason },
  { additionalProperties: false },
);
const CapacityBody = Type.Object(
  { version: Version, capacity: Capacity },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    jurisdictionCode: Type.Optional(JurisdictionCode),
    status: Type.Optional(Status),
    kind: Type.Optional(Kind),
    campaignId: Type.Optional(Uuid),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const PublicQuery = Type.Object(
  {
    jurisdictionCode: Type.Optional(JurisdictionCode),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    tier: Type.Optional(TierField),
    category: Type.Optional(Category),
    kind: Type.Optional(Kind),
    q: Type.Optional(Title(100, { description: 'Words to find, e.g. 读书.' })),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const VenueBody = Type.Object(
  { ...InlineVenue.properties, jurisdictionCode: JurisdictionCode },
  { additionalProperties: false },
);
const VenueQuery = Type.Object(
  { jurisdictionCode: Type.Optional(JurisdictionCode), ...pageQueryFields },
  { additionalProperties: false },
);
const CataloguedVenue = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
});
const venueResponse = (venue: StoredVenue) => ({
  id: venue.id,
  name: venue.name,
  address: venue.address,
  jurisdictionCode: venue.jurisdictionPath.at(-1) ?? '',
  jurisdictionPath: [...venue.jurisdictionPath],
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Session = Type.Object({ start: Instant, end: Instant });
const publicFields = {
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  kind: Kind,
  organizer: Type.Object({
    kind: Type.String(),
    id: Type.String(),
    organizationKind: Nullable(Type.String()),
    leadDepartment: Type.String(),
  }),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), { description: 'From the city down to its node.' }),
  venue: Nullable(
    Type.Object({ id: Type.String(), name: Type.String(), address: Nullable(Type.String()) }),
  ),
  schedule: Nullable(Type.Object({ kind: Type.String(), sessions: Type.Array(Session) })),
  startsAt: Nullable(Instant),
  endsAt: Nullable(Instant),
  capacity: Capacity,
  signUpWindow: Nullable(Type.Object({ opensAt: Instant, closesAt: Instant })),
  targetTiers: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  ageBand: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })),
  campaignId: Nullable(Type.String()),
  status: Status,
  publishedAt: Nullable(Instant),
};
const PublicActivity = Type.Object({
  ...publicFields,
  cancellationReason: Nullable(Type.String()),
});
const Activity = Type.Object({
  ...publicFields,
  cancellation: Nullable(
    Type.Object({
      reason: Nullable(Type.String()),
      cancelledBy: Type.String(),
      cancelledAt: Instant,
    }),
  ),
  attended: Type.Integer({ description: 'Attendance registration has recorded.' }),
  createdBy: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  version: Type.Integer(),
});

const scheduleOf = (body: Static<typeof ScheduleBody>): Schedule => {
  const sessions = body.sessions.map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
  const [first] = sessions;
  return sessions.length === 1 && first !== undefined
    ? { kind: 'single', session: first }
    : { kind: 'series', sessions };
};

const nullableDate = (date: Date | null): string | null => date?.toISOString() ?? null;

function draftInput(body: Partial<Static<typeof CreateBody>>) {
  const { schedule, signUpWindow, ...rest } = body;
  return {
    ...rest,
    ...(schedule === undefined
      ? {}
      : { schedule: schedule === null ? null : scheduleOf(schedule) }),
    ...(signUpWindow === undefined
      ? {}
      : {
          signUpWindow:
            signUpWindow === null
              ? null
              : {
                  opensAt: new Date(signUpWindow.opensAt),
                  closesAt: new Date(signUpWindow.closesAt),
                },
        }),
  };
}

/**
 * What anyone may see of an activity, exactly: the cache stores it as it is,
 * so no response schema trims it on the way out.
 */
function publicResponse(activity: StoredActivity): Static<typeof PublicActivity> {
  const { organizer, schedule } = activity;
  const sessions = schedule === null ? [] : sessionsOf(schedule);
  return {
    id: activity.id,
    title: activity.title,
    description: activity.description,
    kind: activity.kind,
    organizer:
      organizer.kind === 'organization'
        ? {
            kind: organizer.kind,
            id: organizer.organizationId,
            organizationKind: organizer.organizationKind,
            leadDepartment: organizer.leadDepartment,
          }
        : {
            kind: organizer.kind,
            id: organizer.department,
            organizationKind: null,
            leadDepartment: organizer.department,
          },
    jurisdictionCode: activity.jurisdictionPath.at(-1) ?? '',
    jurisdictionPath: [...activity.jurisdictionPath],
    venue: activity.venue,
    schedule:
      schedule === null
        ? null
        : {
            kind: schedule.kind,
            sessions: sessions.map((s) => ({
              start: s.start.toISOString(),
              end: s.end.toISOString(),
            })),
          },
    startsAt: sessions[0]?.start.toISOString() ?? null,
    endsAt:
      sessions.length === 0
        ? null
        : new Date(Math.max(...sessions.map((s) => s.end.getTime()))).toISOString(),
    capacity: activity.capacity,
    signUpWindow:
      activity.signUpWindow === null
        ? null
        : {
            opensAt: activity.signUpWindow.opensAt.toISOString(),
            closesAt: activity.signUpWindow.closesAt.toISOString(),
          },
    targetTiers: [...activity.targetTiers],
    categories: [...activity.categories],
    ageBand: activity.ageBand,
    campaignId: activity.campaignId,
    status: activity.status,
    publishedAt: nullableDate(activity.publishedAt),
    cancellationReason: activity.cancellation?.reason ?? null,
  };
}

/** What organizers and officers see; the Activity schema leaves out `cancellationReason`. */
function response(activity: StoredActivity) {
  return {
    ...publicResponse(activity),
    cancellation:
      activity.cancellation === null
        ? null
        : {
            reason: activity.cancellation.reason,
            cancelledBy: activity.cancellation.cancelledBy,
            cancelledAt: activity.cancellation.cancelledAt.toISOString(),
          },
    attended: activity.attended,
    createdBy: activity.createdBy,
    createdAt: activity.createdAt.toISOString(),
    updatedAt: activity.updatedAt.toISOString(),
    version: activity.version,
  };
}

/**
 * What a public route does with its reply. A cached page is JSON already:
 * sent as a string with a JSON content type, fastify passes it through
 * unserialized, which the route's typed `send` cannot express.
 */
const ACTIVITY_NOT_FOUND_NOTE = '404 ACTIVITY_NOT_FOUND (also when it is outside your reach)';
const MANAGE =
  'The organizer (an admin of its organization or an officer of its department), an area ' +
  'officer over its place, or a city admin; needs an Idempotency-Key.';
const MOVE_ERRORS = `403 ACTIVITY_FORBIDDEN; ${ACTIVITY_NOT_FOUND_NOTE}; 409 ACTIVITY_TRANSITION_NOT_ALLOWED, VERSION_CONFLICT`;

interface ActionRoute {
  readonly action: string;
  readonly summary: string;
  readonly errors: string;
  readonly body: typeof EmptyBody | typeof CancelBody | typeof RescheduleBody | typeof CapacityBody;
  readonly command: (body: Record<string, unknown>) => ActivityCommand;
}

const ACTIONS: readonly ActionRoute[] = [
  {
    action: 'publish',
    summary: 'Publish a draft: it becomes visible and open for sign-up within its window',
    errors:
      '400 SCHEDULE_IN_PAST, ACTIVITY_SIGN_UP_WINDOW_INVALID; 409 ACTIVITY_VENUE_REQUIRED, ' +
      'ACTIVITY_SCHEDULE_REQUIRED, ACTIVITY_AUDIENCE_REQUIRED',
    body: EmptyBody,
    command: () => ({ action: 'publish' }),
  },
  {
    action: 'cancel',
    summary: 'Cancel; everyone signed up is told, through registration, with the reason',
    errors: '400 ACTIVITY_CANCEL_REASON_REQUIRED (people have signed up), ACTIVITY_REASON_TOO_LONG',
    body: CancelBody,
    command: (body) => ({
      action: 'cancel',
      ...(typeof body['reason'] === 'string' ? { reason: body['reason'] } : {}),
    }),
  },
  {
    action: 'reschedule',
    summary: 'Move a published activity to new dates; sign-ups keep their seats and are told',
    errors:
      '400 SCHEDULE_ENDS_BEFORE_START, SCHEDULE_IN_PAST, SCHEDULE_SESSIONS_OVERLAP, ' +
      'ACTIVITY_SCHEDULE_UNCHANGED, ACTIVITY_SIGN_UP_WINDOW_INVALID',
    body: RescheduleBody,
    command: (body) => ({
      action: 'reschedule',
      schedule: scheduleOf(body['schedule'] as Static<typeof ScheduleBody>),
      ...(typeof body['reason'] === 'string' ? { reason: body['reason'] } : {}),
    }),
  },
  {
    action: 'change-capacity',
    summary: 'Change the number of seats; added seats go to the waitlist in order',
    errors: '400 ACTIVITY_CAPACITY_INVALID; 409 ACTIVITY_CAPACITY_BELOW_ENROLLMENT',
    body: CapacityBody,
    command: (body) => ({
      action: 'change_capacity',
      capacity: body['capacity'] as number | 'unlimited',
    }),
  },
  {
    action: 'start',
    summary: 'Mark a published activity under way (the scheduler also does it at the start)',
    errors: '409 ACTIVITY_NOT_STARTED',
    body: EmptyBody,
    command: () => ({ action: 'start' }),
  },
  {
    action: 'complete',
    summary: 'Mark an under-way activity completed (the scheduler also does it at the end)',
    errors: '409 ACTIVITY_NOT_ENDED',
    body: EmptyBody,
    command: () => ({ action: 'complete' }),
  },
];

export function registerActivityRoutes(http: HttpServer, useCases: ActivityUseCases): void {
  http.post(
    '/v1/activities',
    {
      config: { roles: [...ORGANIZERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Draft an activity',
        description:
          'Org admins for an organization they administer, department officers for their ' +
          'department, area officers inside their area, city admins anywhere; needs an ' +
          'Idempotency-Key. A series is several sessions. An organizing organization must be ' +
          'registered with registration, whose kind and lead department the activity keeps; one ' +
          'that has applied, is under review or is recognized may organize, a rejected or ' +
          'suspended one may not. Errors: 400 VALIDATION_FAILED, FORBIDDEN_KEY, ' +
          'JURISDICTION_UNKNOWN, ACTIVITY_ORGANIZER_UNKNOWN, DEPARTMENT_UNKNOWN (a ' +
          'department registration does not list), ACTIVITY_VENUE_UNKNOWN, ' +
          'SCHEDULE_ENDS_BEFORE_START, ' +
          'SCHEDULE_IN_PAST, SCHEDULE_SESSIONS_OVERLAP, ACTIVITY_SIGN_UP_WINDOW_INVALID, ' +
          'ACTIVITY_AGE_BAND_INVALID, ACTIVITY_CAMPAIGN_UNKNOWN, ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE; ' +
          '403 ROLE_REQUIRED, ACTIVITY_FORBIDDEN; 409 ACTIVITY_CAMPAIGN_CLOSED, ' +
          'ACTIVITY_ORGANIZER_NOT_ACTIVE.',
        body: CreateBody,
        response: { 201: Activity },
      },
    },
    async (request, reply) => {
      const { organizer, jurisdictionCode, ...fields } = request.body;
      const activity = await useCases.createActivity(principalOf(request), {
        ...draftInput(fields),
        title: fields.title,
        kind: fields.kind,
        organizer,
        jurisdictionCode,
      });
      return reply.code(201).send(response(activity));
    },
  );

  http.get(
    '/v1/activities',
    {
      config: { roles: [...ORGANIZERS] },
      schema: {
        tags: [TAG],
        summary: 'List the activities you organize or oversee, newest first',
        description:
          'City admins see all; area officers their area; department officers what their ' +
          'department leads; org admins what their organizations organize. Errors: 400 ' +
          'CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(Activity) },
      },
    },
    async (request) => {
      const page = await useCases.reads.list(principalOf(request), request.query);
      return { items: page.items.map(response), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/activities/:id',
    {
      config: { roles: [...ORGANIZERS] },
      schema: {
        tags: [TAG],
        summary: 'Get an activity, drafts included',
        description: `Whoever may list it. Errors: ${ACTIVITY_NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: Activity },
      },
    },
    async (request) => response(await useCases.reads.get(principalOf(request), request.params.id)),
  );

  http.patch(
    '/v1/activities/:id',
    {
      config: { roles: [...ORGANIZERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Edit a draft's fields",
        description:
          `${MANAGE} Only drafts; null removes a venue, schedule, window, age band or campaign. ` +
          'Errors: 400 as for drafting, ACTIVITY_CHANGE_EMPTY; 403 ACTIVITY_FORBIDDEN; ' +
          `${ACTIVITY_NOT_FOUND_NOTE}; 409 ACTIVITY_NOT_DRAFT, VERSION_CONFLICT.`,
        params: IdParams,
        body: UpdateBody,
        response: { 200: Activity },
      },
    },
    async (request) => {
      const { version, ...fields } = request.body;
      return response(
        await useCases.updateDraft(principalOf(request), request.params.id, {
          ...draftInput(fields),
          version,
        }),
      );
    },
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its own
  // pattern in the path, or the router would read the whole "id::publish" as the parameter's name.
  for (const route of ACTIONS)
    http.post(
      `/v1/activities/:id(${UUID_PATTERN})::${route.action}`,
      {
        config: { roles: [...ORGANIZERS], idempotency: 'required' },
        schema: {
          tags: [TAG],
          summary: route.summary,
          description: `${MANAGE} Errors: ${route.errors}; ${MOVE_ERRORS}.`,
          params: IdParams,
          body: route.body,
          response: { 200: Activity },
        },
      },
      async (request) => {
        const body = request.body as Record<string, unknown>;
        const version = typeof body['version'] === 'number' ? body['version'] : undefined;
        return response(
          await useCases.moveActivity(
            principalOf(request),
            request.params.id,
            route.command(body),
            version,
          ),
        );
      },
    );

  http.post(
    '/v1/venues',
    {
      config: { roles: ['city_admin', 'area_officer'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a venue to the catalogue',
        description:
          'City admins anywhere, area officers inside their area; needs an Idempotency-Key. ' +
          'Errors: 400 JURISDICTION_UNKNOWN, VALIDATION_FAILED, FORBIDDEN_KEY; 403 ' +
          'ROLE_REQUIRED, OUT_OF_SCOPE.',
        body: VenueBody,
        response: { 201: CataloguedVenue },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(venueResponse(await useCases.venues.add(principalOf(request), request.body))),
  );

  http.get(
    '/v1/venues',
    {
      config: { roles: [...ORGANIZERS] },
      schema: {
        tags: [TAG],
        summary: 'Look up catalogued venues, in a subtree',
        description:
          'Every organizer. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: VenueQuery,
        response: { 200: PageOf(CataloguedVenue) },
      },
    },
    async (request) => {
      const page = await useCases.venues.list(request.query);
      return { items: page.items.map(venueResponse), nextPageToken: page.nextPageToken };
    },
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/activities',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'What is on: published and under-way activities, earliest first',
        description:
          'No sign-in needed. Near a place (held in the subtree of jurisdictionCode), taking ' +
          'place at least partly within [from, to), for a tier, of a category or kind, and ' +
          'with every word of q (Chinese or not) in the title or description. Served from a ' +
          'shared cache (x-cache: hit or miss) that every change to a published activity ' +
          'clears. Errors: 400 ACTIVITY_SEARCH_EMPTY, ACTIVITY_RANGE_INVALID, CURSOR_INVALID, ' +
          'VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicActivity) },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey('/v1/public/activities', request.query), async () => {
        const { from, to, ...filters } = request.query;
        const page = await useCases.reads.listPublic({
          ...filters,
          ...(from === undefined ? {} : { from: new Date(from) }),
          ...(to === undefined ? {} : { to: new Date(to) }),
        });
        return { items: page.items.map(publicResponse), nextPageToken: page.nextPageToken };
      });
    },
  );

  http.get(
    '/v1/public/activities/:id',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'A published activity, whatever became of it since',
        description:
          'No sign-in needed; served from the same shared cache as the listing. Errors: 404 ' +
          'ACTIVITY_NOT_FOUND (also for drafts).',
        params: IdParams,
        response: { 200: PublicActivity },
      },
    },
    async (request, reply) => {
      await sendPublic(
        reply,
        publicPageKey(`/v1/public/activities/${request.params.id}`),
        async () => publicResponse(await useCases.reads.getPublic(request.params.id)),
      );
    },
  );
}
