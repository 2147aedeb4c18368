/** The training class routes: translate HTTP to the use cases and back, deciding nothing. */
import { ORGANIZER_ROLES } from '@learning/auth';
import { CONTENT_CATEGORIES, TRAINING_TARGET_GROUPS, type ContentCategory } from '@learning/domain';
import {
  DEFAULT_PAGE_SIZE,
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  revisionFromIfMatch,
  Text,
  Title,
  UUID_PATTERN,
  Uuid,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import {
  TRAINING_CLASS_VERSION_REQUIRED,
  trainingClassErrors,
} from '../../application/training/classes/errors.js';
import type {
  CancelClass,
  CreateClass,
  PublishClass,
  RescheduleClass,
  UpdateClassDraft,
} from '../../application/training/classes/manage-classes.js';
import type { StoredClass } from '../../application/training/classes/ports.js';
import type { ClassReads } from '../../application/training/classes/read-classes.js';
import { MAX_SESSIONS } from '../../domain/schedule.js';
import {
  classMinutesOf,
  firstStartOf,
  lastEndOf,
  sessionMinutesOf,
  signUpWindowOf,
} from '../../domain/training-classes.js';
import type { TrainingTargetGroup } from '@learning/domain';

export interface TrainingClassUseCases {
  createClass: CreateClass;
  updateDraft: UpdateClassDraft;
  publishClass: PublishClass;
  rescheduleClass: RescheduleClass;
  cancelClass: CancelClass;
  reads: ClassReads;
  publicPages: CachedPages;
  publicMaxAgeSeconds: number;
}

const TAG = 'training classes';
const MANAGERS = ORGANIZER_ROLES;
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const TargetGroup = Type.Unsafe<TrainingTargetGroup>(
  Type.String({ enum: [...TRAINING_TARGET_GROUPS] }),
);
const Category = Type.Unsafe<ContentCategory>(Type.String({ enum: [...CONTENT_CATEGORIES] }));
const Status = Type.String({
  enum: ['draft', 'published', 'under_way', 'completed', 'cancelled'],
});

const SessionBody = Type.Object(
  {
    id: Type.Optional(
      Type.Unsafe<string>({
        ...Uuid,
        description: "An existing session's id, kept; omit for a new one.",
      }),
    ),
    start: DateTime,
    end: DateTime,
    topic: Type.Optional(Title(200, { minLength: 0 })),
  },
  { additionalProperties: false },
);
const Sessions = Type.Array(SessionBody, { minItems: 1, maxItems: MAX_SESSIONS });
const Capacity = Nullable(
  Type.Integer({ minimum: 1, maximum: 100_000, description: 'Seats; null for unlimited.' }),
);
const TrainerBody = Type.Union([
  Type.Object(
    { expertId: Type.Unsafe<string>({ ...Uuid, description: "An expert of lectures' pool." }) },
    { additionalProperties: false },
  ),
  Type.Object({ name: Title(50) }, { additionalProperties: false }),
]);
const Trainers = Type.Array(TrainerBody, { maxItems: 20 });
const TargetGroups = Type.Array(TargetGroup, { minItems: 1, uniqueItems: true });
const Organizer = Type.Union([
  Type.Object(
    { kind: Type.Literal('department'), departmentCode: Title(64) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('organization'), organizationId: Uuid },
    { additionalProperties: false },
  ),
]);

const draftFields = {
  title: Title(100),
  description: Type.Optional(Text(2000)),
  venueName: Type.Optional(Title(100, { minLength: 0 })),
  address: Type.Optional(Title(200, { minLength: 0 })),
  capacity: Type.Optional(Capacity),
  trainers: Type.Optional(Trainers),
};

const CreateBody = Type.Object(
  {
    programmeId: Uuid,
    organizer: Organizer,
    jurisdictionCode: JurisdictionCode,
    sessions: Sessions,
    targetGroups: TargetGroups,
    ...draftFields,
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    ...draftFields,
    title: Type.Optional(Title(100)),
    sessions: Type.Optional(Sessions),
    targetGroups: Type.Optional(TargetGroups),
  },
  { additionalProperties: false },
);

const Reason = Title(500, { description: 'Told to everyone signed up.' });
const RescheduleBody = Type.Object(
  { sessions: Type.Optional(Sessions), capacity: Type.Optional(Capacity), reason: Reason },
  { additionalProperties: false },
);
const CancelBody = Type.Object({ reason: Reason }, { additionalProperties: false });
const EmptyBody = Type.Object({}, { additionalProperties: false });

const ListQuery = Type.Object(
  { programmeId: Type.Optional(Uuid), status: Type.Optional(Status), ...pageQueryFields },
  { additionalProperties: false },
);
const ProgrammeListQuery = Type.Object(
  { status: Type.Optional(Status), ...pageQueryFields },
  { additionalProperties: false },
);
const PublicQuery = Type.Object(
  {
    jurisdictionCode: Type.Optional(JurisdictionCode),
    targetGroup: Type.Optional(TargetGroup),
    category: Type.Optional(Category),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const SessionView = Type.Object({
  id: Type.String(),
  start: DateTime,
  end: DateTime,
  topic: Type.String(),
  learningMinutes: Type.Integer(),
});
const commonView = {
  id: Type.String(),
  programmeId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
  venueName: Type.String(),
  address: Type.String(),
  sessions: Type.Array(SessionView),
  startsAt: DateTime,
  endsAt: DateTime,
  learningMinutes: Type.Integer({ description: "All sessions' minutes." }),
  capacity: Nullable(Type.Integer()),
  targetGroups: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  trainers: Type.Array(Type.Object({ expertId: Nullable(Type.String()), name: Type.String() })),
  status: Status,
  signUpOpensAt: Nullable(DateTime),
  signUpClosesAt: Nullable(DateTime),
};
const TrainingClassView = Type.Object({
  ...commonView,
  organizer: Type.Object({
    kind: Type.String(),
    departmentCode: Type.Optional(Type.String()),
    organizationId: Type.Optional(Type.String()),
    organizationKind: Type.Optional(Type.String()),
  }),
  leadDepartment: Type.String(),
  public: Type.Boolean(),
  publishedAt: Nullable(DateTime),
  cancelledAt: Nullable(DateTime),
  cancellationReason: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer({ description: 'Also the ETag; send it back as If-Match.' }),
});
const PublicClassView = Type.Object({
  ...commonView,
  organizer: Type.Object({ kind: Type.String() }),
  cancellationReason: Nullable(Type.String()),
});

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

function commonResponse(trainingClass: StoredClass) {
  const window = signUpWindowOf(trainingClass);
  return {
    id: trainingClass.id,
    programmeId: trainingClass.programmeId,
    title: trainingClass.title,
    description: trainingClass.description,
    jurisdictionPath: [...trainingClass.jurisdictionPath],
    venueName: trainingClass.venueName,
    address: trainingClass.address,
    sessions: trainingClass.sessions.map((session) => ({
      id: session.id,
      start: session.start.toISOString(),
      end: session.end.toISOString(),
      topic: session.topic,
      learningMinutes: sessionMinutesOf(session),
    })),
    startsAt: firstStartOf(trainingClass.sessions).toISOString(),
    endsAt: lastEndOf(trainingClass.sessions).toISOString(),
    learningMinutes: classMinutesOf(trainingClass.sessions),
    capacity: trainingClass.capacity,
    targetGroups: [...trainingClass.targetGroups],
    categories: [...trainingClass.categories],
    trainers: trainingClass.trainers.map((trainer) => ({ ...trainer })),
    status: trainingClass.status,
    signUpOpensAt: iso(window?.opensAt ?? null),
    signUpClosesAt: iso(window?.closesAt ?? null),
  };
}

const response = (trainingClass: StoredClass): Static<typeof TrainingClassView> => ({
  ...commonResponse(trainingClass),
  organizer: { ...trainingClass.organizer },
  leadDepartment: trainingClass.leadDepartment,
  public: trainingClass.public,
  publishedAt: iso(trainingClass.publishedAt),
  cancelledAt: iso(trainingClass.cancelledAt),
  cancellationReason: trainingClass.cancellationReason,
  createdBy: trainingClass.createdBy,
  createdAt: trainingClass.createdAt.toISOString(),
  updatedAt: trainingClass.updatedAt.toISOString(),
  version: trainingClass.version,
});

/** What anyone may see: no account names, no organizer ids. */
const publicResponse = (trainingClass: StoredClass) => ({
  ...commonResponse(trainingClass),
  organizer: { kind: trainingClass.organizer.kind },
  cancellationReason: trainingClass.cancellationReason,
});

const sessionsOf = (sessions: Static<typeof Sessions>) =>
  sessions.map((session) => ({
    ...(session.id === undefined ? {} : { id: session.id }),
    start: new Date(session.start),
    end: new Date(session.end),
    topic: session.topic ?? '',
  }));

const NOT_FOUND = '404 TRAINING_CLASS_NOT_FOUND (also when it is outside your reach)';
const MANAGE =
  'Who leads its programme (a city admin, an officer of the lead department, the enterprise admin of an ' +
  "enterprise's own programme) or who organizes it; needs an Idempotency-Key.";
const SESSION_ERRORS =
  'SCHEDULE_ENDS_BEFORE_START, SCHEDULE_IN_PAST, SCHEDULE_SESSIONS_OVERLAP, SCHEDULE_TOO_MANY_SESSIONS, ' +
  'TRAINING_CLASS_SESSION_UNKNOWN';

export function registerTrainingClassRoutes(
  http: HttpServer,
  useCases: TrainingClassUseCases,
): void {
  http.post(
    '/v1/training/classes',
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Draft a class under a launched programme',
        description:
          'Who leads the programme, or a department officer for their department, or an org admin for ' +
          'their enterprise, community or village-town learning organization; needs an ' +
          "Idempotency-Key. Held in the programme's area at a township or below, for some of its target " +
          "groups; trainers from lectures' expert pool are named from it. Errors: 400 VALIDATION_FAILED, " +
          `JURISDICTION_UNKNOWN, DEPARTMENT_UNKNOWN, ${SESSION_ERRORS}, TRAINING_CLASS_PROGRAMME_UNKNOWN, ` +
          'TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA, TRAINING_CLASS_PLACE_LEVEL_INVALID, ' +
          'TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME, TRAINING_CLASS_ORGANIZER_UNKNOWN, ' +
          'TRAINING_CLASS_ORGANIZER_KIND_INVALID, TRAINING_CLASS_ORGANIZER_NOT_ENTERPRISE, ' +
          'TRAINING_CLASS_EXPERT_UNKNOWN; 403 ROLE_REQUIRED, TRAINING_CLASS_FORBIDDEN; 409 ' +
          'TRAINING_CLASS_PROGRAMME_NOT_OPEN, TRAINING_CLASS_ORGANIZER_NOT_ACTIVE; 503 ' +
          'UPSTREAM_UNAVAILABLE (lectures or registration cannot be reached).',
        body: CreateBody,
        response: { 201: TrainingClassView },
      },
    },
    async (request, reply) => {
      const { sessions, ...fields } = request.body;
      const created = await useCases.createClass(principalOf(request), {
        ...fields,
        sessions: sessionsOf(sessions),
      });
      return reply.code(201).header('etag', `"${created.version}"`).send(response(created));
    },
  );

  http.get(
    '/v1/training/classes',
    {
      config: { roles: [...MANAGERS] },
      schema: {
        tags: [TAG],
        summary: 'List the classes you run, lead or oversee, newest first',
        description:
          'City admins see all; department officers the classes of programmes their department leads ' +
          'and those it organizes; org admins their organizations’ classes; area officers those held in ' +
          'their area. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(TrainingClassView) },
      },
    },
    async (request) => {
      const { pageSize, ...query } = request.query;
      const page = await useCases.reads.list(principalOf(request), {
        ...query,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      } as Parameters<ClassReads['list']>[1]);
      return { items: page.items.map(response), nextPageToken: page.nextCursor };
    },
  );

  http.get(
    '/v1/training/programmes/:id/classes',
    {
      config: { roles: [...MANAGERS] },
      schema: {
        tags: [TAG],
        summary: "A programme's classes you may see, newest first",
        description:
          'The same reach as the list of classes. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ' +
          'ROLE_REQUIRED.',
        params: IdParams,
        querystring: ProgrammeListQuery,
        response: { 200: PageOf(TrainingClassView) },
      },
    },
    async (request) => {
      const { pageSize, ...query } = request.query;
      const page = await useCases.reads.list(principalOf(request), {
        ...query,
        programmeId: request.params.id,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      } as Parameters<ClassReads['list']>[1]);
      return { items: page.items.map(response), nextPageToken: page.nextCursor };
    },
  );

  http.get(
    '/v1/training/classes/:id',
    {
      config: { roles: [...MANAGERS] },
      schema: {
        tags: [TAG],
        summary: 'Get a class, drafts included, with its status now',
        description: `Whoever may list it; the ETag is its version. Errors: ${NOT_FOUND}.`,
        params: IdParams,
        response: { 200: TrainingClassView },
      },
    },
    async (request, reply) => {
      const found = await useCases.reads.get(principalOf(request), request.params.id);
      return reply.header('etag', `"${found.version}"`).send(response(found));
    },
  );

  http.patch(
    '/v1/training/classes/:id',
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Edit a draft's fields",
        description:
          `${MANAGE} Needs If-Match: the ETag read. Only drafts; sessions replace the list (name an ` +
          `existing session's id to keep it). Errors: 400 as for drafting, TRAINING_CLASS_CHANGE_EMPTY, ` +
          `TRAINING_CLASS_VERSION_REQUIRED; ${NOT_FOUND}; 409 TRAINING_CLASS_NOT_DRAFT, VERSION_CONFLICT.`,
        params: IdParams,
        body: UpdateBody,
        response: { 200: TrainingClassView },
      },
    },
    async (request, reply) => {
      const version = revisionFromIfMatch(request.headers['if-match'], {
        refuse: () =>
          trainingClassErrors.error(
            TRAINING_CLASS_VERSION_REQUIRED,
            'If-Match must be the ETag last read, such as "3".',
          ),
      });
      if (version === undefined)
        throw trainingClassErrors.error(
          TRAINING_CLASS_VERSION_REQUIRED,
          'Send the ETag last read as If-Match.',
        );
      const { sessions, ...fields } = request.body;
      const changed = await useCases.updateDraft(principalOf(request), request.params.id, version, {
        ...fields,
        ...(sessions === undefined ? {} : { sessions: sessionsOf(sessions) }),
      });
      return reply.header('etag', `"${changed.version}"`).send(response(changed));
    },
  );

  const MOVE_ERRORS = `${NOT_FOUND}; 409 TRAINING_CLASS_TRANSITION_NOT_ALLOWED, VERSION_CONFLICT`;
  // '::' is fastify's escape for a literal colon (AIP-136 custom method).
  const movePath = (action: string) => `/v1/training/classes/:id(${UUID_PATTERN})::${action}`;

  http.post(
    movePath('publish'),
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Publish a draft: open for sign-up through registration until its first session',
        description: `${MANAGE} Publishes TrainingClassPublished. Errors: 400 SCHEDULE_IN_PAST; 409 TRAINING_CLASS_PROGRAMME_NOT_OPEN; ${MOVE_ERRORS}.`,
        params: IdParams,
        body: EmptyBody,
        response: { 200: TrainingClassView },
      },
    },
    async (request) =>
      response(await useCases.publishClass(principalOf(request), request.params.id)),
  );

  http.post(
    movePath('reschedule'),
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Move the sessions or change the capacity of a published class before it starts',
        description: `${MANAGE} Publishes TrainingClassRescheduled (times before and after). Errors: 400 ${SESSION_ERRORS}, TRAINING_CLASS_RESCHEDULE_EMPTY; ${MOVE_ERRORS}.`,
        params: IdParams,
        body: RescheduleBody,
        response: { 200: TrainingClassView },
      },
    },
    async (request) => {
      const { sessions, capacity, reason } = request.body;
      return response(
        await useCases.rescheduleClass(principalOf(request), request.params.id, {
          reason,
          ...(sessions === undefined ? {} : { sessions: sessionsOf(sessions) }),
          ...(capacity === undefined ? {} : { capacity }),
        }),
      );
    },
  );

  http.post(
    movePath('cancel'),
    {
      config: { roles: [...MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Cancel a class with a reason; registration ends its sign-ups',
        description: `${MANAGE} Publishes TrainingClassCancelled. Errors: 400 VALIDATION_FAILED (no reason); ${MOVE_ERRORS}.`,
        params: IdParams,
        body: CancelBody,
        response: { 200: TrainingClassView },
      },
    },
    async (request) =>
      response(
        await useCases.cancelClass(principalOf(request), request.params.id, request.body.reason),
      ),
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/training/classes',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary:
          'Open training classes: published, public, sign-up open or upcoming, earliest first',
        description:
          'No sign-in needed. Held in the subtree of jurisdictionCode, for a target group, of a ' +
          'category, first session within [from, to). Served from a shared cache (x-cache) that every ' +
          'change to a published class clears. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicClassView) },
      },
    },
    async (request, reply) => {
      await sendPublic(
        reply,
        publicPageKey('/v1/public/training/classes', request.query),
        async () => {
          const { from, to, pageSize, ...filters } = request.query;
          const page = await useCases.reads.listPublic({
            ...filters,
            pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
            ...(from === undefined ? {} : { from: new Date(from) }),
            ...(to === undefined ? {} : { to: new Date(to) }),
          });
          return { items: page.items.map(publicResponse), nextPageToken: page.nextCursor };
        },
      );
    },
  );

  http.get(
    '/v1/public/training/classes/:id',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'A published public class, whatever became of it since',
        description:
          'No sign-in needed; cached like the list. Errors: 404 TRAINING_CLASS_NOT_FOUND (also for ' +
          "drafts and an enterprise's own classes).",
        params: IdParams,
        response: { 200: PublicClassView },
      },
    },
    async (request, reply) => {
      await sendPublic(
        reply,
        publicPageKey(`/v1/public/training/classes/${request.params.id}`),
        async () => publicResponse(await useCases.reads.getPublic(request.params.id)),
      );
    },
  );
}
