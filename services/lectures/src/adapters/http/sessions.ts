/** The session routes: translate HTTP to the use cases and back, deciding nothing. */
import { ROLES, type Role } from '@learning/auth';
import { CONTENT_CATEGORIES, TIERS } from '@learning/domain';
import {
  PageOf,
  pageQueryFields,
  principalOf,
  Text,
  Title,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import type {
  CancelSession,
  RescheduleSession,
} from '../../application/sessions/change-session.js';
import type { StoredSession } from '../../application/sessions/ports.js';
import type { SessionReads } from '../../application/sessions/read-sessions.js';
import type { ScheduleSession } from '../../application/sessions/schedule-session.js';
import { LECTURE_TYPES } from '../../domain/catalogue.js';
import { SESSION_STATUSES, VENUE_SETTINGS } from '../../domain/sessions.js';

export interface SessionUseCases {
  readonly scheduleSession: ScheduleSession;
  readonly rescheduleSession: RescheduleSession;
  readonly cancelSession: CancelSession;
  readonly reads: SessionReads;
}

const TAG = 'sessions';
/**
 * A forum manager is whoever the forum names, with any role; the use cases
 * decide (SESSION_FORBIDDEN, SESSION_NOT_FOUND). Services have no business here.
 */
const PEOPLE: readonly Role[] = ROLES.filter((role) => role !== 'service');
const MAX_SPEAKERS = 10;
const MAX_REASON = 500;

const Instant = Type.String({ format: 'date-time', maxLength: 40 });
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const LectureTypeField = enumOf(
  LECTURE_TYPES,
  'development_seminar, theory, history_culture, policy_situation, social_science.',
);
const Status = enumOf(SESSION_STATUSES);
const Capacity = Type.Union([
  Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  Type.Literal('unlimited'),
]);
const Window = Type.Object(
  { opensAt: Instant, closesAt: Instant },
  { additionalProperties: false, description: 'Default: from now until the start.' },
);
const Speakers = Type.Array(Uuid, {
  minItems: 1,
  maxItems: MAX_SPEAKERS,
  description: 'Expert ids from the pool.',
});
const Reason = Text(MAX_REASON, { description: 'Why; the people signed up are told.' });

const ScheduleBody = Type.Object(
  {
    forumId: Uuid,
    lectureType: LectureTypeField,
    title: Title(200),
    description: Type.Optional(Text(4000)),
    venueId: Uuid,
    startsAt: Instant,
    endsAt: Instant,
    speakerIds: Speakers,
    capacity: Capacity,
    signUpWindow: Type.Optional(Window),
    targetTiers: Type.Optional(
      Type.Array(enumOf(TIERS), {
        minItems: 1,
        maxItems: TIERS.length,
        uniqueItems: true,
        description: "Default: the forum's.",
      }),
    ),
    categories: Type.Optional(
      Type.Array(enumOf(CONTENT_CATEGORIES), {
        maxItems: CONTENT_CATEGORIES.length,
        uniqueItems: true,
        description: "Default: the forum's.",
      }),
    ),
    campaignId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    liveStreamUrl: Type.Optional(
      Type.Union([Type.String({ format: 'uri', maxLength: 500 }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);
const RescheduleBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
    reason: Reason,
    startsAt: Type.Optional(Instant),
    endsAt: Type.Optional(Instant),
    venueId: Type.Optional(Uuid),
    capacity: Type.Optional(Capacity),
    speakerIds: Type.Optional(Speakers),
    signUpWindow: Type.Optional(Window),
  },
  { additionalProperties: false },
);
const CancelBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Act only if it is still at this version.' }),
    ),
    reason: Reason,
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    forumId: Type.Optional(Uuid),
    status: Type.Optional(Status),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Session = Type.Object({
  id: Type.String(),
  forumId: Type.String(),
  leadDepartment: Type.String(),
  lectureType: Type.String(),
  title: Type.String(),
  description: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), { description: "The venue's place, city first." }),
  venue: Type.Object({
    id: Type.String(),
    name: Type.String(),
    address: Nullable(Type.String()),
    setting: enumOf(VENUE_SETTINGS, 'city (a street, 街道) or countryside (a township, 乡镇).'),
    townshipCode: Type.String(),
  }),
  startsAt: Instant,
  endsAt: Instant,
  speakerIds: Type.Array(Type.String()),
  capacity: Capacity,
  signUpWindow: Type.Object({ opensAt: Instant, closesAt: Instant }),
  targetTiers: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  campaignId: Nullable(Type.String()),
  liveStreamUrl: Nullable(Type.String()),
  status: Status,
  cancellation: Nullable(
    Type.Object({ reason: Type.String(), cancelledBy: Type.String(), cancelledAt: Instant }),
  ),
  createdBy: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  version: Type.Integer(),
});

function response(session: StoredSession): Static<typeof Session> {
  return {
    id: session.id,
    forumId: session.forumId,
    leadDepartment: session.leadDepartment,
    lectureType: session.lectureType,
    title: session.title,
    description: session.description,
    jurisdictionPath: [...session.jurisdictionPath],
    venue: { ...session.venue },
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    speakerIds: [...session.speakerIds],
    capacity: session.capacity ?? 'unlimited',
    signUpWindow: {
      opensAt: session.signUpOpensAt.toISOString(),
      closesAt: session.signUpClosesAt.toISOString(),
    },
    targetTiers: [...session.targetTiers],
    categories: [...session.categories],
    campaignId: session.campaignId,
    liveStreamUrl: session.liveStreamUrl,
    status: session.status,
    cancellation:
      session.cancellation === null
        ? null
        : {
            reason: session.cancellation.reason,
            cancelledBy: session.cancellation.cancelledBy,
            cancelledAt: session.cancellation.cancelledAt.toISOString(),
          },
    createdBy: session.createdBy,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    version: session.version,
  };
}

const capacityOf = (capacity: number | 'unlimited'): number | null =>
  capacity === 'unlimited' ? null : capacity;
const windowOf = (window: Static<typeof Window>) => ({
  opensAt: new Date(window.opensAt),
  closesAt: new Date(window.closesAt),
});

const WHO =
  'The office (city admins; officers of the department that runs the series) or a manager ' +
  'of the forum; needs an Idempotency-Key.';
const RULE_ERRORS =
  '400 SESSION_TIMES_INVALID, SESSION_IN_PAST, SESSION_LENGTH_INVALID, ' +
  'SESSION_SIGN_UP_WINDOW_INVALID, SESSION_SPEAKER_NOT_IN_POOL, SESSION_VENUE_UNKNOWN, ' +
  'SESSION_VENUE_NOT_IN_TOWNSHIP, SESSION_OUTSIDE_CAMPAIGN_DATES, SESSION_OUTSIDE_CAMPAIGN_SCOPE; ' +
  '409 SESSION_SPEAKER_CLASH, SESSION_VENUE_CLASH, SESSION_SPEAKER_UNAVAILABLE, ' +
  'SESSION_SPEAKER_OUT_OF_RADIUS, SESSION_SPEAKER_NOT_ACTIVE, SESSION_FORUM_NOT_ACTIVE, ' +
  'SESSION_CAMPAIGN_NOT_LAUNCHED';
const NOT_FOUND_NOTE = '404 SESSION_NOT_FOUND (also when it is not yours to manage)';

export function registerSessionRoutes(http: HttpServer, useCases: SessionUseCases): void {
  http.post(
    '/v1/sessions',
    {
      config: { roles: [...PEOPLE], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Schedule a session of a forum',
        description:
          `${WHO} Every scheduling rule is checked: a speaker is never in two places at once ` +
          '(travel time between the venues included), a venue hosts one session at a time, each ' +
          'speaker is available then and travels that far, and a campaign named is launched, ' +
          `runs then and covers the venue. Errors: ${RULE_ERRORS}; 400 VALIDATION_FAILED, ` +
          'SESSION_FORUM_UNKNOWN, SESSION_CAMPAIGN_UNKNOWN, SESSION_AUDIENCE_REQUIRED, ' +
          'SESSION_CAPACITY_INVALID; 403 ROLE_REQUIRED, SESSION_FORBIDDEN.',
        body: ScheduleBody,
        response: { 201: Session },
      },
    },
    async (request, reply) => {
      const { startsAt, endsAt, capacity, signUpWindow, ...fields } = request.body;
      const session = await useCases.scheduleSession(principalOf(request), {
        ...fields,
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        capacity: capacityOf(capacity),
        ...(signUpWindow === undefined ? {} : { signUpWindow: windowOf(signUpWindow) }),
      });
      return reply.code(201).send(response(session));
    },
  );

  http.get(
    '/v1/sessions',
    {
      config: { roles: [...PEOPLE] },
      schema: {
        tags: [TAG],
        summary: 'List the sessions you manage, earliest first',
        description:
          'City admins see all; department officers those of their series’ forums; forum ' +
          'managers those of their forums. Filter by forum, status, and start in [from, to). ' +
          'Errors: 400 SESSION_RANGE_INVALID, CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(Session) },
      },
    },
    async (request) => {
      const { from, to, ...filters } = request.query;
      const page = await useCases.reads.list(principalOf(request), {
        ...filters,
        ...(from === undefined ? {} : { from: new Date(from) }),
        ...(to === undefined ? {} : { to: new Date(to) }),
      });
      return { items: page.items.map(response), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/sessions/:id',
    {
      config: { roles: [...PEOPLE] },
      schema: {
        tags: [TAG],
        summary: 'Get a session',
        description: `Whoever may manage it. Errors: ${NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: Session },
      },
    },
    async (request) => response(await useCases.reads.get(principalOf(request), request.params.id)),
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method).
  http.post(
    `/v1/sessions/:id(${UUID_PATTERN})::reschedule`,
    {
      config: { roles: [...PEOPLE], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Move a session: times, venue, capacity, speakers; with a reason',
        description:
          `${WHO} Every rule is checked again, against the calendar without this session; ` +
          'without a new sign-up window the old one keeps its opening and closes by the new ' +
          'start. Registration tells everyone signed up. Errors: ' +
          `${RULE_ERRORS}; 400 SESSION_CHANGE_EMPTY, SESSION_REASON_REQUIRED, ` +
          `SESSION_CAPACITY_INVALID; ${NOT_FOUND_NOTE}; 409 SESSION_NOT_SCHEDULED, ` +
          'SESSION_CAPACITY_BELOW_ENROLLMENT, VERSION_CONFLICT.',
        params: IdParams,
        body: RescheduleBody,
        response: { 200: Session },
      },
    },
    async (request) => {
      const { startsAt, endsAt, capacity, signUpWindow, ...fields } = request.body;
      return response(
        await useCases.rescheduleSession(principalOf(request), request.params.id, {
          ...fields,
          ...(startsAt === undefined ? {} : { startsAt: new Date(startsAt) }),
          ...(endsAt === undefined ? {} : { endsAt: new Date(endsAt) }),
          ...(capacity === undefined ? {} : { capacity: capacityOf(capacity) }),
          ...(signUpWindow === undefined ? {} : { signUpWindow: windowOf(signUpWindow) }),
        }),
      );
    },
  );

  http.post(
    `/v1/sessions/:id(${UUID_PATTERN})::cancel`,
    {
      config: { roles: [...PEOPLE], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Cancel a session, with a reason; every sign-up ends with it',
        description:
          `${WHO} Errors: 400 SESSION_REASON_REQUIRED; ${NOT_FOUND_NOTE}; 409 ` +
          'SESSION_NOT_SCHEDULED, VERSION_CONFLICT.',
        params: IdParams,
        body: CancelBody,
        response: { 200: Session },
      },
    },
    async (request) =>
      response(await useCases.cancelSession(principalOf(request), request.params.id, request.body)),
  );
}
