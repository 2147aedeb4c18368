/** The programme's routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  attachmentTooLarge,
  contentLengthOf,
  downloadHeaders,
  FileNameQuery,
  PendingUpload,
  uploadBodyParser,
} from '@learning/attachments';
import { CONTENT_CATEGORIES, TIERS } from '@learning/domain';
import {
  HttpError,
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  publicPageKey,
  publicPageSender,
  Title,
  Uuid,
  type HttpServer,
  PUBLIC_PORTAL_TAG,
} from '@learning/http';
import { Type, type Static } from '@sinclair/typebox';
import {
  MATERIAL_TOO_LARGE,
  MATERIAL_TYPE_UNSUPPORTED,
} from '../../application/programme/errors.js';
import type { SessionMaterials } from '../../application/programme/materials.js';
import type { Material, ProgrammePages } from '../../application/programme/ports.js';
import type { ProgrammeReads, SessionView } from '../../application/programme/read-programme.js';
import { LECTURE_TYPES } from '../../domain/catalogue.js';
import { MATERIAL_TYPES } from '../../domain/programme.js';
import { SESSION_STATUSES, VENUE_SETTINGS } from '../../domain/sessions.js';

export interface ProgrammeUseCases {
  readonly reads: ProgrammeReads;
  readonly materials: SessionMaterials;
  readonly pages: ProgrammePages;
  /** `cache-control: max-age` of the public pages. */
  readonly publicMaxAgeSeconds: number;
  /** The largest material accepted, in bytes. */
  readonly materialMaxBytes: number;
}

const TAG = 'sessions';

const Instant = Type.String({ format: 'date-time', maxLength: 40 });
// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.String({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  );
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const PublicQuery = Type.Object(
  {
    jurisdictionCode: Type.Optional(JurisdictionCode),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    forumId: Type.Optional(Uuid),
    tier: Type.Optional(enumOf(TIERS)),
    category: Type.Optional(enumOf(CONTENT_CATEGORIES)),
    setting: Type.Optional(
      enumOf(VENUE_SETTINGS, 'city: a street (街道); countryside: a rural township (乡镇).'),
    ),
    q: Type.Optional(Title(100, { description: 'Words to find, e.g. 宋韵.' })),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const PageQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const FileParams = Type.Object(
  { id: Uuid, fileId: Type.String({ pattern: '^[0-9a-f]{24}$', description: 'The file’s id.' }) },
  { additionalProperties: false },
);
const RecordingBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'An https:// address.' }),
    durationSeconds: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: 24 * 3600, description: 'When known.' })),
    ),
  },
  { additionalProperties: false },
);

const MaterialView = Type.Object({
  fileId: Type.String(),
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  publishedAt: Instant,
  downloadPath: Type.String({ description: 'GET it for the file.' }),
});
const RecordingView = Type.Object({
  url: Type.String(),
  durationSeconds: Nullable(Type.Integer()),
  addedAt: Instant,
});
const PublicSession = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  lectureType: enumOf(LECTURE_TYPES),
  forum: Type.Object({ id: Type.String(), name: Type.String() }),
  speakers: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), title: Type.String() }),
  ),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), { description: 'From the city down to the venue.' }),
  venue: Type.Object({
    id: Type.String(),
    name: Type.String(),
    address: Nullable(Type.String()),
    setting: enumOf(VENUE_SETTINGS),
    townshipCode: Type.String(),
  }),
  startsAt: Instant,
  endsAt: Instant,
  capacity: Type.Union([Type.Integer(), Type.Literal('unlimited')]),
  signUpWindow: Type.Object({ opensAt: Instant, closesAt: Instant }),
  targetTiers: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  campaignId: Nullable(Type.String()),
  liveStreamUrl: Nullable(Type.String()),
  materials: Type.Array(MaterialView, { description: 'Empty for a cancelled session.' }),
  recording: Nullable(RecordingView),
  status: enumOf(SESSION_STATUSES),
  cancellationReason: Nullable(Type.String()),
  heldAt: Nullable(Instant),
  attendanceCount: Nullable(Type.Integer({ description: 'Set once the session is held.' })),
});

const materialView = (sessionId: string, material: Material): Static<typeof MaterialView> => ({
  fileId: material.fileId,
  name: material.name,
  contentType: material.contentType,
  size: material.size,
  publishedAt: material.publishedAt.toISOString(),
  downloadPath: `/v1/sessions/${sessionId}/materials/${material.fileId}`,
});

/**
 * What anyone may see of a session, exactly: the cache stores it as it is,
 * so no response schema trims it on the way out. A cancelled session keeps
 * its files and recording to those who published them.
 */
function publicResponse({
  session,
  forumName,
  speakers,
}: SessionView): Static<typeof PublicSession> {
  const cancelled = session.status === 'cancelled';
  return {
    id: session.id,
    title: session.title,
    description: session.description,
    lectureType: session.lectureType,
    forum: { id: session.forumId, name: forumName },
    speakers: speakers.map((speaker) => ({
      id: speaker.id,
      name: speaker.displayName,
      title: speaker.title,
    })),
    jurisdictionCode: session.jurisdictionPath.at(-1) ?? '',
    jurisdictionPath: [...session.jurisdictionPath],
    venue: { ...session.venue },
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    capacity: session.capacity ?? 'unlimited',
    signUpWindow: {
      opensAt: session.signUpOpensAt.toISOString(),
      closesAt: session.signUpClosesAt.toISOString(),
    },
    targetTiers: [...session.targetTiers],
    categories: [...session.categories],
    campaignId: session.campaignId,
    liveStreamUrl: cancelled ? null : session.liveStreamUrl,
    materials: cancelled
      ? []
      : session.materials.map((material) => materialView(session.id, material)),
    recording:
      cancelled || session.recording === null
        ? null
        : {
            url: session.recording.url,
            durationSeconds: session.recording.durationSeconds,
            addedAt: session.recording.addedAt.toISOString(),
          },
    status: session.status,
    cancellationReason: session.cancellation?.reason ?? null,
    heldAt: session.heldAt?.toISOString() ?? null,
    attendanceCount: session.attendanceCount,
  };
}

/**
 * What a public route does with its reply. A cached page is JSON already:
 * sent as a string with a JSON content type, fastify passes it through
 * unserialized, which the route's typed `send` cannot express.
 */
/** 415 with the slice's own code: a material is a document or an image, sent as itself. */
const typeUnsupported = (): HttpError =>
  new HttpError(
    415,
    'invalid_argument',
    MATERIAL_TYPE_UNSUPPORTED,
    `Send the file with its own Content-Type: one of ${MATERIAL_TYPES.join(', ')}.`,
  );

const SESSION_NOT_FOUND_NOTE = '404 SESSION_NOT_FOUND';
const PUBLISHERS =
  'The office (city admins), the managers of the session’s forum, and its speakers (experts ' +
  'of the pool named among its speakers).';

export function registerProgrammeRoutes(http: HttpServer, useCases: ProgrammeUseCases): void {
  const sendPublic = publicPageSender(useCases.pages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/sessions',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'The lecture programme: scheduled and held sessions, earliest first',
        description:
          'No sign-in needed. At a venue in the subtree of jurisdictionCode, taking place at ' +
          'least partly within [from, to), of a forum, for a tier, of a category, in the city ' +
          'or the countryside, and with every word of q (Chinese or not) in the title or ' +
          'description. Served from a shared cache (x-cache: hit or miss) that every session ' +
          'event clears. Errors: 400 PROGRAMME_SEARCH_EMPTY, PROGRAMME_RANGE_INVALID, ' +
          'CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicSession) },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey('/v1/public/sessions', request.query), async () => {
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
    '/v1/public/sessions/:id',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'A session of the programme, whatever became of it',
        description:
          'No sign-in needed; a cancelled session says so with its reason. Served from the same ' +
          `shared cache as the listing. Errors: ${SESSION_NOT_FOUND_NOTE}.`,
        params: IdParams,
        response: { 200: PublicSession },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey(`/v1/public/sessions/${request.params.id}`), async () =>
        publicResponse(await useCases.reads.getPublic(request.params.id)),
      );
    },
  );

  http.get(
    '/v1/experts/me/sessions',
    {
      config: { roles: ['expert'] },
      schema: {
        tags: [TAG],
        summary:
          'The sessions you speak at: those not yet ended first, earliest first; then past ones, latest first',
        description:
          'Experts of the pool; cancelled sessions included, with their reason. Errors: 400 ' +
          'CURSOR_INVALID; 403 ROLE_REQUIRED; 404 EXPERT_NOT_IN_POOL.',
        querystring: PageQuery,
        response: { 200: PageOf(PublicSession) },
      },
    },
    async (request) => {
      const page = await useCases.reads.ownSessions(principalOf(request), request.query);
      return { items: page.items.map(publicResponse), nextPageToken: page.nextPageToken };
    },
  );

  void http.register(async (plugin) => {
    // A child of `http`: the same server and type provider (a compile-time notion fastify's plugin type drops).
    const scope = plugin as unknown as HttpServer;
    // Only here: the file's bytes are streamed to the store as they arrive, never buffered whole.
    scope.addContentTypeParser([...MATERIAL_TYPES], uploadBodyParser);
    scope.post(
      '/v1/sessions/:id/materials',
      {
        config: { idempotency: 'required' },
        // Refused before a byte is read: no point receiving the rest to say no.
        onRequest: async (request) => {
          const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
          if (type === undefined || !MATERIAL_TYPES.includes(type)) throw typeUnsupported();
          const declared = contentLengthOf(request.headers['content-length']);
          if (declared !== undefined && declared > useCases.materialMaxBytes)
            throw attachmentTooLarge(MATERIAL_TOO_LARGE, useCases.materialMaxBytes);
        },
        schema: {
          tags: [TAG],
          summary: 'Publish a file of the session’s materials (slides, hand-outs)',
          description:
            `${PUBLISHERS} Needs an Idempotency-Key. Send the file as the body with its ` +
            `Content-Type (${MATERIAL_TYPES.join(', ')}); name it in ?fileName=. The same ` +
            'bytes sent again by the same person give the first file back. Announced as ' +
            'MaterialsPublished. Errors: 400 VALIDATION_FAILED; 403 MATERIAL_FORBIDDEN; ' +
            `${SESSION_NOT_FOUND_NOTE}; 409 MATERIAL_SESSION_CANCELLED, MATERIAL_LIMIT_REACHED, ` +
            'VERSION_CONFLICT; 413 MATERIAL_TOO_LARGE; 415 MATERIAL_TYPE_UNSUPPORTED.',
          params: IdParams,
          querystring: FileNameQuery,
          response: { 201: MaterialView },
        },
      },
      async (request, reply) => {
        const body: unknown = request.body;
        if (!(body instanceof PendingUpload)) throw typeUnsupported();
        const material = await useCases.materials.upload(principalOf(request), request.params.id, {
          fileName: request.query.fileName,
          contentType: body.contentType,
          content: body.content,
          ...(body.declaredBytes === undefined ? {} : { declaredBytes: body.declaredBytes }),
        });
        return reply.code(201).send(materialView(request.params.id, material));
      },
    );
  });

  http.get(
    '/v1/sessions/:id/materials/:fileId',
    {
      config: { auth: 'optional' },
      schema: {
        tags: [TAG],
        summary: 'Download a file of the session’s materials',
        description:
          'Anyone, for a scheduled or held session; for a cancelled one, only those who may ' +
          'publish its materials. The body is the file with its Content-Type. Errors: 403 ' +
          `MATERIAL_FORBIDDEN; ${SESSION_NOT_FOUND_NOTE}, MATERIAL_NOT_FOUND.`,
        params: FileParams,
      },
    },
    async (request, reply) => {
      const { file, content } = await useCases.materials.open(
        request.principal,
        request.params.id,
        request.params.fileId,
      );
      return reply.headers(downloadHeaders(file)).send(content);
    },
  );

  http.delete(
    '/v1/sessions/:id/materials/:fileId',
    {
      schema: {
        tags: [TAG],
        summary: 'Withdraw a file from the session’s materials',
        description:
          `${PUBLISHERS} The file is deleted; announced as MaterialsPublished with its id ` +
          'among the withdrawn. Errors: 403 MATERIAL_FORBIDDEN; ' +
          `${SESSION_NOT_FOUND_NOTE}, MATERIAL_NOT_FOUND; 409 MATERIAL_SESSION_CANCELLED, ` +
          'VERSION_CONFLICT.',
        params: FileParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await useCases.materials.withdraw(
        principalOf(request),
        request.params.id,
        request.params.fileId,
      );
      return reply.code(204).send(null);
    },
  );

  http.put(
    '/v1/sessions/:id/recording',
    {
      schema: {
        tags: [TAG],
        summary: 'Set the recording of a session that has started',
        description:
          `${PUBLISHERS} Replaces any recording; the same one again changes nothing. ` +
          'Announced as MaterialsPublished. Errors: 400 RECORDING_URL_NOT_HTTPS, ' +
          `VALIDATION_FAILED; 403 MATERIAL_FORBIDDEN; ${SESSION_NOT_FOUND_NOTE}; 409 ` +
          'RECORDING_BEFORE_START, MATERIAL_SESSION_CANCELLED, VERSION_CONFLICT.',
        params: IdParams,
        body: RecordingBody,
        response: { 200: RecordingView },
      },
    },
    async (request) => {
      const recording = await useCases.materials.setRecording(
        principalOf(request),
        request.params.id,
        request.body,
      );
      return {
        url: recording.url,
        durationSeconds: recording.durationSeconds,
        addedAt: recording.addedAt.toISOString(),
      };
    },
  );
}
