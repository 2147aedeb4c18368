/** The online library's routes: translate HTTP to the use cases and back, deciding nothing. */
import { CONTENT_CATEGORIES, TIERS } from '@learning/domain';
import {
  PageOf,
  pageQueryFields,
  principalOf,
  publicPageKey,
  publicPageSender,
  Text,
  Title,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
  PUBLIC_PORTAL_TAG,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import type { LessonWork } from '../../application/library/lessons.js';
import type {
  PublicLessonPages,
  StoredLesson,
  StoredProgress,
} from '../../application/library/ports.js';
import type { ProgressWork } from '../../application/library/progress.js';
import type { PublicLessons } from '../../application/library/public-lessons.js';
import {
  DEFAULT_REQUIRED_SHARE,
  LESSON_KINDS,
  LESSON_STATUSES,
  MAX_LESSON_SECONDS,
  MAX_REQUIRED_SHARE,
  MIN_REQUIRED_SHARE,
  requiredSeconds,
  type LessonAction,
} from '../../domain/lessons.js';
import { CREDIT_TOLERANCE, JITTER_SECONDS, MAX_PLAYBACK_RATE } from '../../domain/progress.js';

export interface LibraryUseCases {
  lessons: LessonWork;
  publicLessons: PublicLessons;
  progress: ProgressWork;
  publicPages: PublicLessonPages;
  /** `cache-control: max-age` of the public pages. */
  publicMaxAgeSeconds: number;
}

/** Heartbeats per learner and minute, over all their lessons: the portal sends one every 15 s per open lesson. */
export const HEARTBEAT_LIMIT = { points: 30, durationSeconds: 60 };

const TAG = 'library';

const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Kind = enumOf(LESSON_KINDS, 'video, or document (its length is the reading time it states).');
const Status = enumOf(LESSON_STATUSES);
const TierField = enumOf(TIERS);
const Category = enumOf(CONTENT_CATEGORIES);
const Tiers = Type.Array(TierField, { minItems: 1, maxItems: TIERS.length, uniqueItems: true });
const Categories = Type.Array(Category, {
  minItems: 1,
  maxItems: CONTENT_CATEGORIES.length,
  uniqueItems: true,
});
const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: 'A department code.' });
const Seconds = Type.Integer({
  minimum: 1,
  maximum: MAX_LESSON_SECONDS,
  description: 'Length in seconds; a document’s reading time.',
});
const Share = Type.Number({
  minimum: MIN_REQUIRED_SHARE,
  maximum: MAX_REQUIRED_SHARE,
  description: `Share of the length a learner must be credited with to complete (default ${DEFAULT_REQUIRED_SHARE}).`,
});
const Url = Type.String({ minLength: 9, maxLength: 2000, description: 'An https:// address.' });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const CreateBody = Type.Object(
  {
    kind: Kind,
    title: Title(200),
    description: Type.Optional(Text(4000)),
    categories: Categories,
    targetTiers: Tiers,
    lengthSeconds: Type.Optional(Seconds),
    requiredShare: Type.Optional(Share),
    contentUrl: Type.Optional(Url),
    sourceSessionId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'A held session whose recording this is: its URL, duration, lead department and forum are copied.',
      }),
    ),
    leadDepartment: Type.Optional(Code),
  },
  { additionalProperties: false },
);
const EditBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
    title: Type.Optional(Title(200)),
    description: Type.Optional(Text(4000)),
    categories: Type.Optional(Categories),
    targetTiers: Type.Optional(Tiers),
    lengthSeconds: Type.Optional(Seconds),
    requiredShare: Type.Optional(Share),
    contentUrl: Type.Optional(Url),
  },
  { additionalProperties: false },
);
const MoveBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Act only if it is still at this version.' }),
    ),
  },
  { additionalProperties: false },
);
const HeartbeatBody = Type.Object(
  {
    sequence: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Strictly increasing per learner and lesson.',
    }),
    positionSeconds: Type.Number({
      minimum: 0,
      maximum: MAX_LESSON_SECONDS,
      description: 'Where the learner is in the lesson.',
    }),
    seek: Type.Optional(
      Type.Boolean({ description: 'The learner jumped here: move, credit nothing.' }),
    ),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const ListQuery = Type.Object(
  { status: Type.Optional(Status), ...pageQueryFields },
  { additionalProperties: false },
);
const PublicQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    tier: Type.Optional(TierField),
    category: Type.Optional(Category),
    q: Type.Optional(Title(100, { description: 'Words to find, e.g. 党史.' })),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const MineQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });

const publicFields = {
  id: Type.String(),
  kind: Kind,
  title: Type.String(),
  description: Type.String(),
  categories: Type.Array(Type.String()),
  targetTiers: Type.Array(Type.String()),
  lengthSeconds: Type.Integer(),
  requiredShare: Type.Number(),
  requiredSeconds: Type.Integer({
    description: 'Seconds a learner must be credited with to complete.',
  }),
  contentUrl: Type.String(),
  sourceSessionId: Nullable(Type.String()),
  leadDepartment: Type.String(),
  publishedAt: Nullable(Instant),
};
const PublicLesson = Type.Object(publicFields);
const Lesson = Type.Object({
  ...publicFields,
  status: Status,
  forumId: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  version: Type.Integer(),
});
const Progress = Type.Object({
  lessonId: Type.String(),
  lastSequence: Type.Integer(),
  positionSeconds: Type.Number(),
  creditedSeconds: Type.Number({ description: 'Seconds credited so far (wall time, at most).' }),
  completed: Type.Boolean(),
  completedAt: Nullable(Instant),
  startedAt: Instant,
  lastHeartbeatAt: Instant,
});
const HeartbeatReply = Type.Object({
  ...Progress.properties,
  creditedNow: Type.Number({ description: 'Seconds this heartbeat added.' }),
  completesNow: Type.Boolean({ description: 'This heartbeat completed the lesson.' }),
});

/** What anyone may see of a lesson, exactly: the cache stores it as it is. */
function publicResponse(lesson: StoredLesson): Static<typeof PublicLesson> {
  return {
    id: lesson.id,
    kind: lesson.kind,
    title: lesson.title,
    description: lesson.description,
    categories: [...lesson.categories],
    targetTiers: [...lesson.targetTiers],
    lengthSeconds: lesson.lengthSeconds,
    requiredShare: lesson.requiredShare,
    requiredSeconds: requiredSeconds(lesson.lengthSeconds, lesson.requiredShare),
    contentUrl: lesson.contentUrl,
    sourceSessionId: lesson.sourceSessionId,
    leadDepartment: lesson.leadDepartment,
    publishedAt: lesson.publishedAt?.toISOString() ?? null,
  };
}

const response = (lesson: StoredLesson): Static<typeof Lesson> => ({
  ...publicResponse(lesson),
  status: lesson.status,
  forumId: lesson.forumId,
  createdBy: lesson.createdBy,
  createdAt: lesson.createdAt.toISOString(),
  updatedAt: lesson.updatedAt.toISOString(),
  version: lesson.version,
});

const progressResponse = (progress: StoredProgress): Static<typeof Progress> => ({
  lessonId: progress.lessonId,
  lastSequence: progress.lastSequence,
  positionSeconds: progress.positionSeconds,
  creditedSeconds: progress.creditedSeconds,
  completed: progress.completedAt !== null,
  completedAt: progress.completedAt?.toISOString() ?? null,
  startedAt: progress.startedAt.toISOString(),
  lastHeartbeatAt: progress.lastHeartbeatAt.toISOString(),
});

const MANAGE =
  'City admins; officers of the lead department; managers of the forum whose session a recording is.';
const NOT_FOUND_NOTE = '404 LESSON_NOT_FOUND (also when it is outside your reach)';

const ACTIONS: readonly { action: LessonAction; summary: string; errors: string }[] = [
  {
    action: 'publish',
    summary: 'Publish a draft or withdrawn lesson: it shows in the public library',
    errors: '409 LESSON_TRANSITION_NOT_ALLOWED (already published)',
  },
  {
    action: 'withdraw',
    summary: 'Withdraw a published lesson: it leaves the library and takes no more heartbeats',
    errors: '409 LESSON_TRANSITION_NOT_ALLOWED (not published)',
  },
];

export function registerLibraryRoutes(http: HttpServer, useCases: LibraryUseCases): void {
  http.post(
    '/v1/lessons',
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Add a lesson (a draft): a course, or the recording of a held session',
        description:
          `${MANAGE} Needs an Idempotency-Key. A course needs contentUrl (https) and ` +
          'lengthSeconds; a city admin names its leadDepartment, a department officer’s is ' +
          'their own. A recording names sourceSessionId and copies the session’s recording URL, ' +
          'duration (lengthSeconds only when the duration is not known), lead department and forum. ' +
          'Errors: 400 VALIDATION_FAILED, LESSON_CONTENT_URL_INVALID, LESSON_CONTENT_URL_REQUIRED, ' +
          'LESSON_LENGTH_INVALID, LESSON_LENGTH_REQUIRED, LESSON_REQUIRED_SHARE_INVALID, ' +
          'LESSON_DEPARTMENT_UNKNOWN, LESSON_SESSION_UNKNOWN, LESSON_RECORDING_NOT_VIDEO, ' +
          'LESSON_RECORDING_FIXED; 403 LESSON_FORBIDDEN; 409 LESSON_SESSION_NO_RECORDING, ' +
          'LESSON_ALREADY_EXISTS (the recording is a lesson already).',
        body: CreateBody,
        response: { 201: Lesson },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(response(await useCases.lessons.create(principalOf(request), request.body))),
  );

  http.get(
    '/v1/lessons',
    {
      schema: {
        tags: [TAG],
        summary: 'The lessons you manage, newest first, drafts included',
        description: `${MANAGE} Others get an empty list. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.`,
        querystring: ListQuery,
        response: { 200: PageOf(Lesson) },
      },
    },
    async (request) => {
      const page = await useCases.lessons.list(principalOf(request), request.query);
      return { items: page.items.map(response), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    `/v1/lessons/:id(${UUID_PATTERN})`,
    {
      schema: {
        tags: [TAG],
        summary: 'A lesson you manage',
        description: `${MANAGE} Errors: ${NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: Lesson },
      },
    },
    async (request) =>
      response(await useCases.lessons.get(principalOf(request), request.params.id)),
  );

  http.patch(
    `/v1/lessons/:id(${UUID_PATTERN})`,
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Edit a lesson',
        description:
          `${MANAGE} Needs an Idempotency-Key. A recording’s contentUrl and lengthSeconds are ` +
          'its session’s. Errors: 400 LESSON_CHANGE_EMPTY, LESSON_RECORDING_FIXED, ' +
          'LESSON_LENGTH_INVALID, LESSON_REQUIRED_SHARE_INVALID, LESSON_CONTENT_URL_INVALID, ' +
          `VALIDATION_FAILED; ${NOT_FOUND_NOTE}; 409 VERSION_CONFLICT.`,
        params: IdParams,
        body: EditBody,
        response: { 200: Lesson },
      },
    },
    async (request) =>
      response(await useCases.lessons.edit(principalOf(request), request.params.id, request.body)),
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method).
  for (const route of ACTIONS)
    http.post(
      `/v1/lessons/:id(${UUID_PATTERN})::${route.action}`,
      {
        config: { idempotency: 'required' },
        schema: {
          tags: [TAG],
          summary: route.summary,
          description: `${MANAGE} Needs an Idempotency-Key. Errors: ${route.errors}; ${NOT_FOUND_NOTE}; 409 VERSION_CONFLICT.`,
          params: IdParams,
          body: MoveBody,
          response: { 200: Lesson },
        },
      },
      async (request) =>
        response(
          await useCases.lessons.move(
            principalOf(request),
            request.params.id,
            route.action,
            request.body.version,
          ),
        ),
    );

  http.post(
    `/v1/lessons/:id(${UUID_PATTERN})/progress`,
    {
      // The sequence is the anti-replay: without a key no idempotency record costs the heartbeat a Redis call.
      config: { roles: ['participant'], idempotency: 'optional', rateLimit: HEARTBEAT_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Report where you are in a lesson (a heartbeat)',
        description:
          'Role participant, registered with registration. An Idempotency-Key is honoured when ' +
          'sent (a retry gets the first answer); the sequence is the anti-replay either way. ' +
          'The first heartbeat starts the clock ' +
          'and credits nothing. Each later one credits the position’s advance, by at most the ' +
          `server’s wall time since the last accepted heartbeat plus ${CREDIT_TOLERANCE * 100}% ` +
          'and never beyond the lesson’s length; a jump is sent with seek (credits nothing). ' +
          `An advance of more than ${MAX_PLAYBACK_RATE}× the wall time plus ${JITTER_SECONDS} s ` +
          'without seek is refused. Reaching the required share completes the lesson once and ' +
          `publishes LessonCompleted. At most ${HEARTBEAT_LIMIT.points} heartbeats a minute. ` +
          'Errors: 400 PROGRESS_CLAIM_EXCEEDS_WALL_TIME, PROGRESS_POSITION_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 LESSON_NOT_FOUND (none, or a draft); ' +
          '409 PROGRESS_HEARTBEAT_REPLAYED (sequence not after the last accepted; nothing ' +
          'changes), PROGRESS_HEARTBEAT_CONCURRENT, LESSON_NOT_PUBLISHED (withdrawn), ' +
          'PROGRESS_LEARNER_NOT_REGISTERED; 429 RATE_LIMITED.',
        params: IdParams,
        body: HeartbeatBody,
        response: { 200: HeartbeatReply },
      },
    },
    async (request) => {
      const result = await useCases.progress.heartbeat(principalOf(request), request.params.id, {
        sequence: request.body.sequence,
        positionSeconds: request.body.positionSeconds,
        seek: request.body.seek ?? false,
      });
      return {
        ...progressResponse(result.progress),
        creditedNow: result.creditedNow,
        completesNow: result.completesNow,
      };
    },
  );

  http.get(
    `/v1/lessons/:id(${UUID_PATTERN})/progress`,
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Your progress through a lesson',
        description: 'Role participant. Errors: 403 ROLE_REQUIRED; 404 PROGRESS_NOT_FOUND.',
        params: IdParams,
        response: { 200: Progress },
      },
    },
    async (request) =>
      progressResponse(await useCases.progress.mine(principalOf(request), request.params.id)),
  );

  http.get(
    '/v1/me/lessons',
    {
      config: { roles: ['participant'] },
      schema: {
        tags: [TAG],
        summary: 'Your lessons and your progress in each, most recently active first',
        description: 'Role participant. Errors: 400 CURSOR_INVALID; 403 ROLE_REQUIRED.',
        querystring: MineQuery,
        response: { 200: PageOf(Progress) },
      },
    },
    async (request) => {
      const page = await useCases.progress.listMine(principalOf(request), request.query);
      return { items: page.items.map(progressResponse), nextPageToken: page.nextPageToken };
    },
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/lessons',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'The online library (学习网): published lessons, newest first',
        description:
          'No sign-in needed. Of a kind, for a tier, of a category, and with every word of q ' +
          '(Chinese or not) in the title or description. Served from a shared cache (x-cache: ' +
          'hit or miss) that every change to a lesson clears. Errors: 400 LESSON_SEARCH_EMPTY, ' +
          'CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicLesson) },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey('/v1/public/lessons', request.query), async () => {
        const page = await useCases.publicLessons.list(request.query);
        return { items: page.items.map(publicResponse), nextPageToken: page.nextPageToken };
      });
    },
  );

  http.get(
    `/v1/public/lessons/:id(${UUID_PATTERN})`,
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'A published lesson',
        description:
          'No sign-in needed; served from the same shared cache as the listing. Errors: 404 ' +
          'LESSON_NOT_FOUND (also for drafts and withdrawn lessons).',
        params: IdParams,
        response: { 200: PublicLesson },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey(`/v1/public/lessons/${request.params.id}`), async () =>
        publicResponse(await useCases.publicLessons.get(request.params.id)),
      );
    },
  );
}
