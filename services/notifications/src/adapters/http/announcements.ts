/** The office's announcements: translate HTTP to the use cases and a broadcast's progress back. */
import { ORGANIZATION_KINDS, TIERS, type OrganizationKind, type Tier } from '@learning/domain';
import {
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  splitPage,
  Uuid,
  type HttpServer,
} from '@learning/http';
import type { AudienceCriteria } from '@learning/registration-client';
import { Type, type Static } from '@sinclair/typebox';
import type { AudienceSize } from '../../application/announcements/audience-size.js';
import type { CancelAnnouncement } from '../../application/announcements/cancel-announcement.js';
import type { CreateAnnouncement } from '../../application/announcements/create-announcement.js';
import type { GetAnnouncement } from '../../application/announcements/get-announcement.js';
import type { ListAnnouncements } from '../../application/announcements/list-announcements.js';
import type { Broadcast } from '../../application/broadcasts/ports.js';
import { CHANNELS, type Channel } from '../../domain/notices.js';

export interface AnnouncementUseCases {
  audienceSize: AudienceSize;
  createAnnouncement: CreateAnnouncement;
  listAnnouncements: ListAnnouncements;
  getAnnouncement: GetAnnouncement;
  cancelAnnouncement: CancelAnnouncement;
}

const TAG = 'announcements';
const ROLES = ['city_admin', 'area_officer'] as const;

/** An SMS carries about 70 Chinese characters a part; a subject is a line, a body a few paragraphs. */
export const SUBJECT_MAX = 60;
export const BODY_MAX = 2_000;

const Enum = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.String({ enum: [...values] }));

const Criteria = Type.Object(
  {
    tiers: Type.Optional(Type.Array(Enum<Tier>(TIERS), { maxItems: TIERS.length })),
    jurisdictionCodes: Type.Optional(
      Type.Array(JurisdictionCode, {
        maxItems: 50,
        description:
          'Homes in the subtree of any of these; none: the whole city (the office only).',
      }),
    ),
    organizationKinds: Type.Optional(
      Type.Array(Enum<OrganizationKind>(ORGANIZATION_KINDS), {
        maxItems: ORGANIZATION_KINDS.length,
      }),
    ),
    eventKey: Type.Optional(
      Type.String({
        pattern: '^[a-z]+:[0-9a-f-]{36}$',
        description: 'Confirmed in this event, `<owner>:<eventId>` (e.g. `activities:<uuid>`).',
      }),
    ),
  },
  { additionalProperties: false, description: 'Every criterion given must hold; none: everyone.' },
);

const Texts = (max: number) =>
  Type.Object(
    {
      'zh-CN': Type.String({ minLength: 1, maxLength: max }),
      en: Type.Optional(Type.String({ minLength: 1, maxLength: max })),
    },
    { additionalProperties: false },
  );

const SizeBody = Type.Object({ criteria: Criteria }, { additionalProperties: false });
const CreateBody = Type.Object(
  {
    subject: Texts(SUBJECT_MAX),
    body: Texts(BODY_MAX),
    criteria: Criteria,
    channels: Type.Optional(
      Type.Array(Enum<Channel>(CHANNELS), {
        maxItems: CHANNELS.length,
        uniqueItems: true,
        description:
          'The inbox always; sms, email and wechat to those who consented. Default: inbox.',
      }),
    ),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const ListQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });

const Counts = Type.Object({
  delivered: Type.Integer(),
  failed: Type.Integer(),
  suppressed: Type.Integer(),
  held: Type.Integer(),
});
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const AnnouncementView = Type.Object({
  id: Type.String(),
  subject: Type.Record(Type.String(), Type.String()),
  body: Type.Record(Type.String(), Type.String()),
  criteria: Type.Object({
    tiers: Type.Array(Type.String()),
    jurisdictionCodes: Type.Array(Type.String()),
    organizationKinds: Type.Array(Type.String()),
    eventKey: Type.Union([Type.String(), Type.Null()]),
  }),
  channels: Type.Array(Type.String()),
  sender: Type.String(),
  status: Type.String({ enum: ['queued', 'running', 'completed', 'cancelled'] }),
  audienceSize: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The audience when it was sent: an estimate of that moment.',
  }),
  recipientsDone: Type.Integer(),
  counts: Type.Record(Type.String(), Counts, { description: 'Per channel.' }),
  createdAt: Type.String({ format: 'date-time' }),
  firstNoticeAt: Nullable(Type.String({ format: 'date-time' })),
  lastNoticeAt: Nullable(Type.String({ format: 'date-time' })),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

const criteriaOf = (body: Static<typeof Criteria>): AudienceCriteria => ({
  tiers: body.tiers ?? [],
  jurisdictionCodes: body.jurisdictionCodes ?? [],
  organizationKinds: body.organizationKinds ?? [],
  ...(body.eventKey === undefined ? {} : { eventKey: body.eventKey }),
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function announcementView(broadcast: Broadcast) {
  const subject: Record<string, string> = {};
  const body: Record<string, string> = {};
  for (const [language, text] of Object.entries(broadcast.rendered)) {
    subject[language] = text.title;
    body[language] = text.body;
  }
  return {
    id: broadcast.id,
    subject,
    body,
    criteria: {
      tiers: [...broadcast.criteria.tiers],
      jurisdictionCodes: [...broadcast.criteria.jurisdictionCodes],
      organizationKinds: [...broadcast.criteria.organizationKinds],
      eventKey: broadcast.criteria.eventKey ?? null,
    },
    channels: [...broadcast.channels],
    sender: broadcast.sender,
    status: broadcast.status,
    audienceSize: broadcast.audienceSize,
    recipientsDone: broadcast.recipientsDone,
    counts: Object.fromEntries(
      broadcast.channels.map((channel) => [channel, broadcast.counts[channel]]),
    ),
    createdAt: broadcast.createdAt.toISOString(),
    firstNoticeAt: iso(broadcast.firstNoticeAt),
    lastNoticeAt: iso(broadcast.lastNoticeAt),
    finishedAt: iso(broadcast.finishedAt),
  };
}

const SCOPE_ERRORS =
  '403 ROLE_REQUIRED, ANNOUNCEMENT_OUTSIDE_SCOPE (an area officer: criteria outside their jurisdictions, or none)';

export function registerAnnouncementRoutes(http: HttpServer, useCases: AnnouncementUseCases): void {
  http.post(
    '/v1/announcements/audience-size',
    {
      config: { roles: [...ROLES] },
      schema: {
        tags: [TAG],
        summary: 'How many people criteria reach now',
        description: `The office city-wide; area officers within their jurisdictions. Errors: 400 JURISDICTION_UNKNOWN, VALIDATION_FAILED; ${SCOPE_ERRORS}.`,
        body: SizeBody,
        response: { 200: Type.Object({ audienceSize: Type.Integer() }) },
      },
    },
    async (request) => ({
      audienceSize: await useCases.audienceSize(
        principalOf(request),
        criteriaOf(request.body.criteria),
      ),
    }),
  );

  http.post(
    '/v1/announcements',
    {
      config: { roles: [...ROLES], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Announce to an audience',
        description:
          `Needs an Idempotency-Key. Subject (at most ${String(SUBJECT_MAX)} characters) and body (at most ` +
          `${String(BODY_MAX)}) in zh-CN, optionally en; fanned out in batches (GET it for progress). ` +
          `Errors: 400 JURISDICTION_UNKNOWN, VALIDATION_FAILED (also oversize text); ${SCOPE_ERRORS}.`,
        body: CreateBody,
        response: {
          201: Type.Object({ id: Type.String(), audienceSize: Type.Integer() }),
        },
      },
    },
    async (request, reply) => {
      const { subject, body, criteria, channels } = request.body;
      const created = await useCases.createAnnouncement(principalOf(request), {
        subject,
        body,
        criteria: criteriaOf(criteria),
        channels: channels ?? ['inbox'],
      });
      return reply.code(201).send(created);
    },
  );

  http.get(
    '/v1/announcements',
    {
      config: { roles: [...ROLES] },
      schema: {
        tags: [TAG],
        summary: 'The announcements sent, newest first',
        description:
          'The office sees all; an area officer their own. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: ListQuery,
        response: { 200: PageOf(AnnouncementView) },
      },
    },
    async (request) => {
      const page = await useCases.listAnnouncements(
        principalOf(request),
        splitPage(request.query).page,
      );
      return { items: page.items.map(announcementView), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/announcements/:id',
    {
      config: { roles: [...ROLES] },
      schema: {
        tags: [TAG],
        summary: 'An announcement and how far it has gone',
        description:
          'Recipients done, per channel delivered, failed, suppressed and held, first and last notice times. ' +
          'Errors: 403 ROLE_REQUIRED; 404 ANNOUNCEMENT_NOT_FOUND.',
        params: IdParams,
        response: { 200: AnnouncementView },
      },
    },
    async (request) =>
      announcementView(await useCases.getAnnouncement(principalOf(request), request.params.id)),
  );

  http.post(
    '/v1/announcements/:id/cancel',
    {
      config: { roles: [...ROLES] },
      schema: {
        tags: [TAG],
        summary: 'Stop an announcement at its next batch',
        description:
          'Those already reached keep it. Cancelling twice answers the cancelled announcement. ' +
          'Errors: 403 ROLE_REQUIRED; 404 ANNOUNCEMENT_NOT_FOUND; 409 ANNOUNCEMENT_FINISHED.',
        params: IdParams,
        response: { 200: AnnouncementView },
      },
    },
    async (request) =>
      announcementView(await useCases.cancelAnnouncement(principalOf(request), request.params.id)),
  );
}
