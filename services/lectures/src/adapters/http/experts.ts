/** The expert pool's routes: translate HTTP to the use cases and back, deciding nothing. */
import { CONTENT_CATEGORIES, type ContentCategory } from '@learning/domain';
import {
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  splitPage,
  Title,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import type { PiiVault } from '@learning/pii';
import { Type } from '@sinclair/typebox';
import type {
  AddExpert,
  ChangeExpert,
  ChangeOwnExpert,
  MoveExpert,
} from '../../application/experts/manage-experts.js';
import type { WindowInput } from '../../application/experts/profile.js';
import type {
  ExpertSessions,
  GetExpert,
  GetOwnExpert,
  GetPublicExpert,
  ListExperts,
  ListPublicExperts,
} from '../../application/experts/read-experts.js';
import type { SpeakerSession } from '../../application/experts/ports.js';
import { fullView, listedView, publicView } from '../../application/experts/views.js';
import { LECTURE_TYPES } from '../../domain/catalogue.js';
import { MAX_LANGUAGES } from '../../domain/expert-profile.js';
import {
  EXPERT_STATUSES,
  TRAVEL_RADII,
  type ExpertStatus,
  type TravelRadius,
} from '../../domain/experts.js';
import { SESSION_STATUSES, VENUE_SETTINGS } from '../../domain/sessions.js';

export interface ExpertUseCases {
  addExpert: AddExpert;
  changeExpert: ChangeExpert;
  changeOwnExpert: ChangeOwnExpert;
  retireExpert: MoveExpert;
  reactivateExpert: MoveExpert;
  getExpert: GetExpert;
  getOwnExpert: GetOwnExpert;
  listExperts: ListExperts;
  listPublicExperts: ListPublicExperts;
  getPublicExpert: GetPublicExpert;
  expertSessions: ExpertSessions;
}

const TAG = 'experts';
const OFFICE = ['city_admin'] as const;
const OFFICE_OR_EXPERT = ['city_admin', 'expert'] as const;

const CategorySchema = Type.Unsafe<ContentCategory>(
  Type.String({ enum: [...CONTENT_CATEGORIES], description: 'One of the four of §3.' }),
);
const RadiusSchema = Type.Unsafe<TravelRadius>(
  Type.String({
    enum: [...TRAVEL_RADII],
    description: 'city: the streets only; countryside: also the rural townships.',
  }),
);
const StatusSchema = Type.Unsafe<ExpertStatus>(Type.String({ enum: [...EXPERT_STATUSES] }));
const Fields = Type.Array(CategorySchema, {
  minItems: 1,
  maxItems: CONTENT_CATEGORIES.length,
  uniqueItems: true,
});
const Specialties = Type.Array(Title(50), { maxItems: 20 });
const Languages = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: MAX_LANGUAGES,
  description: 'BCP 47 tags (zh-CN, en, …), stored in canonical casing.',
});
const Window = Type.Object(
  { startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
// The rule's own bound (100 windows, EXPERT_AVAILABILITY_TOO_MANY) is the domain's; this only caps the body.
const Availability = Type.Array(Window, {
  maxItems: 1000,
  description: 'Windows the expert can lecture in; sorted on storing, none may overlap.',
});
const Phone = Type.Union([Type.String({ maxLength: 32 }), Type.Null()], {
  description: 'A mainland mobile number; null or blank: none. Encrypted at rest.',
});
const Email = Type.Union([Type.String({ maxLength: 320 }), Type.Null()], {
  description: 'An e-mail address; null or blank: none. Encrypted at rest.',
});
const AccountSubject = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'The `sub` of the person’s token: a participant registration knows.',
});

const profileProperties = {
  displayName: Type.Optional(Name(100)),
  title: Type.Optional(Type.Union([Title(100), Type.Literal('')])),
  employer: Type.Optional(Type.Union([Name(200), Type.Literal('')])),
  fields: Type.Optional(Fields),
  specialties: Type.Optional(Specialties),
  languages: Type.Optional(Languages),
  availability: Type.Optional(Availability),
  travelRadius: Type.Optional(RadiusSchema),
  phone: Type.Optional(Phone),
  email: Type.Optional(Email),
};

const AddBody = Type.Object(
  {
    ...profileProperties,
    accountSubject: AccountSubject,
    displayName: Name(100),
    fields: Fields,
    languages: Languages,
    travelRadius: RadiusSchema,
  },
  { additionalProperties: false },
);
const ChangeBody = Type.Object(
  {
    ...profileProperties,
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
  },
  { additionalProperties: false },
);
const MoveBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Apply only if it is still at this version.' }),
    ),
  },
  { additionalProperties: false },
);
const PublicQuery = {
  field: Type.Optional(CategorySchema),
  travelRadius: Type.Optional(RadiusSchema),
  ...pageQueryFields,
};
const ListQuery = Type.Object(
  {
    ...PublicQuery,
    status: Type.Optional(StatusSchema),
    availableAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Only experts with an availability window holding this instant.',
      }),
    ),
  },
  { additionalProperties: false },
);
const PageQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const DateTime = Type.String({ format: 'date-time' });
const PublicExpert = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  title: Type.String(),
  employer: Type.String(),
  fields: Type.Array(Type.String()),
  specialties: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  travelRadius: Type.String(),
});
const ListedExpert = Type.Object({
  ...PublicExpert.properties,
  accountSubject: Type.String(),
  participantId: Type.String({ description: 'Registration’s participant id of the person.' }),
  availability: Type.Array(Type.Object({ startsAt: DateTime, endsAt: DateTime })),
  status: StatusSchema,
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
const Expert = Type.Object({
  ...ListedExpert.properties,
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
});
const Session = Type.Object({
  id: Type.String(),
  forumId: Type.String(),
  lectureType: Type.Unsafe<string>(Type.String({ enum: [...LECTURE_TYPES] })),
  title: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  venue: Type.Object({
    name: Type.String(),
    setting: Type.Unsafe<string>(Type.String({ enum: [...VENUE_SETTINGS] })),
    townshipCode: Type.String(),
  }),
  status: Type.Unsafe<string>(Type.String({ enum: [...SESSION_STATUSES] })),
});

const sessionResponse = (session: SpeakerSession) => ({
  ...session,
  startsAt: session.startsAt.toISOString(),
  endsAt: session.endsAt.toISOString(),
  venue: { ...session.venue },
});

/** The body with its availability windows as dates. */
const withWindows = <B extends { availability?: { startsAt: string; endsAt: string }[] }>(
  body: B,
): Omit<B, 'availability'> & { availability?: WindowInput[] } => {
  const { availability, ...rest } = body;
  return availability === undefined
    ? rest
    : {
        ...rest,
        availability: availability.map((window) => ({
          startsAt: new Date(window.startsAt),
          endsAt: new Date(window.endsAt),
        })),
      };
};

const PROFILE_ERRORS =
  'EXPERT_AVAILABILITY_WINDOW_INVALID, EXPERT_AVAILABILITY_OVERLAP, EXPERT_AVAILABILITY_TOO_MANY, ' +
  'EXPERT_LANGUAGE_INVALID, EXPERT_LANGUAGE_DUPLICATE, PHONE_FORMAT, EMAIL_FORMAT, VALIDATION_FAILED';
const NOT_OWN = '403 EXPERT_NOT_OWN (an expert naming another expert), ROLE_REQUIRED';

export function registerExpertRoutes(
  http: HttpServer,
  useCases: ExpertUseCases,
  vault: PiiVault,
): void {
  http.post(
    '/v1/experts',
    {
      config: { roles: [...OFFICE], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a person to the expert pool (专家队伍)',
        description:
          'City admins (the campaign office); needs an Idempotency-Key. The person is a ' +
          'participant registration knows, named by their account subject; their token then ' +
          'needs the `expert` role to use /v1/experts/me. Contacts are encrypted at rest and ' +
          `shown only to the office and the expert. Errors: 400 EXPERT_PERSON_UNKNOWN, ${PROFILE_ERRORS}; ` +
          '403 ROLE_REQUIRED; 409 EXPERT_ALREADY_EXISTS (one record per person).',
        body: AddBody,
        response: { 201: Expert },
      },
    },
    async (request, reply) => {
      const expert = await useCases.addExpert(principalOf(request), withWindows(request.body));
      return reply.code(201).send(fullView(expert, vault));
    },
  );

  http.get(
    '/v1/experts',
    {
      config: { roles: [...OFFICE] },
      schema: {
        tags: [TAG],
        summary: 'List the pool, in id order (no contacts: read one expert for those)',
        description:
          'City admins. Filters: field, travel radius, available at an instant, status. ' +
          'Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(ListedExpert) },
      },
    },
    async (request) => {
      const {
        filters: { availableAt, ...filters },
        page: pageAsked,
      } = splitPage(request.query);
      const page = await useCases.listExperts({
        ...filters,
        ...(availableAt === undefined ? {} : { availableAt: new Date(availableAt) }),
        ...pageAsked,
      });
      return { items: page.items.map(listedView), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/experts/me',
    {
      config: { roles: ['expert'] },
      schema: {
        tags: [TAG],
        summary: 'Your own expert profile, contacts and availability',
        description: 'Experts. Errors: 403 ROLE_REQUIRED; 404 EXPERT_NOT_FOUND (not in the pool).',
        response: { 200: Expert },
      },
    },
    async (request) => fullView(await useCases.getOwnExpert(principalOf(request)), vault),
  );

  http.patch(
    '/v1/experts/me',
    {
      config: { roles: ['expert'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Edit your own profile and availability',
        description:
          'Experts; needs an Idempotency-Key. Availability replaces the stored windows as a ' +
          `whole. Errors: 400 EXPERT_CHANGE_EMPTY, ${PROFILE_ERRORS}; 403 ROLE_REQUIRED; ` +
          '404 EXPERT_NOT_FOUND; 409 VERSION_CONFLICT.',
        body: ChangeBody,
        response: { 200: Expert },
      },
    },
    async (request) =>
      fullView(
        await useCases.changeOwnExpert(principalOf(request), withWindows(request.body)),
        vault,
      ),
  );

  http.get(
    '/v1/experts/:id',
    {
      config: { roles: [...OFFICE_OR_EXPERT] },
      schema: {
        tags: [TAG],
        summary: 'An expert’s full record, contacts included',
        description: `City admins; an expert their own. Errors: ${NOT_OWN}; 404 EXPERT_NOT_FOUND.`,
        params: IdParams,
        response: { 200: Expert },
      },
    },
    async (request) =>
      fullView(await useCases.getExpert(principalOf(request), request.params.id), vault),
  );

  http.patch(
    '/v1/experts/:id',
    {
      config: { roles: [...OFFICE], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Correct an expert’s profile, availability or contacts',
        description:
          `City admins; needs an Idempotency-Key. Errors: 400 EXPERT_CHANGE_EMPTY, ${PROFILE_ERRORS}; ` +
          '403 ROLE_REQUIRED; 404 EXPERT_NOT_FOUND; 409 VERSION_CONFLICT.',
        params: IdParams,
        body: ChangeBody,
        response: { 200: Expert },
      },
    },
    async (request) =>
      fullView(
        await useCases.changeExpert(
          principalOf(request),
          request.params.id,
          withWindows(request.body),
        ),
        vault,
      ),
  );

  const move = (verb: 'retire' | 'reactivate', summary: string, refusal: string) => {
    // '::' is fastify's escape for a literal colon (AIP-136 custom method).
    http.post(
      `/v1/experts/:id(${UUID_PATTERN})::${verb}`,
      {
        config: { roles: [...OFFICE], idempotency: 'required' },
        schema: {
          tags: [TAG],
          summary,
          description:
            'City admins; needs an Idempotency-Key. A retired expert leaves the public pool. ' +
            `Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 EXPERT_NOT_FOUND; 409 ${refusal}, ` +
            'VERSION_CONFLICT.',
          params: IdParams,
          body: MoveBody,
          response: { 200: Expert },
        },
      },
      async (request) => {
        const run = verb === 'retire' ? useCases.retireExpert : useCases.reactivateExpert;
        return fullView(await run(principalOf(request), request.params.id, request.body), vault);
      },
    );
  };
  move('retire', 'Retire an expert', 'EXPERT_ALREADY_RETIRED');
  move('reactivate', 'Reactivate a retired expert', 'EXPERT_NOT_RETIRED');

  http.get(
    '/v1/experts/:id/sessions',
    {
      config: { roles: [...OFFICE_OR_EXPERT] },
      schema: {
        tags: [TAG],
        summary: 'The sessions an expert gave or will give, latest first',
        description: `City admins; an expert their own. Errors: 400 CURSOR_INVALID; ${NOT_OWN}; 404 EXPERT_NOT_FOUND.`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: PageOf(Session) },
      },
    },
    async (request) => {
      const page = await useCases.expertSessions(
        principalOf(request),
        request.params.id,
        splitPage(request.query).page,
      );
      return { items: page.items.map(sessionResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/public/experts',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'The active experts’ public profiles, in id order',
        description:
          'Public: no contacts, no participant id, no availability. Errors: 400 CURSOR_INVALID, ' +
          'VALIDATION_FAILED.',
        querystring: Type.Object(PublicQuery, { additionalProperties: false }),
        response: { 200: PageOf(PublicExpert) },
      },
    },
    async (request) => {
      const { filters, page: pageAsked } = splitPage(request.query);
      const page = await useCases.listPublicExperts({ ...filters, ...pageAsked });
      return { items: page.items.map(publicView), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/public/experts/:id',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: 'An active expert’s public profile',
        description: 'Public. Errors: 404 EXPERT_NOT_FOUND (also a retired one).',
        params: IdParams,
        response: { 200: PublicExpert },
      },
    },
    async (request) => publicView(await useCases.getPublicExpert(request.params.id)),
  );
}
