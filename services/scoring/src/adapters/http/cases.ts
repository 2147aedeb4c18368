/** The exemplary cases routes: the office writes, publishes and withdraws; the public feed reads. */
import { maskPersonName, ORGANIZATION_KINDS } from '@learning/domain';
import {
  JurisdictionCode,
  PageOf,
  pageQueryFields,
  principalOf,
  PUBLIC_PORTAL_TAG,
  publicPageKey,
  publicPageSender,
  splitPage,
  Text,
  Title,
  Uuid,
  type CachedPages,
  type HttpServer,
} from '@learning/http';
import { Type, type TSchema } from '@sinclair/typebox';
import type {
  CreateCase,
  GetCase,
  PublicCase,
  PublicCases,
  PublishCase,
  WithdrawCase,
} from '../../application/cases/cases.js';
import type { ExemplaryCase } from '../../application/cases/ports.js';

export interface CasesUseCases {
  createCase: CreateCase;
  getCase: GetCase;
  publishCase: PublishCase;
  withdrawCase: WithdrawCase;
  publicCases: PublicCases;
  publicCase: PublicCase;
  publicPages: CachedPages;
  publicMaxAgeSeconds: number;
}

const TAG = 'exemplary cases';
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A reference into the city's file store, never the bytes. */
const FileRef = Type.String({
  pattern: '^(https://|file-store://)[\\x21-\\x7e]{1,500}$',
  description: 'A file in the city’s file store: `https://…` or `file-store://…`.',
});
const CaseBody = Type.Object(
  {
    awardId: Uuid,
    title: Title(200),
    body: Text(20_000, { minLength: 1 }),
    images: Type.Optional(
      Type.Array(
        Type.Object({ fileRef: FileRef, caption: Text(200) }, { additionalProperties: false }),
        { maxItems: 20 },
      ),
    ),
    consent: Type.Optional(
      Type.Object(
        {
          given: Type.Boolean(),
          by: Type.String({
            ...Uuid,
            description:
              'The participant who consented: the awarded person, or an admin of the awarded organization.',
          }),
          recordedOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          documentRef: FileRef,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const WithdrawalBody = Type.Object(
  { reason: Text(1000, { minLength: 1 }) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const PublicQuery = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    kind: Type.Optional(
      Type.String({
        enum: [...ORGANIZATION_KINDS, 'person'],
        description: 'An organization kind, or person.',
      }),
    ),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const ImageView = Type.Object({ fileRef: Type.String(), caption: Type.String() });
const PublicCaseView = Type.Object({
  id: Type.String(),
  awardId: Type.String(),
  year: Type.Integer(),
  category: Type.String(),
  organizationKind: Nullable(Type.String()),
  nomineeKind: Type.String(),
  name: Type.String({ description: 'An organization’s name; a person’s masked: 张*明.' }),
  jurisdictionPath: Type.Array(Type.String()),
  title: Type.String(),
  body: Type.String(),
  images: Type.Array(ImageView),
  publishedAt: Type.String({ format: 'date-time' }),
});
const CaseView = Type.Object({
  ...PublicCaseView.properties,
  name: Type.String(),
  status: Type.String({ enum: ['draft', 'published', 'withdrawn'] }),
  consent: Nullable(
    Type.Object({
      given: Type.Boolean(),
      by: Type.String(),
      recordedOn: Type.String(),
      documentRef: Type.String(),
      withdrawnAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const common = (exemplaryCase: ExemplaryCase) => ({
  id: exemplaryCase.id,
  awardId: exemplaryCase.award.id,
  year: exemplaryCase.award.year,
  category: exemplaryCase.award.category,
  organizationKind: exemplaryCase.award.organizationKind,
  nomineeKind: exemplaryCase.award.nominee.kind,
  jurisdictionPath: [...exemplaryCase.award.nominee.jurisdictionPath],
  title: exemplaryCase.title,
  body: exemplaryCase.body,
  images: exemplaryCase.images.map(({ fileRef, caption }) => ({ fileRef, caption })),
});

const caseResponse = (exemplaryCase: ExemplaryCase) => ({
  ...common(exemplaryCase),
  name: exemplaryCase.award.nominee.name,
  status: exemplaryCase.status,
  consent:
    exemplaryCase.consent === null
      ? null
      : {
          given: exemplaryCase.consent.given,
          by: exemplaryCase.consent.by,
          recordedOn: exemplaryCase.consent.recordedOn,
          documentRef: exemplaryCase.consent.documentRef,
          withdrawnAt: exemplaryCase.consent.withdrawnAt?.toISOString() ?? null,
        },
  publishedAt: exemplaryCase.publishedAt?.toISOString() ?? null,
  createdAt: exemplaryCase.createdAt.toISOString(),
});

const publicResponse = (exemplaryCase: ExemplaryCase) => ({
  ...common(exemplaryCase),
  name:
    exemplaryCase.award.nominee.kind === 'person'
      ? maskPersonName(exemplaryCase.award.nominee.name)
      : exemplaryCase.award.nominee.name,
  publishedAt: (exemplaryCase.publishedAt ?? exemplaryCase.updatedAt).toISOString(),
});

export function registerCasesRoutes(http: HttpServer, useCases: CasesUseCases): void {
  http.post(
    '/v1/cases',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Write an awardee’s exemplary case (the campaign office)',
        description:
          'City admins; needs an Idempotency-Key. One case per award, written as a draft: text up ' +
          'to 20,000 characters, images as file references, and the consent it will be published ' +
          'on (who, when, the signed document). Errors: 400 CALENDAR_DATE_INVALID, ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 CASE_AWARD_NOT_FOUND; 409 CASE_EXISTS.',
        body: CaseBody,
        response: { 201: CaseView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await useCases.createCase(principalOf(request), {
        awardId: body.awardId,
        title: body.title,
        body: body.body,
        images: body.images ?? [],
        consent: body.consent ?? null,
      });
      return reply.code(201).send(caseResponse(created));
    },
  );

  http.get(
    '/v1/cases/:id',
    {
      config: { roles: ['city_admin'] },
      schema: {
        tags: [TAG],
        summary: 'Get an exemplary case in any state',
        description: 'City admins. Errors: 403 ROLE_REQUIRED; 404 CASE_NOT_FOUND.',
        params: IdParams,
        response: { 200: CaseView },
      },
    },
    async (request) => caseResponse(await useCases.getCase(request.params.id)),
  );

  http.post(
    '/v1/cases/:id/publication',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Publish a case in the public feed',
        description:
          'City admins; needs an Idempotency-Key. Only with a standing consent (a person’s own, ' +
          'not withdrawn in their account since; for an organization, one of its admins’) and ' +
          'once the award is published; publishes ' +
          'scoring.case.published.v1. Errors: 403 ROLE_REQUIRED; 404 CASE_NOT_FOUND; 409 ' +
          'CASE_CONSENT_MISSING, CASE_AWARD_NOT_PUBLISHED, CASE_NOT_PUBLISHABLE.',
        params: IdParams,
        response: { 200: CaseView },
      },
    },
    async (request) =>
      caseResponse(await useCases.publishCase(principalOf(request), request.params.id)),
  );

  http.post(
    '/v1/cases/:id/withdrawal',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Record a withdrawal of consent: the case leaves the public feed',
        description:
          'City admins; needs an Idempotency-Key. The case is unpublished for good (a new consent ' +
          'means a new case is not possible for the award: write to the office). Errors: 400 ' +
          'VALIDATION_FAILED; 403 ROLE_REQUIRED; 404 CASE_NOT_FOUND; 409 CASE_NOT_PUBLISHED.',
        params: IdParams,
        body: WithdrawalBody,
        response: { 200: CaseView },
      },
    },
    async (request) =>
      caseResponse(
        await useCases.withdrawCase(principalOf(request), request.params.id, request.body.reason),
      ),
  );

  const sendPublic = publicPageSender(useCases.publicPages, useCases.publicMaxAgeSeconds);

  http.get(
    '/v1/public/cases',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'The exemplary cases, newest first (the portal’s and the media’s feed)',
        description:
          'No sign-in needed. By year, kind (an organization kind, or person) and place (a ' +
          'jurisdiction code and everything under it); persons by masked name only. Served from a ' +
          'shared cache (x-cache) that every publication and withdrawal clears. Errors: 400 ' +
          'CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PublicQuery,
        response: { 200: PageOf(PublicCaseView) },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey('/v1/public/cases', request.query), async () => {
        const { filters, page } = splitPage(request.query);
        const found = await useCases.publicCases({
          ...page,
          ...(filters.year === undefined ? {} : { year: filters.year }),
          ...(filters.kind === undefined ? {} : { kind: filters.kind }),
          ...(filters.jurisdictionCode === undefined
            ? {}
            : { jurisdictionCode: filters.jurisdictionCode }),
        });
        return { items: found.items.map(publicResponse), nextPageToken: found.nextPageToken };
      });
    },
  );

  http.get(
    '/v1/public/cases/:id',
    {
      config: { auth: 'none' },
      schema: {
        tags: [PUBLIC_PORTAL_TAG],
        summary: 'One published exemplary case',
        description:
          'No sign-in needed; cached as the feed is. Errors: 400 VALIDATION_FAILED; 404 CASE_NOT_FOUND.',
        params: IdParams,
        response: { 200: PublicCaseView },
      },
    },
    async (request, reply) => {
      await sendPublic(reply, publicPageKey(`/v1/public/cases/${request.params.id}`), async () =>
        publicResponse(await useCases.publicCase(request.params.id)),
      );
    },
  );
}
